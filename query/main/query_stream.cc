// QueryStream: pulls a statement's result chunk by chunk. See
// query_stream.h.
#include "query/main/query_stream.h"

#include <new>

#include "query/binder/binder.h"
#include "query/common/query_error.h"
#include "query/common/query_warnings.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/time_zone_setting.h"
#include "query/main/session_transaction.h"
#include "query/main/statement_executor.h"

namespace tsl::query {

QueryStream::QueryStream() = default;

QueryStream::~QueryStream() {
  // The operators' reservations were taken under the stream's config; they
  // return to the same tracker (each keeps its pointer), so no scope is
  // needed to destroy them.
  Finish();
}

std::unique_ptr<QueryStream> QueryStream::Open(Database* db, const TableFunctionRegistry* functions,
                                               DatabaseConfig* config,
                                               const std::atomic<bool>* cancelled,
                                               const Statement& stmt, const std::string& sql,
                                               SessionTransaction* session,
                                               QueryProgress* progress,
                                               std::unique_ptr<Database>* temp_db) {
  std::unique_ptr<QueryStream> stream(new QueryStream());
  stream->sql_ = sql;
  stream->config_ = config;
  stream->cancelled_ = cancelled;
  stream->time_zone_ = CurrentTimeZone();
  stream->warnings_ = std::make_unique<QueryWarnings>();
  ExecutionContext ctx;
  ctx.cancelled = cancelled;
  ctx.warnings = stream->warnings_.get();
  ctx.progress = progress;
  StatementExecutor executor(db, functions, ctx);
  executor.SetSession(session);
  executor.SetTempDatabase(temp_db);
  if (session != nullptr) stream->abort_on_error_ = session->aborted_flag();
  if (stmt.type == StatementType::kSelect) {
    StatementExecutor::OpenedSelect opened = executor.OpenSelect(*stmt.select);
    stream->statement_type_ = "SELECT";
    stream->schema_ = std::move(opened.schema);
    stream->binder_ = std::move(opened.binder);
    stream->select_ = std::move(opened.select);
    stream->root_ = std::move(opened.root);
    stream->memory_ = std::make_shared<MemoryReservation>("RESULT");
  } else {
    stream->materialized_ = executor.Execute(stmt);
    stream->statement_type_ = stream->materialized_.statement_type;
    stream->schema_ = stream->materialized_.schema;
  }
  return stream;
}

std::unique_ptr<QueryStream> QueryStream::FromResult(QueryResult result, const std::string& sql) {
  std::unique_ptr<QueryStream> stream(new QueryStream());
  stream->sql_ = sql;
  stream->warnings_ = std::make_unique<QueryWarnings>();
  stream->early_warnings_ = std::move(result.warnings);
  stream->time_zone_ = result.time_zone ? result.time_zone : CurrentTimeZone();
  stream->statement_type_ = result.statement_type;
  stream->schema_ = result.schema;
  stream->materialized_ = std::move(result);
  return stream;
}

void QueryStream::Finish() {
  done_ = true;
  root_.reset();
  select_.reset();
  binder_.reset();
  memory_.reset();
  materialized_ = QueryResult();
}

Result<bool> QueryStream::Next(DataChunk* out) {
  *out = DataChunk();
  if (done_) return false;
  if (!root_) {
    // A statement that has already run: hand out its chunks.
    while (next_chunk_ < materialized_.chunks.size()) {
      DataChunk& chunk = materialized_.chunks[next_chunk_++];
      if (chunk.size() == 0) continue;
      *out = std::move(chunk);
      return true;
    }
    Finish();
    return false;
  }
  ConfigScope scope(config_);
  Status error;
  try {
    ExecutionContext ctx;
    ctx.cancelled = cancelled_;
    ctx.CheckCancelled();  // an Interrupt between two Next() calls
    if (root_->Next(out)) {
      ctx.CheckCancelled();
      memory_->Resize(ApproxChunkBytes(*out) + static_cast<int64_t>(sizeof(DataChunk)));
      return true;
    }
    Finish();
    return false;
  } catch (QueryError& e) {
    e.SetPositionIfUnknown(-1);
    error = QueryErrorStatus(e, sql_);
    if (abort_on_error_ && AbortsTransaction(e.kind())) *abort_on_error_ = true;
  } catch (const std::bad_alloc&) {
    error = Status(StatusCode::kInternal, "Out of Memory Error: could not allocate memory");
    if (abort_on_error_) *abort_on_error_ = true;
  } catch (const std::exception& e) {
    error = Status(StatusCode::kInternal, std::string("INTERNAL Error: ") + e.what());
    if (abort_on_error_) *abort_on_error_ = true;
  }
  *out = DataChunk();
  Finish();
  return error;
}

std::vector<std::string> QueryStream::TakeWarnings() {
  std::vector<std::string> out = std::move(early_warnings_);
  early_warnings_.clear();
  if (warnings_) {
    std::vector<std::string> more = warnings_->Take();
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

}  // namespace tsl::query
