-- sql_smith finding (clang ASan + UBSan run, seeds 3000-3012): UBSan "signed integer
-- overflow: 9223372036854775807 + 5" at query/planner/planner.cc:251, the sort's row
-- budget *s.limit + s.offset. Owner: values (saturating LIMIT bounds).
CREATE TABLE t (v DOUBLE)
INSERT INTO t VALUES (1), (2)
SELECT v FROM t ORDER BY 1 LIMIT 9223372036854775807 OFFSET 5
