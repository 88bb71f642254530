#!/bin/sh
# Builds bench/flush_bench (Release, -DTSLAKE_BUILD_BENCH=ON) and runs it:
# flush latency p50/p99 of the first and last 1,000 of N flushes of one row
# for each of 1,000 tags with SYNC_FULL, and catalog.sqlite size against
# the table data. Results: bench/results/FLUSH.md.
#
#   bench/flush_bench.sh [--flushes 10000] [--tags 1000] [--dir DIR] ...
#
# Environment: BUILD (default build-bench), JOBS (default 2).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$here/build-bench}
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTSLAKE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target flush_bench >/dev/null
exec "$build/bench/flush_bench" "$@"
