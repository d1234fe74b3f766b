#!/usr/bin/env bun
// spread-ctl: operate spread-scanner (status, control) and decode captured exchange traffic.
import { existsSync } from "node:fs";
import { defineCommand } from "citty";
import { DATA_ARG, GENERATED_ARG, loadAppConfig, loadDirections, loadSymbolNames, parseSourceName, runBin, SOURCE_NAMES, UsageError, wallMicros } from "@spread/common";
import { fundingHorizonUs } from "@spread/engine";
import { adapterFor, QuoteRecord } from "@spread/exchanges";
import { openAll, renderStatus, GlobalFlag, statusVerdict, verdictLine } from "@spread/shm";
import {
  ctlConfigArgs as configArgs, ctlTarget, decodeFrameLine, FundingDecoder, decodeInstrumentFiles, demoCommand, discoverCommand, downCommand, instrumentLine,
  liveSpreads, parseSince, parseSortKey, parseSpreadsArgs, readLines, reloadCommand, renderSpreads, renderStats, renderTracks, sendControl,
  tracksCsv, upCommand, alertsCommand, type ControlVerb,
} from "@spread/ctl";
import { listTracks, pairStats, readSummaries, sortPairStats } from "@spread/tracker";

function prefixOf(args: { config?: string; prefix?: string }): string {
  return args.prefix ?? loadAppConfig(ctlTarget(args).config).shm.prefix;
}

/** Maps the regions for a command that writes Control; [shm] allow_foreign_owner comes from the config. */
function shmOf(args: { config?: string; prefix?: string }) {
  const file = ctlTarget(args).config;
  const app = args.prefix === undefined || existsSync(file) ? loadAppConfig(file) : undefined;
  return openAll(args.prefix ?? app!.shm.prefix, { allowForeignOwner: app?.shm.allow_foreign_owner ?? false });
}

const status = defineCommand({
  meta: { name: "status", description: "Shared-memory regions, Health of every process, Control flags. Exit 0 healthy, 1 a process degraded/dead/hung, 2 usage/config error, 3 shared memory missing or corrupt" },
  args: configArgs,
  run({ args }) {
    const prefix = prefixOf(args);
    const now = wallMicros();
    const verdict = statusVerdict(prefix, now);
    process.stdout.write(`${renderStatus(prefix, now)}\n${verdictLine(verdict)}\n`);
    process.exit(verdict.code); // 0 healthy, 1 a process unhealthy, 3 shm missing/corrupt (docs/operations.md)
  },
});

