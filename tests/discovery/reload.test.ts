// Stage 7: the hot-reload bump of Control.config_generation, optional by design (package or region may be absent).
import { afterAll, describe, expect, test } from "bun:test";
import { bumpConfigGeneration } from "@spread/discovery";
import { REAL_SIZE, runOffline, tempDir } from "./helpers.ts";

const PREFIX = `disc-reload-${process.pid}`;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

describe("bumpConfigGeneration", () => {
  test("package missing → skipped with a reason", async () => {
    const r = await bumpConfigGeneration(PREFIX, () => Promise.reject(new Error("Cannot find package '@spread/shm'")));
    expect(r).toEqual({ bumped: false, reason: "@spread/shm not available (Cannot find package '@spread/shm')" });
  });
  test("package without the Control API → skipped", async () => {
    const r = await bumpConfigGeneration(PREFIX, () => Promise.resolve({}));
    expect(r).toEqual({ bumped: false, reason: "@spread/shm has no openRegion/regionSpec/Control API" });
  });
  test("region absent (no shm-init) → skipped, naming the region", async () => {
    const r = await bumpConfigGeneration(PREFIX);
    expect(r.bumped).toBe(false);
    if (!r.bumped) expect(r.reason).toMatch(new RegExp(`${PREFIX}-control|@spread/shm`));
  });
  test("with the real Control region: a successful run bumps the generation by one", async () => {
    let shm: typeof import("@spread/shm");
    try {
      shm = await import("@spread/shm");
    } catch {
      console.warn("@spread/shm not loadable here; skipping the live bump check");
      return;
    }
    const spec = shm.regionSpec("control");
    const { region } = shm.createRegion(PREFIX, spec);
    cleanups.push(() => shm.unlinkRegion(PREFIX, spec));
    const control = new shm.Control(region);
    const before = control.configGeneration();
    const t = tempDir("reload");
    cleanups.push(t.cleanup);
    const r = await runOffline(REAL_SIZE, t.dir, { shmPrefix: PREFIX });
    expect(r.reload).toEqual({ bumped: true, generation: before + 1 });
    expect(control.configGeneration()).toBe(before + 1);
  });
});
