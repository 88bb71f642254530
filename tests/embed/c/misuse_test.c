/*
** misuse_test.c: every misuse of the C API returns an error code and never
** crashes the host (issue 23 item 6 and the small items of 10). Each case
** runs in a forked child (c_test.h fork_case), so a crash fails that case
** only. Usage: misuse_test SCRATCH_DIR
*/
#include "c_test.h"

#include <pthread.h>

static const char *scratch;

/* A fresh database directory per case with table m. */
static tslake_database *open_db(const char *name) {
  char path[4096];
  tslake_database *db = NULL;
  snprintf(path, sizeof path, "%s/%s.db", scratch, name);
  if (tslake_open(path, NULL, &db, NULL) != TSLAKE_OK) return NULL;
  exec_sql(db, "CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE)");
  return db;
}

static int double_close(void *arg) {
  tslake_database *db = open_db("double_close");
  (void)arg;
  CHECK(db != NULL);
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  CHECK_CODE(tslake_close(db), TSLAKE_MISUSE);
  CHECK_CODE(tslake_close(NULL), TSLAKE_OK);
  return c_test_failures;
}

static int double_disconnect_and_query_after(void *arg) {
  tslake_database *db = open_db("double_disconnect");
  tslake_connection *con = NULL;
  tslake_result *res = (tslake_result *)0x1; /* must stay untouched on MISUSE */
  (void)arg;
  CHECK_CODE(tslake_connect(db, &con), TSLAKE_OK);
  CHECK_CODE(tslake_disconnect(con), TSLAKE_OK);
  CHECK_CODE(tslake_disconnect(con), TSLAKE_MISUSE);
  CHECK_CODE(tslake_query(con, "SELECT 1", &res), TSLAKE_MISUSE);
  CHECK(res == (tslake_result *)0x1);
  CHECK_CODE(tslake_interrupt(con), TSLAKE_MISUSE);
  CHECK(tslake_query_progress(con).percentage == -1); /* not live: no reading */
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  return c_test_failures;
}

static int double_destroy_result_and_getters_after(void *arg) {
  tslake_database *db = open_db("double_destroy_result");
  tslake_connection *con = NULL;
  tslake_result *res = NULL;
  (void)arg;
  tslake_connect(db, &con);
  CHECK_CODE(tslake_query(con, "SELECT 42", &res), TSLAKE_OK);
  CHECK_CODE(tslake_result_destroy(res), TSLAKE_OK);
  CHECK_CODE(tslake_result_destroy(res), TSLAKE_MISUSE);
  CHECK_CODE(tslake_result_error_code(res), TSLAKE_MISUSE);
  CHECK(tslake_row_count(res) == 0);
  CHECK(tslake_value_is_null(res, 0, 0) == 1);
  CHECK(tslake_value_text(res, 0, 0) == NULL);
  CHECK_CODE(tslake_disconnect(con), TSLAKE_OK);
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  return c_test_failures;
}

static int close_with_children_is_busy(void *arg) {
  tslake_database *db = open_db("close_busy");
  tslake_connection *con = NULL;
  tslake_appender *app = NULL;
  (void)arg;
  CHECK_CODE(tslake_connect(db, &con), TSLAKE_OK);
  CHECK_CODE(tslake_appender_create(db, "m", NULL, &app, NULL), TSLAKE_OK);
  /* Closing under live children is refused and changes nothing. */
  CHECK_CODE(tslake_close(db), TSLAKE_BUSY);
  CHECK(exec_sql(db, "INSERT INTO m VALUES ('2024-01-01', 'a', 1)") == TSLAKE_OK);
  CHECK_CODE(tslake_append_timestamp(app, 1704067200000000LL), TSLAKE_OK);
  CHECK_CODE(tslake_append_text(app, "b"), TSLAKE_OK);
  CHECK_CODE(tslake_append_double(app, 2), TSLAKE_OK);
  CHECK_CODE(tslake_appender_end_row(app), TSLAKE_OK);
  CHECK_CODE(tslake_disconnect(con), TSLAKE_OK);
  CHECK_CODE(tslake_close(db), TSLAKE_BUSY); /* the appender is still open */
  CHECK_CODE(tslake_appender_destroy(app), TSLAKE_OK); /* commits its row */
  CHECK_CODE(tslake_appender_destroy(app), TSLAKE_MISUSE);
  CHECK(query_int(db, "SELECT count(*) FROM m") == 2);
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  CHECK_CODE(tslake_connect(db, &con), TSLAKE_MISUSE);
  CHECK_CODE(tslake_appender_create(db, "m", NULL, &app, NULL), TSLAKE_MISUSE);
  return c_test_failures;
}

