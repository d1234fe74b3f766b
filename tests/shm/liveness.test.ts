// slotLiveness: the reader's verdict on a slot owner from its pid and heartbeat age (docs/shm-layout.md, Staleness).
import { describe, expect, test } from "bun:test";
import { HEARTBEAT_FUTURE_SKEW_MS, HEARTBEAT_MAX_AGE_MS, HealthRecord, HealthState, slotLiveness } from "@spread/shm";

function owner(heartbeatAt: number, state: number = HealthState.running): HealthRecord {
  const r = new HealthRecord();
  r.kind = 1;
  r.pid = process.pid;
  r.state = state;
  r.heartbeatAt = heartbeatAt;
  return r;
}

describe("slotLiveness", () => {
  const now = 1_900_000_000_000_000; // wall µs

  test("a heartbeat a fraction of a ms ahead of a ms-resolution reader is alive (it was taken as hung)", () => {
    // The writer stamped µs; the reader's now is Date.now() * 1000, truncated to the ms.
    expect(slotLiveness(owner(now + 700), now)).toBe("alive");
    expect(slotLiveness(owner(now + HEARTBEAT_FUTURE_SKEW_MS * 1000), now)).toBe("alive");
  });

  test("a heartbeat further in the future than the skew bound is garbage: hung", () => {
    expect(slotLiveness(owner(now + HEARTBEAT_FUTURE_SKEW_MS * 1000 + 1), now)).toBe("hung");
  });

  test("age bounds: alive up to the bound, hung beyond; dead pid and stopped state win", () => {
    expect(slotLiveness(owner(now - HEARTBEAT_MAX_AGE_MS * 1000), now)).toBe("alive");
    expect(slotLiveness(owner(now - HEARTBEAT_MAX_AGE_MS * 1000 - 1), now)).toBe("hung");
    expect(slotLiveness(owner(now - 10, HealthState.stopped), now)).toBe("stopped");
    const gone = owner(now);
    gone.pid = 4194303; // no such process here (PID_MAX_LIMIT - 1)
    expect(slotLiveness(gone, now)).toBe("dead");
    expect(slotLiveness(new HealthRecord(), now)).toBe("empty");
  });
});
