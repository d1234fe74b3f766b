// Stage 8: the hot-reload bump of Control.config_generation, optional by design (the region may be absent).
import { afterAll, describe, expect, test } from "bun:test";
import { bumpConfigGeneration } from "@spread/discovery";
import * as shm from "@spread/shm";
import { REAL_SIZE, runOffline, tempDir } from "./helpers.ts";

const PREFIX = `disc-reload-${process.pid}`;
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

describe("bumpConfigGeneration", () => {
  test("a failing open is a skip with its reason, never a failure", async () => {
    const r = await bumpConfigGeneration(PREFIX, () => {
      throw new Error("region gone");
    });
    expect(r).toEqual({ bumped: false, reason: "region gone" });
  });
  test("region absent (no shm-init) → skipped, naming the region", async () => {
    const r = await bumpConfigGeneration(PREFIX);
    expect(r.bumped).toBe(false);
    if (!r.bumped) expect(r.reason).toContain(`${PREFIX}-control`);
  });
  test("with the real Control region: a successful run bumps the generation by one", async () => {
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
