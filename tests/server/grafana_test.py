#!/usr/bin/python3
"""The SQL Grafana's PostgreSQL data source sends, through psycopg2.

Grafana's backend expands its macros (pkg/tsdb/grafana-postgresql-datasource/
macros.go) before the query reaches the server, so the server sees plain
SQL; this test expands them the same way (MACROS below, for a dashboard
time range) and checks the frames against values computed here from the
generated data. The data source's probes and pickers are Grafana's own
texts (postgresMetaQuery.ts): the server version, the timescaledb check,
the schema, table and column pickers with their search_path constraint.
    grafana_test.py PORT"""
import datetime
import io
import math
import re
import sys

try:
    import psycopg2
except ImportError:
    print("psycopg2 not installed (python3-psycopg2)")
    sys.exit(77)

PORT = int(sys.argv[1])
conn = psycopg2.connect(host="127.0.0.1", port=PORT, user="grafana", dbname="plant", sslmode="disable")
conn.autocommit = True  # Grafana runs each query on its own
cur = conn.cursor()
failures = 0


def fail(label, message):
    global failures
    failures += 1
    print(f"FAIL {label}: {message}")


def same(a, b):
    # to_timestamp() is timestamptz in PostgreSQL: compare instants in UTC.
    a, b = (x.astimezone(datetime.timezone.utc).replace(tzinfo=None)
            if isinstance(x, datetime.datetime) and x.tzinfo else x for x in (a, b))
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def frame(label, sql, want_columns, want_rows):
    try:
        cur.execute(sql)
    except psycopg2.Error as e:
        fail(label, f"{e.pgcode}: {str(e).strip()}\n  sql: {sql}")
        return
    columns = [d.name for d in cur.description]
    rows = cur.fetchall()
    if columns != want_columns:
        fail(label, f"columns {columns}, want {want_columns}")
    elif len(rows) != len(want_rows) or not all(
            len(r) == len(w) and all(same(x, y) for x, y in zip(r, w)) for r, w in zip(rows, want_rows)):
        fail(label, f"rows\n  got  {rows[:8]}{' ...' if len(rows) > 8 else ''} ({len(rows)})\n"
                    f"  want {want_rows[:8]}{' ...' if len(want_rows) > 8 else ''} ({len(want_rows)})")


# ---- Data: 3 hosts, one point per second for 15 minutes.
HOSTS = ["db-1", "web-1", "web-2"]
T0 = datetime.datetime(2024, 1, 1, 0, 0, 0)
EPOCH0 = 1704067200  # T0 as Unix seconds
POINTS = 900
data = []  # (ts, host, value, epoch_s)
for h, host in enumerate(HOSTS):
    for i in range(POINTS):
        data.append((T0 + datetime.timedelta(seconds=i), host, h * 100 + (i % 97) * 0.5, EPOCH0 + i))
cur.execute("CREATE TABLE metrics (ts TIMESTAMP, host VARCHAR, value DOUBLE, epoch_s BIGINT)")
buf = io.StringIO("".join(f"{ts:%Y-%m-%d %H:%M:%S}\t{host}\t{v}\t{e}\n" for ts, host, v, e in data))
cur.copy_expert("COPY metrics FROM STDIN", buf)

# ---- The macros, as Grafana's postgres macro engine expands them, for
# the dashboard range [FROM, TO] (RFC 3339 in UTC, as time.RFC3339Nano).
FROM = T0 + datetime.timedelta(minutes=2)
TO = T0 + datetime.timedelta(minutes=12, seconds=29, microseconds=999000)


def rfc3339(t):
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    if t.microsecond:
        s += ("." + f"{t.microsecond:06d}").rstrip("0")
    return s + "Z"


def seconds(interval):
    n, unit = re.fullmatch(r"'?(\d+)([smhd])'?", interval.strip()).groups()
    return int(n) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


