#!/usr/bin/env bash
# Runs duckdb_crosscheck.js: DuckDB reads the Parquet files and the Delta
# mirror tslake writes, and tslake reads the Parquet files DuckDB writes;
# both must give identical rows. Skips (exit 77) without node or
# @duckdb/node-api (looked up in $DUCKDB_NODE_DIR, /tmp/duckdb-peer,
# bench/.peers; install with: mkdir -p /tmp/duckdb-peer && cd /tmp/duckdb-peer
# && npm install @duckdb/node-api).
# Usage: duckdb_crosscheck.sh TSLAKE_BINARY
set -u
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed"
  exit 77
fi
for d in "${DUCKDB_NODE_DIR:-}" /tmp/duckdb-peer "$here/../../bench/.peers"; do
  if [ -n "$d" ] && [ -d "$d/node_modules/@duckdb/node-api" ]; then
    DUCKDB_NODE_DIR="$d" exec node "$here/duckdb_crosscheck.js" "$1"
  fi
done
echo "SKIP: @duckdb/node-api not found (set DUCKDB_NODE_DIR or npm install it in /tmp/duckdb-peer)"
exit 77
