/*
** flush_test.c: flushes that fail or carry nothing, and rows refused at
** end_row (issue 23 items 2, 3 and 7).
**   - A flush that fails (here: the segment write hits RLIMIT_FSIZE, EFBIG)
**     consumes no sequence and drops its rows; an empty retry commits
**     nothing; re-appending the batch and flushing the same sequence stores
**     it once; a replay of it afterwards is already_committed.
**   - 1,000 empty flushes with an app id make no version and no log file.
**   - In a PARTITION BY day(ts) table, 1,000 good rows and one far-out
**     timestamp: end_row refuses the bad row, the flush commits the 1,000.
**   - Lossy conversions are refused at end_row; exact ones are taken.
** Usage: flush_test SCRATCH_DIR [FULL_DIR]
** FULL_DIR, when given, is a small file system (a tmpfs of a few MiB): the
** test fills it and expects TSLAKE_FULL, not TSLAKE_IO_ERROR.
*/
#include "c_test.h"

#include <dirent.h>
#include <math.h>
#include <sys/resource.h>

static const char *scratch;
static const int64_t kJan1 = 1704067200000000LL;

static tslake_database *open_db(const char *name, const char *create) {
  char path[4096];
  tslake_database *db = NULL;
  snprintf(path, sizeof path, "%s/%s", scratch, name);
  if (tslake_open(path, NULL, &db, NULL) != TSLAKE_OK) return NULL;
  if (create && exec_sql(db, create) != TSLAKE_OK) return NULL;
  return db;
}

static int append_row(tslake_appender *app, int64_t ts, const char *tag, double v) {
  int rc = tslake_append_timestamp(app, ts);
  if (rc == TSLAKE_OK) rc = tslake_append_text(app, tag);
  if (rc == TSLAKE_OK) rc = tslake_append_double(app, v);
  if (rc == TSLAKE_OK) rc = tslake_appender_end_row(app);
  return rc;
}

/* Batch 1: rows of incompressible doubles, large enough to pass the limit. */
static int append_big_batch(tslake_appender *app, int rows) {
  int i;
  uint64_t x = 88172645463325252ULL;
  for (i = 0; i < rows; i++) {
    double v;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    v = (double)(x >> 11) / 9007199254740992.0;
    if (append_row(app, kJan1 + 1000000000LL + i, "big", v) != TSLAKE_OK) return 1;
  }
  return 0;
}

static int64_t count_files(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int64_t n = 0;
  if (!d) return -1;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.') n++;
  closedir(d);
  return n;
}

static int failed_flush_retried_with_the_same_sequence(void *arg) {
  tslake_database *db = open_db("retry.db", "CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE)");
  tslake_appender *app = NULL;
  struct rlimit small, old;
  int64_t version = 0;
  int already = 7, i, rc;
  const int big = 60000;
  (void)arg;
  CHECK(db != NULL);
  CHECK_CODE(tslake_appender_create(db, "m", "gw", &app, NULL), TSLAKE_OK);
  for (i = 0; i < 1000; i++) CHECK_CODE(append_row(app, kJan1 + i, "small", i), TSLAKE_OK);
  CHECK_CODE(tslake_appender_flush_sequence(app, 0, &version, &already), TSLAKE_OK);
  CHECK(tslake_appender_last_sequence(app) == 0);

  /* Batch 1 fails: its segment file may not grow past 64 KiB. */
  CHECK(append_big_batch(app, big) == 0);
  signal(SIGXFSZ, SIG_IGN);
  getrlimit(RLIMIT_FSIZE, &old);
  small = old;
  small.rlim_cur = 64 * 1024; /* the soft limit only, so it can be raised again */
  CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0);
  rc = tslake_appender_flush_sequence(app, 1, &version, &already);
  CHECK(rc == TSLAKE_IO_ERROR || rc == TSLAKE_FULL);
  CHECK(version == -1);
  CHECK(tslake_appender_last_sequence(app) == 0);  /* no sequence consumed */
  CHECK(tslake_appender_pending_rows(app) == 0);   /* the rows are dropped */
  /* Retrying without the rows commits nothing and consumes nothing. */
  CHECK_CODE(tslake_appender_flush_sequence(app, 1, &version, &already), TSLAKE_OK);
  CHECK(version == -1 && already == 0);
  CHECK(tslake_appender_last_sequence(app) == 0);
  CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);

  /* The caller re-appends the batch: it commits, once. */
  CHECK(append_big_batch(app, big) == 0);
  CHECK_CODE(tslake_appender_flush_sequence(app, 1, &version, &already), TSLAKE_OK);
  CHECK(version >= 0 && already == 0);
  CHECK(tslake_appender_last_sequence(app) == 1);
  /* A replay of it is dropped. */
  CHECK(append_big_batch(app, big) == 0);
  CHECK_CODE(tslake_appender_flush_sequence(app, 1, &version, &already), TSLAKE_OK);
  CHECK(already == 1 && version == -1);
  CHECK_CODE(tslake_appender_destroy(app), TSLAKE_OK);
  CHECK(query_int(db, "SELECT count(*) FROM m") == 1000 + big);
  CHECK(query_int(db, "SELECT count(DISTINCT ts) FROM m") == 1000 + big);
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  return c_test_failures;
}

