// Control: global shutdown/pause flags, per-slot command mailboxes, the config generation that Pair
// Discovery bumps, and read access to the wake channels' counters (wake.ts owns the wake protocol).
import { wallMicros } from "@spread/common";
import {
  CONTROL_BLOCK_OFFSET, CONTROL_WAKE_OFFSET, Command, ControlBlock, GlobalFlag, HEALTH_SLOTS, WAKE_CHANNELS,
  WAKE_CHANNEL_SIZE, WakeChannelEntry,
} from "./layout.ts";
import type { Region } from "./region.ts";

const TWO32 = 4294967296;
const C = ControlBlock.off;
const FLAGS = (CONTROL_BLOCK_OFFSET + C.global_flags) / 4;
const GEN = (CONTROL_BLOCK_OFFSET + C.config_generation) / 4;
const GEN_AT = (CONTROL_BLOCK_OFFSET + C.config_updated_at) / 4;
const COMMANDS = CONTROL_BLOCK_OFFSET + C.commands;

export interface WakeChannelStats {
  readonly seq: number;
  readonly waiters: number;
  readonly wakes: number;
  readonly sleeps: number;
  readonly consumerPid: number;
}

function checkSlot(slot: number): void {
  if (slot >>> 0 >= HEALTH_SLOTS) throw new RangeError(`control: slot ${slot} out of range 0..${HEALTH_SLOTS - 1}`);
}

/** Byte offset of a wake channel's cache line inside the control region. */
export function wakeChannelOffset(channel: number): number {
  if (channel >>> 0 >= WAKE_CHANNELS) throw new RangeError(`control: wake channel ${channel} out of range 0..${WAKE_CHANNELS - 1}`);
  return CONTROL_WAKE_OFFSET + channel * WAKE_CHANNEL_SIZE;
}

export class Control {
  private readonly u8: Uint8Array;
  private readonly u32: Uint32Array;

  constructor(readonly region: Region) {
    this.u8 = region.u8;
    this.u32 = region.u32;
  }

  /** GlobalFlag bits. */
  globalFlags(): number {
    return Atomics.load(this.u32, FLAGS);
  }

  setGlobalFlag(flag: number, on: boolean): void {
    if (on) Atomics.or(this.u32, FLAGS, flag);
    else Atomics.and(this.u32, FLAGS, ~flag >>> 0);
  }

  shutdownRequested(): boolean {
    return (Atomics.load(this.u32, FLAGS) & GlobalFlag.shutdown) !== 0;
  }

  pausedGlobally(): boolean {
    return (Atomics.load(this.u32, FLAGS) & GlobalFlag.pause) !== 0;
  }

  configGeneration(): number {
    return Atomics.load(this.u32, GEN);
  }

  /** Wall µs of the last bump (informational; not updated atomically with the generation). */
  configUpdatedAt(): number {
    return Atomics.load(this.u32, GEN_AT + 1) * TWO32 + Atomics.load(this.u32, GEN_AT);
  }

  /** Pair Discovery's "config_updated": bumps the generation and returns the new value. */
  bumpConfigGeneration(nowMicros = wallMicros()): number {
    const gen = (Atomics.add(this.u32, GEN, 1) + 1) >>> 0;
    Atomics.store(this.u32, GEN_AT, nowMicros >>> 0);
    Atomics.store(this.u32, GEN_AT + 1, (nowMicros / TWO32) >>> 0);
    return gen;
  }

  /**
   * Posts a command (one Command bit) to the process in `slot`. PAUSE and RESUME cancel each other so
   * at most one of them is pending; KILL and SHUTDOWN accumulate.
   */
  sendCommand(slot: number, command: number): void {
    checkSlot(slot);
    const cancels = command === Command.pause ? Command.resume : command === Command.resume ? Command.pause : 0;
    for (;;) {
      const old = Atomics.load(this.u8, COMMANDS + slot);
      const next = (old & ~cancels) | command;
      if (Atomics.compareExchange(this.u8, COMMANDS + slot, old, next) === old) return;
    }
  }

  /** The owner of `slot` takes its pending Command bits (clearing them). Poll it every tick. */
  takeCommands(slot: number): number {
    checkSlot(slot);
    if (Atomics.load(this.u8, COMMANDS + slot) === 0) return 0;
    return Atomics.exchange(this.u8, COMMANDS + slot, 0);
  }

  /** Pending Command bits of `slot` without taking them (status output). */
  pendingCommands(slot: number): number {
    checkSlot(slot);
    return Atomics.load(this.u8, COMMANDS + slot);
  }

  wakeChannelStats(channel: number): WakeChannelStats {
    const w = wakeChannelOffset(channel) / 4;
    const W = WakeChannelEntry.off;
    return {
      seq: Atomics.load(this.u32, w + W.seq / 4),
      waiters: Atomics.load(this.u32, w + W.waiters / 4),
      wakes: Atomics.load(this.u32, w + W.wakes / 4),
      sleeps: Atomics.load(this.u32, w + W.sleeps / 4),
      consumerPid: Atomics.load(this.u32, w + W.consumer_pid / 4),
    };
  }
}
