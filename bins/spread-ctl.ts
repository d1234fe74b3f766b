#!/usr/bin/env bun
// spread-ctl: operate spread-scanner (status, control) and decode captured exchange traffic.
import { defineCommand } from "citty";
import { parseSourceName, runBin, SOURCE_NAMES, UsageError } from "@spread/common";
import { adapterFor, QuoteRecord } from "@spread/exchanges";
import { decodeFrameLine, decodeInstrumentFiles, instrumentLine, readLines } from "@spread/ctl";

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
    files: { type: "positional", description: "Response files", required: true },
  },
  run({ args }) {
    const source = sourceArg(args.source);
    const files = args._.filter((a) => a !== "parse-instruments");
    if (files.length === 0) throw new UsageError("at least one FILE is required");
    const instruments = decodeInstrumentFiles(adapterFor(source), files);
    for (const i of instruments) process.stdout.write(instrumentLine(i, SOURCE_NAMES[source]!) + "\n");
  },
});

const main = defineCommand({
  meta: { name: "spread-ctl", description: "Operate spread-scanner and decode exchange traffic" },
  subCommands: { parse, "parse-instruments": parseInstruments },
});

await runBin(main);
