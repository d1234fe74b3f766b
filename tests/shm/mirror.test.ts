// ShmMirror (the long-lived private copy spread-web reads): it reports exactly the Price Store entries whose seq
// moved, never an entry a writer holds odd (mid-write), reads the regions' recreation as a new epoch, and reports
// a missing region by its path instead of throwing.
import { afterEach, describe, expect, test } from "bun:test";
import { monoMicros, wallMicros } from "@spread/common";
import { FundingValue, HEADER_SIZE, HealthRecord, NUM_SOURCES, PRICE_ENTRY_SIZE, PriceRecord, ShmMirror, createAll, seqWriteBegin, seqWriteEnd, unlinkAll } from "@spread/shm";
import { uniquePrefix } from "./helpers/scratch.ts";

const prefixes: string[] = [];
afterEach(() => {
  for (const p of prefixes.splice(0)) unlinkAll(p);
});

function setup(numSymbols = 20) {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const { shm } = createAll(prefix);
  shm.prices.setNumSymbols(numSymbols);
  return { prefix, shm, mirror: new ShmMirror(prefix) };
}

const changed = (m: ShmMirror) => [...m.changedPrices.subarray(0, m.changedPriceCount)].sort((a, b) => a - b);
const entry = (src: number, sym: number) => sym * NUM_SOURCES + src;

describe("ShmMirror", () => {
  test("lists exactly the entries written since the last refresh; nothing when nothing moved", () => {
    const { shm, mirror } = setup();
    expect(mirror.refreshPrices()).toBe(true);
    expect(mirror.changedPriceCount).toBe(0);
    shm.prices.write(3, 7, 10, 11, 1, 1, 0, wallMicros(), monoMicros());
    shm.prices.write(0, 2, 20, 21, 1, 1, 0, wallMicros(), monoMicros());
    shm.prices.write(0, 2, 22, 23, 1, 1, 0, wallMicros(), monoMicros());
    mirror.refreshPrices();
    expect(changed(mirror)).toEqual([entry(0, 2), entry(3, 7)]);
    const rec = new PriceRecord();
    expect(mirror.shm.prices.readQuote(0, 2, rec)).toBe(true);
    expect([rec.bid, rec.ask]).toEqual([22, 23]);
    mirror.refreshPrices();
    expect(mirror.changedPriceCount).toBe(0);
    // Entries beyond num_symbols are neither copied nor reported.
    shm.prices.write(1, 25, 5, 6, 1, 1, 0, wallMicros(), monoMicros());
    mirror.refreshPrices();
    expect(mirror.changedPriceCount).toBe(0);
  });

  test("an entry held odd by a writer is not reported (and reads busy) until the write ends", () => {
    const { shm, mirror } = setup();
    shm.prices.write(5, 4, 1, 2, 1, 1, 0, wallMicros(), monoMicros());
    mirror.refreshPrices();
    expect(changed(mirror)).toEqual([entry(5, 4)]);
    const seqs = shm.regions.seqs.u32;
    const w = (HEADER_SIZE + entry(5, 4) * PRICE_ENTRY_SIZE) / 4;
    const even = seqWriteBegin(seqs, w);
    shm.prices.write(6, 4, 3, 4, 1, 1, 0, wallMicros(), monoMicros());
    mirror.refreshPrices();
    expect(changed(mirror)).toEqual([entry(6, 4)]);
    expect(mirror.shm.prices.readQuote(5, 4, new PriceRecord())).toBe(false);
    seqWriteEnd(seqs, w, even);
    mirror.refreshPrices();
    expect(changed(mirror)).toEqual([entry(5, 4)]);
  });

  test("funding and Health copies follow their regions; a torn Health slot reads inconsistent", () => {
    const { shm, mirror } = setup();
    mirror.refreshPrices();
    shm.funding.write(1, 3, 0.0001, Number.NaN, 1_800_000_000_000_000, 480, 0, wallMicros(), monoMicros());
    expect(mirror.refreshFunding()).toBe(true);
    const fv = new FundingValue();
    expect(mirror.shm.funding.read(1, 3, fv)).toBe(true);
    expect([fv.rate, fv.intervalMin, fv.nextFundingAt]).toEqual([0.0001, 480, 1_800_000_000_000_000]);
    const w = (HEADER_SIZE + 2 * PRICE_ENTRY_SIZE) / 4;
    const even = seqWriteBegin(shm.regions.health.u32, w);
    mirror.refreshHealth();
    const rec = new HealthRecord();
    expect(mirror.shm.health.read(2, rec)).toBe(false);
    seqWriteEnd(shm.regions.health.u32, w, even);
    mirror.refreshHealth();
    expect(mirror.shm.health.read(2, rec)).toBe(true);
  });

  test("a region recreated (shm-init --force) is a new epoch: every written entry is reported again", () => {
    const { prefix, shm, mirror } = setup();
    shm.prices.write(2, 1, 1, 2, 1, 1, 0, wallMicros(), monoMicros());
    mirror.refreshPrices();
    const epoch = mirror.epoch;
    unlinkAll(prefix);
    // created_at is in µs: make sure the new regions carry another one.
    Bun.sleepSync(2);
    const again = createAll(prefix).shm;
    again.prices.setNumSymbols(20);
    again.prices.write(2, 1, 1, 2, 1, 1, 0, wallMicros(), monoMicros());
    expect(mirror.refreshPrices()).toBe(true);
    expect(mirror.epoch).toBeGreaterThan(epoch);
    expect(changed(mirror)).toEqual([entry(2, 1)]);
  });

  test("a missing region: no view, a problem naming its path, no throw", () => {
    const prefix = uniquePrefix();
    const mirror = new ShmMirror(prefix);
    expect(mirror.refreshPrices()).toBe(false);
    expect(mirror.view).toBeUndefined();
    expect(mirror.problem).toContain(`/dev/shm/${prefix}-seqs`);
    expect(mirror.refreshHealth()).toBe(false);
    expect(mirror.refreshFunding()).toBe(false);
  });
});
