// Operator rules from [discovery] aliases / deny, parsed and checked once (errors name the config key).
import { ConfigError, SOURCE_NAMES, parseSourceName } from "@spread/common";

export interface AliasRule {
  readonly base: string;
  /** Explicit "BASE*1000"; null = take the venue's multiplier hint when the alias names the hinted base, else 1. */
  readonly multiplier: number | null;
}

export interface NormalizeRules {
  /** "source:EXCHANGE_SYMBOL" → alias. */
  readonly aliases: ReadonlyMap<string, AliasRule>;
  /** "source:EXCHANGE_SYMBOL" never listed. */
  readonly denyListings: ReadonlySet<string>;
  /** normalized names ("XYZ-USDT") never listed. */
  readonly denyNames: ReadonlySet<string>;
}

export const NO_RULES: NormalizeRules = { aliases: new Map(), denyListings: new Set(), denyNames: new Set() };

export function listingKey(source: number, exchangeSymbol: string): string {
  return `${SOURCE_NAMES[source]}:${exchangeSymbol}`;
}

const BASE_RE = /^[^\s\-/:*]{1,60}$/u;

/** True when `base` can form a normalized name: 1-60 characters, none of whitespace - / : *. */
export function isValidBase(base: string): boolean {
  return BASE_RE.test(base);
}

function splitKey(key: string, what: string): string {
  const i = key.indexOf(":");
  if (i <= 0 || i === key.length - 1) throw new ConfigError(`${what}: "${key}" must be "source:EXCHANGE_SYMBOL" (source one of ${SOURCE_NAMES.join(", ")})`);
  const source = key.slice(0, i);
  try {
    parseSourceName(source);
  } catch (err) {
    throw new ConfigError(`${what}: "${key}": ${(err as Error).message}`);
  }
  return key;
}

/** Parses `[discovery] aliases` and `deny`; `file` prefixes error messages. */
export function parseRules(aliases: Record<string, string>, deny: readonly string[], file = "config"): NormalizeRules {
  const a = new Map<string, AliasRule>();
  for (const [key, value] of Object.entries(aliases)) {
    const k = splitKey(key, `${file}: discovery.aliases`);
    const m = /^([^*]+?)(?:\*(\d+))?$/.exec(value.trim());
    const base = m?.[1]?.toUpperCase() ?? "";
    if (!m || !isValidBase(base)) throw new ConfigError(`${file}: discovery.aliases."${key}": "${value}" must be a base asset like "BEAM" or "PEPE*1000"`);
    const mult = m[2] !== undefined ? Number(m[2]) : null;
    if (mult !== null && !(mult >= 1 && Number.isSafeInteger(mult))) throw new ConfigError(`${file}: discovery.aliases."${key}": multiplier must be a positive integer`);
    a.set(k, { base, multiplier: mult });
  }
  const listings = new Set<string>();
  const names = new Set<string>();
  for (const d of deny) {
    if (d.includes(":")) listings.add(splitKey(d, `${file}: discovery.deny`));
    else {
      const name = d.trim().toUpperCase();
      if (!/^[^\s\-/:*]{1,60}-USDT$/u.test(name)) throw new ConfigError(`${file}: discovery.deny: "${d}" must be a normalized name like "XYZ-USDT" or "source:EXCHANGE_SYMBOL"`);
      names.add(name);
    }
  }
  return { aliases: a, denyListings: listings, denyNames: names };
}
