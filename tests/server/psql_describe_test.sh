#!/usr/bin/env bash
# psql's \d family against golden files: \d, \dt, \dv, \dt with a pattern,
# \d TABLE for every column type and \d of a missing name, run by Debian
# 12's psql (postgresql-client 15) on a fresh `tslake serve`. The output
# must equal tests/server/golden/psql_describe.out byte for byte; other
# psql versions lay tables out differently, so a different major version
# skips (exit 77). TSLAKE_UPDATE_GOLDEN=1 rewrites the golden file.
#   psql_describe_test.sh TSLAKE_BINARY
set -euo pipefail
TSLAKE=$1
command -v psql >/dev/null || { echo "psql not installed (postgresql-client)"; exit 77; }
case "$(psql --version)" in
  *" 15."*) ;;
  *) echo "golden files are psql 15's layout: $(psql --version)"; exit 77 ;;
esac
GOLDEN=$(dirname "$0")/golden/psql_describe.out
WORK=$(mktemp -d)
trap 'kill "${SERVER_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
. "$(dirname "$0")/server_lib.sh"
export PGCONNECT_TIMEOUT=10
start_server "$WORK/db"
psql "host=127.0.0.1 port=$PORT user=tester dbname=plant sslmode=disable" -X -q -v ON_ERROR_STOP=1 \
  -c "CREATE TABLE sensors (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER)" \
  -c "CREATE TABLE kinds (b BOOLEAN, i INTEGER, n BIGINT, d DOUBLE, s VARCHAR, t TIMESTAMP, tz TIMESTAMPTZ, iv INTERVAL, day DATE, money DECIMAL(12,2))" \
  -c "CREATE VIEW hot AS SELECT * FROM sensors WHERE value > 1" >/dev/null
# Each command after an \echo of its name (without the backslash, which
# would end \echo); psql's messages to stderr too.
{
  for cmd in '\d' '\dt' '\dv' '\dt s*' '\d sensors' '\d kinds' '\d nosuch'; do
    printf '%s\n' "\\echo '-- ${cmd#\\}'" "$cmd"
  done
} >"$WORK/commands.sql"
psql "host=127.0.0.1 port=$PORT user=tester dbname=plant sslmode=disable" -X -v ON_ERROR_STOP=0 \
  -f "$WORK/commands.sql" >"$WORK/out" 2>&1 || true
sed -i "s#^psql:$WORK/commands.sql:#psql:commands.sql:#" "$WORK/out"
stop_server
if [ "${TSLAKE_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$WORK/out" "$GOLDEN"
  echo "wrote $GOLDEN"
  exit 0
fi
if ! diff -u "$GOLDEN" "$WORK/out"; then
  echo "FAIL: psql's \\d output differs from $GOLDEN (TSLAKE_UPDATE_GOLDEN=1 rewrites it)" >&2
  exit 1
fi
echo "psql \\d golden output: ok"
