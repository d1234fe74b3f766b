// docs/shm-layout.md and packages/shm/src/layout.ts must agree byte for byte; the code must write
// where the doc says. The doc's constants table and struct tables are parsed here.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as layout from "../../packages/shm/src/layout.ts";
import { EventRecord, HealthRecord, PriceFlag, REGIONS, STRUCTS, createAll, encodeEvent, unlinkAll, type Shm } from "@spread/shm";
import { uniquePrefix } from "./helpers/scratch.ts";

const DOC = readFileSync(join(import.meta.dir, "../../docs/shm-layout.md"), "utf8");

function tableAfter(marker: string): string[][] {
  const at = DOC.indexOf(marker);
  if (at < 0) throw new Error(`docs/shm-layout.md: marker ${marker} not found`);
  // From the marker's own line: an HTML comment before the table, or the table's header row itself.
  const lines = DOC.slice(DOC.lastIndexOf("\n", at) + 1).split("\n").map((l) => l.trim());
  const start = lines.findIndex((l) => l.startsWith("|"));
  const rows: string[][] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith("|")) break;
    rows.push(l.slice(1, -1).split("|").map((c) => c.trim()));
  }
  return rows;
}

/** Every numeric constant exported by layout.ts, objects flattened as Name.key. */
function codeConstants(): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, v] of Object.entries(layout)) {
    if (typeof v === "number") out.set(name, v);
    else if (v && typeof v === "object" && !Array.isArray(v) && !("fields" in v)) {
      for (const [k, n] of Object.entries(v)) if (typeof n === "number") out.set(`${name}.${k}`, n);
    }
  }
  return out;
}

