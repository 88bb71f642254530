#!/usr/bin/env bash
# Runs node_pg_test.js (the extended protocol through node-postgres)
# against a fresh `tslake serve`. node-postgres comes from NODE_PATH when
# `require('pg')` already works there (e.g. npm's pg); otherwise Debian's
# node-pg is unpacked into a per-user cache (node_pg_deps.sh: apt-get
# download + dpkg -x into ~/.cache/tslake/node-pg, or TSLAKE_NODE_PG_DIR). Skipped (exit 77) without node, or when
# neither source gives a working pg.
#   node_pg_test.sh TSLAKE_BINARY
set -euo pipefail
TSLAKE=$1
command -v node >/dev/null || { echo "node not found"; exit 77; }
if ! node -e "require('pg')" 2>/dev/null; then
  # Unpacked once per machine, not per build directory: the Release and the
  # sanitizer suites (and every fresh clone) share it.
  PRIVATE=${TSLAKE_NODE_PG_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/tslake/node-pg}
  mkdir -p "$PRIVATE"
  DIR=$("$(dirname "$0")/node_pg_deps.sh" "$PRIVATE") ||
    { echo "node-postgres not found (Debian's node-pg via apt-get download, or npm install pg + NODE_PATH)"; exit 77; }
  export NODE_PATH=$DIR${NODE_PATH:+:$NODE_PATH}
fi
WORK=$(mktemp -d)
trap 'kill "${SERVER_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
. "$(dirname "$0")/server_lib.sh"
start_server "$WORK/db"
node "$(dirname "$0")/node_pg_test.js" "$PORT"
stop_server
