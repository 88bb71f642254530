// QueryEngine: parses a script and runs its statements one by one, turning
// every QueryError into a DuckDB-styled Status with a caret line. See
// query_engine.h.
#include "query/main/query_engine.h"

#include "query/common/query_error.h"
#include "query/execution/memory_tracker.h"
#include "query/common/query_warnings.h"
#include "query/main/prepared_statements.h"
#include "query/main/statement_executor.h"
#include "query/parser/parser.h"

namespace tsl::query {
namespace {

// "LINE 2: SELECT vale FROM m\n               ^" for the line holding
// `position`.
std::string CaretLines(const std::string& sql, int position) {
  if (position < 0 || static_cast<size_t>(position) > sql.size()) return "";
  size_t pos = static_cast<size_t>(position);
  size_t line_start = sql.rfind('\n', pos == 0 ? 0 : pos - 1);
  line_start = (line_start == std::string::npos || pos == 0) ? 0 : line_start + 1;
  if (pos > 0 && sql[pos - 1] == '\n') line_start = pos;
  size_t line_end = sql.find('\n', pos);
  if (line_end == std::string::npos) line_end = sql.size();
  int line_number = 1;
  for (size_t i = 0; i < line_start; ++i) line_number += sql[i] == '\n';
  std::string prefix = "LINE " + std::to_string(line_number) + ": ";
  std::string line = sql.substr(line_start, line_end - line_start);
  for (char& c : line) {
    if (c == '\t' || c == '\r') c = ' ';
  }
  return "\n" + prefix + line + "\n" + std::string(prefix.size() + (pos - line_start), ' ') + "^";
}

// Every QueryError becomes a non-OK Status: an error that turned into OK
// would end a statement silently (a broken views file made SELECT, CREATE
// VIEW and DROP VIEW print nothing and exit 0).
Status ToStatus(const QueryError& e, const std::string& sql) {
  // A storage Status passes through unchanged, keeping its code
  // (kCorruption, kConflict, ...) and its own message.
  if (e.kind() == ErrorKind::kStorage && !e.status().ok()) return e.status();
  std::string message =
      std::string(ErrorKindName(e.kind())) + ": " + e.message() + CaretLines(sql, e.position());
  StatusCode code = StatusCode::kInvalidArgument;
  switch (e.kind()) {
    case ErrorKind::kCatalog:
      code = StatusCode::kNotFound;
      break;
    case ErrorKind::kNotImplemented:
      code = StatusCode::kNotSupported;
      break;
    case ErrorKind::kInterrupt:
      code = StatusCode::kCancelled;
      break;
    case ErrorKind::kInternal:
      code = StatusCode::kInternal;
      break;
    case ErrorKind::kOutOfMemory:
      code = StatusCode::kOutOfMemory;
      break;
    case ErrorKind::kStorage:  // thrown with a message, not a Status
      code = StatusCode::kIOError;
      break;
    case ErrorKind::kParser:
    case ErrorKind::kBinder:
    case ErrorKind::kConversion:
    case ErrorKind::kOutOfRange:
    case ErrorKind::kInvalidInput:
      break;
  }
  if (e.code() && *e.code() != StatusCode::kOk) code = *e.code();
  return Status(code, std::move(message));
}

}  // namespace

struct QueryEngine::Impl {
  Database* db;
  const TableFunctionRegistry* functions;
  DatabaseConfig* config;
  std::atomic<bool> cancelled{false};
  // PREPARE name AS ...: this connection's prepared statements by name
  // (prepared_statements.cc).
  PreparedStatements prepared;
};

QueryEngine::QueryEngine(Database* db, const TableFunctionRegistry* functions,
                         DatabaseConfig* config)
    : impl_(std::make_unique<Impl>()) {
  impl_->db = db;
  impl_->functions = functions;
  impl_->config = config;
}

QueryEngine::~QueryEngine() = default;

void QueryEngine::Cancel() { impl_->cancelled.store(true); }

Status QueryEngine::ExecuteScript(const std::string& sql,
                                  const std::function<void(const QueryResult&)>& on_result) {
  impl_->cancelled.store(false);
  ConfigScope scope(impl_->config);
  try {
    std::vector<std::unique_ptr<Statement>> statements = Parser(sql).ParseScript();
    QueryWarnings warnings;
    ExecutionContext ctx;
    ctx.cancelled = &impl_->cancelled;
    ctx.warnings = &warnings;
    StatementExecutor executor(impl_->db, impl_->functions, ctx);
    for (const auto& stmt : statements) {
      if (stmt->type == StatementType::kExecute) {
        // The prepared statement's errors point into its PREPARE's text.
        const PreparedStatements::Entry* entry = nullptr;
        std::vector<Value> params;
        try {
          entry = &impl_->prepared.Find(*stmt);
          params = impl_->prepared.Values(*stmt, *entry, impl_->db, impl_->functions);
        } catch (QueryError& e) {
          e.SetPositionIfUnknown(stmt->position);
          return ToStatus(e, sql);
        }
        try {
          executor.SetParameters(&params);
          QueryResult result = executor.Execute(*entry->statement);
          executor.SetParameters(nullptr);
          result.warnings = warnings.Take();
          if (on_result) on_result(result);
        } catch (QueryError& e) {
          executor.SetParameters(nullptr);
          e.SetPositionIfUnknown(-1);
          return ToStatus(e, entry->sql);
        }
        continue;
      }
      try {
        if (stmt->type == StatementType::kPrepare || stmt->type == StatementType::kDeallocate) {
          QueryResult result = impl_->prepared.Apply(*stmt);
          if (on_result) on_result(result);
          continue;
        }
        QueryResult result = executor.Execute(*stmt);
        result.warnings = warnings.Take();
        if (on_result) on_result(result);
      } catch (QueryError& e) {
        e.SetPositionIfUnknown(-1);
        return ToStatus(e, sql);
      }
    }
  } catch (const QueryError& e) {
    return ToStatus(e, sql);
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kInternal, "Out of Memory Error: could not allocate memory");
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("INTERNAL Error: ") + e.what());
  }
  return Status::OK();
}

