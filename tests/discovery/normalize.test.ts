// Stage 2 decisions on hand-built RawInstruments: strict filters, multiplier mapping, aliases, deny list, dedupe.
import { describe, expect, test } from "bun:test";
import { ConfigError, SourceId as S } from "@spread/common";
import { NO_RULES, assignIdentities, filterInstrument, filterSource, parseRules, type Candidate, type Listing } from "@spread/discovery";
import { raw, rawHint } from "./helpers.ts";

function rejectReason(r: ReturnType<typeof filterInstrument>): string {
  return r.ok ? "accepted" : `${r.rejection.reason}:${r.rejection.detail}`;
}

describe("filterInstrument (strict)", () => {
  test("tradable only, status text kept for the report", () => {
    expect(rejectReason(filterInstrument(raw(S.binance_spot, "BCCUSDT", "BCC", { tradable: false, status: "BREAK" }), S.binance_spot, NO_RULES))).toBe("not_tradable:BREAK");
    expect(rejectReason(filterInstrument(raw(S.binance_futures, "XUSDT", "X", { tradable: false, status: "SETTLING" }), S.binance_futures, NO_RULES))).toBe("not_tradable:SETTLING");
    expect(rejectReason(filterInstrument(raw(S.okx_spot, "X-USDT", "X", { tradable: false, status: "suspend" }), S.okx_spot, NO_RULES))).toBe("not_tradable:suspend");
  });
  test("quote == USDT by equality, not substring", () => {
    expect(rejectReason(filterInstrument(raw(S.binance_spot, "USDTTRY", "USDT", { quote: "TRY" }), S.binance_spot, NO_RULES))).toBe("quote_not_usdt:TRY");
    expect(rejectReason(filterInstrument(raw(S.binance_spot, "BTCFDUSD", "BTC", { quote: "FDUSD" }), S.binance_spot, NO_RULES))).toBe("quote_not_usdt:FDUSD");
    expect(rejectReason(filterInstrument(raw(S.binance_spot, "XUSDT0", "X", { quote: "USDT0" }), S.binance_spot, NO_RULES))).toBe("quote_not_usdt:USDT0");
    expect(filterInstrument(raw(S.binance_spot, "USDCUSDT", "USDC"), S.binance_spot, NO_RULES).ok).toBe(true);
  });
  test("perpetuals only on futures sources, spot only on spot sources", () => {
    expect(rejectReason(filterInstrument(raw(S.binance_futures, "BTCUSDT_260925", "BTC", { kind: "other", otherReason: "dated" }), S.binance_futures, NO_RULES))).toBe("wrong_kind:dated");
    expect(rejectReason(filterInstrument(raw(S.binance_futures, "DEFIUSDT", "DEFI", { kind: "other", otherReason: "index" }), S.binance_futures, NO_RULES))).toBe("wrong_kind:index");
    expect(rejectReason(filterInstrument(raw(S.bybit_futures, "BIOUSDT", "BIO", { kind: "other", otherReason: "prelaunch" }), S.bybit_futures, NO_RULES))).toBe("wrong_kind:prelaunch");
    expect(rejectReason(filterInstrument(raw(S.bybit_spot, "BTCUSDT", "BTC", { kind: "perpetual" }), S.bybit_spot, NO_RULES))).toBe("wrong_kind:perpetual");
    expect(rejectReason(filterInstrument(raw(S.okx_futures, "BTC-USDT", "BTC", { kind: "spot" }), S.okx_futures, NO_RULES))).toBe("wrong_kind:spot");
  });
  test("futures settled in anything but USDT are other instruments", () => {
    expect(rejectReason(filterInstrument(raw(S.okx_futures, "BTC-USDT-SWAP", "BTC", { settle: "USDC" }), S.okx_futures, NO_RULES))).toBe("settle_not_usdt:USDC");
  });
  test("order parameters are kept; zero/negative become null", () => {
    const r = filterInstrument(raw(S.okx_futures, "ETH-USDT-SWAP", "ETH", { minQty: 0.01, maxQty: 0, tickSize: 0.01, minNotional: null, contractSize: 0.1 }), S.okx_futures, NO_RULES);
    expect(r.ok && r.candidate.params).toEqual({ minQty: 0.01, maxQty: null, tickSize: 0.01, minNotional: null, contractSize: 0.1 });
  });
  test("a base that cannot form a name is refused", () => {
    expect(rejectReason(filterInstrument(raw(S.mexc_spot, "A-BUSDT", "A-B"), S.mexc_spot, NO_RULES))).toBe("bad_base:A-B");
  });
});

