// The one condition wait of the test suites: poll until true or fail after a bound (never a fixed sleep).

/**
 * Polls `cond` every `everyMs` until it is truthy or `timeoutMs` passes; returns the elapsed ms or throws naming
 * `what` and, when `saw` is given, what it saw last (so a timeout on a loaded CI box says how far it got).
 */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50, saw?: () => unknown): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (await cond()) return performance.now() - t0;
    if (performance.now() - t0 >= timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}${saw ? `; saw: ${show(saw())}` : ""}`);
    await Bun.sleep(everyMs);
  }
}

function show(v: unknown): string {
  if (typeof v === "string") return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
