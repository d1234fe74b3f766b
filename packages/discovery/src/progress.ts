// Progress of a run: structured pino lines (default, journald) or, on a TTY, a live per-source block
// (fetch, parse, validate batches) redrawn in place, then the summary table.
import { SOURCE_NAMES, type Logger } from "@spread/common";
import type { SourceFetch, SourceValidation } from "./types.ts";

export interface ProgressSink {
  stage(stage: "fetch" | "normalize" | "validate" | "price-check" | "write" | "reload", detail?: string): void;
  fetchPage(source: number, page: number, attempt: number, ok: boolean, instruments: number, error: string | null): void;
  fetchDone(f: SourceFetch): void;
  normalized(source: number, accepted: number, rejected: number): void;
  validateStart(source: number, symbols: number, batches: number): void;
  validateBatch(source: number, batch: number, batches: number, state: "start" | "done"): void;
  validateAnswered(source: number, answered: number, total: number): void;
  validateDone(v: SourceValidation): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  /** End of run: the TTY prints `table`; logs get one summary line. */
  finish(ok: boolean, table: string | null, fields: Record<string, unknown>): void;
  /** Stops timers (TTY redraw). */
  close(): void;
}

/** Structured pino lines, one per event worth keeping (no per-answer spam). */
export class LogProgress implements ProgressSink {
  constructor(private readonly log: Logger) {}
  stage(stage: string, detail?: string): void {
    this.log.info({ stage, detail }, `stage ${stage}`);
  }
  fetchPage(source: number, page: number, attempt: number, ok: boolean, instruments: number, error: string | null): void {
    if (ok) this.log.debug({ source: SOURCE_NAMES[source], page, attempt, instruments }, "instrument page fetched");
    else this.log.warn({ source: SOURCE_NAMES[source], page, attempt, err: error }, "instrument request failed");
  }
  fetchDone(f: SourceFetch): void {
    const fields = { source: SOURCE_NAMES[f.source], ok: f.ok, instruments: f.instruments.length, pages: f.pages, attempts: f.attempts, ms: f.ms };
    if (f.ok) this.log.info(fields, "instruments fetched");
    else this.log.error({ ...fields, err: f.error }, "instrument fetch failed");
  }
  normalized(source: number, accepted: number, rejected: number): void {
    this.log.info({ source: SOURCE_NAMES[source], accepted, rejected }, "normalized");
  }
  validateStart(source: number, symbols: number, batches: number): void {
    this.log.info({ source: SOURCE_NAMES[source], symbols, batches }, "ws validation started");
  }
  validateBatch(source: number, batch: number, batches: number, state: "start" | "done"): void {
    this.log.debug({ source: SOURCE_NAMES[source], batch, batches, state }, "validation batch");
  }
  validateAnswered(): void {}
  validateDone(v: SourceValidation): void {
    const pairs = [...v.pairs.values()];
    const fields = {
      source: SOURCE_NAMES[v.source],
      ok: v.ok,
      total: pairs.length,
      valid: pairs.filter((p) => p.status === "valid").length,
      no_data: pairs.filter((p) => p.status === "no_data").length,
      invalid_prices: pairs.filter((p) => p.status === "invalid_prices").length,
      rejected: pairs.filter((p) => p.status === "rejected").length,
      batches: v.batches,
      connections: v.connections,
      connection_failures: v.connectionFailures,
      ms: v.ms,
    };
    if (v.ok) this.log.info(fields, "ws validation done");
    else this.log.error({ ...fields, err: v.error }, "ws validation failed");
  }
  info(msg: string, fields: Record<string, unknown> = {}): void {
    this.log.info(fields, msg);
  }
  warn(msg: string, fields: Record<string, unknown> = {}): void {
    this.log.warn(fields, msg);
  }
  finish(ok: boolean, _table: string | null, fields: Record<string, unknown>): void {
    if (ok) this.log.info(fields, "pair discovery finished");
    else this.log.error(fields, "pair discovery failed");
  }
  close(): void {}
}

interface Row {
  fetch: string;
  parse: string;
  validate: string;
}

/** Live block of 8 source lines on a terminal, redrawn at most every 100 ms. */
export class TtyProgress implements ProgressSink {
  private readonly rows: Row[] = SOURCE_NAMES.map(() => ({ fetch: "", parse: "", validate: "" }));
  private stageText = "";
  private readonly notes: string[] = [];
  private drawn = 0;
  private dirty = false;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly batchesDone = new Map<number, number>();

