// Stage 7b install: a generation set is written so that a reader never sees a mix of two runs.
//  1. every file is written to <dir>/.incoming-<pid>/<file>.tmp, fsync'd, renamed to <file>, the dir fsync'd;
//  2. .incoming-<pid> is renamed to .pending-<generation> (the commit point; fsync <dir>);
//  3. each file is renamed from .pending-<generation>/ into <dir>/, metadata.json last; the dirs are fsync'd;
//  4. the empty .pending-<generation> is removed.
// Readers (@spread/common loaders) prefer files still inside .pending-*, and every file carries the generation id,
// so before step 2 they read the old set, afterwards the new one. A run killed in step 1 leaves the old set intact;
// one killed in step 3 is completed by the next run (rollForward) and meanwhile read through .pending-*.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { GeneratedFile, INCOMING_PREFIX, LOCK_FILE, PENDING_PREFIX } from "@spread/common";

export interface OutputFile {
  /** Relative to the generated/ dir, "/"-separated ("source_symbols/okx_spot.bin"). */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface WriteHooks {
  /** Test hook: called after the first staged file (phase "write") or the first installed file ("install"). */
  readonly pause?: (phase: "write" | "install") => Promise<void>;
}

export class WriteError extends Error {
  override readonly name = "WriteError";
}

function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** tmp, fsync, rename: a reader sees the old file or the whole new one. */
export function writeFileDurable(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w", 0o644);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Install order: everything except metadata.json in the given order, metadata.json last. */
function installOrder(paths: readonly string[]): string[] {
  return [...paths.filter((p) => p !== GeneratedFile.metadata), ...paths.filter((p) => p === GeneratedFile.metadata)];
}

function listFiles(root: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(root, r));
    else if (!e.name.endsWith(".tmp")) out.push(r);
  }
  return out;
}

/** Moves every file of a committed .pending-* dir into place (metadata.json last) and removes the dir. */
function install(dir: string, pending: string, pause?: WriteHooks["pause"]): Promise<void> | void {
  const files = installOrder(listFiles(pending));
  const dirs = new Set<string>([dir]);
  let first = true;
  const step = async () => {
    for (const rel of files) {
      const target = join(dir, rel);
      const parent = dirname(target);
      if (!existsSync(parent)) {
        mkdirSync(parent, { recursive: true });
        fsyncPath(dirname(parent));
      }
      dirs.add(parent);
      renameSync(join(pending, rel), target);
      if (first && pause) {
        first = false;
        await pause("install");
      }
    }
    for (const d of dirs) fsyncPath(d);
    rmSync(pending, { recursive: true, force: true });
    fsyncPath(dir);
  };
  return step();
}

/** Completes an install a killed run left in .pending-*, and deletes half-written .incoming-* dirs. */
export async function rollForward(dir: string): Promise<{ completed: string[]; discarded: string[] }> {
  const completed: string[] = [];
  const discarded: string[] = [];
  if (!existsSync(dir)) return { completed, discarded };
  const entries = readdirSync(dir);
  const pending = entries.filter((n) => n.startsWith(PENDING_PREFIX)).sort((a, b) => statSync(join(dir, a)).mtimeMs - statSync(join(dir, b)).mtimeMs);
  for (const p of pending) {
    await install(dir, join(dir, p));
    completed.push(p.slice(PENDING_PREFIX.length));
  }
  for (const n of entries.filter((e) => e.startsWith(INCOMING_PREFIX))) {
    rmSync(join(dir, n), { recursive: true, force: true });
    discarded.push(n);
  }
  if (discarded.length) fsyncPath(dir);
  return { completed, discarded };
}

const LOCK_MAX_AGE_MS = 60 * 60 * 1000;

/** Exclusive writer lock (generated/.lock holding the pid); a lock of a dead process (or older than 1 h) is taken over. */
export function acquireLock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let i = 0; i < 2; i++) {
    try {
      const fd = openSync(path, "wx", 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw new WriteError(`${path}: cannot create lock (${(err as Error).message})`);
      const pid = Number(readFileSync(path, "utf8").trim());
      // A run takes well under a minute; an hour-old lock belongs to a dead writer whose pid was reused.
      const fresh = Date.now() - statSync(path).mtimeMs < LOCK_MAX_AGE_MS;
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && fresh && alive(pid)) {
        throw new WriteError(`${dir} is being written by another pair-discovery (pid ${pid}); remove ${path} if that process is gone`);
      }
      unlinkSync(path);
    }
  }
  throw new WriteError(`${path}: cannot take the writer lock`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The write this process has in progress (at most one): what a signal handler must settle before exiting. */
let active: { dir: string; release: () => void } | null = null;

/**
 * Leaves generated/ as a completed run or an untouched one, for a process about to exit on a signal while
 * writeGeneration is suspended (the writer only yields at its test pauses and in install): an uncommitted
 * .incoming-<pid> is removed (readers keep the old set), a committed .pending-* is installed, the lock released.
 * Returns what it did; a no-op when no write is in progress.
 */
export async function settleInterruptedWrite(): Promise<{ dir: string; completed: string[]; discarded: string[] } | null> {
  const w = active;
  if (!w) return null;
  active = null;
  try {
    return { dir: w.dir, ...(await rollForward(w.dir)) };
  } finally {
    w.release();
  }
}

/** Writes a complete generation set into `dir` (see the file header for the protocol). */
export async function writeGeneration(dir: string, generation: string, files: readonly OutputFile[], hooks: WriteHooks = {}): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const release = acquireLock(dir);
  active = { dir, release };
  try {
    await rollForward(dir);
    const incoming = join(dir, `${INCOMING_PREFIX}${process.pid}`);
    rmSync(incoming, { recursive: true, force: true });
    mkdirSync(incoming);
    const dirs = new Set<string>([incoming]);
    let first = true;
    for (const f of files) {
      const target = join(incoming, f.path);
      const parent = dirname(target);
      if (!dirs.has(parent)) {
        mkdirSync(parent, { recursive: true });
        dirs.add(parent);
      }
      writeFileDurable(target, f.bytes);
      if (first && hooks.pause) {
        first = false;
        await hooks.pause("write");
      }
    }
    for (const d of dirs) fsyncPath(d);
    const pending = join(dir, `${PENDING_PREFIX}${generation}`);
    rmSync(pending, { recursive: true, force: true });
    renameSync(incoming, pending);
    fsyncPath(dir);
    await install(dir, pending, hooks.pause);
  } finally {
    if (active?.release === release) active = null;
    release();
  }
}
