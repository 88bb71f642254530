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
**    a connection outlives its prepared statements and streams. Releasing a parent
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

/* Marks an entry point kept for existing callers in favour of a newer one.
** Silent unless the caller defines TSLAKE_WARN_DEPRECATED (so that code
** built with -Werror keeps compiling). */
#ifndef TSLAKE_DEPRECATED
#if defined(TSLAKE_WARN_DEPRECATED) && (defined(__GNUC__) || defined(__clang__))
#define TSLAKE_DEPRECATED __attribute__((deprecated))
#else
#define TSLAKE_DEPRECATED
#endif
#endif

/* The version of this header, as SQLite's SQLITE_VERSION_NUMBER:
** major * 1000000 + minor * 1000 + patch. tslake_library_version_number()
** is the library's; they differ when a program runs against another build
** than it was compiled with. */
#define TSLAKE_VERSION "0.1.0"
#define TSLAKE_VERSION_NUMBER 1000

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

/* Extended codes, as SQLite's extended result codes: the primary code in
** the low 8 bits (code & 0xff) and the cause above them, for the causes a
** caller acts on. Functions return primary codes; tslake_extended_code
** gives the extended one from a primary code and its message. A conflict
** is already its own code: TSLAKE_CONFLICT (retry the commit). */
#define TSLAKE_FULL_DISK (TSLAKE_FULL | (1 << 8))              /* ENOSPC: free space on the file system */
#define TSLAKE_FULL_QUOTA (TSLAKE_FULL | (2 << 8))             /* EDQUOT: raise the user's quota */
#define TSLAKE_IO_ERROR_READONLY (TSLAKE_IO_ERROR | (1 << 8))  /* EROFS: the file system is read-only */
#define TSLAKE_IO_ERROR_ACCESS (TSLAKE_IO_ERROR | (2 << 8))    /* EACCES, EPERM: permission denied */
#define TSLAKE_IO_ERROR_BUSY (TSLAKE_IO_ERROR | (3 << 8))      /* EBUSY, EAGAIN, ETXTBSY: retry later */

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
  TSLAKE_TYPE_TIMESTAMPTZ = 9, /* TIMESTAMP WITH TIME ZONE: microseconds since the epoch, UTC */
  TSLAKE_TYPE_DECIMAL = 10,    /* DECIMAL(w,s), w <= 18: read with tslake_value_double or _varchar */
  TSLAKE_TYPE_SMALLINT = 11,   /* 16-bit, read with tslake_value_int64 */
  TSLAKE_TYPE_TINYINT = 12,    /* 8-bit, read with tslake_value_int64 */
  TSLAKE_TYPE_TIME = 13,       /* microseconds since midnight (tslake_value_int64) */
  TSLAKE_TYPE_BLOB = 14,       /* bytes: tslake_value_text gives DuckDB's \xAA text */
  TSLAKE_TYPE_UUID = 15        /* tslake_value_text: canonical 8-4-4-4-12 text */
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
typedef struct tslake_stream tslake_stream;
typedef struct tslake_prepared tslake_prepared;
typedef struct tslake_appender tslake_appender;

/* Settings for tslake_open. Fill with tslake_options_init, then change
** fields. tslake_open validates them and names a bad one in its error.
** Deprecated: the struct cannot gain a field without breaking callers
** compiled against an older header (it lacks query_threads, for one). New
** code uses tslake_config and tslake_open_ext; this stays for existing
** callers. */
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
/* The library's version as a number (see TSLAKE_VERSION_NUMBER). Any thread. */
TSLAKE_API int tslake_library_version_number(void);

/* Short English name of a code ("TSLAKE_NOT_FOUND"), extended codes
** included ("TSLAKE_FULL_QUOTA"). Static storage; never NULL
** ("TSLAKE_UNKNOWN" for values not listed above). Any thread. */
TSLAKE_API const char *tslake_code_name(int code);

