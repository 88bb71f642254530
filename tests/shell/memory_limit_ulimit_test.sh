#!/usr/bin/env bash
# Issue 15 item 10 / issue 23 item 8: with the address space capped at
# 512 MiB (ulimit -v) and SET memory_limit = '200MB', each query that holds
# rows or bytes in proportion to its input either ends with the memory
# tracker's "Out of Memory Error" or runs within the limit, and the same
# process answers the next query. Before the fix these died with bad_alloc
# ("could not allocate memory"), std::terminate (the wide CSV file) or ran
# to 1.3 GB. Usage: memory_limit_ulimit_test.sh TSLAKE_BINARY
set -u
bin=${1:?usage: $0 TSLAKE_BINARY}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

# A 100,000-column file of ~900 KB: a header and one row.
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%sc%d", (i ? "," : ""), i; print "";
             for (i = 0; i < 100000; i++) printf "%s1", (i ? "," : ""); print "" }' > "$work/wide.csv"

# run LIMIT SQL EXPECT: runs SQL after SET memory_limit = LIMIT, then
# SELECT 42, in one process under ulimit -v 512 MiB; the output must hold
# EXPECT and the 42, and no failed allocation.
run() {
  local limit=$1 sql=$2 expect=$3 out
  # Statements on standard input: the shell goes on after an error (-c
  # stops at the first one).
  out=$(cd "$work" && printf "SET memory_limit = '%s';\n%s;\nSELECT 42 AS usable;\n" "$limit" "$sql" |
        bash -c 'ulimit -v 524288; exec "$@"' _ "$bin" --init /dev/null --mode csv --no-header 2>&1)
  if [[ "$out" != *"$expect"* || "$out" != *$'\n42'* || "$out" == *"could not allocate"* ]]; then
    echo "FAIL: $sql (memory_limit $limit)"
    echo "  expected: $expect, then 42"
    echo "  got: ${out:0:600}"
    status=1
  else
    echo "ok: $sql"
  fi
}

oom="Out of Memory Error"
# Streams a vector of pairs at a time: runs within the limit.
run 200MB "SELECT count(*) FROM range(10000) a, range(10000) b WHERE a.range + b.range = 7" "8"
run 200MB "SELECT length(string_agg(repeat('x', 1000), ',')) FROM range(1000000)" "$oom"
run 200MB "SELECT median(range) FROM range(30000000)" "$oom"
run 200MB "SELECT count(DISTINCT range) FROM range(30000000)" "$oom"
run 200MB "SELECT count(*) FROM read_csv('wide.csv')" "$oom"
# 23.8: a result held whole reserves while it is built (before: 216 MiB
# RSS first); a sort holds its whole input, so it still fails.
run 8MiB "SELECT * FROM range(2000000) ORDER BY range DESC" "$oom"
# Issue 20: the shell streams a SELECT (csv writes rows as they come), so
# the same rows without the sort never sit in memory and run within 8 MiB.
run 8MiB "SELECT * FROM range(2000000)" "1999999"
exit $status
