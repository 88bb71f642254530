#!/usr/bin/env bash
# The long reliability runs (docs/RELIABILITY.md): builds reliability_tests
# (into $BUILD_DIR, default build; $BUILD_TYPE, default Release) and runs
#   - the fault walk (every I/O call of each operation, every fault kind),
#   - KILL_TRIALS kill -9 trials (default 1000),
#   - 16 writer + 4 reader processes for MP_SECONDS (default 60),
#   - each fuzz target for FUZZ_SECONDS (default 60; 0 skips fuzzing).
# CI runs the short versions through ctest (50 trials, 10 s).
#
#   tests/reliability/run_reliability.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" >/dev/null
cmake --build "$build" -j"$(nproc)" --target reliability_tests
bin="$build/tests/reliability_tests"

echo "==> fault walk"
"$bin" --gtest_filter='AllFaults/FaultWalkTest.*' | grep -E '^\[ walk \]|FAILED|PASSED'
echo "==> kill -9 trials: ${KILL_TRIALS:-1000}"
TSLAKE_KILL_TRIALS=${KILL_TRIALS:-1000} TSLAKE_KILL_CHECK_EVERY=${KILL_CHECK_EVERY:-50} "$bin" --gtest_filter='Kill9Trials.*' |
  grep -E '^\[ kill9 \]|Failure|FAILED|PASSED'
echo "==> multi-process: 16 writers + 4 readers for ${MP_SECONDS:-60} s"
TSLAKE_MP_SECONDS=${MP_SECONDS:-60} "$bin" --gtest_filter='MultiProcess.*' |
  grep -E '^\[ multiproc \]|Failure|FAILED|PASSED'
if [ "${FUZZ_SECONDS:-60}" != 0 ]; then
  echo "==> fuzzing: ${FUZZ_SECONDS:-60} s per target"
  tests/fuzz/run_fuzz.sh "${FUZZ_SECONDS:-60}"
fi
