/*
** c_test.h: the small harness of the C tests in tests/embed/c, which are
** built against the installed package only (tests/embed/install_test.sh):
** CHECK macros that count failures, a query helper, and fork_case(), which
** runs one case in a child process so that a crash is a failed case, not a
** dead test program.
*/
#ifndef TSLAKE_C_TEST_H
#define TSLAKE_C_TEST_H

#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <tslake/tslake.h>

static int c_test_failures = 0;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      c_test_failures++;                                                   \
    }                                                                      \
  } while (0)

#define CHECK_CODE(expr, want)                                                       \
  do {                                                                               \
    int got_ = (expr);                                                               \
    if (got_ != (want)) {                                                            \
      fprintf(stderr, "%s:%d: %s returned %s, want %s\n", __FILE__, __LINE__, #expr, \
              tslake_code_name(got_), tslake_code_name(want));                      \
      c_test_failures++;                                                             \
    }                                                                                \
  } while (0)

/* Runs `sql` and returns the first column of its first row as int64 (-1 on
** error, printed). */
static inline int64_t query_int(tslake_database *db, const char *sql) {
  tslake_connection *con = NULL;
  tslake_result *res = NULL;
  int64_t v = -1;
  if (tslake_connect(db, &con) != TSLAKE_OK) return -1;
  if (tslake_query(con, sql, &res) == TSLAKE_OK && tslake_row_count(res) > 0) {
    v = tslake_value_is_null(res, 0, 0) ? -2 : tslake_value_int64(res, 0, 0);
  } else {
    fprintf(stderr, "query failed: %s: %s\n", sql, res ? tslake_result_error(res) : "?");
  }
  tslake_result_destroy(res);
  tslake_disconnect(con);
  return v;
}

static inline int exec_sql(tslake_database *db, const char *sql) {
  tslake_connection *con = NULL;
  tslake_result *res = NULL;
  int rc;
  if (tslake_connect(db, &con) != TSLAKE_OK) return -1;
  rc = tslake_query(con, sql, &res);
  if (rc != TSLAKE_OK) fprintf(stderr, "%s: %s\n", sql, tslake_result_error(res));
  tslake_result_destroy(res);
  tslake_disconnect(con);
  return rc;
}

static inline void sleep_ms(int ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

/* Runs fn(arg) in a child; the case passes when the child exits 0. A
** signal (a crash) or another exit status fails it. */
static inline int fork_case(const char *name, int (*fn)(void *), void *arg) {
  int status = 0;
  pid_t pid;
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  if (pid == 0) _exit(fn(arg) == 0 ? 0 : 1);
  if (pid < 0 || waitpid(pid, &status, 0) != pid) {
    fprintf(stderr, "%s: fork/wait failed\n", name);
    c_test_failures++;
    return 1;
  }
  if (WIFSIGNALED(status)) {
    fprintf(stderr, "%s: the child died of signal %d\n", name, WTERMSIG(status));
    c_test_failures++;
    return 1;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "%s: failed\n", name);
    c_test_failures++;
    return 1;
  }
  printf("  ok  %s\n", name);
  return 0;
}

/* Prints the outcome; the exit status of the test program. */
static inline int c_test_finish(const char *program) {
  if (c_test_failures == 0) printf("%s: ok\n", program);
  else printf("%s: FAILED (%d failed checks or cases)\n", program, c_test_failures);
  return c_test_failures == 0 ? 0 : 1;
}

#endif /* TSLAKE_C_TEST_H */
