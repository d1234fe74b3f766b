// exitOnStopSignals: the one SIGTERM/SIGINT wiring of the long-running processes (feed, engine, tracker, alerts).
// Signals are emitted in-process; exit is replaced so the exit code is seen without ending the test runner.
import { afterEach, describe, expect, test } from "bun:test";
import { exitOnStopSignals } from "@spread/common";
import { waitFor } from "../wait.ts";

let remove: (() => void) | null = null;
afterEach(() => {
  remove?.();
  remove = null;
});

describe("exitOnStopSignals", () => {
  test("SIGTERM: the clean stop runs with the signal's name, exit 0 only after it is done", async () => {
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    remove = exitOnStopSignals(async (sig) => {
      seen.push(`stop ${sig}`);
      await gate;
      seen.push("stopped");
    }, 10_000, (code) => void seen.push(`exit ${code}`));
    process.emit("SIGTERM");
    await waitFor("the stop to start", () => seen.length > 0, 2000, 1);
    expect(seen).toEqual(["stop SIGTERM"]);
    release();
    await waitFor("the exit", () => seen.includes("exit 0"), 2000, 1);
    expect(seen).toEqual(["stop SIGTERM", "stopped", "exit 0"]);
  });

  test("SIGINT likewise; a failed stop exits 1", async () => {
    const seen: string[] = [];
    remove = exitOnStopSignals(async (sig) => {
      seen.push(`stop ${sig}`);
      throw new Error("flush failed");
    }, 10_000, (code) => void seen.push(`exit ${code}`));
    process.emit("SIGINT");
    await waitFor("the exit", () => seen.some((s) => s.startsWith("exit")), 2000, 1);
    expect(seen).toEqual(["stop SIGINT", "exit 1"]);
  });

  test("a stop that hangs: exit 0 after the hard bound", async () => {
    const seen: string[] = [];
    remove = exitOnStopSignals(() => new Promise<void>(() => {}), 30, (code) => void seen.push(`exit ${code}`));
    process.emit("SIGTERM");
    await waitFor("the hard exit", () => seen.length > 0, 2000, 5);
    expect(seen).toEqual(["exit 0"]);
  });

  test("the returned function removes both handlers", () => {
    const before = [process.listenerCount("SIGTERM"), process.listenerCount("SIGINT")];
    const off = exitOnStopSignals(() => {}, 10, () => {});
    expect([process.listenerCount("SIGTERM"), process.listenerCount("SIGINT")]).toEqual([before[0]! + 1, before[1]! + 1]);
    off();
    expect([process.listenerCount("SIGTERM"), process.listenerCount("SIGINT")]).toEqual(before);
  });
});
