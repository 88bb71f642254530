# Shared by the tslake serve tests: start a server on a free loopback port
# and stop it. Source it, then:
#   start_server DBDIR [serve options...]   sets SERVER_PID and PORT
#   stop_server                             SIGTERM, waits, checks exit 0
# TSLAKE (the binary) and WORK (a scratch directory) must be set.
start_server() {
  local db=$1
  shift
  SERVER_LOG=$WORK/serve.$RANDOM.log
  # Created here, not by the background job's redirection: on a loaded
  # machine the first sed below could run before the child opened it, and
  # sed's "can't read" status ended the test under set -e.
  : >"$SERVER_LOG"
  "$TSLAKE" serve "$db" --listen 127.0.0.1:0 "$@" 2>"$SERVER_LOG" &
  SERVER_PID=$!
  PORT=
  for _ in $(seq 1 100); do
    PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$SERVER_LOG")
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "server did not start:" >&2
  cat "$SERVER_LOG" >&2
  exit 1
}

stop_server() {
  kill -TERM "$SERVER_PID"
  local rc=0
  wait "$SERVER_PID" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "FAIL: server exited with $rc after SIGTERM" >&2
    cat "$SERVER_LOG" >&2
    exit 1
  fi
  grep -q "tslake serve: stopped" "$SERVER_LOG" || { echo "FAIL: no clean stop" >&2; exit 1; }
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_contains LABEL HAYSTACK NEEDLE
expect_contains() {
  case "$2" in
    *"$3"*) ;;
    *) echo "FAIL: $1: expected to find [$3] in:" >&2; echo "$2" >&2; exit 1 ;;
  esac
}
