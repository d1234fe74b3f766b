// Upper bounds and URL checks shared by the config schemas. Every numeric setting has an upper bound: a value
// past it is a typo, and for timers a silent failure (setTimeout/setInterval clamp delays above 2^31-1 ms to 1 ms).
import { z } from "zod";

/** The largest delay setTimeout/setInterval honour (~24.8 days); any *_ms setting must fit. */
export const TIMER_MAX_MS = 2 ** 31 - 1;
/** The same bound for settings given in seconds (they become timers in ms). */
export const TIMER_MAX_S = Math.floor(TIMER_MAX_MS / 1000);
/** sched_setaffinity's CPU_SETSIZE: CPU numbers are 0..1023. */
export const CPU_MAX = 1023;

/** A timer in milliseconds, >= min (1 unless 0 means "off"), <= TIMER_MAX_MS. */
export const ms = (min = 1) => z.number().int().min(min).max(TIMER_MAX_MS, `must be at most ${TIMER_MAX_MS} ms (2^31-1, the longest timer)`);
/** A duration in seconds (> 0, fractions allowed) that becomes a timer. */
export const seconds = () => z.number().positive().max(TIMER_MAX_S, `must be at most ${TIMER_MAX_S} s (2^31-1 ms, the longest timer)`);
/** A whole count in [min, max]. */
export const count = (min: number, max: number) => z.number().int().min(min).max(max);

/**
 * Why `text` is not a usable base URL with one of `schemes` (without the colon), or null when it is: it must parse,
 * have a host, a port in 1..65535 if one is given, and no credentials, query or fragment (adapters append paths).
 */
export function urlProblem(text: string, schemes: readonly string[]): string | null {
  const want = schemes.join(" or ");
  if (/\s/.test(text)) return `"${text}" is not a ${want} URL (contains whitespace)`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return `"${text}" is not a valid ${want} URL (bad host or port? ports are 1..65535)`;
  }
  if (!schemes.includes(u.protocol.slice(0, -1))) return `"${text}": scheme must be ${want}`;
  if (u.hostname === "") return `"${text}": no host`;
  if (u.port === "0") return `"${text}": port must be 1..65535`;
  if (u.username !== "" || u.password !== "") return `"${text}": credentials do not belong in the URL`;
  if (u.search !== "" || u.hash !== "" || text.includes("?") || text.includes("#")) return `"${text}": a base URL has no query or fragment`;
  return null;
}

/** A string that must be a base URL with one of `schemes`. */
export function urlSchema(schemes: readonly string[]) {
  return z.string().superRefine((text, ctx) => {
    const problem = urlProblem(text, schemes);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
  });
}