static int prepared_after_disconnect(void *arg) {
  tslake_database *db = open_db("prepared_after_disconnect");
  tslake_connection *con = NULL;
  tslake_prepared *stmt = NULL;
  tslake_result *res = NULL;
  (void)arg;
  tslake_connect(db, &con);
  CHECK_CODE(tslake_prepare(con, "SELECT $1 + 1", &stmt), TSLAKE_OK);
  CHECK_CODE(tslake_disconnect(con), TSLAKE_BUSY); /* the statement holds it */
  CHECK_CODE(tslake_bind_int64(stmt, 1, 41), TSLAKE_OK);
  CHECK_CODE(tslake_execute(stmt, &res), TSLAKE_OK);
  CHECK(tslake_value_int64(res, 0, 0) == 42);
  tslake_result_destroy(res);
  CHECK_CODE(tslake_prepared_destroy(stmt), TSLAKE_OK);
  CHECK_CODE(tslake_prepared_destroy(stmt), TSLAKE_MISUSE);
  res = NULL;
  CHECK_CODE(tslake_execute(stmt, &res), TSLAKE_MISUSE);
  CHECK(res == NULL);
  CHECK_CODE(tslake_bind_int64(stmt, 1, 1), TSLAKE_MISUSE);
  CHECK_CODE(tslake_clear_bindings(stmt), TSLAKE_MISUSE);
  CHECK_CODE(tslake_disconnect(con), TSLAKE_OK);
  CHECK_CODE(tslake_prepare(con, "SELECT 1", &stmt), TSLAKE_MISUSE);
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  return c_test_failures;
}

static int appender_after_close(void *arg) {
  tslake_database *db = open_db("appender_after_close");
  tslake_appender *app = NULL;
  int64_t version = 0;
  tslake_column cols[3];
  int64_t ts = 0;
  const char *tag = "a";
  double value = 1;
  (void)arg;
  CHECK_CODE(tslake_appender_create(db, "m", "gw", &app, NULL), TSLAKE_OK);
  CHECK_CODE(tslake_appender_close(app), TSLAKE_OK);
  CHECK_CODE(tslake_append_timestamp(app, 0), TSLAKE_MISUSE);
  CHECK_CODE(tslake_append_text(app, "a"), TSLAKE_MISUSE);
  CHECK_CODE(tslake_append_double(app, 1), TSLAKE_MISUSE);
  CHECK_CODE(tslake_append_null(app), TSLAKE_MISUSE);
  CHECK_CODE(tslake_append_bool(app, 1), TSLAKE_MISUSE);
  CHECK_CODE(tslake_append_int64(app, 1), TSLAKE_MISUSE);
  CHECK_CODE(tslake_appender_end_row(app), TSLAKE_MISUSE);
  cols[0].type = TSLAKE_TYPE_TIMESTAMP; cols[0].values = &ts; cols[0].valid = NULL;
  cols[1].type = TSLAKE_TYPE_VARCHAR; cols[1].values = &tag; cols[1].valid = NULL;
  cols[2].type = TSLAKE_TYPE_DOUBLE; cols[2].values = &value; cols[2].valid = NULL;
  CHECK_CODE(tslake_append_columns(app, 1, cols, 3), TSLAKE_MISUSE);
  CHECK_CODE(tslake_appender_flush(app, &version), TSLAKE_MISUSE);
  CHECK_CODE(tslake_appender_flush_sequence(app, 3, &version, NULL), TSLAKE_MISUSE);
  CHECK_CODE(tslake_appender_close(app), TSLAKE_MISUSE);
  CHECK(strlen(tslake_appender_error(app)) > 0);
  CHECK_CODE(tslake_appender_destroy(app), TSLAKE_OK);
  CHECK_CODE(tslake_appender_destroy(app), TSLAKE_MISUSE);
  CHECK_CODE(tslake_append_double(app, 1), TSLAKE_MISUSE); /* after destroy: magic */
  CHECK(query_int(db, "SELECT count(*) FROM m") == 0);
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  return c_test_failures;
}

static int misuse_writes_no_out_parameter(void *arg) {
  char *err = (char *)0x1;
  tslake_appender *app = (tslake_appender *)0x1;
  tslake_database *db = open_db("misuse_out");
  (void)arg;
  CHECK_CODE(tslake_open("x", NULL, NULL, &err), TSLAKE_MISUSE);
  CHECK(err == (char *)0x1);
  CHECK_CODE(tslake_appender_create(NULL, "m", NULL, &app, &err), TSLAKE_MISUSE);
  CHECK(err == (char *)0x1 && app == (tslake_appender *)0x1);
  CHECK_CODE(tslake_appender_create(db, NULL, NULL, &app, &err), TSLAKE_MISUSE);
  CHECK(err == (char *)0x1 && app == (tslake_appender *)0x1);
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  return c_test_failures;
}