static int empty_flushes_commit_nothing(void *arg) {
  tslake_database *db = open_db("empty.db", "CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE)");
  tslake_appender *app = NULL;
  char log_dir[4096];
  int64_t files_before, version = 0, i;
  int already = 0;
  (void)arg;
  snprintf(log_dir, sizeof log_dir, "%s/empty.db/m/_log", scratch);
  files_before = count_files(log_dir);
  CHECK(files_before > 0);
  CHECK_CODE(tslake_appender_create(db, "m", "gw", &app, NULL), TSLAKE_OK);
  for (i = 0; i < 1000; i++) {
    CHECK_CODE(tslake_appender_flush(app, &version), TSLAKE_OK);
    CHECK(version == -1);
    CHECK_CODE(tslake_appender_flush_sequence(app, i, &version, &already), TSLAKE_OK);
    CHECK(version == -1 && already == 0);
    if (c_test_failures) break;
  }
  CHECK(tslake_appender_last_sequence(app) == -1);
  CHECK_CODE(tslake_appender_destroy(app), TSLAKE_OK);
  CHECK(count_files(log_dir) == files_before);
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  return c_test_failures;
}

static int bad_row_is_refused_and_good_rows_commit(void *arg) {
  /* Outside the supported range, 290309-12-22 (BC) .. 294247-01-10
     04:00:54.775806 (INT64_MAX - 1 us): every value inside it, the year
     10000 and 1 BC included, has a day(ts) partition (signed expanded
     years) and is taken. */
  static const int64_t far[] = {
      INT64_MAX,              /* infinity */
      INT64_MIN,
      -9223372036854775807LL, /* -infinity */
      -9223372022400000001LL  /* 1 us before 290309-12-22 (BC) */};
  tslake_database *db = open_db(
      "bad_row.db", "CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE) PARTITION BY day(ts)");
  tslake_appender *app = NULL;
  int64_t version = -1;
  size_t k;
  int i;
  tslake_column cols[3];
  int64_t ts[3] = {kJan1, INT64_MAX, kJan1 + 1};
  const char *tags[3] = {"batch", "batch", "batch"};
  double values[3] = {1, 2, 3};
  (void)arg;
  CHECK(db != NULL);
  CHECK_CODE(tslake_appender_create(db, "m", NULL, &app, NULL), TSLAKE_OK);
  for (i = 0; i < 1000; i++) CHECK_CODE(append_row(app, kJan1 + i * 60000000LL, "good", i), TSLAKE_OK);
  for (k = 0; k < sizeof far / sizeof far[0]; k++) {
    CHECK_CODE(append_row(app, far[k], "bad", -1), TSLAKE_INVALID_ARGUMENT);
    CHECK(strstr(tslake_appender_error(app), "\"ts\"") != NULL);
  }
  /* Invalid UTF-8 is refused the same way. */
  CHECK_CODE(append_row(app, kJan1, "\xff\xfe", 0), TSLAKE_INVALID_ARGUMENT);
  CHECK(tslake_appender_pending_rows(app) == 1000);
  /* A column batch with one bad value is refused whole. */
  cols[0].type = TSLAKE_TYPE_TIMESTAMP; cols[0].values = ts; cols[0].valid = NULL;
  cols[1].type = TSLAKE_TYPE_VARCHAR; cols[1].values = tags; cols[1].valid = NULL;
  cols[2].type = TSLAKE_TYPE_DOUBLE; cols[2].values = values; cols[2].valid = NULL;
  CHECK_CODE(tslake_append_columns(app, 3, cols, 3), TSLAKE_INVALID_ARGUMENT);
  CHECK(tslake_appender_pending_rows(app) == 1000);
  CHECK_CODE(tslake_appender_flush(app, &version), TSLAKE_OK);
  CHECK(version >= 0);
  CHECK_CODE(tslake_appender_destroy(app), TSLAKE_OK);
  CHECK(query_int(db, "SELECT count(*) FROM m") == 1000);
  CHECK(query_int(db, "SELECT count(*) FROM m WHERE tag <> 'good'") == 0);
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  /* The table reopens and reads. */
  db = open_db("bad_row.db", NULL);
  CHECK(db != NULL && query_int(db, "SELECT count(*) FROM m") == 1000);
  tslake_close(db);
  return c_test_failures;
}

