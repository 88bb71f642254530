// QueryEngine: SQL text in, results out. Parses a script into statements,
// binds, plans and executes each in order (autocommit: every data-changing
// statement is one table version). The stages live in parser/, binder/,
// planner/, execution/ and functions/.
//
// Errors inside the stages are typed exceptions; every public method here
// catches them and returns a Status whose message is DuckDB-styled:
//   Binder Error: Referenced column "vale" not found. Did you mean "value"?
//   LINE 1: SELECT vale FROM m
//                  ^
// Thread-safety: one QueryEngine per connection; Cancel() may be called
// from any thread (the shell's Ctrl-C handler).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "formats/status.h"
#include "formats/time_zone.h"
#include "query/functions/table_function.h"
#include "storage/database.h"
#include "storage/table.h"

namespace tsl::query {

class MemoryReservation;
class QueryProgress;
class QueryStream;
struct DatabaseConfig;

struct QueryResult {
  // For statements that return rows (SELECT, EXPLAIN, DESCRIBE ...): the
  // columns and rows. DDL/DML return one BIGINT column "Count" (rows
  // changed) for INSERT/COPY/DELETE, and no columns for CREATE/DROP.
  Schema schema;
  std::vector<DataChunk> chunks;
  std::string statement_type;  // "SELECT", "INSERT", "CREATE TABLE", ...
  // The rows' bytes, reserved against memory_limit while the engine builds
  // and hands over the result (execution/memory_tracker.h); null for
  // results too small to matter.
  std::shared_ptr<MemoryReservation> memory;
  // What the user should know besides the rows, one sentence each: rows a
  // table function skipped, rows a COPY rejected into <t>_rejects.
  std::vector<std::string> warnings;
  // The session's TimeZone when the statement ran: TIMESTAMP WITH TIME ZONE
  // values are shown in it (execution/time_zone_setting.h).
  TimeZonePtr time_zone;

  int64_t row_count() const;
  Value GetValue(size_t column, int64_t row) const;  // slow; tests and printing
};

struct Statement;

// A statement parsed once by QueryEngine::Prepare; run it any number of
// times with parameter values (no re-parsing; binding and planning happen
// per execution, so the values' types decide casts and pruning).
// Immutable, so shareable between threads.
class PreparedQuery {
 public:
  ~PreparedQuery();
  // $n's highest n, or the number of `?`.
  int parameter_count() const { return parameter_count_; }
  const std::string& sql() const { return sql_; }

 private:
  friend class QueryEngine;
  std::string sql_;
  std::unique_ptr<Statement> statement_;
  int parameter_count_ = 0;
};

class QueryEngine {
 public:
  // `db`, `functions` and `config` must outlive the engine. `config` holds
  // the database's settings (memory_limit, threads; SET changes them for
  // every engine sharing it); nullptr: the process's default config.
  QueryEngine(Database* db, const TableFunctionRegistry* functions,
              DatabaseConfig* config = nullptr);
  ~QueryEngine();

  // Catches the materialized views over `table` up with its latest version
  // (issue 21, main/materialized_view.cc): for writers that commit outside
  // a statement, as the public Appender's flushes do.
  static Status MaintainMaterializedViews(Database* db, const TableFunctionRegistry* functions,
                                          const std::string& table);

  // Background maintenance's retention step (issue 21): catches the views
  // over `table` up, then applies `table`'s retention property (a view's on
  // its time_bucket column) only when every view reading `table` holds its
  // latest version, so the source never loses rows a view has not
  // aggregated. The DELETE commit carries `parameters`. Version -1: nothing
  // expired, or held back (then *held_back says which view lags).
  static Result<CommitResult> ApplyRetentionBehindViews(
      Database* db, const TableFunctionRegistry* functions, const std::string& table,
      const std::map<std::string, std::string>& parameters, std::string* held_back);

  // Runs every statement in `sql`, calling `on_result` after each one.
  // Stops at the first error and returns it; statements before it stay
  // committed, the failing one commits nothing.
  Status ExecuteScript(const std::string& sql,
                       const std::function<void(const QueryResult&)>& on_result);
  // Runs every statement; returns the last one's result.
  Result<QueryResult> Execute(const std::string& sql);

  // Parses one statement with `?` or `$n` parameters. A script of more
  // than one statement, or a parse error, fails here.
  Result<std::shared_ptr<const PreparedQuery>> Prepare(const std::string& sql);
  // Runs a prepared statement; params[i] is the value of $(i+1). A missing
  // value is kInvalidArgument.
  Result<QueryResult> ExecutePrepared(const PreparedQuery& query, const std::vector<Value>& params);

  // ExecuteScript's streaming form: each statement in turn is opened as a
  // QueryStream (query_stream.h) and handed to `on_stream`, which pulls as
  // many chunks as it wants; a SELECT's rows are computed as they are
  // pulled, and those not pulled before the stream is destroyed never are
  // (on_stream owns it; the next statement starts once it returns). Stops
  // at the first error: a statement's, or one on_stream returns (such as
  // the error Next() gave it).
  Status StreamScript(const std::string& sql,
                      const std::function<Status(std::unique_ptr<QueryStream>)>& on_stream);
  // Runs every statement of `sql` but the last to completion (their rows
  // dropped, their warnings kept for the stream's TakeWarnings) and opens
  // the last one as a stream, which must not outlive this engine.
  Result<std::unique_ptr<QueryStream>> OpenStream(const std::string& sql);

  // Asks the running statement to stop with kCancelled at its next batch.
  void Cancel();
  // The connection's explicit transaction: none, open, or aborted by a
  // failed statement (SessionTransaction::aborted).
  enum class TransactionStatus { kIdle, kInTransaction, kFailed };
  TransactionStatus transaction_status() const;
  // The running statement's progress (execution/query_progress.h); any
  // thread may read it, as Cancel() may be called from any thread.
  const QueryProgress& progress() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tsl::query
