-- DuckDB suite finding (tests/sql/tools/duckdb_suite.sh, test/sql/window/test_empty_frames.test:23,
-- foreach agg=count_star()): the function spelling count_star() used as a window function crashes
-- the process with SIGSEGV (release build), with any frame and any input; count(*) OVER () and
-- count_star() as a plain aggregate work. Minimized by hand to one statement.
-- DuckDB 1.5.6 answers 1. Owner: window functions (query/).
SELECT count_star() OVER ()
