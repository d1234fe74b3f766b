#!/usr/bin/env bash
# spread-scanner installer (docs/operations.md "Install"):
#   deploy/install.sh [--root DIR] [--dist DIR] [--no-enable]     install or upgrade
#   deploy/install.sh uninstall [--root DIR] [--purge]            remove; keeps config and data unless --purge
# Installs dist/ (bun run build) to /opt/spread-scanner/bin, the configs to /etc/spread-scanner (an existing,
# edited file is never overwritten: the new default goes beside it as <name>.new), the data directory
# /var/lib/spread-scanner, the system user `spread`, the systemd units (+ CPUAffinity drop-ins from [cpu]), and
# enables spread-scanner.target. --root DIR (or DESTDIR) installs into DIR (packaging, CI): no user is created,
# nothing is chowned and systemctl is not called; the enable symlink is written directly.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/.." && pwd)"
ACTION=install
ROOT="${DESTDIR:-}"
DIST="$HERE/dist"
ENABLE=1
PURGE=0
USER_NAME=spread
while [ $# -gt 0 ]; do
  case "$1" in
    install|uninstall) ACTION="$1" ;;
    --root) ROOT="${2:?--root needs a directory}"; shift ;;
    --root=*) ROOT="${1#--root=}" ;;
    --dist) DIST="${2:?--dist needs a directory}"; shift ;;
    --no-enable) ENABLE=0 ;;
    --purge) PURGE=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument \"$1\" (see --help)" >&2; exit 2 ;;
  esac
  shift
done
ROOT="${ROOT%/}"
LIVE=0; [ -z "$ROOT" ] && LIVE=1   # installing on this machine (not into a staging root)
OPT="$ROOT/opt/spread-scanner"
ETC="$ROOT/etc/spread-scanner"
DATA="$ROOT/var/lib/spread-scanner"
UNITS="$ROOT/etc/systemd/system"
LINK="$ROOT/usr/local/bin/spread-ctl"
say() { echo "install.sh: $*"; }

