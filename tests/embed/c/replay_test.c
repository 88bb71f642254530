/*
** replay_test.c: exactly-once replay after SIGKILL (issue 23 item 1).
**
** A child process plays a gateway: it opens the database, asks its appender
** for last_sequence (the newest batch committed under app id "gw"), and
** sends batches last_sequence + 1, + 2, ... each as flush_sequence(s), with
** a partial batch appended but not flushed now and then; the parent kills
** it with SIGKILL at a random moment. After each kill the parent checks
** the table holds exactly batches 0..last_sequence, each whole and once:
** a batch after last_sequence in the table would be stored twice by the
** documented replay, a batch missing below it would be lost.
**
** Round 0 is the deterministic case: batch 0 flushed as sequence
** 0, batch 1 appended without a flush, 300 ms of waiting (the SYNC_NORMAL
** committer runs meanwhile), SIGKILL: batch 1 must not be in the table.
**
** Usage: replay_test DBDIR full|normal ROUNDS [SEED]
*/
#include "c_test.h"

#define kTag "gw"

static int normal_mode;

/* Batch s has rows_of(s) rows, (ts = s * 1000000 + i, tag, value = s). */
static int rows_of(int64_t s) { return 1 + (int)((s * 7919) % 97) * 10; }

static int append_batch(tslake_appender *app, int64_t s, int rows) {
  int i;
  for (i = 0; i < rows; i++) {
    if (tslake_append_timestamp(app, 1704067200000000LL + s * 1000000 + i) != TSLAKE_OK ||
        tslake_append_text(app, "pump") != TSLAKE_OK ||
        tslake_append_double(app, (double)s) != TSLAKE_OK ||
        tslake_appender_end_row(app) != TSLAKE_OK)
      return 1;
  }
  return 0;
}

static tslake_database *open_db(const char *path) {
  tslake_options o;
  tslake_database *db = NULL;
  char *err = NULL;
  tslake_options_init(&o);
  o.sync_mode = normal_mode ? TSLAKE_SYNC_NORMAL : TSLAKE_SYNC_FULL;
  o.sync_interval_ms = 20;
  if (tslake_open(path, &o, &db, &err) != TSLAKE_OK) {
    fprintf(stderr, "open %s: %s\n", path, err ? err : "?");
    tslake_free(err);
    return NULL;
  }
  return db;
}

/* The gateway: never returns; killed by the parent. */
static void run_gateway(const char *path, unsigned seed, int deterministic) {
  tslake_database *db = open_db(path);
  tslake_appender *app = NULL;
  int64_t s;
  if (!db || tslake_appender_create(db, "m", kTag, &app, NULL) != TSLAKE_OK) _exit(3);
  if (deterministic) {
    if (append_batch(app, 0, rows_of(0)) ||
        tslake_appender_flush_sequence(app, 0, NULL, NULL) != TSLAKE_OK ||
        append_batch(app, 1, rows_of(1)))
      _exit(4);
    for (;;) pause();
  }
  srand(seed);
  for (s = tslake_appender_last_sequence(app) + 1;; s++) {
    int rows = rows_of(s);
    if (rand() % 4 == 0) {
      /* Half a batch, a pause while the committer runs, then the rest. */
      if (append_batch(app, s, rows / 2)) _exit(5);
      sleep_ms(rand() % 30);
      /* append_batch restarts at row 0: send the second half by hand. */
      {
        int i;
        for (i = rows / 2; i < rows; i++) {
          if (tslake_append_timestamp(app, 1704067200000000LL + s * 1000000 + i) != TSLAKE_OK ||
              tslake_append_text(app, "pump") != TSLAKE_OK ||
              tslake_append_double(app, (double)s) != TSLAKE_OK ||
              tslake_appender_end_row(app) != TSLAKE_OK)
            _exit(5);
        }
      }
    } else if (append_batch(app, s, rows)) {
      _exit(5);
    }
    if (tslake_appender_flush_sequence(app, s, NULL, NULL) != TSLAKE_OK) {
      fprintf(stderr, "flush_sequence(%" PRId64 "): %s\n", s, tslake_appender_error(app));
      _exit(6);
    }
    if (rand() % 3 == 0) sleep_ms(rand() % 15);
  }
}

/* Checks the table against last_sequence; 0 when exactly-once holds. */
static int verify(const char *path, int round, int64_t *out_last) {
  tslake_database *db = open_db(path);
  tslake_appender *app = NULL;
  int64_t last, want = 0, s, count, distinct, max_seq, bad;
  char sql[256];
  int failures = c_test_failures;
  if (!db) return 1;
  CHECK_CODE(tslake_appender_create(db, "m", kTag, &app, NULL), TSLAKE_OK);
  last = tslake_appender_last_sequence(app);
  CHECK_CODE(tslake_appender_destroy(app), TSLAKE_OK); /* no rows: commits nothing */
  for (s = 0; s <= last; s++) want += rows_of(s);
  count = query_int(db, "SELECT count(*) FROM m");
  distinct = query_int(db, "SELECT count(DISTINCT ts) FROM m");
  max_seq = query_int(db, "SELECT coalesce(max(value), -1)::BIGINT FROM m");
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM (SELECT value, count(*) AS n FROM m GROUP BY value) "
           "WHERE n <> 1 + ((value::BIGINT * 7919) %% 97) * 10");
  bad = query_int(db, sql);
  if (count != want || distinct != count || max_seq != last || bad != 0) {
    fprintf(stderr,
            "round %d: last_sequence %" PRId64 ": table has %" PRId64 " rows (%" PRId64
            " distinct), want %" PRId64 "; newest batch in the table %" PRId64
            "; %" PRId64 " batches of the wrong size\n",
            round, last, count, distinct, want, max_seq, bad);
    c_test_failures++;
  }
  CHECK_CODE(tslake_close(db), TSLAKE_OK);
  *out_last = last;
  return c_test_failures != failures;
}

int main(int argc, char **argv) {
  const char *path;
  int rounds, round;
  unsigned seed;
  int64_t last = -1, replays = 0;
  tslake_database *db;
  if (argc < 4) {
    fprintf(stderr, "usage: replay_test DBDIR full|normal ROUNDS [SEED]\n");
    return 2;
  }
  path = argv[1];
  normal_mode = strcmp(argv[2], "normal") == 0;
  rounds = atoi(argv[3]);
  seed = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : (unsigned)time(NULL);
  printf("replay_test: %s, %d rounds, seed %u\n", argv[2], rounds, seed);
  srand(seed);

  db = open_db(path);
  if (!db || exec_sql(db, "CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE)") != 0) return 1;
  tslake_close(db);

  for (round = 0; round < rounds; round++) {
    int status;
    int deterministic = round == 0;
    unsigned child_seed = (unsigned)rand();
    int run_ms = deterministic ? 300 : 5 + rand() % 300;
    pid_t pid;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0) run_gateway(path, child_seed, deterministic);
    sleep_ms(run_ms);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
      fprintf(stderr, "round %d: the gateway stopped by itself (status %d)\n", round, status);
      c_test_failures++;
      break;
    }
    if (verify(path, round, &last)) break;
    if (deterministic && last != 0) {
      fprintf(stderr, "round 0: last_sequence %" PRId64 ", want 0\n", last);
      c_test_failures++;
    }
    replays++;
  }
  printf("replay_test: %" PRId64 " kill rounds verified, last_sequence %" PRId64 "\n", replays,
         last);
  return c_test_finish("replay_test");
}