/* The extended code (see TSLAKE_FULL_DISK above) of an error: `code` as a
** function returned it and `message` the text that came with it (the
** errmsg of tslake_open_ext, tslake_result_error, tslake_appender_error,
** ...; NULL: none). Returns `code` itself when no cause is known, and any
** code that is not a primary error code unchanged. Any thread. */
TSLAKE_API int tslake_extended_code(int code, const char *message);

/* Frees a string that the API handed over to the caller (the errmsg of
** tslake_open). NULL is a no-op. Any thread. */
TSLAKE_API void tslake_free(void *ptr);

/* ---------------------------------------------------------------- open */

/* Opening with settings that can grow (DuckDB's duckdb_config): create a
** config, set options by name, open with tslake_open_ext, destroy it.
**
**   tslake_config *config;
**   tslake_config_create(&config);
**   tslake_config_set(config, "memory_limit", "512MB");
**   tslake_config_set(config, "query_threads", "2");
**   rc = tslake_open_ext("plant.db", config, &db, &errmsg);
**   tslake_config_destroy(config);
**
** Options (names as in tslake::Options; values are text):
**   read_only               true/false (also 1/0, yes/no, on/off)
**   compression             zstd (default), lz4 or none
**   compression_level       zstd level 1..19, default 3
**   sync_mode               full (default) or normal (see tslake_sync_mode)
**   sync_interval_ms        normal's loss window, 1..3600000, default 1000
**   memory_limit            this database's limit: bytes ("1073741824") or
**                           DuckDB's sizes ("1GB", "512MiB"); 0 = the default
**                           (80% of RAM for queries, none for buffered rows)
**   threads                 worker threads tslake may start, 0..64, default 1
**   query_threads           threads a GROUP BY may use (SQL's `threads`),
**                           0..1024, 0 = one per core
**   tune_allocator          true/false, default false
**   enable_external_access  true/false, default true
**   auto_maintenance        true/false, default false: background
**                           retention, compaction, checkpoints and VACUUM
**                           (tslake::Options::auto_maintenance)
**   maintenance_interval_ms between maintenance passes, 10..86400000,
**                           default 60000
**   maintenance_cpu_share   share of one core it may use, (0, 1], default 0.25
**   maintenance_small_files files under the target size that make a
**                           partition worth compacting, 2..100000, default 8
** A config belongs to one thread at a time; it may be reused for several
** opens and is not referenced after tslake_open_ext returns. */
typedef struct tslake_config tslake_config;

/* Creates a config holding every option's default.
** TSLAKE_OK and *out_config set (free with tslake_config_destroy);
** TSLAKE_NOMEM; TSLAKE_MISUSE when out_config is NULL. */
TSLAKE_API int tslake_config_create(tslake_config **out_config);

/* Sets option `name` (case-insensitive) to `value`.
** TSLAKE_OK; TSLAKE_INVALID_ARGUMENT for an unknown name or a value that
** does not parse (the config is unchanged; tslake_config_error says why);
** ranges are checked by tslake_open_ext. TSLAKE_MISUSE for a NULL
** argument or a config that is not live. */
TSLAKE_API int tslake_config_set(tslake_config *config, const char *name, const char *value);

/* The message of the last failed tslake_config_set on `config`, "" when
** none; owned by the config, valid until its next call. NULL when config
** is NULL or not live. */
TSLAKE_API const char *tslake_config_error(const tslake_config *config);

/* The number of option names and the index-th one (0-based), for
** discovery (duckdb_config_count / duckdb_get_config_flag). The name is
** static storage; NULL for an index out of range. Any thread. */
TSLAKE_API int tslake_config_count(void);
TSLAKE_API const char *tslake_config_name(int index);

/* Frees a config. TSLAKE_OK (NULL is a no-op); TSLAKE_MISUSE for a config
** that is not live (destroyed already). */
TSLAKE_API int tslake_config_destroy(tslake_config *config);