def expand(sql):
    def macro(m):
        name, args = m.group(1), [a.strip() for a in m.group(2).split(",")]
        if name == "__timeFilter":
            return f"{args[0]} BETWEEN '{rfc3339(FROM)}' AND '{rfc3339(TO)}'"
        if name == "__timeFrom":
            return f"'{rfc3339(FROM)}'"
        if name == "__timeTo":
            return f"'{rfc3339(TO)}'"
        if name == "__time":
            return f'{args[0]} AS "time"'
        if name == "__timeEpoch":
            return f'extract(epoch from {args[0]}) as "time"'
        if name in ("__timeGroup", "__timeGroupAlias"):
            s = seconds(args[1])
            alias = name == "__timeGroupAlias" or sql[m.end():m.end() + 1] == ","
            return f"floor(extract(epoch from {args[0]})/{s})*{s}" + (' AS "time"' if alias else "")
        if name == "__unixEpochFilter":
            return (f"{args[0]} >= {int((FROM - T0).total_seconds()) + EPOCH0} AND "
                    f"{args[0]} <= {int((TO - T0).total_seconds()) + EPOCH0}")
        if name in ("__unixEpochGroup", "__unixEpochGroupAlias"):
            s = seconds(args[1])
            return f"floor(({args[0]})/{s})*{s}" + (' AS "time"' if name.endswith("Alias") else "")
        raise ValueError(name)
    return re.sub(r"\$([_a-zA-Z0-9]+)\(([^)]*)\)", macro, sql)


def epoch(ts):
    return int((ts - datetime.datetime(1970, 1, 1)).total_seconds())


in_range = [r for r in data if FROM <= r[0] <= TO]


