#!/usr/bin/env bash
# bench/server_bench.sh [--tags N] [--points N] [--runs N] [--limit SECONDS] [--copy-only]
#
# `tslake serve` side by side with PostgreSQL 15 (Debian's postgresql-15,
# started here from a fresh initdb on a loopback port, default settings,
# and stopped after), same schema points(ts, tag, value, quality), no index:
#   - COPY FROM STDIN of the sensor CSV (`tslake generate`) through psql's
#     \copy into each: rows/s (PostgreSQL's VACUUM ANALYZE afterwards is
#     not counted);
#   - bytes on disk: PostgreSQL's pg_total_relation_size('points'), tslake's
#     table directory (du);
#   - q1..q6 (bench/drivers/queries.mjs; PostgreSQL's dialect in
#     server_bench.py) through psql (\timing) and through psycopg2, RUNS
#     times each over one connection: first and best run; every result is
#     compared with PostgreSQL's (MISMATCH printed when they differ); a
#     PostgreSQL query is stopped by statement_timeout after --limit
#     seconds (default 60) and reported as a timeout (its q3, a RANGE
#     window of avg/stddev over floats, recomputes every frame: hours at 5M);
#   - the same queries in tslake's shell in-process (.timer), for the wire's
#     overhead.
# Prints a Markdown report on stdout (bench/results/SERVER.md holds one).
# Defaults: 50 tags x 100,000 points 1 s apart (5M rows, 27.8 hours, so
# q2/q3/q5's "one day" is a part), 3 runs. TSLAKE=path picks the binary
# (default build/tslake, built when missing). Run it niced on a shared
# machine: `nice -n 10 bench/server_bench.sh`. --copy-only stops after
# the COPY table (no queries).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TAGS=50
POINTS=100000
RUNS=3
LIMIT=60
COPY_ONLY=0
COMMAND="bench/server_bench.sh $*"
while [[ $# -gt 0 ]]; do
  case $1 in
    --tags) TAGS=$2; shift ;;
    --points) POINTS=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --limit) LIMIT=$2; shift ;;
    --copy-only) COPY_ONLY=1 ;;
    -h|--help) sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "server_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
PGBIN=/usr/lib/postgresql/15/bin
[[ -x $PGBIN/postgres ]] || { echo "needs Debian's postgresql-15 (apt-get install postgresql-15)" >&2; exit 1; }
/usr/bin/python3 -c "import psycopg2" || { echo "needs python3-psycopg2" >&2; exit 1; }
TSLAKE=${TSLAKE:-$ROOT/build/tslake}
if [[ ! -x $TSLAKE ]]; then
  cmake --build "$ROOT/build" --target tslake_cli >&2
fi
log() { printf '==> %s\n' "$*" >&2; }
now() { date +%s.%N; }

DATA=$ROOT/bench/data
mkdir -p "$DATA"
CSV=$DATA/sensor-${TAGS}x${POINTS}.csv
if [[ ! -s $CSV ]]; then
  log "generating $CSV"
  "$TSLAKE" generate --tags "$TAGS" --points "$POINTS" --out "$CSV.tmp" > /dev/null
  mv "$CSV.tmp" "$CSV"
fi
ROWS=$((TAGS * POINTS))
FIRST_TS="2024-01-01 00:00:00"
LAST_TS=$(date -u -d "@$((1704067200 + POINTS - 1))" '+%Y-%m-%d %H:%M:%S')
TAG_A=$(sed -n 2p "$CSV" | cut -d, -f2)
TAG_B=$(sed -n 3p "$CSV" | cut -d, -f2)

WORK=$DATA/server-bench
rm -rf "$WORK"
mkdir -p "$WORK"
PGDATA=$(mktemp -d /tmp/tslake-pg15.XXXXXX)
chown postgres "$PGDATA"
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
SERVER_PID=
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop > /dev/null 2>&1 || true
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2> /dev/null || true
  rm -rf "$PGDATA"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PGPORT=$(free_port)
log "PostgreSQL 15: initdb in $PGDATA, port $PGPORT"
as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C > /dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
  -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1" start > /dev/null
PG_VERSION=$("$PGBIN/postgres" --version)

log "tslake serve"
"$TSLAKE" serve "$WORK/tslake.db" --listen 127.0.0.1:0 2> "$WORK/serve.log" &
SERVER_PID=$!
TSPORT=
for _ in $(seq 1 100); do
  TSPORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/serve.log")
  [[ -n $TSPORT ]] && break
  sleep 0.1
