#!/usr/bin/env bash
# tslake serve with Debian's psql over TCP loopback: queries and their
# results, errors with their SQLSTATE (\set VERBOSITY verbose), \copy from
# a CSV file (COPY FROM STDIN) and to stdout, \dt and \d, SET/SHOW of the
# session parameters, version()/current_database(); then authentication
# (scram, md5, wrong password and unknown user alike), TLS (sslmode=require
# with --tls-cert, refused without it, --require-tls), and a clean SIGTERM.
#   psql_test.sh TSLAKE_BINARY
set -euo pipefail
TSLAKE=$1
command -v psql >/dev/null || { echo "psql not installed (postgresql-client)"; exit 77; }
WORK=$(mktemp -d)
trap 'kill "${SERVER_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
. "$(dirname "$0")/server_lib.sh"
export PGCONNECT_TIMEOUT=10

start_server "$WORK/db"
# psql's exit status is 1 when its last command failed; the output is checked instead.
q() { psql "host=127.0.0.1 port=$PORT user=tester dbname=plant sslmode=disable" -X -v ON_ERROR_STOP=0 "$@" 2>&1 || true; }

out=$(q -At -c "CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER, ok BOOLEAN, d DATE)" \
        -c "INSERT INTO m VALUES ('2024-01-01 00:00:00.25', 'pump1', 1.5, 192, true, '2024-01-01'), ('2024-01-01 00:01:00', 'pump2', -0.1, NULL, false, NULL)" \
        -c "SELECT ts, tag, v, q, ok, d FROM m ORDER BY ts" \
        -c "SELECT count(*) FROM m; SELECT max(v) FROM m")
expect_contains "create" "$out" "CREATE TABLE"
expect_contains "insert tag" "$out" "INSERT 0 2"
expect_contains "row 1 (bool t, fractional timestamp)" "$out" "2024-01-01 00:00:00.25|pump1|1.5|192|t|2024-01-01"
expect_contains "row 2 (NULLs empty)" "$out" "2024-01-01 00:01:00|pump2|-0.1||f|"
expect_contains "two statements in one Query" "$out" $'2\n1.5'

# Intervals with months print as PostgreSQL's "postgres" IntervalStyle.
out=$(q -At -c "SELECT INTERVAL '1 month 2 days 03:00:00', INTERVAL '-14 months', INTERVAL '1 year' - INTERVAL '1 second', INTERVAL '-1 day', INTERVAL '-1 month' + INTERVAL '2 days 1 hour', INTERVAL '0 seconds'")
expect_contains "intervals" "$out" "1 mon 2 days 03:00:00|-1 years -2 mons|1 year -00:00:01|-1 days|-1 mons +2 days 01:00:00|00:00:00"

# Column types as psql's \gdesc reports them (RowDescription OIDs).
# (\gdesc sends Parse + Describe of the statement: the extended protocol.)
out=$(echo 'SELECT ts, tag, v, q, ok, d, ts - ts AS iv, 1::BIGINT AS b FROM m \gdesc' | q)
for t in "timestamp without time zone" "text" "double precision" "integer" "boolean" "date" "interval" "bigint"; do
  expect_contains "gdesc $t" "$out" "$t"
done

# Errors carry SQLSTATE.
out=$(q -c "\set VERBOSITY verbose" -c "SELECT * FROM nope" -c "SELECT nope FROM m" -c "SELEC 1" \
        -c "SELECT 'x'::INTEGER" -c "SELECT 1")
expect_contains "undefined table" "$out" "ERROR:  42P01"
expect_contains "undefined column" "$out" "ERROR:  42703"
expect_contains "syntax error" "$out" "ERROR:  42601"
expect_contains "invalid input" "$out" "ERROR:  22P02"
expect_contains "session survives errors" "$out" "(1 row)"

# \copy FROM a CSV file (COPY ... FROM STDIN) and back out (TO STDOUT).
{
  echo "ts,tag,v,q,ok,d"
  for i in $(seq 0 999); do printf '2024-02-01 00:%02d:%02d,"tag,%d",%d.5,%d,true,2024-02-01\n' $((i / 60 % 60)) $((i % 60)) $((i % 7)) "$i" "$i"; done
} >"$WORK/in.csv"
out=$(q -At -c "\copy m FROM '$WORK/in.csv' WITH (FORMAT csv, HEADER true)" -c "SELECT count(*), sum(q), count(DISTINCT tag) FROM m WHERE d = '2024-02-01'")
expect_contains "\\copy tag" "$out" "COPY 1000"
expect_contains "\\copy rows" "$out" "1000|499500|7"
# A bad row (text in an INTEGER column) aborts the whole COPY: nothing lands.
printf 'ts,tag,v,q,ok,d\n2024-03-01 00:00:00,a,1,1,true,2024-03-01\n2024-03-01 00:00:01,b,2,notanumber,true,2024-03-01\n' >"$WORK/bad.csv"
out=$(q -At -c "\set VERBOSITY verbose" -c "\copy m FROM '$WORK/bad.csv' CSV HEADER" -c "SELECT 'after', count(*) FROM m WHERE d = '2024-03-01'")
expect_contains "bad COPY row is 22P02" "$out" "22P02"
expect_contains "bad COPY commits nothing" "$out" "after|0"
out=$(q -At -c "COPY (SELECT tag, q FROM m WHERE q IN (1, 2) ORDER BY q) TO STDOUT WITH (FORMAT csv, HEADER)")
expect_contains "COPY TO STDOUT csv" "$out" $'tag,q\n"tag,1",1\n"tag,2",2'
out=$(q -At -c "\copy (SELECT q, ts FROM m WHERE q = 3) TO STDOUT")
expect_contains "\\copy TO STDOUT text" "$out" $'3\t2024-02-01 00:00:03'

