// Stage 7 (hot reload): after a successful write, bump the config generation in the shm Control region so running
// processes reload generated/. Optional by design: a missing region (no shm-init yet) is logged and skipped,
// never a failure of the run.
import { errorMessage } from "@spread/common";

export type ReloadOutcome =
  | { readonly bumped: true; readonly generation: number }
  | { readonly bumped: false; readonly reason: string };

interface ShmModule {
  openRegion(prefix: string, spec: unknown): unknown;
  regionSpec(key: "control"): unknown;
  Control: new (region: unknown) => { bumpConfigGeneration(): number };
}

/** Bumps Control.config_generation for `prefix`; `load` is injectable for tests. */
export async function bumpConfigGeneration(prefix: string, load: () => Promise<unknown> = loadShm): Promise<ReloadOutcome> {
  let mod: Partial<ShmModule>;
  try {
    mod = (await load()) as Partial<ShmModule>;
  } catch (err) {
    return { bumped: false, reason: `@spread/shm not available (${errorMessage(err)})` };
  }
  if (typeof mod.openRegion !== "function" || typeof mod.regionSpec !== "function" || typeof mod.Control !== "function") {
    return { bumped: false, reason: "@spread/shm has no openRegion/regionSpec/Control API" };
  }
  try {
    const region = mod.openRegion(prefix, mod.regionSpec("control"));
    const control = new mod.Control(region);
    return { bumped: true, generation: control.bumpConfigGeneration() };
  } catch (err) {
    return { bumped: false, reason: errorMessage(err) };
  }
}

function loadShm(): Promise<unknown> {
  // A literal specifier so `bun build --compile` bundles it; a missing region (no shm-init yet) is still a skip.
  return import("@spread/shm");
}
