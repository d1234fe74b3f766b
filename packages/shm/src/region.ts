// Creating, opening, inspecting and unlinking one POSIX shared-memory region (/dev/shm/<prefix>-<key>).
// Mappings are never unmapped: a JS view over an unmapped range segfaults the process, and views are
// handed out freely. A process maps each region once and keeps it until exit (5.3 MB in total).
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { toArrayBuffer, type Pointer } from "bun:ffi";
import { wallMicros } from "@spread/common";
import { headerProblem, writeHeader } from "./header.ts";
import { HEADER_SIZE, shmName, shmPath, type RegionSpec } from "./layout.ts";
import {
  EACCES, EEXIST, ENOENT, MAP_SHARED, O_CREAT, O_EXCL, O_RDWR, PROT_READ, PROT_WRITE, SEEK_END,
  cstr, errno, errnoText, libc,
} from "./libc.ts";

export type ShmErrorKind = "missing" | "mismatch" | "permission" | "os";

/** A shared-memory failure; the message always starts with the region's /dev/shm path. */
export class ShmError extends Error {
  override readonly name = "ShmError";
  constructor(
    readonly kind: ShmErrorKind,
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/**
 * One mapped region with typed views over all of it (index = byte offset / element size), or a private
 * snapshot copy of one (address 0): readers that may not write get copies, never a PROT_READ mapping,
 * because the optimizing JIT compiles Atomics.load into an instruction that faults on read-only pages.
 */
export class Region {
  readonly path: string;
  readonly buffer: ArrayBuffer;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;

  constructor(
    readonly prefix: string,
    readonly spec: RegionSpec,
    /** Base address of the mapping (page aligned), for futex calls; 0 for a snapshot. */
    readonly address: number,
    /** A private buffer instead of the mapping at `address` (snapshots). */
    buffer?: ArrayBuffer,
  ) {
    this.path = shmPath(prefix, spec.key);
    this.buffer = buffer ?? toArrayBuffer(address as Pointer, 0, spec.size);
    this.u8 = new Uint8Array(this.buffer);
    this.u16 = new Uint16Array(this.buffer);
    this.u32 = new Uint32Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
  }

  get key(): string {
    return this.spec.key;
  }

  /** A private copy, not shared memory: writes go nowhere, futex calls are invalid. */
  get snapshot(): boolean {
    return this.address === 0;
  }
}

function osError(path: string, what: string, code: number): ShmError {
  if (code === EACCES) {
    return new ShmError("permission", path, `${what} failed: ${errnoText(code)}; check its mode and group (shm-init --mode 0660 --group NAME) and the user this process runs as`);
  }
  return new ShmError("os", path, `${what} failed: ${errnoText(code)}`);
}

function mapFd(fd: number, path: string, size: number): number {
  const addr = Number(libc.mmap(null, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
  if (addr === -1) {
    const code = errno();
    libc.close(fd);
    throw osError(path, "mmap", code);
  }
  // The mapping keeps the file referenced; the descriptor is no longer needed.
  libc.close(fd);
  return addr;
}

function fileSize(fd: number): number {
  return Number(libc.lseek(fd, 0, SEEK_END));
}

const FORCE_HINT = "run shm-init --force to recreate it, then restart the processes that use it";

/** Whose regions a process accepts ([shm] allow_foreign_owner). */
export interface OwnerPolicy {
  /** Accept regions owned by a user other than this process's user and root. Default false. */
  readonly allowForeignOwner?: boolean;
}

const octal = (mode: number) => mode.toString(8).padStart(4, "0");

/**
 * Refuses a region another user owns (they could rewrite Control and stop the system, or feed fake prices)
 * unless allowed, and one every local user may write. Checked on the descriptor that will be mapped.
 */
function ownershipProblem(fd: number, path: string, policy: OwnerPolicy, refuseWorldWritable: boolean): ShmError | undefined {
  const st = fstatSync(fd);
  const me = process.geteuid?.() ?? st.uid;
  if (st.uid !== me && st.uid !== 0 && !policy.allowForeignOwner) {
    return new ShmError("permission", path, `is owned by uid ${st.uid}, not by this user (uid ${me}) or root: refusing a region another user created (it could rewrite Control and stop the system); remove it as its owner, or set [shm] allow_foreign_owner = true if that user is trusted`);
  }
  if (refuseWorldWritable && (st.mode & 0o002) !== 0) {
    return new ShmError("permission", path, `is world-writable (mode ${octal(st.mode & 0o7777)}): any local user could write it; refusing to use it (run shm-init to reset its mode)`);
  }
  return undefined;
}

/** Maps an open descriptor after checking the file size (mapping past EOF would SIGBUS) and header. */
function mapExisting(prefix: string, spec: RegionSpec, fd: number, hint: string, policy: OwnerPolicy = {}, refuseWorldWritable = true): Region {
  const path = shmPath(prefix, spec.key);
  const owner = ownershipProblem(fd, path, policy, refuseWorldWritable);
  if (owner) {
    libc.close(fd);
    throw owner;
  }
  const size = fileSize(fd);
  if (size !== spec.size) {
    libc.close(fd);
    throw new ShmError("mismatch", path, `${headerProblem(new Uint8Array(HEADER_SIZE), size, spec)}; ${hint}`);
  }
  const address = mapFd(fd, path, spec.size);
  const region = new Region(prefix, spec, address);
  const problem = headerProblem(region.u8, size, spec);
  if (problem !== undefined) {
    // Safe to unmap: the views were never handed out and are dropped with `region`.
    libc.munmap(address, spec.size);
    throw new ShmError("mismatch", path, `${problem}; ${hint}`);
  }
  return region;
}

/**
 * Opens an existing region and validates its size and header.
 * @throws ShmError "missing" (run shm-init), "mismatch" (shm-init --force), "permission" or "os".
 */
export function openRegion(prefix: string, spec: RegionSpec, policy: OwnerPolicy = {}): Region {
  const fd = libc.shm_open(cstr(shmName(prefix, spec.key)), O_RDWR, 0);
  if (fd < 0) {
    const code = errno();
    const path = shmPath(prefix, spec.key);
    if (code === ENOENT) throw new ShmError("missing", path, `does not exist; run shm-init first (prefix "${prefix}")`);
    throw osError(path, "shm_open", code);
  }
  return mapExisting(prefix, spec, fd, FORCE_HINT, policy);
}

export interface RegionStat {
  readonly path: string;
  /** missing; ok (matches its spec); mismatch (size/header differ); unreadable (no permission, I/O error). */
  readonly state: "missing" | "ok" | "mismatch" | "unreadable";
  readonly exists: boolean;
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Inode number: changes when the region is recreated. */
  readonly ino: number;
  /** Undefined when the region exists and matches its spec. */
  readonly problem: string | undefined;
  /** The first 64 bytes (zeros when missing or short). */
  readonly header: Uint8Array;
}

/** Looks at a region without mapping it (plain file reads), for status output and pre-flight checks. */
export function statRegion(prefix: string, spec: RegionSpec): RegionStat {
  const path = shmPath(prefix, spec.key);
  const header = new Uint8Array(HEADER_SIZE);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { path, state: "missing", exists: false, size: 0, mode: 0, uid: 0, gid: 0, ino: 0, problem: "does not exist", header };
    return { path, state: "unreadable", exists: true, size: 0, mode: 0, uid: 0, gid: 0, ino: 0, problem: `cannot be read (${code ?? String(err)}); check its mode and group and the user this runs as`, header };
  }
  try {
    const st = fstatSync(fd);
    readSync(fd, header, 0, HEADER_SIZE, 0);
    const problem = headerProblem(header, st.size, spec);
    return { path, state: problem === undefined ? "ok" : "mismatch", exists: true, size: st.size, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, ino: st.ino, problem, header };
  } finally {
    closeSync(fd);
  }
}

export type CreateOutcome = "created" | "ok" | "recreated";

export interface CreateOptions extends OwnerPolicy {
  /** File mode of new regions (and enforced on existing valid ones). Default 0o600. */
  readonly mode?: number;
  /** Group to chown the region to; undefined keeps the creator's group. */
  readonly gid?: number;
  /** Recreate a region whose size/magic/version does not match instead of refusing. */
  readonly force?: boolean;
}

export interface CreateResult {
  readonly region: Region;
  readonly outcome: CreateOutcome;
  /** Permission changes applied to an existing region, e.g. "mode 0600 → 0660". */
  readonly changes: readonly string[];
}

function applyOwnership(fd: number, path: string, opts: CreateOptions, before?: { mode: number; gid: number }): string[] {
  const changes: string[] = [];
  const mode = opts.mode ?? 0o600;
  // shm_open's mode is filtered by the umask; fchmod sets exactly what was asked for.
  if (before === undefined || before.mode !== mode) {
    if (libc.fchmod(fd, mode) !== 0) throw osError(path, "fchmod", errno());
    if (before) changes.push(`mode ${before.mode.toString(8).padStart(4, "0")} → ${mode.toString(8).padStart(4, "0")}`);
  }
  if (opts.gid !== undefined && (before === undefined || before.gid !== opts.gid)) {
    // uid (uid_t)-1 = leave the owner unchanged.
    if (libc.fchown(fd, 0xffffffff, opts.gid) !== 0) throw osError(path, "fchown", errno());
    if (before) changes.push(`group ${before.gid} → ${opts.gid}`);
  }
  return changes;
}

function createFresh(prefix: string, spec: RegionSpec, opts: CreateOptions): Region | undefined {
  const path = shmPath(prefix, spec.key);
  if (((opts.mode ?? 0o600) & 0o002) !== 0) throw new ShmError("permission", path, `mode ${octal(opts.mode!)} is world-writable: refusing to create it (use 0600, or 0660 with a group)`);
  const fd = libc.shm_open(cstr(shmName(prefix, spec.key)), O_RDWR | O_CREAT | O_EXCL, opts.mode ?? 0o600);
  if (fd < 0) {
    const code = errno();
    if (code === EEXIST) return undefined;
    throw osError(path, "shm_open(O_CREAT)", code);
  }
  try {
    applyOwnership(fd, path, opts);
    // ftruncate zero-fills: every counter, position and seq starts at 0.
    if (libc.ftruncate(fd, spec.size) !== 0) throw osError(path, "ftruncate", errno());
  } catch (err) {
    libc.close(fd);
    libc.shm_unlink(cstr(shmName(prefix, spec.key)));
    throw err;
  }
  let address: number;
  try {
    address = mapFd(fd, path, spec.size);
  } catch (err) {
    // Leave nothing half-made behind: a headerless file would read as a mismatch next time.
    libc.shm_unlink(cstr(shmName(prefix, spec.key)));
    throw err;
  }
  const region = new Region(prefix, spec, address);
  writeHeader(region.u8, spec, wallMicros());
  return region;
}

/**
 * Creates a region, or opens it when it already exists with a matching header ("ok"; its data is left
 * as is, only mode/group are brought in line with `opts`). A mismatching region is refused with
 * ShmError "mismatch" unless `force`, which unlinks it and creates a new one ("recreated"): processes
 * that still map the old file keep using it until they restart.
 */
export function createRegion(prefix: string, spec: RegionSpec, opts: CreateOptions = {}): CreateResult {
  const path = shmPath(prefix, spec.key);
  const fresh = createFresh(prefix, spec, opts);
  if (fresh) return { region: fresh, outcome: "created", changes: [] };

  const st = statRegion(prefix, spec);
  if (st.state === "unreadable") throw new ShmError("permission", path, st.problem!);
  if (!st.exists) {
    // Unlinked between our O_EXCL attempt and the stat: try once more.
    const retry = createFresh(prefix, spec, opts);
    if (retry) return { region: retry, outcome: "created", changes: [] };
  }
  if (st.state === "mismatch") {
    if (!opts.force) throw new ShmError("mismatch", path, `${st.problem}; refusing to touch it (--force recreates it; then restart the processes that use it)`);
    unlinkRegion(prefix, spec);
    const again = createFresh(prefix, spec, opts);
    if (!again) throw new ShmError("os", path, "was recreated by another process while being replaced; run shm-init again");
    return { region: again, outcome: "recreated", changes: [] };
  }
  const fd = libc.shm_open(cstr(shmName(prefix, spec.key)), O_RDWR, 0);
  if (fd < 0) throw osError(path, "shm_open", errno());
  let changes: string[];
  try {
    // Ours (or allowed) before we touch its mode: a world-writable mode of our own region is reset just below.
    const owner = ownershipProblem(fd, path, opts, false);
    if (owner) throw owner;
    changes = applyOwnership(fd, path, opts, { mode: st.mode, gid: st.gid });
  } catch (err) {
    libc.close(fd);
    throw err;
  }
  // Re-checked on the descriptor we map: the file could have been replaced after statRegion.
  const region = mapExisting(prefix, spec, fd, "it changed while shm-init was running; run shm-init again", opts);
  return { region, outcome: "ok", changes };
}

/** Removes the region's name (mapped copies stay valid until their processes exit). True if it existed. */
export function unlinkRegion(prefix: string, spec: RegionSpec): boolean {
  if (libc.shm_unlink(cstr(shmName(prefix, spec.key))) === 0) return true;
  const code = errno();
  if (code === ENOENT) return false;
  throw osError(shmPath(prefix, spec.key), "shm_unlink", code);
}