const spreads = defineCommand({
  meta: { name: "spreads", description: "Live spreads over the 12 directions with gross, net (entry fees) and round-trip net, leg ages; refreshes in place on a terminal (alias: top)" },
  args: {
    ...configArgs,
    generated: GENERATED_ARG,
    direction: { type: "string", description: "only these directions: ids or names, comma-separated (e.g. 0,okx_spot_bybit_futures)", valueHint: "LIST" },
    symbol: { type: "string", description: "only these symbols, comma-separated (BTC or BTC-USDT)", valueHint: "LIST" },
    min: { type: "string", description: "only rows whose --by value is at least this (percent)", valueHint: "PCT" },
    by: { type: "string", description: "sort and --min on gross | net | net_round_trip (default: [engine] open_on)", valueHint: "MEASURE" },
    limit: { type: "string", description: "rows to show", default: "20" },
    "stale-ms": { type: "string", description: "ignore legs older than this (default: [engine] stale_after_ms)", valueHint: "MS" },
    interval: { type: "string", description: "refresh period on a terminal, ms", default: "1000" },
    once: { type: "boolean", description: "print once and exit (the default when stdout is not a terminal)", default: false },
    json: { type: "boolean", description: "print one JSON array (implies --once)", default: false },
  },
  async run({ args }) {
    const app = loadAppConfig(ctlTarget(args).config);
    const dir = args.generated ?? app.resolved.generated;
    let f: ReturnType<typeof parseSpreadsArgs>;
    try {
      f = parseSpreadsArgs(
        { direction: args.direction, symbol: args.symbol, min: args.min, by: args.by, limit: args.limit, staleMs: args["stale-ms"], interval: args.interval },
        { by: app.engine.open_on, staleMs: app.engine.stale_after_ms },
      );
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const shm = openAll(args.prefix ?? app.shm.prefix, { allowForeignOwner: app.shm.allow_foreign_owner });
    const dirs = loadDirections(dir);
    const names = loadSymbolNames(dir);
    const once = args.once || args.json || !process.stdout.isTTY;
    for (;;) {
      const res = liveSpreads(shm, dirs, names, app.engine.taker_fee_pct, { ...f, fundingHorizonUs: fundingHorizonUs(app.engine) }, wallMicros());
      if (args.json) {
        process.stdout.write(`${JSON.stringify(res.rows)}\n`);
        return;
      }
      const view = renderSpreads(res, f.by);
      if (once) {
        process.stdout.write(`${view}\n`);
        return;
      }
      process.stdout.write(`\x1b[H\x1b[2J${new Date().toISOString()}  spread-ctl spreads (Ctrl-C to stop)\n${view}\n`);
      await Bun.sleep(f.intervalMs);
    }
  },
});

const dataArgs = {
  config: configArgs.config,
  data: DATA_ARG,
  since: { type: "string", description: "window: 90m, 24h, 7d or an ISO 8601 time", valueHint: "WHEN" },
  json: { type: "boolean", description: "one JSON array", default: false },
} as const;

function dataDir(args: { config?: string; data?: string }): string {
  return args.data ?? loadAppConfig(ctlTarget(args).config).resolved.data;
}

const tracks = defineCommand({
  meta: { name: "tracks", description: "Open trackings and recently closed ones with their summaries (from the tracker's files)" },
  args: {
    ...dataArgs,
    since: { ...dataArgs.since, description: "closed trackings since: 90m, 24h (default), 7d or an ISO 8601 time" },
    limit: { type: "string", description: "closed trackings to show in the table", default: "30" },
    csv: { type: "boolean", description: "export the closed summaries of the window as CSV (summary file format)", default: false },
  },
  async run({ args }) {
    const now = Date.now();
    const since = parseSince(args.since ?? "24h", now);
    const root = dataDir(args);
    const limit = Number(args.limit);
    if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit must be a non-negative integer, got "${args.limit}"`);
    if (args.csv) {
      process.stdout.write(tracksCsv(readSummaries(root, since).rows));
      return;
    }
    const list = await listTracks(root, since, now);
    process.stdout.write((args.json ? JSON.stringify(list.tracks, null, 1) : renderTracks(list, limit)) + "\n");
  },
});

const stats = defineCommand({
  meta: { name: "stats", description: "Per direction and symbol over a window: episodes, converged share, median/p90 time to converge, peak, time open" },
  args: {
    ...dataArgs,
    since: { ...dataArgs.since, description: "window start: 90m, 24h, 7d (default) or an ISO 8601 time" },
    sort: { type: "string", description: "episodes (default), converged, share, median, p90, peak, net_funding (spread net of fees and funding), open, symbol", default: "episodes" },
    reverse: { type: "boolean", description: "reverse the order", default: false },
    limit: { type: "string", description: "rows to print (0 = all)", default: "0" },
  },
  run({ args }) {
    const windowText = args.since ?? "7d";
    const since = parseSince(windowText, Date.now());
    const key = parseSortKey(args.sort);
    const limit = Number(args.limit);
    if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit must be a non-negative integer, got "${args.limit}"`);
    const read = readSummaries(dataDir(args), since);
    const list = sortPairStats(pairStats(read.rows), key, args.reverse);
    const shown = limit > 0 ? list.slice(0, limit) : list;
    process.stdout.write((args.json ? JSON.stringify(shown, null, 1) : renderStats(shown, `since ${new Date(since).toISOString()}`)) + "\n");
    if (read.badLines > 0) process.stderr.write(`spread-ctl stats: ${read.badLines} malformed summary lines skipped\n`);
  },
});

function controlCommand(verb: ControlVerb, description: string) {
  return defineCommand({
    meta: { name: verb, description },
    args: { ...configArgs, target: { type: "positional", description: "all | feeds | <source> | engine | tracker | discovery", required: true } },
    run({ args }) {
      const shm = shmOf(args);
      process.stdout.write(sendControl(shm, verb, args.target) + "\n");
    },
  });
}

const clear = defineCommand({
  meta: { name: "clear", description: "Clear the global shutdown and pause flags (before restarting the system)" },
  args: configArgs,
  run({ args }) {
    const ctl = shmOf(args).control;
    ctl.setGlobalFlag(GlobalFlag.shutdown, false);
    ctl.setGlobalFlag(GlobalFlag.pause, false);
    process.stdout.write("global flags cleared\n");
  },
});

