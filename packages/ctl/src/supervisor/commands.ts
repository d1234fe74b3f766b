// spread-ctl up / down / reload / discover / demo: the citty commands (bins/spread-ctl.ts mounts them).
import { defineCommand } from "citty";
import { join, resolve } from "node:path";
import { CONFIG_HELP, checkoutRoot, defaultConfig, loadAppConfig, SHM_PREFIX_ENV, UsageError } from "@spread/common";
import { openAll, pidAlive } from "@spread/shm";
import { resolveCtlConfig, type CtlTarget } from "./ctl-config.ts";
import { buildPlan } from "./plan.ts";
import { programLocator } from "./programs.ts";
import { reloadAll, renderReload } from "./reload.ts";
import { runUp } from "./up.ts";

export const ctlConfigArgs = {
  config: { type: "string", description: `${CONFIG_HELP}; without it spread-ctl uses the system a running \`spread-ctl up\` (the demo) runs`, valueHint: "FILE" },
  prefix: { type: "string", description: "shm prefix (overrides config and SPREAD_SCANNER_SHM_PREFIX)", valueHint: "NAME" },
} as const;

/** The config a spread-ctl command acts on (notes on stderr how it was chosen). */
export function ctlTarget(args: { config?: string }): CtlTarget {
  const t = resolveCtlConfig(args.config);
  if (t.note) process.stderr.write(`spread-ctl: ${t.note}\n`);
  return t;
}

