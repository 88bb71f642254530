// tslake public C++ API.
//
// An embedded, crash-safe, columnar time-series store with DuckDB's SQL.
// Engine internals live in namespace tsl and are not part of this API;
// everything here is in namespace tslake and uses the PIMPL idiom so the
// ABI does not depend on engine headers.
//
//   auto db = tslake::Database::Open("plant.db");          // or ":memory:"
//   tslake::Connection con(*db);
//   tslake::Result r = con.Query("SELECT tag, avg(value) FROM m GROUP BY tag");
//   if (!r.ok()) std::cerr << r.error_message() << "\n";
//   for (int64_t i = 0; i < r.row_count(); ++i) std::cout << r.GetString(0, i) << "\n";
//
// Thread-safety: a Database may be shared by threads. A Connection and a
// Result belong to one thread at a time; use one Connection per thread.
// Connection::Interrupt() is the exception: it may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct tslake_result;  // the C API's result handle (tslake.h)

// The public API's visibility (as tslake.h's): exported; the engine is hidden.
#ifndef TSLAKE_API
#if defined(__GNUC__) || defined(__clang__)
#define TSLAKE_API __attribute__((visibility("default")))
#else
#define TSLAKE_API
#endif
#endif

// The version of this header (tslake.h defines the same): major * 1000000 +
// minor * 1000 + patch. Database::Version() is the library's.
#ifndef TSLAKE_VERSION_NUMBER
#define TSLAKE_VERSION "0.1.0"
#define TSLAKE_VERSION_NUMBER 1000
#endif

