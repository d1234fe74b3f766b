// Opt-in read coalescing ([feed] read_coalesce_ms): after a loop turn that read data every socket of the process is
// paused for one window and then resumed together. Unit behaviour on fake sockets, then Bun's real client against a
// local server: nothing is lost, frames keep their order, and many frames share a window.
import { afterAll, describe, expect, test } from "bun:test";
import { coalescingSocketFactory, ReadCoalescer, type Pausable } from "@spread/exchanges";
import { waitFor } from "../wait.ts";

class FakeSocket implements Pausable {
  readyState = 1;
  paused = false;
  pauses = 0;
  pause(): void {
    this.paused = true;
    this.pauses++;
  }
  resume(): void {
    this.paused = false;
  }
}

describe("ReadCoalescer", () => {
  test("a read pauses every open socket at the end of the turn and resumes them all after the window", async () => {
    const c = new ReadCoalescer(30);
    const [a, b, closed] = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    closed.readyState = 3;
    for (const s of [a, b, closed]) c.add(s);
    c.onData();
    c.onData(); // same window: nothing more
    expect([a.paused, b.paused]).toEqual([false, false]); // not before the turn ends
    await waitFor("paused", () => a.paused && b.paused, 1000, 1);
    expect(closed.pauses).toBe(0);
    c.onData(); // while held: still one window
    expect(c.windows).toBe(1);
    await waitFor("resumed", () => !a.paused && !b.paused, 2000, 1);
    expect([a.pauses, b.pauses]).toEqual([1, 1]);
    c.onData();
    expect(c.windows).toBe(2);
    c.delete(b);
    await waitFor("paused again", () => a.paused, 1000, 1);
    expect(b.pauses).toBe(1); // deleted sockets are left alone
  });

  test("a window must be positive", () => {
    expect(() => new ReadCoalescer(0)).toThrow(RangeError);
  });
});

describe("Bun's WebSocket client under a coalescer", () => {
  const N = 400;
  const server = Bun.serve({
    port: 0,
    fetch: (req, s) => (s.upgrade(req) ? undefined : new Response("ws only", { status: 400 })),
    websocket: {
      perMessageDeflate: false,
      open(ws) {
        // N frames, one every ~0.25 ms (a batch of 5 per ms-timer tick): a steady stream, not one burst.
        let i = 0;
        const t = setInterval(() => {
          for (let k = 0; k < 5 && i < N; k++) ws.send(`{"n":${i++}}`);
          if (i >= N) clearInterval(t);
        }, 1);
      },
      message() {},
    },
  });
  afterAll(() => server.stop(true));

  test("every frame arrives once, in order, and frames share windows", async () => {
    const c = new ReadCoalescer(10);
    const got: number[][] = [[], []];
    const socks = [0, 1].map((k) =>
      coalescingSocketFactory(c)(`ws://127.0.0.1:${server.port}`, {
        onOpen() {},
        onMessage(d) {
          got[k]!.push(JSON.parse(String(d)).n);
        },
        onClose() {},
        onError() {},
      }),
    );
    await waitFor("all frames on both sockets", () => got.every((g) => g.length >= N), 20_000, 5);
    for (const g of got) expect(g).toEqual(Array.from({ length: N }, (_, i) => i));
    // 800 frames in ~80 ms of sending, read in 10 ms windows: far fewer windows than frames.
    expect(c.windows).toBeGreaterThan(0);
    expect(c.windows).toBeLessThan(N);
    for (const s of socks) s.close();
  }, 30_000);
});
