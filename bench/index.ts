// `bun run bench`: runs every bench/*.bench.ts in its own process (isolated JIT state), one after another.
// `bun run bench parse` runs only files whose name contains "parse"; arguments after the filter go to every file run
// (`bun run bench system --quick`).
import { readdirSync } from "node:fs";
import { join } from "node:path";

const filter = process.argv[2] ?? "";
const args = process.argv.slice(3);
const dir = import.meta.dir;
const files = readdirSync(dir).filter((f) => f.endsWith(".bench.ts") && f.includes(filter)).sort();
let failed = 0;
for (const f of files) {
  console.log(`\n## ${f}`);
  const p = Bun.spawnSync(["bun", join(dir, f), ...args], { stdout: "inherit", stderr: "inherit", env: process.env });
  if (p.exitCode !== 0) {
    failed++;
    console.log(`!! ${f} exited with ${p.exitCode}`);
  }
}
console.log(`\n${files.length - failed}/${files.length} benchmark files completed`);
process.exit(failed ? 1 : 0);
