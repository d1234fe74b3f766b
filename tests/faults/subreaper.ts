// Runs one command as a child subreaper (prctl PR_SET_CHILD_SUBREAPER): when the command dies, its orphans are
// reparented here instead of to init, so their exit status can be read. Prints JSON lines on stdout (the command's
// own output goes to the same stdout/stderr): {"subreaper":"child","pid":N} once, then {"reaped":pid,"code":c,
// "signal":s,"at":ms} for every adopted process that ended. SIGTERM/SIGINT are passed on to the command.
// Only adopted pids are waited for, by pid: the command itself stays Bun's to reap.
// Usage: bun tests/faults/subreaper.ts COMMAND [ARGS...]
import { readdirSync, readFileSync } from "node:fs";
import { dlopen, FFIType, ptr } from "bun:ffi";

const PR_SET_CHILD_SUBREAPER = 36;
const WNOHANG = 1;
const libc = dlopen("libc.so.6", {
  prctl: { args: [FFIType.i32, FFIType.u64, FFIType.u64, FFIType.u64, FFIType.u64], returns: FFIType.i32 },
  waitpid: { args: [FFIType.i32, FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
}).symbols;

const argv = process.argv.slice(2);
if (argv.length === 0) {
  process.stderr.write("usage: subreaper COMMAND [ARGS...]\n");
  process.exit(2);
}
if (libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) !== 0) {
  process.stderr.write("subreaper: prctl(PR_SET_CHILD_SUBREAPER) failed\n");
  process.exit(1);
}
const child = Bun.spawn(argv, { stdin: "ignore", stdout: "inherit", stderr: "inherit", env: process.env });
const say = (o: object) => process.stdout.write(JSON.stringify(o) + "\n");
say({ subreaper: "child", pid: child.pid });
for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => child.kill(sig));

/** Processes whose parent is this one (zombies included), the command excepted. */
function adopted(): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d) || Number(d) === child.pid) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      // pid (comm) state ppid …; comm may hold spaces and parentheses: split after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === process.pid) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const status = new Int32Array(1);
let commandDone = false;
void child.exited.then(() => (commandDone = true));
for (;;) {
  const kids = adopted();
  for (const pid of kids) {
    if (libc.waitpid(pid, ptr(status), WNOHANG) !== pid) continue;
    const s = status[0]!;
    const sig = s & 0x7f;
    say({ reaped: pid, code: sig === 0 ? (s >> 8) & 0xff : null, signal: sig === 0 ? null : sig, at: Date.now() });
  }
  if (commandDone && kids.length === 0) break;
  await Bun.sleep(20); // pacing of the reaper's poll loop (the test bounds this process)
}
process.exit(0);