namespace tslake {

// Mirrors the engine's status codes.
enum class ErrorCode : int {
  kOk = 0,
  kInvalidArgument = 1,
  kNotFound = 2,
  kCorruption = 3,
  kIOError = 4,
  kConflict = 5,
  kAlreadyExists = 6,
  kNotSupported = 7,
  kCancelled = 8,
  kInternal = 9,
  kOutOfMemory = 10,  // Options::memory_limit would be exceeded
  kFull = 11,         // the disk or quota is full (ENOSPC, EDQUOT): an I/O error
                      // that freeing space cures
};

// The cause of a kIOError or kFull that a caller acts on (SQLite's extended
// result codes; tslake.h's TSLAKE_FULL_DISK ...). kNone for other codes.
enum class ErrorSubCode : int {
  kNone = 0,
  kDiskFull = 1,            // kFull: ENOSPC, free space on the file system
  kQuotaFull = 2,           // kFull: EDQUOT, the user's disk quota
  kReadOnlyFileSystem = 3,  // kIOError: EROFS
  kPermissionDenied = 4,    // kIOError: EACCES, EPERM
  kBusy = 5,                // kIOError: EBUSY, EAGAIN, ETXTBSY (retry later)
};
// The sub-code of an error with `code` and `message` (read from the
// operating system's text in the message). Thread-safe.
TSLAKE_API ErrorSubCode SubCodeOf(ErrorCode code, std::string_view message);

// An error code and message; ok() when code() is kOk. Cheap to copy.
class TSLAKE_API Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  // Empty when ok(); otherwise says what failed and where.
  const std::string& message() const { return message_; }
  // "OK", or the code's name and the message: "IO error: /db: ...", as the
  // shell prints errors (kFull is named as the I/O error it is).
  std::string ToString() const;
  // The cause of a kIOError or kFull (SubCodeOf).
  ErrorSubCode sub_code() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// SQL types as the API reports them.
// kDate (8): days since 1970-01-01, DuckDB's DATE.
// kTimestampTz (9): TIMESTAMP WITH TIME ZONE, microseconds since the epoch
// (UTC) like kTimestamp; GetString shows it in the session's TimeZone.
// kDecimal (10): DECIMAL(w,s), w <= 18; GetString gives DuckDB's exact text
// ("1.50"), GetDouble the nearest double, GetInt64 the value rounded half
// away from zero; Result::column_type_name and ColumnInfo::type_name name
// the width and scale.
// kSmallint (11), kTinyint (12): 16- and 8-bit integers, read with GetInt64.
// kTime (13): TIME, microseconds since midnight (GetInt64); GetString
// "12:34:56.789". kBlob (14): GetString gives DuckDB's text ("\xAA\x01ab");
// GetBlob the raw bytes. kUuid (15): GetString the canonical text.
// A LIST column (INTEGER[], VARCHAR[], ...) is reported as kVarchar:
// GetString gives DuckDB's text ("[1, 2, NULL]"), column_type_name its type.
enum class Type : int {
  kNull = 0, kBoolean, kInteger, kBigint, kDouble, kVarchar, kTimestamp, kInterval, kDate, kTimestampTz,
  kDecimal, kSmallint, kTinyint, kTime, kBlob, kUuid
};

// How durable an Appender's Flush() is when it returns.
enum class SyncMode : int {
  // Flush() returns once its rows are in a committed, fsynced table version
  // (segments, log entry and the log directory are fsynced first).
  kFull = 0,
  // Flush() hands its rows to the database's group committer and returns at
  // once; they are committed (with the full fsync protocol, so a crash never
  // leaves half a version) within sync_interval_ms. Loss window: a power cut
  // loses the rows of Flush() calls made in the last sync_interval_ms plus
  // the duration of one commit; never rows of an earlier, reported commit.
  // SQL statements (INSERT, COPY, ...) are always committed as kFull.
  kNormal = 1,
};

// Database::Open's settings for small devices. Each is validated by Open,
// which refuses a bad value with a message naming the option.
struct Options {
  bool read_only = false;
  // "zstd" (default), "lz4" or "none": compression of new segments.
  std::string compression = "zstd";
  // zstd level of new segments, 1 (fastest) .. 19 (smallest); ignored for
  // lz4 and none.
  int compression_level = 3;
  SyncMode sync_mode = SyncMode::kFull;
  // kNormal's commit interval and so its loss window; 1 .. 3600000.
  int64_t sync_interval_ms = 1000;
  // Bytes of row data the library may buffer, 0 = no limit (minimum 1 MiB).
  // An Appender writes its buffered rows to (uncommitted) segment files once
  // they reach a quarter of the limit, and a query whose result would hold
  // more than the limit fails with kOutOfMemory instead of growing further.
  // Non-zero also sets this database's SQL memory_limit (what its running
  // queries hold: hash tables, aggregate states, sorts, windows, joins,
  // results being built; per database, as DuckDB's, and SET memory_limit on
  // one of its connections changes it for this database only); 0 leaves it
  // at its default, 80% of RAM.
  int64_t memory_limit = 0;
  // Worker threads the database may start, 0 .. 64. Queries and appends run
  // on the calling thread; the one worker is kNormal's committer. With 0,
  // kNormal's deferred commits run at the appender's next call instead, so
  // the loss window holds only while the application keeps calling.
  int threads = 1;
  // Threads a GROUP BY over a table may use (SQL's `threads` setting, per
  // database like memory_limit), 0 .. 1024; 0 leaves it at its
  // default, the number of cores.
  int query_threads = 0;
  // glibc only: keep freed blocks under 16 MiB in malloc's heaps and up to
  // 64 MiB free at a heap's top (mallopt M_MMAP_THRESHOLD / M_TRIM_THRESHOLD,
  // process-wide, set once), so scans stop handing their decode buffers back
  // to the kernel after every segment file and faulting them in again. Off
  // by default: it changes the host process's allocator, and a gateway that
  // counts resident memory may prefer glibc's own trimming. The tslake shell
  // turns it on.
  bool tune_allocator = false;
  // DuckDB's enable_external_access. false: statements read no file outside
  // the database directory and write no file at all (read_csv and the other
  // readers, read_parquet and its globs, COPY ... FROM and COPY ... TO fail
  // with a "Permission Error"), for gateways that run SQL they did not
  // write. SQL `SET enable_external_access = false` does the same at run
  // time; neither can be turned back on while the database is open.
  bool enable_external_access = true;
  // Background maintenance (issue 21): a thread that, every
  // maintenance_interval_ms, visits each table and applies its retention
  // (once the materialized views reading it hold its latest version),
  // compacts partitions holding maintenance_small_files files under the
  // target size (OPTIMIZE), writes a checkpoint of the latest version, and
  // deletes files no version needs once older than the table's
  // deleted_file_retention property (VACUUM; default 7 days). Its commits
  // show in DESCRIBE HISTORY with operationParameters "automatic": "true";
  // tslake_maintenance() reports each table's last and next run, what it
  // did and its last error. It loses every commit race to a foreground
  // writer (the compaction is retried next pass) and uses at most
  // maintenance_cpu_share of one core. Close stops and joins it. Ignored
  // for read_only. SQL `SET auto_maintenance = true|false` turns it on or
  // off while the database is open.
  bool auto_maintenance = false;
  int64_t maintenance_interval_ms = 60000;  // 10 .. 86400000
  double maintenance_cpu_share = 0.25;      // (0, 1]
  int maintenance_small_files = 8;          // 2 .. 100000
};

class Database;
class PreparedStatement;

// An optional process-wide memory cap: what the queries of every database
// open in this process hold together (the sum of their memory_limit
// reservations) stays under `bytes`, in addition to each database's own
// memory_limit; a query that would cross it fails with kOutOfMemory. 0 (the
// default) means no cap: each database obeys its own limit only. Settings
// are otherwise per database (Options, SQL SET). Thread-safe; takes effect
// for reservations made after the call.
TSLAKE_API void SetProcessMemoryLimit(int64_t bytes);
// The cap set above, 0 when none.
TSLAKE_API int64_t ProcessMemoryLimit();

// ---- Tools on a database directory and sample data: what the shell's
// `tslake check`, `tslake repair` and `tslake generate` run.

// One finding of CheckDatabase: the file (or directory) at fault and what
// is wrong with it.
struct CheckFinding {
  std::string file;
  std::string what;
};

struct CheckReport {
  std::vector<CheckFinding> problems;  // damage (docs/RELIABILITY.md says what to do)
  std::vector<CheckFinding> warnings;  // legal after a crash; the next writable open fixes them
  std::vector<std::string> orphans;    // files no version references (never deleted)
  // Checkpoints that disagree with the log (RepairDatabase moves them aside).
  std::vector<std::string> untrusted_checkpoints;
  int64_t tables_checked = 0;
  int64_t versions_checked = 0;
  int64_t checkpoints_checked = 0;
  int64_t segments_checked = 0;
  int64_t bytes_verified = 0;
  // One line per problem, warning and orphan, then a summary line: what
  // `tslake check` prints.
  std::string text;
  bool ok() const { return problems.empty(); }
};

// Verifies the database directory `dir` without writing to it: per table,
// log continuity, checkpoints against the log, every live segment
// (checksums, ids, row counts and statistics against the decoded data),
// and the catalog against the logs; lists orphaned files. OK with *report
// filled (report->ok() says whether a problem was found); kNotFound or
// kIOError when `dir` cannot be read. Thread-safe; may run beside writers,
// which it may then report as a catalog disagreement.
TSLAKE_API Status CheckDatabase(const std::string& dir, CheckReport* report);
// Moves checkpoints that disagree with the log aside, rebuilds the catalog
// from the table logs, then checks again (*report). Never deletes a file
// or rewrites a log version or segment. Errors as CheckDatabase. Run it
// with no other process writing the database.
TSLAKE_API Status RepairDatabase(const std::string& dir, CheckReport* report);

// Sample historian data (ts, tag, value, quality) for demos and tests.
struct SampleDataOptions {
  // csv (long), wide (one column per tag), jsonl, line (InfluxDB line
  // protocol), ignition (sqlt_data plus an sqlth_te tags file) or piwebapi
  // (PI Web API streamsets JSON); SampleDataFormats() lists them.
  std::string format = "csv";
  int tags = 100;
  int points_per_tag = 3600;
  int64_t start_micros = 1704067200000000;  // 2024-01-01 00:00:00 UTC
  int64_t interval_micros = 1000000;        // 1 s between samples
  uint64_t seed = 42;
  std::string out;       // the file to write (created or truncated); "-": standard output
  std::string tags_out;  // ignition: the sqlth_te file (required for it)
};
// The format names SampleDataOptions::format takes, in the order above.
TSLAKE_API std::vector<std::string> SampleDataFormats();
// Writes tags * points_per_tag samples as options.format to options.out.
// kInvalidArgument for an unknown format, a count or interval that is not
// positive, sample times outside 0001..9999, or ignition without
// tags_out; kIOError naming the file when it cannot be written.
// Thread-safe (a pure function of its options and the files).
TSLAKE_API Status GenerateSampleData(const SampleDataOptions& options);

// The boolean words tslake accepts wherever text names a truth value
// (CAST(... AS BOOLEAN), reader options, tslake_config_set): true, t, yes,
// y, 1 and false, f, no, n, 0, in any case, DuckDB's words; with `on_off`
// also on and off (the shell's settings, as SQLite's shell). nullopt for
// any other text (blanks included). Thread-safe.
TSLAKE_API std::optional<bool> ParseBooleanWord(std::string_view text, bool on_off = false);

// One column of a table, as Database::DescribeTable reports it.
struct ColumnInfo {
  std::string name;
  Type type = Type::kNull;
  std::string type_name;  // SQL name, "DECIMAL(10,2)", "VARCHAR", ...
};

// Lower-case SQL name of a type as the shell shows it: "varchar", "int64",
// "double", "timestamp", ...
TSLAKE_API const char* TypeName(Type type);

// The outcome of one query: either an error, or columns and rows.
// Owns its data; movable, not copyable.
class TSLAKE_API Result {
 public:
  Result();
  ~Result();
  Result(Result&&) noexcept;
  Result& operator=(Result&&) noexcept;

