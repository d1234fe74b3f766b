// Human-readable outputs: symbols.txt, directions.txt, validation_report.txt and the end-of-run summary table.
import { DIRECTIONS, NUM_SOURCES, SOURCE_NAMES } from "@spread/common";
import type { RunSummary, SourceSummary } from "./summary.ts";
import type { PairStatus, PriceDecision } from "./types.ts";

/** "# id name binance_spot … okx_futures" then one line per symbol: id, name, exchange symbol or "-" per source. */
export function symbolsTxt(s: RunSummary, generation: string): string {
  const lines = [`# symbols generation ${generation}: symbol_id, normalized_name, exchange symbol on ${SOURCE_NAMES.join(", ")} ("-" = not listed)`];
  for (const sym of s.registry.symbols) {
    const cols = [String(sym.id), sym.name];
    for (let src = 0; src < NUM_SOURCES; src++) cols.push(sym.listings[src]?.exchangeSymbol ?? "-");
    lines.push(cols.join("\t"));
  }
  return lines.join("\n") + "\n";
}

/** One line per direction: id, name, "N pairs". */
export function directionsTxt(s: RunSummary, generation: string): string {
  const lines = [`# directions generation ${generation}: direction_id, spot_futures, validated pairs`];
  DIRECTIONS.forEach((d, i) => lines.push(`${d.id}\t${d.name}\t${s.directions[i]!.length} pairs`));
  return lines.join("\n") + "\n";
}

const INVALID: readonly PairStatus[] = ["no_data", "invalid_prices", "rejected"];

function fmt(x: number): string {
  if (!Number.isFinite(x)) return "n/a";
  return Number(x.toPrecision(6)).toString();
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "n/a";
}

