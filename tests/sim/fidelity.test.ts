// Venue behaviour the real recordings show beyond frame shapes, as the simulator's NORMAL output (no fault, no
// anomaly configured): Bybit linear sends each topic's first snapshot before the subscribe ack; OKX thin books
// carry "" prices/sizes in tickers and [] sides in bbo-tbt / books5 (and "" in the REST tickers).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SOURCE_NAMES, SourceId } from "@spread/common";
import { ADAPTERS, FrameKind, InvalidReason, QuoteRecord, SymbolTable } from "@spread/exchanges";
import type { SimHandle } from "@spread/sim";
import { EmptySide, OkxThinBooks } from "../../packages/sim/src/venues/okx/thin-book.ts";
import { fixtureJson } from "../fixtures.ts";
import { Client, getJson, shapeDiff, testSim } from "./helpers.ts";

let sim: SimHandle;
beforeAll(async () => {
  sim = await testSim({ sim: { seed: 5 }, universe: { scale: 0.3, anomalies_per_source: 0, silent_per_source: 0 }, rate: { total: 20000 }, episodes: [] });
});
afterAll(async () => {
  await sim?.stop();
});

const tradable = (s: number): string[] => sim.universe.instruments[s]!.filter((i) => i.status === "trading").map((i) => i.symbol);
const open = (s: number): Promise<Client> => Client.open(ADAPTERS[s]!.wsUrl(sim.urls[SOURCE_NAMES[s]!].ws_url));

describe("bybit: first snapshot before the subscribe ack", () => {
  /** Frame index of the ack and of each topic's first update, for one subscribe request of `symbols`. */
  async function order(s: number, symbols: string[]): Promise<{ ack: number; first: number[] }> {
    const a = ADAPTERS[s]!;
    const c = await open(s);
    try {
      for (const r of a.subscribeRequests(symbols, symbols.length, 1)) c.send(r.frame);
      const table = new SymbolTable(symbols);
      const rec = new QuoteRecord();
      const kinds = (): number[] => c.frames.map((f) => a.parse(f, rec, table));
      const firstOf = (i: number): number => c.frames.findIndex((f) => a.parse(f, rec, table) === FrameKind.Update && rec.symbolIndex === i);
      await c.until(() => kinds().includes(FrameKind.Ack) && symbols.every((_, i) => firstOf(i) >= 0), 4000, "ack and a first update per topic");
      return { ack: kinds().indexOf(FrameKind.Ack), first: symbols.map((_, i) => firstOf(i)) };
    } finally {
      c.close();
    }
  }

  test("linear: every topic's first orderbook.1 snapshot arrives before the ack, and it is a full snapshot", async () => {
    const syms = tradable(SourceId.bybit_futures).slice(0, 5);
    const { ack, first } = await order(SourceId.bybit_futures, syms);
    for (const f of first) expect(f).toBeLessThan(ack);
    const c = await open(SourceId.bybit_futures);
    try {
      c.send(`{"req_id":"7","op":"subscribe","args":["orderbook.1.${syms[0]}"]}`);
      await c.until(() => c.texts().some((t) => t.includes('"op":"subscribe"')), 3000, "ack");
      const first = JSON.parse(c.texts()[0]!);
      expect([first.topic, first.type, first.data.b.length, first.data.a.length]).toEqual([`orderbook.1.${syms[0]}`, "snapshot", 1, 1]);
    } finally {
      c.close();
    }
  });

  test("spot: the ack comes first (as recorded)", async () => {
    const syms = tradable(SourceId.bybit_spot).slice(0, 5);
    const { ack, first } = await order(SourceId.bybit_spot, syms);
    for (const f of first) expect(f).toBeGreaterThan(ack);
  });
});

