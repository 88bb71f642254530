#!/usr/bin/python3
"""tslake serve with psycopg2 (Debian's python3-psycopg2, libpq): connect,
create, insert with parameters (client-side interpolation), read every type
back as Python values (datetime, date, timedelta, float, int, bool, None),
executemany, SQLSTATE on errors (e.pgcode), cancel a long query from another
thread (57014), BEGIN/COMMIT as psycopg2 sends them, several connections at
once, copy_expert (COPY FROM STDIN / TO STDOUT), and INTERVAL's binary
encoding through a raw extended-protocol exchange.
    psycopg2_test.py PORT"""
import datetime
import decimal
import io
import sys
import threading
import time

try:
    import psycopg2
except ImportError:
    print("psycopg2 not installed (python3-psycopg2)")
    sys.exit(77)

PORT = int(sys.argv[1])


def connect():
    return psycopg2.connect(host="127.0.0.1", port=PORT, user="py", dbname="plant", sslmode="disable")


def check(label, got, want):
    if got != want:
        print(f"FAIL {label}: got {got!r}, want {want!r}")
        sys.exit(1)


conn = connect()
cur = conn.cursor()  # psycopg2's default: BEGIN before the first statement, COMMIT on commit()
cur.execute("CREATE TABLE readings (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER, n BIGINT, ok BOOLEAN, d DATE)")
row = (datetime.datetime(2024, 1, 2, 3, 4, 5, 123456), "pump 'one'", 1.25, 7, 2**40, True, datetime.date(2024, 5, 6))
cur.execute("INSERT INTO readings VALUES (%s, %s, %s, %s, %s, %s, %s)", row)
check("INSERT rowcount", cur.rowcount, 1)
cur.executemany("INSERT INTO readings (ts, tag, v) VALUES (%s, %s, %s)",
                [(datetime.datetime(2024, 1, 2, 0, 0, i), f"t{i}", i / 4) for i in range(10)])
cur.execute("INSERT INTO readings VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL)")
conn.commit()

cur.execute("SELECT ts, tag, v, q, n, ok, d FROM readings WHERE tag = %s", ("pump 'one'",))
check("typed row", cur.fetchone(), row)
check("description types", [d.type_code for d in cur.description], [1114, 25, 701, 23, 20, 16, 1082])
cur.execute("SELECT * FROM readings WHERE ts IS NULL")
check("NULL row", cur.fetchone(), (None,) * 7)
cur.execute("SELECT count(*), sum(v) FROM readings WHERE tag LIKE 't%%'")
check("aggregate", cur.fetchone(), (10, 11.25))
cur.execute("SELECT max(ts) - min(ts) FROM readings")
check("interval", cur.fetchone()[0], datetime.timedelta(hours=3, minutes=4, seconds=5, microseconds=123456))
# Months reach psycopg2 as PostgreSQL's text ("1 year 2 mons 3 days ..."),
# which it reads as 365 and 30 days.
cur.execute("SELECT INTERVAL '1 year 2 months 3 days 04:05:06.5', INTERVAL '-1 month' - INTERVAL '1 hour'")
check("intervals with months", cur.fetchone(),
      (datetime.timedelta(days=365 + 60 + 3, hours=4, minutes=5, seconds=6.5), -datetime.timedelta(days=30, hours=1)))
cur.execute("SELECT 1e300 * 10, -0.1, 1.0 / 3")
# -0.1 is a DECIMAL literal (as in DuckDB and PostgreSQL): numeric, a Decimal.
check("floats", cur.fetchone(), (1e301, decimal.Decimal("-0.1"), 1.0 / 3))
cur.execute("SELECT time_bucket(INTERVAL '5 seconds', ts) AS b, count(*) FROM readings "
            "WHERE tag LIKE 't%%' GROUP BY b ORDER BY b")
check("time_bucket", cur.fetchall(), [(datetime.datetime(2024, 1, 2, 0, 0, 0), 5),
                                     (datetime.datetime(2024, 1, 2, 0, 0, 5), 5)])
conn.commit()

# SQLSTATEs.
for sql, code in [("SELECT * FROM nope", "42P01"), ("SELECT nope FROM readings", "42703"),
                  ("SELEC 1", "42601"), ("SELECT 'abc'::INTEGER", "22P02"),
                  ("CREATE TABLE readings (x INTEGER)", "42P07")]:
    try:
        cur.execute(sql)
        print(f"FAIL {sql}: no error")
        sys.exit(1)
    except psycopg2.Error as e:
        check(sql, e.pgcode, code)
    conn.rollback()

# Transactions are the engine's. psycopg2 sends BEGIN before the first
# statement (a first CREATE TABLE runs as if before it, with a warning);
# rollback() undoes, commit() keeps; ReadyForQuery's status byte tells the
# client where it is; a statement failing while it runs aborts the
# transaction (25P02 until ROLLBACK), as in PostgreSQL.
from psycopg2 import extensions
cur.execute("CREATE TABLE tx (a INTEGER)")
check("CREATE's warning", any("not transactional" in n for n in conn.notices), True)
conn.commit()
cur.execute("INSERT INTO tx VALUES (1)")
check("status in a transaction", conn.get_transaction_status(), extensions.TRANSACTION_STATUS_INTRANS)
conn.rollback()
check("status after rollback", conn.get_transaction_status(), extensions.TRANSACTION_STATUS_IDLE)
cur.execute("SELECT count(*) FROM tx")
check("rollback undid the insert", cur.fetchone(), (0,))
cur.execute("INSERT INTO tx VALUES (2)")
conn.commit()
cur.execute("SELECT a FROM tx")
check("commit kept the insert", cur.fetchall(), [(2,)])
try:
    cur.execute("INSERT INTO tx VALUES (3)")
    cur.execute("SELECT 'abc'::INTEGER")
    print("FAIL: no conversion error")
    sys.exit(1)
