/*
** tslake C API.
**
** An embedded, crash-safe, columnar time-series store with DuckDB's SQL,
** callable from C (C99 or later) and any language with a C FFI. The C API
** wraps the C++ API of tslake.hpp; no C++ exception ever crosses it (an
** unexpected one is caught and reported as TSLAKE_INTERNAL, an allocation
** failure as TSLAKE_NOMEM).
**
**   tslake_database *db;
**   tslake_connection *con;
**   tslake_result *res;
**   char *err = NULL;
**   if (tslake_open("plant.db", NULL, &db, &err) != TSLAKE_OK) {
**     fprintf(stderr, "%s\n", err); tslake_free(err); return 1;
**   }
**   tslake_connect(db, &con);
**   if (tslake_query(con, "SELECT tag, avg(value) FROM m GROUP BY tag", &res) != TSLAKE_OK)
**     fprintf(stderr, "%s\n", tslake_result_error(res));
**   for (int64_t r = 0; r < tslake_row_count(res); r++)
**     printf("%s %f\n", tslake_value_text(res, 0, r), tslake_value_double(res, 1, r));
**   tslake_result_destroy(res);
**   tslake_disconnect(con);
**   tslake_close(db);
**
** Conventions, for every function below unless it says otherwise:
**  - Functions that can fail return a tslake_code: TSLAKE_OK on success.
**    TSLAKE_MISUSE means the call was misused and did nothing (no
**    out-parameter was written): a required pointer argument was NULL, or
**    a handle is not live (already closed/disconnected/destroyed, of the
**    wrong kind, or an appender after tslake_appender_close).
**  - Objects are opaque handles. Whoever receives a handle from an
**    open/connect/query/prepare/appender_create function owns it and must
**    release it with the matching close/disconnect/destroy function.
**    Passing NULL to a release function is a no-op (TSLAKE_OK).
**  - Handle safety (as SQLite's sqlite3SafetyCheckOk): every handle carries
**    a magic number and live handles are registered, so using a handle
**    after releasing it, or releasing it twice, returns TSLAKE_MISUSE
**    instead of crashing. The per-value calls (tslake_append_* other than
**    tslake_append_columns, tslake_appender_end_row, and the result
**    getters) check only the magic: a released handle's memory is kept
**    recognizable for the next 1024 released handles, after which such a
**    stale pointer is undefined behaviour as in any C library.
**  - Lifetimes nest: a database outlives its connections and appenders;
**    a connection outlives its prepared statements. Releasing a parent
**    that still has children returns TSLAKE_BUSY and changes nothing
**    (release the children, then retry). A result is independent of its
**    connection and database once returned.
**  - Strings passed in are NUL-terminated UTF-8 and are copied; the caller
**    keeps ownership. Strings returned as `const char*` belong to the
**    handle they came from (see each function for how long they live).
**  - Thread-safety: a tslake_database may be used from several threads at
**    once. A connection, prepared statement, appender or result is meant
**    for one thread at a time (use one connection per thread); when one is
**    shared anyway, its calls are serialized by a mutex (a release waits
**    for the call in flight), so the library's state is never corrupted.
**    An appender shared by threads that build rows value by value
**    interleaves their values: share one only with tslake_append_columns,
**    or lock around each row. tslake_interrupt may be called from any
**    thread while a query runs.
**  - Timestamps are int64_t microseconds since 1970-01-01 00:00:00 UTC.
*/
#ifndef TSLAKE_H
#define TSLAKE_H

#include <stddef.h>
#include <stdint.h>

/* Marks the public API: exported from a shared object that links
** libtslake.a, which is built with hidden visibility for everything else. */
#ifndef TSLAKE_API
#if defined(__GNUC__) || defined(__clang__)
#define TSLAKE_API __attribute__((visibility("default")))
#else
#define TSLAKE_API
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes. 0..11 mirror tslake::ErrorCode of the C++ API. */
typedef enum tslake_code {
  TSLAKE_OK = 0,
  TSLAKE_INVALID_ARGUMENT = 1, /* bad SQL, value, option or argument */
  TSLAKE_NOT_FOUND = 2,        /* a named table, column, file or version is absent */
  TSLAKE_CORRUPTION = 3,       /* stored bytes failed a check */
  TSLAKE_IO_ERROR = 4,         /* the operating system refused an I/O call (not a full disk) */
  TSLAKE_CONFLICT = 5,         /* a commit lost the race for a table version */
  TSLAKE_ALREADY_EXISTS = 6,   /* create of something that exists */
  TSLAKE_NOT_SUPPORTED = 7,    /* a valid request tslake does not implement */
  TSLAKE_CANCELLED = 8,        /* stopped by tslake_interrupt */
  TSLAKE_INTERNAL = 9,         /* a bug in tslake */
  TSLAKE_OUT_OF_MEMORY = 10,   /* the database's memory_limit would be exceeded */
  TSLAKE_FULL = 11,            /* the disk or quota is full (ENOSPC, EDQUOT) */
  TSLAKE_MISUSE = 21,          /* NULL argument, or a handle that is not live */
  TSLAKE_NOMEM = 22,           /* the process ran out of memory */
  TSLAKE_BUSY = 23             /* a release of a handle with live children */
} tslake_code;

