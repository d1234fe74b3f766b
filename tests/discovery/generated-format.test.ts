// generated/ binary formats and loaders (@spread/common): round trips, refusal of truncated, corrupted,
// newer-version and mixed-generation files with errors naming the file, reading through an interrupted install.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  DIRECTIONS,
  GENERATED_FORMAT_VERSION,
  GeneratedFileError,
  HEADER_SIZE,
  HeaderOffset,
  PENDING_PREFIX,
  crc32,
  decodeDirections,
  decodeSourceSymbols,
  decodeSymbols,
  encodeDirections,
  encodeSourceSymbols,
  encodeSymbols,
  loadDirections,
  loadGeneration,
  loadSourceSymbols,
  loadSymbolNames,
  loadSymbols,
  type GeneratedSymbol,
} from "@spread/common";
import { buildGeneratedSet, writeGeneration, type Listing } from "@spread/discovery";
import { sampleSummary, tempDir } from "./helpers.ts";

const GEN = "0123456789abcdef";

function listing(source: number, exchangeSymbol: string, base: string, multiplier = 1): Listing {
  return {
    source,
    exchangeSymbol,
    base,
    name: `${base}-USDT`,
    multiplier,
    origin: multiplier > 1 ? "multiplier" : "plain",
    alt: null,
    params: { minQty: 0.001, maxQty: null, tickSize: 0.01, minNotional: 5, contractSize: source % 2 ? 0.01 : null },
  };
}

export const SAMPLE: Listing[] = [
  listing(0, "BTCUSDT", "BTC"),
  listing(1, "BTCUSDT", "BTC"),
  listing(3, "BTCUSDT", "BTC"),
  listing(6, "BTC-USDT", "BTC"),
  listing(7, "BTC-USDT-SWAP", "BTC"),
  listing(4, "PEPEUSDT", "PEPE"),
  listing(1, "1000PEPEUSDT", "PEPE", 1000),
  listing(5, "PEPE_USDT", "PEPE"),
  listing(2, "ETHUSDT", "ETH"),
];

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function dir(tag: string): string {
  const t = tempDir(tag);
  cleanups.push(t.cleanup);
  return t.dir;
}

async function writeSample(d: string, listings = SAMPLE) {
  const set = buildGeneratedSet(sampleSummary(listings));
  await writeGeneration(d, set.generation, set.files);
  return set;
}

function expectRefused(fn: () => unknown, reason: string, fileEnd: string, text: RegExp) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(GeneratedFileError);
  const g = err as GeneratedFileError;
  expect(g.reason as string).toBe(reason);
  expect(g.file.endsWith(fileEnd)).toBe(true);
  expect(g.message.startsWith(g.file)).toBe(true);
  expect(g.message).toMatch(text);
}

