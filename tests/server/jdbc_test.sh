#!/usr/bin/env bash
# Runs JdbcTest.java (pgJDBC, Debian's libpostgresql-jdbc-java, under the
# JDK's single-file source launcher) against a fresh `tslake serve` with TLS
# and SCRAM. Skipped (exit 77) without java or the driver.
# TSLAKE_JDBC_COPY_ROWS sets the COPY size (default 1,000,000).
#   jdbc_test.sh TSLAKE_BINARY
set -euo pipefail
TSLAKE=$1
JAR=/usr/share/java/postgresql.jar
command -v java >/dev/null && [ -f "$JAR" ] ||
  { echo "java or $JAR missing (default-jdk-headless, libpostgresql-jdbc-java)"; exit 77; }
WORK=$(mktemp -d)
trap 'kill "${SERVER_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
. "$(dirname "$0")/server_lib.sh"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 \
  -subj "/CN=127.0.0.1" >/dev/null 2>&1
printf 'bob:hunter2\n' >"$WORK/users"
start_server "$WORK/db" --tls-cert "$WORK/cert.pem" --tls-key "$WORK/key.pem" --auth scram --users "$WORK/users"
java -cp "$JAR" "$(dirname "$0")/JdbcTest.java" "$PORT" hunter2 "${TSLAKE_JDBC_COPY_ROWS:-1000000}"
stop_server
