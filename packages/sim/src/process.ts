// Runs bins/exchange-sim.ts as a child process on ephemeral ports and waits for its ready line: for tests
// that need the simulator outside the test process (CPU isolation, crash/kill scenarios).
import type { Subprocess } from "bun";
import type { SourceName } from "@spread/common";
import type { SourceUrls } from "./sim.ts";

export interface SimProcess {
  readonly proc: Subprocess<"ignore", "pipe", "pipe">;
  readonly urls: Record<SourceName, SourceUrls>;
  readonly controlUrl: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number>;
}

export interface SimProcessOptions {
  scenario?: string;
  seed?: number;
  rate?: number;
  /** Extra CLI arguments. */
  args?: string[];
  /** Give up waiting for "ready" after this long (default 15 s). */
  readyTimeoutMs?: number;
}

const BIN = new URL("../../../bins/exchange-sim.ts", import.meta.url).pathname;

export async function startSimProcess(opts: SimProcessOptions = {}): Promise<SimProcess> {
  const args = ["bun", BIN, "--ephemeral"];
  if (opts.scenario) args.push("--scenario", opts.scenario);
  if (opts.seed !== undefined) args.push("--seed", String(opts.seed));
  if (opts.rate !== undefined) args.push("--rate", String(opts.rate));
  args.push(...(opts.args ?? []));
  const proc = Bun.spawn(args, { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, SPREAD_SCANNER_LOG_LEVEL: process.env.SPREAD_SCANNER_LOG_LEVEL ?? "warn" } });
  const stop = async (graceMs = 3000): Promise<number> => {
    if (proc.exitCode !== null) return proc.exitCode;
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    const code = await proc.exited;
    clearTimeout(timer);
    return code;
  };
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 15_000);
  try {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("exchange-sim did not print ready in time");
      const chunk = await Promise.race([reader.read(), Bun.sleep(left).then(() => null)]);
      if (chunk === null) continue;
      if (chunk.done) throw new Error(`exchange-sim exited before ready: ${await new Response(proc.stderr).text()}`);
      buf += decoder.decode(chunk.value, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.includes('"msg":"ready"')) continue;
        const ready = JSON.parse(line) as { sources: Record<SourceName, SourceUrls>; control: string };
        reader.releaseLock();
        // Keep draining stdout so a chatty child never blocks on a full pipe.
        void proc.stdout.pipeTo(new WritableStream()).catch(() => {});
        return { proc, urls: ready.sources, controlUrl: ready.control, stop };
      }
    }
  } catch (err) {
    await stop(500);
    throw err;
  }
}