def buckets(rows, size, key=lambda r: ()):
    groups = {}
    for r in rows:
        groups.setdefault((epoch(r[0]) // size * size,) + key(r), []).append(r[2])
    return sorted(groups.items())


# ---- Time series panels.
frame("timeGroupAlias 1m avg",
      expand('SELECT $__timeGroupAlias(ts, 1m), avg(value) AS "value" FROM metrics '
             'WHERE $__timeFilter(ts) GROUP BY 1 ORDER BY 1'),
      ["time", "value"], [(k[0], sum(v) / len(v)) for k, v in buckets(in_range, 60)])
frame("timeGroupAlias 5m per host (metric column)",
      expand("SELECT $__timeGroupAlias(ts, '5m'), host AS metric, max(value) AS \"max\" FROM metrics "
             "WHERE $__timeFilter(ts) GROUP BY 1, 2 ORDER BY 1, 2"),
      ["time", "metric", "max"], [(k[0], k[1], max(v)) for k, v in buckets(in_range, 300, lambda r: (r[1],))])
# Pre-5.3 form: $__timeGroup followed by a comma gets the alias too.
frame("timeGroup compat alias",
      expand("SELECT $__timeGroup(ts, '10m'), count(*) AS n FROM metrics WHERE $__timeFilter(ts) "
             "GROUP BY 1 ORDER BY 1"),
      ["time", "n"], [(k[0], len(v)) for k, v in buckets(in_range, 600)])
frame("timeGroup in GROUP BY, wide frame",
      expand("SELECT $__timeGroup(ts, 2m) AS \"time\", "
             "avg(value) FILTER (WHERE host = 'web-1') AS \"web-1\", "
             "avg(value) FILTER (WHERE host = 'web-2') AS \"web-2\" "
             "FROM metrics WHERE $__timeFilter(ts) AND host LIKE 'web%' GROUP BY $__timeGroup(ts, 2m) ORDER BY 1"),
      ["time", "web-1", "web-2"],
      [(k[0], sum(a) / len(a), sum(b) / len(b)) for k, a, b in
       [(k, [r[2] for r in in_range if r[1] == "web-1" and epoch(r[0]) // 120 * 120 == k[0]],
         [r[2] for r in in_range if r[1] == "web-2" and epoch(r[0]) // 120 * 120 == k[0]])
        for k, _ in buckets(in_range, 120)]])
frame("to_timestamp of the bucket",
      expand("SELECT to_timestamp(floor(extract(epoch from ts)/300)*300) AS \"time\", min(value) AS \"min\" "
             "FROM metrics WHERE $__timeFilter(ts) AND host = 'db-1' GROUP BY 1 ORDER BY 1"),
      ["time", "min"],
      [(datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=k[0]), min(v))
       for k, v in buckets([r for r in in_range if r[1] == "db-1"], 300)])
frame("raw points with $__time and $__timeFrom/$__timeTo",
      expand("SELECT $__time(ts), host AS metric, value FROM metrics "
             "WHERE ts >= $__timeFrom() AND ts < $__timeFrom() + INTERVAL '3 seconds' ORDER BY 1, 2"),
      ["time", "metric", "value"],
      sorted((r[0], r[1], r[2]) for r in data if FROM <= r[0] < FROM + datetime.timedelta(seconds=3)))
frame("timeEpoch",
      expand("SELECT $__timeEpoch(ts), value FROM metrics WHERE host = 'web-2' AND $__timeFilter(ts) "
             "ORDER BY 1 LIMIT 3"),
      ["time", "value"], [(epoch(r[0]), r[2]) for r in in_range if r[1] == "web-2"][:3])
frame("unixEpochFilter / unixEpochGroupAlias on a BIGINT column",
      expand("SELECT $__unixEpochGroupAlias(epoch_s, 5m), sum(value) AS total FROM metrics "
             "WHERE $__unixEpochFilter(epoch_s) GROUP BY 1 ORDER BY 1"),
      ["time", "total"],
      [(k[0], sum(v)) for k, v in buckets([r for r in data if epoch(FROM) <= r[3] <= epoch(TO)], 300)])
# A stat panel: the newest value per host in range.
frame("last value per host",
      expand("SELECT host AS metric, arg_max(value, ts) AS \"last\" FROM metrics WHERE $__timeFilter(ts) "
             "GROUP BY host ORDER BY host"),
      ["metric", "last"],
      [(h, max((r for r in in_range if r[1] == h), key=lambda r: r[0])[2]) for h in HOSTS])

# ---- The data source's probes and pickers (postgresMetaQuery.ts).
frame("version probe", "SELECT current_setting('server_version_num')::int/100 as version",
      ["version"], [(1500,)])
frame("timescaledb probe", "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'",
      ["extversion"], [])
frame("schema picker",
      """SELECT schema_name AS "name"
    FROM information_schema.schemata
    WHERE schema_name NOT IN ('information_schema',
                              'pg_catalog',
                              'pg_toast',
                              '_timescaledb_cache',
                              '_timescaledb_catalog',
                              '_timescaledb_internal',
                              '_timescaledb_config',
                              'timescaledb_information',
                              'timescaledb_experimental')
    ORDER BY schema_name""", ["name"], [("public",)])
SCHEMA_CONSTRAINT = """
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )"""
cur.execute("CREATE TABLE \"MixedCase\" (t TIMESTAMP, n INTEGER, d DECIMAL(10,2))")
cur.execute("CREATE VIEW web AS SELECT * FROM metrics WHERE host LIKE 'web%'")
frame("table picker (schema chosen)",
      """SELECT quote_ident(table_name) AS "table"
      FROM information_schema.tables
      WHERE quote_ident(table_schema) = 'public'
      ORDER BY 1""", ["table"], [('"MixedCase"',), ("metrics",), ("web",)])
frame("table picker (search path)",
      f"""SELECT
    CASE WHEN {SCHEMA_CONSTRAINT}
      THEN quote_ident(table_name)
      ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)
    END AS "table"
    FROM information_schema.tables
    WHERE quote_ident(table_schema) NOT IN ('information_schema',
                             'pg_catalog',
                             '_timescaledb_cache',
                             '_timescaledb_catalog',
                             '_timescaledb_internal',
                             '_timescaledb_config',
                             'timescaledb_information',
                             'timescaledb_experimental')
    ORDER BY CASE WHEN {SCHEMA_CONSTRAINT} THEN 0 ELSE 1 END, 1""",
      ["table"], [('"MixedCase"',), ("metrics",), ("web",)])


def column_picker(table):
    part = "'" + table.replace("'", "''") + "'"
    return f"""SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident({part}),1) = 2
        THEN quote_ident(table_schema) = (parse_ident({part}))[1]
          AND quote_ident(table_name) = (parse_ident({part}))[2]
        ELSE quote_ident(table_name) = {part}
          AND {SCHEMA_CONSTRAINT}
      END"""


METRICS_COLUMNS = [("ts", "timestamp without time zone"), ("host", "text"), ("value", "double precision"),
                   ("epoch_s", "bigint")]
frame("column picker", column_picker("metrics"), ["column", "type"], METRICS_COLUMNS)
frame("column picker, schema-qualified", column_picker("public.metrics"), ["column", "type"], METRICS_COLUMNS)
frame("column picker, quoted name", column_picker('"MixedCase"'), ["column", "type"],
      [("t", "timestamp without time zone"), ("n", "integer"), ("d", "numeric")])
frame("column picker, unknown table", column_picker("nope"), ["column", "type"], [])
frame("column picker, view", column_picker("web"), ["column", "type"], METRICS_COLUMNS)
# After SET search_path to a schema that is not there, nothing is on the path.
cur.execute("SET search_path TO elsewhere")
frame("table picker, other search path",
      f"SELECT quote_ident(table_name) AS \"table\" FROM information_schema.tables WHERE {SCHEMA_CONSTRAINT}",
      ["table"], [])
cur.execute("RESET search_path")

conn.close()
if failures:
    print(f"{failures} Grafana frame(s) wrong")
    sys.exit(1)
print("OK: Grafana's macro expansions, probes and pickers return the expected frames")
