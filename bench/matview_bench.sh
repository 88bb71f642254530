#!/bin/sh
# Continuous aggregates (issue 21): a dashboard query (last 24 h, hourly,
# every tag) answered from a materialized view vs the same query over the
# raw points in tslake and in DuckDB, plus the cost of a small INSERT with
# and without a view attached (the per-commit refresh).
# Usage: bench/matview_bench.sh TSLAKE_BINARY [TAGS] [POINTS_PER_TAG]
# (DuckDB through node and /tmp/duckq.js when present; skipped otherwise.)
set -eu
tslake=$1
tags=${2:-1000}
points=${3:-8640}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
"$tslake" generate --tags "$tags" --points "$points" --interval-ms 10000 --out "$work/raw.csv" >/dev/null
now() { date +%s.%N; }
ms() { echo "$1 $2" | awk '{printf "%.1f", ($2 - $1) * 1000}'; }

"$tslake" "$work/db" -c "CREATE TABLE raw (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER)" \
  -c "COPY raw FROM '$work/raw.csv' (HEADER true)" >/dev/null
t0=$(now)
"$tslake" "$work/db" -c "CREATE MATERIALIZED VIEW hourly AS SELECT time_bucket(INTERVAL '1 hour', ts) AS hour, tag, avg(value) AS avg, min(value) AS min, max(value) AS max, count(*) AS n FROM raw GROUP BY ALL" >/dev/null
t1=$(now)
echo "rows: $(( tags * points )) raw points, $tags tags; CREATE MATERIALIZED VIEW (full build): $(ms "$t0" "$t1") ms"

last=$("$tslake" "$work/db" --mode csv --no-header -c "SELECT max(ts) FROM raw")
q_view="SELECT hour, tag, avg, min, max FROM hourly WHERE hour >= TIMESTAMP '$last' - INTERVAL '24 hours' ORDER BY tag, hour"
q_raw="SELECT time_bucket(INTERVAL '1 hour', ts) AS hour, tag, avg(value), min(value), max(value) FROM raw WHERE ts >= time_bucket(INTERVAL '1 hour', TIMESTAMP '$last' - INTERVAL '24 hours') GROUP BY ALL ORDER BY tag, hour"
for round in 1 2 3; do
  t0=$(now); "$tslake" "$work/db" --readonly -c "$q_view" >/dev/null; t1=$(now)
  "$tslake" "$work/db" --readonly -c "$q_raw" >/dev/null; t2=$(now)
  line="round $round: dashboard from view $(ms "$t0" "$t1") ms, over raw (tslake) $(ms "$t1" "$t2") ms"
  if [ -f /tmp/duckq.js ] && command -v node >/dev/null; then
    t3=$(now)
    node /tmp/duckq.js "CREATE TABLE raw AS SELECT * FROM read_csv('$work/raw.csv')" "$q_raw" >/dev/null
    t4=$(now)
    line="$line, over raw (DuckDB, CSV load included) $(ms "$t3" "$t4") ms"
  fi
  echo "$line"
done

# Per-commit refresh: 20 INSERTs of one row per tag into the newest hour,
# and 20 INSERTs of 10 rows of one tag (a device's own commit: the refresh
# re-aggregates only that tag's groups), with the view attached and after
# dropping it.
"$tslake" "$work/db" -c "CREATE TABLE tags AS SELECT DISTINCT tag FROM raw" >/dev/null
one=$("$tslake" "$work/db" --mode csv --no-header -c "SELECT min(tag) FROM tags")
batch="INSERT INTO raw SELECT TIMESTAMP '$last' + INTERVAL '1 second', tag, 1.0, 192 FROM tags"
small="INSERT INTO raw SELECT TIMESTAMP '$last' + INTERVAL '1 second' * i, '$one', 1.0, 192 FROM range(1, 11) t(i)"
t0=$(now)
for i in $(seq 20); do "$tslake" "$work/db" -c "$batch" >/dev/null; done
t1=$(now)
for i in $(seq 20); do "$tslake" "$work/db" -c "$small" >/dev/null; done
t2=$(now)
"$tslake" "$work/db" -c "DROP MATERIALIZED VIEW hourly" >/dev/null
t3=$(now)
for i in $(seq 20); do "$tslake" "$work/db" -c "$batch" >/dev/null; done
t4=$(now)
for i in $(seq 20); do "$tslake" "$work/db" -c "$small" >/dev/null; done
t5=$(now)
echo "20 INSERTs of $tags rows (every tag): with the view $(ms "$t0" "$t1") ms, without $(ms "$t3" "$t4") ms (each a process start + commit)"
echo "20 INSERTs of 10 rows (one tag): with the view $(ms "$t1" "$t2") ms, without $(ms "$t4" "$t5") ms"
