#!/usr/bin/env bash
# Puts Debian's node-postgres (node-pg) and the node-* packages it needs
# into a private directory and prints the NODE_PATH that finds them.
# Debian's node-pg cannot be installed next to the nodesource nodejs this
# project's machines carry (its Depends want Debian's nodejs), so the
# packages are fetched with `apt-get download` and unpacked with `dpkg -x`:
# nothing is installed system-wide and nothing comes from npm. node-libpq
# (the native binding behind pg.native, built for Debian's node ABI) is
# left out: `require('pg')` loads it only when pg.native is used.
# Idempotent: a directory that already loads pg is reused.
#   node_pg_deps.sh DIR      (prints DIR/usr/share/nodejs; exit 1 on failure)
set -euo pipefail
DIR=$1
NODE_PATH_DIR=$DIR/usr/share/nodejs
if NODE_PATH=$NODE_PATH_DIR node -e "require('pg')" 2>/dev/null; then
  echo "$NODE_PATH_DIR"
  exit 0
fi
command -v apt-get >/dev/null && command -v apt-cache >/dev/null && command -v dpkg >/dev/null ||
  { echo "apt-get/dpkg not found" >&2; exit 1; }
# A fresh machine may have no package lists yet (./run's ensure_deps
# updates them only when a build package is missing).
if ! apt-cache show node-pg >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  apt-get update >&2 || true
fi
# node-pg's Depends, followed through node-* packages only.
queue=(node-pg)
seen=" "
while [ ${#queue[@]} -gt 0 ]; do
  p=${queue[0]}
  queue=("${queue[@]:1}")
  case "$seen" in *" $p "*) continue ;; esac
  seen="$seen$p "
  for d in $(apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
               --no-enhances "$p" | sed -n 's/^ *|\{0,1\}Depends: \(node-[^ ]*\)$/\1/p'); do
    [ "$d" = node-libpq ] && continue
    queue+=("$d")
  done
done
# shellcheck disable=SC2086
set -- $seen
[ "$1" = node-pg ] || { echo "apt-cache knows no node-pg (apt-get update?)" >&2; exit 1; }
DEBS=$(mktemp -d)
trap 'rm -rf "$DEBS"' EXIT
# apt-get download writes into the current directory; as root it warns that
# the _apt user cannot write there, which is harmless.
(cd "$DEBS" && apt-get download "$@" >&2) || { echo "apt-get download $* failed" >&2; exit 1; }
mkdir -p "$DIR"
for deb in "$DEBS"/*.deb; do dpkg -x "$deb" "$DIR"; done
NODE_PATH=$NODE_PATH_DIR node -e "require('pg')" >&2 || { echo "pg does not load from $DIR" >&2; exit 1; }
echo "$NODE_PATH_DIR"
