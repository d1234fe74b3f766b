// Allocation-light decimal formatting of integer tick/lot counts for frame templates (no toFixed, no JSON).

const ZEROS: string[] = [];
for (let i = 0, z = ""; i <= 24; i++, z += "0") ZEROS.push(z);

/** `units` × 10^-dec as a fixed-point string: (3521, 4) → "0.3521", (7, 0) → "7". */
export function fixed(units: number, dec: number): string {
  let s = String(units);
  if (dec === 0) return s;
  if (s.length <= dec) s = ZEROS[dec - s.length + 1]! + s;
  const cut = s.length - dec;
  return s.slice(0, cut) + "." + s.slice(cut);
}

/** Fixed-point with the decimals padded to `width` (Binance spot always prints 8: "0.35210000"). */
export function padded(units: number, dec: number, width: number): string {
  return width > dec ? fixed(units, dec) + ZEROS[width - dec]! : fixed(units, dec);
}

/** Fixed-point with trailing zeros removed ("84270.00" → "84270", "0.0120" → "0.012"); OKX and MEXC style. */
export function trimmed(units: number, dec: number): string {
  if (dec === 0) return String(units);
  let s = fixed(units, dec);
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * A JSON number the way MEXC's futures API prints one: plain decimals, but exponent form with a two-digit
 * exponent for small values ("3.4103e-06"), which JSON.parse accepts and naive parsers do not.
 */
export function mexcNumber(units: number, dec: number): string {
  const v = units / 10 ** dec;
  if (v !== 0 && v < 1e-4) {
    const e = Math.floor(Math.log10(v));
    const m = trimmedMantissa(v / 10 ** e);
    const ae = -e;
    return `${m}e-${ae < 10 ? "0" : ""}${ae}`;
  }
  return trimmed(units, dec);
}

function trimmedMantissa(m: number): string {
  let s = m.toFixed(5);
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
