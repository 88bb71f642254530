/*
** gateway.c: an edge gateway embedding tslake through the C API.
**
** One thread appends `--rate` points per second spread over `--tags` tags
** (column batches every 10 ms, a flush every 100 ms, SyncMode normal so
** commits are grouped once a second); another thread runs a windowed
** aggregate over the last 10 seconds every `--query-ms` milliseconds with a
** prepared statement. At the end it checks that every appended point is in
** the table and prints a summary. Exit status 0 on success, 1 on any error.
**
** The edge soak (bench/soak.sh) adds what a gateway left alone for years
** needs: `--rollup '1 minute'` keeps a continuous aggregate of the points,
** `--retention '45 seconds'` drops older raw points (the rollup keeps them),
** `--maintenance-ms MS` turns on background maintenance (compaction,
** checkpoints, retention, VACUUM after `--deleted-file-retention`), and the
** summary then also gives the p99 and worst wait of the writer's flushes.
**
**   cc -std=c99 gateway.c $(pkg-config --cflags --libs --static tslake) -o gateway
**   ./gateway /tmp/gw.db --tags 1000 --rate 100000 --seconds 60
**
** Plain C99 plus POSIX threads and clocks.
*/
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tslake/tslake.h>

typedef struct gateway_config {
  const char *path;
  int tags;
  int64_t rate;        /* points per second */
  double seconds;      /* how long to run */
  int query_ms;        /* pause between windowed queries */
  int64_t memory_limit;
  int64_t sync_interval_ms; /* commit interval = loss window */
  int64_t maintenance_ms;   /* background maintenance interval; 0 = off */
  const char *rollup;       /* continuous aggregate bucket width, or NULL */
  const char *retention;    /* raw points' retention, or NULL */
  const char *deleted_file_retention; /* how long VACUUM keeps unneeded files */
} gateway_config;

typedef struct gateway_state {
  gateway_config cfg;
  tslake_database *db;
  int stop;            /* set by main after cfg.seconds; read by both threads */
  pthread_mutex_t mu;  /* guards stop, failed and appended */
  int failed;
  int64_t appended;
  int64_t flushes;
  int64_t queries;
  int64_t last_window_points;
  double max_query_ms;
  double append_seconds; /* the writer's appending span, before its final commit */
  double close_seconds;  /* the final commit at close */
  double max_lag_ms;     /* worst time the writer was behind its schedule */
  double *flush_ms;      /* each flush's wait, the first max_flushes of them */
  int64_t max_flushes;
} gateway_state;

