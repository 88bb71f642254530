#!/usr/bin/python3
"""Hostile bytes against `tslake serve` over raw sockets (not a client: it
sends what no driver would) while a psycopg2 connection keeps working:
a 2 GB length in the startup packet and in a Query and a Bind (refused,
never allocated), a length below 4, a truncated message that never
completes (timed out after --message-timeout without blocking anyone),
malformed Parse/Bind bodies (ErrorResponse 08P01, and the session resyncs
at Sync), an unknown message type, random garbage, a client that vanishes
mid-COPY (nothing committed), and more connections than --max-connections
(53300). Checks the server's memory stays small and it still answers.
    robustness_test.py PORT SERVER_PID MAX_CONNECTIONS"""
import os
import random
import socket
import struct
import sys
import time

import psycopg2

PORT, PID, MAX_CONN = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])


def fail(msg):
    print("FAIL", msg)
    sys.exit(1)


def raw():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    return s


def startup(s, user="raw"):
    body = struct.pack("!i", 196608) + b"user\0" + user.encode() + b"\0\0"
    s.sendall(struct.pack("!i", len(body) + 4) + body)
    return read_until(s, b"Z")


def msg(t, body=b""):
    return t + struct.pack("!i", len(body) + 4) + body


def read_all(s, timeout=10):
    """Everything the server sends until it closes the connection."""
    s.settimeout(timeout)
    data = b""
    while True:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            return data, False
        except ConnectionResetError:
            return data, True
        if not chunk:
            return data, True
        data += chunk


def read_until(s, type_byte, timeout=10):
    """Messages up to and including the first of `type_byte`."""
    s.settimeout(timeout)
    data = b""
    while True:
        # parse complete messages
        pos, types = 0, []
        while pos + 5 <= len(data):
            length = struct.unpack("!i", data[pos + 1:pos + 5])[0]
            if pos + 1 + length > len(data):
                break
            types.append(data[pos:pos + 1])
            pos += 1 + length
        if type_byte in types:
            return data
        chunk = s.recv(65536)
        if not chunk:
            fail(f"connection closed before message {type_byte!r}; got {data!r}")
        data += chunk


def sqlstate(data):
    """The C (SQLSTATE) field of the first ErrorResponse in `data`."""
    pos = 0
    while pos + 5 <= len(data):
        length = struct.unpack("!i", data[pos + 1:pos + 5])[0]
        if data[pos:pos + 1] == b"E":
            for field in data[pos + 5:pos + 1 + length].split(b"\0"):
                if field[:1] == b"C":
                    return field[1:].decode()
        pos += 1 + length
    return None


def rss_kb():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


good = psycopg2.connect(host="127.0.0.1", port=PORT, user="good", dbname="x", sslmode="disable")
good.autocommit = True
gc = good.cursor()
gc.execute("CREATE TABLE t (a INTEGER, b VARCHAR)")


def still_works(label):
    gc.execute("SELECT count(*) FROM t")
    gc.fetchone()
    try:
        os.kill(PID, 0)
    except OSError:
        fail(f"server died after {label}")


# 1. A 2 GB startup packet: refused before anything is read or allocated.
s = raw()
s.sendall(struct.pack("!i", 0x7FFFFFFF) + struct.pack("!i", 196608))
data, closed = read_all(s)
if not closed or b"invalid length of startup packet" not in data:
    fail(f"2 GB startup packet: {data!r}")
still_works("2 GB startup")

# 2. 2 GB Query and Bind lengths after a good startup: 54000 and closed.
for t in (b"Q", b"B"):
    s = raw()
    startup(s)
    before = rss_kb()
    s.sendall(t + struct.pack("!i", 0x7FFFFFFF) + b"x" * 100)
    data, closed = read_all(s)
    if not closed or sqlstate(data) != "54000":
        fail(f"2 GB {t!r}: {data!r}")
    if rss_kb() - before > 100 * 1024:
        fail(f"2 GB {t!r}: the server's RSS grew by {rss_kb() - before} kB")
    still_works(f"2 GB {t!r}")

# 3. A length below 4.
s = raw()
startup(s)
s.sendall(b"Q" + struct.pack("!i", 2))
data, closed = read_all(s)
if not closed or sqlstate(data) != "08P01":
    fail(f"length 2: {data!r}")

