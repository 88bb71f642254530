#!/usr/bin/python3
"""Helpers of bench/server_bench.sh (tslake serve against PostgreSQL 15).

  server_bench.py queries OUTDIR FIRST_TS LAST_TS TAG_A TAG_B
      writes OUTDIR/{tslake,pg}/q1..q6.sql: the bench's q1..q6
      (bench/drivers/queries.mjs) in DuckDB's dialect for tslake and in
      PostgreSQL's (date_trunc for time_bucket, DISTINCT ON for arg_max,
      a running-count window for the ASOF JOIN; no index, as the schema
      is the same in both).
  server_bench.py psycopg2 PORT USER SQLFILE RUNS RESULT_JSON
      runs the query RUNS times over one connection, prints
      "first_ms best_ms", and writes the (last) result rows to RESULT_JSON
      ("timeout timeout" and no file when statement_timeout stopped it).
  server_bench.py compare A_JSON B_JSON
      exits 1 (printing the first difference) unless the two results hold
      the same rows (numbers within a relative 1e-6; timestamps as text)."""
import datetime
import decimal
import json
import math
import os
import sys
import time


def queries(out_dir, first, last, tag_a, tag_b):
    t0 = datetime.datetime.strptime(first, "%Y-%m-%d %H:%M:%S")
    d1 = (t0 + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
    day = f"ts >= TIMESTAMP '{first}' AND ts < TIMESTAMP '{d1}'"
    duck = {
        "q1": "SELECT tag, time_bucket(INTERVAL '1 hour', ts) AS hour, avg(value) AS avg_v, min(value) AS min_v, "
              "max(value) AS max_v FROM points GROUP BY tag, hour ORDER BY tag, hour",
        "q2": "SELECT tag, time_bucket(INTERVAL '1 hour', ts) AS hour, avg(value) AS avg_v, min(value) AS min_v, "
              f"max(value) AS max_v FROM points WHERE {day} GROUP BY tag, hour ORDER BY tag, hour",
        "q3": "SELECT tag, count(*) AS n, sum(ra) AS sum_avg, sum(rs) AS sum_std FROM (SELECT tag, "
              "avg(value) OVER (PARTITION BY tag ORDER BY ts RANGE BETWEEN INTERVAL 1 HOUR PRECEDING AND CURRENT ROW) "
              "AS ra, stddev_samp(value) OVER (PARTITION BY tag ORDER BY ts RANGE BETWEEN INTERVAL 1 HOUR PRECEDING "
              f"AND CURRENT ROW) AS rs FROM points WHERE {day}) GROUP BY tag ORDER BY tag",
        "q4": "SELECT tag, max(ts) AS last_ts, arg_max(value, ts) AS last_value FROM points GROUP BY tag ORDER BY tag",
        "q5": "SELECT count(b.value) AS n, sum(a.value) AS sum_a, sum(b.value) AS sum_b FROM "
              f"(SELECT ts, value FROM points WHERE tag = '{tag_a}' AND {day}) a ASOF JOIN "
              f"(SELECT ts, value FROM points WHERE tag = '{tag_b}' AND {day}) b ON a.ts >= b.ts",
        "q6": "SELECT time_bucket(INTERVAL '1 day', ts) AS day, count(DISTINCT tag) AS tags FROM points "
              "GROUP BY day ORDER BY day",
    }
    pg = {
        "q1": "SELECT tag, date_trunc('hour', ts) AS hour, avg(value) AS avg_v, min(value) AS min_v, "
              "max(value) AS max_v FROM points GROUP BY tag, hour ORDER BY tag, hour",
        "q2": "SELECT tag, date_trunc('hour', ts) AS hour, avg(value) AS avg_v, min(value) AS min_v, "
              f"max(value) AS max_v FROM points WHERE {day} GROUP BY tag, hour ORDER BY tag, hour",
        "q3": "SELECT tag, count(*) AS n, sum(ra) AS sum_avg, sum(rs) AS sum_std FROM (SELECT tag, "
              "avg(value) OVER w AS ra, stddev_samp(value) OVER w AS rs FROM points WHERE "
              f"{day} WINDOW w AS (PARTITION BY tag ORDER BY ts RANGE BETWEEN INTERVAL '1 hour' PRECEDING AND "
              "CURRENT ROW)) s GROUP BY tag ORDER BY tag",
        "q4": "SELECT DISTINCT ON (tag) tag, ts AS last_ts, value AS last_value FROM points ORDER BY tag, ts DESC",
        # ASOF (a.ts >= b.ts, the latest such b): a and b in one ts order,
        # b first on equal ts; each b row starts a group; an a row takes
        # its group's b value (group 0: no b yet, no match).
        "q5": "WITH u AS (SELECT ts, value, 0 AS isb FROM points WHERE "
              f"tag = '{tag_a}' AND {day} UNION ALL SELECT ts, value, 1 FROM points WHERE tag = '{tag_b}' AND {day}), "
              "g AS (SELECT value, isb, sum(isb) OVER (ORDER BY ts, isb DESC ROWS UNBOUNDED PRECEDING) AS grp FROM u), "
              "f AS (SELECT value, isb, grp, first_value(value) OVER (PARTITION BY grp ORDER BY isb DESC) AS bval "
              "FROM g) SELECT count(bval) AS n, sum(value) AS sum_a, sum(bval) AS sum_b FROM f "
              "WHERE isb = 0 AND grp > 0",
        "q6": "SELECT date_trunc('day', ts) AS day, count(DISTINCT tag) AS tags FROM points GROUP BY day ORDER BY day",
    }
    for system, qs in (("tslake", duck), ("pg", pg)):
        os.makedirs(os.path.join(out_dir, system), exist_ok=True)
        for name, sql in qs.items():
            with open(os.path.join(out_dir, system, name + ".sql"), "w") as f:
                f.write(sql + ";\n")


def run_psycopg2(port, user, sql_file, runs, result_json):
    import psycopg2
    sql = open(sql_file).read().strip().rstrip(";")
    conn = psycopg2.connect(host="127.0.0.1", port=int(port), user=user, dbname="postgres", sslmode="disable")
    conn.autocommit = True
    cur = conn.cursor()
    times = []
    rows = []
    for _ in range(int(runs)):
        t0 = time.perf_counter()
        try:
            cur.execute(sql)
        except psycopg2.errors.QueryCanceled:  # statement_timeout (PGOPTIONS)
            print("timeout timeout")
            return
        rows = cur.fetchall()
        times.append((time.perf_counter() - t0) * 1000)
    conn.close()

    def plain(v):
        if isinstance(v, decimal.Decimal):
            return float(v)
        if isinstance(v, (datetime.datetime, datetime.date)):
            return v.strftime("%Y-%m-%d %H:%M:%S")
        return v
    with open(result_json, "w") as f:
        json.dump([[plain(v) for v in r] for r in rows], f)
    print(f"{times[0]:.1f} {min(times):.1f}")


def compare(a_json, b_json):
    a, b = json.load(open(a_json)), json.load(open(b_json))
    if len(a) != len(b):
        print(f"MISMATCH: {len(a)} rows against {len(b)}")
        return 1
    for i, (ra, rb) in enumerate(zip(a, b)):
        for x, y in zip(ra, rb):
            if isinstance(x, (int, float)) and isinstance(y, (int, float)):
                if not math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9):
                    print(f"MISMATCH row {i}: {ra} against {rb}")
                    return 1
            elif x != y:
                print(f"MISMATCH row {i}: {ra} against {rb}")
                return 1
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "queries":
        queries(*sys.argv[2:7])
    elif cmd == "psycopg2":
        run_psycopg2(*sys.argv[2:7])
    elif cmd == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(f"unknown command {cmd}")
