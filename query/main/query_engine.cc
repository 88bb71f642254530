// QueryEngine: parses a script and runs its statements one by one, turning
// every QueryError into a DuckDB-styled Status with a caret line. See
// query_engine.h.
#include "query/main/query_engine.h"

#include "query/common/query_error.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/query_progress.h"
#include "query/common/query_warnings.h"
#include "query/main/prepared_statements.h"
#include "query/main/query_stream.h"
#include "query/main/session_transaction.h"
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
  // At most kHalfWidth bytes either side of the error, as DuckDB renders
  // (120 columns): a 10 MB statement on one line gave a 20 MB message (the
  // line and as many spaces before the caret). Cuts move to the start of a
  // UTF-8 character so the excerpt stays valid text.
  constexpr size_t kHalfWidth = 60;
  auto char_start = [&](size_t i) {
    while (i > line_start && i < line_end && (static_cast<unsigned char>(sql[i]) & 0xC0) == 0x80) --i;
    return i;
  };
  size_t from = line_start;
  size_t to = line_end;
  if (pos - line_start > kHalfWidth) from = char_start(pos - kHalfWidth);
  if (line_end - pos > kHalfWidth) to = char_start(pos + kHalfWidth);
  const std::string head = from > line_start ? "..." : "";
  const std::string tail = to < line_end ? "..." : "";
  std::string line = sql.substr(from, to - from);
  for (char& c : line) {
    if (c == '\t' || c == '\r') c = ' ';
  }
  return "\n" + prefix + head + line + tail + "\n" +
         std::string(prefix.size() + head.size() + (pos - from), ' ') + "^";
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
    case ErrorKind::kTransaction:
    case ErrorKind::kConstraint:
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
  SessionConfig session;  // this connection's SET SESSION overrides
  std::atomic<bool> cancelled{false};
  QueryProgress progress;  // the running statement's; read from any thread
  // The connection's temporary tables (CREATE TEMP TABLE): an in-memory
  // database created on first use. Declared before txn so it outlives a
  // transaction that touched one of its tables.
  std::unique_ptr<Database> temp_db;
  // The connection's explicit transaction, between BEGIN and COMMIT /
  // ROLLBACK (session_transaction.h); null in autocommit.
  std::unique_ptr<SessionTransaction> txn;

  // PREPARE name AS ...: this connection's prepared statements by name
  // (prepared_statements.cc).
  PreparedStatements prepared;

  // One statement as a stream: a SELECT pulled lazily (inside the open
  // transaction, counting progress), anything else run through Run() first.
  std::unique_ptr<QueryStream> OpenOne(const Statement& stmt, const std::string& sql,
                                       const std::string** where) {
    progress.Reset();  // each statement's bar starts empty
    if (stmt.type == StatementType::kSelect) {
      RefuseIfAborted(stmt);
      return Guarded([&] {
        return QueryStream::Open(db, functions, config, &cancelled, stmt, sql, txn.get(), &progress,
                                 &temp_db);
      });
    }
    QueryWarnings warnings;
    ExecutionContext ctx;
    ctx.cancelled = &cancelled;
    ctx.warnings = &warnings;
    ctx.progress = &progress;
    StatementExecutor executor(db, functions, ctx);
    QueryResult result = Run(executor, stmt, where);
    result.warnings = warnings.Take();
    result.time_zone = CurrentTimeZone();
    return QueryStream::FromResult(std::move(result), sql);
  }

  // Runs `stmt`: the statements that change the connection's state
  // (BEGIN / COMMIT / ROLLBACK, PREPARE / EXECUTE / DEALLOCATE) here, the
  // rest by `executor` inside the open transaction, if any. Every path
  // (ExecuteScript, the streams, the C++ PreparedStatement) comes through
  // here, so none of them bypasses the transaction or the prepared names.
  // *where is set to the SQL text an error's caret points into (an
  // EXECUTE's errors point into its PREPARE).
  QueryResult Run(StatementExecutor& executor, const Statement& stmt,
                  const std::string** where = nullptr) {
    QueryResult result;
    executor.SetTempDatabase(&temp_db);
    if (stmt.type != StatementType::kCommit && stmt.type != StatementType::kRollback)
      RefuseIfAborted(stmt);
    switch (stmt.type) {
      case StatementType::kPrepare:
      case StatementType::kDeallocate:
        return prepared.Apply(stmt);
      case StatementType::kExecute: {
        const PreparedStatements::Entry* entry = nullptr;
        std::vector<Value> params;
        try {
          entry = &prepared.Find(stmt);
          params = prepared.Values(stmt, *entry, db, functions);
        } catch (QueryError& e) {
          e.SetPositionIfUnknown(stmt.position);
          throw;
        }
        if (where != nullptr) *where = &entry->sql;
        struct ParamsGuard {
          StatementExecutor& executor;
          ~ParamsGuard() { executor.SetParameters(nullptr); }
        } guard{executor};
        executor.SetParameters(&params);
        executor.SetSession(txn.get());
        QueryResult r = Guarded([&] { return executor.Execute(*entry->statement); });
        MaintainViews(executor, *entry->statement);
        return r;
      }
      case StatementType::kBegin:
        if (txn) {
          throw QueryError(ErrorKind::kTransaction,
                           "cannot start a transaction within a transaction", stmt.position);
        }
        txn = std::make_unique<SessionTransaction>();
        result.statement_type = "BEGIN";
        return result;
      case StatementType::kCommit: {
        if (!txn) {
          throw QueryError(ErrorKind::kTransaction, "cannot commit - no transaction is active",
                           stmt.position);
        }
        std::unique_ptr<SessionTransaction> done = std::move(txn);
        if (done->aborted()) {  // DuckDB and PostgreSQL: COMMIT rolls an aborted one back
          done->Rollback();
          result.statement_type = "ROLLBACK";
          return result;
        }
        Status st = done->Commit();
        if (!st.ok()) throw QueryError(st);
        executor.MaintainMaterializedViews("");  // any table may have changed
        result.statement_type = "COMMIT";
        return result;
      }
      case StatementType::kRollback:
        if (!txn) {
          throw QueryError(ErrorKind::kTransaction, "cannot rollback - no transaction is active",
                           stmt.position);
        }
        txn->Rollback();
        txn.reset();
        result.statement_type = "ROLLBACK";
        return result;
      default: {
        executor.SetSession(txn.get());
        QueryResult r = Guarded([&] { return executor.Execute(stmt); });
        MaintainViews(executor, stmt);
        return r;
      }
    }
  }

  // In an aborted transaction only COMMIT and ROLLBACK run (DuckDB's message).
  void RefuseIfAborted(const Statement& stmt) const {
    if (txn && txn->aborted())
      throw QueryError(ErrorKind::kTransaction, "Current transaction is aborted (please ROLLBACK)",
                       stmt.position);
  }

  // Runs `run`; an error that happened while it ran aborts the open
  // transaction (AbortsTransaction).
  template <typename Run>
  auto Guarded(Run&& run) -> decltype(run()) {
    try {
      return run();
    } catch (const QueryError& e) {
      if (txn && AbortsTransaction(e.kind())) txn->MarkAborted();
      throw;
    } catch (...) {
      if (txn) txn->MarkAborted();
      throw;
    }
  }

  // Issue 21: after an autocommitted change of a table, its materialized
  // views re-aggregate the buckets it touched (materialized_view.cc);
  // inside BEGIN ... COMMIT that happens at COMMIT.
  void MaintainViews(StatementExecutor& executor, const Statement& stmt) {
    if (txn) return;
    switch (stmt.type) {
      case StatementType::kInsert:
      case StatementType::kDelete:
      case StatementType::kUpdate:
      case StatementType::kMerge:
      case StatementType::kRestore:
        break;
      case StatementType::kCopy:
        if (stmt.copy_to) return;
        break;
      default:
        return;
    }
    executor.MaintainMaterializedViews(stmt.table);
  }
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