/* Column types. Values match tslake::Type of the C++ API. */
typedef enum tslake_type {
  TSLAKE_TYPE_NULL = 0,
  TSLAKE_TYPE_BOOLEAN = 1,
  TSLAKE_TYPE_INTEGER = 2,   /* 32-bit */
  TSLAKE_TYPE_BIGINT = 3,    /* 64-bit */
  TSLAKE_TYPE_DOUBLE = 4,
  TSLAKE_TYPE_VARCHAR = 5,
  TSLAKE_TYPE_TIMESTAMP = 6, /* microseconds since the epoch, UTC */
  TSLAKE_TYPE_INTERVAL = 7,  /* microseconds */
  TSLAKE_TYPE_DATE = 8,      /* days since 1970-01-01 */
  TSLAKE_TYPE_TIMESTAMPTZ = 9 /* TIMESTAMP WITH TIME ZONE: microseconds since the epoch, UTC */
} tslake_type;

/* Durability of tslake_appender_flush (see tslake_options.sync_mode). */
typedef enum tslake_sync_mode {
  /* Flush returns once its rows are in a committed, fsynced version. */
  TSLAKE_SYNC_FULL = 0,
  /* Flush returns at once; the rows are committed (with every fsync) within
  ** sync_interval_ms. A power cut loses the rows of flushes made in the
  ** last sync_interval_ms plus one commit's duration, never rows of an
  ** earlier commit, and never leaves a partial version. SQL statements
  ** are always committed as TSLAKE_SYNC_FULL. */
  TSLAKE_SYNC_NORMAL = 1
} tslake_sync_mode;

typedef struct tslake_database tslake_database;
typedef struct tslake_connection tslake_connection;
typedef struct tslake_result tslake_result;
typedef struct tslake_prepared tslake_prepared;
typedef struct tslake_appender tslake_appender;

/* Settings for tslake_open. Fill with tslake_options_init, then change
** fields. tslake_open validates them and names a bad one in its error. */
typedef struct tslake_options {
  int read_only;             /* nonzero: refuse writes; the directory must exist */
  const char *compression;   /* "zstd" (default), "lz4" or "none"; copied by tslake_open */
  int compression_level;     /* zstd level 1..19, default 3 */
  tslake_sync_mode sync_mode; /* default TSLAKE_SYNC_FULL */
  int64_t sync_interval_ms;  /* TSLAKE_SYNC_NORMAL's loss window, 1..3600000, default 1000 */
  int64_t memory_limit;      /* bytes of buffered rows and query results; 0 = none (default), else >= 1 MiB */
  int threads;               /* worker threads tslake may start, 0..64, default 1: the
                             ** TSLAKE_SYNC_NORMAL committer; queries run on the caller's
                             ** thread. With 0, deferred commits run at the appender's next call. */
} tslake_options;

/* Library version, "0.1.0". Static storage; never NULL. Any thread. */
TSLAKE_API const char *tslake_library_version(void);

/* Short English name of a code ("TSLAKE_NOT_FOUND"). Static storage; never
** NULL ("TSLAKE_UNKNOWN" for values not listed above). Any thread. */
TSLAKE_API const char *tslake_code_name(int code);

/* Frees a string that the API handed over to the caller (the errmsg of
** tslake_open). NULL is a no-op. Any thread. */
TSLAKE_API void tslake_free(void *ptr);

/* ---------------------------------------------------------------- open */

/* Sets every field of *options to its default. Any thread. */
TSLAKE_API void tslake_options_init(tslake_options *options);