done
[[ -n $TSPORT ]] || { cat "$WORK/serve.log" >&2; exit 1; }

PSQL_PG=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres)
PSQL_TS=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$TSPORT" -U bench -d postgres)
"${PSQL_PG[@]}" -c "CREATE TABLE points (ts timestamp, tag text, value float8, quality int4)"
"${PSQL_TS[@]}" -c "CREATE TABLE points (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER)"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A COPY_S
for s in pg tslake; do
  log "$s: \\copy of $ROWS rows"
  psql_cmd=("${PSQL_PG[@]}")
  [[ $s == tslake ]] && psql_cmd=("${PSQL_TS[@]}")
  t0=$(now)
  "${psql_cmd[@]}" -c "\\copy points FROM '$CSV' CSV HEADER"
  COPY_S[$s]=$(echo "$(now) - $t0" | bc -l)
done
"${PSQL_PG[@]}" -c "VACUUM ANALYZE points"
PG_BYTES=$("${PSQL_PG[@]}" -At -c "SELECT pg_total_relation_size('points')")
TS_BYTES=$(du -sb "$WORK/tslake.db/points" | cut -f1)
PG_COUNT=$("${PSQL_PG[@]}" -At -c "SELECT count(*) FROM points")
TS_COUNT=$("${PSQL_TS[@]}" -At -c "SELECT count(*) FROM points")
[[ $PG_COUNT == "$ROWS" && $TS_COUNT == "$ROWS" ]] || { echo "row counts: pg $PG_COUNT, tslake $TS_COUNT, want $ROWS" >&2; exit 1; }

ratio() { echo "$1 $2" | awk '{ if ($1 == "timeout") printf "> %.0f", '"$LIMIT"' * 1000 / $2; else if ($2 > 0) printf "%.1f", $1 / $2; else print "-" }'; }
pg_rate=$(echo "$ROWS / ${COPY_S[pg]}" | bc)
ts_rate=$(echo "$ROWS / ${COPY_S[tslake]}" | bc)
copy_table() {
  cat << EOT
| COPY FROM STDIN (psql \\copy) | seconds | rows/s | bytes on disk | bytes/row |
|---|---:|---:|---:|---:|
| PostgreSQL 15 | $(printf %.1f "${COPY_S[pg]}") | $pg_rate | $PG_BYTES | $(echo "$PG_BYTES $ROWS" | awk '{printf "%.1f", $1/$2}') |
| tslake serve | $(printf %.1f "${COPY_S[tslake]}") | $ts_rate | $TS_BYTES | $(echo "$TS_BYTES $ROWS" | awk '{printf "%.1f", $1/$2}') |
| tslake / PostgreSQL | | $(ratio "$ts_rate" "$pg_rate")x | $(ratio "$PG_BYTES" "$TS_BYTES")x smaller | |
EOT
}
if [[ $COPY_ONLY == 1 ]]; then
  cat << EOT
