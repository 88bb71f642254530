#!/usr/bin/python3
"""Load on tslake serve: CONNECTIONS psycopg2 connections (one thread each)
mix parameterized INSERTs (1 to 10 rows per statement, each row tagged
with its connection and a sequence number) and queries (count, a
time_bucket aggregate over the table, the newest rows of the connection's
own tag, a point lookup) for SECONDS. Then one more connection checks that
every row whose INSERT was acknowledged is in the table exactly once and
that no other row is; any connection or statement error fails the run.
Prints the number of statements, statements/s and latency percentiles
(p50/p95/p99/max, in ms) for inserts, queries and all statements.
    load_test.py PORT CONNECTIONS SECONDS [INSERT_SHARE]
INSERT_SHARE (default 0.5) is the fraction of statements that insert."""
import datetime
import random
import sys
import threading
import time

try:
    import psycopg2
except ImportError:
    print("psycopg2 not installed (python3-psycopg2)")
    sys.exit(77)

PORT = int(sys.argv[1])
CONNECTIONS = int(sys.argv[2])
SECONDS = float(sys.argv[3])
INSERT_SHARE = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5
BASE = datetime.datetime(2024, 1, 1)


def connect():
    conn = psycopg2.connect(host="127.0.0.1", port=PORT, user="load", dbname="plant", sslmode="disable",
                            connect_timeout=30)
    conn.autocommit = True
    return conn


setup = connect()
setup.cursor().execute("CREATE TABLE load_points (ts TIMESTAMP, conn INTEGER, seq BIGINT, v DOUBLE)")

QUERIES = [
    ("SELECT count(*) FROM load_points", lambda c: ()),
    ("SELECT time_bucket(INTERVAL '1 minute', ts) AS m, count(*), avg(v) FROM load_points "
     "GROUP BY m ORDER BY m DESC LIMIT 5", lambda c: ()),
    ("SELECT ts, seq, v FROM load_points WHERE conn = %s ORDER BY seq DESC LIMIT 10", lambda c: (c,)),
    ("SELECT v FROM load_points WHERE conn = %s AND seq = %s", lambda c: (c, random.randrange(1000))),
]


class Worker(threading.Thread):
    def __init__(self, index, start_at, stop_at):
        super().__init__()
        self.index = index
        self.start_at = start_at
        self.stop_at = stop_at
        self.acked = []          # seq of every row whose INSERT returned
        self.insert_ms = []
        self.query_ms = []
        self.error = None

    def run(self):
        rng = random.Random(self.index)
        seq = 0
        try:
            conn = connect()
            cur = conn.cursor()
            while time.monotonic() < self.start_at:
                time.sleep(0.001)
            while time.monotonic() < self.stop_at:
                if rng.random() < INSERT_SHARE:
                    n = rng.randint(1, 10)
                    rows = []
                    for _ in range(n):
                        ts = BASE + datetime.timedelta(seconds=seq, microseconds=self.index)
                        rows.append((ts, self.index, seq, rng.random()))
                        seq += 1
                    sql = "INSERT INTO load_points VALUES " + ", ".join(["(%s, %s, %s, %s)"] * n)
                    params = [x for r in rows for x in r]
                    t0 = time.perf_counter()
                    cur.execute(sql, params)
                    self.insert_ms.append((time.perf_counter() - t0) * 1000)
                    if cur.rowcount != n:
                        raise RuntimeError(f"INSERT of {n} rows reported {cur.rowcount}")
                    self.acked.extend(r[2] for r in rows)
                else:
                    sql, params = QUERIES[rng.randrange(len(QUERIES))]
                    t0 = time.perf_counter()
                    cur.execute(sql, params(self.index))
                    cur.fetchall()
                    self.query_ms.append((time.perf_counter() - t0) * 1000)
            conn.close()
        except Exception as e:  # any error fails the run; report the first
            self.error = f"connection {self.index}: {type(e).__name__}: {e}".strip()


def percentiles(ms):
    if not ms:
        return "n=0"
    s = sorted(ms)
    def p(q):
        return s[min(len(s) - 1, int(q * len(s)))]
    return f"n={len(s)} p50={p(0.50):.1f} p95={p(0.95):.1f} p99={p(0.99):.1f} max={s[-1]:.1f} ms"


start_at = time.monotonic() + 0.5 + CONNECTIONS * 0.01
workers = [Worker(i, start_at, start_at + SECONDS) for i in range(CONNECTIONS)]
for w in workers:
    w.start()
for w in workers:
    w.join()
errors = [w.error for w in workers if w.error]
for e in errors:
    print("FAIL", e)

cur = setup.cursor()
cur.execute("SELECT conn, seq, count(*) FROM load_points GROUP BY conn, seq")
stored = {}
for conn_id, seq, n in cur.fetchall():
    stored[(conn_id, seq)] = n
acked = {(w.index, s) for w in workers for s in w.acked}
dupes = [k for k, n in stored.items() if n != 1]
missing = [k for k in acked if k not in stored]
# Rows never acknowledged can only come from an INSERT that failed (the
# run then already failed); with no error there must be none.
extra = [k for k in stored if k not in acked]
if dupes:
    print(f"FAIL {len(dupes)} rows stored more than once, e.g. {dupes[:3]}")
if missing:
    print(f"FAIL {len(missing)} acknowledged rows missing, e.g. {missing[:3]}")
if extra and not errors:
    print(f"FAIL {len(extra)} rows stored that no INSERT acknowledged, e.g. {extra[:3]}")

# Table versions the INSERTs made (group commit puts the INSERTs that
# queue behind a commit in flight into one version).
cur.execute("DESCRIBE HISTORY load_points")
history = cur.fetchall()

inserts = [x for w in workers for x in w.insert_ms]
queries = [x for w in workers for x in w.query_ms]
statements = len(inserts) + len(queries)
print(f"connections={CONNECTIONS} seconds={SECONDS:g} insert_share={INSERT_SHARE:g}")
print(f"statements={statements} ({statements / SECONDS:.0f}/s) rows_acknowledged={len(acked)} "
      f"({len(acked) / SECONDS:.0f}/s) rows_stored={sum(stored.values())}")
print(f"table versions={len(history)} for {len(inserts)} INSERTs")
print("inserts:", percentiles(inserts))
print("queries:", percentiles(queries))
print("all:    ", percentiles(inserts + queries))
setup.close()
if errors or dupes or missing or (extra and not errors):
    sys.exit(1)
print("OK: every acknowledged row present exactly once, no connection error")
