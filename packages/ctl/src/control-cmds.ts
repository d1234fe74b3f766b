// spread-ctl pause / resume / shutdown / kill / reload: write Control commands for one process or all.
import { HealthSlot, NUM_HEALTH_SLOTS, SOURCE_NAMES } from "@spread/common";
import { Command, GlobalFlag, type Shm } from "@spread/shm";
import { UsageError } from "@spread/common";

export type ControlVerb = "pause" | "resume" | "shutdown" | "kill";

/** "all", a source name (its feed), or engine / tracker / discovery → Health/Control slot numbers. */
export function targetSlots(target: string): number[] | "all" {
  if (target === "all") return "all";
  const s = SOURCE_NAMES.indexOf(target as (typeof SOURCE_NAMES)[number]);
  if (s >= 0) return [s];
  const named = (HealthSlot as Record<string, number>)[target];
  if (named !== undefined) return [named];
  if (target === "feeds") return SOURCE_NAMES.map((_, i) => i);
  throw new UsageError(`unknown target "${target}": all, feeds, ${SOURCE_NAMES.join(", ")}, ${Object.keys(HealthSlot).join(", ")}`);
}

/** Writes `verb` for `target` into Control (only the Control region is needed: spread-web maps nothing else writable). */
export function sendControl(shm: Pick<Shm, "control">, verb: ControlVerb, target: string): string {
  const slots = targetSlots(target);
  const ctl = shm.control;
  if (slots === "all") {
    if (verb === "pause") ctl.setGlobalFlag(GlobalFlag.pause, true);
    else if (verb === "resume") ctl.setGlobalFlag(GlobalFlag.pause, false);
    else if (verb === "shutdown") ctl.setGlobalFlag(GlobalFlag.shutdown, true);
    else for (let s = 0; s < NUM_HEALTH_SLOTS; s++) ctl.sendCommand(s, Command.kill);
    return `${verb}: all processes`;
  }
  for (const s of slots) ctl.sendCommand(s, Command[verb]);
  return `${verb}: ${target} (slot ${slots.join(", ")})`;
}
