// The plumbing of a one-binary test bed (spread-tracker's, spread-web's): a temp dir with config.toml, generated/
// and data/, an isolated shm prefix, the spawned process, the timer that plays the other processes, and the
// cleanup of all of them. What the bed plays and spawns stays in its own class.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Launched } from "@spread/ctl";
import { createAll, unlinkAll, type Shm } from "@spread/shm";
import { toToml } from "./feed/harness.ts";
import { tempDir, writeGenerated } from "./tracker/helpers.ts";

export abstract class BinBed {
  readonly t: { dir: string; cleanup: () => void };
  readonly dir: string;
  readonly prefix = `t-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly configFile: string;
  readonly generated: string;
  readonly data: string;
  shm!: Shm;
  proc: Launched | null = null;
  private beatTimer: ReturnType<typeof setInterval> | null = null;

  /** `tag` names the temp dir; `stopGraceMs` is how long cleanup() lets the process stop before SIGKILL. */
  constructor(tag: string, private readonly stopGraceMs: number) {
    this.t = tempDir(tag);
    this.dir = this.t.dir;
    this.configFile = join(this.dir, "config.toml");
    this.generated = join(this.dir, "generated");
    this.data = join(this.dir, "data");
  }

  /** generated/ for `names`, config.toml (paths, this prefix, log level info, then `sections`), the shm regions. */
  protected setUp(names: readonly string[], sections: Record<string, unknown>, data = this.data): void {
    writeGenerated(this.generated, names);
    writeFileSync(this.configFile, toToml({ paths: { generated: this.generated, data }, shm: { prefix: this.prefix }, log: { level: "info" }, ...sections }));
    this.shm = createAll(this.prefix).shm;
  }

  /** Runs `beat` now and every `ms` until cleanup (the bed playing feeds or the engine). */
  protected beatEvery(ms: number, beat: () => void): void {
    beat();
    this.beatTimer = setInterval(beat, ms);
  }

  async cleanup(): Promise<void> {
    if (this.beatTimer) clearInterval(this.beatTimer);
    if (this.proc) await this.proc.stop(this.stopGraceMs);
    unlinkAll(this.prefix);
    this.t.cleanup();
  }
}
