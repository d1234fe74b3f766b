// Region create/open/validate: clear errors naming the file, idempotent creation, --force semantics,
// exact modes despite the umask, group ownership, read-only mappings, prefix validation.
import { afterEach, describe, expect, test } from "bun:test";
import { openSync, statSync, writeSync, closeSync, ftruncateSync } from "node:fs";
import { ConfigError } from "@spread/common";
import {
  ShmError, ShmMismatchError, createAll, createRegion, groupId, openAll, openRegion, readHeader, regionSpec, snapshotRegion, statRegion, unlinkAll,
} from "@spread/shm";
import { uniquePrefix } from "./helpers/scratch.ts";
import { thrown } from "./helpers/thrown.ts";

let prefix = "";
afterEach(() => {
  if (prefix) unlinkAll(prefix);
  prefix = "";
});

function corrupt(path: string, offset: number, bytes: number[]): void {
  const fd = openSync(path, "r+");
  writeSync(fd, Buffer.from(bytes), 0, bytes.length, offset);
  closeSync(fd);
}

function truncate(path: string, size: number): void {
  const fd = openSync(path, "r+");
  ftruncateSync(fd, size);
  closeSync(fd);
}

describe("regions", () => {
  test("opening a missing region says which file and what to run", () => {
    prefix = uniquePrefix();
    const err = thrown(() => openAll(prefix));
    expect(err).toBeInstanceOf(ShmError);
    expect((err as ShmError).kind).toBe("missing");
    expect(err.message).toBe(`/dev/shm/${prefix}-seqs: does not exist; run shm-init first (prefix "${prefix}")`);
  });

  test("createAll is idempotent: second run reports ok and keeps the data", () => {
    prefix = uniquePrefix();
    const first = createAll(prefix);
    expect(first.reports.map((r) => r.outcome)).toEqual(Array(8).fill("created"));
    first.shm.control.bumpConfigGeneration();
    const second = createAll(prefix);
    expect(second.reports.map((r) => r.outcome)).toEqual(Array(8).fill("ok"));
    expect(second.shm.control.configGeneration()).toBe(1);
    expect(second.reports.map((r) => r.size)).toEqual([524_352, 524_352, 1088, 4_194_496, 1088, 320, 196_736, 524_352]);
  });

  test("magic, version and size mismatches are refused with the file named; force recreates", () => {
    prefix = uniquePrefix();
    createAll(prefix);
    const bitmap = `/dev/shm/${prefix}-bitmap`;
    const health = `/dev/shm/${prefix}-health`;
    const events = `/dev/shm/${prefix}-events`;
    corrupt(bitmap, 0, [0x41, 0x42, 0x43, 0x44]);
    corrupt(health, 4, [2, 0, 0, 0]);
    truncate(events, 4096); // never touch this process's old mapping of it again (SIGBUS)

    const open = thrown(() => openRegion(prefix, regionSpec("bitmap")));
    expect(open.message).toBe(`${bitmap}: has magic 0x44434241 ("ABCD"), expected 0x4d425353 ("SSBM"); run shm-init --force to recreate it, then restart the processes that use it`);
    expect(thrown(() => openRegion(prefix, regionSpec("health"))).message).toContain(`${health}: has layout version 2, expected 1`);
    expect(thrown(() => openRegion(prefix, regionSpec("events"))).message).toContain(`${events}: has size 4096, expected 4194496`);

    const refused = thrown(() => createAll(prefix));
    expect(refused).toBeInstanceOf(ShmMismatchError);
    expect((refused as ShmMismatchError).problems).toHaveLength(3);
    expect(statSync(events).size).toBe(4096); // nothing was changed

    const inoBefore = statSync(bitmap).ino;
    const forced = createAll(prefix, { force: true });
    expect(forced.reports.map((r) => `${r.key}:${r.outcome}`)).toEqual(["seqs:ok", "data:ok", "bitmap:recreated", "events:recreated", "health:recreated", "control:ok", "tracked:ok", "funding:ok"]);
    expect(statSync(bitmap).ino).not.toBe(inoBefore);
    expect(() => openAll(prefix)).not.toThrow();
  });

  test("an empty file (creator died before ftruncate) is reported as such", () => {
    prefix = uniquePrefix();
    createAll(prefix);
    truncate(`/dev/shm/${prefix}-control`, 0);
    expect(statRegion(prefix, regionSpec("control")).problem).toContain("is empty (size 0, expected 320)");
  });

  test("mode is exact despite the umask; existing regions get mode/group brought in line", () => {
    prefix = uniquePrefix();
    const old = process.umask(0o077);
    try {
      createAll(prefix, { mode: 0o660 });
    } finally {
      process.umask(old);
    }
    expect(statSync(`/dev/shm/${prefix}-seqs`).mode & 0o777).toBe(0o660);
    const daemon = groupId("daemon");
    expect(daemon).toBe(1);
    const again = createAll(prefix, { mode: 0o640, gid: daemon });
    expect(again.reports[0]!.changes).toEqual(["mode 0660 → 0640", "group 0 → 1"]);
    const st = statSync(`/dev/shm/${prefix}-control`);
    expect([st.mode & 0o777, st.gid]).toEqual([0o640, 1]);
    expect(groupId("no-such-group-here")).toBeUndefined();
  });

  test("snapshots copy the region and are detached from it", () => {
    prefix = uniquePrefix();
    const rw = createAll(prefix).shm;
    rw.prices.setNumSymbols(17);
    const copy = snapshotRegion(prefix, regionSpec("seqs"))!;
    expect(copy.snapshot).toBe(true);
    expect(rw.regions.seqs.snapshot).toBe(false);
    expect(readHeader(copy.u8).numSymbols).toBe(17);
    rw.prices.setNumSymbols(18);
    expect(readHeader(copy.u8).numSymbols).toBe(17);
    expect(snapshotRegion(prefix, regionSpec("seqs"), { seqlocked: false })!.u8[40]).toBe(18);
    expect(snapshotRegion(uniquePrefix(), regionSpec("seqs"))).toBeUndefined();
  });

  test("prefixes that are not plain file names are rejected", () => {
    for (const bad of ["", "a/b", "../x", "-lead", "x".repeat(65)]) {
      expect(() => createAll(bad)).toThrow(ConfigError);
    }
  });

  test("createRegion on its own reports created, then ok", () => {
    prefix = uniquePrefix();
    expect(createRegion(prefix, regionSpec("control")).outcome).toBe("created");
    expect(createRegion(prefix, regionSpec("control")).outcome).toBe("ok");
  });
});
