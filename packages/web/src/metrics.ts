// /metrics in the Prometheus text format through prom-client (exposition escaping, HELP/TYPE lines and label
// rules are its job, not ours). Values are set from the shared read model at scrape time; Health counters of
// other processes are exposed as counters (reset + inc to the absolute value: they only grow while the owner
// lives, and a restart is the counter reset Prometheus expects).
import { Counter, Gauge, Registry } from "prom-client";
import { HealthSlot } from "@spread/common";
import type { Pusher } from "./push.ts";
import type { WebState } from "./state.ts";

const PL = ["slot", "process", "kind"] as const;

/** A counter set to an absolute value read from shared memory or a file (garbage there must not throw here). */
function add(c: Counter<string>, labels: Record<string, string>, v: unknown): void {
  if (typeof v === "number" && Number.isFinite(v) && v >= 0) c.inc(labels, v);
}

export class Metrics {
  readonly registry = new Registry();
  private readonly g: Record<string, Gauge<string>> = {};
  private readonly c: Record<string, Counter<string>> = {};

  constructor(
    private readonly st: WebState,
    private readonly pusher: Pusher,
  ) {
    const gauge = (name: string, help: string, labelNames: readonly string[] = []) => {
      this.g[name] = new Gauge({ name, help, labelNames, registers: [this.registry] });
    };
    const counter = (name: string, help: string, labelNames: readonly string[] = []) => {
      this.c[name] = new Counter({ name, help, labelNames, registers: [this.registry] });
    };
    gauge("spread_process_up", "1 when the Health slot's owner is alive (pid exists, heartbeat recent), else 0", PL);
    gauge("spread_process_state", "1 for the state the owner last wrote (stopped, starting, running, degraded, paused, stopping)", [...PL, "state"]);
    gauge("spread_process_heartbeat_age_seconds", "Seconds since the owner's last Health write", PL);
    gauge("spread_process_uptime_seconds", "Seconds since the owner started", PL);
    counter("spread_process_messages_total", "Health messages: feed WS frames; engine price updates taken; tracker events consumed; web HTTP requests", PL);
    counter("spread_process_updates_total", "Health updates: feed Price Store writes; engine signals pushed; tracker rows sampled; web WebSocket messages", PL);
    counter("spread_process_invalid_total", "Health invalid: frames/events/legs that failed validation; web requests denied", PL);
    counter("spread_process_reconnects_total", "Health reconnects: feed reconnects; engine signals dropped (bus full); tracker failed writes", PL);
    gauge("spread_process_connections_up", "Health connections_up: feed sockets; engine live sources; tracker open trackings; web WebSocket clients", PL);
    gauge("spread_process_symbols_live", "Health symbols_live", PL);
    gauge("spread_process_symbols_stale", "Health symbols_stale", PL);
    gauge("spread_process_symbols_rejected", "Health symbols_rejected (engine: suspects above the plausibility ceiling)", PL);
    gauge("spread_process_last_error", "1 for the most recent error class the owner reported (none = no error)", [...PL, "error"]);
    gauge("spread_process_config_generation", "Control config_generation the owner has loaded", PL);
    gauge("spread_trackings", "Trackings by state: open (tracker files), signalled and tracked (shared tracked-state region)", ["state"]);
    counter("spread_trackings_closed_total", "Trackings closed since the tracker started, by reason (tracker status file)", ["reason"]);
    counter("spread_signals_total", "Signals the engine pushed onto the Event Bus");
    gauge("spread_suspects", "Pairs above the engine's plausibility ceiling now");
    counter("spread_event_bus_dropped_total", "Signals dropped because the Event Bus was full");
    gauge("spread_event_bus_backlog", "Events on the bus not yet consumed by the tracker");
    gauge("spread_spread_pairs", "(direction, symbol) pairs of the current generation");
    gauge("spread_spread_pairs_priced", "Pairs with both legs fresh");
    gauge("spread_spread_top_gross_pct", "Highest gross spread among pairs with both legs fresh");
    gauge("spread_shm_ok", "1 when every shared-memory region exists and matches its layout");
    gauge("spread_web_clients", "Open WebSocket clients");
    counter("spread_web_ws_messages_total", "WebSocket messages pushed");
    counter("spread_web_requests_total", "HTTP requests served");
    counter("spread_web_denied_total", "Requests refused (no or wrong token, Host or Origin not allowed)");
    counter("spread_web_control_commands_total", "Pause/resume commands written to Control through POST /api/control ([web] control)");
    gauge("spread_web_refresh_seconds", "Duration of the last read of shared memory and spreads computation");
    gauge("spread_web_scrape_duration_seconds", "Duration of the previous /metrics scrape");
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private scrapeS = 0;

  async render(counters: { requests: number; denied: number; controls: number }): Promise<string> {
    const t0 = performance.now();
    const { g, c, st } = this;
    this.registry.resetMetrics();
    const h = st.health();
    for (const p of h.processes) {
      if (p.state === "empty") continue;
      const l = { slot: String(p.slot), process: p.owner, kind: p.kind };
      g.spread_process_up!.set(l, p.liveness === "alive" ? 1 : 0);
      g.spread_process_state!.set({ ...l, state: p.state }, 1);
      if (p.heartbeat_age_ms !== null) g.spread_process_heartbeat_age_seconds!.set(l, p.heartbeat_age_ms / 1000);
      if (p.uptime_s !== null) g.spread_process_uptime_seconds!.set(l, p.uptime_s);
      add(c.spread_process_messages_total!, l, p.messages);
      add(c.spread_process_updates_total!, l, p.updates);
      add(c.spread_process_invalid_total!, l, p.invalid);
      add(c.spread_process_reconnects_total!, l, p.reconnects);
      g.spread_process_connections_up!.set(l, p.connections_up);
      g.spread_process_symbols_live!.set(l, p.symbols_live);
      g.spread_process_symbols_stale!.set(l, p.symbols_stale);
      g.spread_process_symbols_rejected!.set(l, p.symbols_rejected);
      g.spread_process_last_error!.set({ ...l, error: p.last_error }, 1);
      g.spread_process_config_generation!.set(l, p.config_generation);
      if (p.slot === HealthSlot.engine) {
        add(c.spread_signals_total!, {}, p.updates);
        g.spread_suspects!.set(p.symbols_rejected);
      }
    }
    g.spread_trackings!.set({ state: "open" }, (await st.trackingsNow().catch(() => st.trackings)).open.length);
    if (h.tracked) {
      g.spread_trackings!.set({ state: "signalled" }, h.tracked.signalled);
      g.spread_trackings!.set({ state: "tracked" }, h.tracked.tracked);
    }
    const closes = h.tracker_status?.counters?.closes;
    if (closes) for (const [reason, n] of Object.entries(closes)) add(c.spread_trackings_closed_total!, { reason }, n);
    if (h.events) {
      add(c.spread_event_bus_dropped_total!, {}, h.events.dropped);
      g.spread_event_bus_backlog!.set(h.events.backlog);
    }
    g.spread_spread_pairs!.set(st.board.pairs);
    g.spread_spread_pairs_priced!.set(st.board.priced);
    const top = st.board.rows().find((r) => !r.spot_stale && !r.futures_stale);
    if (top) g.spread_spread_top_gross_pct!.set(top.gross_pct);
    g.spread_shm_ok!.set(h.shm.ok ? 1 : 0);
    g.spread_web_clients!.set(this.pusher.clients.size);
    c.spread_web_ws_messages_total!.inc(this.pusher.sent);
    c.spread_web_requests_total!.inc(counters.requests);
    c.spread_web_denied_total!.inc(counters.denied);
    c.spread_web_control_commands_total!.inc(counters.controls);
    g.spread_web_refresh_seconds!.set(st.lastRefreshMs / 1000);
    g.spread_web_scrape_duration_seconds!.set(this.scrapeS);
    const text = await this.registry.metrics();
    this.scrapeS = (performance.now() - t0) / 1000;
    return text;
  }
}