function sourceArg(value: string | undefined): number {
  if (!value) throw new UsageError(`--source is required (one of ${SOURCE_NAMES.join(", ")})`);
  try {
    return parseSourceName(value);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const parse = defineCommand({
  meta: { name: "parse", description: "Decode raw WebSocket frames from stdin (one per line) into best bid/ask JSON lines" },
  args: {
    source: { type: "string", description: `Source: ${SOURCE_NAMES.join(", ")}`, valueHint: "SOURCE" },
    hex: { type: "boolean", description: "Lines are binary frames written as hex (MEXC spot protobuf)", default: false },
  },
  async run({ args }) {
    const adapter = adapterFor(sourceArg(args.source));
    const rec = new QuoteRecord();
    let lineNo = 0;
    try {
      for await (const line of readLines(Bun.stdin.stream())) {
        lineNo++;
        if (line.trim() === "") continue;
        const r = decodeFrameLine(adapter, line, args.hex, lineNo, rec);
        if (r.out) process.stdout.write(r.out + "\n");
        if (r.err) process.stderr.write(r.err + "\n");
      }
    } catch (err) {
      process.stderr.write(`spread-ctl parse: cannot read stdin: ${(err as Error).message}\n`);
      process.exit(1);
    }
  },
});

const parseInstruments = defineCommand({
  meta: { name: "parse-instruments", description: "Parse saved REST instrument responses (several files = pages) into one JSON line per instrument" },
  args: {
    source: { type: "string", description: `Source: ${SOURCE_NAMES.join(", ")}`, valueHint: "SOURCE" },
    files: { type: "positional", description: "Response files (one or more)", required: true, valueHint: "FILE..." },
  },
  run({ args }) {
    const source = sourceArg(args.source);
    const files = args._.filter((a) => a !== "parse-instruments");
    if (files.length === 0) throw new UsageError("at least one FILE is required");
    const instruments = decodeInstrumentFiles(adapterFor(source), files);
    for (const i of instruments) process.stdout.write(instrumentLine(i, SOURCE_NAMES[source]!) + "\n");
  },
});

const parseFunding = defineCommand({
  meta: {
    name: "parse-funding",
    description: "Decode saved funding REST bodies or WS frames (one per line; stdin when no FILE) into one JSON line per funding value",
  },
  args: {
    source: { type: "string", description: `Futures source: ${SOURCE_NAMES.filter((n) => n.endsWith("_futures")).join(", ")}`, valueHint: "SOURCE" },
    files: { type: "positional", description: "Files (REST bodies or frames one per line); interval tables first", required: false, valueHint: "FILE..." },
  },
  async run({ args }) {
    let decoder: FundingDecoder;
    try {
      decoder = new FundingDecoder(sourceArg(args.source));
    } catch (err) {
      throw err instanceof UsageError ? err : new UsageError((err as Error).message);
    }
    const files = args._.filter((a) => a !== "parse-funding");
    const inputs: [string, () => Promise<string>][] = files.length ? files.map((f) => [f, () => Bun.file(f).text()]) : [["stdin", () => Bun.stdin.text()]];
    let failed = false;
    for (const [where, read] of inputs) {
      let text: string;
      try {
        text = await read();
      } catch (err) {
        process.stderr.write(`spread-ctl parse-funding: cannot read ${where}: ${(err as Error).message}\n`);
        failed = true;
        continue;
      }
      const r = decoder.decodeText(text, where);
      for (const l of r.lines) process.stdout.write(l + "\n");
      for (const e of r.errors) process.stderr.write(e + "\n");
    }
    if (failed) process.exit(1);
  },
});

const main = defineCommand({
  meta: { name: "spread-ctl", description: "Operate spread-scanner and decode exchange traffic" },
  subCommands: {
    status,
    spreads,
    top: spreads,
    tracks,
    stats,
    pause: controlCommand("pause", "Pause publishing (feeds keep their sockets)"),
    resume: controlCommand("resume", "Resume after pause"),
    shutdown: controlCommand("shutdown", "Graceful stop (exit 0)"),
    kill: controlCommand("kill", "Immediate stop (exit 1; systemd restarts it)"),
    reload: reloadCommand,
    clear,
    up: upCommand,
    down: downCommand,
    discover: discoverCommand,
    demo: demoCommand,
    parse,
    "parse-instruments": parseInstruments,
    "parse-funding": parseFunding,
    alerts: alertsCommand,
  },
});

await runBin(main);
