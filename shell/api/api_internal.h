// The PIMPL bodies behind include/tslake/tslake.hpp, shared by the files of
// shell/api. Only shell/api includes this: it is the one place where the
// public API meets the engine (storage, query) and ingest's readers.
// Thread-safety: as documented on the public classes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shell/api/commit_flusher.h"
#include "shell/api/maintenance_worker.h"

#include "formats/status.h"
#include "query/execution/memory_tracker.h"
#include "query/functions/table_function.h"
#include "query/main/query_engine.h"
#include "query/main/query_stream.h"
#include "storage/database.h"
#include "tslake/tslake.hpp"

namespace tslake {

struct Database::Impl {
  std::unique_ptr<tsl::Database> db;
  // read_csv and friends; registered before any query runs, read-only after.
  tsl::query::TableFunctionRegistry functions;
  Options options;
  std::string path;
  // This database's memory_limit and threads (DuckDB's DBConfig): its
  // connections' statements reserve from its MemoryTracker, so another
  // database's limit or queries never fail this one's.
  tsl::query::DatabaseConfig config;
  // Deferred commits of SyncMode::kNormal appenders. Declared after `db` so
  // it is destroyed (committing what it holds) while the tables still exist.
  std::unique_ptr<CommitFlusher> flusher;
  // Background maintenance (null for a read-only database). Declared last:
  // destroyed first, so its thread is joined while everything it uses
  // (db, functions, config, the flusher's tables) still exists.
  std::unique_ptr<MaintenanceWorker> maintenance;
};

struct Connection::Impl {
  explicit Impl(Database::Impl* db)
      : engine(db->db.get(), &db->functions, &db->config), db(db) {}
  tsl::query::QueryEngine engine;
  Database::Impl* db;
};

struct Result::Impl {
  ErrorCode code = ErrorCode::kOk;
  std::string error;
  std::string statement_type;
  std::vector<std::string> warnings;
  tsl::Schema schema;
  std::vector<tsl::DataChunk> chunks;
  // chunk_starts[i] is the row number of chunks[i]'s first row.
  std::vector<int64_t> chunk_starts;
  int64_t rows = 0;
  // TIMESTAMP WITH TIME ZONE values are shown in this zone (the session's
  // when the statement ran).
  tsl::TimeZonePtr time_zone = tsl::TimeZone::Utc();

  // The chunk holding `row` and the row's offset in it.
  // REQUIRES: 0 <= row < rows.
  std::pair<size_t, size_t> Locate(int64_t row) const;
  const tsl::ColumnVector& Column(int column, int64_t row, size_t* offset) const;

  static std::unique_ptr<Impl> FromStatus(const tsl::Status& status);
  static std::unique_ptr<Impl> FromQueryResult(tsl::query::QueryResult result);
  // kOutOfMemory when the engine's result holds more than `memory_limit`
  // bytes of values (0 = no limit); OK otherwise.
  static Status CheckMemoryLimit(const tsl::query::QueryResult& result, int64_t memory_limit);
  static std::unique_ptr<Impl> FromError(const Status& status);
  // One chunk of a stream (streaming_result.cc).
  static std::unique_ptr<Impl> FromChunk(const tsl::Schema& schema, const std::string& statement_type,
                                         tsl::DataChunk chunk);
};

struct StreamingResult::Impl {
  ErrorCode code = ErrorCode::kOk;
  std::string error;
  std::string statement_type;
  tsl::Schema schema;
  std::vector<std::string> warnings;
  int64_t rows = 0;
  tsl::Status failure;  // the engine's error behind code/error
  // The session time zone when the statement ran: TIMESTAMPTZ cells show in it.
  tsl::TimeZonePtr time_zone = tsl::TimeZone::Utc();
  // Null once the stream has ended or failed (the query's state released).
  std::unique_ptr<tsl::query::QueryStream> stream;

  static std::unique_ptr<Impl> FromStream(std::unique_ptr<tsl::query::QueryStream> stream);
  static std::unique_ptr<Impl> FromStatus(const tsl::Status& status);
};

// Until the query engine prepares statements itself, a prepared statement
// is its SQL split around the parameters; Execute() splices each bound
// value in as a SQL literal of its type (strings quoted, so a value is
// never parsed as SQL) and runs the text on the connection.
struct PreparedStatement::Impl {
  Connection* connection = nullptr;
  Status status;
  // Parsed once by the engine; executed with `values` as parameters.
  std::shared_ptr<const tsl::query::PreparedQuery> query;
  // The value bound to each parameter; nullopt: not bound.
  std::vector<std::optional<tsl::Value>> values;

  static std::unique_ptr<Impl> Make(Connection* connection, const std::string& sql);
};

// True for an I/O error from a full disk or quota: the Status's errno
// (Status::IsNoSpace: PosixEnv records it, the catalog maps SQLITE_FULL to
// ENOSPC), or, for a message rebuilt without it, its text (result.cc).
bool IsDiskFull(const tsl::Status& s);

// tsl::Status's codes are the public ErrorCode's first ten; an I/O error
// from a full disk or quota is kFull.
// The API's Type of an engine type: every DECIMAL(w,s) is Type::kDecimal;
// a LIST is Type::kVarchar, read as DuckDB's text ("[1, 2]"), its SQL name
// ("INTEGER[]") in column_type_name.
// Engine codes 10..14 (SMALLINT .. UUID) are the API's 11..15 (10 is kDecimal).
inline Type PublicType(tsl::TypeId t) {
  if (tsl::IsList(t)) return Type::kVarchar;
  switch (t) {
    case tsl::TypeId::kSmallint: return Type::kSmallint;
    case tsl::TypeId::kTinyint: return Type::kTinyint;
    case tsl::TypeId::kTime: return Type::kTime;
    case tsl::TypeId::kBlob: return Type::kBlob;
    case tsl::TypeId::kUuid: return Type::kUuid;
    default: break;
  }
  return tsl::IsDecimal(t) ? Type::kDecimal : static_cast<Type>(t);
}

inline ErrorCode PublicCode(const tsl::Status& s) {
  if (IsDiskFull(s)) return ErrorCode::kFull;
  return static_cast<ErrorCode>(s.code());
}
inline Status ToPublic(const tsl::Status& s) {
  if (s.ok()) return Status();
  return Status(PublicCode(s), s.message().empty() ? s.ToString() : s.message());
}

// Registers read_csv on `registry` (ingest's CsvReader as a table function).
void RegisterIngestFunctions(tsl::query::TableFunctionRegistry* registry);
// Registers read_parquet and wraps every read_* function so that the files
// it names pass `policy` (enable_external_access) and are regular files
// unless `allow_special_files => true` (input_file_guard.cc).
void GuardFileInputs(tsl::query::TableFunctionRegistry* registry,
                     const tsl::FileAccessPolicy* policy);

}  // namespace tslake