static int lossy_conversions_are_refused(void *arg) {
  tslake_database *db = open_db(
      "lossy.db", "CREATE TABLE t (i INTEGER, b BIGINT, d DOUBLE, f BOOLEAN)");
  tslake_appender *app = NULL;
  int64_t two53 = 9007199254740992LL;
  (void)arg;
  CHECK(db != NULL);
  CHECK_CODE(tslake_appender_create(db, "t", NULL, &app, NULL), TSLAKE_OK);
  /* Refused: double 1.5 into INTEGER, 2^53+1 into DOUBLE, '1.5' into
  ** INTEGER, 0.5 into BOOLEAN, 1e300 into BIGINT, NaN into INTEGER, 2 into
  ** BOOLEAN. */
  tslake_append_double(app, 1.5); tslake_append_null(app); tslake_append_null(app); tslake_append_null(app);
  CHECK_CODE(tslake_appender_end_row(app), TSLAKE_INVALID_ARGUMENT);
  tslake_append_null(app); tslake_append_null(app); tslake_append_int64(app, two53 + 1); tslake_append_null(app);
  CHECK_CODE(tslake_appender_end_row(app), TSLAKE_INVALID_ARGUMENT);
  tslake_append_text(app, "1.5"); tslake_append_null(app); tslake_append_null(app); tslake_append_null(app);
  CHECK_CODE(tslake_appender_end_row(app), TSLAKE_INVALID_ARGUMENT);
  tslake_append_null(app); tslake_append_null(app); tslake_append_null(app); tslake_append_double(app, 0.5);
  CHECK_CODE(tslake_appender_end_row(app), TSLAKE_INVALID_ARGUMENT);
  tslake_append_null(app); tslake_append_double(app, 1e300); tslake_append_null(app); tslake_append_null(app);
  CHECK_CODE(tslake_appender_end_row(app), TSLAKE_INVALID_ARGUMENT);
  tslake_append_double(app, NAN); tslake_append_null(app); tslake_append_null(app); tslake_append_null(app);
  CHECK_CODE(tslake_appender_end_row(app), TSLAKE_INVALID_ARGUMENT);
  tslake_append_null(app); tslake_append_null(app); tslake_append_null(app); tslake_append_int64(app, 2);
  CHECK_CODE(tslake_appender_end_row(app), TSLAKE_INVALID_ARGUMENT);
  tslake_append_int64(app, 1LL << 40); tslake_append_null(app); tslake_append_null(app); tslake_append_null(app);
  CHECK_CODE(tslake_appender_end_row(app), TSLAKE_INVALID_ARGUMENT);
  CHECK(tslake_appender_pending_rows(app) == 0);
  /* Taken: the exact ones. */
  tslake_append_double(app, 2.0); tslake_append_text(app, " 12 "); tslake_append_int64(app, two53);
  tslake_append_double(app, 1.0);
  CHECK_CODE(tslake_appender_end_row(app), TSLAKE_OK);
  tslake_append_text(app, "-7"); tslake_append_double(app, -4.0); tslake_append_text(app, "0.25");
  tslake_append_int64(app, 0);
  CHECK_CODE(tslake_appender_end_row(app), TSLAKE_OK);
  CHECK_CODE(tslake_appender_flush(app, NULL), TSLAKE_OK);
  tslake_appender_destroy(app);
  CHECK(query_int(db, "SELECT count(*) FROM t") == 2);
  CHECK(query_int(db, "SELECT sum(i) FROM t") == -5);
  CHECK(query_int(db, "SELECT sum(b) FROM t") == 8);
  CHECK(query_int(db, "SELECT count(*) FROM t WHERE d = 9007199254740992 OR d = 0.25") == 2);
  CHECK(query_int(db, "SELECT count(*) FROM t WHERE f") == 1);
  tslake_close(db);
  return c_test_failures;
}

static const char *full_dir;

static int full_disk_is_tslake_full(void *arg) {
  char path[4096];
  tslake_database *db = NULL;
  tslake_appender *app = NULL;
  int rc = TSLAKE_OK, round;
  (void)arg;
  snprintf(path, sizeof path, "%s/full.db", full_dir);
  CHECK_CODE(tslake_open(path, NULL, &db, NULL), TSLAKE_OK);
  if (!db) return 1;
  CHECK(exec_sql(db, "CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE)") == TSLAKE_OK);
  CHECK_CODE(tslake_appender_create(db, "m", NULL, &app, NULL), TSLAKE_OK);
  for (round = 0; round < 200 && rc == TSLAKE_OK; round++) {
    if (append_big_batch(app, 20000)) break;
    rc = tslake_appender_flush(app, NULL);
  }
  CHECK_CODE(rc, TSLAKE_FULL);
  tslake_appender_destroy(app);
  tslake_close(db);
  return c_test_failures;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: flush_test SCRATCH_DIR [FULL_DIR]\n");
    return 2;
  }
  scratch = argv[1];
  full_dir = argc > 2 ? argv[2] : NULL;
  fork_case("a failed flush retried with the same sequence stores the batch once",
            failed_flush_retried_with_the_same_sequence, NULL);
  fork_case("1,000 empty flushes make no version and no log file", empty_flushes_commit_nothing,
            NULL);
  fork_case("a bad row is refused at end_row and its batch's good rows commit",
            bad_row_is_refused_and_good_rows_commit, NULL);
  fork_case("lossy conversions are refused, exact ones taken", lossy_conversions_are_refused,
            NULL);
  if (full_dir)
    fork_case("a full disk is TSLAKE_FULL", full_disk_is_tslake_full, NULL);
  else
    printf("  skip a full disk is TSLAKE_FULL (no small file system given)\n");
  return c_test_finish("flush_test");
}
