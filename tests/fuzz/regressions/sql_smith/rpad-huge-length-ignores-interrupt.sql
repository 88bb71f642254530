-- sql_smith finding (run of seed 1001, reduced by hand from the crash's last statement):
-- rpad/lpad to a length of 2^32 build each string character by character; over
-- vw's rows the statement ignored Connection::Interrupt() for 30 s (the runner
-- then aborts) and the strings are not counted against memory_limit.
-- Owner: memory (huge values).
SET memory_limit = '64MB'
CREATE TABLE t (ts TIMESTAMP, tag VARCHAR)
INSERT INTO t SELECT to_timestamp(1704067200 + i * 37), 'tag' || (i % 7) FROM range(0, 300) r(i)
SELECT DISTINCT right(rpad(tag, 4294967296, tag), -1000000007) FROM t