# 4. Malformed bodies: an ErrorResponse, then Sync brings the session back.
s = raw()
startup(s)
cases = [
    msg(b"P", b"stmt"),                                       # no NUL terminators
    msg(b"B", b"\0\0" + struct.pack("!h", 0) + struct.pack("!h", 30000)),  # 30000 parameters, no bytes
    msg(b"B", b"\0\0\0\0" + struct.pack("!h", 1) + struct.pack("!i", 0x7FFFFFF0)),  # parameter longer than the body
    msg(b"P", b"\0SELECT 1\0" + struct.pack("!h", -5)),       # negative parameter type count
    msg(b"D", b"X\0"),                                         # Describe of neither S nor P
    msg(b"E", b"\0"),                                          # Execute missing its row count
    msg(b"E", b"nosuchportal\0" + struct.pack("!i", 0)),
    msg(b"B", b"\0nosuchstatement\0" + struct.pack("!hhh", 0, 0, 0)),
]
for case in cases:
    s.sendall(case + msg(b"S"))
    data = read_until(s, b"Z")
    if sqlstate(data) not in ("08P01", "26000", "34000"):
        fail(f"malformed {case[:20]!r}: {data!r}")
# The same connection still runs queries.
s.sendall(msg(b"Q", b"SELECT 41 + 1\0"))
data = read_until(s, b"Z")
if b"42" not in data:
    fail(f"after malformed messages: {data!r}")
s.close()

# 5. An unknown message type closes the connection with 08P01.
s = raw()
startup(s)
s.sendall(msg(b"z", b"hello"))
data, closed = read_all(s)
if not closed or sqlstate(data) != "08P01":
    fail(f"unknown type: {data!r}")

# 6. Random garbage as a first packet, many times.
rng = random.Random(19)
for _ in range(200):
    s = raw()
    try:
        s.sendall(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))))
        s.shutdown(socket.SHUT_WR)
        read_all(s, timeout=5)
    except OSError:
        pass  # the server may close first: that is a fine answer
    s.close()
still_works("garbage")

# 7. Half-sent messages: a Query that never completes holds only its own
# connection, and only until --message-timeout (1 s in this test).
slow = []
for _ in range(3):
    s = raw()
    startup(s)
    s.sendall(b"Q" + struct.pack("!i", 1000) + b"SELECT")
    slow.append(s)
half = raw()
half.sendall(struct.pack("!i", 100))  # half a startup packet
start = time.time()
still_works("half-sent messages")
if time.time() - start > 2:
    fail("a half-sent message blocked another connection")
for s in slow + [half]:
    data, closed = read_all(s, timeout=5)
    if not closed:
        fail("a half-sent message was not timed out")
if time.time() - start > 5:
    fail("half-sent messages took too long to time out")

def copy_in(statement):
    """A new raw connection in COPY FROM STDIN mode (CopyInResponse read)."""
    s = raw()
    startup(s)
    s.sendall(msg(b"Q", statement + b"\0"))
    read_until(s, b"G")
    return s


def expect_empty(what):
    gc.execute("SELECT count(*) FROM t")
    if gc.fetchone()[0] != 0:
        fail(f"rows of {what} were committed")


# 8. A client that vanishes mid-COPY commits nothing.
s = copy_in(b"COPY t FROM STDIN")
s.sendall(msg(b"d", b"".join(b"%d\trow\n" % i for i in range(1000))))
time.sleep(0.2)
s.close()
time.sleep(0.5)
expect_empty("an abandoned COPY")
# CopyFail commits nothing either.
s = copy_in(b"COPY t FROM STDIN")
s.sendall(msg(b"d", b"1\tx\n") + msg(b"f", b"client gave up\0"))
data = read_until(s, b"Z")
if sqlstate(data) != "57014":
    fail(f"CopyFail: {data!r}")
expect_empty("a failed COPY")
s.close()

