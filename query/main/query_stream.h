// QueryStream: one statement's result read a chunk at a time, as its
// operators produce it (DuckDB's streaming QueryResult, SQLite's step), so
// a caller that writes rows out as they come holds one chunk, not the
// whole result. QueryEngine::OpenStream and QueryEngine::StreamScript make
// them.
//
// A SELECT is pulled lazily: Next() runs the operator tree on the calling
// thread until it yields the next chunk, so a plan that streams (scan,
// filter, projection, limit) runs in bounded memory, and destroying the
// stream before its end stops the query there (the rest is never
// computed). A plan with a blocking operator (ORDER BY, GROUP BY, a join's
// build side) still builds that operator's state on the first Next(). Every
// other statement (DDL, DML, EXPLAIN, DESCRIBE, ...) has run to completion
// when the stream is opened, which then hands out its materialized rows.
//
// Errors raised while pulling (a runtime error, kCancelled from
// QueryEngine::Cancel, memory_limit) come back from Next() as a Status;
// the stream is finished then. memory_limit holds as for a materialized
// query: the operators reserve what they hold and the chunk being handed
// out is reserved as RESULT until the next Next().
//
// Thread-safety: one thread at a time; the engine that opened the stream
// (and its database) must outlive it, and Cancel() on that engine stops
// the stream's current or next Next().
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "formats/status.h"
#include "query/main/query_engine.h"

namespace tsl::query {

class Binder;
class PhysicalOperator;
class QueryError;
class QueryProgress;
class QueryWarnings;
class SessionTransaction;
struct BoundSelect;
struct Statement;

class QueryStream {
 public:
  ~QueryStream();
  QueryStream(const QueryStream&) = delete;
  QueryStream& operator=(const QueryStream&) = delete;

  const Schema& schema() const { return schema_; }
  const std::string& statement_type() const { return statement_type_; }
  // The session time zone when the statement was opened (TIMESTAMPTZ
  // values are shown in it); null means UTC.
  const TimeZonePtr& time_zone() const { return time_zone_; }

  // Fills *out (reset first) with the next chunk, of at least one row, and
  // returns true; false at the end. An error is returned once; afterwards,
  // and after the end, Next() returns false.
  Result<bool> Next(DataChunk* out);

  // What the statement wants the user to know besides the rows (rows a
  // table function skipped, ...) that is known so far; complete once Next()
  // has returned false. Each warning is returned once.
  std::vector<std::string> TakeWarnings();

 private:
  friend class QueryEngine;
  QueryStream();
  // Opens the SELECT `stmt` (of the script `sql`) on `db`: binds and plans
  // it, reading the writes of `session` (the connection's open
  // transaction, or null) and counting its progress in `progress` (or
  // null). Throws QueryError as StatementExecutor does.
  static std::unique_ptr<QueryStream> Open(Database* db, const TableFunctionRegistry* functions,
                                           DatabaseConfig* config,
                                           const std::atomic<bool>* cancelled,
                                           const Statement& stmt, const std::string& sql,
                                           SessionTransaction* session, QueryProgress* progress,
                                           std::unique_ptr<Database>* temp_db = nullptr);
  // A stream handing out the rows of a statement that has already run.
  static std::unique_ptr<QueryStream> FromResult(QueryResult result, const std::string& sql);
  void Finish();  // releases the plan (and with it the snapshot and the operators' memory)

  Schema schema_;
  std::string statement_type_;
  TimeZonePtr time_zone_;
  std::string sql_;  // for an error's caret line
  // The open transaction's aborted flag: set by an error while fetching.
  std::shared_ptr<bool> abort_on_error_;
  DatabaseConfig* config_ = nullptr;
  const std::atomic<bool>* cancelled_ = nullptr;
  std::unique_ptr<QueryWarnings> warnings_;
  std::vector<std::string> early_warnings_;  // of statements run before this one
  // A SELECT's plan. Declared in this order so that the operators go first
  // (their expressions may point into the bound query and binder).
  std::unique_ptr<Binder> binder_;
  std::unique_ptr<BoundSelect> select_;
  std::unique_ptr<PhysicalOperator> root_;
  std::shared_ptr<MemoryReservation> memory_;  // the chunk last handed out
  // Any other statement: its rows, handed out in order.
  QueryResult materialized_;
  size_t next_chunk_ = 0;
  bool done_ = false;
};

// QueryError -> Status with the caret line under `sql`, as every
// QueryEngine method reports errors (query_engine.cc).
Status QueryErrorStatus(const QueryError& e, const std::string& sql);

}  // namespace tsl::query
