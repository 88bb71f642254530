#!/bin/sh
# docs/ARCHITECTURE.md's map names every source file: each .h/.cc of the
# layers' folders must appear (by its stem, e.g. `physical_filter`) in the
# map, so a new file cannot land without a line saying where it belongs.
# Usage: check_architecture_map.sh SOURCE_DIR
set -eu
root=${1:?usage: check_architecture_map.sh SOURCE_DIR}
doc="$root/docs/ARCHITECTURE.md"
missing=0
for dir in formats storage ingest query/parser query/binder query/planner query/execution \
           query/functions query/main query/common shell/api shell/cli server; do
  for stem in $(ls "$root/$dir" | sed -n 's/\.\(h\|cc\)$//p' | sort -u); do
    if ! grep -q "\b$stem\b" "$doc"; then
      echo "docs/ARCHITECTURE.md does not name $dir/$stem" >&2
      missing=1
    fi
  done
done
[ "$missing" -eq 0 ] && echo "every source file is on the map"
exit "$missing"
