-- sql_smith finding (clang ASan + UBSan run, seed 3052; minimized by sql_smith --minimize from 64
-- statements to 5): COPY s FROM a Parquet file with 2 columns into a 7-column table is not refused;
-- UBSan 'reference binding to null pointer' in std::vector<std::string>::operator[] from
-- storage/partitioned_writer.cc ColumnBytes <- PartitionedWriter::AppendRows <- AppendImpl (:345)
-- <- Transaction::AddRowsImpl (transaction.cc:101): a VARCHAR column with no strings reaches the
-- writer. Owner: COPY FROM / ingest (coordinator to route).
CREATE TABLE t (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER, n BIGINT, ok BOOLEAN, note VARCHAR)
INSERT INTO t VALUES (TIMESTAMP '0001-01-01 00:00:00', '', 'inf'::DOUBLE, 2147483647, 9223372036854775807, true, '')
CREATE TABLE s (ts TIMESTAMP, tag VARCHAR, v DOUBLE, q INTEGER, n BIGINT, ok BOOLEAN, note VARCHAR)
COPY (SELECT ts, avg(v) AS c0 FROM t SAMPLE BY 15s) TO '{TMP}/f1.parquet' (FORMAT parquet)
COPY s FROM '{TMP}/f1.parquet' (FORMAT parquet)