describe("docs/shm-layout.md ↔ layout.ts", () => {
  test("constants table lists every constant with the code's value", () => {
    const doc = new Map(tableAfter("<!-- constants -->").map(([name, value]) => [name!.replace(/`/g, ""), Number(value!.split(" ")[0])]));
    const code = codeConstants();
    expect([...doc.keys()].sort()).toEqual([...code.keys()].sort());
    for (const [name, value] of code) expect({ name, value: doc.get(name) }).toEqual({ name, value });
  });

  test("every struct table matches the struct definition", () => {
    for (const s of STRUCTS) {
      const rows = tableAfter(`<!-- struct ${s.name} ${s.size} -->`);
      const doc = rows.map(([off, type, field]) => `${off} ${type} ${field}`);
      const code = s.fields.map((f) => `${f.offset} ${f.type === "bytes" ? "u8" : f.type}${f.count > 1 || f.type === "bytes" ? `[${f.count}]` : ""} ${f.name}`);
      expect({ struct: s.name, fields: doc }).toEqual({ struct: s.name, fields: code });
    }
  });

  test("structs tile their size exactly and keep natural alignment", () => {
    for (const s of STRUCTS) {
      let at = 0;
      for (const f of s.fields) {
        expect({ field: `${s.name}.${f.name}`, offset: f.offset }).toEqual({ field: `${s.name}.${f.name}`, offset: at });
        const elem = f.type === "bytes" || f.type === "u8" ? 1 : f.type === "u16" ? 2 : f.type === "u32" || f.type === "f32" ? 4 : 8;
        expect(f.offset % elem).toBe(0);
        at += f.size;
      }
      expect(at).toBe(s.size);
    }
  });

  test("region sizes: header + entries, entries cache-line aligned", () => {
    expect(layout.SEQS_SIZE).toBe(524_352);
    expect(layout.DATA_SIZE).toBe(524_352);
    expect(layout.EVENTS_SIZE).toBe(64 + 128 + 65_536 * 64);
    expect(layout.CONTROL_SIZE - layout.HEADER_SIZE).toBe(256);
    const docSizes = new Map(tableAfter("| region | file |").map(([k, , size]) => [k!, Number(size!.replace(/,/g, ""))]));
    for (const r of REGIONS) {
      expect(r.entriesOffset % 64).toBe(0);
      expect(r.entriesOffset + r.entrySize * r.entryCount).toBe(r.size);
      expect({ region: r.key, size: docSizes.get(r.key) }).toEqual({ region: r.key, size: r.size });
    }
    const geometry = tableAfter("| region | entry_size |");
    for (const [key, entrySize, entryCount, entriesOffset, numSources, maxSymbols] of geometry) {
      const r = REGIONS.find((x) => x.key === key)!;
      expect([r.entrySize, r.entryCount, r.entriesOffset, r.numSources, r.maxSymbols]).toEqual([entrySize, entryCount, entriesOffset, numSources, maxSymbols].map(Number));
    }
  });

  test("the C sketch compiles and agrees with every offset (cc)", () => {
    const cc = Bun.which("cc");
    if (!cc) {
      console.warn("cc not found: C sketch check skipped");
      return;
    }
    const src = /```c\n([\s\S]*?)```/.exec(DOC)![1]!;
    const snake = (n: string) => n.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
    const asserts = STRUCTS.flatMap((s) => [
      `_Static_assert(sizeof(struct ss_${snake(s.name)}) == ${s.size}, "${s.name}");`,
      ...s.fields.map((f) => `_Static_assert(offsetof(struct ss_${snake(s.name)}, ${f.name}) == ${f.offset}, "${s.name}.${f.name}");`),
    ]);
    const p = Bun.spawnSync([cc, "-std=c11", "-fsyntax-only", "-x", "c", "-"], { stdin: Buffer.from(`${src}\n${asserts.join("\n")}\n`) });
    expect(p.stderr.toString()).toBe("");
    expect(p.exitCode).toBe(0);
  });
});

describe("the code writes where the doc says", () => {
  const prefix = uniquePrefix();
  let shm: Shm;
  beforeAll(() => {
    shm = createAll(prefix).shm;
  });
  afterAll(() => {
    unlinkAll(prefix);
  });

  const dv = (key: keyof Shm["regions"]) => new DataView(shm.regions[key].buffer);

  test("headers", () => {
    for (const r of REGIONS) {
      const h = dv(r.key);
      expect([h.getUint32(0, true), h.getUint32(4, true), h.getUint32(8, true), h.getUint32(12, true)]).toEqual([r.magic, r.version, r.size, 64]);
      expect([h.getUint32(16, true), h.getUint32(20, true), h.getUint32(24, true)]).toEqual([r.entrySize, r.entryCount, r.entriesOffset]);
      expect([h.getUint16(42, true), h.getUint16(44, true)]).toEqual([r.numSources, r.maxSymbols]);
      expect(Math.abs(Number(h.getBigUint64(32, true)) - Date.now() * 1000)).toBeLessThan(60e6);
      const magicText = String.fromCharCode(...new Uint8Array(shm.regions[r.key].buffer, 0, 4));
      expect(DOC).toContain(`"${magicText}"`);
    }
    shm.prices.setNumSymbols(682);
    expect([dv("seqs").getUint16(40, true), dv("data").getUint16(40, true)]).toEqual([682, 682]);
  });

  test("price entry at 64 + (symbol × 8 + source) × 64", () => {
    const t = 1_700_000_123_456_789;
    shm.prices.write(5, 300, 1.25, 1.5, 7, 8, t - 5, t, 987_654_321);
    const b = 64 + (300 * 8 + 5) * 64;
    const d = dv("data");
    expect([d.getFloat64(b, true), d.getFloat64(b + 8, true), Number(d.getBigUint64(b + 16, true))]).toEqual([1.25, 1.5, t]);
    expect([d.getFloat64(b + 24, true), d.getFloat64(b + 32, true)]).toEqual([7, 8]);
    expect([Number(d.getBigUint64(b + 40, true)), Number(d.getBigUint64(b + 48, true)), d.getUint32(b + 56, true), d.getUint32(b + 60, true)]).toEqual([t - 5, 987_654_321, PriceFlag.valid, 0]);
    expect(dv("seqs").getBigUint64(b, true)).toBe(2n);
    shm.prices.setStale(5, 300, true);
    expect(d.getUint32(b + 56, true)).toBe(PriceFlag.valid | PriceFlag.stale);
    expect(dv("seqs").getUint32(b, true)).toBe(4);
  });

  test("bitmap bit at 64 + source × 128 + (symbol >> 5) × 4, bit symbol & 31", () => {
    shm.bitmap.set(6, 1000);
    expect(dv("bitmap").getUint32(64 + 6 * 128 + 31 * 4, true)).toBe(1 << (1000 & 31));
  });

  test("event at 192 + (position & 65535) × 64, head at 64, tail at 128", () => {
    const ev = new EventRecord();
    Object.assign(ev, { type: 1, directionId: 11, flags: 3, spotSource: 6, futuresSource: 5, symbolId: 1023, grossPct: 1.5, netPct: -0.25, timestamp: 1.7e15 + 1, spotBid: 2.25, spotAsk: 2.5, futuresBid: 2.75, futuresAsk: 3, spotAgeUs: 4_000_000_000, futuresAgeUs: 17 });
    shm.events.push(ev);
    const d = dv("events");
    const b = 192;
    expect([d.getUint8(b), d.getUint8(b + 1), d.getUint8(b + 2), d.getUint8(b + 3), d.getUint16(b + 4, true), d.getUint8(b + 6), d.getUint8(b + 7)]).toEqual([1, 11, 3, 6, 1023, 5, 0]);
    expect([d.getFloat32(b + 8, true), d.getFloat32(b + 12, true), Number(d.getBigUint64(b + 16, true))]).toEqual([1.5, -0.25, 1.7e15 + 1]);
    expect([d.getFloat64(b + 24, true), d.getFloat64(b + 32, true), d.getFloat64(b + 40, true), d.getFloat64(b + 48, true)]).toEqual([2.25, 2.5, 2.75, 3]);
    expect([d.getUint32(b + 56, true), d.getUint32(b + 60, true)]).toEqual([4_000_000_000, 17]);
    expect([d.getUint32(64, true), d.getUint32(128, true)]).toEqual([1, 0]);
    // The standalone codec writes the same 64 bytes.
    expect([...encodeEvent(ev)]).toEqual([...new Uint8Array(shm.regions.events.buffer, b, 64)]);
  });

  test("tracked entry at 128 + (direction × 1024 + symbol) × 16; owners at 64", () => {
    const t = shm.tracked;
    const epoch = t.attachTracker(4242);
    t.attachEngine(4343);
    expect(t.tryClaim(7, 900, 1_800_000_000)).toBe(true);
    expect(t.markTracked(7, 900, epoch)).toBe(true);
    const d = dv("tracked");
    const b = 128 + (7 * 1024 + 900) * 16;
    expect([d.getUint32(b, true), d.getUint32(b + 4, true), d.getUint32(b + 8, true), d.getUint32(b + 12, true)]).toEqual([2, 1_800_000_000, epoch, 1]);
    expect([d.getUint32(64, true), d.getUint32(68, true), d.getUint32(72, true)]).toEqual([epoch, 4242, 4343]);
  });

  test("funding entry at 64 + (symbol × 8 + source) × 64", () => {
    shm.funding.write(5, 321, 0.000125, Number.NaN, 1.79e15, 240, 1.7e15 + 3, 1.7e15 + 9, 123456);
    const d = dv("funding");
    const b = 64 + (321 * 8 + 5) * 64;
    expect([d.getUint32(b, true), d.getUint32(b + 4, true), d.getFloat64(b + 8, true), d.getFloat64(b + 16, true)]).toEqual([2, 1, 0.000125, Number.NaN]);
    const u64 = (o: number) => d.getUint32(b + o + 4, true) * 2 ** 32 + d.getUint32(b + o, true);
    expect([u64(24), u64(32), u64(40), u64(48), d.getUint32(b + 56, true), d.getUint32(b + 60, true)]).toEqual([1.79e15, 1.7e15 + 9, 1.7e15 + 3, 123456, 240, 0]);
  });

  test("health slot at 64 + slot × 64; control block at 64, wake channels at 128 + 64 × n", () => {
    const h = new HealthRecord();
    Object.assign(h, { kind: 1, state: 3, lastError: 5, pid: 4321, reconnects: 9, heartbeatAt: 1.7e15 + 7, startedAt: 1.7e15, messages: 2 ** 40, updates: 77, invalid: 6, connectionsUp: 4, symbolsLive: 600, symbolsStale: 3, symbolsRejected: 2, configGeneration: 12 });
    shm.health.write(7, h);
    const d = dv("health");
    const b = 64 + 7 * 64;
    expect([d.getUint32(b, true), d.getUint8(b + 4), d.getUint8(b + 5), d.getUint16(b + 6, true), d.getUint32(b + 8, true), d.getUint32(b + 12, true)]).toEqual([2, 1, 3, 5, 4321, 9]);
    expect([Number(d.getBigUint64(b + 16, true)), Number(d.getBigUint64(b + 24, true)), d.getFloat64(b + 32, true), d.getFloat64(b + 40, true)]).toEqual([1.7e15 + 7, 1.7e15, 2 ** 40, 77]);
    expect([d.getUint32(b + 48, true), d.getUint16(b + 52, true), d.getUint16(b + 54, true), d.getUint16(b + 56, true), d.getUint16(b + 58, true), d.getUint32(b + 60, true)]).toEqual([6, 4, 600, 3, 2, 12]);

    const c = dv("control");
    shm.control.setGlobalFlag(layout.GlobalFlag.pause, true);
    shm.control.bumpConfigGeneration(1.7e15 + 9);
    shm.control.sendCommand(9, layout.Command.shutdown);
    shm.waker(layout.WakeChannel.tracker).wake();
    expect([c.getUint32(64, true), c.getUint32(68, true), Number(c.getBigUint64(72, true)), c.getUint8(80 + 9)]).toEqual([2, 1, 1.7e15 + 9, 8]);
    expect(c.getUint32(128 + 64 * 1, true)).toBe(1);
  });
});
