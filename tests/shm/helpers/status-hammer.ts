// Child for tests/shm/status-robust.test.ts: `bun status-hammer.ts <prefix> <iterations> <seed>`.
// Fills every region (entries and, now and then, headers) with random bytes and odd SeqLock words, renders
// the status after each change and prints "rendered N". A crash (segfault, uncaught throw) is the failure.
import { HEADER_SIZE, HEALTH_SLOT_SIZE, HEALTH_SLOTS, REGIONS, openAll, renderStatus } from "@spread/shm";

const [prefix, iterArg, seedArg] = process.argv.slice(2);
if (!prefix || !iterArg) throw new Error("usage: status-hammer.ts <prefix> <iterations> <seed>");
const iterations = Number(iterArg);
let seed = Number(seedArg ?? 1) >>> 0 || 1;
const rand = (): number => {
  // xorshift32: reproducible garbage.
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>>= 0);
};

const shm = openAll(prefix);
const regions = REGIONS.map((spec) => shm.regions[spec.key]);
const headers = regions.map((r) => r.u8.slice(0, HEADER_SIZE));
const health = shm.regions.health.u32;

let rendered = 0;
for (let i = 0; i < iterations; i++) {
  const r = regions[i % regions.length]!;
  // A burst of random words somewhere after the header (the big regions get a random window).
  const words = r.u32;
  const n = Math.min(words.length - HEADER_SIZE / 4, 256);
  const start = HEADER_SIZE / 4 + (rand() % (words.length - HEADER_SIZE / 4 - n + 1));
  for (let k = 0; k < n; k++) words[start + k] = rand();
  // Health slots: odd seqs (a writer killed mid-write), plausible and absurd pids and heartbeats.
  for (let s = 0; s < HEALTH_SLOTS; s++) {
    const w = (HEADER_SIZE + s * HEALTH_SLOT_SIZE) / 4;
    const roll = rand() % 4;
    if (roll === 0) health[w] = rand() | 1;
    else if (roll === 1) health[w] = (rand() & ~1) >>> 0;
    if (rand() % 3 === 0) health[w + 2] = rand() % 3 === 0 ? process.pid : rand();
  }
  // Now and then a garbage header (the region then shows as BAD), restored a few rounds later.
  if (i % 97 === 13) for (let k = 0; k < HEADER_SIZE; k++) r.u8[k] = rand() & 0xff;
  if (i % 97 === 20) regions.forEach((reg, j) => reg.u8.set(headers[j]!, 0));
  const text = renderStatus(prefix);
  if (!text.startsWith(`shm prefix "${prefix}"`)) throw new Error(`unexpected status output: ${text.slice(0, 200)}`);
  rendered++;
}
process.stdout.write(`rendered ${rendered}\n`);
