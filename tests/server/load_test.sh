#!/usr/bin/env bash
# Runs load_test.py against a fresh `tslake serve`: CONNECTIONS psycopg2
# connections mixing INSERTs and queries for SECONDS, then checks every
# acknowledged row is stored exactly once and the server stops cleanly.
# CI runs the short form (16 connections, 8 s); `./run server-load` runs
# 64 connections for 60 s (the figures in bench/results/SERVER.md).
#   load_test.sh TSLAKE_BINARY [CONNECTIONS [SECONDS]]
# TSLAKE_SERVE_ARGS adds options to `tslake serve` (e.g. "--max-writers 64").
set -euo pipefail
TSLAKE=$1
CONNECTIONS=${2:-16}
SECONDS_=${3:-8}
PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c "import psycopg2" 2>/dev/null || { echo "python3-psycopg2 not installed"; exit 77; }
WORK=$(mktemp -d)
trap 'kill "${SERVER_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
. "$(dirname "$0")/server_lib.sh"
# One more connection than the workers: the checking one.
# shellcheck disable=SC2086
start_server "$WORK/db" --max-connections $((CONNECTIONS + 1)) ${TSLAKE_SERVE_ARGS:-}
"$PY" "$(dirname "$0")/load_test.py" "$PORT" "$CONNECTIONS" "$SECONDS_"
stop_server