function names(listings: readonly Listing[]): Record<string, string> {
  return Object.fromEntries(listings.map((l) => [`${l.source}:${l.exchangeSymbol}`, `${l.name}×${l.multiplier}/${l.origin}`]));
}

function identities(instruments: ReturnType<typeof raw>[], rules = NO_RULES) {
  const candidates: Candidate[] = [];
  for (const r of instruments) {
    const f = filterInstrument(r, r.source, rules);
    if (f.ok) candidates.push(f.candidate);
  }
  return assignIdentities(candidates, rules);
}

describe("multiplier names (assignIdentities)", () => {
  const spot = [
    raw(S.binance_spot, "PEPEUSDT", "PEPE"),
    raw(S.okx_spot, "SHIB-USDT", "SHIB"),
    raw(S.mexc_spot, "BABYDOGEUSDT", "BABYDOGE"),
    raw(S.mexc_spot, "AIDOGEUSDT", "AIDOGE"),
    raw(S.okx_spot, "SATS-USDT", "SATS"),
    rawHint(S.binance_spot, "1000SATSUSDT", "1000SATS", 1000, "SATS"),
  ];
  const futures = [
    rawHint(S.binance_futures, "1000PEPEUSDT", "1000PEPE", 1000, "PEPE"),
    rawHint(S.bybit_futures, "SHIB1000USDT", "SHIB1000", 1000, "SHIB"),
    rawHint(S.binance_futures, "1MBABYDOGEUSDT", "1MBABYDOGE", 1e6, "BABYDOGE"),
    rawHint(S.bybit_futures, "10000000AIDOGEUSDT", "10000000AIDOGE", 1e7, "AIDOGE"),
    rawHint(S.binance_futures, "1000SATSUSDT", "1000SATS", 1000, "SATS"),
    rawHint(S.bybit_futures, "10000SATSUSDT", "10000SATS", 10000, "SATS"),
    rawHint(S.bybit_futures, "1000000CHEEMSUSDT", "1000000CHEEMS", 1e6, "CHEEMS"),
    raw(S.okx_futures, "PEPE-USDT-SWAP", "PEPE", { contractSize: 10_000_000 }),
  ];
  const out = identities([...spot, ...futures]);
  const n = names(out.listings);
  test("prefixed/suffixed multipliers map to the plain base traded on spot", () => {
    expect(n[`${S.binance_futures}:1000PEPEUSDT`]).toBe("PEPE-USDT×1000/multiplier");
    expect(n[`${S.bybit_futures}:SHIB1000USDT`]).toBe("SHIB-USDT×1000/multiplier");
    expect(n[`${S.binance_futures}:1MBABYDOGEUSDT`]).toBe("BABYDOGE-USDT×1000000/multiplier");
    expect(n[`${S.bybit_futures}:10000000AIDOGEUSDT`]).toBe("AIDOGE-USDT×10000000/multiplier");
    expect(n[`${S.bybit_futures}:10000SATSUSDT`]).toBe("SATS-USDT×10000/multiplier");
  });
  test("per-token venues keep multiplier 1 (size is in contractSize)", () => {
    expect(n[`${S.okx_futures}:PEPE-USDT-SWAP`]).toBe("PEPE-USDT×1/plain");
  });
  test("1000SATS listed on spot as 1000SATS stays itself (the price check may still move it)", () => {
    expect(n[`${S.binance_spot}:1000SATSUSDT`]).toBe("1000SATS-USDT×1/lookalike");
    expect(n[`${S.binance_futures}:1000SATSUSDT`]).toBe("1000SATS-USDT×1/lookalike");
    const l = out.listings.find((x) => x.source === S.binance_futures && x.exchangeSymbol === "1000SATSUSDT")!;
    expect(l.alt).toEqual({ base: "SATS", name: "SATS-USDT", multiplier: 1000 });
  });
  test("no spot market for either form → stays itself", () => {
    expect(n[`${S.bybit_futures}:1000000CHEEMSUSDT`]).toBe("1000000CHEEMS-USDT×1/lookalike");
  });
});