Command: \`$COMMAND\` ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after;
$PG_VERSION with initdb's defaults; $("$TSLAKE" --version 2>/dev/null | head -1)).
Data: $TAGS tags x $POINTS points 1 s apart ($ROWS rows, $(du -h "$CSV" | cut -f1) CSV from \`tslake generate\`).

$(copy_table)
EOT
  exit 0
fi

/usr/bin/python3 "$ROOT/bench/server_bench.py" queries "$WORK/queries" "$FIRST_TS" "$LAST_TS" "$TAG_A" "$TAG_B"

# psql's \timing over RUNS runs in one session: "first best" in ms.
psql_times() {
  local -n cmd=$1
  local file=$2 script="$WORK/psql_script.sql"
  { echo '\timing on'; echo '\o /dev/null'; for _ in $(seq 1 "$RUNS"); do cat "$file"; done; } > "$script"
  # ON_ERROR_STOP: the first run stopped by statement_timeout ends it.
  { "${cmd[@]}" -f "$script" 2> /dev/null || true; } | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' |
    awk -v runs="$RUNS" 'NR==1{first=$1; best=$1} {if ($1<best) best=$1}
      END{if (NR < runs) print "timeout timeout"; else printf "%.1f %.1f\n", first, best}'
}
declare -A PSQL_T PY_T SHELL_T CHECK
for q in q1 q2 q3 q4 q5 q6; do
  for s in pg tslake; do
    log "$s: $q through psql and psycopg2"
    if [[ $s == pg ]]; then
      PSQL_T[$s.$q]=$(PGOPTIONS="-c statement_timeout=${LIMIT}s" psql_times PSQL_PG "$WORK/queries/pg/$q.sql")
      PY_T[$s.$q]=$(PGOPTIONS="-c statement_timeout=${LIMIT}s" /usr/bin/python3 "$ROOT/bench/server_bench.py" psycopg2 "$PGPORT" postgres \
        "$WORK/queries/pg/$q.sql" "$RUNS" "$WORK/$s.$q.json")
    else
      PSQL_T[$s.$q]=$(psql_times PSQL_TS "$WORK/queries/tslake/$q.sql")
      PY_T[$s.$q]=$(/usr/bin/python3 "$ROOT/bench/server_bench.py" psycopg2 "$TSPORT" bench \
        "$WORK/queries/tslake/$q.sql" "$RUNS" "$WORK/$s.$q.json")
    fi
  done
  if [[ ! -s $WORK/pg.$q.json ]]; then
    CHECK[$q]="PostgreSQL timed out (> $LIMIT s)"
  elif /usr/bin/python3 "$ROOT/bench/server_bench.py" compare "$WORK/tslake.$q.json" "$WORK/pg.$q.json" > "$WORK/$q.cmp"; then
    CHECK[$q]=same
  else
    CHECK[$q]="MISMATCH: $(cat "$WORK/$q.cmp")"
    log "$q: ${CHECK[$q]}"
  fi
done

kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || true
SERVER_PID=
# The shell in-process on the same database: .timer over RUNS runs.
for q in q1 q2 q3 q4 q5 q6; do
  args=(-c ".timer on" -c ".mode csv")
  for _ in $(seq 1 "$RUNS"); do args+=(-c "$(cat "$WORK/queries/tslake/$q.sql")"); done
  SHELL_T[$q]=$("$TSLAKE" "$WORK/tslake.db" "${args[@]}" | sed -n 's/^Run Time: real \([0-9.]*\) s.*/\1/p' |
    awk 'NR==1{first=$1; best=$1} {if ($1<best) best=$1} END{printf "%.1f %.1f\n", first*1000, best*1000}')
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

best() { echo "$1" | cut -d' ' -f2; }
first() { echo "$1" | cut -d' ' -f1; }
cat << EOF
Command: \`$COMMAND\` ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $LOAD_BEFORE before, $LOAD_AFTER after;
$PG_VERSION with initdb's defaults; $("$TSLAKE" --version 2>/dev/null | head -1)).
Data: $TAGS tags x $POINTS points 1 s apart ($ROWS rows, $(du -h "$CSV" | cut -f1) CSV from \`tslake generate\`), "one day" = [$FIRST_TS, +1 day), q5 joins $TAG_A with $TAG_B.

$(copy_table)

Query times in ms, first / best of $RUNS runs in one session (psql's \\timing; psycopg2 from execute to fetchall; the shell's .timer in-process after the server stopped):

| query | PostgreSQL psql | tslake psql | PG / tslake (best) | PostgreSQL psycopg2 | tslake psycopg2 | tslake shell | psycopg2 / shell (best) | result |
|---|---:|---:|---:|---:|---:|---:|---:|---|
EOF
for q in q1 q2 q3 q4 q5 q6; do
  echo "| $q | $(first "${PSQL_T[pg.$q]}") / $(best "${PSQL_T[pg.$q]}") | $(first "${PSQL_T[tslake.$q]}") / $(best "${PSQL_T[tslake.$q]}") | $(ratio "$(best "${PSQL_T[pg.$q]}")" "$(best "${PSQL_T[tslake.$q]}")")x | $(first "${PY_T[pg.$q]}") / $(best "${PY_T[pg.$q]}") | $(first "${PY_T[tslake.$q]}") / $(best "${PY_T[tslake.$q]}") | $(first "${SHELL_T[$q]}") / $(best "${SHELL_T[$q]}") | $(ratio "$(best "${PY_T[tslake.$q]}")" "$(best "${SHELL_T[$q]}")")x | ${CHECK[$q]} |"
done