static int negative_sequences_are_refused_alike(void *arg) {
  tslake_database *db = open_db("negative_sequences");
  tslake_appender *app = NULL;
  int64_t version = 0;
  int already = 7;
  (void)arg;
  CHECK_CODE(tslake_appender_create(db, "m", "gw", &app, NULL), TSLAKE_OK);
  tslake_append_timestamp(app, 1704067200000000LL);
  tslake_append_text(app, "a");
  tslake_append_double(app, 1);
  CHECK_CODE(tslake_appender_end_row(app), TSLAKE_OK);
  CHECK_CODE(tslake_appender_flush_sequence(app, INT64_MIN, &version, &already),
             TSLAKE_INVALID_ARGUMENT);
  CHECK_CODE(tslake_appender_flush_sequence(app, -1, &version, &already),
             TSLAKE_INVALID_ARGUMENT);
  CHECK_CODE(tslake_appender_flush_sequence(app, -5, &version, &already),
             TSLAKE_INVALID_ARGUMENT);
  CHECK(tslake_appender_pending_rows(app) == 1); /* a refused flush keeps the rows */
  CHECK(tslake_appender_last_sequence(app) == -1);
  CHECK_CODE(tslake_appender_flush_sequence(app, 0, &version, &already), TSLAKE_OK);
  CHECK(version >= 0 && already == 0);
  CHECK(tslake_appender_last_sequence(app) == 0);
  tslake_appender_destroy(app);
  CHECK(query_int(db, "SELECT count(*) FROM m") == 1);
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  return c_test_failures;
}

static int never_valid_and_wrong_kind_handles(void *arg) {
  tslake_database *db = open_db("wrong_kind");
  tslake_connection *con = NULL;
  tslake_result *res = NULL;
  int64_t junk[16] = {0};
  (void)arg;
  tslake_connect(db, &con);
  CHECK_CODE(tslake_query(con, "SELECT 1", &res), TSLAKE_OK);
  /* A result passed as a connection, a database as an appender, a pointer
  ** to stack memory as a database: all refused. */
  CHECK_CODE(tslake_query((tslake_connection *)res, "SELECT 1", &res), TSLAKE_MISUSE);
  CHECK_CODE(tslake_appender_flush((tslake_appender *)db, NULL), TSLAKE_MISUSE);
  CHECK_CODE(tslake_close((tslake_database *)junk), TSLAKE_MISUSE);
  CHECK_CODE(tslake_disconnect((tslake_connection *)db), TSLAKE_MISUSE);
  CHECK_CODE(tslake_close((tslake_database *)con), TSLAKE_MISUSE);
  tslake_result_destroy(res);
  CHECK_CODE(tslake_disconnect(con), TSLAKE_OK);
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  return c_test_failures;
}

static int value_text_is_cached_per_cell(void *arg) {
  tslake_database *db = open_db("value_text");
  tslake_connection *con = NULL;
  tslake_result *res = NULL;
  const char *first, *again;
  int i;
  (void)arg;
  tslake_connect(db, &con);
  CHECK_CODE(tslake_query(con, "SELECT TIMESTAMP '2024-01-01 00:00:00', 1.5::DOUBLE", &res),
             TSLAKE_OK);
  first = tslake_value_text(res, 0, 0);
  CHECK(first != NULL && strcmp(first, "2024-01-01 00:00:00") == 0);
  for (i = 0; i < 1000; i++) {
    again = tslake_value_text(res, 0, 0);
    CHECK(again == first);
    if (again != first) break;
  }
  CHECK(tslake_value_text(res, 1, 0) == tslake_value_text(res, 1, 0));
  CHECK(strcmp(tslake_value_text(res, 1, 0), "1.5") == 0);
  tslake_result_destroy(res);
  tslake_disconnect(con);
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  return c_test_failures;
}

static int code_names(void *arg) {
  (void)arg;
  CHECK(strcmp(tslake_code_name(TSLAKE_FULL), "TSLAKE_FULL") == 0);
  CHECK(strcmp(tslake_code_name(TSLAKE_BUSY), "TSLAKE_BUSY") == 0);
  CHECK(strcmp(tslake_code_name(TSLAKE_MISUSE), "TSLAKE_MISUSE") == 0);
  return c_test_failures;
}

/* 8 threads on one appender and one connection. */
#define kThreads 8
#define kBatches 200
#define kBatchRows 10
typedef struct shared_handles {
  tslake_appender *app;
  tslake_connection *con;
  int id;
  int bad_codes;
} shared_handles;

