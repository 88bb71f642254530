-- Not a crash: a smoke script over the fuzzer's schema (every type, NULLs, extremes) so the
-- replay test always has work; each statement must end without a crash, hang or overrun.
SET memory_limit = '64MB'
CREATE TABLE t (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER, n BIGINT, ok BOOLEAN, note VARCHAR)
CREATE TABLE u (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER)
CREATE TABLE e (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER, n BIGINT, ok BOOLEAN, note VARCHAR)
INSERT INTO t SELECT to_timestamp(1704067200 + i * 37), 'tag' || (i % 7), i * 0.25 - 20, i % 100 - 50, i * 1000003 - 200000000, i % 3 = 0, repeat('x', i % 5) FROM range(0, 300) r(i)
INSERT INTO t VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL)
INSERT INTO t VALUES (TIMESTAMP '0001-01-01 00:00:00', '', 'inf'::DOUBLE, 2147483647, 9223372036854775807, true, '')
INSERT INTO t VALUES (TIMESTAMP '9999-12-31 23:59:59.999999', 'héllo wörld ✓ 日本語 😀', '-inf'::DOUBLE, -2147483648, -9223372036854775808, false, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxyzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz')
INSERT INTO t VALUES (TIMESTAMP '1970-01-01 00:00:00', 'tag1', 'nan'::DOUBLE, 0, 0, NULL, 'O''Brien')
INSERT INTO t VALUES (TIMESTAMP '1677-09-21 00:12:44', 'tag2', 1e308, -1, -9223372036854775807, true, 'ünïcödé')
INSERT INTO t VALUES (TIMESTAMP '2262-04-11 23:47:16', 'tag3', -1e308, 1, 4294967296, false, '%_\\')
INSERT INTO t VALUES (TIMESTAMP '2024-01-01 00:00:00', 'tag0', -0.0, NULL, NULL, NULL, NULL), (TIMESTAMP '2024-01-01 00:00:00', 'tag0', 5e-324, 7, 7, true, 'dup ts')
INSERT INTO u SELECT to_timestamp(1704067200 + i * 91), 'tag' || (i % 5), i * 1.5, i % 10 FROM range(0, 100) r(i)
INSERT INTO u VALUES (NULL, NULL, NULL, NULL)
CREATE VIEW vw AS SELECT ts, tag, v, q FROM t WHERE q IS NOT NULL
CREATE TABLE s (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER, n BIGINT, ok BOOLEAN, note VARCHAR)
INSERT INTO s SELECT * FROM t WHERE q % 5 = 0
SELECT a.tag, a.ts, b.v FROM t AS a ASOF JOIN u AS b ON a.tag = b.tag AND a.ts >= b.ts ORDER BY 1, 2 LIMIT 20
SELECT tag, ts, avg(v) OVER (PARTITION BY tag ORDER BY ts RANGE BETWEEN INTERVAL '1 hour' PRECEDING AND CURRENT ROW), lag(n, 1) OVER (ORDER BY ts), rank() OVER (ORDER BY v DESC) FROM t ORDER BY 1, 2 LIMIT 50
SELECT time_bucket(INTERVAL '1 day', ts) AS d, count(*), sum(n), min(v), max(v), string_agg(note, ',') FROM t GROUP BY d ORDER BY d
SELECT abs(n), -q, q + 1, n * 2, v / 0, q // 0 FROM t WHERE n IS NOT NULL ORDER BY 1 LIMIT 20
SELECT count(*) FROM t VERSION AS OF 2
SELECT * FROM t TIMESTAMP AS OF now() WHERE ts < TIMESTAMP '1971-01-01 00:00:00'
SELECT ts, avg(v) FROM u SAMPLE BY 1h FILL(LINEAR)
SELECT * FROM t LATEST ON ts PARTITION BY tag
SELECT tag, count(*) FROM t GROUP BY tag UNION ALL SELECT tag, count(*) FROM u GROUP BY tag ORDER BY 1, 2
WITH c AS (SELECT tag, max(ts) AS m FROM t GROUP BY tag) SELECT c.tag, (SELECT count(*) FROM u WHERE u.tag = c.tag) FROM c ORDER BY 1
SELECT CAST(v AS BIGINT), CAST(n AS INTEGER), TRY_CAST(note AS DOUBLE), CAST(ts AS VARCHAR), strftime(ts, '%Y-%m-%d %H:%M:%S.%f') FROM t ORDER BY ts LIMIT 20
COPY (SELECT * FROM t) TO '{TMP}/f0.parquet' (FORMAT parquet)
SELECT count(*), min(ts), max(ts), min(n), max(n) FROM read_parquet('{TMP}/f0.parquet')
INSERT INTO s SELECT * FROM read_parquet('{TMP}/f0.parquet')
DELETE FROM s WHERE v > 0 OR v IS NULL
SELECT count(*) FROM s
