// What spread-alerts says: the events it reports and their text, one neutral shape (a title and lines) that
// each channel renders with its own markup and escaping (render.ts).
import type { CloseReason } from "@spread/tracker";

export interface OpenedEvent {
  readonly kind: "opened";
  readonly direction: string;
  readonly spotSource: string;
  readonly futuresSource: string;
  readonly symbol: string;
  readonly openedAtMs: number;
  readonly grossPct: number;
  readonly netPct: number;
  readonly spotAsk: number;
  readonly futuresBid: number;
  /** Funding rate of the futures leg in percent per interval; null while the system does not collect it. */
  readonly fundingPct: number | null;
  readonly thresholdPct: number;
  readonly thresholdOn: "gross" | "net";
}

export interface ClosedEvent {
  readonly kind: "closed";
  readonly direction: string;
  readonly symbol: string;
  readonly reason: CloseReason;
  readonly openedAtMs: number;
  readonly closedAtMs: number;
  readonly peakGrossPct: number | null;
  /** The tracking's line of the summary file (docs/formats.md), or null when it could not be read. */
  readonly summary: string | null;
}

export interface SystemEvent {
  readonly kind: "system";
  /** Identifies the condition: a problem and its recovery share it (feed:okx_spot, discovery, tracker-disk). */
  readonly key: string;
  /** true: the problem began; false: it recovered. */
  readonly problem: boolean;
  readonly text: string;
  readonly atMs: number;
}

export interface DigestEvent {
  readonly kind: "digest";
  readonly count: number;
  readonly windowS: number;
  /** A few of the pairs left out, for a glance. */
  readonly sample: readonly string[];
}

export interface TestEvent {
  readonly kind: "test";
  readonly channel: string;
  readonly atMs: number;
}

export type AlertEvent = OpenedEvent | ClosedEvent | SystemEvent | DigestEvent | TestEvent;

/** The neutral message: `title` is shown bold, `lines` plain; `code` (the summary line) monospace. */
export interface Message {
  readonly title: string;
  readonly lines: readonly string[];
  readonly code?: string;
}

const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? "n/a" : `${x.toFixed(4).replace(/\.?0+$/, "")} %`);
const iso = (ms: number) => new Date(ms).toISOString();

export function durationText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${String(m).padStart(2, "0")}m ${String(s % 60).padStart(2, "0")}s` : m > 0 ? `${m}m ${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

export function windowText(s: number): string {
  return s === 60 ? "the last minute" : s % 60 === 0 ? `the last ${s / 60} minutes` : `the last ${s} s`;
}

export function toMessage(e: AlertEvent): Message {
  switch (e.kind) {
    case "opened":
      return {
        title: `OPENED ${e.symbol} net ${pct(e.netPct)} gross ${pct(e.grossPct)}`,
        lines: [
          `buy ${e.spotSource} at ${e.spotAsk} (ask), sell ${e.futuresSource} at ${e.futuresBid} (bid)`,
          `direction ${e.direction}, alert at ${e.thresholdOn} >= ${pct(e.thresholdPct)}`,
          `funding: ${e.fundingPct === null ? "n/a" : pct(e.fundingPct)}`,
          `opened ${iso(e.openedAtMs)}`,
        ],
      };
    case "closed":
      return {
        title: `CLOSED ${e.symbol} ${e.reason} after ${durationText(e.closedAtMs - e.openedAtMs)}`,
        lines: [`direction ${e.direction}, peak gross ${pct(e.peakGrossPct)}`, `opened ${iso(e.openedAtMs)}, closed ${iso(e.closedAtMs)}`],
        ...(e.summary !== null ? { code: e.summary } : {}),
      };
    case "system":
      return { title: `${e.problem ? "PROBLEM" : "RECOVERED"} ${e.key}`, lines: [e.text, `at ${iso(e.atMs)}`] };
    case "digest":
      return {
        title: `and ${e.count} more opened in ${windowText(e.windowS)}`,
        lines: e.sample.length ? [`${e.sample.join(", ")}${e.count > e.sample.length ? ", ..." : ""}`] : [],
      };
    case "test":
      return { title: "spread-alerts test message", lines: [`channel ${e.channel}, sent ${iso(e.atMs)}`] };
  }
}

/** Delivery priority: 0 first. Under pressure the queue drops the oldest message of the highest number. */
export function priorityOf(e: AlertEvent): number {
  return e.kind === "system" || e.kind === "test" ? 0 : e.kind === "closed" || e.kind === "digest" ? 1 : 2;
}
