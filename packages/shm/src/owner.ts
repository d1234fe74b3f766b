// What every long-running process (feed, engine, tracker) does with shared memory before it writes anything:
// map the regions (one clear line when they are missing), refuse to start while the global shutdown flag is set,
// and claim its Health slot (refuse when another live process holds it). Then, every tick, its Control commands
// (SlotCommands: one place that turns kill, shutdown, pause and resume into what the process does).
import { ConfigError, errorMessage, RefusalExit, RefusedError } from "@spread/common";
import type { Control } from "./control.ts";
import { Command } from "./layout.ts";
import { Shm, openAll } from "./shm.ts";
import { claimSlot, SlotBusyError, type SlotClaim } from "./slot-claim.ts";

export interface SlotOwner {
  readonly shm: Shm;
  readonly claim: SlotClaim;
}

/**
 * Maps the regions of `prefix` and claims Health slot `slot` for this process.
 * `who` names it in the refusal ("the feeds", "the engine", "the tracker").
 * @throws ConfigError (regions missing or incompatible: exit 2), RefusedError (shutdown flag: exit 3; slot busy: exit 4).
 */
export function attachSlotOwner(prefix: string, slot: number, who: string, opts: { allowForeignOwner?: boolean } = {}): SlotOwner {
  let shm: Shm;
  try {
    shm = openAll(prefix, { allowForeignOwner: opts.allowForeignOwner ?? false });
  } catch (err) {
    throw new ConfigError(`shared memory "${prefix}" is missing or incompatible (run shm-init): ${errorMessage(err)}`);
  }
  return claimSlotOwner(shm, prefix, slot, who);
}

/**
 * attachSlotOwner on regions this process has mapped already (a feed group: one mapping, one slot per source).
 * @throws RefusedError (shutdown flag: exit 3; slot busy: exit 4).
 */
export function claimSlotOwner(shm: Shm, prefix: string, slot: number, who: string): SlotOwner {
  if (shm.control.shutdownRequested()) {
    throw new RefusedError(
      `the global shutdown flag is set on shm prefix "${prefix}" (spread-ctl shutdown); not starting. Run spread-ctl clear, then start ${who} again`,
      RefusalExit.shutdownFlag,
    );
  }
  try {
    return { shm, claim: claimSlot(prefix, slot, shm.health) };
  } catch (err) {
    if (err instanceof SlotBusyError) throw new RefusedError(err.message, RefusalExit.slotBusy);
    throw err;
  }
}

/** What a slot owner must do after reading its commands. */
export type ControlAction = "kill" | "shutdown" | "run";

/** The process a SlotCommands acts for: how it logs, what it writes before a kill's exit, how it stops cleanly. */
export interface CommandedProcess {
  readonly log: { warn(msg: string): void };
  /** Last words before exit(1): flag what must not look fresh, write Health stopped. Must not wait. */
  killed(): void;
  /** The clean stop (also SIGTERM's); exit(0) follows once it settles. */
  shutdown(reason: string): Promise<void> | void;
}

/** process.exit, replaceable so a test can see the exit code without ending the test runner. */
export type ExitFn = (code: number) => void;

/** The Control side of a slot owner: takes its pending commands, acts on kill/shutdown, remembers a commanded pause. */
export class SlotCommands {
  private pausedByCommand = false;

  constructor(
    private readonly control: Control,
    private readonly slot: number,
    private readonly owner: CommandedProcess,
    private readonly exit: ExitFn = (code) => process.exit(code),
  ) {}

  /** Drops the commands left in this slot: they were addressed to a previous instance. */
  discardStale(): void {
    this.control.takeCommands(this.slot);
  }

  /** Takes the pending commands: kill wins, then shutdown (also the global flag); pause/resume update paused(). */
  poll(): ControlAction {
    const cmds = this.control.takeCommands(this.slot);
    if (cmds & Command.kill) return "kill";
    if (cmds & Command.shutdown || this.control.shutdownRequested()) return "shutdown";
    if (cmds & Command.pause) this.pausedByCommand = true;
    if (cmds & Command.resume) this.pausedByCommand = false;
    return "run";
  }

  /**
   * poll(), then acts: kill → warn, owner.killed(), exit(1) at once; shutdown → owner.shutdown(), exit(0) once it
   * settles (a failed stop exits 1). Returns true while the owner keeps running, false once it is stopping.
   */
  act(): boolean {
    const action = this.poll();
    if (action === "run") return true;
    if (action === "kill") {
      this.owner.log.warn("kill command received");
      this.owner.killed();
      this.exit(1);
      return false;
    }
    void Promise.resolve()
      .then(() => this.owner.shutdown("shutdown command"))
      .then(
        () => this.exit(0),
        () => this.exit(1),
      );
    return false;
  }

  /** Paused by a command to this slot or by the global pause flag. */
  paused(): boolean {
    return this.pausedByCommand || this.control.pausedGlobally();
  }
}
