// WebSocket server for bench/read-coalesce.bench.ts: ~200 B JSON frames at RATE/s in total, spread over every open
// socket, paced by a 1 ms timer (a venue's stream: many small frames, each in its own TCP segment). Prints its port.
const RATE = Number(process.argv[2] ?? 10_000);
const socks = new Set<{ send(d: string): void }>();
const frame = JSON.stringify({ e: "bookTicker", u: 1, s: "BTCUSDT", b: "67000.10", B: "1.234", a: "67000.20", A: "2.345", T: 1, E: 2, pad: "x".repeat(90) });
const srv = Bun.serve({
  port: 0,
  fetch: (req, s) => (s.upgrade(req) ? undefined : new Response("ws only", { status: 400 })),
  websocket: { perMessageDeflate: false, open: (ws) => void socks.add(ws), close: (ws) => void socks.delete(ws), message() {} },
});
console.log(srv.port);
let owed = 0;
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  owed += ((now - last) * RATE) / 1000;
  last = now;
  const list = [...socks];
  if (!list.length) return void (owed = 0);
  for (let i = 0; owed >= 1; owed--) list[i++ % list.length]!.send(frame);
}, 1);