# 8b. COPY ... CSV streams the CopyData bytes into the engine's CSV
# reader (Appender::AppendCsv): rows, quoted fields and a CRLF cut
# anywhere across messages arrive whole.
s = copy_in(b"COPY t FROM STDIN (FORMAT csv)")
payload = b'7,"x,""y""\nz"\r\n8,plain\n9,""\n10,\n'
s.sendall(b"".join(msg(b"d", payload[i:i + 3]) for i in range(0, len(payload), 3)) + msg(b"c"))
data = read_until(s, b"Z")
if b"COPY 4" not in data:
    fail(f"CSV COPY cut into 3-byte messages: {data!r}")
# The text format takes the same path (rewritten to CSV): escapes, \N,
# the empty string, and the end marker.
s.sendall(msg(b"Q", b"COPY t FROM STDIN\0"))
read_until(s, b"G")
s.sendall(msg(b"d", b"11\ta\\tb\n12\t\\N\n13\t\n14\tq\"uote\n\\.\n15\tafter the end\n") + msg(b"c"))
data = read_until(s, b"Z")
if b"COPY 4" not in data:
    fail(f"text COPY: {data!r}")
gc.execute("SELECT a, b IS NULL, b FROM t ORDER BY a")
got = gc.fetchall()
want = [(7, False, 'x,"y"\nz'), (8, False, "plain"), (9, False, ""), (10, True, None),
        (11, False, "a\tb"), (12, True, None), (13, False, ""), (14, False, 'q"uote')]
if got != want:
    fail(f"COPY contents: {got!r}")
gc.execute("DELETE FROM t")
s.close()
# A client that vanishes after 1.2M CSV rows (past a segment's worth, so
# the appender has written segment files) commits nothing.
s = copy_in(b"COPY t FROM STDIN WITH CSV")
block = b"".join(b"%d,r\n" % i for i in range(100000))
for _ in range(12):
    s.sendall(msg(b"d", block))
time.sleep(1.0)
s.close()
time.sleep(1.0)
expect_empty("an abandoned CSV COPY")
# A bad value mid-stream fails the whole COPY with 22P02.
s = copy_in(b"COPY t FROM STDIN WITH CSV")
s.sendall(msg(b"d", block) + msg(b"d", b"1,a\nnot a number,b\n") + msg(b"d", block) + msg(b"c"))
data = read_until(s, b"Z")
if sqlstate(data) != "22P02" or b"line 100002" not in data:
    fail(f"bad CSV value: {data!r}")
expect_empty("a CSV COPY with a bad value")
s.close()

# 9. More connections than --max-connections: the extra ones get 53300.
def startup_when_a_slot_is_free(attempts=100):
    """A session of the sections above may still hold its slot for a moment
    after its client closed (the server notices the close on its next read):
    a 53300 here is retried, not a failure."""
    for _ in range(attempts):
        s = raw()
        body = struct.pack("!i", 196608) + b"user\0raw\0\0"
        s.sendall(struct.pack("!i", len(body) + 4) + body)
        data, closed = b"", False
        s.settimeout(10)
        while not closed:
            chunk = s.recv(65536)
            closed = not chunk
            data += chunk
            if sqlstate(data) == "53300" or has_ready(data):
                break
        if has_ready(data):
            return s
        s.close()
        if sqlstate(data) != "53300":
            fail(f"startup under the connection limit: {data!r}")
        time.sleep(0.1)
    fail("the connection slots of closed clients were never released")


def has_ready(data):
    pos = 0
    while pos + 5 <= len(data):
        length = struct.unpack("!i", data[pos + 1:pos + 5])[0]
        if pos + 1 + length > len(data):
            return False
        if data[pos:pos + 1] == b"Z":
            return True
        pos += 1 + length
    return False


held = []
for _ in range(MAX_CONN - 1):  # the psycopg2 connection holds one slot
    held.append(startup_when_a_slot_is_free())
refused = 0
for _ in range(20):
    s = raw()
    data, closed = read_all(s, timeout=5)
    if closed and b"53300" in data:
        refused += 1
    s.close()
if refused != 20:
    fail(f"only {refused} of 20 connections over the limit were refused with 53300")
for s in held:
    s.sendall(msg(b"X"))
    s.close()
time.sleep(0.5)
good2 = psycopg2.connect(host="127.0.0.1", port=PORT, user="good", dbname="x", sslmode="disable")
good2.close()
still_works("max connections")
print("robustness tests passed")
