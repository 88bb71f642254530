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
tslake=$(command -v "$1" || echo "$1"); case $tslake in /*) ;; *) tslake=$(pwd)/$1 ;; esac
readme=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
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

# The example session ("A session after those steps"): its SELECTs and
# .stats, run on the same database at the session's 80 columns, must print
# what the README shows. .plot (colours, braille) and the error (wrapped by
# the terminal) are left out.
python3 - "$readme" session.expected > session.sql <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith("A session after those steps"))
begin = next(i for i in range(start, len(lines)) if lines[i] == "```") + 1
end = next(i for i in range(begin, len(lines)) if lines[i] == "```")
block = lines[begin:end]
commands = []  # (text, output lines)
i = 0
while i < len(block):
    if block[i].startswith("tslake> ") and block[i] != "tslake> ":
        text = [block[i][len("tslake> "):]]
        i += 1
        while i < len(block) and block[i].startswith("   ...> "):
            text.append(block[i][len("   ...> "):])
            i += 1
        out = []
        while i < len(block) and not block[i].startswith("tslake>"):
            out.append(block[i])
            i += 1
        commands.append(("\n".join(text), out))
    else:
        i += 1
kept = [(t, o) for t, o in commands
        if (t.upper().startswith("SELECT") or t.startswith(".stats")) and not any("Error" in l for l in o)]
if len(kept) < 3:
    sys.exit("README example session: expected at least 3 SELECT/.stats commands, found %d" % len(kept))
print(".maxwidth 80")
with open(sys.argv[2], "w", encoding="utf-8") as expected:
    for t, o in kept:
        print(t)
        expected.write("\n".join(o) + "\n")
PY
"$tslake" demo.db --readonly --mode box < session.sql > session.actual 2>&1 || true
if ! diff -u session.expected session.actual >&2; then
  echo "README's example session no longer matches what tslake prints (diff above: - README, + tslake)" >&2
  exit 1
fi
echo "README example session: its SELECTs and .stats print what the README shows"
