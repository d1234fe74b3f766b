// A process benchmark leaves nothing behind however it ends: its children, shared memory and scratch go on the
// normal end, a failure, SIGINT/SIGTERM and a deadline alike, so a stuck or interrupted run never hangs
// `bun run bench` or leaks processes into the next one.

export interface Teardown {
  /** The graceful stop; runs once, every caller (normal end, signal, deadline) awaits the same run. */
  stop(): Promise<void>;
  /** Arms the deadline: after `ms` the run stops with exit 1 (`why` says what the limit means). */
  deadline(ms: number, why?: string): void;
}

/**
 * `stop` stops the children in order and removes the scratch; `atExit` is the synchronous fallback for an exit
 * that skipped it (an uncaught throw), where awaiting is no longer possible.
 */
export function teardownOnExit(tag: string, stop: () => Promise<void>, atExit: () => void): Teardown {
  let run: Promise<void> | null = null;
  let done = false;
  const once = (): Promise<void> =>
    (run ??= stop().then(() => {
      done = true;
    }));
  process.on("exit", () => {
    if (!done) atExit();
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      console.error(`\n${tag}: ${sig}, cleaning up`);
      void once().then(() => process.exit(130));
    });
  }
  return {
    stop: once,
    deadline(ms, why) {
      setTimeout(() => {
        console.error(`${tag}: deadline of ${Math.round(ms / 1000)} s passed${why ? ` (${why})` : ""}; cleaning up`);
        void once().then(() => process.exit(1));
      }, ms).unref();
    },
  };
}
