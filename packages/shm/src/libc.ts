// bun:ffi bindings into glibc (libc.so.6) for shared memory, futex wake-ups and affinity.
// Returns are i32 / i64_fast on purpose: a plain i64 return allocates a BigInt per call.
import { dlopen, FFIType, ptr, read, type Pointer } from "bun:ffi";

const { i32, u32, i64, i64_fast, u64, ptr: P, cstring } = FFIType;

const lib = dlopen("libc.so.6", {
  shm_open: { args: [P, i32, u32], returns: i32 },
  shm_unlink: { args: [P], returns: i32 },
  ftruncate: { args: [i32, i64], returns: i32 },
  lseek: { args: [i32, i64, i32], returns: i64_fast },
  fchmod: { args: [i32, u32], returns: i32 },
  fchown: { args: [i32, u32, u32], returns: i32 },
  // The address is returned as i64_fast so MAP_FAILED ((void*)-1) arrives as an exact -1.
  mmap: { args: [P, u64, i32, i32, i32, i64], returns: i64_fast },
  munmap: { args: [P, u64], returns: i32 },
  close: { args: [i32], returns: i32 },
  sched_setaffinity: { args: [i32, u64, P], returns: i32 },
  // long syscall(long nr, ...): glibc's implementation is assembly that ignores %al, so a fixed
  // 7-argument prototype is safe for every x86-64 / arm64 syscall we make (futex, gettid).
  syscall: { args: [i64, i64, i64, i64, i64, i64, i64], returns: i64_fast },
  getgrnam: { args: [P], returns: P },
  strerror: { args: [i32], returns: cstring },
  __errno_location: { args: [], returns: P },
});

export const libc = lib.symbols;

// Little-endian is part of the shm format (docs/shm-layout.md); typed arrays use host order.
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error("@spread/shm: big-endian hosts are not supported (the shm layout is little-endian)");
}

/** fcntl.h / sys/mman.h / errno.h values for Linux (identical on x86-64 and arm64). */
export const O_RDONLY = 0;
export const O_RDWR = 2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const SEEK_END = 2;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const MAP_SHARED = 1;
export const FUTEX_WAIT = 0;
export const FUTEX_WAKE = 1;

export const ENOENT = 2;
export const EINTR = 4;
export const EAGAIN = 11;
export const EACCES = 13;
export const EEXIST = 17;
export const EINVAL = 22;
export const ETIMEDOUT = 110;

const ERRNO_NAMES: Record<number, string> = {
  1: "EPERM", 2: "ENOENT", 4: "EINTR", 9: "EBADF", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES",
  14: "EFAULT", 16: "EBUSY", 17: "EEXIST", 22: "EINVAL", 23: "ENFILE", 24: "EMFILE", 27: "EFBIG",
  28: "ENOSPC", 30: "EROFS", 36: "ENAMETOOLONG", 38: "ENOSYS", 110: "ETIMEDOUT",
};

/** Syscall numbers differ per architecture; only these two are used. */
const SYSCALLS: Record<string, { futex: number; gettid: number; fcntl: number }> = {
  x64: { futex: 202, gettid: 186, fcntl: 72 },
  arm64: { futex: 98, gettid: 178, fcntl: 25 },
};
const SYS = SYSCALLS[process.arch];

/** errno of the calling thread. Read it right after the failing call. */
export function errno(): number {
  return read.i32(libc.__errno_location() as Pointer, 0);
}

/** "ENOENT (No such file or directory)" for an errno value. */
export function errnoText(code: number): string {
  const name = ERRNO_NAMES[code] ?? `errno ${code}`;
  return `${name} (${String(libc.strerror(code))})`;
}

/** NUL-terminated copy of a string for `const char*` arguments (cold paths only: it allocates). */
export function cstr(s: string): Buffer {
  return Buffer.from(`${s}\0`, "utf8");
}

/** The gid of a group name, or undefined when the group does not exist. */
export function groupId(name: string): number | undefined {
  const grp = libc.getgrnam(cstr(name));
  if (grp === null || grp === 0) return undefined;
  // struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; ... }: gr_gid at offset 16 on LP64.
  return read.u32(grp as Pointer, 16);
}

/**
 * futex(FUTEX_WAIT) on the u32 at `addr` (a shared mapping, so NOT the private variant: the kernel keys
 * the futex by inode+offset and any process mapping the file can wake it). Returns 0 when woken,
 * otherwise the errno: EAGAIN (the word != expected already), ETIMEDOUT, EINTR.
 */
export function futexWait(addr: number, expected: number, timespecPtr: number): number {
  if (!SYS) throw new Error(`futex: unsupported architecture ${process.arch}`);
  const r = libc.syscall(SYS.futex, addr, FUTEX_WAIT, expected | 0, timespecPtr, 0, 0);
  return r === 0 ? 0 : errno();
}

/** futex(FUTEX_WAKE): wakes up to `count` waiters on `addr`. Returns the number woken (or -1). */
export function futexWake(addr: number, count: number): number {
  if (!SYS) throw new Error(`futex: unsupported architecture ${process.arch}`);
  return Number(libc.syscall(SYS.futex, addr, FUTEX_WAKE, count, 0, 0, 0));
}

/** fcntl commands for open-file-description locks (Linux ≥ 3.15) and struct flock's l_type. */
export const F_OFD_SETLK = 37;
export const F_WRLCK = 1;
export const F_UNLCK = 2;

// struct flock on LP64 Linux: { short l_type; short l_whence; off_t l_start; off_t l_len; pid_t l_pid; } = 32 bytes.
const flock = new BigInt64Array(4);
const flockView = new DataView(flock.buffer);
const flockPtr = ptr(flock);

/**
 * fcntl(fd, F_OFD_SETLK, {type, SEEK_SET, start, len}) through syscall(2) (fcntl is variadic). An OFD lock
 * belongs to the open file description, so closing another descriptor of the same file (statRegion does)
 * does not drop it, and the kernel releases it when the process dies however it dies. Returns 0 or the errno
 * (EAGAIN/EACCES: held by another description).
 */
export function ofdLock(fd: number, type: number, start: number, len: number): number {
  if (!SYS) throw new Error(`fcntl: unsupported architecture ${process.arch}`);
  flock.fill(0n);
  flockView.setInt16(0, type, true);
  flockView.setBigInt64(8, BigInt(start), true);
  flockView.setBigInt64(16, BigInt(len), true);
  const r = Number(libc.syscall(SYS.fcntl, fd, F_OFD_SETLK, flockPtr, 0, 0, 0));
  return r === 0 ? 0 : errno();
}

/** Kernel thread id of the calling thread (for per-thread affinity). */
export function gettid(): number {
  if (!SYS) throw new Error(`gettid: unsupported architecture ${process.arch}`);
  return Number(libc.syscall(SYS.gettid, 0, 0, 0, 0, 0, 0));
}