  bool ok() const;
  ErrorCode error_code() const;
  // Empty when ok(). Otherwise DuckDB-style, possibly multi-line with a
  // caret under the offending token.
  const std::string& error_message() const;
  // The cause of a kIOError or kFull (SubCodeOf), kNone otherwise.
  ErrorSubCode error_sub_code() const;

  // "SELECT", "INSERT", "CREATE TABLE", ...
  const std::string& statement_type() const;
  // What the statement(s) want the user to know besides the rows, one
  // sentence each (the shell prints them on stderr as "Warning: ..."): a
  // table function that skipped rows it could not convert, with the count
  // and the first reason; "N rows rejected -> t_rejects" after a COPY with
  // ON_ERROR 'continue'. Empty when there is nothing to say or on error.
  const std::vector<std::string>& warnings() const;
  int column_count() const;
  const std::string& column_name(int column) const;
  Type column_type(int column) const;
  // SQL name of the column's type, with a DECIMAL's width and scale.
  std::string column_type_name(int column) const;
  int64_t row_count() const;

  // Typed access. REQUIRES: 0 <= column < column_count(), 0 <= row < row_count().
  bool IsNull(int column, int64_t row) const;
  int64_t GetInt64(int column, int64_t row) const;   // BOOLEAN/INTEGER/BIGINT/TIMESTAMP(us)/TIMESTAMPTZ(us, UTC)/DATE(days)
  // A DATE as days since 1970-01-01 (5877642-06-25 BC .. 5881580-07-10 fit
  // int32_t, as DuckDB's date_t); a TIMESTAMP as the day it falls on (UTC);
  // a TIMESTAMPTZ as its day in the session's TimeZone when the statement
  // ran; 0 for NULL and other types.
  int32_t GetDate(int column, int64_t row) const;
  double GetDouble(int column, int64_t row) const;   // any numeric type
  // An INTERVAL as DuckDB's months field and the rest in microseconds
  // (whole days included, 86400000000 us each: tslake keeps no separate
  // days field); GetInt64 gives an interval with months as a packed word.
  // {0, 0} for NULL and other types.
  struct Interval {
    int32_t months = 0;
    int64_t micros = 0;
  };
  Interval GetInterval(int column, int64_t row) const;
  // Text as the shell prints it; "NULL" for NULL. A TIMESTAMPTZ is shown
  // in the session's TimeZone when the statement ran ("2024-03-31 04:30:00+02").
  std::string GetString(int column, int64_t row) const;
  // A BLOB's raw bytes (a VARCHAR's or UUID's text); "" for NULL and other types.
  std::string GetBlob(int column, int64_t row) const;