/* Opens or creates the database directory `path`; NULL, "" or ":memory:"
** is an in-memory database. `options` may be NULL for the defaults.
** Success: TSLAKE_OK and *out_db is a new handle (close with tslake_close).
** Errors: TSLAKE_INVALID_ARGUMENT for a bad option, TSLAKE_NOT_FOUND for a
** missing directory opened read-only, TSLAKE_IO_ERROR, TSLAKE_CORRUPTION;
** *out_db is then NULL. In every case where errmsg is non-NULL, *errmsg is
** set to NULL on success, or to a message the caller frees with tslake_free.
** TSLAKE_MISUSE when out_db is NULL (then neither *out_db nor *errmsg is
** written). Any thread. */
TSLAKE_API int tslake_open(const char *path, const tslake_options *options, tslake_database **out_db,
                char **errmsg);

/* Closes a database and frees the handle.
** TSLAKE_OK: closed. TSLAKE_BUSY: a connection or appender of db is still
** open (disconnect/destroy them first); db stays open and usable.
** TSLAKE_MISUSE: db is not a live database (closed already). NULL: no-op,
** TSLAKE_OK. Any thread; a concurrent connect or appender_create either
** completes first (and close is then TSLAKE_BUSY) or gets TSLAKE_MISUSE. */
TSLAKE_API int tslake_close(tslake_database *db);

/* Opens a connection. Success: TSLAKE_OK and *out_con (release with
** tslake_disconnect). Errors: TSLAKE_MISUSE (NULL argument or db not
** live), TSLAKE_NOMEM (*out_con NULL). Thread-safe on one db. */
TSLAKE_API int tslake_connect(tslake_database *db, tslake_connection **out_con);

/* Releases a connection. TSLAKE_OK; TSLAKE_BUSY when a prepared statement
** of con is not destroyed (nothing done); TSLAKE_MISUSE when con is not
** live (disconnected already). A query running on con from another thread
** finishes first. NULL: no-op, TSLAKE_OK. */
TSLAKE_API int tslake_disconnect(tslake_connection *con);

/* --------------------------------------------------------------- query */

/* Runs every statement of `sql` (separated by ';'); each data-changing
** statement commits one table version. *out_result receives a new result
** in every case but TSLAKE_MISUSE, also on error, so that its message can
** be read: the last statement's rows on success, else the first error
** (statements before it stay committed, the failing one commits nothing).
** Release it with tslake_result_destroy.
** Returns the result's code: TSLAKE_OK, TSLAKE_INVALID_ARGUMENT (SQL error,
** with a caret under the offending token), TSLAKE_NOT_FOUND (table),
** TSLAKE_CONFLICT, TSLAKE_IO_ERROR, TSLAKE_CORRUPTION, TSLAKE_CANCELLED,
** TSLAKE_OUT_OF_MEMORY (result over memory_limit), TSLAKE_FULL (disk full),
** TSLAKE_MISUSE (con, sql or out_result NULL, or con not live: disconnected;
** *out_result untouched), TSLAKE_NOMEM. Calls on one con are serialized. */
TSLAKE_API int tslake_query(tslake_connection *con, const char *sql, tslake_result **out_result);

/* Makes the statement running on `con` stop with TSLAKE_CANCELLED at its
** next batch of rows. No effect when none runs. Any thread. TSLAKE_OK;
** TSLAKE_MISUSE when con is not live; NULL: no-op, TSLAKE_OK. */
TSLAKE_API int tslake_interrupt(tslake_connection *con);

/* -------------------------------------------------------------- result */

/* Releases a result and every string it handed out. TSLAKE_OK;
** TSLAKE_MISUSE when result is not live (destroyed already); NULL: no-op,
** TSLAKE_OK. */
TSLAKE_API int tslake_result_destroy(tslake_result *result);

/* The result's code (TSLAKE_OK when the query succeeded), and its message:
** "" on success, otherwise what failed and where (possibly several lines).
** The string lives as long as the result. NULL or destroyed result:
** TSLAKE_MISUSE and a message saying so. */
TSLAKE_API int tslake_result_error_code(const tslake_result *result);
TSLAKE_API const char *tslake_result_error(const tslake_result *result);

/* "SELECT", "INSERT", "CREATE TABLE", ... ("" for an error or NULL result);
** lives as long as the result. */
TSLAKE_API const char *tslake_statement_type(const tslake_result *result);