/* tslake_open with a config (NULL: the defaults); the same results and
** errors, a bad option named in *errmsg. Any thread. */
TSLAKE_API int tslake_open_ext(const char *path, const tslake_config *config, tslake_database **out_db,
                               char **errmsg);

/* Sets every field of *options to its default. Any thread.
** Deprecated with tslake_options: use tslake_config_create. */
TSLAKE_API TSLAKE_DEPRECATED void tslake_options_init(tslake_options *options);

/* Opens or creates the database directory `path`; NULL, "" or ":memory:"
** is an in-memory database. `options` may be NULL for the defaults.
** Deprecated with tslake_options: use tslake_open_ext.
** Success: TSLAKE_OK and *out_db is a new handle (close with tslake_close).
** Errors: TSLAKE_INVALID_ARGUMENT for a bad option, TSLAKE_NOT_FOUND for a
** missing directory opened read-only, TSLAKE_IO_ERROR, TSLAKE_CORRUPTION;
** *out_db is then NULL. In every case where errmsg is non-NULL, *errmsg is
** set to NULL on success, or to a message the caller frees with tslake_free.
** TSLAKE_MISUSE when out_db is NULL (then neither *out_db nor *errmsg is
** written). Any thread. */
TSLAKE_API TSLAKE_DEPRECATED int tslake_open(const char *path, const tslake_options *options,
                                             tslake_database **out_db, char **errmsg);

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
** or stream of con is not destroyed (nothing done); TSLAKE_MISUSE when con is not
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

/* How far the statement running on `con` has read its inputs (DuckDB's
** duckdb_query_progress): rows of table scans and bytes of files read, of
** the total they will read. percentage is 0..100, or -1 when no statement
** runs, nothing it reads has a known size, enable_progress_bar is false,
** or con is NULL or not live. Any thread, as tslake_interrupt. */
typedef struct {
  double percentage;
  uint64_t rows_processed;
  uint64_t total_rows_to_process;
} tslake_query_progress_type;
TSLAKE_API tslake_query_progress_type tslake_query_progress(tslake_connection *con);

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
/* tslake_result_error_code with its cause (tslake_extended_code). */
TSLAKE_API int tslake_result_extended_code(const tslake_result *result);
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
** tslake_value_int64: BOOLEAN (0/1), TINYINT, SMALLINT, INTEGER, BIGINT,
**   TIME (us since midnight), TIMESTAMP (us),
**   TIMESTAMPTZ (us since the epoch, UTC), INTERVAL (us when it has no
**   months; one with months is a packed word, formats/segment.md: read
**   it with tslake_value_interval or tslake_value_text), DOUBLE
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
/* An INTERVAL's microseconds (whole days included, 86400000000 each),
** with its months in *months (may be NULL); 0 and months 0 for NULL and
** other types. */
TSLAKE_API int64_t tslake_value_interval(const tslake_result *result, int column, int64_t row,
                                         int32_t *months);
TSLAKE_API const char *tslake_value_text(tslake_result *result, int column, int64_t row);

/* ----------------------------------------------------------- streaming */

