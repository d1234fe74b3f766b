#!/usr/bin/env bash
# Builds every binary as a single file with `bun build --compile` into dist/, and optionally installs them:
#   scripts/build.sh                 # → dist/<name>
#   scripts/build.sh --install       # also copies dist/* to /opt/spread-scanner/bin, config and systemd units
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p dist
for entry in shm-init pair-discovery feed spread-engine spread-ctl exchange-sim; do
  [ -f "bins/$entry.ts" ] || continue
  bun build --compile --bytecode --format=esm --minify-syntax "bins/$entry.ts" --outfile "dist/$entry"
done
if [ "${1:-}" = "--install" ]; then
  install -d /opt/spread-scanner/bin /opt/spread-scanner/config /opt/spread-scanner/generated /opt/spread-scanner/data
  install -m 0755 dist/* /opt/spread-scanner/bin/
  for f in config/*.toml; do [ -e "/opt/spread-scanner/$f" ] || install -m 0644 "$f" "/opt/spread-scanner/$f"; done
  install -m 0644 systemd/* /etc/systemd/system/
  systemctl daemon-reload
fi
