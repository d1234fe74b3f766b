// Per-frame parse cost of the OKX and MEXC adapters next to JSON.parse / protobufjs decode (bench/harness.ts).
// Targets: OKX bbo-tbt ≤ 400 ns, MEXC spot protobuf ≤ 500 ns, MEXC futures push.ticker ≤ 400 ns; ~500-symbol table.
import protobuf from "protobufjs";
import { blackhole, measure } from "./harness.ts";
import { QuoteRecord } from "../packages/exchanges/src/types.ts";
import { SymbolTable } from "../packages/exchanges/src/symbol-table.ts";
import { parseOkx } from "../packages/exchanges/src/okx/parse.ts";
import { parseMexcFutures, parseMexcSpot } from "../packages/exchanges/src/mexc/parse.ts";
import { MEXC_PROTO } from "../tests/exchanges/helpers-okx-mexc.ts";
import { fixtureJson } from "../tests/fixtures.ts";

const N = 500;
const FRAMES = 64; // distinct frames cycled, different symbols and prices

// Deterministic pseudo-random so runs compare.
let seed = 12345;
const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const bases = Array.from({ length: N }, (_, i) => `C${i.toString(36).toUpperCase()}X`);
const okxSyms = bases.map((b) => `${b}-USDT-SWAP`);
const mexcSpotSyms = bases.map((b) => `${b}USDT`);
const mexcFutSyms = bases.map((b) => `${b}_USDT`);

function price(): string {
  return (1 + rnd() * 90000).toFixed(1 + Math.floor(rnd() * 4));
}

const okxFrames = Array.from({ length: FRAMES }, (_, k) => {
  const p = price();
  const q = (Number(p) + 0.1).toFixed(2);
  return `{"arg":{"channel":"bbo-tbt","instId":"${okxSyms[(k * 7) % N]}"},"data":[{"asks":[["${q}","${Math.floor(rnd() * 90000)}","0","2"]],"bids":[["${p}","${Math.floor(rnd() * 90000)}","0","2"]],"ts":"${1790281243450 + k}","seqId":${363996337 + k}}]}`;
});
const futFixture = fixtureJson("mexc_futures/ws_messages.json").entries.find((e: { message: { channel?: string } }) => e.message.channel === "push.ticker").message;
const futFrames = Array.from({ length: FRAMES }, (_, k) => {
  const sym = mexcFutSyms[(k * 11) % N]!;
  const bid = Number(price());
  const m = { ...futFixture, symbol: sym, data: { ...futFixture.data, symbol: sym, bid1: bid, ask1: Math.round((bid + 0.1) * 10) / 10, timestamp: 1731137509138 + k } };
  return JSON.stringify(m);
});

const Wrapper = protobuf.parse(MEXC_PROTO).root.lookupType("PushDataV3ApiWrapper");
const mexcFrames = Array.from({ length: FRAMES }, (_, k) => {
  const p = price();
  return Wrapper.encode(
    Wrapper.fromObject({
      channel: `spot@public.aggre.bookTicker.v3.api.pb@100ms@${mexcSpotSyms[(k * 13) % N]}`,
      symbol: mexcSpotSyms[(k * 13) % N],
      sendTime: 1790281243450 + k,
      publicAggreBookTicker: { bidPrice: p, bidQuantity: "0.006387", askPrice: (Number(p) + 0.01).toFixed(2), askQuantity: "5.42169969", version: "82164153436", lastOrderCreateTime: 1790281240471 + k },
    }),
  ).finish();
});

const okxTable = new SymbolTable(okxSyms);
const spotTable = new SymbolTable(mexcSpotSyms);
const futTable = new SymbolTable(mexcFutSyms);
const out = new QuoteRecord();
const M = FRAMES - 1;

// Every benchmarked frame must take the Update path (a Malformed shortcut would flatter the numbers).
const okxRelaid = okxFrames.map((f) => {
  const m = JSON.parse(f);
  return JSON.stringify({ data: [{ seqId: m.data[0].seqId, ts: m.data[0].ts, bids: m.data[0].bids, asks: m.data[0].asks }], arg: { instId: m.arg.instId, channel: "bbo-tbt" } });
});
for (const [name, fs, fn] of [
  ["okx", okxFrames, (f: string) => parseOkx(f, out, okxTable)],
  ["okx relaid", okxRelaid, (f: string) => parseOkx(f, out, okxTable)],
  ["mexc futures", futFrames, (f: string) => parseMexcFutures(f, out, futTable)],
] as const) {
  for (const f of fs) if (fn(f) !== 1 || out.symbolIndex < 0) throw new Error(`${name}: bench frame not an Update: ${f}`);
}
for (const f of mexcFrames) if (parseMexcSpot(f, out, spotTable) !== 1 || out.symbolIndex < 0) throw new Error("mexc spot: bench frame not an Update");

console.log(`frames: okx ${okxFrames[0]!.length} chars, mexc spot ${mexcFrames[0]!.length} bytes, mexc futures ${futFrames[0]!.length} chars; ${N} symbols`);
measure("okx bbo-tbt parseOkx", (i) => blackhole(parseOkx(okxFrames[i & M]!, out, okxTable) + out.symbolIndex), { target: "≤ 400 ns" });
measure("okx bbo-tbt parseOkx, keys re-ordered (member search)", (i) => blackhole(parseOkx(okxRelaid[i & M]!, out, okxTable) + out.symbolIndex), { note: "fallback layout" });
measure("okx bbo-tbt JSON.parse + lookup (reference)", (i) => {
  const m = JSON.parse(okxFrames[i & M]!);
  blackhole(okxTable.get(m.arg.instId) + parseFloat(m.data[0].bids[0][0]) + parseFloat(m.data[0].asks[0][0]));
});
measure("mexc spot aggre.bookTicker parseMexcSpot", (i) => blackhole(parseMexcSpot(mexcFrames[i & M]!, out, spotTable) + out.symbolIndex), { target: "≤ 500 ns" });
measure("mexc spot protobufjs decode+toObject (reference)", (i) => {
  const m = Wrapper.toObject(Wrapper.decode(mexcFrames[i & M]!), { longs: Number }) as { symbol: string; publicAggreBookTicker: { bidPrice: string; askPrice: string } };
  blackhole(spotTable.get(m.symbol) + parseFloat(m.publicAggreBookTicker.bidPrice) + parseFloat(m.publicAggreBookTicker.askPrice));
});
measure("mexc futures push.ticker parseMexcFutures", (i) => blackhole(parseMexcFutures(futFrames[i & M]!, out, futTable) + out.symbolIndex), { target: "≤ 400 ns" });
measure("mexc futures JSON.parse + lookup (reference)", (i) => {
  const m = JSON.parse(futFrames[i & M]!);
  blackhole(futTable.get(m.symbol) + m.data.bid1 + m.data.ask1);
});
