#!/usr/bin/env bash
# duckdb_suite.sh: runs DuckDB's public sqllogictest suite (test/sql of
# duckdb/duckdb) through the project's sql_test_runner and counts, per
# directory and overall, the records (statement/query blocks) that pass,
# fail or are skipped, the files that crash (die on a signal) and the files
# that time out. Not part of CI: the suite is DuckDB's, not ours, and most
# of it fails today; the figures track issues 17 and 18.
#
#   tests/sql/tools/duckdb_suite.sh [--out FILE.md] [DIR...]
#   ./run duckdb-suite [DIR...]            (builds sql_test_runner first)
#
# DIR is a directory under test/sql (window, function/string, ...); without
# one, the directories named in issues 17 and 18. Each .test file runs in its
# own process (sql_test_runner --duckdb) from the suite root, so DuckDB's
# relative paths (data/...) resolve there, under a timeout and an
# address-space cap.
#
# Getting the suite (it is not vendored; DuckDB is MIT licensed):
#   git clone --depth 1 --filter=blob:none --sparse https://github.com/duckdb/duckdb /tmp/duckdb
#   git -C /tmp/duckdb sparse-checkout set test/sql data   # data/: files tests read
#   DUCKDB_SUITE_ROOT=/tmp/duckdb tests/sql/tools/duckdb_suite.sh window
# (without data/, tests reading DuckDB's data files fail rather than skip).
#
# Environment:
#   DUCKDB_SUITE_ROOT  directory holding test/sql (default /work/duckdb-tests)
#   TSLAKE_RUNNER      the runner binary (default build/tests/sql_test_runner)
#   SUITE_TIMEOUT      seconds per file (default 60)
#   SUITE_MEM_MB       address-space cap per file in MiB (default 4096)
#   SUITE_JOBS         files run at once (default 1)
#
# Counting: a file skipped by `require` (a DuckDB extension, a platform)
# counts its records as skipped. A crashed or timed-out file counts the
# records that passed before it died as passed and all the others as failed;
# the record it died in is listed (file:line, first SQL line).
# Pass rate = passed / (passed + failed); skipped records are left out.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../../.." && pwd)
root=${DUCKDB_SUITE_ROOT:-/work/duckdb-tests}
runner=${TSLAKE_RUNNER:-$repo/build/tests/sql_test_runner}
timeout_s=${SUITE_TIMEOUT:-60}
mem_mb=${SUITE_MEM_MB:-4096}
jobs=${SUITE_JOBS:-1}
out=""
if [ "${1:-}" = "--out" ]; then
  out=$2
  shift 2
fi
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  dirs=(window aggregate function/string function/numeric function/timestamp function/date
        function/interval function/generic join subquery cte setops order topn filter select
        projection pivot cast conjunction binder sample types/date types/decimal types/timestamp
        types/interval update delete upsert merge insert alter create)
fi
case $runner in /*) ;; *) runner=$PWD/$runner ;; esac
[ -x "$runner" ] || { echo "error: no runner at $runner (build the sql_test_runner target)" >&2; exit 2; }
[ -d "$root/test/sql" ] || { echo "error: no test/sql under $root (see the header of $0)" >&2; exit 2; }

work=$(mktemp -d /tmp/duckdb_suite.XXXXXX)
trap 'rm -rf "$work"' EXIT

# run_one DIR FILE: one line of tab-separated fields into $work/results:
# dir file status passed failed skipped signal line sql reason
run_one() {
  local dir=$1 file=$2 tag prog outf rc=0 summary status passed=0 failed=0 skipped=0 sig="" line="" sql="" reason=""
  tag=$(printf '%s' "$file" | tr '/' '_')
  prog=$work/$tag.progress
  outf=$work/$tag.out
  # The braces keep bash's own "Segmentation fault" job notice off the
  # terminal; the signal is in the exit status.
  {
    (
      cd "$root"
      ulimit -v $((mem_mb * 1024))
      exec timeout --kill-after=5 "$timeout_s" "$runner" --duckdb --progress "$prog" "$file"
    ) >"$outf" 2>"$work/$tag.err" </dev/null
  } 2>/dev/null || rc=$?
  summary=$(grep -E "^$file: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped" "$outf" | tail -1 || true)
  if [ -n "$summary" ]; then
    passed=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$summary")
    failed=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$summary")
    skipped=$(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$summary")
    reason=$(sed -nE 's/.*\((skipped|stopped): ([^)]*)\).*/\2/p' <<<"$summary")
  fi
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    status=timeout
  elif [ $rc -gt 128 ]; then
    status=crash
    sig=$((rc - 128))
  elif [ -z "$summary" ]; then
    status=crash  # died without a summary and without a signal: an abort handled as exit
    sig="exit$rc"
  elif [ $rc -eq 2 ]; then
    status=parse
  elif grep -q "(skipped: " <<<"$summary"; then
    status=skip
  elif [ "$failed" -gt 0 ] || [ $rc -ne 0 ]; then
    status=fail
  else
    status=ok
  fi
  if [ "$status" = crash ] || [ "$status" = timeout ]; then
    # Records before the one it died in, from the runner's progress file.
    local total progress
    total=$(grep -cE '^(statement|query)( |$)' "$root/$file" || true)
    progress=$(head -1 "$prog" 2>/dev/null || true)
    line=$(cut -f1 <<<"$progress" | tr -d ' ')
    passed=$(cut -f2 <<<"$progress" | tr -d ' ')
    passed=${passed:-0}
    failed=$((total - passed))
    skipped=0
    reason=$(cut -f4 <<<"$progress" | sed 's/ *$//')
    if [ -n "$line" ]; then
      sql=$(sed -n "$((line + 1))p" "$root/$file" | tr '\t' ' ' | cut -c1-120)
    fi
    [ "$status" = crash ] && [ -n "$sig" ] && [ "$sig" != "${sig#exit}" ] && reason="$reason $(tail -1 "$work/$tag.err" | cut -c1-100)"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$dir" "$file" "$status" "$passed" "$failed" "$skipped" \
    "$sig" "$line" "$sql" "$reason" >>"$work/results"
}
export -f run_one
export root runner timeout_s mem_mb work
# {DATA_DIR} in DuckDB's files is its repository's data/ directory.
export TSLAKE_SQL_DATA_DIR=$root/data