# psql's catalog: \dt and \d.
q -c "CREATE VIEW hot AS SELECT * FROM m WHERE v > 1" >/dev/null
out=$(q -c "\dt")
expect_contains "\\dt" "$out" " public | m    | table | tslake"
out=$(q -c "\d m")
expect_contains "\\d title" "$out" 'Table "public.m"'
expect_contains "\\d ts" "$out" " ts     | timestamp without time zone |"
expect_contains "\\d q" "$out" " q      | integer                     |"
out=$(q -c "\dv")
expect_contains "\\dv" "$out" " public | hot  | view | tslake"
out=$(q -c "\dt nomatch*")
expect_contains "\\dt pattern" "$out" "Did not find any relation"

# Session parameters and connect-time functions.
out=$(q -At -c "SET application_name = 'grafana'" -c "SHOW application_name" -c "SET extra_float_digits = 3" \
        -c "SET search_path TO public" -c "SET statement_timeout = 0" -c "SET DateStyle = ISO" \
        -c "SHOW client_encoding" -c "SELECT version(), current_database(), current_schema()" \
        -c "SET client_encoding = 'LATIN1'")
expect_contains "SET/SHOW" "$out" $'SET\ngrafana'
expect_contains "client_encoding" "$out" "UTF8"
expect_contains "functions" "$out" "PostgreSQL 15.0 (tslake"
expect_contains "current_database" "$out" "|plant|public"
expect_contains "LATIN1 refused" "$out" "UTF8 only"
stop_server

# Authentication: SCRAM-SHA-256 and MD5 from a users file.
printf '# name:password\nalice:s3cret pass\nbob:hunter2\n' >"$WORK/users"
for method in scram md5; do
  start_server "$WORK/db" --auth "$method" --users "$WORK/users"
  out=$(PGPASSWORD='s3cret pass' psql "host=127.0.0.1 port=$PORT user=alice dbname=plant sslmode=disable" -X -At -c "SELECT count(*) FROM m" 2>&1)
  expect_contains "$method login" "$out" "1002"
  start=$(date +%s%N)
  wrong=$(PGPASSWORD=wrong psql "host=127.0.0.1 port=$PORT user=alice sslmode=disable" -X -At -c "SELECT 1" 2>&1 || true)
  elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  unknown=$(PGPASSWORD=wrong psql "host=127.0.0.1 port=$PORT user=mallory sslmode=disable" -X -At -c "SELECT 1" 2>&1 || true)
  expect_contains "$method wrong password" "$wrong" 'password authentication failed for user "alice"'
  expect_contains "$method unknown user" "$unknown" 'password authentication failed for user "mallory"'
  [ "$elapsed_ms" -ge 900 ] || fail "$method: a wrong password was answered after ${elapsed_ms} ms (expected the 1 s delay)"
  stop_server
done

# TLS: a self-signed certificate; sslmode=require negotiates TLS.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 \
  -subj "/CN=127.0.0.1" >/dev/null 2>&1
start_server "$WORK/db" --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem" --auth scram --users "$WORK/users"
out=$(PGPASSWORD=hunter2 psql "host=127.0.0.1 port=$PORT user=bob dbname=plant sslmode=require" -X -c "\conninfo" -c "SELECT 42 AS answer" 2>&1)
expect_contains "TLS in use" "$out" "SSL connection (protocol: TLS"
expect_contains "query over TLS" "$out" "42"
# A client that asks for TLS and then sends half a ClientHello holds its
# connection only until --message-timeout, never the server.
stop_server
start_server "$WORK/db" --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem" --message-timeout 1000
/usr/bin/python3 - "$PORT" <<'PY' || fail "half a TLS handshake"
import socket, struct, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(struct.pack("!ii", 8, 80877103))
assert s.recv(1) == b"S"
s.sendall(b"\x16\x03\x01\x02\x00")  # a TLS record header announcing 512 bytes, then nothing
start = time.time()
s.settimeout(10)
try:
    while s.recv(4096):
        pass
except ConnectionResetError:
    pass
elapsed = time.time() - start
assert elapsed < 5, f"half a handshake held its connection {elapsed:.1f} s"
PY
out=$(PGPASSWORD=x psql "host=127.0.0.1 port=$PORT user=bob dbname=plant sslmode=require" -X -At -c "SELECT 43" 2>&1)
expect_contains "TLS after a stalled handshake" "$out" "43"
stop_server
# Without a certificate the SSLRequest is answered 'N'.
start_server "$WORK/db"
out=$(psql "host=127.0.0.1 port=$PORT user=x sslmode=require" -X -c "SELECT 1" 2>&1 || true)
expect_contains "no TLS configured" "$out" "server does not support SSL"
out=$(psql "host=127.0.0.1 port=$PORT user=x sslmode=prefer" -X -At -c "SELECT 7" 2>&1)
expect_contains "prefer falls back to plain" "$out" "7"
stop_server
# --require-tls refuses a plain connection.
start_server "$WORK/db" --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem" --require-tls
out=$(psql "host=127.0.0.1 port=$PORT user=x sslmode=disable" -X -c "SELECT 1" 2>&1 || true)
expect_contains "require-tls" "$out" "requires TLS"
out=$(psql "host=127.0.0.1 port=$PORT user=x sslmode=require" -X -At -c "SELECT 8" 2>&1)
expect_contains "require-tls with TLS" "$out" "8"
stop_server
echo "psql tests passed"