if [ "$ACTION" = uninstall ]; then
  if [ $LIVE = 1 ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now spread-scanner.target spread-pair-discovery.timer >/dev/null 2>&1 || true
    systemctl stop 'spread-*.service' >/dev/null 2>&1 || true
  fi
  rm -f "$UNITS/multi-user.target.wants/spread-scanner.target"
  rm -rf "$UNITS"/spread-*.service "$UNITS"/spread-*.timer "$UNITS"/spread-scanner.target "$UNITS"/spread-*.service.d
  rm -rf "$OPT" "$LINK"
  [ $LIVE = 1 ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ] && systemctl daemon-reload || true
  if [ $PURGE = 1 ]; then
    rm -rf "$ETC" "$DATA"
    [ $LIVE = 1 ] && id "$USER_NAME" >/dev/null 2>&1 && userdel "$USER_NAME" || true
    say "removed binaries, units, config ($ETC) and data ($DATA)"
  else
    say "removed binaries and units; kept config ($ETC) and data ($DATA) (uninstall --purge removes them)"
  fi
  exit 0
fi

for b in shm-init pair-discovery feed spread-ctl; do
  [ -x "$DIST/$b" ] || { echo "install.sh: $DIST/$b missing: run \`bun run build\` first" >&2; exit 2; }
done

# Binaries: install beside, then rename over the old file, so running processes keep their (old) inode. Names that
# are hard links of one file in dist/ (scripts/build.sh: one binary for every program) stay hard links of one file
# here: every process then maps the same file and shares its pages.
install -d -m 0755 "$OPT/bin" "$(dirname "$LINK")"
installed=""
for f in "$DIST"/*; do
  [ -f "$f" ] && [ -x "$f" ] || continue
  name="$(basename "$f")"
  same=""
  for prev in $installed; do
    if [ "$f" -ef "$DIST/$prev" ]; then same="$prev"; break; fi
  done
  if [ -n "$same" ]; then ln -f "$OPT/bin/$same" "$OPT/bin/.$name.new"; else install -m 0755 "$f" "$OPT/bin/.$name.new"; fi
  mv -f "$OPT/bin/.$name.new" "$OPT/bin/$name"
  installed="$installed $name"
done
ln -sfn /opt/spread-scanner/bin/spread-ctl "$LINK"

# Configs: the installed config.toml keeps generated/ and data in /var/lib/spread-scanner.
install -d -m 0755 "$ETC"
STAGE="$(mktemp -d)"; trap 'rm -rf "$STAGE"' EXIT
sed -e 's#^generated = "[^"]*"#generated = "/var/lib/spread-scanner/generated"#' \
    -e 's#^data = "[^"]*"#data = "/var/lib/spread-scanner"#' "$HERE/config/config.toml" > "$STAGE/config.toml"
grep -q '^data = "/var/lib/spread-scanner"' "$STAGE/config.toml" && grep -q '^generated = "/var/lib/spread-scanner/generated"' "$STAGE/config.toml" \
  || { echo "install.sh: config/config.toml has no [paths] generated/data lines to point at /var/lib/spread-scanner" >&2; exit 1; }
cp "$HERE/config/exchanges.toml" "$HERE/config/directions.toml" "$STAGE/"
for name in config.toml exchanges.toml directions.toml; do
  if [ ! -e "$ETC/$name" ]; then
    install -m 0644 "$STAGE/$name" "$ETC/$name"
  elif ! cmp -s "$STAGE/$name" "$ETC/$name"; then
    install -m 0644 "$STAGE/$name" "$ETC/$name.new"
    say "kept your $ETC/$name; the new default is $ETC/$name.new (diff them)"
  else
    rm -f "$ETC/$name.new"
  fi
done

# Data directory (generated/, tracker files, logs of spread-ctl up).
install -d -m 0750 "$DATA" "$DATA/generated" "$DATA/logs"
if [ $LIVE = 1 ]; then
  if ! id "$USER_NAME" >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/spread-scanner --no-create-home --shell /usr/sbin/nologin "$USER_NAME"
    say "created system user $USER_NAME"
  fi
  chown -R "$USER_NAME:$USER_NAME" "$DATA"
fi

# Units, and CPUAffinity drop-ins from the [cpu] lists of the installed config (empty list = no drop-in).
install -d -m 0755 "$UNITS"
install -m 0644 "$HERE"/systemd/* "$UNITS/"
cpu_list() { # [cpu] <key> = [a, b] → "a b"
  awk -v key="$1" '/^\[/{sec=$0} sec=="[cpu]" && $1==key && $2=="=" {s=$0; sub(/#.*/,"",s); sub(/^[^[]*\[/,"",s); sub(/\].*/,"",s); gsub(/,/," ",s); print s}' "$ETC/config.toml" | xargs
}
for role in feeds:spread-feed@ feeds:spread-feed-group@ engine:spread-engine tracker:spread-tracker; do
  cpus="$(cpu_list "${role%%:*}")"
  dropin="$UNITS/${role#*:}.service.d"
  rm -f "$dropin/cpu.conf"
  if [ -n "$cpus" ]; then
    install -d -m 0755 "$dropin"
    printf '# Written by deploy/install.sh from [cpu] %s of %s\n[Service]\nCPUAffinity=%s\n' "${role%%:*}" /etc/spread-scanner/config.toml "$cpus" > "$dropin/cpu.conf"
  fi
  rmdir "$dropin" 2>/dev/null || true
done

if [ $ENABLE = 1 ]; then
  if [ $LIVE = 1 ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable spread-scanner.target
    say "enabled spread-scanner.target: \`systemctl start spread-scanner.target\` (an upgrade: \`systemctl restart spread-scanner.target\`)"
  else
    install -d -m 0755 "$UNITS/multi-user.target.wants"
    ln -sfn ../spread-scanner.target "$UNITS/multi-user.target.wants/spread-scanner.target"
  fi
fi
say "installed into ${ROOT:-/}: $OPT/bin, $ETC, $DATA, $UNITS"
