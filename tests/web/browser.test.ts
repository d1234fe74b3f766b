/// <reference lib="dom" />
// spread-web in a real browser (Debian's chromium, driven by playwright-core) against the full stack on the
// simulator: 8 feeds, engine, tracker, web. The Spreads table fills and changes live; a scripted episode
// (POST /episode) shows as an open tracking with a chart, then as closed CONVERGED; the Health page shows a feed
// going down and back. Screenshots of every page go to SPREAD_WEB_SCREENSHOTS (default: a temp dir).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIRECTIONS, SOURCE_NAMES, type Generation } from "@spread/common";
import { launch, type Launched } from "@spread/ctl";
import { PriceFlag } from "@spread/shm";
import type { Browser, Page } from "playwright-core";
import { FeedBed } from "../feed/harness.ts";
import { ROOT } from "../tracker/helpers.ts";
import { engineLive, startEngineStack } from "../engine/helpers.ts";

const CHROMIUM = Bun.which("chromium") ?? Bun.which("chromium-browser");
const SHOTS = process.env.SPREAD_WEB_SCREENSHOTS ?? join(tmpdir(), "spread-web-screenshots");
const bed = new FeedBed();
let gen: Generation;
let web: Launched;
let url = "";
let browser: Browser | undefined;
let page: Page;

if (!CHROMIUM) console.warn("chromium not installed (apt-get install chromium): spread-web browser tests skipped");

async function shot(name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

beforeAll(async () => {
  if (!CHROMIUM) return;
  gen = await startEngineStack(bed);
  const env = { SPREAD_SCANNER_SHM_PREFIX: bed.prefix };
  bed.others.push(launch("spread-tracker", [process.execPath, join(ROOT, "bins/spread-tracker.ts"), "--config", bed.configFile], { env, logFile: join(bed.dir, "tracker.log") }));
  web = launch("spread-web", [process.execPath, join(ROOT, "bins/spread-web.ts"), "--config", bed.configFile, "--port", "0"], { env });
  bed.others.push(web);
  const line = await web.waitForLine(/spread-web listening/, 60_000);
  url = (JSON.parse(line) as { url: string }).url.replace(/\/$/, "");
  await engineLive(bed);
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
}, 150_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await bed.cleanup();
}, 30_000);

const cells = () => page.$$eval("main table tbody tr", (trs) => trs.map((tr) => tr.textContent ?? ""));

