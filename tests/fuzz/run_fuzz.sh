#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (tests/fuzz/CMakeLists.txt, into
# $FUZZ_BUILD_DIR, default build-fuzz) and runs each for SECONDS (default
# 60) on a working copy of its seed corpus. Prints one line per target:
# executions, corpus size, crashes. A crash input is left in
# $FUZZ_BUILD_DIR/artifacts/<target>/; once fixed, copy it into
# tests/fuzz/regressions/<target>/ so reliability_tests replays it forever.
# Exit status: 1 when any target crashed.
#
#   tests/fuzz/run_fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
build=${FUZZ_BUILD_DIR:-build-fuzz}
targets=("$@")
[ ${#targets[@]} -eq 0 ] &&
  targets=(sql_parser sql_query segment_reader log_reader csv_reader piwebapi_reader parquet_reader
           jsonl_reader line_protocol_reader ignition_reader)

CC=clang CXX=clang++ cmake -S tests/fuzz -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

status=0
printf '%-16s %12s %10s %8s %8s\n' target executions exec/s corpus crashes
for t in "${targets[@]}"; do
  work="$build/corpus/$t" artifacts="$build/artifacts/$t"
  mkdir -p "$work" "$artifacts"
  log="$build/fuzz_$t.log"
  rc=0
  "$build/fuzz_$t" "$work" "tests/fuzz/corpus/$t" -max_total_time="$seconds" \
    -print_final_stats=1 -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -artifact_prefix="$artifacts/" >"$log" 2>&1 || rc=$?
  execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  rate=$(grep -m1 'stat::average_exec_per_sec' "$log" | awk '{print $2}')
  crashes=$(find "$artifacts" -type f | wc -l)
  printf '%-16s %12s %10s %8s %8s\n' "$t" "${execs:-?}" "${rate:-?}" "$(ls "$work" | wc -l)" "$crashes"
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    status=1
    echo "  $t failed (exit $rc); see $log and $artifacts/" >&2
  fi
done
exit $status
