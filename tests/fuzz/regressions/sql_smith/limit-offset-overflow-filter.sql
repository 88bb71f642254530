-- sql_smith finding (clang ASan + UBSan run, seeds 3000-3012): UBSan "signed integer
-- overflow: 5 + 9223372036854775807" at query/execution/physical_filter.cc:210,
-- begin + (*limit_ - emitted_). Owner: values (saturating LIMIT bounds).
CREATE TABLE t (v DOUBLE)
INSERT INTO t VALUES (1), (2), (3), (4), (5), (6), (7)
SELECT v FROM t WHERE v > 0 LIMIT 9223372036854775807 OFFSET 5
