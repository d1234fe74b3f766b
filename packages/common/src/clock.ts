// Clocks comparable across processes. Bun's hrtime/nanoseconds count from process start, so they are
// calibrated once against CLOCK_MONOTONIC / CLOCK_REALTIME (clock_gettime via FFI) and then read cheaply. The one
// clock_gettime binding of the repository.
import { dlopen, FFIType, ptr } from "bun:ffi";

const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;

const libc = dlopen("libc.so.6", {
  clock_gettime: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
});
const ts = new BigInt64Array(2);
const tsU32 = new Uint32Array(ts.buffer);
const tsPtr = ptr(ts);

/** Raw clock_gettime in µs (a syscall-free vDSO call, ~60 ns through FFI). */
export function clockMicros(clock: number): number {
  libc.symbols.clock_gettime(clock, tsPtr);
  return Number(ts[0]!) * 1_000_000 + Math.floor(Number(ts[1]!) / 1000);
}

/**
 * CLOCK_MONOTONIC in ns as a double, comparable across processes (unlike Bun.nanoseconds()).
 * Exact below 2^53 ns (104 days of uptime), 2-ns steps after that. Benchmarks and tests only.
 */
export function monoNanos(): number {
  libc.symbols.clock_gettime(CLOCK_MONOTONIC, tsPtr);
  // tv_sec and tv_nsec are both < 2^32 here; read the low halves to avoid BigInt conversion.
  return tsU32[0]! * 1e9 + tsU32[2]!;
}

let monoOffsetNs = 0;
let wallOffsetNs = 0;
function calibrate(): void {
  const before = Bun.nanoseconds();
  const mono = clockMicros(CLOCK_MONOTONIC) * 1000;
  const wall = clockMicros(CLOCK_REALTIME) * 1000;
  const after = Bun.nanoseconds();
  const mid = (before + after) / 2;
  monoOffsetNs = mono - mid;
  wallOffsetNs = wall - mid;
}
calibrate();

/** CLOCK_MONOTONIC in µs: system-wide, comparable between processes, never jumps. Exact in a double. */
export function monoMicros(): number {
  return Math.floor((Bun.nanoseconds() + monoOffsetNs) / 1000);
}

/**
 * Wall clock (CLOCK_REALTIME) in µs since the Unix epoch, exact in a double (< 2^53).
 * Derived from the monotonic clock plus an offset taken at start; call recalibrateWall() periodically
 * (e.g. every Health tick) so NTP steps are followed.
 */
export function wallMicros(): number {
  return Math.floor((Bun.nanoseconds() + wallOffsetNs) / 1000);
}

/** Re-reads CLOCK_REALTIME so wallMicros follows NTP adjustments. Cheap; not for the hot path. */
export function recalibrateWall(): void {
  calibrate();
}

export const Clock = { REALTIME: CLOCK_REALTIME, MONOTONIC: CLOCK_MONOTONIC } as const;

/** Wall µs corresponding to a monoMicros() reading (one clock read serves both stamps on the hot path). */
export function monoToWallMicros(mono: number): number {
  return mono + Math.round((wallOffsetNs - monoOffsetNs) / 1000);
}
