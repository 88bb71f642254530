#!/usr/bin/python3
"""COPY ... (FORMAT binary) through psycopg2's copy_expert: TO STDOUT of
every type, its framing decoded here (signature, flags, int16 field
counts, int32 lengths, PostgreSQL's binary encodings); the same bytes
loaded back with FROM STDIN into a second table and compared value by
value; narrower integer and float widths; a column list; and bad data
(wrong signature, a row cut short, a value of the wrong size, a field
count that does not match) refused with nothing of that COPY committed.
When PGCOPY_PEER_PORT names a running PostgreSQL, the same table goes
PostgreSQL -> tslake and tslake -> PostgreSQL in binary as well.
    copy_binary_test.py PORT"""
import datetime
import decimal
import io
import os
import struct
import sys

try:
    import psycopg2
except ImportError:
    print("psycopg2 not installed (python3-psycopg2)")
    sys.exit(77)

PORT = int(sys.argv[1])
SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


def connect(port=PORT, user="copy", dbname="plant"):
    c = psycopg2.connect(host="127.0.0.1", port=port, user=user, dbname=dbname, sslmode="disable")
    c.autocommit = True
    return c


def check(label, got, want):
    if got != want:
        print(f"FAIL {label}:\n  got  {got!r}\n  want {want!r}")
        sys.exit(1)


def copy_out(cur, sql):
    out = io.BytesIO()
    cur.copy_expert(sql, out)
    return out.getvalue()


def parse(data):
    """Rows of raw field bytes (None for NULL) from binary COPY data."""
    check("signature", data[:11], SIGNATURE)
    flags, ext = struct.unpack(">ii", data[11:19])
    check("flags", flags, 0)
    at = 19 + ext
    rows = []
    while True:
        (n,) = struct.unpack(">h", data[at:at + 2])
        at += 2
        if n == -1:
            check("nothing after the trailer", data[at:], b"")
            return rows
        row = []
        for _ in range(n):
            (length,) = struct.unpack(">i", data[at:at + 4])
            at += 4
            if length == -1:
                row.append(None)
            else:
                row.append(data[at:at + length])
                at += length
        rows.append(row)


def build(rows):
    """Binary COPY data of rows of field bytes (None: NULL)."""
    out = bytearray(SIGNATURE + struct.pack(">ii", 0, 0))
    for row in rows:
        out += struct.pack(">h", len(row))
        for f in row:
            out += struct.pack(">i", -1) if f is None else struct.pack(">i", len(f)) + f
    out += struct.pack(">h", -1)
    return bytes(out)


PG_EPOCH = datetime.datetime(2000, 1, 1)
conn = connect()
cur = conn.cursor()
cur.execute("CREATE TABLE src (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER, n BIGINT, ok BOOLEAN, d DATE, "
            "iv INTERVAL, amount DECIMAL(12,3))")
cur.execute("INSERT INTO src VALUES "
            "('2024-01-02 03:04:05.123456', 'pump ''one''', 1.25, 7, 1099511627776, true, '2024-05-06', "
            "INTERVAL '1 year 2 months 3 days 04:05:06.5', 12345.678), "
            "('1999-12-31 23:59:59', 'ünïcode\tTab', -0.5, -3, -9, false, '1970-01-01', INTERVAL '-1 hour', -0.005), "
            "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)")