/* Shape of the result; 0 for an error or NULL result. INSERT, COPY and
** DELETE return one BIGINT column "Count", the rows changed. */
TSLAKE_API int tslake_column_count(const tslake_result *result);
TSLAKE_API int64_t tslake_row_count(const tslake_result *result);

/* Column name (lives as long as the result) and type; NULL and
** TSLAKE_TYPE_NULL when `column` is out of range. */
TSLAKE_API const char *tslake_column_name(const tslake_result *result, int column);
TSLAKE_API tslake_type tslake_column_type(const tslake_result *result, int column);

/* Value access by (column, row), both from 0. Out-of-range positions (and
** a destroyed result) read as NULL: tslake_value_is_null returns 1 and the
** getters 0/0.0/NULL.
** tslake_value_is_null: 1 when NULL, else 0.
** tslake_value_int64: BOOLEAN (0/1), INTEGER, BIGINT, TIMESTAMP (us),
**   TIMESTAMPTZ (us since the epoch, UTC), INTERVAL (us), DOUBLE
**   (truncated); 0 for NULL and VARCHAR.
** tslake_value_double: any numeric type; 0.0 for NULL and VARCHAR.
** tslake_value_date: a DATE as days since 1970-01-01 (also what
**   tslake_value_int64 returns for it); a TIMESTAMP as its UTC day; a
**   TIMESTAMPTZ as its day in the session's TimeZone when the statement
**   ran (CAST(x AS DATE)); 0 for NULL and other types.
** tslake_value_text: any type as text, as the shell prints it
**   ("2024-01-01 00:00:00" for a TIMESTAMP; a TIMESTAMPTZ in the session's
**   TimeZone when the statement ran, with its offset: "2024-03-31
**   04:30:00+02"); NULL for a NULL value. The
**   string lives as long as the result; a cell of another type than
**   VARCHAR is formatted once, at its first call, and later calls on that
**   cell return the same string. */
TSLAKE_API int tslake_value_is_null(const tslake_result *result, int column, int64_t row);
TSLAKE_API int64_t tslake_value_int64(const tslake_result *result, int column, int64_t row);
TSLAKE_API double tslake_value_double(const tslake_result *result, int column, int64_t row);
TSLAKE_API int32_t tslake_value_date(const tslake_result *result, int column, int64_t row);
TSLAKE_API const char *tslake_value_text(tslake_result *result, int column, int64_t row);

/* ---------------------------------------------------- prepared statements */

/* Prepares one statement with parameters `$1`, `$2`, ... or `?` for
** repeated execution on `con`. *out_stmt receives a new statement in every
** case but TSLAKE_MISUSE (read a failure's message with
** tslake_prepared_error); release it with tslake_prepared_destroy before
** disconnecting (tslake_disconnect is TSLAKE_BUSY until then). Errors:
** TSLAKE_INVALID_ARGUMENT (more than one statement, mixed ? and $n,
** unterminated literal), TSLAKE_MISUSE (NULL argument, con not live),
** TSLAKE_NOMEM. Other SQL errors are reported when the statement is
** executed. */
TSLAKE_API int tslake_prepare(tslake_connection *con, const char *sql, tslake_prepared **out_stmt);
/* TSLAKE_OK; TSLAKE_MISUSE when stmt is not live; NULL: no-op, TSLAKE_OK. */
TSLAKE_API int tslake_prepared_destroy(tslake_prepared *stmt);

/* The message of the last prepare, bind or execute call on stmt, "" when
** it succeeded; lives until the next call on stmt. */
TSLAKE_API const char *tslake_prepared_error(const tslake_prepared *stmt);
/* Number of parameters (the highest $n, or the count of ?); 0 if NULL. */
TSLAKE_API int tslake_parameter_count(const tslake_prepared *stmt);

/* Bind a value to parameter `index` (from 1); bindings persist across
** executions. TSLAKE_OK, or TSLAKE_INVALID_ARGUMENT for an index out of
** range or a statement that failed to prepare; TSLAKE_MISUSE for a NULL or
** destroyed stmt (or NULL value string). The string is copied. Types are
** checked when the statement executes. */
TSLAKE_API int tslake_bind_null(tslake_prepared *stmt, int index);
TSLAKE_API int tslake_bind_bool(tslake_prepared *stmt, int index, int value);
TSLAKE_API int tslake_bind_int64(tslake_prepared *stmt, int index, int64_t value);
TSLAKE_API int tslake_bind_double(tslake_prepared *stmt, int index, double value);
TSLAKE_API int tslake_bind_text(tslake_prepared *stmt, int index, const char *value);
TSLAKE_API int tslake_bind_timestamp(tslake_prepared *stmt, int index, int64_t micros);
/* Unbinds every parameter. TSLAKE_OK; TSLAKE_MISUSE when stmt is not
** live; NULL: no-op, TSLAKE_OK. */
TSLAKE_API int tslake_clear_bindings(tslake_prepared *stmt);