except psycopg2.Error as e:
    check("conversion error", e.pgcode, "22P02")
check("status after the error", conn.get_transaction_status(), extensions.TRANSACTION_STATUS_INERROR)
try:
    cur.execute("SELECT 1")
    print("FAIL: a statement ran in an aborted transaction")
    sys.exit(1)
except psycopg2.Error as e:
    check("aborted transaction", e.pgcode, "25P02")
conn.rollback()
cur.execute("SELECT a FROM tx")
check("the aborted transaction's insert is gone", cur.fetchall(), [(2,)])
conn.commit()

# Cancel a long query from another thread: connection.cancel() sends a
# CancelRequest with the BackendKeyData's pid and secret.
conn.autocommit = True
def cancel_soon():
    time.sleep(0.5)
    conn.cancel()
threading.Thread(target=cancel_soon).start()
start = time.time()
try:
    cur.execute("SELECT count(*) FROM range(100000000000) a")
    print("FAIL: the long query was not cancelled")
    sys.exit(1)
except psycopg2.Error as e:
    check("cancel SQLSTATE", e.pgcode, "57014")
elapsed = time.time() - start
if elapsed > 10:
    print(f"FAIL: cancel took {elapsed:.1f} s")
    sys.exit(1)
cur.execute("SELECT 1")
check("usable after cancel", cur.fetchone(), (1,))

# statement_timeout interrupts a statement that runs too long.
cur.execute("SET statement_timeout = '300ms'")
start = time.time()
try:
    cur.execute("SELECT count(*) FROM range(100000000000) a")
    print("FAIL: statement_timeout did not fire")
    sys.exit(1)
except psycopg2.Error as e:
    check("statement_timeout SQLSTATE", e.pgcode, "57014")
    check("statement_timeout message", "statement timeout" in e.pgerror, True)
if time.time() - start > 10:
    print("FAIL: statement_timeout took too long")
    sys.exit(1)
cur.execute("SET statement_timeout = 0")
cur.execute("SHOW statement_timeout")
check("SHOW statement_timeout", cur.fetchone(), ("0",))

# COPY through psycopg2.
data = io.StringIO("".join(f"2024-03-01 00:00:{i:02d}\tc{i}\t{i}\t{i}\t\\N\tt\t2024-03-01\n" for i in range(50)))
cur.copy_expert("COPY readings FROM STDIN", data)
check("copy rowcount", cur.rowcount, 50)
out = io.StringIO()
cur.copy_expert("COPY (SELECT tag, q, n FROM readings WHERE d = '2024-03-01' AND q < 3 ORDER BY q) TO STDOUT WITH CSV", out)
check("copy out", out.getvalue(), "c0,0,\nc1,1,\nc2,2,\n")

# Several connections at once, each inserting; every insert is there once.
def writer(k):
    c = connect()
    c.autocommit = True
    w = c.cursor()
    for i in range(20):
        w.execute("INSERT INTO readings (tag, q) VALUES (%s, %s)", (f"w{k}", i))
    c.close()
threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
cur.execute("SELECT tag, count(*), count(DISTINCT q) FROM readings WHERE tag LIKE 'w%%' GROUP BY tag ORDER BY tag")
check("concurrent writers", cur.fetchall(), [(f"w{k}", 20, 20) for k in range(4)])
conn.close()


def binary_interval():
    """libpq asks for text only: INTERVAL's binary form (int64 us, int32
    days, int32 months) is read with one raw extended-protocol exchange."""
    import socket
    import struct
    s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    body = struct.pack("!i", 196608) + b"user\0raw\0\0"
    s.sendall(struct.pack("!i", len(body) + 4) + body)
    def msg(t, b):
        return t + struct.pack("!i", len(b) + 4) + b
    sql = b"SELECT INTERVAL '1 year 2 months 3 days 04:05:06.5', INTERVAL '-1 month' - INTERVAL '1 hour'"
    s.sendall(msg(b"P", b"\0" + sql + b"\0" + struct.pack("!h", 0)) +
              msg(b"B", b"\0\0" + struct.pack("!hhhh", 0, 0, 1, 1)) +  # all results binary
              msg(b"E", b"\0" + struct.pack("!i", 0)) + msg(b"S", b""))
    # Read whole messages until the second ReadyForQuery (the first ends
    # the startup; it may arrive in a recv of its own).
    data, ready, pos = b"", 0, 0
    while ready < 2:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
        while pos + 5 <= len(data):
            length = struct.unpack("!i", data[pos + 1:pos + 5])[0]
            if pos + 1 + length > len(data):
                break
            ready += data[pos:pos + 1] == b"Z"
            pos += 1 + length
    s.close()
    pos = 0
    while pos < len(data):
        t, length = data[pos:pos + 1], struct.unpack("!i", data[pos + 1:pos + 5])[0]
        if t == b"E":
            sys.exit(f"FAIL binary interval: {data[pos:pos + 1 + length]!r}")
        if t == b"D":
            row, p, values = data[pos + 5:pos + 1 + length], 2, []
            for _ in range(struct.unpack("!h", row[:2])[0]):
                n = struct.unpack("!i", row[p:p + 4])[0]
                values.append(struct.unpack("!qii", row[p + 4:p + 4 + n]))
                p += 4 + n
            return values
        pos += 1 + length
    sys.exit(f"FAIL binary interval: no DataRow in {data!r}")


check("binary intervals (us, days, months)", binary_interval(),
      [(((4 * 60 + 5) * 60 + 6) * 1000000 + 500000, 3, 14), (-3600 * 1000000, 0, -1)])
print("psycopg2 tests passed")