static void *hammer(void *p) {
  shared_handles *h = (shared_handles *)p;
  int64_t ts[kBatchRows];
  const char *tags[kBatchRows];
  double values[kBatchRows];
  tslake_column cols[3];
  int b, r, rc;
  for (b = 0; b < kBatches; b++) {
    for (r = 0; r < kBatchRows; r++) {
      ts[r] = 1704067200000000LL + ((int64_t)h->id * kBatches + b) * kBatchRows + r;
      tags[r] = "shared";
      values[r] = (double)b;
    }
    cols[0].type = TSLAKE_TYPE_TIMESTAMP; cols[0].values = ts; cols[0].valid = NULL;
    cols[1].type = TSLAKE_TYPE_VARCHAR; cols[1].values = tags; cols[1].valid = NULL;
    cols[2].type = TSLAKE_TYPE_DOUBLE; cols[2].values = values; cols[2].valid = NULL;
    if (tslake_append_columns(h->app, kBatchRows, cols, 3) != TSLAKE_OK) h->bad_codes++;
    /* Row at a time too: values of several threads interleave, so end_row
    ** may refuse a row, but every call returns a code. */
    rc = tslake_append_timestamp(h->app, ts[0]);
    if (rc != TSLAKE_OK && rc != TSLAKE_INVALID_ARGUMENT) h->bad_codes++;
    rc = tslake_append_text(h->app, "rowwise");
    if (rc != TSLAKE_OK && rc != TSLAKE_INVALID_ARGUMENT) h->bad_codes++;
    rc = tslake_append_double(h->app, 1.0);
    if (rc != TSLAKE_OK && rc != TSLAKE_INVALID_ARGUMENT) h->bad_codes++;
    rc = tslake_appender_end_row(h->app);
    if (rc != TSLAKE_OK && rc != TSLAKE_INVALID_ARGUMENT) h->bad_codes++;
    if (b % 20 == 0 && tslake_appender_flush(h->app, NULL) != TSLAKE_OK) h->bad_codes++;
    if (b % 50 == 0) {
      tslake_result *res = NULL;
      if (tslake_query(h->con, "SELECT count(*) FROM m", &res) != TSLAKE_OK) h->bad_codes++;
      tslake_result_destroy(res);
    }
  }
  return NULL;
}

static int eight_threads_share_one_appender(void *arg) {
  tslake_database *db = open_db("threads");
  tslake_appender *app = NULL;
  tslake_connection *con = NULL;
  pthread_t threads[kThreads];
  shared_handles h[kThreads];
  int i;
  (void)arg;
  CHECK_CODE(tslake_appender_create(db, "m", NULL, &app, NULL), TSLAKE_OK);
  CHECK_CODE(tslake_connect(db, &con), TSLAKE_OK);
  for (i = 0; i < kThreads; i++) {
    h[i].app = app;
    h[i].con = con;
    h[i].id = i;
    h[i].bad_codes = 0;
    pthread_create(&threads[i], NULL, hammer, &h[i]);
  }
  for (i = 0; i < kThreads; i++) {
    pthread_join(threads[i], NULL);
    CHECK(h[i].bad_codes == 0);
  }
  CHECK_CODE(tslake_appender_close(app), TSLAKE_OK);
  tslake_appender_destroy(app);
  tslake_disconnect(con);
  /* Every batch is in, once. */
  CHECK(query_int(db, "SELECT count(*) FROM m WHERE tag = 'shared'") ==
        (int64_t)kThreads * kBatches * kBatchRows);
  CHECK(query_int(db, "SELECT count(DISTINCT ts) FROM m WHERE tag = 'shared'") ==
        (int64_t)kThreads * kBatches * kBatchRows);
  CHECK(query_int(db, "SELECT count(*) FROM m WHERE tag = 'rowwise' AND value <> 1.0") == 0);
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  return c_test_failures;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: misuse_test SCRATCH_DIR\n");
    return 2;
  }
  scratch = argv[1];
  fork_case("double close", double_close, NULL);
  fork_case("double disconnect, query and interrupt after disconnect",
            double_disconnect_and_query_after, NULL);
  fork_case("double result destroy, getters after destroy",
            double_destroy_result_and_getters_after, NULL);
  fork_case("close with a connection or appender open is BUSY; destroy after",
            close_with_children_is_busy, NULL);
  fork_case("prepared statement outlives disconnect attempt; execute after destroy",
            prepared_after_disconnect, NULL);
  fork_case("append/flush/close after appender_close", appender_after_close, NULL);
  fork_case("MISUSE writes no out-parameter", misuse_writes_no_out_parameter, NULL);
  fork_case("every negative sequence is refused alike", negative_sequences_are_refused_alike,
            NULL);
  fork_case("never-valid and wrong-kind handles", never_valid_and_wrong_kind_handles, NULL);
  fork_case("value_text is formatted once per cell", value_text_is_cached_per_cell, NULL);
  fork_case("code names", code_names, NULL);
  fork_case("8 threads share one appender and connection", eight_threads_share_one_appender,
            NULL);
  return c_test_finish("misuse_test");
}
