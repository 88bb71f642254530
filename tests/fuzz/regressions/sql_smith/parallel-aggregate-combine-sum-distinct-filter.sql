-- sql_smith finding (clang ASan + UBSan run, seed 4004; minimized from 100+ statements to 7): UBSan
-- 'reference binding to null pointer' in std::vector<long>::operator[] from Get<long>
-- (query/functions/aggregate_state.cc:23) <- SumState<long,false>::Update <- AggregateTable::UpdateViews
-- <- AggregateTable::Combine (physical_hash_aggregate.cc:311) <- PhysicalHashAggregate::ConsumeParallel (:388):
-- merging the partials of sum(DISTINCT ...) FILTER (WHERE false) reads an empty ints vector.
-- Owner: query execution (parallel hash aggregate; coordinator to route).
CREATE TABLE t (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER, n BIGINT, ok BOOLEAN, note VARCHAR)
CREATE TABLE u (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER)
INSERT INTO u SELECT to_timestamp(1704067200 + i * 91), 'tag' || (i % 5), i * 1.5, i % 10 FROM range(0, 100) r(i)
INSERT INTO u VALUES (NULL, NULL, NULL, NULL)
CREATE VIEW vw AS SELECT ts, tag, v, q FROM t WHERE q IS NOT NULL
CREATE TABLE s (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER, n BIGINT, ok BOOLEAN, note VARCHAR)
SELECT true AS c0, TIMESTAMP '2024-01-01 01:00:00' AS c1, (-CASE WHEN false THEN min(a0.c0) WHEN true THEN count(-1e308) ELSE min(-9223372036854775807) FILTER (WHERE true) END) AS c2 FROM (SELECT sum(DISTINCT (-9223372036854775807 - 1)) FILTER (WHERE false) AS c0, current_timestamp AS c1, to_timestamp(('Infinity'::DOUBLE)) AS c2 FROM u AS a1 GROUP BY a1.q INTERSECT ALL SELECT (-count(DISTINCT 7)) AS c0, median(now()) AS c1, (time_bucket(INTERVAL '1 hour', a2.ts) - last(INTERVAL '1 day')) AS c2 FROM s AS a2 WHERE ifnull(true, a2.ok) GROUP BY a2.n, time_bucket(INTERVAL '1 hour', a2.ts) LIMIT 15) AS a0 GROUP BY a0.c0, a0.c2 EXCEPT SELECT a3.ok AS c0, greatest((a3.ts - INTERVAL '37 minutes'), a3.ts) AS c1, datepart('millisecond', CASE WHEN a3.ok THEN current_timestamp END) AS c2 FROM s AS a3 JOIN vw AS a4 ON (('tag' || current_timestamp) LIKE a3.note) AND (NOT a3.ok) WHERE true LIMIT 13