: >"$work/results"
for dir in "${dirs[@]}"; do
  [ -d "$root/test/sql/$dir" ] || { echo "warning: no directory test/sql/$dir under $root" >&2; continue; }
  (cd "$root" && find "test/sql/$dir" -name '*.test' | sort) | while read -r f; do printf '%s\0%s\0' "$dir" "$f"; done
done | xargs -0 -n 2 -P "$jobs" bash -c 'run_one "$1" "$2"; printf "." >&2' _
echo >&2

report() {
  local results=$1
  echo "| directory | files | skipped files | crashes | timeouts | parse errors | records passed | failed | skipped | pass rate |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' -v order="${dirs[*]}" '
    BEGIN { n = split(order, dirs, " ") }
    {
      files[$1]++; p[$1] += $4; f[$1] += $5; s[$1] += $6
      if ($3 == "skip") sf[$1]++
      if ($3 == "crash") cr[$1]++
      if ($3 == "timeout") to[$1]++
      if ($3 == "parse") pe[$1]++
    }
    function row(name, nf, nsf, ncr, nto, npe, np, nfl, ns) {
      rate = "-"
      if (np + nfl > 0) rate = sprintf("%.1f%%", 100 * np / (np + nfl))
      printf "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %s |\n", name, nf, nsf, ncr, nto, npe, np, nfl, ns, rate
    }
    END {
      for (i = 1; i <= n; i++) {
        d = dirs[i]; if (!(d in files)) continue
        row(d, files[d], sf[d], cr[d], to[d], pe[d], p[d], f[d], s[d])
        T[1] += files[d]; T[2] += sf[d]; T[3] += cr[d]; T[4] += to[d]; T[5] += pe[d]; T[6] += p[d]; T[7] += f[d]; T[8] += s[d]
      }
      row("**all**", T[1], T[2], T[3], T[4], T[5], T[6], T[7], T[8])
    }' "$results"
  echo
  echo "Crashes (file:line of the record it died in, signal, loop iteration, SQL):"
  echo
  if ! grep -qP '\tcrash\t' "$results"; then echo "- none"; fi
  awk -F'\t' '$3 == "crash" { printf "- `%s:%s` signal %s %s: `%s`\n", $2, $8, $7, $10, $9 }' "$results" | sort
  echo
  echo "Timeouts (over ${timeout_s} s; file:line of the record running when killed):"
  echo
  if ! grep -qP '\ttimeout\t' "$results"; then echo "- none"; fi
  awk -F'\t' '$3 == "timeout" { printf "- `%s:%s` %s: `%s`\n", $2, $8, $10, $9 }' "$results" | sort
  echo
  echo "Parse errors (the runner stopped reading the file):"
  echo
  if ! grep -qP '\tparse\t' "$results"; then echo "- none"; fi
  awk -F'\t' '$3 == "parse" { printf "- `%s`\n", $2 }' "$results" | sort
  echo
  echo "Most frequent error messages (failed executions; a record in a loop counts each time; first 90"
  echo "characters, quoted names elided except in syntax errors):"
  echo
  cat "$work"/*.err 2>/dev/null |
    grep -aoE '^[A-Z][A-Za-z ]* Error: .{0,80}' |
    sed -E '/at or near/!s/"[^"]*"/"…"/g' | sort | uniq -c | sort -rn | head -25 |
    awk '{ n = $1; $1 = ""; printf "- %d ×%s\n", n, $0 }' || true  # head closes the pipe early
  echo
  echo "Skip reasons (files):"
  echo
  awk -F'\t' '$3 == "skip" { n[$10]++ } END { for (r in n) printf "- %s: %d\n", r, n[r] }' "$results" | sort -t: -k2 -rn
}

report "$work/results" | tee "${out:-/dev/null}"
if [ -n "$out" ]; then
  cp "$work/results" "${out%.md}.tsv"
  echo "wrote $out and ${out%.md}.tsv" >&2
fi