describe("aliases and deny list", () => {
  test("alias renames; BASE*N sets the multiplier; the hint applies when the alias names the hinted base", () => {
    const rules = parseRules(
      { "mexc_spot:BEAMXUSDT": "BEAM", "binance_futures:BEAMXUSDT": "beam", "bybit_futures:SHIB1000USDT": "SHIB*1000", "binance_futures:1000PEPEUSDT": "PEPE" },
      [],
    );
    const out = identities(
      [
        raw(S.mexc_spot, "BEAMXUSDT", "BEAMX"),
        raw(S.binance_futures, "BEAMXUSDT", "BEAMX"),
        raw(S.okx_spot, "BEAM-USDT", "BEAM"),
        rawHint(S.bybit_futures, "SHIB1000USDT", "SHIB1000", 1000, "SHIB"),
        rawHint(S.binance_futures, "1000PEPEUSDT", "1000PEPE", 1000, "PEPE"),
      ],
      rules,
    );
    const n = names(out.listings);
    expect(n[`${S.mexc_spot}:BEAMXUSDT`]).toBe("BEAM-USDT×1/alias");
    expect(n[`${S.binance_futures}:BEAMXUSDT`]).toBe("BEAM-USDT×1/alias");
    expect(n[`${S.bybit_futures}:SHIB1000USDT`]).toBe("SHIB-USDT×1000/alias");
    expect(n[`${S.binance_futures}:1000PEPEUSDT`]).toBe("PEPE-USDT×1000/alias");
  });
  test("deny by listing and by normalized name", () => {
    const rules = parseRules({}, ["mexc_spot:GASUSDT", "neirocto-usdt"]);
    const f = filterInstrument(raw(S.mexc_spot, "GASUSDT", "GAS"), S.mexc_spot, rules);
    expect(rejectReason(f)).toBe("denied:mexc_spot:GASUSDT");
    const out = identities([raw(S.binance_spot, "GASUSDT", "GAS"), raw(S.mexc_spot, "GASUSDT", "GAS"), raw(S.bybit_spot, "NEIROCTOUSDT", "NEIROCTO")], rules);
    expect(out.listings.map((l) => `${l.source}:${l.name}`)).toEqual([`${S.binance_spot}:GAS-USDT`]);
    expect(out.rejections).toEqual([{ source: S.bybit_spot, exchangeSymbol: "NEIROCTOUSDT", reason: "denied", detail: "NEIROCTO-USDT" }]);
  });
  test("bad rules are config errors naming the key", () => {
    expect(() => parseRules({ "nowhere:XUSDT": "X" }, [])).toThrow(ConfigError);
    expect(() => parseRules({ "nowhere:XUSDT": "X" }, [], "config.toml")).toThrow(/config.toml: discovery.aliases: "nowhere:XUSDT": unknown source "nowhere"/);
    expect(() => parseRules({ "okx_spot:X-USDT": "A-B" }, [])).toThrow(/must be a base asset/);
    expect(() => parseRules({}, ["BTCUSDT"])).toThrow(/discovery.deny: "BTCUSDT" must be a normalized name/);
  });
});

describe("dedupe per source", () => {
  test("two instruments of one source with one name: the plain one wins, the other is reported", () => {
    const out = identities([raw(S.binance_spot, "PEPEUSDT", "PEPE"), raw(S.binance_futures, "PEPEUSDT", "PEPE"), rawHint(S.binance_futures, "1000PEPEUSDT", "1000PEPE", 1000, "PEPE")]);
    expect(out.listings.filter((l) => l.source === S.binance_futures).map((l) => l.exchangeSymbol)).toEqual(["PEPEUSDT"]);
    expect(out.rejections).toEqual([{ source: S.binance_futures, exchangeSymbol: "1000PEPEUSDT", reason: "duplicate", detail: "PEPE-USDT is PEPEUSDT" }]);
  });
  test("input order does not matter", () => {
    const xs = [raw(S.binance_spot, "PEPEUSDT", "PEPE"), rawHint(S.binance_futures, "1000PEPEUSDT", "1000PEPE", 1000, "PEPE"), raw(S.okx_spot, "BTC-USDT", "BTC"), raw(S.binance_futures, "PEPEUSDT", "PEPE")];
    const a = identities(xs);
    const b = identities([...xs].reverse());
    expect(b).toEqual(a);
  });
  test("filterSource splits accepted and rejected", () => {
    const r = filterSource(S.okx_spot, [raw(S.okx_spot, "BTC-USDT", "BTC"), raw(S.okx_spot, "BTC-USDC", "BTC", { quote: "USDC" })], NO_RULES);
    expect(r.candidates.map((c) => c.exchangeSymbol)).toEqual(["BTC-USDT"]);
    expect(r.rejections.map((x) => x.reason)).toEqual(["quote_not_usdt"]);
  });
});