/* A streaming result reads a query's rows a chunk at a time while the
** query runs (DuckDB's duckdb_fetch_chunk, SQLite's sqlite3_step), so that
** a host exporting a large result holds one chunk, not every row.
**
**   tslake_stream *st;
**   tslake_result *chunk;
**   if (tslake_query_stream(con, "SELECT * FROM m", &st) != TSLAKE_OK) { ...tslake_stream_error(st)... }
**   while (tslake_stream_fetch(st, &chunk) == TSLAKE_OK && chunk != NULL) {
**     for (int64_t r = 0; r < tslake_row_count(chunk); r++) ...tslake_value_text(chunk, 0, r)...
**     tslake_result_destroy(chunk);
**   }
**   if (tslake_stream_error_code(st) != TSLAKE_OK) { ...the result is incomplete... }
**   tslake_stream_destroy(st);
**
** Memory: a SELECT whose plan streams (table scans, filters, projections,
** LIMIT, UNION ALL) computes rows only as tslake_stream_fetch asks for
** them, about one chunk (at most 2048 rows) at a time. A plan with a
** blocking operator (ORDER BY, GROUP BY, DISTINCT, a join's build side, a
** window) builds that operator's state at the first fetch, within the
** database's memory_limit as tslake_query does, then streams its output.
** Statements other than SELECT have run to completion when
** tslake_query_stream returns and stream their (small) result.
**
** Ownership: the stream owns the running query (its table snapshot and
** its operators' state) and is a child of its connection: the connection
** cannot be disconnected (TSLAKE_BUSY) while a stream of it is live. Each
** chunk fetched is an ordinary tslake_result owned by the caller, valid
** after the stream is destroyed. Destroying a stream before the end stops
** the query there: the rows not fetched are never computed and everything
** the query held is released.
**
** Errors: mid-stream errors (a cast failing on a later row, TSLAKE_CANCELLED
** after tslake_interrupt, TSLAKE_OUT_OF_MEMORY) are returned by the fetch
** that meets them; the chunks fetched before stay valid but the result is
** incomplete, so check the code of the last fetch, not only the first.
**
** Threads: one thread at a time per stream; a fetch holds the stream's and
** its connection's mutex (so it is serialized with the connection's other
** calls). tslake_interrupt(con) from any thread stops the running or the
** next fetch of con's streams. The connection may run other statements
** while a stream is open; the stream keeps reading the table versions it
** started with. */

/* Runs every statement of `sql` but the last to completion and opens the
** last one as a stream. *out_stream receives a new stream in every case
** but TSLAKE_MISUSE, also on error (read its message with
** tslake_stream_error); release it with tslake_stream_destroy. Returns
** TSLAKE_OK or the error of a statement that failed before producing a row
** (codes as tslake_query's). TSLAKE_MISUSE: con, sql or out_stream NULL, or
** con not live (*out_stream untouched). */
TSLAKE_API int tslake_query_stream(tslake_connection *con, const char *sql, tslake_stream **out_stream);

/* Fetches the next chunk. TSLAKE_OK with *out_chunk a new result of 1 ..
** 2048 rows (release with tslake_result_destroy), or TSLAKE_OK with
** *out_chunk NULL at the end. Otherwise the query's error code (the stream
** has failed; *out_chunk is NULL), and every later fetch returns it again.
** TSLAKE_MISUSE: stream or out_chunk NULL, or stream not live. */
TSLAKE_API int tslake_stream_fetch(tslake_stream *stream, tslake_result **out_chunk);

/* The stream's code (TSLAKE_OK until it fails) and message ("" when OK;
** lives until the next fetch or the destroy). TSLAKE_MISUSE and a message
** saying so for a NULL or destroyed stream. */
TSLAKE_API int tslake_stream_error_code(const tslake_stream *stream);
TSLAKE_API const char *tslake_stream_error(const tslake_stream *stream);

/* The stream's columns, known before the first fetch (as the result
** getters; 0, NULL and TSLAKE_TYPE_NULL when out of range or not live),
** and the rows fetched so far. */
TSLAKE_API int tslake_stream_column_count(const tslake_stream *stream);
TSLAKE_API const char *tslake_stream_column_name(const tslake_stream *stream, int column);
TSLAKE_API tslake_type tslake_stream_column_type(const tslake_stream *stream, int column);
TSLAKE_API int64_t tslake_stream_rows_fetched(const tslake_stream *stream);

/* Stops the query (if it has not ended) and releases the stream. A fetch in
** flight on another thread finishes first. TSLAKE_OK; TSLAKE_MISUSE when
** stream is not live (destroyed already); NULL: no-op, TSLAKE_OK. */
TSLAKE_API int tslake_stream_destroy(tslake_stream *stream);

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