describe.skipIf(!CHROMIUM)("spread-web in chromium on the simulator", () => {
  test("Spreads: the table fills and changes live", async () => {
    await page.goto(`${url}/spreads`);
    await page.waitForFunction(() => document.querySelectorAll("main table tbody tr").length >= 10, undefined, { timeout: 20_000 });
    expect(await page.textContent("#conn")).toBe("live");
    const first = await cells();
    await page.waitForFunction((before) => {
      const now = [...document.querySelectorAll("main table tbody tr")].map((tr) => tr.textContent ?? "");
      return now.join("|") !== before;
    }, first.join("|"), { timeout: 15_000 });
    // Sorting by a header click and filtering by symbol work on the live rows.
    const sym = (await page.$$eval("main table tbody tr td:first-child", (tds) => tds.map((t) => t.textContent ?? "")))[0]!;
    await page.fill("input[placeholder^=symbol]", sym.replace(/-USDT$/, ""));
    await page.waitForFunction((s) => [...document.querySelectorAll("main table tbody tr td:first-child")].every((td) => td.textContent === s), sym, { timeout: 5000 });
    await page.fill("input[placeholder^=symbol]", "");
    // Funding from the simulator's funding streams: rate per interval, time to the settlement, net of funding.
    await page.waitForFunction(() => [...document.querySelectorAll("main table tbody tr")].some((tr) => /^[+-]\d+\.\d{4}% \/ \d+h$/.test(tr.children[7]?.textContent ?? "") && /^\d+h\d\dm$/.test(tr.children[8]?.textContent ?? "")), undefined, { timeout: 20_000 });
    // Leg ages are computed by the page from the rows' update times: "23 ms / 1.2 s".
    expect(await page.$$eval("main table tbody tr td:nth-child(11)", (tds) => tds.every((td) => /^\d+(\.\d)? (ms|s|min) \/ \d+(\.\d)? (ms|s|min)$/.test(td.textContent ?? "")))).toBe(true);
    // Suspects (the simulator's GAS ticker collision) are hidden until "show suspects" is ticked, then tagged.
    const suspectRows = () => page.$$eval("main table tbody tr", (trs) => trs.filter((tr) => tr.querySelector(".tag.suspect")).length);
    expect(await suspectRows()).toBe(0);
    await page.check("text=show suspects");
    await page.waitForFunction(() => document.querySelectorAll("main table tbody tr .tag.suspect").length > 0, undefined, { timeout: 15_000 });
    await page.uncheck("text=show suspects");
    expect(await suspectRows()).toBe(0);
    await shot("spreads");
  }, 60_000);

  test("a scripted episode: an open tracking with a chart, then closed CONVERGED", async () => {
    const dirs = gen.directions.directions;
    const now = Date.now() * 1000;
    const fresh = (src: number, id: number) => {
      const q = bed.quote(src, id);
      return (q.flags & (PriceFlag.valid | PriceFlag.stale)) === PriceFlag.valid && now - q.updatedAt < 3_000_000;
    };
    const plain = (id: number) => /^[A-Z]+-USDT$/.test(gen.symbols.symbols[id]!.name) && gen.symbols.symbols[id]!.listings.every((l) => !l || l.multiplier === 1);
    const d = dirs.find((x) => x.symbols.some((id) => plain(id) && fresh(x.spot, id) && fresh(x.futures, id)))!;
    const sym = d.symbols.find((id) => plain(id) && fresh(d.spot, id) && fresh(d.futures, id))!;
    const asset = gen.symbols.symbols[sym]!.name.replace(/-USDT$/, "");
    const def = DIRECTIONS[d.id]!;
    await page.goto(`${url}/trackings`);
    const r = await fetch(`${bed.sim.controlUrl}/episode`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ asset, spot: SOURCE_NAMES[def.spot], futures: SOURCE_NAMES[def.futures], leg: "futures", spread_pct: 3, ramp_s: 0.5, hold_s: 8, converge_s: 0.5 }),
    });
    expect(r.status).toBe(200);
    await page.waitForSelector(".card canvas", { timeout: 20_000 });
    const cardText = await page.textContent(".card");
    expect(cardText).toContain(`${asset}-USDT`);
    // The chart grows while the tracking is open (the card says how many points it holds).
    const points = () => page.$eval(".card [data-points]", (e) => Number(e.getAttribute("data-points")));
    await page.waitForSelector(".card [data-points]", { timeout: 20_000 });
    const before = await points();
    await page.waitForFunction((n) => Number(document.querySelector(".card [data-points]")?.getAttribute("data-points")) >= n + 5, before, { timeout: 20_000 });
    await shot("trackings-open");
    await page.waitForFunction((a) => [...document.querySelectorAll("main table tbody tr")].some((tr) => (tr.textContent ?? "").includes(`${a}-USDT`) && (tr.textContent ?? "").includes("CONVERGED")), asset, { timeout: 40_000 });
    // Its funding column: what the short futures leg earned over the settlements inside it (+0.0000 unless the
    // tracking happened to span a settlement; "–" would mean the rows never carried funding).
    const fundingCells = await page.$$eval("main table tbody tr", (trs, a) => trs.filter((tr) => (tr.textContent ?? "").includes(`${a}-USDT`)).map((tr) => tr.children[7]?.textContent ?? ""), asset);
    expect(fundingCells.length).toBeGreaterThan(0);
    for (const c of fundingCells) expect(c).toMatch(/^[+-]\d+\.\d{4}$/);
    await shot("trackings");
    // The tracking's own page charts its whole life from the file.
    await page.click(`main table tbody tr a`);
    await page.waitForSelector("main canvas", { timeout: 10_000 });
    await page.waitForFunction(() => (document.querySelector(".summary")?.textContent ?? "").includes("closed CONVERGED"), undefined, { timeout: 10_000 });
    // The pair's funding now, from the Funding region (the simulator streams it for every futures venue).
    await page.waitForFunction(() => /^funding now: [+-]\d+\.\d{4}%/.test(document.querySelector(".funding")?.textContent ?? ""), undefined, { timeout: 15_000 });
    // ...and as the tracker recorded it in the tracking's rows.
    await page.waitForFunction(() => /^funding during the tracking: [+-]\d+\.\d{4}% at open/.test(document.querySelector(".funding-file")?.textContent ?? ""), undefined, { timeout: 15_000 });
    await shot("tracking");
    await page.goto(`${url}/pairs`);
    await page.waitForFunction((a) => (document.querySelector("main table tbody")?.textContent ?? "").includes(`${a}-USDT`), asset, { timeout: 10_000 });
    await shot("pairs");
  }, 90_000);

  test("Health: a feed going down shows, and its recovery", async () => {
    await page.goto(`${url}/health`);
    const row = (name: string) => page.$$eval("main table tbody tr", (trs, n) => trs.find((tr) => tr.children[1]?.textContent === n)?.textContent ?? "", name);
    await page.waitForFunction(() => document.querySelectorAll("main table tbody tr").length >= 10, undefined, { timeout: 10_000 });
    const src = 0;
    const name = SOURCE_NAMES[src]!;
    expect(await row(name)).toContain("alive");
    await shot("health");
    await bed.feeds.get(src)!.stop(3000);
    await page.waitForFunction((n) => [...document.querySelectorAll("main table tbody tr")].some((tr) => tr.children[1]?.textContent === n && tr.children[2]?.textContent === "stopped"), name, { timeout: 15_000 });
    bed.startFeed(src);
    await page.waitForFunction((n) => [...document.querySelectorAll("main table tbody tr")].some((tr) => tr.children[1]?.textContent === n && tr.children[2]?.textContent === "running" && tr.children[3]?.textContent === "alive"), name, { timeout: 30_000 });
  }, 60_000);
});