function seconds(name: string, v: string, min = 0): number {
  const n = Number(v);
  if (!(n >= min) || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number of seconds >= ${min}, got "${v}"`);
  return n;
}

const upArgs = {
  config: { type: "string", description: CONFIG_HELP, valueHint: "FILE" },
  view: { type: "boolean", description: "live view (Health, widest spreads, trackings) instead of JSON log lines", default: false },
  duration: { type: "string", description: "stop after N seconds (0 = until Ctrl-C / SIGTERM / spread-ctl down)", default: "0" },
  refresh: { type: "string", description: "live view refresh period, ms", default: "2000" },
  "skip-discovery": { type: "boolean", description: "start on the existing generated/ (no pair-discovery run first)", default: false },
  "rm-shm": { type: "boolean", description: "remove the prefix's shared memory after stopping", default: false },
  "bin-dir": { type: "string", description: "directory of the compiled programs (default: beside spread-ctl, or bins/ from a checkout)", valueHint: "DIR" },
} as const;

type UpArgs = { config?: string; view: boolean; duration: string; refresh: string; "skip-discovery": boolean; "rm-shm": boolean; "bin-dir"?: string };

async function upFrom(args: UpArgs, config: string, demo: boolean): Promise<void> {
  const refreshMs = Number(args.refresh);
  if (!(refreshMs >= 100)) throw new UsageError(`--refresh must be at least 100 ms, got "${args.refresh}"`);
  process.exitCode = await runUp({
    config,
    sim: demo,
    view: args.view || demo,
    durationS: seconds("duration", args.duration),
    refreshMs,
    removeShm: args["rm-shm"] || demo,
    forceShm: demo,
    skipDiscovery: args["skip-discovery"],
    ...(args["bin-dir"] ? { binDir: resolve(args["bin-dir"]) } : {}),
  });
}

export const upCommand = defineCommand({
  meta: { name: "up", description: "Run the whole system (shm-init → pair-discovery → 8 feeds → engine → tracker), restart crashed processes, stop all on Ctrl-C / SIGTERM / `spread-ctl down`" },
  args: upArgs,
  async run({ args }) {
    // Not the running-system lookup of the other commands: a second `up` must not pick the demo's config.
    await upFrom(args, args.config ?? defaultConfig().file, false);
  },
});

/** The demo's config: config/config.sim.toml of the checkout (or beside the installed config). */
export function demoConfig(): string {
  const root = checkoutRoot();
  if (!root) throw new UsageError("the demo runs from a checkout (config/config.sim.toml); pass --config FILE pointing at a simulator config");
  return join(root, "config", "config.sim.toml");
}

export const demoCommand = defineCommand({
  meta: { name: "demo", description: "`up` against the built-in exchange simulator with the live view; removes its shared memory on exit" },
  args: { ...upArgs, view: { type: "boolean", description: "live view (always on in the demo)", default: true } },
  async run({ args }) {
    await upFrom(args, args.config ?? demoConfig(), true);
  },
});

export const downCommand = defineCommand({
  meta: { name: "down", description: "Stop a system run by `spread-ctl up` (reverse order) and wait until everything exited" },
  args: { ...ctlConfigArgs, timeout: { type: "string", description: "give up waiting after N seconds", default: "60" } },
  async run({ args }) {
    const t = ctlTarget(args);
    const s = t.running;
    if (!s) {
      const prefix = args.prefix ?? loadAppConfig(t.config).shm.prefix;
      process.stderr.write(`spread-ctl down: no spread-ctl up runs prefix "${prefix}" (under systemd: systemctl stop spread-scanner.target)\n`);
      process.exit(1);
    }
    process.kill(s.pid, "SIGTERM");
    const deadline = Date.now() + seconds("timeout", args.timeout, 1) * 1000;
    while (pidAlive(s.pid)) {
      if (Date.now() > deadline) {
        process.stderr.write(`spread-ctl down: pid ${s.pid} still running after ${args.timeout} s\n`);
        process.exit(1);
      }
      await Bun.sleep(100);
    }
    process.stdout.write(`stopped spread-ctl up (pid ${s.pid}, prefix ${s.prefix}); logs in ${s.logs}\n`);
  },
});

const reloadArgs = {
  ...ctlConfigArgs,
  wait: { type: "string", description: "seconds to wait for each process to hot-reload before restarting it", default: "15" },
  restart: { type: "boolean", description: "restart every process (graceful shutdown; the supervisor starts it again) instead of a hot reload", default: false },
} as const;

export const reloadCommand = defineCommand({
  meta: { name: "reload", description: "After a discovery run: every process hot-reloads generated/ (config generation bump) or is restarted (A.13)" },
  args: reloadArgs,
  async run({ args }) {
    const t = ctlTarget(args);
    const app = loadAppConfig(t.config);
    const shm = openAll(args.prefix ?? app.shm.prefix, { allowForeignOwner: app.shm.allow_foreign_owner });
    const r = await reloadAll(shm, { waitMs: seconds("wait", args.wait) * 1000, restart: args.restart });
    process.stdout.write(renderReload(r) + "\n");
    if (r.failed.length) process.exit(1);
  },
});

export const discoverCommand = defineCommand({
  meta: { name: "discover", description: "Run pair-discovery for the system's config now, then reload every process" },
  args: { ...reloadArgs, "bin-dir": upArgs["bin-dir"] },
  async run({ args }) {
    const t = ctlTarget(args);
    const app = loadAppConfig(t.config);
    const prefix = args.prefix ?? app.shm.prefix;
    const plan = buildPlan(programLocator(args["bin-dir"] ? { binDir: resolve(args["bin-dir"]) } : {}), app.file);
    const p = Bun.spawn([...plan.discovery], { stdin: "ignore", stdout: "inherit", stderr: "inherit", env: { ...process.env, [SHM_PREFIX_ENV]: prefix } });
    const code = await p.exited;
    if (code !== 0) {
      process.stderr.write(`spread-ctl discover: pair-discovery failed (exit ${code}); generated/ is unchanged, nothing reloaded\n`);
      process.exit(code === 2 ? 2 : 1);
    }
    // pair-discovery bumped the generation itself; wait for it.
    const shm = openAll(prefix, { allowForeignOwner: app.shm.allow_foreign_owner });
    const r = await reloadAll(shm, { generation: shm.control.configGeneration(), waitMs: seconds("wait", args.wait) * 1000, restart: args.restart });
    process.stdout.write(renderReload(r) + "\n");
    if (r.failed.length) process.exit(1);
  },
});
