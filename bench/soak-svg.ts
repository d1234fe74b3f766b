// A hand-written SVG line chart for the soak report (no plotting dependency): stacked panels sharing the time
// axis, one polyline per series, event markers as vertical lines, a legend on the right.

export interface Series {
  readonly name: string;
  /** Seconds since the start, ascending. */
  readonly t: readonly number[];
  /** NaN breaks the line (process gone / first CPU sample). */
  readonly v: readonly number[];
}

export interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly series: readonly Series[];
  /** Series named in a legend inside the panel (own colours) instead of the shared legend on the right. */
  readonly ownLegend?: boolean;
}

export interface Marker {
  readonly tS: number;
  readonly label: string;
  /** "major" is a dashed line across every panel with its label; "minor" a short tick at each panel's bottom. */
  readonly kind: "major" | "minor";
}

const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aec7e8", "#ff9896", "#98df8a", "#c5b0d5"];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const fmt = (x: number) => (Math.round(x * 10) / 10).toString();

/** A "nice" step (1, 2, 5 × 10^k) giving about `n` ticks over `range`. */
export function niceStep(range: number, n: number): number {
  if (!(range > 0)) return 1;
  const raw = range / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

export function renderChart(title: string, panels: readonly Panel[], markers: readonly Marker[], opts: { width?: number; panelHeight?: number } = {}): string {
  const W = opts.width ?? 1100;
  const PH = opts.panelHeight ?? 260;
  const left = 64;
  const right = 190;
  const top = 56;
  const gap = 46;
  const plotW = W - left - right;
  const H = top + panels.length * (PH + gap) + 10;
  const names = [...new Set(panels.filter((p) => !p.ownLegend).flatMap((p) => p.series.map((s) => s.name)))];
  const shared = (name: string) => PALETTE[names.indexOf(name) % PALETTE.length]!;
  let tMax = 0;
  for (const p of panels) for (const s of p.series) for (const t of s.t) tMax = Math.max(tMax, t);
  tMax = Math.max(tMax, 1);
  const x = (t: number) => left + (t / tMax) * plotW;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${left}" y="22" font-size="14" font-weight="bold">${esc(title)}</text>`);
  const xStepMin = niceStep(tMax / 60, 10);
  panels.forEach((panel, pi) => {
    const y0 = top + pi * (PH + gap);
    let vMax = 0;
    for (const s of panel.series) for (const v of s.v) if (Number.isFinite(v)) vMax = Math.max(vMax, v);
    const yStep = niceStep(vMax || 1, 5);
    const yTop = Math.max(yStep, Math.ceil((vMax * 1.05) / yStep) * yStep);
    const y = (v: number) => y0 + PH - (v / yTop) * PH;
    const color = panel.ownLegend ? (name: string) => PALETTE[panel.series.findIndex((x) => x.name === name) % PALETTE.length]! : shared;
    out.push(`<text x="${left}" y="${y0 - 6}" font-size="12" font-weight="bold">${esc(panel.title)} (${esc(panel.unit)})</text>`);
    out.push(`<rect x="${left}" y="${y0}" width="${plotW}" height="${PH}" fill="none" stroke="#999"/>`);
    for (let v = 0; v <= yTop + 1e-9; v += yStep) {
      out.push(`<line x1="${left}" x2="${left + plotW}" y1="${fmt(y(v))}" y2="${fmt(y(v))}" stroke="#eee"/>`);
      out.push(`<text x="${left - 6}" y="${fmt(y(v) + 4)}" text-anchor="end">${fmt(v)}</text>`);
    }
    for (let m = 0; m * 60 <= tMax + 1e-9; m += xStepMin) {
      out.push(`<line x1="${fmt(x(m * 60))}" x2="${fmt(x(m * 60))}" y1="${y0}" y2="${y0 + PH}" stroke="#f3f3f3"/>`);
      out.push(`<text x="${fmt(x(m * 60))}" y="${y0 + PH + 14}" text-anchor="middle">${fmt(m)}</text>`);
    }
    out.push(`<text x="${left + plotW}" y="${y0 + PH + 28}" text-anchor="end">minutes since the system was up</text>`);
    for (const mk of markers) {
      const mx = fmt(x(mk.tS));
      if (mk.kind === "major") {
        out.push(`<line x1="${mx}" x2="${mx}" y1="${y0}" y2="${y0 + PH}" stroke="#444" stroke-dasharray="5,4"/>`);
        out.push(`<text x="${mx}" y="${y0 + 12}" dx="4">${esc(mk.label)}</text>`);
      } else {
        out.push(`<line x1="${mx}" x2="${mx}" y1="${y0 + PH - 8}" y2="${y0 + PH}" stroke="#c00"><title>${esc(mk.label)}</title></line>`);
      }
    }
    for (const s of panel.series) {
      let d = "";
      let pen = false;
      for (let i = 0; i < s.t.length; i++) {
        const v = s.v[i]!;
        if (!Number.isFinite(v)) {
          pen = false;
          continue;
        }
        d += `${pen ? "L" : "M"}${fmt(x(s.t[i]!))},${fmt(y(v))}`;
        pen = true;
      }
      if (d) out.push(`<path d="${d}" fill="none" stroke="${color(s.name)}" stroke-width="1.3"><title>${esc(s.name)}</title></path>`);
    }
    if (panel.ownLegend) {
      panel.series.forEach((s, i) => {
        const ly = y0 + 14 + i * 16;
        out.push(`<line x1="${left + plotW - 170}" x2="${left + plotW - 150}" y1="${ly}" y2="${ly}" stroke="${color(s.name)}" stroke-width="3"/>`);
        out.push(`<text x="${left + plotW - 144}" y="${ly + 4}">${esc(s.name)}</text>`);
      });
    }
  });
  names.forEach((n, i) => {
    const ly = top + 8 + i * 17;
    out.push(`<line x1="${W - right + 14}" x2="${W - right + 36}" y1="${ly}" y2="${ly}" stroke="${shared(n)}" stroke-width="3"/>`);
    out.push(`<text x="${W - right + 42}" y="${ly + 4}">${esc(n)}</text>`);
  });
  const ly = top + 8 + names.length * 17 + 10;
  out.push(`<line x1="${W - right + 14}" x2="${W - right + 36}" y1="${ly}" y2="${ly}" stroke="#444" stroke-dasharray="5,4"/><text x="${W - right + 42}" y="${ly + 4}">discovery reload</text>`);
  out.push(`<line x1="${W - right + 25}" x2="${W - right + 25}" y1="${ly + 10}" y2="${ly + 20}" stroke="#c00"/><text x="${W - right + 42}" y="${ly + 19}">forced disconnect</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}
