// One Connection on its own (no pool): its clocks, symbols, requests in flight and rollover links change only
// through its methods, and say what the pool's decisions rely on.
import { describe, expect, test } from "bun:test";
import { Connection, ConnState, type ConnectionOwner } from "@spread/exchanges";
import { fakeFactory } from "./fake-socket.ts";
import { waitFor } from "../wait.ts";

function owner(): ConnectionOwner & { events: string[]; ops: number } {
  const o = {
    events: [] as string[],
    ops: 0,
    onConnOpen: (c: Connection) => void o.events.push(`open ${c.slot}`),
    onConnFrame: (_c: Connection, d: string | Uint8Array) => void o.events.push(`frame ${String(d)}`),
    onConnClose: (_c: Connection, code: number) => void o.events.push(`close ${code}`),
    onConnError: (_c: Connection, m: string) => void o.events.push(`error ${m}`),
    onConnOpSent: () => void o.ops++,
    sendLimits: () => ({ maxPerSec: 1000, maxOpsPerHour: 0 }),
  };
  return o;
}

describe("Connection", () => {
  test("dial, open, frames: the clocks start at open; only dataReceived moves the data clock", () => {
    const o = owner();
    const { factory, sockets } = fakeFactory();
    const c = new Connection(o, 3, ["A", "B"]);
    expect([c.state, c.live, c.openedAt]).toEqual([ConnState.Connecting, false, 0]);
    expect(c.turnCame()).toBe(true);
    c.dial(factory, "ws://x");
    expect(c.connectOverdue(c.createdAt + 10, 5)).toBe(true);
    sockets[0]!.open();
    expect(c.connectOverdue(c.createdAt + 10, 5)).toBe(false);
    expect([c.live, c.openedAt > 0, c.lastDataAt === c.openedAt, c.lastRecvAt === c.openedAt]).toEqual([true, true, true, true]);
    c.received(c.openedAt + 100);
    // openedAt is a fractional monotonic ms: differences are compared to float precision
    expect(c.lastRecvAt - c.openedAt).toBeCloseTo(100, 6);
    expect(c.lastDataAt - c.openedAt).toBe(0);
    c.dataReceived(c.openedAt + 200);
    expect(c.lastDataAt - c.openedAt).toBeCloseTo(200, 6);
    sockets[0]!.push("hello");
    expect(o.events).toEqual(["open 3", "frame hello"]);
  });

  test("ping: sent ahead of queued frames; the pong clock keeps the first outstanding ping; pong clears it", () => {
    const o = owner();
    const { factory, sockets } = fakeFactory();
    const c = new Connection(o, 0, []);
    c.turnCame();
    c.dial(factory, "ws://x");
    sockets[0]!.open();
    c.ping("PING", 1000);
    c.ping("PING", 2000);
    expect([c.lastPingAt, c.pingSentAt]).toEqual([2000, 1000]);
    c.pong();
    expect(c.pingSentAt).toBe(0);
    expect(sockets[0]!.sent).toEqual(["PING", "PING"]);
  });

  test("symbols: the connection owns a copy; add, drop and keep change only its own list", () => {
    const given = ["A", "B", "C"];
    const c = new Connection(owner(), 0, given);
    c.addSymbol("D");
    c.dropSymbol("B");
    expect(c.symbols).toEqual(["A", "C", "D"]);
    c.keepSymbols(new Set(["C", "D", "Z"]));
    expect(c.symbols).toEqual(["C", "D"]);
    expect(given).toEqual(["A", "B", "C"]);
  });

  test("requests in flight: an ack settles one; a refusal takes its request by id, else every request naming a refused symbol", () => {
    const c = new Connection(owner(), 0, []);
    c.expect("1", ["A", "B"]);
    c.expect("2", ["C", "D"]);
    c.expect("3", ["E"]);
    c.acked("3");
    expect(c.takeRefused("3", [])).toEqual([]);
    expect(c.takeRefused("1", ["C"])).toEqual([["A", "B"]]); // the id wins over the names
    expect(c.takeRefused(null, ["D", "Q"])).toEqual([["C", "D"]]);
    expect(c.takeRefused(null, ["A"])).toEqual([]);
    c.expect("4", ["F"]);
    expect(c.takeRefused("unknown", ["F"])).toEqual([["F"]]);
  });

  test("rollover links: a successor links both ways; either side unlinks both", () => {
    const o = owner();
    const old = new Connection(o, 1, ["A"]);
    const next = new Connection(o, 1, old.symbols, old);
    expect([old.successor, next.predecessor]).toEqual([next, old]);
    expect(next.symbols).not.toBe(old.symbols);
    expect(next.unlinkPredecessor()).toBe(old);
    expect([old.successor, next.predecessor]).toEqual([null, null]);
    const again = new Connection(o, 1, old.symbols, old);
    expect(old.unlinkSuccessor()).toBe(again);
    expect([old.successor, again.predecessor, old.unlinkSuccessor(), again.unlinkPredecessor()]).toEqual([null, null, null, null]);
  });

  test("close on purpose: reason kept, a pacing wait withdrawn, the owner told once", async () => {
    const o = owner();
    const c = new Connection(o, 0, []);
    let cancelled = 0;
    c.waitForTurn(() => cancelled++);
    c.close("shutdown");
    c.close("again");
    expect([c.state, c.closeReason, cancelled]).toEqual([ConnState.Closing, "shutdown", 1]);
    expect(c.turnCame()).toBe(false); // a turn that comes after the close opens nothing
    await waitFor("the connection Closed", () => c.state === ConnState.Closed, 10_000, 1, () => `state ${c.state}`);
    expect(c.state).toBe(ConnState.Closed);
    expect(o.events).toEqual(["close 1000"]);
  }, 20_000);
});
