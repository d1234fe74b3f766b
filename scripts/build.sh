#!/usr/bin/env bash
# `bun run build`: every process as one self-contained binary in dist/ (bun build --compile, ESM bytecode;
# plain compile for an entry where bytecode fails). One `feed` binary serves all 8 sources (--source): the same
# file mapped by 8 processes shares its pages (platform notes). spread-engine / spread-tracker / spread-alerts / spread-web are
# built once their entry points exist. Install with deploy/install.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-dist}
mkdir -p "$OUT"
built=()
# Worker threads a binary starts must be extra entrypoints (packages/engine/src/runtime.ts WORKER_ENTRY).
extra_spread_engine="packages/engine/src/worker.ts"
for entry in shm-init pair-discovery feed spread-engine spread-tracker spread-alerts spread-web spread-ctl exchange-sim; do
  if [ ! -f "bins/$entry.ts" ]; then echo "build: bins/$entry.ts not present yet, skipped"; continue; fi
  extra_var="extra_${entry//-/_}"
  extra=${!extra_var:-}
  # shellcheck disable=SC2086 # $extra is a list of paths without spaces
  if ! bun build --compile --bytecode --format=esm --minify-syntax "bins/$entry.ts" $extra --outfile "$OUT/$entry" >/dev/null 2>"$OUT/.$entry.err"; then
    echo "build: $entry: bytecode compile failed ($(head -c 300 "$OUT/.$entry.err")); compiling without bytecode"
    # shellcheck disable=SC2086
    bun build --compile --format=esm --minify-syntax "bins/$entry.ts" $extra --outfile "$OUT/$entry" >/dev/null
  fi
  rm -f "$OUT/.$entry.err"
  built+=("$entry")
done
echo "build: ${built[*]} → $OUT/"
