-- sql_smith finding (Release run, seeds 2000-2008: five workers aborted on it):
-- time_bucket_gapfill with 1-hour buckets over a WHERE range reaching 2262 fills ~2.1
-- million buckets per tag; RSS grew past 512 MB, then 2 GB, under SET memory_limit =
-- '64MB' (no Out of Memory Error) and Connection::Interrupt() did not stop it
-- (query/execution/physical_set_operation.cc PhysicalGapfill::Fill materializes every
-- bucket). Owner: memory (memory_limit holes).
SET memory_limit = '64MB'
CREATE TABLE u (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER)
INSERT INTO u SELECT to_timestamp(1704067200 + i * 91), 'tag' || (i % 5), i * 1.5, i % 10 FROM range(0, 100) r(i)
SELECT time_bucket_gapfill(INTERVAL '1 hour', ts) AS c0, tag, avg(v) FROM u WHERE ts >= '2024-01-01 00:00:00' AND ts < TIMESTAMP '2262-04-11 23:47:16' GROUP BY c0, tag ORDER BY tag, c0