  // Moves `more`'s rows to the end of this result (StreamingResult's
  // chunks gathered into one). REQUIRES: both ok() with the same columns;
  // otherwise kInvalidArgument and nothing changes. `more` is left empty.
  Status Append(Result&& more);

 private:
  friend class Connection;
  friend class PreparedStatement;
  friend class StreamingResult;
  friend struct ::tslake_result;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// How far the running statement has read its inputs (DuckDB's
// duckdb_query_progress): a table scan counts rows, a file reader (COPY
// FROM, read_csv) bytes, against what they will read. percentage is -1
// when no statement runs, none of its inputs has a known size, or
// SET enable_progress_bar = false.
struct QueryProgress {
  double percentage = -1;  // 0..100, or -1: unknown
  uint64_t rows_processed = 0;
  uint64_t total_rows_to_process = 0;
  // How long a statement runs before a progress bar should appear, in
  // milliseconds (SET progress_bar_time, as DuckDB's; default 2000).
  int64_t progress_bar_time_ms = 2000;
};

// A query's result read a chunk of rows at a time while the query runs
// (DuckDB's duckdb_fetch_chunk, SQLite's sqlite3_step), from
// Connection::Stream or Connection::StreamEach.
//
// Memory: a SELECT whose plan streams (table scans, filters, projections,
// LIMIT, UNION ALL) computes rows only as Fetch() asks for them, so the
// library holds about one chunk (at most 2048 rows) whatever the result's
// size. A plan with a blocking operator (ORDER BY, GROUP BY, DISTINCT, a
// join's build side, a window) builds that operator's state on the first
// Fetch(), within memory_limit as Query() does; its output then streams.
// Statements other than SELECT (INSERT, COPY, DDL, EXPLAIN, DESCRIBE, ...)
// have run to completion when the stream is returned and stream their
// (small) result.
//
// Ownership: the stream owns the running query (its table snapshot, its
// operators' state). Each Fetch() hands over a Result that owns its rows
// and stays valid after the stream is gone. Destroying the stream before
// Fetch() has returned false stops the query there: the rows not fetched
// are never computed and everything the query held is released.
//
// Errors: a statement that fails before its first row (bad SQL, a missing
// table) gives a stream that is !ok() at once, with no columns. An error
// raised while rows are produced (a cast that fails on a later row,
// kCancelled after Connection::Interrupt, kOutOfMemory) makes Fetch()
// return false with ok() false and error_message() set; rows fetched
// before it stay valid, but the result is incomplete. A caller must
// therefore check ok() after the last Fetch(), not only before the first.
//
// Threads: one thread at a time, as its Connection; the connection (and
// its database) must outlive the stream. Connection::Interrupt() from any
// thread stops the running or next Fetch() with kCancelled. The
// connection may run other statements while a stream is open; the stream
// keeps reading the table versions it started with.
//
// Movable, not copyable.
class TSLAKE_API StreamingResult {
 public:
  StreamingResult();
  ~StreamingResult();
  StreamingResult(StreamingResult&&) noexcept;
  StreamingResult& operator=(StreamingResult&&) noexcept;