/* Executes with the current bindings. As tslake_query: *out_result always
** receives a result unless TSLAKE_MISUSE (NULL argument or stmt not live);
** an unbound parameter is TSLAKE_INVALID_ARGUMENT naming it. It runs on
** the statement's connection, serialized with that connection's queries. */
TSLAKE_API int tslake_execute(tslake_prepared *stmt, tslake_result **out_result);

/* ------------------------------------------------------------ appender */

/* Opens an appender on `table` (case-insensitive). `app_id` may be NULL;
** when non-empty, every flush carries a batch id (app id + sequence
** number) and is idempotent: see tslake_appender_flush_sequence.
** Success: TSLAKE_OK and *out_app (release with tslake_appender_destroy).
** Errors: TSLAKE_NOT_FOUND (no such table), TSLAKE_INVALID_ARGUMENT
** (read-only database), TSLAKE_IO_ERROR/TSLAKE_CORRUPTION (its log cannot
** be read), TSLAKE_NOMEM; *out_app is then NULL and, when errmsg is
** non-NULL, *errmsg a message to free with tslake_free (NULL on success).
** TSLAKE_MISUSE (NULL db, table or out_app, or db not live) writes no
** out-parameter. Thread-safe on one db. The appender is meant for one
** thread at a time; shared, its calls are serialized (see Conventions).
** Several appenders may write one table at once. */
TSLAKE_API int tslake_appender_create(tslake_database *db, const char *table, const char *app_id,
                           tslake_appender **out_app, char **errmsg);

/* Commits the rows not yet committed (as tslake_appender_close, ignoring
** its errors) unless the appender was closed, then releases it. TSLAKE_OK;
** TSLAKE_MISUSE when app is not live (destroyed already); NULL: no-op,
** TSLAKE_OK. */
TSLAKE_API int tslake_appender_destroy(tslake_appender *app);

/* The message of the appender's last append, flush or close call, "" when
** it succeeded; lives until the next call on app. */
TSLAKE_API const char *tslake_appender_error(const tslake_appender *app);

/* Number of columns and each one's type, in append order. */
TSLAKE_API int tslake_appender_column_count(const tslake_appender *app);
TSLAKE_API tslake_type tslake_appender_column_type(const tslake_appender *app, int column);

/* Row at a time: one append per column, in order, then end_row.
** end_row converts each value to its column's type only when the value
** stays exactly the same (int64 2 into a DOUBLE column, double 2.0 into an
** INTEGER column, text "12" into an INTEGER column, 0/1 into a BOOLEAN
** column, text "2024-01-01 00:00:00" into a TIMESTAMP column), and checks
** that the table can store every value: a TIMESTAMP within 290309 BC ..
** 294247 AD (DuckDB's range) and, in a table partitioned on it, within
** the years 0000..9999; VARCHAR text valid UTF-8; INTEGER within 32 bits.
** It returns TSLAKE_INVALID_ARGUMENT naming the column when a value does
** not convert exactly (double 1.5, 2^53+1 into DOUBLE, text "1.5" into
** INTEGER, 0.5 into BOOLEAN) or cannot be stored, or the row has too few
** values; an append past the last column fails at once. Either way that
** row is not added (the rows before it stay pending) and the next append
** starts a new row. So a flush never fails because of a row's content.
** Text is copied. After tslake_appender_close: TSLAKE_MISUSE. */
TSLAKE_API int tslake_append_null(tslake_appender *app);
TSLAKE_API int tslake_append_bool(tslake_appender *app, int value);
TSLAKE_API int tslake_append_int64(tslake_appender *app, int64_t value);
TSLAKE_API int tslake_append_double(tslake_appender *app, double value);
TSLAKE_API int tslake_append_text(tslake_appender *app, const char *value);
TSLAKE_API int tslake_append_timestamp(tslake_appender *app, int64_t micros);
TSLAKE_API int tslake_appender_end_row(tslake_appender *app);