function countBy<T>(xs: readonly T[], key: (x: T) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function sourceSection(src: SourceSummary): string[] {
  const name = SOURCE_NAMES[src.source]!;
  if (!src.selected) return [`${name}: not selected (--sources)`];
  const f = src.fetch;
  if (!f) return [`${name}: not fetched`];
  if (!f.ok) return [`${name}: FETCH FAILED: ${f.error}`];
  const out: string[] = [];
  const norm = countBy(src.rejections, (r) => r.reason).map(([k, n]) => `${k} ${n}`).join(", ");
  const v = src.validation;
  if (!v) {
    out.push(`${name}: ${src.accepted} total, not validated, ${src.excluded} excluded, ${src.symbols} listed`);
  } else {
    const pairs = [...v.pairs.values()];
    const valid = pairs.filter((p) => p.status === "valid").length;
    const invalid = pairs.length - valid;
    const by = INVALID.map((r) => `${r} ${pairs.filter((p) => p.status === r).length}`).join(", ");
    out.push(`${name}: ${pairs.length} total, ${valid} valid, ${invalid} invalid (${by})${v.ok ? "" : ` VALIDATION FAILED: ${v.error}`}`);
    for (const reason of INVALID) {
      const bad = pairs.filter((p) => p.status === reason).sort((a, b) => (a.exchangeSymbol < b.exchangeSymbol ? -1 : 1));
      if (!bad.length) continue;
      const items = bad.map((p) => (reason === "rejected" && p.detail ? `${p.exchangeSymbol} (${p.detail})` : p.exchangeSymbol));
      out.push(`  ${reason}: ${items.join(", ")}`);
    }
    out.push(`  ws: ${v.batches} batches, ${v.connections} connections, ${v.connectionFailures} connection failures, ${v.malformedFrames} malformed frames, ${(v.ms / 1000).toFixed(1)} s`);
  }
  out.push(`  rest: ${f.instruments.length} instruments in ${f.pages} page(s), ${src.accepted} accepted${norm ? `; not listed: ${norm}` : ""}`);
  return out;
}

function decisionLine(d: PriceDecision): string {
  const who = `${d.name} ${SOURCE_NAMES[d.source]} ${d.exchangeSymbol}`;
  const cmp = `per-unit mid ${fmt(d.perUnitMid)} vs median of the others ${fmt(d.reference)} (deviation ${pct(d.deviation)})`;
  switch (d.kind) {
    case "multiplier_confirmed":
      return `  ${who} ×${d.multiplier} confirmed: ${cmp}`;
    case "multiplier_rejected":
      return `  ${who} kept as its own symbol at ×1 (the multiplier disagreed): ${cmp}`;
    case "excluded_collision":
      return `  ${who} ×${d.multiplier} EXCLUDED, likely ticker collision or wrong multiplier: ${cmp}`;
    case "excluded_ambiguous":
      return `  ${who} ×${d.multiplier} EXCLUDED, the only two prices disagree: ${cmp}`;
  }
}

export function validationReportTxt(s: RunSummary, generation: string): string {
  const v = s.validation;
  const lines = [
    `# validation report generation ${generation}, ${s.startedAt.toISOString()}`,
    v.enabled
      ? `# WS validation: ${v.validated} sources validated (at least ${v.minValidated} required); a pair is valid after one update with bid > 0, ask > 0, bid <= ask`
      : `# WS validation skipped (${v.skippedReason ?? "disabled"}): every accepted pair is listed`,
    "",
  ];
  for (const src of s.sources) lines.push(...sourceSection(src));
  const excluded = s.decisions.filter((d) => d.kind === "excluded_collision" || d.kind === "excluded_ambiguous");
  const mult = s.decisions.filter((d) => d.kind === "multiplier_confirmed" || d.kind === "multiplier_rejected");
  lines.push("", `excluded by the collision guard: ${excluded.length}`, ...excluded.map(decisionLine));
  lines.push("", `multiplier checks: ${mult.length}`, ...mult.map(decisionLine));
  const multListings = s.registry.symbols.flatMap((sym) => sym.listings.filter((l) => l && l.multiplier !== 1).map((l) => `  ${sym.name} ${SOURCE_NAMES[l!.source]} ${l!.exchangeSymbol} ×${l!.multiplier}`));
  lines.push("", `listings with a price multiplier: ${multListings.length}`, ...multListings);
  lines.push("", s.registry.dropped.length ? `MAX_SYMBOLS ${s.maxSymbols} cut dropped ${s.registry.dropped.length}: ${s.registry.dropped.join(", ")}` : `MAX_SYMBOLS ${s.maxSymbols}: no cut (${s.registry.symbols.length} symbols)`);
  return lines.join("\n") + "\n";
}

/** The end-of-run table shown on a TTY. */
export function summaryTable(s: RunSummary, generation: string, outputDir: string): string {
  const rows: string[][] = [["source", "fetch", "instruments", "accepted", "valid", "invalid", "excluded", "listed"]];
  for (const src of s.sources) {
    const name = SOURCE_NAMES[src.source]!;
    if (!src.selected) {
      rows.push([name, "skipped", "", "", "", "", "", ""]);
      continue;
    }
    const f = src.fetch ?? { ok: false, ms: 0, instruments: [] };
    const pairs = src.validation ? [...src.validation.pairs.values()] : [];
    const valid = pairs.filter((p) => p.status === "valid").length;
    rows.push([
      name,
      f.ok ? `ok ${(f.ms / 1000).toFixed(1)}s` : "FAILED",
      f.ok ? String(f.instruments.length) : "-",
      f.ok ? String(src.accepted) : "-",
      src.validation ? String(valid) + (src.validation.ok ? "" : " !") : "-",
      src.validation ? String(pairs.length - valid) : "-",
      String(src.excluded),
      String(src.symbols),
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const render = (r: string[]) => r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join("  ");
  const out = [render(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(render), ""];
  out.push("direction                          pairs");
  DIRECTIONS.forEach((d, i) => out.push(`${String(d.id).padStart(2)} ${d.name.padEnd(31)} ${String(s.directions[i]!.length).padStart(5)}`));
  const excluded = s.decisions.filter((d) => d.kind.startsWith("excluded")).length;
  out.push(
    "",
    `${s.registry.symbols.length} symbols, generation ${generation}, ${excluded} collision exclusions, ${(s.durationMs / 1000).toFixed(2)} s → ${outputDir}`,
  );
  if (s.registry.dropped.length) out.push(`WARNING: MAX_SYMBOLS cut dropped ${s.registry.dropped.length} symbols (see validation_report.txt)`);
  return out.join("\n") + "\n";
}
