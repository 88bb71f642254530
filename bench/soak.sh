#!/usr/bin/env bash
# Edge soak (issue 21): examples/gateway.c appending RATE points/s over TAGS
# tags for SECONDS seconds (a windowed query every 500 ms beside it) with one
# continuous aggregate (10-second buckets: avg, min, max, count per tag),
# retention on the raw points (30 s: several buckets, since a bucket that
# starts before the retention horizon is final for the view) and background maintenance on (compaction,
# checkpoints, retention, VACUUM of files unneeded for 10 s), under
# memory_limit = 64MB. Prints markdown for bench/results/FOOTPRINT.md: peak
# RSS (/usr/bin/time -v), the database's segment files and bytes every 5 s,
# bytes on disk per stored point at the end, the flushes' p99 and worst wait.
#
#   bench/soak.sh [--rate 100000] [--tags 1000] [--seconds 60]
#                 [--rollup '10 seconds'] [--retention '30 seconds'] [--maintenance-ms 5000]
#
# Builds the bundled library in build/ (Release; override with
# SOAK_BUILD_DIR), installs it to a temporary prefix and builds the gateway
# against it, as bench/footprint.sh does (without the static MinSizeRel
# build). Not part of CI: it runs for a minute at full ingest rate.
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=100000 TAGS=1000 SECONDS_TO_RUN=60 ROLLUP='10 seconds' RETENTION='30 seconds' MAINTENANCE_MS=5000
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) RATE=$2; shift 2 ;;
    --tags) TAGS=$2; shift 2 ;;
    --seconds) SECONDS_TO_RUN=$2; shift 2 ;;
    --retention) RETENTION=$2; shift 2 ;;
    --rollup) ROLLUP=$2; shift 2 ;;
    --maintenance-ms) MAINTENANCE_MS=$2; shift 2 ;;
    *) echo "usage: bench/soak.sh [--rate N] [--tags N] [--seconds N] [--rollup TEXT] [--retention TEXT] [--maintenance-ms MS]" >&2
       exit 2 ;;
  esac
done
BUILD=${SOAK_BUILD_DIR:-build}
[ -x /usr/bin/time ] || { echo "bench/soak.sh needs GNU time: apt-get install time" >&2; exit 1; }
log() { printf '==> %s\n' "$*" >&2; }

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
log "building the bundled library in $BUILD"
cmake --build "$BUILD" --target tslake_bundle -j2 >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tslake_soak.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cmake --install "$BUILD" --prefix "$tmp/prefix" >/dev/null
cc -std=c99 -O2 -Wall -Werror -o "$tmp/gateway" examples/gateway.c \
  $(PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" pkg-config --static --cflags --libs tslake)

db="$tmp/gw.db"
log "soak: $RATE points/s over $TAGS tags for $SECONDS_TO_RUN s, rollup '$ROLLUP', retention '$RETENTION', maintenance every $MAINTENANCE_MS ms, memory_limit 64MB"
/usr/bin/time -v "$tmp/gateway" "$db" --tags "$TAGS" --rate "$RATE" --seconds "$SECONDS_TO_RUN" \
  --memory-limit-mb 64 --rollup "$ROLLUP" --retention "$RETENTION" \
  --deleted-file-retention '10 seconds' --maintenance-ms "$MAINTENANCE_MS" \
  >"$tmp/gateway.out" 2>"$tmp/time.out" &
pid=$!
samples=()
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  sleep 5
  [ -d "$db" ] || continue
  segs=$(find "$db" -name '*.tsl' 2>/dev/null | wc -l)
  bytes=$(du -sb "$db" 2>/dev/null | cut -f1)
  samples+=("$(( $(date +%s) - start )) s: $segs segments, $bytes bytes")
done
wait "$pid" || { cat "$tmp/gateway.out" "$tmp/time.out" >&2; exit 1; }
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.out")
db_bytes=$(du -sb "$db" | cut -f1)
segs=$(find "$db" -name '*.tsl' | wc -l)
raw_segments=$(find "$db/points" -name '*.tsl' -printf '%s\n' | awk '{s += $1} END {print s + 0}')
raw_log=$(du -sb "$db/points/_log" | cut -f1)
rollup=$(du -sb "$db/points_rollup" | cut -f1)
stored=$(sed -n 's/^gateway: points stored at the end: //p' "$tmp/gateway.out")
p99=$(sed -n 's/.*flush wait p99 \([0-9.]*\) ms, max \([0-9.]*\) ms.*/\1/p' "$tmp/gateway.out")
worst=$(sed -n 's/.*flush wait p99 \([0-9.]*\) ms, max \([0-9.]*\) ms.*/\2/p' "$tmp/gateway.out")

echo "| Measure | Value | Target |"
echo "|---|---|---|"
printf '| gateway peak RSS, %s points/s, %s tags, %s s, rollup + retention + maintenance | %s KiB (%.1f MB) | <= 64 MB |\n' \
  "$RATE" "$TAGS" "$SECONDS_TO_RUN" "$rss_kb" "$(awk "BEGIN{print $rss_kb / 1024}")"
printf '| database on disk at the end (raw points, rollup, logs) | %s bytes, %s segment files |  |\n' "$db_bytes" "$segs"
printf '| raw points stored at the end (retention %s) | %s |  |\n' "$RETENTION" "$stored"
printf '| bytes on disk per stored point | %.2f | <= 1.5 |\n' "$(awk "BEGIN{print $db_bytes / $stored}")"
printf '| of which raw segment files / raw log / rollup (all of it) | %.2f / %.2f / %.2f bytes a point |  |\n' \
  "$(awk "BEGIN{print $raw_segments / $stored}")" "$(awk "BEGIN{print $raw_log / $stored}")" \
  "$(awk "BEGIN{print $rollup / $stored}")"
printf '| writer flush wait p99 / worst | %s ms / %s ms | p99 <= 100 ms |\n' "$p99" "$worst"
echo
echo "Segments and bytes over time:"
echo
for s in "${samples[@]}"; do echo "- $s"; done
echo
echo "gateway output: $(cat "$tmp/gateway.out")"
