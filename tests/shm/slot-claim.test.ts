// One writer per Health slot: claimSlot's OFD lock (the multi-process paths, kill -9 of the holder included,
// are exercised with real feeds in tests/feed/feed-lifecycle.test.ts).
import { afterEach, expect, test } from "bun:test";
import { HealthSlot } from "@spread/common";
import { HealthRecord, SlotBusyError, claimSlot, createAll, unlinkAll } from "@spread/shm";
import { uniquePrefix } from "./helpers/scratch.ts";

let prefix = "";
afterEach(() => {
  if (prefix) unlinkAll(prefix);
});

test("a claimed slot refuses a second claim, naming the pid in the slot; release frees it", () => {
  prefix = uniquePrefix();
  const { shm } = createAll(prefix);
  const a = claimSlot(prefix, HealthSlot.engine, shm.health);
  const h = new HealthRecord();
  h.pid = 424242;
  shm.health.write(HealthSlot.engine, h);
  let err: unknown;
  try {
    claimSlot(prefix, HealthSlot.engine, shm.health);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SlotBusyError);
  expect((err as SlotBusyError).holderPid).toBe(424242);
  expect((err as Error).message).toBe(`engine is already running on shm prefix "${prefix}": Health slot 8 is held by pid 424242; stop that process first (only one writer per slot)`);
  // Other slots are independent.
  const t = claimSlot(prefix, HealthSlot.tracker, shm.health);
  a.release();
  a.release();
  const b = claimSlot(prefix, HealthSlot.engine, shm.health);
  b.release();
  t.release();
});
