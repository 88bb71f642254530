#!/usr/bin/env bash
# Fails when a lower layer includes a higher one:
# formats <- storage <- {ingest, query} <- shell.
set -u
root=${1:-.}
status=0
check() {  # folder, forbidden folders...
  local dir=$1; shift
  for bad in "$@"; do
    hits=$(grep -rnE "#include *[\"<]($bad)/" "$root/$dir" --include='*.h' --include='*.cc' 2>/dev/null)
    if [ -n "$hits" ]; then
      echo "layering violation: $dir/ must not include $bad/:"
      echo "$hits"
      status=1
    fi
  done
}
check formats storage ingest query shell
check storage ingest query shell
check ingest query shell
check query ingest shell
check include/tslake formats storage ingest query shell
# server/ is an embedder: the public API (include/tslake) only.
check server formats storage ingest query shell
# The shell binary uses the public API only (include/tslake/).
check shell/cli formats storage ingest query shell/api
[ $status -eq 0 ] && echo "layering ok: formats <- storage <- {ingest, query} <- shell"
exit $status
