// spread-web test bed: its own shm prefix, generated/, config, data dir with tracker files written through the
// tracker's formatters; the test plays the feeds and engine (prices, Health slots) and spawns bins/spread-web.ts.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DIRECTIONS, HealthSlot, monoMicros, ProcessKind, SOURCE_NAMES, wallMicros } from "@spread/common";
import { launch, type Launched } from "@spread/ctl";
import { HealthRecord, HealthState } from "@spread/shm";
import { formatCloseRow, formatRow, formatSummary, namesField, ROW_HEADER, SUMMARY_HEADER, summaryRelPath, trackRelPath, type RowValues } from "@spread/tracker";
import { BinBed } from "../bin-bed.ts";
import { ROOT } from "../tracker/helpers.ts";

export const TOKEN = "correct-horse-battery-staple-42";

export class WebBed extends BinBed {
  url = "";
  /** Sources whose feed slot is kept alive (a test drops one to see it go stale). */
  readonly liveFeeds = new Set([0, 1, 2, 3, 4, 5, 6, 7]);

  constructor() {
    super("web", 3000);
  }

  start(names: readonly string[], web: Record<string, unknown> = {}): void {
    this.setUp(names, { web: { port: 0, ...web } });
    const h = new HealthRecord();
    const beat = () => {
      for (let s = 0; s < 8; s++) {
        h.kind = ProcessKind.feed;
        h.state = this.liveFeeds.has(s) ? HealthState.running : HealthState.stopped;
        h.pid = process.pid;
        h.heartbeatAt = wallMicros();
        h.messages += 100;
        h.updates += 50;
        h.connectionsUp = 1;
        h.symbolsLive = names.length;
        this.shm.health.write(s, h);
      }
      h.kind = ProcessKind.engine;
      h.state = HealthState.running;
      h.updates = 7;
      h.symbolsRejected = 2;
      this.shm.health.write(HealthSlot.engine, h);
      h.updates = 0;
      h.symbolsRejected = 0;
    };
    this.beatEvery(300, beat);
  }

  price(src: number, sym: number, bid: number, ask: number, ageMs = 0): void {
    this.shm.prices.write(src, sym, bid, ask, 1, 1, 0, wallMicros() - ageMs * 1000, monoMicros());
  }

  /**
   * A closed tracking: rows file (rising then falling gross; funding 0.0001 from the second row, the settlement an
   * hour after the open) + summary line, as the tracker writes them.
   */
  closedTracking(direction: number, symbol: string, openedAtMs: number, grosses: readonly number[]): string {
    const d = DIRECTIONS[direction]!;
    const rel = trackRelPath(openedAtMs, d.name, symbol);
    const names = namesField(d.name, symbol);
    let text = ROW_HEADER;
    grosses.forEach((g, i) => {
      const v: RowValues = { tsMs: openedAtMs + i * 200, state: "live", spotBid: 99, spotAsk: 100, futuresBid: 100 + g, futuresAsk: 101 + g, grossPct: g, netPct: g - 0.2, netRtPct: g - 0.4, spotAgeMs: 5, futuresAgeMs: 6, fundingRate: i === 0 ? Number.NaN : 0.0001, nextFundingAtMs: i === 0 ? Number.NaN : openedAtMs + 3_600_000 };
      text += formatRow(names, v);
    });
    const closedAt = openedAtMs + grosses.length * 200;
    text += formatCloseRow(names, closedAt, "CONVERGED");
    mkdirSync(dirname(join(this.data, rel)), { recursive: true });
    writeFileSync(join(this.data, rel), text);
    const sum = join(this.data, summaryRelPath(closedAt));
    mkdirSync(dirname(sum), { recursive: true });
    writeFileSync(sum, SUMMARY_HEADER + formatSummary({
      openedAtMs, closedAtMs: closedAt, direction: d.name, spotSource: SOURCE_NAMES[d.spot]!, futuresSource: SOURCE_NAMES[d.futures]!, symbol,
      reason: "CONVERGED", firstGrossPct: grosses[0]!, lastGrossPct: grosses.at(-1)!, peakGrossPct: Math.max(...grosses), minGrossPct: Math.min(...grosses),
      meanGrossPct: grosses.reduce((a, b) => a + b, 0) / grosses.length, peakNetPct: Math.max(...grosses) - 0.2, thresholdPct: 1, thresholdOn: "gross",
      timeAboveS: 1, rows: grosses.length, missedTicks: 0, pausedTicks: 0, file: rel, fundingSettlements: null,
    }));
    return rel;
  }

  spawn(extra: string[] = []): Launched {
    this.proc = launch("spread-web", [process.execPath, join(ROOT, "bins/spread-web.ts"), "--config", this.configFile, ...extra], {
      env: { SPREAD_SCANNER_SHM_PREFIX: this.prefix, SPREAD_WEB_TOKEN: TOKEN },
    });
    return this.proc;
  }

  /** Spawns and waits for the listening line; sets `url`. */
  async listen(extra: string[] = []): Promise<string> {
    const p = this.spawn(extra);
    const line = await p.waitForLine(/spread-web listening/, 15_000);
    this.url = (JSON.parse(line) as { url: string }).url.replace(/\/$/, "");
    return this.url;
  }
}
