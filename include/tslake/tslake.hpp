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

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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
};

// SQL types as the API reports them.
enum class Type : int { kNull = 0, kBoolean, kInteger, kBigint, kDouble, kVarchar, kTimestamp, kInterval };

struct Options {
  bool read_only = false;
  // "zstd" (default), "lz4" or "none": compression of new segments.
  std::string compression = "zstd";
};

class Database;

// One column of a table, as Database::DescribeTable reports it.
struct ColumnInfo {
  std::string name;
  Type type = Type::kNull;
};

// Lower-case SQL name of a type as the shell shows it: "varchar", "int64",
// "double", "timestamp", ...
const char* TypeName(Type type);

// The outcome of one query: either an error, or columns and rows.
// Owns its data; movable, not copyable.
class Result {
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

  // "SELECT", "INSERT", "CREATE TABLE", ...
  const std::string& statement_type() const;
  int column_count() const;
  const std::string& column_name(int column) const;
  Type column_type(int column) const;
  int64_t row_count() const;

  // Typed access. REQUIRES: 0 <= column < column_count(), 0 <= row < row_count().
  bool IsNull(int column, int64_t row) const;
  int64_t GetInt64(int column, int64_t row) const;   // BOOLEAN/INTEGER/BIGINT/TIMESTAMP(us)
  double GetDouble(int column, int64_t row) const;   // any numeric type
  // Text as the shell prints it; "NULL" for NULL.
  std::string GetString(int column, int64_t row) const;

 private:
  friend class Connection;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class Connection {
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
  // Cancels the running statement (it fails with kCancelled). Any thread.
  void Interrupt();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class Database {
 public:
  // Opens or creates the database directory `path`; "" or ":memory:" is an
  // in-memory database. On failure returns nullptr and sets *error (when
  // given) to the reason.
  static std::unique_ptr<Database> Open(const std::string& path, const Options& options = {},
                                        std::string* error = nullptr);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& path() const;
  bool read_only() const;
  // Recreates catalog.sqlite from the table logs. Empty string on success,
  // else the error.
  std::string RebuildCatalog();

  // Names of the tables, sorted. Thread-safe.
  std::vector<std::string> ListTables() const;
  // The columns of table `name` (case-insensitive) at its latest version.
  // Empty, with *error set when given, when the table does not exist or its
  // log cannot be read. Thread-safe.
  std::vector<ColumnInfo> DescribeTable(const std::string& name, std::string* error = nullptr) const;

  // Library version, "0.1.0".
  static const char* Version();

 private:
  friend class Connection;
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tslake
