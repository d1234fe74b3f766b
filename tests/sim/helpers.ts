// Shared helpers for the simulator tests: start/stop an in-process simulator on ephemeral ports, a WebSocket
// client that records frames and closes, and the recursive shape comparison (fixtures: tests/fixtures.ts).
import { join } from "node:path";
import { startSim, type ScenarioInput, type SimHandle, type SimOptions } from "@spread/sim";

export const SCENARIOS = join(import.meta.dir, "../../packages/sim/scenarios");
/** The simulator's exchanges config (limits and timings; ports are ephemeral in tests). */
export const SIM_EXCHANGES = join(import.meta.dir, "../../config/exchanges.sim.toml");

/** Quiet simulator on ephemeral ports; callers stop it in afterAll. */
export async function testSim(scenario: ScenarioInput | string = {}, extra: Partial<SimOptions> = {}): Promise<SimHandle> {
  const { createLogger } = await import("@spread/common");
  return startSim({ scenario, exchanges: SIM_EXCHANGES, ephemeral: true, controlPort: 0, housekeepingMs: 25, logger: createLogger("sim-test", "silent"), ...extra });
}

export type Frame = string | Uint8Array;

/** A WebSocket client that keeps every frame and the close event, with awaitable predicates. */
export class Client {
  readonly frames: Frame[] = [];
  closeCode: number | null = null;
  closeReason = "";
  pings = 0;
  private waiters: (() => void)[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;

  constructor(url: string) {
    this.ws = new WebSocket(url, { perMessageDeflate: false } as any);
    this.ws.binaryType = "arraybuffer";
    this.opened = new Promise((resolve, reject) => {
      this.ws.onopen = () => resolve();
      this.ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
    });
    this.ws.onmessage = (e) => {
      this.frames.push(typeof e.data === "string" ? e.data : new Uint8Array(e.data as ArrayBuffer));
      this.wake();
    };
    this.ws.onclose = (e) => {
      this.closeCode = e.code;
      this.closeReason = e.reason;
      this.wake();
    };
    (this.ws as any).addEventListener("ping", () => {
      this.pings++;
      this.wake();
    });
  }

  static async open(url: string): Promise<Client> {
    const c = new Client(url);
    await c.opened;
    return c;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(s: string): void {
    this.ws.send(s);
  }

  texts(): string[] {
    return this.frames.filter((f): f is string => typeof f === "string");
  }
  jsons(): any[] {
    return this.texts().filter((t) => t.startsWith("{")).map((t) => JSON.parse(t));
  }

  /** Resolves when `cond` holds (re-checked on every frame/close/ping); rejects after `ms`. */
  async until(cond: () => boolean, ms = 3000, what = "condition"): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout after ${ms} ms waiting for ${what}; got ${this.frames.length} frames, close=${this.closeCode}: ${this.texts().slice(-3).join(" | ").slice(0, 400)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** First JSON frame matching `pred` (waits for it). */
  async json(pred: (m: any) => boolean, ms = 3000, what = "frame"): Promise<any> {
    let found: any;
    await this.until(() => (found = this.jsons().find(pred)) !== undefined, ms, what);
    return found;
  }

  async closed(ms = 3000): Promise<number> {
    await this.until(() => this.closeCode !== null, ms, "close");
    return this.closeCode!;
  }

  close(): void {
    try {
      this.ws.close();
    } catch {
      // already closed
    }
  }
}

export type Shape = string | { obj: Record<string, Shape> } | { arr: Shape[] };

export function shapeOf(v: unknown): Shape {
  if (v === null) return "null";
  if (Array.isArray(v)) return { arr: v.map(shapeOf) };
  if (typeof v === "object") return { obj: Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shapeOf(x)])) };
  return typeof v;
}

function typeName(s: Shape): string {
  return typeof s === "string" ? s : "obj" in s ? "object" : "array";
}

/**
 * Recursive key-set and value-type comparison of `sim` against `ref` (a real fixture). Arrays: every sim element
 * is compared with the reference element it matches best (heterogeneous arrays like Binance filters); objects
 * carrying `filterType` are labelled by it in paths. Returns human-readable differences.
 */
export function shapeDiff(sim: unknown, ref: unknown, path = "$"): string[] {
  const a = shapeOf(sim);
  const b = shapeOf(ref);
  return diff(a, b, path, sim, ref);
}

function diff(a: Shape, b: Shape, path: string, av: any, bv: any): string[] {
  if (typeName(a) !== typeName(b)) return [`${path}: sim ${typeName(a)} vs fixture ${typeName(b)}`];
  if (typeof a === "string") return [];
  if ("obj" in a) {
    const bo = (b as { obj: Record<string, Shape> }).obj;
    const out: string[] = [];
    for (const k of Object.keys(a.obj)) if (!(k in bo)) out.push(`${path}.${k}: not in fixture`);
    for (const k of Object.keys(bo)) if (!(k in a.obj)) out.push(`${path}.${k}: missing in sim`);
    for (const k of Object.keys(a.obj)) if (k in bo) out.push(...diff(a.obj[k]!, bo[k]!, `${path}.${k}`, av[k], bv[k]));
    return out;
  }
  const ba = (b as { arr: Shape[] }).arr;
  if (a.arr.length === 0 || ba.length === 0) return [];
  const out = new Set<string>();
  a.arr.forEach((el, i) => {
    const label = av[i] && typeof av[i] === "object" && "filterType" in av[i] ? `[${av[i].filterType}]` : "[]";
    let best: string[] | null = null;
    ba.forEach((rb, j) => {
      const refLabel = bv[j] && typeof bv[j] === "object" && "filterType" in bv[j] ? `[${bv[j].filterType}]` : "[]";
      if (label !== "[]" && refLabel !== label && ba.some((_, k) => bv[k]?.filterType === av[i].filterType)) return;
      const d = diff(el, rb, `${path}${label}`, av[i], bv[j]);
      if (best === null || d.length < best.length) best = d;
    });
    for (const d of best ?? []) out.add(d);
  });
  return [...out];
}

/** Differences not covered by an allowed prefix. */
export function unexplained(diffs: string[], allowed: readonly string[]): string[] {
  return diffs.filter((d) => !allowed.some((a) => d.startsWith(a)));
}

export async function getJson(url: string): Promise<{ status: number; body: any; text: string }> {
  const r = await fetch(url);
  const text = await r.text();
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: r.status, body, text };
}

export async function postJson(url: string, data: unknown): Promise<any> {
  const r = await fetch(url, { method: "POST", body: JSON.stringify(data), headers: { "content-type": "application/json" } });
  return r.json();
}
