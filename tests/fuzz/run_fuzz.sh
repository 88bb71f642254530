#!/usr/bin/env bash
# Builds the libFuzzer targets and the grammar fuzzer sql_smith with clang
# (tests/fuzz/CMakeLists.txt: ASan + UBSan, -fno-sanitize-recover=all, into
# $FUZZ_BUILD_DIR, default build-fuzz) and runs each for SECONDS (default
# 60): a libFuzzer target on a working copy of its seed corpus, sql_smith
# with $SMITH_THREADS workers (default 2) and seed $SMITH_SEED (default:
# the time). Prints one line per target: executions, corpus size, crashes
# (for sql_smith: statements, and hangs + overruns + crashes). A crash
# input is left in $FUZZ_BUILD_DIR/artifacts/<target>/ (sql_smith's
# minimized reproducers in $FUZZ_BUILD_DIR/sql_smith_out/); once fixed, copy it
# into tests/fuzz/regressions/<target>/ so reliability_tests replays it
# forever. Everything runs under `nice` ($FUZZ_NICE, default 10).
# Exit status: 1 when any target crashed.
#
#   tests/fuzz/run_fuzz.sh [SECONDS] [TARGET...]     (TARGET sql_smith = the grammar fuzzer)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
build=${FUZZ_BUILD_DIR:-build-fuzz}
targets=("$@")
[ ${#targets[@]} -eq 0 ] &&
  targets=(sql_smith sql_parser sql_query sql_grammar segment_reader log_reader csv_reader piwebapi_reader
           parquet_reader jsonl_reader line_protocol_reader ignition_reader pg_protocol)
nice=(nice -n "${FUZZ_NICE:-10}")

CC=clang CXX=clang++ cmake -S tests/fuzz -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
build_targets=()
for t in "${targets[@]}"; do
  if [ "$t" = sql_smith ]; then build_targets+=(sql_smith); else build_targets+=("fuzz_$t"); fi
done
"${nice[@]}" cmake --build "$build" -j"$(nproc)" --target "${build_targets[@]}"

status=0
printf '%-16s %12s %10s %8s %8s\n' target executions exec/s corpus crashes
for t in "${targets[@]}"; do
  if [ "$t" = sql_smith ]; then
    out="$build/sql_smith_out" log="$build/sql_smith.log" rc=0
    mkdir -p "$out"
    "${nice[@]}" "$build/sql_smith" --seconds "$seconds" --threads "${SMITH_THREADS:-2}" \
      --seed "${SMITH_SEED:-$(date +%s)}" --out "$out" >"$log" 2>&1 || rc=$?
    summary=$(grep -m1 '^sql_smith: [0-9]* statements' "$log" || true)
    stmts=$(echo "$summary" | awk '{print $2}')
    found=$(find "$out" -maxdepth 1 \( -name 'crash-*.sql' -o -name 'finding-*.sql' \) | wc -l)
    printf '%-16s %12s %10s %8s %8s\n' sql_smith "${stmts:-?}" - - "$found"
    echo "  $summary"
    if [ "$rc" -ne 0 ]; then
      status=1
      echo "  sql_smith found problems (exit $rc); see $log and $out/ (*.min are minimized)" >&2
    fi
    continue
  fi
  work="$build/corpus/$t" artifacts="$build/artifacts/$t"
  mkdir -p "$work" "$artifacts"
  log="$build/fuzz_$t.log"
  rc=0
  "${nice[@]}" "$build/fuzz_$t" "$work" "tests/fuzz/corpus/$t" -max_total_time="$seconds" \
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