  // False once the statement failed, before or during Fetch().
  bool ok() const;
  ErrorCode error_code() const;
  const std::string& error_message() const;

  // As Result's; known before the first Fetch().
  const std::string& statement_type() const;
  int column_count() const;
  const std::string& column_name(int column) const;
  Type column_type(int column) const;

  // The next chunk of rows: true and *chunk holds 1 .. 2048 rows (with the
  // stream's columns, read through Result's getters); false at the end or
  // on error (then ok() is false), and *chunk is an OK Result with the
  // stream's columns and no rows. After false, further calls return false.
  bool Fetch(Result* chunk);
  // Rows fetched so far.
  int64_t rows_fetched() const;
  // As Result::warnings(); complete once Fetch() has returned false.
  const std::vector<std::string>& warnings() const;

 private:
  friend class Connection;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class TSLAKE_API Connection {
 public:
  // `db` must outlive the connection.
  explicit Connection(Database& db);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs every statement in `sql`; returns the last one's result, or the
  // first error (statements before it stay committed).
  Result Query(const std::string& sql);
  // Runs every statement, calling `on_result` for each statement's result.
  // Returns the first error's Result, or an OK empty Result.
  Result QueryEach(const std::string& sql, const std::function<void(const Result&)>& on_result);
  // Query's streaming form: runs every statement but the last to
  // completion and returns the last one's result as a stream (see
  // StreamingResult), or the first error as a stream that is !ok().
  StreamingResult Stream(const std::string& sql);
  // QueryEach's streaming form: each statement's result is handed to
  // `on_result` as a stream, which it may Fetch() to the end or leave
  // early (the rows it does not fetch are never computed). Stops at the
  // first error, of a statement or of a Fetch(), and returns it; an OK
  // empty Result otherwise.
  Result StreamEach(const std::string& sql, const std::function<void(StreamingResult&)>& on_result);
  // Cancels the running statement (it fails with kCancelled), or an open
  // stream's running or next Fetch(). Any thread.
  void Interrupt();
  // The running statement's progress. Any thread, like Interrupt(): a
  // shell polls it while its own thread waits in Query().
  QueryProgress Progress() const;
  // The connection's explicit transaction (BEGIN ... COMMIT/ROLLBACK):
  // kIdle in autocommit; kFailed once a statement failed while running
  // inside it (DuckDB's and PostgreSQL's rule: then every statement but
  // COMMIT and ROLLBACK fails with "Current transaction is aborted", and
  // COMMIT rolls back). sqlite3_get_autocommit's question, and what a
  // PostgreSQL server reports in ReadyForQuery. The connection's thread.
  enum class TransactionStatus { kIdle, kInTransaction, kFailed };
  TransactionStatus transaction_status() const;

  // Parses `sql`, one statement with parameters written `$1`, `$2`, ... or
  // `?` (numbered left to right), for repeated execution. Always returns a
  // statement; when it is not ok() its error says why (a syntax error, more
  // than one statement). It runs on this connection, which must outlive it.
  PreparedStatement Prepare(const std::string& sql);

 private:
  friend class PreparedStatement;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A statement prepared by Connection::Prepare: bind parameter values, then
// Execute(); bindings persist across executions until rebound or cleared.
// Parameters are numbered from 1. Movable, not copyable; one thread at a
// time (the connection's).
class TSLAKE_API PreparedStatement {
 public:
  PreparedStatement();
  ~PreparedStatement();
  PreparedStatement(PreparedStatement&&) noexcept;
  PreparedStatement& operator=(PreparedStatement&&) noexcept;

  // Whether Prepare succeeded; the error otherwise.
  bool ok() const;
  const Status& status() const;
  // Number of distinct parameters ($n's highest n, or the count of ?).
  int parameter_count() const;

  // kInvalidArgument when `index` is not in 1..parameter_count() or the
  // statement failed to prepare. A value's type is checked against the
  // parameter's use when Execute() binds the statement.
  Status BindNull(int index);
  Status BindBool(int index, bool value);
  Status BindInt64(int index, int64_t value);
  Status BindDouble(int index, double value);
  Status BindString(int index, std::string_view value);
  // Microseconds since 1970-01-01 00:00:00 UTC.
  Status BindTimestamp(int index, int64_t micros);
  void ClearBindings();

  // Runs the statement with the current bindings. An unbound parameter is
  // kInvalidArgument naming it; otherwise as Connection::Query.
  Result Execute();

 private:
  friend class Connection;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct AppenderOptions {
  // Non-empty: every flush carries a batch id (this app id plus a sequence
  // number, Delta's txn action) and is idempotent; see Appender::Flush.
  std::string app_id;
};

// One column of Appender::AppendBatch: `rows` values of one type.
struct ColumnData {
  // The column's type as the table has it; kBoolean, kTinyint, kSmallint,
  // kInteger, kBigint, kTime and kTimestamp take int64_t values (0/1, the
  // number in the type's range, microseconds since midnight or the epoch),
  // kDouble double, kVarchar, kBlob (raw bytes up to a NUL) and kUuid (text,
  // validated and stored canonical) NUL-terminated `const char*`.
  Type type = Type::kNull;
  const void* values = nullptr;
  // nullptr: every row has a value; otherwise one byte a row, 1 = value,
  // 0 = NULL (the value slot is then ignored and may be null for VARCHAR).
  const uint8_t* valid = nullptr;
};

// What a flush did.
struct FlushInfo {
  int64_t rows = 0;          // rows of this flush
  int64_t version = -1;      // table version holding them; -1 when deferred or none
  bool durable = false;      // true once committed (kFull); false when deferred (kNormal)
  bool already_committed = false;  // the batch id had committed before: rows dropped
};

// Fast row ingest into one table (DuckDB's Appender): append values a row
// at a time or a column batch at a time, then Flush(), which makes every
// row appended since the last flush one table version (group-committed
// with other appenders' flushes of the same table). Rows not yet flushed
// are not in any version; the destructor flushes them (as Close()).
//
// Thread-safety: one thread at a time per Appender; several Appenders (in
// several threads or processes) may append to one table at once. Readers
// never see a partial flush.
class TSLAKE_API Appender {
 public:
  // Opens an appender on `table` (case-insensitive) of `db`, which must
  // outlive it. nullptr with *status set (when given) when the table does
  // not exist (kNotFound), the database is read-only (kInvalidArgument) or
  // the table's log cannot be read.
  static std::unique_ptr<Appender> Open(Database& db, const std::string& table,
                                        const AppenderOptions& options = {},
                                        Status* status = nullptr);
  ~Appender();
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;

  // The table's columns, in the order rows are appended.
  const std::vector<ColumnInfo>& columns() const;

  // Row at a time: one Append* per column in order, then EndRow(). EndRow
  // converts each value to its column's type only when the value stays
  // exactly the same (int64 2 into a DOUBLE column, 2.0 or "12" into an
  // INTEGER column, "2024-01-01 00:00:00" into a TIMESTAMP column) and checks
  // that the table can store it (TIMESTAMP within DuckDB's range and, when
  // the table is partitioned on it, within years 0000..9999; VARCHAR valid
  // UTF-8); otherwise it returns kInvalidArgument naming the column and
  // drops that row only (rows before it stay pending), so a flush never
  // fails for a row's content. An Append* past the last column is
  // kInvalidArgument and also drops the row at EndRow.
  Status AppendNull();
  Status AppendBool(bool value);
  Status AppendInt64(int64_t value);
  Status AppendDouble(double value);
  Status AppendString(std::string_view value);
  Status AppendTimestamp(int64_t micros);
  // kInvalidArgument when the row has fewer values than columns (dropped).
  Status EndRow();

  // Column batch: one ColumnData per table column, in order, each with
  // `rows` values. kInvalidArgument naming the column when a type differs
  // from the table's or a value fails EndRow's checks; nothing of the batch
  // is appended then.
  Status AppendBatch(int64_t rows, const std::vector<ColumnData>& columns);

  // CSV bytes for AppendCsv (RFC 4180, as COPY ... (FORMAT csv) reads it).
  struct CsvFormat {
    // The first record is a header: skipped; when its names are all table
    // columns they map the fields to columns, else fields map by position.
    bool header = false;
    char delimiter = ',';
    char quote = '"';  // doubled inside a quoted field
    // A quoted empty field ("") in a VARCHAR column: false reads it as the
    // empty string (PostgreSQL's COPY), true as NULL (DuckDB's read_csv).
    // An unquoted empty field is NULL either way.
    bool quoted_empty_is_null = false;
    std::string name = "STDIN";    // stands for the file name in messages
    std::size_t max_record_bytes = std::size_t{64} << 20;  // a longer record is an error
  };
  // Appends every record of a CSV byte stream, read a block at a time by
  // `read` (fill up to `capacity` bytes of `buffer`; return how many, 0 at
  // the end of the data, -1 to give up), parsed straight into column
  // batches of the table's types (COPY ... FROM 'file''s reader: no value
  // object per row) and appended as AppendBatch does. The rows are pending
  // like any appended rows: Flush() makes them one version, Discard() drops
  // them. Memory stays within a block and the appender's segment buffer,
  // whatever the stream's length. kInvalidArgument naming the line, column
  // and value for a record that does not convert, kIOError when `read`
  // gave up; rows of records before it stay appended (Discard() drops
  // them). *rows (when given): records appended by this call. `read` is
  // called one call at a time, the first on the calling thread and the
  // rest on a reader thread of this call (parsing overlaps appending),
  // never after AppendCsv returns.
  Status AppendCsv(const std::function<int64_t(char* buffer, std::size_t capacity)>& read,
                   const CsvFormat& format, int64_t* rows = nullptr);

  // Makes every row appended since the last flush one table version. With
  // an app id the batch gets sequence last_committed_sequence() + 1; the
  // second form takes the caller's sequence (REQUIRES an app id), and a
  // sequence that already committed commits nothing (info->already_committed)
  // so a batch replayed after a crash is not stored twice. Sequences must
  // increase. An empty flush commits nothing (no version) and consumes no
  // sequence. A failed flush consumes no sequence and its rows are dropped:
  // append the batch again and retry with the same sequence. In
  // SyncMode::kNormal the rows appended so far are set apart at the call
  // and committed within the interval (info->durable is false); rows
  // appended afterwards are in no version until their own flush. An error
  // of a deferred commit is returned by the next Flush() or Close(), which
  // then commits nothing and drops every row not yet committed: resend the
  // batches after last_committed_sequence().
  Status Flush(FlushInfo* info = nullptr);
  Status Flush(int64_t sequence, FlushInfo* info = nullptr);
  // Flushes and commits everything now (also in kNormal), then detaches. A
  // row begun with Append* and not ended is dropped. Afterwards every call
  // but the destructor returns kInvalidArgument ("the appender is closed"),
  // a second Close() included.
  Status Close();
  // Drops every row appended since the last flush (and the segment files
  // written for them) without committing anything, so a load that fails
  // half-way (a COPY whose client disconnects) leaves no version behind;
  // rows an earlier Flush() handed to the group committer (kNormal) are
  // still committed. kInvalidArgument when the appender is closed.
  Status Discard();

  // Rows appended and not yet committed.
  int64_t pending_rows() const;
  // The newest sequence committed for the app id (-1: none).
  int64_t last_committed_sequence() const;

 private:
  struct Impl;
  explicit Appender(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A table's storage at its latest version (the shell's .stats).
struct TableStats {
  int64_t version = -1;    // the latest version
  int64_t versions = 0;    // versions whose commit is still in the log (DESCRIBE HISTORY rows)
  int64_t partitions = 0;  // distinct partition values among the live segments (1 when unpartitioned)
  int64_t segments = 0;    // live segment files
  int64_t rows = 0;        // rows in the live segments
  int64_t bytes = 0;       // bytes of the live segment files
};

class TSLAKE_API Database {
 public:
  // Opens or creates the database directory `path`; "" or ":memory:" is an
  // in-memory database. On failure returns nullptr and sets *error (when
  // given) to the reason.
  static std::unique_ptr<Database> Open(const std::string& path, const Options& options = {},
                                        std::string* error = nullptr);
  // As above, with the error's code as well: kInvalidArgument for a bad
  // option (named), kNotFound for a missing directory opened read-only,
  // kIOError, kCorruption.
  static std::unique_ptr<Database> Open(const std::string& path, const Options& options, Status* status);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& path() const;
  bool read_only() const;
  // Recreates catalog.sqlite from the table logs. Empty string on success,
  // else the error.
  std::string RebuildCatalog();
  // What Open (or RebuildCatalog) did about the catalog that a user may
  // want to know, one sentence each: a damaged catalog.sqlite moved aside
  // as catalog.sqlite.damaged-<time> and rebuilt from the logs, or a
  // catalog that could not be written (a full disk) so reads use the logs.
  // Empty normally. Thread-safe.
  std::vector<std::string> Notices() const;

  // Names of the tables, sorted. Thread-safe.
  std::vector<std::string> ListTables() const;
  // Names of every SQL function this database knows (scalar, aggregate,
  // window and table functions, aliases included), lower-case, sorted,
  // without duplicates: what the shell's Tab completion offers.
  // Thread-safe.
  std::vector<std::string> ListFunctions() const;
  // The columns of table `name` (case-insensitive) at its latest version.
  // Empty, with *error set when given, when the table does not exist or its
  // log cannot be read. Thread-safe.
  std::vector<ColumnInfo> DescribeTable(const std::string& name, std::string* error = nullptr) const;
  // The properties of table `name` at its latest version (CREATE TABLE ...
  // PARTITION BY / WITH (...), ALTER TABLE ... SET (...)): (key, value)
  // sorted by key, "partition_by" among them when the table is
  // partitioned. Empty, with *error set when given, when the table does
  // not exist or its log cannot be read. Thread-safe.
  std::vector<std::pair<std::string, std::string>> TableConfiguration(
      const std::string& name, std::string* error = nullptr) const;
  // The views, sorted by name: (name, the query text after AS). Thread-safe.
  std::vector<std::pair<std::string, std::string>> ListViews() const;

  // Fills *stats for table `name` (case-insensitive) at its latest version.
  // kNotFound when there is no such table; kIOError/kCorruption when its log
  // cannot be read. Thread-safe.
  Status GetTableStats(const std::string& name, TableStats* stats) const;

  // The options the database was opened with.
  const Options& options() const;

  // OK when the host application (the shell's .output and .once) may write
  // its own output to `path`: anywhere but inside the database directory,
  // whose files belong to the engine (symlinks, `..` and relative paths
  // resolved; a file not created yet is judged by its parent). Otherwise
  // kInvalidArgument naming the path and the directory. Thread-safe.
  Status CheckOutputFile(const std::string& path) const;

  // Library version, "0.1.0".
  static const char* Version();

 private:
  friend class Connection;
  friend class Appender;
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tslake
