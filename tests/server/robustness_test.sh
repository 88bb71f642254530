#!/usr/bin/env bash
# Runs robustness_test.py (hostile bytes over raw sockets) against a
# `tslake serve` with small limits, then checks it still stops cleanly.
#   robustness_test.sh TSLAKE_BINARY
set -euo pipefail
TSLAKE=$1
PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c "import psycopg2" 2>/dev/null || { echo "python3-psycopg2 not installed"; exit 77; }
WORK=$(mktemp -d)
trap 'kill "${SERVER_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
. "$(dirname "$0")/server_lib.sh"
start_server "$WORK/db" --max-connections 8 --message-timeout 1000
"$PY" "$(dirname "$0")/robustness_test.py" "$PORT" "$SERVER_PID" 8
stop_server