  constructor(
    private readonly out: { write(s: string): unknown },
    selected: readonly number[],
  ) {
    for (let s = 0; s < SOURCE_NAMES.length; s++) if (!selected.includes(s)) this.rows[s]!.fetch = "skipped";
    this.timer = setInterval(() => this.flush(), 100);
  }

  private set(source: number, k: keyof Row, v: string): void {
    this.rows[source]![k] = v;
    this.dirty = true;
  }

  private flush(force = false): void {
    if (!this.dirty && !force) return;
    this.dirty = false;
    const lines = [`pair-discovery: ${this.stageText}`];
    SOURCE_NAMES.forEach((n, s) => {
      const r = this.rows[s]!;
      lines.push(`  ${n.padEnd(16)} ${r.fetch.padEnd(26)} ${r.parse.padEnd(16)} ${r.validate}`);
    });
    const up = this.drawn ? `\x1b[${this.drawn}A` : "";
    this.out.write(up + lines.map((l) => `\x1b[2K${l}\n`).join(""));
    this.drawn = lines.length;
  }

  stage(stage: string, detail?: string): void {
    this.stageText = detail ? `${stage} (${detail})` : stage;
    this.dirty = true;
  }
  fetchPage(source: number, page: number, attempt: number, ok: boolean, instruments: number, error: string | null): void {
    this.set(source, "fetch", ok ? `page ${page}: ${instruments}` : `page ${page} attempt ${attempt} failed`);
    if (!ok && error) this.dirty = true;
  }
  fetchDone(f: SourceFetch): void {
    this.set(f.source, "fetch", f.ok ? `ok ${f.instruments.length} (${f.pages}p, ${(f.ms / 1000).toFixed(1)}s)` : "FAILED");
    if (!f.ok && f.error) this.notes.push(f.error);
  }
  normalized(source: number, accepted: number, _rejected: number): void {
    this.set(source, "parse", `${accepted} accepted`);
  }
  validateStart(source: number, symbols: number, batches: number): void {
    this.batchesDone.set(source, 0);
    this.set(source, "validate", `0/${symbols} answered, 0/${batches} batches`);
  }
  validateBatch(source: number, _batch: number, batches: number, state: "start" | "done"): void {
    if (state === "done") this.batchesDone.set(source, (this.batchesDone.get(source) ?? 0) + 1);
    const cur = this.rows[source]!.validate.replace(/, \d+\/\d+ batches$/, "");
    this.set(source, "validate", `${cur}, ${this.batchesDone.get(source) ?? 0}/${batches} batches`);
  }
  validateAnswered(source: number, answered: number, total: number): void {
    const tail = /, \d+\/\d+ batches$/.exec(this.rows[source]!.validate)?.[0] ?? "";
    this.set(source, "validate", `${answered}/${total} answered${tail}`);
  }
  validateDone(v: SourceValidation): void {
    const pairs = [...v.pairs.values()];
    const valid = pairs.filter((p) => p.status === "valid").length;
    this.set(v.source, "validate", `${valid}/${pairs.length} valid${v.ok ? "" : " FAILED"} (${(v.ms / 1000).toFixed(1)}s)`);
    if (!v.ok && v.error) this.notes.push(v.error);
  }
  info(): void {}
  warn(msg: string): void {
    this.notes.push(msg);
  }
  finish(ok: boolean, table: string | null, fields: Record<string, unknown>): void {
    this.stageText = ok ? "done" : "FAILED";
    this.flush(true);
    clearInterval(this.timer);
    let text = "\n";
    if (table) text += table;
    for (const n of this.notes) text += `! ${n}\n`;
    if (!ok && typeof fields.error === "string") text += `FAILED: ${fields.error}\n`;
    this.out.write(text);
  }
  close(): void {
    clearInterval(this.timer);
  }
}

/** Discards everything (library use, tests). */
export class NullProgress implements ProgressSink {
  stage(): void {}
  fetchPage(): void {}
  fetchDone(): void {}
  normalized(): void {}
  validateStart(): void {}
  validateBatch(): void {}
  validateAnswered(): void {}
  validateDone(): void {}
  info(): void {}
  warn(): void {}
  finish(): void {}
  close(): void {}
}
