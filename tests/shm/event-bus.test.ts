// Event Bus: ring semantics in one process (full ring drops and counts, wrap-around, restart) and
// 1,000,000 events across two processes with no loss, duplication or reordering.
import { describe, expect, test } from "bun:test";
import { EVENTS_CAPACITY, EventBus, EventRecord, createAll, decodeEvent, encodeEvent, openAll } from "@spread/shm";
import { expectExit, prefixPerTest, spawnChild, waitFor } from "./helpers/procs.ts";
import { eventMismatch, fillEvent } from "./helpers/patterns.ts";
import { W, createScratch } from "./helpers/scratch.ts";

const freshPrefix = prefixPerTest();

describe("Event Bus, one process", () => {
  test("a full ring drops and counts; the first 65,536 events survive in order", () => {
    const prefix = freshPrefix();
    const bus = createAll(prefix).shm.events;
    const ev = new EventRecord();
    for (let i = 0; i < EVENTS_CAPACITY + 100; i++) {
      fillEvent(ev, i);
      expect(bus.push(ev)).toBe(i < EVENTS_CAPACITY);
    }
    expect(bus.dropped()).toBe(100);
    expect(bus.size()).toBe(EVENTS_CAPACITY);
    expect(bus.tryPush(ev)).toBe(false);
    expect(bus.dropped()).toBe(100); // tryPush does not count
    const got = new EventRecord();
    for (let i = 0; i < EVENTS_CAPACITY; i++) {
      expect(bus.pop(got)).toBe(true);
      if (eventMismatch(got, i)) throw new Error(eventMismatch(got, i));
    }
    expect(bus.pop(got)).toBe(false);
    // Space again after popping.
    fillEvent(ev, 7);
    expect(bus.push(ev)).toBe(true);
  });

  test("positions wrap around 2^32", () => {
    const prefix = freshPrefix();
    const shm = createAll(prefix).shm;
    const u32 = shm.regions.events.u32;
    Atomics.store(u32, 64 / 4, 0xffffff00); // head
    Atomics.store(u32, 128 / 4, 0xffffff00); // tail
    const bus = new EventBus(shm.regions.events);
    const ev = new EventRecord();
    const got = new EventRecord();
    for (let i = 0; i < 1000; i++) {
      fillEvent(ev, i);
      expect(bus.push(ev)).toBe(true);
      if (i % 3 === 0) {
        expect(bus.pop(got)).toBe(true);
      }
    }
    let next = Math.floor(999 / 3) + 1;
    while (bus.pop(got)) {
      if (eventMismatch(got, next)) throw new Error(eventMismatch(got, next));
      next++;
    }
    expect(next).toBe(1000);
    expect(bus.headPosition()).toBe((0xffffff00 + 1000) % 2 ** 32);
  });

  test("a restarted consumer resumes at the stored tail, or skips the backlog", () => {
    const prefix = freshPrefix();
    const shm = createAll(prefix).shm;
    const ev = new EventRecord();
    for (let i = 0; i < 10; i++) {
      fillEvent(ev, i);
      shm.events.push(ev);
    }
    const got = new EventRecord();
    shm.events.pop(got);
    const again = openAll(prefix).events; // a new consumer process
    again.attachConsumer();
    expect(again.pop(got)).toBe(true);
    expect(got.spotBid).toBe(1);
    expect(again.skipToHead()).toBe(8);
    expect(again.pop(got)).toBe(false);
    expect(again.consumerPid()).toBe(process.pid);
  });
});

describe("Event Bus across processes", () => {
  test("1,000,000 events: no loss, no duplicate, order kept", async () => {
    const prefix = freshPrefix();
    createAll(prefix);
    const scratch = createScratch(prefix).u32;
    const bus = openAll(prefix).events;
    bus.attachConsumer();
    const N = 1_000_000;
    const child = spawnChild("events-producer", prefix, N, 50);
    await waitFor("producer ready", () => Atomics.load(scratch, W.ready) === 1, 10_000);
    const got = new EventRecord();
    let next = 0;
    const end = Date.now() + 50_000;
    while (next < N) {
      if (bus.pop(got)) {
        if (got.spotBid !== next) throw new Error(`expected event ${next}, got ${got.spotBid}`);
        const bad = eventMismatch(got, next);
        if (bad) throw new Error(bad);
        next++;
      } else if ((next & 0xff) === 0 && Date.now() > end) {
        throw new Error(`timed out after ${next} events`);
      }
    }
    await expectExit(child, 30_000);
    expect(bus.pop(got)).toBe(false);
    expect(bus.dropped()).toBe(0);
    expect(next).toBe(N);
  }, 70_000);
});

describe("Event codec", () => {
  test("encode/decode round trip; gross/net are f32; leg ages from updated_at, clamped to 0..2^32-1", () => {
    const ev = new EventRecord();
    Object.assign(ev, { type: 1, directionId: 4, flags: 1, spotSource: 4, futuresSource: 3, symbolId: 700, grossPct: 0.123456789, netPct: -0.05, timestamp: 1_800_000_000_123_456, spotBid: 0.000012345, spotAsk: 0.000012346, futuresBid: 64_123.5, futuresAsk: 64_124.25 });
    ev.setLegTimes(ev.timestamp - 1500, ev.timestamp + 3);
    expect([ev.spotAgeUs, ev.futuresAgeUs]).toEqual([1500, 0]);
    ev.setLegTimes(0, ev.timestamp - 2 ** 33);
    expect([ev.spotAgeUs, ev.futuresAgeUs]).toEqual([2 ** 32 - 1, 2 ** 32 - 1]);
    ev.setLegTimes(ev.timestamp - 7, ev.timestamp - 250_000);
    const bytes = encodeEvent(ev);
    expect(bytes.byteLength).toBe(64);
    // Decoding from an odd offset works too (copies first).
    const shifted = new Uint8Array(65);
    shifted.set(bytes, 1);
    const back = decodeEvent(shifted.subarray(1));
    expect(back.grossPct).toBe(Math.fround(0.123456789));
    expect(back.netPct).toBe(Math.fround(-0.05));
    expect({ ...back, grossPct: 0, netPct: 0 }).toEqual({ ...ev, grossPct: 0, netPct: 0 });
    expect([back.spotUpdatedAt(), back.futuresUpdatedAt()]).toEqual([ev.timestamp - 7, ev.timestamp - 250_000]);
    expect(() => decodeEvent(new Uint8Array(63))).toThrow("63 bytes");
  });
});