describe("okx: empty sides on thin books are normal output", () => {
  test("thin instruments push [] sides (bbo-tbt) and \"\" prices and sizes (tickers); the adapter reads them as no quote", async () => {
    for (const s of [SourceId.okx_spot, SourceId.okx_futures]) {
      const a = ADAPTERS[s]!;
      const thin = new OkxThinBooks(sim.market.books[s]!);
      const syms = tradable(s);
      const thinSyms = syms.filter((x) => thin.thin[sim.universe.bySymbol[s]!.get(x)!] === 1);
      expect(thinSyms.length).toBeGreaterThan(5);
      // the busiest names are never thin
      expect(thinSyms).not.toContain(s === SourceId.okx_spot ? "BTC-USDT" : "BTC-USDT-SWAP");
      const c = await open(s);
      try {
        const args = syms.flatMap((x) => [`{"channel":"bbo-tbt","instId":"${x}"}`, `{"channel":"tickers","instId":"${x}"}`]);
        for (let k = 0; k < args.length; k += 40) c.send(`{"id":"${k}","op":"subscribe","args":[${args.slice(k, k + 40).join(",")}]}`);
        const emptyBook = () => c.texts().filter((t) => t.includes('"channel":"bbo-tbt"') && (t.includes('"asks":[]') || t.includes('"bids":[]')));
        const emptyTicker = () => c.texts().filter((t) => t.includes('"channel":"tickers"') && /"(bid|ask)Px":""/.test(t));
        await c.until(() => emptyBook().length >= 3 && emptyTicker().length >= 3, 8000, `${SOURCE_NAMES[s]} empty sides`);
        const table = new SymbolTable(syms);
        const rec = new QuoteRecord();
        for (const f of [...emptyBook(), ...emptyTicker()]) {
          expect({ f, kind: a.parse(f, rec, table), why: rec.invalidReason }).toEqual({ f, kind: FrameKind.Invalid, why: InvalidReason.EmptySide });
          // only thin books go one-sided, and only one side at a time
          expect(thinSyms).toContain(syms[rec.symbolIndex]!);
          const d = JSON.parse(f).data[0];
          if (d.bidPx !== undefined) {
            expect([d.bidPx === "", d.askPx === ""]).toEqual([d.bidSz === "", d.askSz === ""]);
            expect(d.bidPx === "" && d.askPx === "").toBe(false);
          } else expect(d.bids.length + d.asks.length).toBe(1);
        }
        // same shape as the recorded tickers push (every value a string, "" included)
        const ref = fixtureJson("okx_swap/ws_messages.json").entries[3].message;
        expect(shapeDiff(JSON.parse(emptyTicker()[0]!), ref)).toEqual([]);
        // nothing else is unusable: no anomaly is configured, so every other push is an update or a control frame
        const kinds = new Set(c.frames.map((f) => a.parse(f, rec, table)));
        expect([...kinds].filter((k) => k !== FrameKind.Update && k !== FrameKind.Ack && k !== FrameKind.Invalid)).toEqual([]);
        const invalidReasons = new Set(c.frames.filter((f) => a.parse(f, rec, table) === FrameKind.Invalid).map(() => rec.invalidReason));
        expect([...invalidReasons]).toEqual([InvalidReason.EmptySide]);
      } finally {
        c.close();
      }
    }
  });

  test("REST tickers render the same empty side as the WebSocket for the current book", async () => {
    sim.setRate(0); // a still book, so REST and the thin-book draw see the same state
    for (const s of [SourceId.okx_spot, SourceId.okx_futures]) {
      const book = sim.market.books[s]!;
      const thin = new OkxThinBooks(book);
      // A tick already in flight when the rate went to 0 can still move a book: compare only a reply during which
      // no update id changed (the draw is a function of the id).
      let r: Awaited<ReturnType<typeof getJson>>;
      for (let attempt = 1; ; attempt++) {
        const before = book.u.slice();
        r = await getJson(ADAPTERS[s]!.bookTickerUrl!(sim.urls[SOURCE_NAMES[s]!].rest_url));
        if (book.u.every((v, i) => v === before[i])) break;
        if (attempt === 20) throw new Error(`${SOURCE_NAMES[s]}: the books kept moving with the rate at 0`);
        await Bun.sleep(100); // pacing of a bounded retry (20 attempts, then a clear error)
      }
      const rows = new Map<string, any>(r.body.data.map((x: any) => [x.instId, x]));
      let empty = 0;
      for (const x of tradable(s)) {
        const row = rows.get(x);
        if (!row) continue; // dated FUTURES are not in the SWAP list
        const side = thin.emptySide(sim.universe.bySymbol[s]!.get(x)!);
        expect({ x, bid: row.bidPx === "", ask: row.askPx === "" }).toEqual({ x, bid: side === EmptySide.bid, ask: side === EmptySide.ask });
        if (side !== EmptySide.none) empty++;
      }
      expect(empty).toBeGreaterThan(0);
    }
  });
});
