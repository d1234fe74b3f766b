// TTY progress block and the end-of-run table (the non-TTY path is pino JSON lines, see cli.test.ts).
import { describe, expect, test } from "bun:test";
import { SourceId as S } from "@spread/common";
import { TtyProgress } from "@spread/discovery";
import { REAL_SIZE, runOffline, tempDir } from "./helpers.ts";
import { waitFor } from "../wait.ts";

describe("TtyProgress", () => {
  test("per-source fetch / parse / validate columns redrawn in place, then the summary table", async () => {
    let text = "";
    const p = new TtyProgress({ write: (s: string) => (text += s) }, [S.binance_spot, S.okx_spot]);
    p.stage("fetch", "2 sources");
    p.fetchPage(S.binance_spot, 1, 1, false, 0, "HTTP 503");
    p.fetchDone({ source: S.binance_spot, ok: true, instruments: [], pages: 1, attempts: 2, ms: 1200, error: null });
    p.fetchDone({ source: S.okx_spot, ok: false, instruments: [], pages: 0, attempts: 3, ms: 900, error: "okx_spot: GET …: HTTP 503 (after 3 attempts)" });
    p.normalized(S.binance_spot, 460, 900);
    p.validateStart(S.binance_spot, 460, 3);
    p.validateAnswered(S.binance_spot, 200, 460);
    p.validateBatch(S.binance_spot, 0, 3, "done");
    // The block is redrawn on a timer: wait for the redraw that shows the last call.
    await waitFor("the progress redraw with the validation batch", () => text.includes("1/3 batches"), 10_000, 10, () => text.slice(-300));
    expect(text).toContain("binance_spot");
    expect(text).toContain("ok 0 (1p, 1.2s)");
    expect(text).toContain("460 accepted");
    expect(text).toContain("200/460 answered, 1/3 batches");
    expect(text).toContain("skipped");
    p.finish(false, "TABLE\n", { error: "only 1 of 2 sources fetched" });
    expect(text).toContain("\x1b[2K");
    expect(text).toContain("\x1b[9A"); // redraw moves up over the 9-line block
    expect(text.endsWith("TABLE\n! okx_spot: GET …: HTTP 503 (after 3 attempts)\nFAILED: only 1 of 2 sources fetched\n")).toBe(true);
  }, 20_000);
  test("summary table: a row per source and per direction", async () => {
    const t = tempDir("table");
    const r = await runOffline(REAL_SIZE, t.dir);
    t.cleanup();
    const lines = r.table.split("\n");
    expect(lines[0]).toMatch(/^source\s+fetch\s+instruments\s+accepted\s+valid\s+invalid\s+excluded\s+listed$/);
    expect(lines.find((l) => l.startsWith("okx_spot"))).toMatch(/^okx_spot\s+ok \d\.\ds\s+449\s+278\s+-\s+-\s+0\s+278$/);
    expect(lines.find((l) => l.includes("okx_spot_mexc_futures"))).toMatch(/^ 0 okx_spot_mexc_futures\s+\d+$/);
    expect(r.table).toContain(`generation ${r.generation}`);
  });
});