data = copy_out(cur, "COPY (SELECT * FROM src ORDER BY ts DESC NULLS LAST) TO STDOUT (FORMAT binary)")
rows = parse(data)
check("row count", len(rows), 3)
r = rows[0]
check("timestamp", struct.unpack(">q", r[0])[0],
      (datetime.datetime(2024, 1, 2, 3, 4, 5, 123456) - PG_EPOCH) // datetime.timedelta(microseconds=1))
check("text", r[1].decode(), "pump 'one'")
check("float8", struct.unpack(">d", r[2])[0], 1.25)
check("int4", struct.unpack(">i", r[3])[0], 7)
check("int8", struct.unpack(">q", r[4])[0], 2**40)
check("bool", r[5], b"\x01")
check("date", struct.unpack(">i", r[6])[0], (datetime.date(2024, 5, 6) - datetime.date(2000, 1, 1)).days)
check("interval", struct.unpack(">qii", r[7]), ((4 * 3600 + 5 * 60 + 6) * 1000000 + 500000, 3, 14))
# numeric 12345.678: ndigits 3, weight 1, positive, dscale 3, base-10000 groups 1 2345 6780
check("numeric", struct.unpack(">hhHH3H", r[8]), (3, 1, 0, 3, 1, 2345, 6780))
check("second row's text", rows[1][1].decode(), "ünïcode\tTab")
check("NULL row", rows[2], [None] * 9)

# The same bytes back in: the copy equals the source.
cur.execute("CREATE TABLE dst (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER, n BIGINT, ok BOOLEAN, d DATE, "
            "iv INTERVAL, amount DECIMAL(12,3))")
cur.copy_expert("COPY dst FROM STDIN (FORMAT binary)", io.BytesIO(data))
check("COPY FROM rowcount", cur.rowcount, 3)
cur.execute("SELECT * FROM src ORDER BY ts DESC NULLS LAST")
want = cur.fetchall()
cur.execute("SELECT * FROM dst ORDER BY ts DESC NULLS LAST")
check("round trip", cur.fetchall(), want)
check("round trip value", want[0][8], decimal.Decimal("12345.678"))
check("binary COPY TO of the table",
      sorted(r[0] for r in parse(copy_out(cur, "COPY dst (tag) TO STDOUT WITH (FORMAT binary)")) if r[0]),
      sorted(["ünïcode\tTab".encode(), b"pump 'one'"]))

# Narrower widths (int2, int4 into BIGINT; float4 into DOUBLE), a column
# list, and a message boundary inside a row (copy_expert's 8 KiB reads
# with size=7).
cur.execute("CREATE TABLE narrow (n BIGINT, v DOUBLE, tag VARCHAR)")
payload = build([[struct.pack(">h", -2), struct.pack(">f", 0.5), b"a"],
                 [struct.pack(">i", 70000), None, b"b"],
                 [struct.pack(">q", 2**50), struct.pack(">d", 2.25), None]])
cur.copy_expert("COPY narrow FROM STDIN (FORMAT binary)", io.BytesIO(payload), size=7)
cur.execute("SELECT n, v, tag FROM narrow ORDER BY n")
check("narrow widths", cur.fetchall(), [(-2, 0.5, "a"), (70000, None, "b"), (2**50, 2.25, None)])
cur.copy_expert("COPY narrow (tag, n) FROM STDIN (FORMAT binary)",
                io.BytesIO(build([[b"listed", struct.pack(">i", 5)]])))
cur.execute("SELECT n, v, tag FROM narrow WHERE tag = 'listed'")
check("column list", cur.fetchall(), [(5, None, "listed")])


def refused(label, sql, payload, message_part):
    cur.execute("SELECT count(*) FROM narrow")
    before = cur.fetchone()[0]
    try:
        cur.copy_expert(sql, io.BytesIO(payload))
    except psycopg2.Error as e:
        if message_part not in str(e):
            print(f"FAIL {label}: error {str(e).strip()!r} lacks {message_part!r}")
            sys.exit(1)
    else:
        print(f"FAIL {label}: accepted")
        sys.exit(1)
    cur.execute("SELECT count(*) FROM narrow")
    check(f"{label}: nothing committed", cur.fetchone()[0], before)


good_row = [struct.pack(">q", 1), struct.pack(">d", 1.0), b"x"]
refused("bad signature", "COPY narrow FROM STDIN (FORMAT binary)", b"PGCOPY\nXX" + build([good_row])[10:],
        "signature not recognized")
refused("row cut short", "COPY narrow FROM STDIN (FORMAT binary)", build([good_row, good_row])[:-9],
        "ended inside a row")
refused("wrong value size", "COPY narrow FROM STDIN (FORMAT binary)",
        build([good_row, [struct.pack(">q", 1), b"\x00\x01\x02", b"x"]]), "not a valid double")
refused("field count", "COPY narrow FROM STDIN (FORMAT binary)", build([good_row, good_row[:2]]),
        "missing data for column")
refused("text data in binary", "COPY narrow FROM STDIN (FORMAT binary)", b"1\t2\tx\n", "signature")

# A real PostgreSQL at PGCOPY_PEER_PORT (bench/server_bench.sh starts one):
# its binary COPY output loads into tslake and tslake's into it.
peer = os.environ.get("PGCOPY_PEER_PORT")
if peer:
    pg = connect(int(peer), user=os.environ.get("PGCOPY_PEER_USER", "postgres"), dbname="postgres")
    pcur = pg.cursor()
    pcur.execute("DROP TABLE IF EXISTS copy_peer")
    pcur.execute("CREATE TABLE copy_peer (ts timestamp, tag text, v float8, q int4, n int8, ok bool, d date, "
                 "iv interval, amount numeric(12,3))")
    pcur.copy_expert("COPY copy_peer FROM STDIN (FORMAT binary)", io.BytesIO(data))
    pcur.execute("SELECT * FROM copy_peer ORDER BY ts DESC NULLS LAST")
    check("tslake -> PostgreSQL", pcur.fetchall(), want)
    from_pg = copy_out(pcur, "COPY (SELECT * FROM copy_peer ORDER BY ts DESC NULLS LAST) TO STDOUT (FORMAT binary)")
    cur.execute("CREATE TABLE from_pg AS SELECT * FROM src LIMIT 0")
    cur.copy_expert("COPY from_pg FROM STDIN (FORMAT binary)", io.BytesIO(from_pg))
    cur.execute("SELECT * FROM from_pg ORDER BY ts DESC NULLS LAST")
    check("PostgreSQL -> tslake", cur.fetchall(), want)
    pcur.execute("DROP TABLE copy_peer")
    pg.close()
    print("checked against PostgreSQL at port", peer)

conn.close()
print("OK: binary COPY in both directions")