QueryEngine::TransactionStatus QueryEngine::transaction_status() const {
  if (!impl_->txn) return TransactionStatus::kIdle;
  return impl_->txn->aborted() ? TransactionStatus::kFailed : TransactionStatus::kInTransaction;
}

const QueryProgress& QueryEngine::progress() const { return impl_->progress; }

namespace {
// No statement runs once the engine returns: the progress reads -1 again.
struct ProgressReset {
  QueryProgress* progress;
  ~ProgressReset() { progress->Reset(); }
};
}  // namespace

Status QueryEngine::ExecuteScript(const std::string& sql,
                                  const std::function<void(const QueryResult&)>& on_result) {
  impl_->cancelled.store(false);
  ProgressReset reset_progress{&impl_->progress};
  ConfigScope scope(impl_->config, &impl_->session);
  try {
    std::vector<std::unique_ptr<Statement>> statements = Parser(sql).ParseScript();
    QueryWarnings warnings;
    ExecutionContext ctx;
    ctx.cancelled = &impl_->cancelled;
    ctx.warnings = &warnings;
    ctx.progress = &impl_->progress;
    StatementExecutor executor(impl_->db, impl_->functions, ctx);
    for (const auto& stmt : statements) {
      impl_->progress.Reset();  // each statement's bar starts empty
      const std::string* where = &sql;
      try {
        QueryResult result = impl_->Run(executor, *stmt, &where);
        result.warnings = warnings.Take();
        result.time_zone = CurrentTimeZone();
        if (on_result) on_result(result);
      } catch (QueryError& e) {
        e.SetPositionIfUnknown(-1);
        return ToStatus(e, *where);
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

Status QueryEngine::StreamScript(const std::string& sql,
                                 const std::function<Status(std::unique_ptr<QueryStream>)>& on_stream) {
  impl_->cancelled.store(false);
  try {
    std::vector<std::unique_ptr<Statement>> statements = Parser(sql).ParseScript();
    for (const auto& stmt : statements) {
      std::unique_ptr<QueryStream> stream;
      const std::string* where = &sql;
      try {
        ConfigScope scope(impl_->config, &impl_->session);
        stream = impl_->OpenOne(*stmt, sql, &where);
      } catch (QueryError& e) {
        e.SetPositionIfUnknown(-1);
        return ToStatus(e, *where);
      }
      Status st = on_stream(std::move(stream));
      if (!st.ok()) return st;
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

Result<std::unique_ptr<QueryStream>> QueryEngine::OpenStream(const std::string& sql) {
  impl_->cancelled.store(false);
  ConfigScope scope(impl_->config, &impl_->session);
  try {
    std::vector<std::unique_ptr<Statement>> statements = Parser(sql).ParseScript();
    if (statements.empty()) {
      // No statement: an empty result, as Execute gives.
      std::unique_ptr<QueryStream> empty(new QueryStream());
      empty->Finish();
      return empty;
    }
    std::vector<std::string> warnings;  // of the statements before the last
    for (size_t i = 0; i + 1 < statements.size(); ++i) {
      const std::string* where = &sql;
      try {
        std::unique_ptr<QueryStream> stream = impl_->OpenOne(*statements[i], sql, &where);
        DataChunk chunk;
        for (;;) {
          Result<bool> more = stream->Next(&chunk);
          if (!more.ok()) return more.status();
          if (!*more) break;
        }
        std::vector<std::string> w = stream->TakeWarnings();
        warnings.insert(warnings.end(), w.begin(), w.end());
      } catch (QueryError& e) {
        e.SetPositionIfUnknown(-1);
        return ToStatus(e, *where);
      }
    }
    const std::string* where = &sql;
    try {
      std::unique_ptr<QueryStream> last = impl_->OpenOne(*statements.back(), sql, &where);
      warnings.insert(warnings.end(), last->early_warnings_.begin(), last->early_warnings_.end());
      last->early_warnings_ = std::move(warnings);
      return last;
    } catch (QueryError& e) {
      e.SetPositionIfUnknown(-1);
      return ToStatus(e, *where);
    }
  } catch (const QueryError& e) {
    return ToStatus(e, sql);
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kInternal, "Out of Memory Error: could not allocate memory");
  } catch (const std::exception& e) {
    return Status(StatusCode::kInternal, std::string("INTERNAL Error: ") + e.what());
  }
}

Status QueryErrorStatus(const QueryError& e, const std::string& sql) { return ToStatus(e, sql); }

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
  ConfigScope scope(impl_->config, &impl_->session);
  ProgressReset reset_progress{&impl_->progress};
  try {
    QueryWarnings warnings;
    ExecutionContext ctx;
    ctx.cancelled = &impl_->cancelled;
    ctx.warnings = &warnings;
    ctx.progress = &impl_->progress;
    impl_->progress.Reset();
    StatementExecutor executor(impl_->db, impl_->functions, ctx);
    executor.SetParameters(&params);
    QueryResult result = impl_->Run(executor, *query.statement_);
    result.warnings = warnings.Take();
    result.time_zone = CurrentTimeZone();
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