static int64_t now_micros(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static double monotonic_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(int ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (long)(ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

static int should_stop(gateway_state *s) {
  int stop;
  pthread_mutex_lock(&s->mu);
  stop = s->stop || s->failed;
  pthread_mutex_unlock(&s->mu);
  return stop;
}

static void fail(gateway_state *s, const char *what, const char *message) {
  fprintf(stderr, "gateway: %s: %s\n", what, message);
  pthread_mutex_lock(&s->mu);
  s->failed = 1;
  pthread_mutex_unlock(&s->mu);
}

static void *writer_main(void *arg) {
  gateway_state *s = (gateway_state *)arg;
  const int tags = s->cfg.tags;
  const int64_t max_batch = s->cfg.rate / 10 + tags + 1; /* > 100 ms of points: catches up a slow tick */
  char **tag_names = calloc((size_t)tags, sizeof *tag_names);
  int64_t *ts = malloc((size_t)max_batch * sizeof *ts);
  const char **tag_col = malloc((size_t)max_batch * sizeof *tag_col);
  double *value = malloc((size_t)max_batch * sizeof *value);
  int64_t *quality = malloc((size_t)max_batch * sizeof *quality);
  tslake_appender *app = NULL;
  char *err = NULL;
  int64_t sent = 0, next_tag = 0;
  double start, last_flush, last_tick, closing;
  int i;

  if (!tag_names || !ts || !tag_col || !value || !quality) {
    fail(s, "writer", "out of memory");
    goto done;
  }
  for (i = 0; i < tags; i++) {
    tag_names[i] = malloc(48);
    if (!tag_names[i]) {
      fail(s, "writer", "out of memory");
      goto done;
    }
    snprintf(tag_names[i], 48, "Plant1/Line%d/TT-%04d.PV", i % 16, i);
  }
  if (tslake_appender_create(s->db, "points", "gateway", &app, &err) != TSLAKE_OK) {
    fail(s, "appender", err);
    tslake_free(err);
    goto done;
  }
  start = last_flush = last_tick = monotonic_seconds();
  while (!should_stop(s)) {
    double now = monotonic_seconds();
    int64_t due = (int64_t)((now - start) * (double)s->cfg.rate) - sent;
    int64_t stamp = now_micros();
    int64_t n;
    last_tick = now;
    if ((double)due * 1000.0 / (double)s->cfg.rate > s->max_lag_ms)
      s->max_lag_ms = (double)due * 1000.0 / (double)s->cfg.rate;
    if (due > max_batch) due = max_batch; /* fell behind: catch up over several ticks */
    for (n = 0; n < due; n++) {
      int64_t tag = next_tag++ % tags;
      ts[n] = stamp;
      tag_col[n] = tag_names[tag];
      value[n] = 50.0 + 10.0 * sin((double)(sent + n) / 1000.0 + (double)tag);
      quality[n] = 192;
    }
    if (due > 0) {
      tslake_column cols[4];
      cols[0].type = TSLAKE_TYPE_TIMESTAMP; cols[0].values = ts; cols[0].valid = NULL;
      cols[1].type = TSLAKE_TYPE_VARCHAR; cols[1].values = tag_col; cols[1].valid = NULL;
      cols[2].type = TSLAKE_TYPE_DOUBLE; cols[2].values = value; cols[2].valid = NULL;
      cols[3].type = TSLAKE_TYPE_INTEGER; cols[3].values = quality; cols[3].valid = NULL;
      if (tslake_append_columns(app, due, cols, 4) != TSLAKE_OK) {
        fail(s, "append", tslake_appender_error(app));
        break;
      }
      sent += due;
    }
    if (now - last_flush >= 0.1) {
      double t0 = monotonic_seconds();
      if (tslake_appender_flush(app, NULL) != TSLAKE_OK) {
        fail(s, "flush", tslake_appender_error(app));
        break;
      }
      if (s->flushes < s->max_flushes) s->flush_ms[s->flushes] = (monotonic_seconds() - t0) * 1000.0;
      s->flushes++;
      last_flush = now;
    }
    sleep_ms(10);
  }
  /* Close commits what is still pending and reports a deferred failure. */
  /* Points due by the last tick were appended by then (when keeping up). */
  s->append_seconds = last_tick - start;
  closing = monotonic_seconds();
  if (app && tslake_appender_close(app) != TSLAKE_OK) fail(s, "close", tslake_appender_error(app));
  s->close_seconds = monotonic_seconds() - closing;
done:
  tslake_appender_destroy(app);
  pthread_mutex_lock(&s->mu);
  s->appended = sent;
  pthread_mutex_unlock(&s->mu);
  if (tag_names)
    for (i = 0; i < tags; i++) free(tag_names[i]);
  free(tag_names);
  free(ts);
  free(tag_col);
  free(value);
  free(quality);
  return NULL;
}

static void *reader_main(void *arg) {
  gateway_state *s = (gateway_state *)arg;
  tslake_connection *con = NULL;
  tslake_prepared *stmt = NULL;
  int waited;
  if (tslake_connect(s->db, &con) != TSLAKE_OK) {
    fail(s, "connect", "cannot connect");
    return NULL;
  }
  if (tslake_prepare(con,
                     "SELECT tag, time_bucket(INTERVAL '1 second', ts) AS second, avg(value), count(*) "
                     "FROM points WHERE ts >= $1 GROUP BY tag, second",
                     &stmt) != TSLAKE_OK) {
    fail(s, "prepare", tslake_prepared_error(stmt));
  }
  while (!should_stop(s)) {
    tslake_result *res = NULL;
    double t0 = monotonic_seconds(), ms;
    int64_t r, points = 0;
    tslake_bind_timestamp(stmt, 1, now_micros() - 10 * 1000000); /* the last 10 s */
    if (tslake_execute(stmt, &res) != TSLAKE_OK) {
      fail(s, "windowed query", tslake_result_error(res));
      tslake_result_destroy(res);
      break;
    }
    for (r = 0; r < tslake_row_count(res); r++) points += tslake_value_int64(res, 3, r);
    tslake_result_destroy(res);
    ms = (monotonic_seconds() - t0) * 1000.0;
    s->queries++;
    s->last_window_points = points;
    if (ms > s->max_query_ms) s->max_query_ms = ms;
    for (waited = 0; waited < s->cfg.query_ms && !should_stop(s); waited += 50)
      sleep_ms(s->cfg.query_ms - waited < 50 ? s->cfg.query_ms - waited : 50);
  }
  tslake_prepared_destroy(stmt);
  tslake_disconnect(con);
  return NULL;
}

static int parse_args(int argc, char **argv, gateway_config *cfg) {
  int i;
  cfg->path = NULL;
  cfg->tags = 1000;
  cfg->rate = 100000;
  cfg->seconds = 10;
  cfg->query_ms = 500;
  cfg->memory_limit = 16 << 20; /* an appender spills past 4 MiB */
  cfg->sync_interval_ms = 1000;
  cfg->maintenance_ms = 0;
  cfg->rollup = NULL;
  cfg->retention = NULL;
  cfg->deleted_file_retention = NULL;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (a[0] != '-') {
      cfg->path = a;
      continue;
    }
    if (!v) return 0;
    if (strcmp(a, "--tags") == 0) cfg->tags = atoi(v);
    else if (strcmp(a, "--rate") == 0) cfg->rate = atoll(v);
    else if (strcmp(a, "--seconds") == 0) cfg->seconds = atof(v);
    else if (strcmp(a, "--query-ms") == 0) cfg->query_ms = atoi(v);
    else if (strcmp(a, "--memory-limit-mb") == 0) cfg->memory_limit = atoll(v) << 20;
    else if (strcmp(a, "--sync-interval-ms") == 0) cfg->sync_interval_ms = atoll(v);
    else if (strcmp(a, "--maintenance-ms") == 0) cfg->maintenance_ms = atoll(v);
    else if (strcmp(a, "--rollup") == 0) cfg->rollup = v;
    else if (strcmp(a, "--retention") == 0) cfg->retention = v;
    else if (strcmp(a, "--deleted-file-retention") == 0) cfg->deleted_file_retention = v;
    else return 0;
    i++;
  }
  return cfg->path && cfg->tags > 0 && cfg->rate > 0 && cfg->seconds > 0 && cfg->query_ms >= 0 &&
         cfg->maintenance_ms >= 0;
}

/* Runs one statement; 0 and a message on stderr when it fails. */
static int run_sql(tslake_connection *con, const char *sql) {
  tslake_result *res = NULL;
  int ok = tslake_query(con, sql, &res) == TSLAKE_OK;
  if (!ok) fprintf(stderr, "gateway: %s: %s\n", sql, tslake_result_error(res));
  tslake_result_destroy(res);
  return ok;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  gateway_state s;
  tslake_config *config = NULL;
  char number[32], sql[512];
  tslake_connection *con = NULL;
  tslake_result *res = NULL;
  pthread_t writer, reader;
  char *err = NULL;
  double start, elapsed, p99_flush = 0, max_flush = 0;
  int64_t stored, gained, measured;

  memset(&s, 0, sizeof s);
  if (!parse_args(argc, argv, &s.cfg)) {
    fprintf(stderr,
            "usage: gateway DBDIR [--tags N] [--rate POINTS_PER_S] [--seconds S] [--query-ms MS]"
            " [--memory-limit-mb MB] [--sync-interval-ms MS] [--maintenance-ms MS]"
            " [--rollup INTERVAL] [--retention INTERVAL] [--deleted-file-retention INTERVAL]\n");
    return 2;
  }
  pthread_mutex_init(&s.mu, NULL);
  s.max_flushes = (int64_t)(s.cfg.seconds * 10) + 100;
  s.flush_ms = malloc((size_t)s.max_flushes * sizeof *s.flush_ms);
  if (!s.flush_ms || tslake_config_create(&config) != TSLAKE_OK) {
    fprintf(stderr, "gateway: out of memory\n");
    return 1;
  }
  /* group commit; loss window sync_interval_ms */
  tslake_config_set(config, "sync_mode", "normal");
  snprintf(number, sizeof number, "%lld", (long long)s.cfg.sync_interval_ms);
  tslake_config_set(config, "sync_interval_ms", number);
  snprintf(number, sizeof number, "%lld", (long long)s.cfg.memory_limit);
  tslake_config_set(config, "memory_limit", number);
  if (s.cfg.maintenance_ms > 0) {
    tslake_config_set(config, "auto_maintenance", "true");
    snprintf(number, sizeof number, "%lld", (long long)s.cfg.maintenance_ms);
    tslake_config_set(config, "maintenance_interval_ms", number);
  }
  if (tslake_open_ext(s.cfg.path, config, &s.db, &err) != TSLAKE_OK) {
    fprintf(stderr, "gateway: open %s: %s\n", s.cfg.path, err);
    tslake_free(err);
    return 1;
  }
  tslake_config_destroy(config);
  tslake_connect(s.db, &con);
  if (tslake_query(con,
                   "CREATE TABLE IF NOT EXISTS points (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER)",
                   &res) != TSLAKE_OK) {
    fprintf(stderr, "gateway: create table: %s\n", tslake_result_error(res));
    return 1;
  }
  tslake_result_destroy(res);
  if (s.cfg.rollup) {
    snprintf(sql, sizeof sql,
             "CREATE MATERIALIZED VIEW IF NOT EXISTS points_rollup AS SELECT time_bucket(INTERVAL '%s', ts) "
             "AS bucket, tag, avg(value) AS avg_value, min(value) AS min_value, max(value) AS max_value, "
             "count(*) AS points FROM points GROUP BY ALL",
             s.cfg.rollup);
    if (!run_sql(con, sql)) return 1;
  }
  if (s.cfg.retention) {
    snprintf(sql, sizeof sql, "ALTER TABLE points SET (retention = '%s')", s.cfg.retention);
    if (!run_sql(con, sql)) return 1;
  }
  if (s.cfg.deleted_file_retention) {
    snprintf(sql, sizeof sql, "ALTER TABLE points SET (deleted_file_retention = '%s')",
             s.cfg.deleted_file_retention);
    if (!run_sql(con, sql)) return 1;
    if (s.cfg.rollup) {
      snprintf(sql, sizeof sql, "ALTER TABLE points_rollup SET (deleted_file_retention = '%s')",
               s.cfg.deleted_file_retention);
      if (!run_sql(con, sql)) return 1;
    }
  }
  tslake_query(con, "SELECT count(*) FROM points", &res);
  stored = tslake_value_int64(res, 0, 0); /* points from earlier runs */
  tslake_result_destroy(res);

  start = monotonic_seconds();
  pthread_create(&writer, NULL, writer_main, &s);
  pthread_create(&reader, NULL, reader_main, &s);
  while (monotonic_seconds() - start < s.cfg.seconds && !should_stop(&s)) sleep_ms(50);
  pthread_mutex_lock(&s.mu);
  s.stop = 1;
  pthread_mutex_unlock(&s.mu);
  pthread_join(writer, NULL);
  pthread_join(reader, NULL);
  elapsed = monotonic_seconds() - start;

  if (tslake_query(con, "SELECT count(*) FROM points", &res) != TSLAKE_OK) {
    fprintf(stderr, "gateway: final count: %s\n", tslake_result_error(res));
    s.failed = 1;
  } else if ((gained = tslake_value_int64(res, 0, 0) - stored) != s.appended &&
             !(s.cfg.retention && gained <= s.appended)) {
    /* retention may have dropped the oldest points, never added any */
    fprintf(stderr, "gateway: appended %lld points but the table gained %lld\n", (long long)s.appended,
            (long long)gained);
    s.failed = 1;
  }
  tslake_result_destroy(res);
  if (s.cfg.rollup) {
    /* Every appended point is counted in the rollup, retention or not. */
    tslake_query(con, "SELECT sum(points) FROM points_rollup", &res);
    if (tslake_value_int64(res, 0, 0) < s.appended) {
      fprintf(stderr, "gateway: the rollup counts %lld points of %lld appended\n",
              (long long)tslake_value_int64(res, 0, 0), (long long)s.appended);
      s.failed = 1;
    }
    tslake_result_destroy(res);
  }
  tslake_query(con, "SELECT count(*) FROM points", &res);
  printf("gateway: points stored at the end: %lld\n", (long long)tslake_value_int64(res, 0, 0));
  tslake_result_destroy(res);
  measured = s.flushes < s.max_flushes ? s.flushes : s.max_flushes;
  if (measured > 0) {
    qsort(s.flush_ms, (size_t)measured, sizeof *s.flush_ms, compare_doubles);
    p99_flush = s.flush_ms[(measured * 99) / 100 < measured ? (measured * 99) / 100 : measured - 1];
    max_flush = s.flush_ms[measured - 1];
  }
  tslake_disconnect(con);
  tslake_close(s.db);
  pthread_mutex_destroy(&s.mu);
  free(s.flush_ms);

  /* The rate is over the writer's appending span; the final commit at close
     and joining the query thread are reported apart (elapsed, close). */
  printf("gateway: %lld points over %d tags in %.1f s of appending (%.0f points/s, at most %.0f ms "
         "behind schedule), %lld flushes, final commit %.2f s, %.1f s in all; "
         "%lld windowed queries (max %.1f ms, last window %lld points); flush wait p99 %.2f ms, "
         "max %.2f ms%s\n",
         (long long)s.appended, s.cfg.tags, s.append_seconds,
         s.append_seconds > 0 ? (double)s.appended / s.append_seconds : 0.0, s.max_lag_ms,
         (long long)s.flushes, s.close_seconds, elapsed, (long long)s.queries, s.max_query_ms,
         (long long)s.last_window_points, p99_flush, max_flush, s.failed ? " FAILED" : "");
  return s.failed ? 1 : 0;
}
