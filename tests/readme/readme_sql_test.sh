#!/bin/sh
# README.md must be pasteable (issue 22): in a fresh directory, run the
# README's `tslake generate ... --out sensors.csv` line and its other
# `tslake generate` lines (sample files in other formats), then every ```sql
# block of README.md in order as one script on a fresh database, with
# --bail: any error fails the test. A block right after a line
# `<!-- readme-test: skip (why) -->` is left out (it reads files the
# generate line does not write); the skip must say why.
# Usage: readme_sql_test.sh TSLAKE_BINARY README.md
set -eu
tslake=$1
readme=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

generate=$(grep -m1 '^tslake generate .*--out sensors.csv$' "$readme" || true)
if [ -z "$generate" ]; then
  echo "README.md has no 'tslake generate ... --out sensors.csv' line" >&2
  exit 1
fi
awk '
  /^<!-- readme-test: skip/ { skip = 1; next }
  /^```sql[ \t]*$/ { if (!skip) inblock = 1; next }
  /^```/ { if (inblock) print ""; inblock = 0; skip = 0; next }
  inblock { print }
  { if ($0 !~ /^[ \t]*$/) skip = 0 }
' "$readme" > "$work/readme.sql"
if [ ! -s "$work/readme.sql" ]; then
  echo "README.md has no sql block" >&2
  exit 1
fi

# Every other `tslake generate` line of a ```sh block (the Ingest section's
# sample files in other formats), run in order after that one.
awk '
  /^```sh[ \t]*$/ { insh = 1; next }
  /^```/ { insh = 0; next }
  insh && /^tslake generate / && !/--out sensors.csv$/ { print }
' "$readme" > "$work/generate.lines"

cd "$work"
# The README's own lines, with this build's binary.
# shellcheck disable=SC2086
"$tslake" ${generate#tslake } >/dev/null 2>generate.err || { cat generate.err >&2; exit 1; }
while IFS= read -r line; do
  # shellcheck disable=SC2086
  "$tslake" ${line#tslake } >/dev/null 2>generate.err || { echo "README line failed: $line" >&2; cat generate.err >&2; exit 1; }
done < generate.lines
if ! "$tslake" demo.db --bail -f readme.sql > out.txt 2> err.txt; then
  echo "a README sql block failed:" >&2
  cat err.txt >&2
  exit 1
fi
# Errors always fail; warnings (rows rejected) are fine.
if grep -q "Error" err.txt; then
  cat err.txt >&2
  exit 1
fi
echo "README sql blocks: $(grep -c ';' readme.sql) statement lines ran without error"