PreparedQuery::~PreparedQuery() = default;

Result<std::shared_ptr<const PreparedQuery>> QueryEngine::Prepare(const std::string& sql) {
  try {
    std::vector<std::unique_ptr<Statement>> statements = Parser(sql).ParseScript();
    if (statements.size() != 1) {
      return Status::InvalidArgument(
          "Prepare: a prepared statement is one statement, but the SQL has " +
          std::to_string(statements.size()));
    }
    auto prepared = std::shared_ptr<PreparedQuery>(new PreparedQuery());
    prepared->sql_ = sql;
    prepared->parameter_count_ = statements[0]->parameter_count;
    prepared->statement_ = std::move(statements[0]);
    return std::shared_ptr<const PreparedQuery>(std::move(prepared));
  } catch (const QueryError& e) {
    return ToStatus(e, sql);
  }
}

Result<QueryResult> QueryEngine::ExecutePrepared(const PreparedQuery& query,
                                                 const std::vector<Value>& params) {
  if (static_cast<int>(params.size()) < query.parameter_count()) {
    return Status::InvalidArgument("parameter $" + std::to_string(params.size() + 1) +
                                   " has no value bound");
  }
  impl_->cancelled.store(false);
  ConfigScope scope(impl_->config);
  try {
    QueryWarnings warnings;
    ExecutionContext ctx;
    ctx.cancelled = &impl_->cancelled;
    ctx.warnings = &warnings;
    StatementExecutor executor(impl_->db, impl_->functions, ctx);
    executor.SetParameters(&params);
    QueryResult result = executor.Execute(*query.statement_);
    result.warnings = warnings.Take();
    return result;
  } catch (QueryError& e) {
    e.SetPositionIfUnknown(-1);
    return ToStatus(e, query.sql());
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kInternal, "Out of Memory Error: could not allocate memory");
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("INTERNAL Error: ") + e.what());
  }
}

Result<QueryResult> QueryEngine::Execute(const std::string& sql) {
  QueryResult last;
  std::vector<std::string> warnings;  // every statement's, not only the last one's
  Status st = ExecuteScript(sql, [&](const QueryResult& r) {
    last = r;
    warnings.insert(warnings.end(), r.warnings.begin(), r.warnings.end());
  });
  if (!st.ok()) return st;
  last.warnings = std::move(warnings);
  return last;
}

}  // namespace tsl::query
