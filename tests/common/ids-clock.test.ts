// Numeric ids exactly as the architecture assigns them, and clocks that agree across processes.
import { describe, expect, test } from "bun:test";
import { DIRECTIONS, MAX_SYMBOLS, monoMicros, NUM_SOURCES, parseSourceName, SOURCE_NAMES, SourceId, wallMicros } from "@spread/common";

describe("ids", () => {
  test("source ids = Price Store regions of A.7", () => {
    expect(SourceId).toEqual({ binance_spot: 0, binance_futures: 1, bybit_spot: 2, bybit_futures: 3, mexc_spot: 4, mexc_futures: 5, okx_spot: 6, okx_futures: 7 });
    SOURCE_NAMES.forEach((n, i) => expect(parseSourceName(n)).toBe(i));
    expect(() => parseSourceName("kraken_spot")).toThrow('unknown source "kraken_spot"');
    expect([NUM_SOURCES, MAX_SYMBOLS]).toEqual([8, 1024]);
  });
  test("direction ids = table A.4", () => {
    expect(DIRECTIONS.map((d) => `${d.id} ${SOURCE_NAMES[d.spot]}→${SOURCE_NAMES[d.futures]}`)).toEqual([
      "0 okx_spot→mexc_futures", "1 okx_spot→bybit_futures", "2 okx_spot→binance_futures",
      "3 mexc_spot→okx_futures", "4 mexc_spot→bybit_futures", "5 mexc_spot→binance_futures",
      "6 bybit_spot→okx_futures", "7 bybit_spot→mexc_futures", "8 bybit_spot→binance_futures",
      "9 binance_spot→okx_futures", "10 binance_spot→mexc_futures", "11 binance_spot→bybit_futures",
    ]);
  });
});

describe("clocks", () => {
  test("wallMicros tracks Date.now and is exact in a double", () => {
    const w = wallMicros();
    expect(Math.abs(w / 1000 - Date.now())).toBeLessThan(50);
    expect(Number.isSafeInteger(w)).toBe(true);
  });
  test("monoMicros of two processes are comparable (CLOCK_MONOTONIC, not process-relative)", async () => {
    const before = monoMicros();
    const p = Bun.spawn([process.execPath, "-e", 'import { monoMicros } from "@spread/common"; console.log(monoMicros())'], { stdout: "pipe", cwd: import.meta.dir, env: process.env });
    const child = Number((await new Response(p.stdout).text()).trim());
    const after = monoMicros();
    expect(child).toBeGreaterThanOrEqual(before);
    expect(child).toBeLessThanOrEqual(after);
  });
});
