-- sql_smith finding (run of seed 1002, reduced by hand from the crash's last statement):
-- time_bucket_gapfill with 1-microsecond buckets over a 5-hour range fills 1.8e10
-- buckets per tag: RSS grew past 512 MB under SET memory_limit = '64MB' (no Out of
-- Memory Error) and the statement ignored Connection::Interrupt() for 30 s.
-- Owner: memory (memory_limit holes).
SET memory_limit = '64MB'
CREATE TABLE u (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER)
INSERT INTO u SELECT to_timestamp(1704067200 + i * 91), 'tag' || (i % 5), i * 1.5, i % 10 FROM range(0, 100) r(i)
SELECT time_bucket_gapfill(INTERVAL '1 microsecond', ts) AS c0, tag, interpolate(min(v)) FROM u WHERE ts >= '2024-01-01 00:00:00' AND ts < '2024-01-01 05:00:00' GROUP BY c0, tag ORDER BY tag, c0
