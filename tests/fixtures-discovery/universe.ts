// Deterministic coin universe behind the real-size instrument lists (generate.ts) and the WS stub tests.
// Plain coins are listed per source by a perturbed popularity rank so the per-source counts match the A.4 table;
// the tricky instruments (multipliers, statuses, other quotes, dated/index/TradFi contracts, aliases, collisions)
// are added explicitly by generate.ts.
import type { SourceName } from "@spread/common";
import { prng } from "../prng.ts";
export { prng } from "../prng.ts";


// Real tickers first (most popular first, roughly), then synthetic ones to reach real size.
const REAL = `BTC ETH SOL XRP BNB DOGE ADA TRX AVAX LINK TON DOT MATIC LTC BCH NEAR UNI ICP APT ETC FIL ATOM
ARB OP IMX HBAR STX INJ SUI SEI TIA RNDR GRT AAVE MKR LDO RUNE FTM ALGO EGLD SAND MANA AXS THETA XLM VET EOS
XTZ FLOW CHZ GALA APE CRV SNX COMP YFI SUSHI BAL KAVA ZIL ENJ BAT ZRX ANKR OCEAN FET AGIX WLD JUP PYTH JTO
ORDI BLUR ARKM CYBER ID EDU MAV PENDLE GMX DYDX WOO CFX KAS KLAY ROSE ONE CELO QTUM NEO GAS ICX ONT IOTA
ZEC DASH XMR WAVES KSM MINA AR HNT IOTX SKL STORJ LRC CELR COTI RSR OGN BAND NKN API3 UMA REN SXP HOT DENT
CKB RVN SC DGB ONG JASMY PEOPLE LUNC USTC LUNA FLR CORE TRB BICO ACH AUDIO MASK LPT GLM RLC POLYX SSV RPL ETHFI
ENA W TNSR OMNI SAGA REZ BB NOT IO ZK ZRO LISTA BANANA RENDER DOGS TON NEIRO TURBO MEW POPCAT BRETT MOG
GOAT PNUT ACT CHILLGUY MOODENG VIRTUAL AI16Z FARTCOIN ZEREBRO GRIFFAIN SWARMS AIXBT COOKIE TRUMP MELANIA
ANIME BERA IP KAITO SHELL RED LAYER PARTI NIL BABY WCT HYPER INIT SIGN SOPH HOME RESOLV SAHARA TREE PROVE
BIO ME MOVE USUAL VANA PENGU HYPE XAI PORTAL PIXEL ALT MANTA DYM STRK ACE NFP AI ALICE ILV YGG MAGIC GMT
GAL HOOK HIGH RDNT SPELL JOE LQTY PERP DODO ALPHA BEL FORTH TLM SLP SUN JST WIN BTT NFT CHR CTSI DUSK REEF
VTHO XVS LINA KNC ASTR GLMR MOVR BLZ ARPA CVC LOOM AERGO PHB AMB STMX MTL POWR REQ FIDA RAY SRM MNGO BONKSOL
STG ARB BONE TWT SFP CAKE XVG AEVO BOME SLERF MYRO WEN ZETA ONDO ENS LEVER HIFI CHESS GTC DIA COMBO ARK
QNT XEC AKT RIF CTC MDT PROM FLUX DAR NMR OXT KEY VOXEL GHST QI ERN ALCX BADGER RARE AGLD POND SUPER`;

export interface Coin {
  readonly base: string;
  /** Price of ONE unit in USDT. */
  readonly price: number;
  /** 0 = most popular. */
  readonly rank: number;
}

function syntheticName(r: () => number, taken: Set<string>): string {
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (;;) {
    const len = 3 + Math.floor(r() * 3);
    let s = "";
    for (let i = 0; i < len; i++) s += A[Math.floor(r() * 26)];
    // no name that could read as a quote, a multiplier or an existing ticker
    if (!taken.has(s) && !/USD|EUR|TRY|BTC|ETH|BNB|PERP|^K/.test(s)) return s;
  }
}

/** Coins that get special handling in generate.ts and must not be listed as plain coins. */
export const SPECIAL_BASES = new Set(["PEPE", "SHIB", "BONK", "FLOKI", "BABYDOGE", "MOG", "AIDOGE", "SATS", "CHEEMS", "BEAM", "BEAMX", "GAS", "NEIRO", "NEIROCTO", "1INCH", "XAU", "SILVER", "TSLA"]);

function buildCoins(): Coin[] {
  const r = prng(20260721);
  const seen = new Set<string>(SPECIAL_BASES);
  const list: string[] = [];
  for (const b of REAL.split(/\s+/)) if (b && !seen.has(b)) (seen.add(b), list.push(b));
  while (list.length < 700) {
    const n = syntheticName(r, seen);
    seen.add(n);
    list.push(n);
  }
  return list.map((base, rank) => {
    const logp = -5 + r() * 9; // 1e-5 .. 1e4
    const price = Number((10 ** logp).toPrecision(5));
    return { base, price, rank };
  });
}

export const COINS: readonly Coin[] = buildCoins();

/** USDT-quoted tradable plain listings per source (A.4 table minus the special instruments added by hand). */
export const PLAIN_TARGET: Readonly<Record<SourceName, number>> = {
  binance_spot: 452,
  binance_futures: 518,
  bybit_spot: 388,
  bybit_futures: 386,
  mexc_spot: 537,
  mexc_futures: 572,
  okx_spot: 271,
  okx_futures: 246,
};

/** Plain bases listed on `source`: top-N by rank perturbed per source (deterministic). */
export function plainBases(source: SourceName): string[] {
  const seed = [...source].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
  const r = prng(seed);
  const scored = COINS.map((c) => ({ c, score: c.rank + (r() - 0.5) * 800 * (c.rank < 40 ? 0 : 1) }));
  scored.sort((a, b) => a.score - b.score || a.c.rank - b.c.rank);
  return scored.slice(0, PLAIN_TARGET[source]).map((x) => x.c.base).sort();
}

/** Per-unit prices of the special coins (generate.ts and the WS stub use the same numbers). */
export const SPECIAL_PRICE: Readonly<Record<string, number>> = {
  PEPE: 0.0000102,
  SHIB: 0.0000143,
  BONK: 0.0000181,
  FLOKI: 0.000095,
  BABYDOGE: 0.0000000012,
  MOG: 0.0000011,
  AIDOGE: 0.00000000031,
  SATS: 0.00000021,
  /** The real token named 1000SATS (Binance spot): 1000 SATS. */
  "1000SATS": 0.00021,
  CHEEMS: 0.0000012,
  "1000CHEEMS": 0.0012,
  BEAM: 0.0061,
  BEAMX: 0.0061,
  GAS: 2.9,
  NEIRO: 0.00041,
  "1INCH": 0.25,
};

export function priceOf(base: string): number {
  const s = SPECIAL_PRICE[base];
  if (s !== undefined) return s;
  const c = COINS.find((x) => x.base === base);
  return c ? c.price : 1;
}
