// Control endpoint (JSON over HTTP): state, universe and quotes for tests and operators, fault injection,
// spread episodes and the update rate at run time. See docs/simulator.md for the full API.
import type { Server } from "bun";
import { errorMessage, SOURCE_NAMES, SourceId, type Logger, type SourceName } from "@spread/common";
import { ZodError } from "zod";
import type { SimHandle } from "./sim.ts";

const ok = (body: unknown, status = 200) => Response.json(body, { status });
const bad = (msg: string, status = 400) => Response.json({ ok: false, error: msg }, { status });

function zodText(err: ZodError): string {
  return err.issues.map((i) => `${i.path.length ? i.path.join(".") : "(body)"}: ${i.message}`).join("; ");
}

async function body(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === "") return {};
  return JSON.parse(text);
}

function sourceParam(url: URL): number {
  const name = url.searchParams.get("source") ?? "";
  const s = SourceId[name as SourceName];
  if (s === undefined) throw new Error(`source must be one of ${SOURCE_NAMES.join(", ")}`);
  return s;
}

export function startControl(sim: SimHandle, host: string, port: number, log: Logger): Server<undefined> {
  return Bun.serve({
    hostname: host,
    port,
    idleTimeout: 30,
    async fetch(req) {
      const url = new URL(req.url);
      const m = req.method;
      const p = url.pathname.replace(/\/+$/, "") || "/";
      try {
        if (m === "GET" && p === "/health") return ok({ ok: true });
        if (m === "GET" && p === "/state") return ok(sim.state(url.searchParams.get("conns") !== "0"));
        if (m === "GET" && p === "/universe") {
          const s = sourceParam(url);
          const book = sim.market.books[s]!;
          return ok(sim.universe.instruments[s]!.map((i) => ({
            symbol: i.symbol, base: i.base, quote: i.quote, asset: sim.universe.assets[i.asset]!.ticker, kind: i.kind, status: i.status,
            counted: i.counted, silent: i.silent, anomaly: i.anomaly, price_mult: i.priceMult, contract_size: i.contractSize,
            mid: book.has[i.index] ? ((book.bid[i.index]! + book.ask[i.index]!) / 2) * i.tick : null,
          })));
        }
        if (m === "GET" && p === "/quote") {
          const s = sourceParam(url);
          const sym = url.searchParams.get("symbol") ?? "";
          const i = sim.universe.bySymbol[s]!.get(sym);
          if (i === undefined) return bad(`symbol ${sym} is not listed on ${SOURCE_NAMES[s]}`, 404);
          const inst = sim.universe.instruments[s]![i]!;
          const b = sim.market.books[s]!;
          return ok({ symbol: sym, bid: b.bid[i]! * inst.tick, ask: b.ask[i]! * inst.tick, bid_qty: b.bidQty[i]! * inst.qtyStep, ask_qty: b.askQty[i]! * inst.qtyStep, u: b.u[i], ts: b.ts[i], fair: sim.market.fairPrice(s, i) });
        }
        if (m === "POST" && p === "/fault") {
          const f = sim.addFault(await body(req));
          log.info({ fault: f.id, kind: f.cfg.kind, source: f.cfg.source }, "fault injected");
          return ok({ ok: true, fault: { id: f.id, kind: f.cfg.kind, sources: f.sources.map((s) => SOURCE_NAMES[s]) } });
        }
        if (m === "GET" && p === "/faults") return ok(sim.faults.describe());
        if ((m === "DELETE" && p === "/faults") || (m === "POST" && p === "/faults/clear")) {
          const b = m === "POST" ? ((await body(req)) as { source?: string }) : { source: url.searchParams.get("source") ?? undefined };
          if (b.source !== undefined && b.source !== "all" && SourceId[b.source as SourceName] === undefined) return bad(`source must be one of all, ${SOURCE_NAMES.join(", ")}`);
          return ok({ ok: true, cleared: sim.clearFaults(b.source ? { source: b.source } : {}) });
        }
        const fm = /^\/faults?\/(\d+)$/.exec(p);
        if (m === "DELETE" && fm) return ok({ ok: true, cleared: sim.clearFaults({ id: Number(fm[1]) }) });
        if (m === "POST" && p === "/episode") {
          const e = sim.startEpisode(await body(req));
          log.info({ episode: e.id, asset: e.cfg.asset, spread_pct: e.cfg.spread_pct }, "episode started");
          return ok({ ok: true, episode: sim.market.episodes.describe(sim.universe, sim.market.simTimeS).find((x) => (x as { id: number }).id === e.id) });
        }
        if (m === "GET" && p === "/episodes") return ok(sim.market.episodes.describe(sim.universe, sim.market.simTimeS));
        const em = /^\/episodes?\/(\d+)$/.exec(p);
        if (m === "DELETE" && em) return ok({ ok: true, removed: sim.market.episodes.remove(Number(em[1])) });
        if (m === "POST" && p === "/funding") {
          const added = sim.scriptFunding(await body(req));
          const all = sim.market.funding.describe(Date.now()) as { id: number }[];
          log.info({ scripts: added.map((s) => s.id) }, "funding settlement scripted");
          return ok({ ok: true, funding: all.filter((d) => added.some((s) => s.id === d.id)) });
        }
        if (m === "GET" && p === "/funding") return ok(sim.market.funding.describe(Date.now()));
        if ((m === "DELETE" && p === "/funding") || (m === "POST" && p === "/funding/clear")) return ok({ ok: true, cleared: sim.market.funding.clear(Date.now()) });
        if (m === "POST" && p === "/rate") {
          const b = (await body(req)) as { total?: unknown; source_weights?: Record<string, number> };
          if (typeof b.total !== "number" || !(b.total >= 0)) return bad("total: expected a number >= 0 (updates per second over all sources)");
          for (const k of Object.keys(b.source_weights ?? {})) if (SourceId[k as SourceName] === undefined) return bad(`source_weights.${k}: unknown source`);
          sim.setRate(b.total, b.source_weights as Partial<Record<SourceName, number>> | undefined);
          return ok({ ok: true, rate_total: sim.market.totalRate, per_source: Object.fromEntries(SOURCE_NAMES.map((n, s) => [n, Number(sim.market.books[s]!.rate.toFixed(1))])) });
        }
        return bad(`no route ${m} ${p}; see docs/simulator.md`, 404);
      } catch (err) {
        if (err instanceof ZodError) return bad(zodText(err));
        if (err instanceof SyntaxError) return bad(`body is not JSON: ${err.message}`);
        return bad(errorMessage(err));
      }
    },
  });
}
