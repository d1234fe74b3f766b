// SlotCommands: the one place feed, engine, tracker and alerts turn their Control commands into what they do
// (kill: last words then exit 1; shutdown: the clean stop then exit 0; pause/resume; stale commands dropped).
import { describe, expect, test } from "bun:test";
import { Command, GlobalFlag, SlotCommands, createAll, type CommandedProcess, type Control } from "@spread/shm";
import { prefixPerTest } from "./helpers/procs.ts";
import { waitFor } from "../wait.ts";

const freshPrefix = prefixPerTest();

const SLOT = 5;

/** A process that records what SlotCommands made it do, in order. */
function recorder(stop: () => Promise<void> = async () => {}) {
  const seen: string[] = [];
  const owner: CommandedProcess = {
    log: { warn: (msg) => seen.push(`warn ${msg}`) },
    killed: () => seen.push("killed"),
    shutdown: async (reason) => {
      seen.push(`shutdown ${reason}`);
      await stop();
      seen.push("stopped");
    },
  };
  return { seen, owner, exit: (code: number) => void seen.push(`exit ${code}`) };
}

function fresh(): Control {
  return createAll(freshPrefix()).shm.control;
}

describe("SlotCommands", () => {
  test("no command: keeps running and touches nothing", () => {
    const control = fresh();
    const r = recorder();
    const cmds = new SlotCommands(control, SLOT, r.owner, r.exit);
    expect(cmds.act()).toBe(true);
    expect(r.seen).toEqual([]);
  });

  test("kill: warns, writes the last words, exits 1 at once, before any shutdown", () => {
    const control = fresh();
    const r = recorder();
    const cmds = new SlotCommands(control, SLOT, r.owner, r.exit);
    control.sendCommand(SLOT, Command.shutdown);
    control.sendCommand(SLOT, Command.kill);
    expect(cmds.act()).toBe(false);
    expect(r.seen).toEqual(["warn kill command received", "killed", "exit 1"]);
    expect(control.pendingCommands(SLOT)).toBe(0);
  });

  test("shutdown command: runs the clean stop, exits 0 only after it settles", async () => {
    const control = fresh();
    let release!: () => void;
    const gate = new Promise<void>((res) => (release = res));
    const r = recorder(() => gate);
    const cmds = new SlotCommands(control, SLOT, r.owner, r.exit);
    control.sendCommand(SLOT, Command.shutdown);
    expect(cmds.act()).toBe(false);
    // The gate holds the clean stop open, so nothing past its start can come while we wait.
    await waitFor("the clean stop to start", () => r.seen.length > 0, 10_000, 1, () => r.seen);
    expect(r.seen).toEqual(["shutdown shutdown command"]);
    release();
    await gate;
    await waitFor("exit 0 after the clean stop", () => r.seen.includes("exit 0"), 10_000, 1, () => r.seen);
    expect(r.seen).toEqual(["shutdown shutdown command", "stopped", "exit 0"]);
  }, 20_000);

  test("a failing clean stop exits 1", async () => {
    const control = fresh();
    const r = recorder(async () => {
      throw new Error("disk gone");
    });
    const cmds = new SlotCommands(control, SLOT, r.owner, r.exit);
    control.sendCommand(SLOT, Command.shutdown);
    expect(cmds.act()).toBe(false);
    await waitFor("exit 1 after the failed clean stop", () => r.seen.includes("exit 1"), 10_000, 1, () => r.seen);
    expect(r.seen).toEqual(["shutdown shutdown command", "exit 1"]);
  }, 20_000);

  test("the global shutdown flag stops every owner, even without a command to its slot", async () => {
    const control = fresh();
    const r = recorder();
    const cmds = new SlotCommands(control, SLOT, r.owner, r.exit);
    control.setGlobalFlag(GlobalFlag.shutdown, true);
    expect(cmds.act()).toBe(false);
    await waitFor("exit 0 after the global shutdown", () => r.seen.includes("exit 0"), 10_000, 1, () => r.seen);
    expect(r.seen).toEqual(["shutdown shutdown command", "stopped", "exit 0"]);
  }, 20_000);

  test("pause and resume by command, pause by the global flag", () => {
    const control = fresh();
    const r = recorder();
    const cmds = new SlotCommands(control, SLOT, r.owner, r.exit);
    control.sendCommand(SLOT, Command.pause);
    expect(cmds.act()).toBe(true);
    expect(cmds.paused()).toBe(true);
    expect(cmds.act()).toBe(true); // a pause is remembered, not re-sent
    expect(cmds.paused()).toBe(true);
    control.sendCommand(SLOT, Command.resume);
    expect(cmds.act()).toBe(true);
    expect(cmds.paused()).toBe(false);
    control.setGlobalFlag(GlobalFlag.pause, true);
    expect(cmds.paused()).toBe(true);
    expect(r.seen).toEqual([]);
  });

  test("discardStale drops what was addressed to a previous instance; other slots keep theirs", () => {
    const control = fresh();
    const r = recorder();
    const cmds = new SlotCommands(control, SLOT, r.owner, r.exit);
    control.sendCommand(SLOT, Command.kill);
    control.sendCommand(SLOT + 1, Command.pause);
    cmds.discardStale();
    expect(cmds.act()).toBe(true);
    expect(r.seen).toEqual([]);
    expect(control.pendingCommands(SLOT + 1)).toBe(Command.pause);
  });
});