describe("crc32", () => {
  test("is the IEEE/zlib CRC-32", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe("binary round trips", () => {
  const syms: GeneratedSymbol[] = [
    { id: 0, name: "BTC-USDT", listings: [{ exchangeSymbol: "BTCUSDT", multiplier: 1, minQty: 0.00001, maxQty: 9000, tickSize: 0.01, minNotional: 5, contractSize: null }, null, null, null, null, null, null, { exchangeSymbol: "BTC-USDT-SWAP", multiplier: 1, minQty: 0.01, maxQty: null, tickSize: 0.1, minNotional: null, contractSize: 0.01 }] },
    { id: 1, name: "PEPE-USDT", listings: [null, { exchangeSymbol: "1000PEPEUSDT", multiplier: 1000, minQty: 1, maxQty: null, tickSize: 1e-7, minNotional: 5, contractSize: null }, null, null, null, null, null, null] },
  ];
  test("symbols.bin", () => {
    const bytes = encodeSymbols(GEN, syms);
    const back = decodeSymbols(bytes, "symbols.bin");
    expect(back.generation).toBe(GEN);
    expect(back.symbols).toEqual(syms);
    // header fields at their documented offsets
    const v = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe("SPSYMBOL");
    expect(v.getUint16(HeaderOffset.version, true)).toBe(GENERATED_FORMAT_VERSION);
    expect(v.getUint16(HeaderOffset.headerSize, true)).toBe(HEADER_SIZE);
    expect(v.getUint32(HeaderOffset.count, true)).toBe(2);
    expect(v.getUint32(HeaderOffset.payloadSize, true)).toBe(bytes.length - HEADER_SIZE - 4);
  });
  test("directions.bin", () => {
    const lists = DIRECTIONS.map((_, i) => (i === 2 ? [0, 1] : i === 5 ? [1] : []));
    const back = decodeDirections(encodeDirections(GEN, 2, lists), "directions.bin");
    expect(back.numSymbols).toBe(2);
    expect(back.directions.map((d) => [...d.symbols])).toEqual(lists);
    expect(back.directions[2]!.name).toBe("okx_spot_binance_futures");
  });
  test("source_symbols/<source>.bin", () => {
    const entries = [{ symbolId: 1, exchangeSymbol: "1000PEPEUSDT", multiplier: 1000 }];
    const back = decodeSourceSymbols(encodeSourceSymbols(GEN, 1, 2, entries), "x.bin", 1);
    expect(back).toEqual({ generation: GEN, source: 1, numSymbols: 2, entries });
    expect(() => decodeSourceSymbols(encodeSourceSymbols(GEN, 1, 2, entries), "x.bin", 3)).toThrow(/holds source 1 \(binance_futures\), expected 3/);
  });
});

describe("loaders on a written set", () => {
  test("every process's view: feed list, directions, names, whole set", async () => {
    const d = dir("load");
    const set = await writeSample(d);
    const names = loadSymbolNames(d);
    expect(names).toEqual(["BTC-USDT", "ETH-USDT", "PEPE-USDT"]);
    const feed = loadSourceSymbols(d, "binance_futures");
    expect(feed.generation).toBe(set.generation);
    expect(feed.entries).toEqual([
      { symbolId: 0, exchangeSymbol: "BTCUSDT", multiplier: 1 },
      { symbolId: 2, exchangeSymbol: "1000PEPEUSDT", multiplier: 1000 },
    ]);
    expect(loadSourceSymbols(d, 2).entries.map((e) => e.exchangeSymbol)).toEqual(["ETHUSDT"]);
    const dirs = loadDirections(d);
    expect([...dirs.directions[2]!.symbols]).toEqual([0]); // okx_spot → binance_futures: BTC
    expect([...dirs.directions[5]!.symbols]).toEqual([2]); // mexc_spot → binance_futures: PEPE
    expect([...dirs.directions[10]!.symbols]).toEqual([]); // binance_spot → mexc_futures: mexc_futures lists PEPE only
    const all = loadGeneration(d);
    expect(all.symbols.symbols[2]!.listings[1]!.multiplier).toBe(1000);
    expect(all.metadata.num_symbols).toBe(3);
    expect(all.metadata.generation).toBe(set.generation);
  });
});

describe("refusals name the file", () => {
  function patch(d: string, rel: string, f: (b: Uint8Array) => Uint8Array) {
    const p = join(d, rel);
    writeFileSync(p, f(new Uint8Array(readFileSync(p))));
  }
  test("truncated", async () => {
    const d = dir("trunc");
    await writeSample(d);
    patch(d, "symbols.bin", (b) => b.subarray(0, b.length - 10));
    expectRefused(() => loadSymbols(d), "truncated", "symbols.bin", /truncated: header announces \d+ payload bytes/);
    patch(d, "directions.bin", (b) => b.subarray(0, 20));
    expectRefused(() => loadDirections(d), "truncated", "directions.bin", /truncated: 20 bytes/);
  });
  test("corrupted payload byte → checksum mismatch", async () => {
    const d = dir("crc");
    await writeSample(d);
    patch(d, "source_symbols/binance_futures.bin", (b) => {
      const c = b.slice();
      c[HEADER_SIZE + 5]! ^= 0x40;
      return c;
    });
    expectRefused(() => loadSourceSymbols(d, 1), "corrupted", "source_symbols/binance_futures.bin", /checksum mismatch: stored CRC32 [0-9a-f]{8}, computed [0-9a-f]{8}/);
  });
  test("trailing garbage", async () => {
    const d = dir("trail");
    await writeSample(d);
    patch(d, "symbols.bin", (b) => new Uint8Array([...b, 0]));
    expectRefused(() => loadSymbols(d), "corrupted", "symbols.bin", /1 unexpected bytes after the checksum/);
  });
  test("newer format version", async () => {
    const d = dir("newer");
    await writeSample(d);
    patch(d, "directions.bin", (b) => {
      const c = b.slice();
      new DataView(c.buffer).setUint16(HeaderOffset.version, GENERATED_FORMAT_VERSION + 1, true);
      return c;
    });
    expectRefused(() => loadDirections(d), "newer_version", "directions.bin", /format version 2 is newer than this build reads \(1\)/);
    patch(d, "metadata.json", (b) => new TextEncoder().encode(new TextDecoder().decode(b).replace('"format_version": 1', '"format_version": 7')));
    expectRefused(() => loadSymbols(d), "newer_version", "metadata.json", /format_version 7 is newer/);
  });
  test("wrong file kind (magic)", async () => {
    const d = dir("magic");
    await writeSample(d);
    writeFileSync(join(d, "symbols.bin"), readFileSync(join(d, "directions.bin")));
    expectRefused(() => loadSymbols(d), "bad_magic", "symbols.bin", /not a symbols file: magic "SPDIRECT", expected "SPSYMBOL"/);
  });
  test("missing file", async () => {
    const d = dir("missing");
    expectRefused(() => loadSymbols(d, { attempts: 2, retryDelayMs: 1 }), "missing", "metadata.json", /missing/);
  });
  test("files of two generations are never mixed", async () => {
    const a = dir("mixA");
    const b = dir("mixB");
    await writeSample(a);
    await writeSample(b, SAMPLE.filter((l) => l.base !== "ETH"));
    writeFileSync(join(a, "directions.bin"), readFileSync(join(b, "directions.bin")));
    expectRefused(() => loadDirections(a, { attempts: 3, retryDelayMs: 1 }), "mismatch", "directions.bin", /belong to different pair-discovery runs/);
    expectRefused(() => loadGeneration(a, { attempts: 3, retryDelayMs: 1 }), "mismatch", "directions.bin", /generation [0-9a-f]{16}, but .*metadata.json names [0-9a-f]{16}/);
    // the files of the consistent set are still loadable one by one
    expect(loadSymbols(a).symbols.length).toBe(3);
  });
  test("an interrupted install is read through .pending-<generation>", async () => {
    const old = dir("pendOld");
    await writeSample(old, SAMPLE.filter((l) => l.base !== "ETH"));
    const staged = dir("pendNew");
    const set = await writeSample(staged);
    // simulate a writer killed after installing symbols.bin only: the rest still sits in .pending-<gen>
    const pending = join(old, `${PENDING_PREFIX}${set.generation}`);
    mkdirSync(join(pending, "source_symbols"), { recursive: true });
    for (const f of set.files) if (f.path !== "symbols.bin") writeFileSync(join(pending, f.path), f.bytes);
    renameSync(join(staged, "symbols.bin"), join(old, "symbols.bin"));
    const g = loadGeneration(old);
    expect(g.generation).toBe(set.generation);
    expect(g.symbols.symbols.map((s) => s.name)).toEqual(["BTC-USDT", "ETH-USDT", "PEPE-USDT"]);
  });
});
