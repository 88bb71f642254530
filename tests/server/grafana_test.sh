#!/usr/bin/env bash
# Runs grafana_test.py against a fresh `tslake serve` (Debian's python3,
# where python3-psycopg2 lives).
#   grafana_test.sh TSLAKE_BINARY
set -euo pipefail
TSLAKE=$1
PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c "import psycopg2" 2>/dev/null || { echo "python3-psycopg2 not installed"; exit 77; }
WORK=$(mktemp -d)
trap 'kill "${SERVER_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
. "$(dirname "$0")/server_lib.sh"
start_server "$WORK/db"
"$PY" "$(dirname "$0")/grafana_test.py" "$PORT"
stop_server
