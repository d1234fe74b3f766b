#!/usr/bin/env bash
# `bun run build`: every process from one self-contained binary in dist/ (bun build --compile, ESM bytecode; plain
# compile when bytecode fails), linked under each program's name. Install with deploy/install.sh (keeps the links).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-dist}
mkdir -p "$OUT"
# ONE binary for every program (bins/spread-scanner.ts picks the program by the name it is started as), each program
# name a hard link to it: every process of the system maps the same file, so the runtime's text pages (~38 MB) are
# shared instead of loaded once per distinct binary (docs/PERFORMANCE.md "One binary for every program").
# Worker threads a binary starts must be extra entrypoints (packages/engine/src/runtime.ts WORKER_ENTRY).
extra="packages/engine/src/worker.ts"
bin="$OUT/spread-scanner"
# shellcheck disable=SC2086 # $extra is a list of paths without spaces
if ! bun build --compile --bytecode --format=esm --minify-syntax bins/spread-scanner.ts $extra --outfile "$bin" >/dev/null 2>"$OUT/.build.err"; then
  echo "build: bytecode compile failed ($(head -c 300 "$OUT/.build.err")); compiling without bytecode"
  # shellcheck disable=SC2086
  bun build --compile --format=esm --minify-syntax bins/spread-scanner.ts $extra --outfile "$bin" >/dev/null
fi
rm -f "$OUT/.build.err"
built=()
for entry in shm-init pair-discovery feed spread-engine spread-tracker spread-alerts spread-web spread-ctl exchange-sim; do
  if [ ! -f "bins/$entry.ts" ]; then echo "build: bins/$entry.ts not present yet, skipped"; continue; fi
  ln -f "$bin" "$OUT/$entry"
  built+=("$entry")
done
echo "build: ${built[*]} → $OUT/ (hard links to $bin)"
