// Stage 8 (hot reload): after a successful write, bump the config generation in the shm Control region so running
// processes reload generated/. Optional by design: a missing region (no shm-init yet) is logged and skipped,
// never a failure of the run.
import { errorMessage } from "@spread/common";
import { Control, openRegion, regionSpec } from "@spread/shm";

export type ReloadOutcome =
  | { readonly bumped: true; readonly generation: number }
  | { readonly bumped: false; readonly reason: string };

/** Opens the Control region of `prefix` (throws when it does not exist); injectable for tests. */
export type OpenControl = (prefix: string) => { bumpConfigGeneration(): number };

const openControl: OpenControl = (prefix) => new Control(openRegion(prefix, regionSpec("control")));

/** Bumps Control.config_generation for `prefix`. */
export async function bumpConfigGeneration(prefix: string, open: OpenControl = openControl): Promise<ReloadOutcome> {
  try {
    return { bumped: true, generation: open(prefix).bumpConfigGeneration() };
  } catch (err) {
    return { bumped: false, reason: errorMessage(err) };
  }
}
