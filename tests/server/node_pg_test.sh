#!/usr/bin/env bash
# Runs node_pg_test.js (the extended protocol through node-postgres)
# against a fresh `tslake serve`. node-postgres is not in Debian: the test
# is skipped (exit 77) unless `require('pg')` works, e.g. after
# `npm install pg` in a directory named by NODE_PATH.
#   node_pg_test.sh TSLAKE_BINARY
set -euo pipefail
TSLAKE=$1
command -v node >/dev/null && node -e "require('pg')" 2>/dev/null ||
  { echo "node-postgres not found (npm install pg; NODE_PATH=.../node_modules)"; exit 77; }
WORK=$(mktemp -d)
trap 'kill "${SERVER_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
. "$(dirname "$0")/server_lib.sh"
start_server "$WORK/db"
node "$(dirname "$0")/node_pg_test.js" "$PORT"
stop_server