/* One column of a batch: `rows` values of the column's type.
** values: int64_t[] for BOOLEAN (0/1), INTEGER, BIGINT, TIMESTAMP;
**         double[] for DOUBLE; const char *[] for VARCHAR.
** valid:  NULL when every value is present, else one byte a row (1 value,
**         0 NULL; the value slot is then ignored). */
typedef struct tslake_column {
  tslake_type type;
  const void *values;
  const uint8_t *valid;
} tslake_column;

/* Appends `rows` rows given as `column_count` columns (one per table
** column, in order); the data is copied. TSLAKE_INVALID_ARGUMENT naming the
** column (and row) when a count or type differs from the table's or a value
** cannot be stored (as end_row's checks); nothing of the batch is appended
** then. TSLAKE_MISUSE for NULL app or columns, a released or closed app. */
TSLAKE_API int tslake_append_columns(tslake_appender *app, int64_t rows, const tslake_column *columns,
                          int column_count);

/* Makes every row appended since the last flush one table version.
** TSLAKE_SYNC_FULL: returns once that version is durable; *out_version (if
** non-NULL) is the version, or -1 when there was nothing to commit.
** TSLAKE_SYNC_NORMAL: the rows appended so far are set apart at this call
** as one batch and the call returns at once; the batch is committed within
** sync_interval_ms (*out_version is -1). Rows appended after the call are
** not part of it: they are in no version until their own flush (or close),
** so a crash can never commit them under this flush's sequence. Several
** batches flushed within one interval may share a version, whose sequence
** is then the last one's (sequences increase, so last_sequence covers them
** all).
** With an app id the batch gets sequence last_sequence + 1 (after the
** batches still waiting to commit, in TSLAKE_SYNC_NORMAL).
** An empty flush (no row since the last one) commits nothing: no version,
** no log file, *out_version -1, and it consumes no sequence.
** Errors: TSLAKE_IO_ERROR, TSLAKE_FULL (disk full), TSLAKE_CONFLICT,
** TSLAKE_MISUSE (app not live, or closed). A flush that failed consumes no
** sequence, and its rows are in no version and are dropped (pending_rows
** is 0 afterwards): the caller appends the batch again and retries with
** the same sequence, which then commits it once. In TSLAKE_SYNC_NORMAL a
** deferred commit's error is returned by the appender's next flush or
** close, which then commits nothing: every batch not yet committed and the
** pending rows are dropped, and the caller resends the batches after
** tslake_appender_last_sequence(). Exactly-once replay after a crash: on
** restart, open the appender with the same app id and resend the batches
** whose sequence is greater than tslake_appender_last_sequence(). */
TSLAKE_API int tslake_appender_flush(tslake_appender *app, int64_t *out_version);

/* As tslake_appender_flush with the caller's batch sequence number
** (REQUIRES an app id; sequences increase). When this app id has already
** committed `sequence` (a batch replayed after a crash), nothing is
** committed, the rows are dropped and *out_already_committed (if non-NULL)
** is set to 1 (else 0). TSLAKE_INVALID_ARGUMENT, with the rows kept
** pending, for any negative sequence, an appender without app id, or (in
** TSLAKE_SYNC_NORMAL) a sequence not above one still waiting to commit. */
TSLAKE_API int tslake_appender_flush_sequence(tslake_appender *app, int64_t sequence, int64_t *out_version,
                                   int *out_already_committed);

/* The newest sequence number committed for the app id, -1 if none (or
** when app is not live or is closed). */
TSLAKE_API int64_t tslake_appender_last_sequence(const tslake_appender *app);
/* Rows appended and not yet committed (including TSLAKE_SYNC_NORMAL batches
** waiting to commit); 0 when app is not live or is closed. */
TSLAKE_API int64_t tslake_appender_pending_rows(const tslake_appender *app);

/* Commits everything now (also in TSLAKE_SYNC_NORMAL; the rows after the
** last flush as one more batch, which with an app id takes the next
** sequence as tslake_appender_flush's does) and detaches; later calls other than
** destroy and the getters return TSLAKE_MISUSE. Returns the commit's error
** (as tslake_appender_flush's, and an earlier deferred commit's error, in
** which case nothing more is committed). */
TSLAKE_API int tslake_appender_close(tslake_appender *app);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TSLAKE_H */
