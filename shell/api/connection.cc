// tslake::Connection: runs SQL through the connection's QueryEngine and
// wraps its results. Thread-safety: one thread at a time, except
// Interrupt(), which only sets the engine's cancel flag, and Progress(),
// which only reads the engine's progress atomics.
#include <algorithm>
#include <exception>

#include "query/execution/query_progress.h"

#include "shell/api/api_internal.h"

namespace tslake {

namespace {
struct OverMemoryLimit : std::exception {
  const char* what() const noexcept override { return "result over memory_limit"; }
};
}  // namespace

Connection::Connection(Database& db) : impl_(std::make_unique<Impl>(db.impl_.get())) {}
Connection::~Connection() = default;

Result Connection::Query(const std::string& sql) {
  Result out;
  tsl::Result<tsl::query::QueryResult> r = impl_->engine.Execute(sql);
  if (!r.ok()) {
    out.impl_ = Result::Impl::FromStatus(r.status());
  } else if (Status mem = Result::Impl::CheckMemoryLimit(*r, impl_->db->options.memory_limit);
             !mem.ok()) {
    out.impl_ = Result::Impl::FromError(mem);
  } else {
    out.impl_ = Result::Impl::FromQueryResult(std::move(r).value());
  }
  return out;
}

Result Connection::QueryEach(const std::string& sql,
                             const std::function<void(const Result&)>& on_result) {
  Status over_limit;
  tsl::Status st = impl_->engine.ExecuteScript(sql, [&](const tsl::query::QueryResult& qr) {
    over_limit = Result::Impl::CheckMemoryLimit(qr, impl_->db->options.memory_limit);
    // The engine stops a script at any exception its callback throws; the
    // statements after this one must not run once its result is refused.
    if (!over_limit.ok()) throw OverMemoryLimit();
    Result each;
    // The engine lends the result; the copy is what the callback may keep.
    each.impl_ = Result::Impl::FromQueryResult(qr);
    on_result(each);
  });
  Result out;
  if (!over_limit.ok()) {
    out.impl_ = Result::Impl::FromError(over_limit);
  } else if (!st.ok()) {
    out.impl_ = Result::Impl::FromStatus(st);
  }
  return out;
}

void Connection::Interrupt() { impl_->engine.Cancel(); }

Connection::TransactionStatus Connection::transaction_status() const {
  switch (impl_->engine.transaction_status()) {
    case tsl::query::QueryEngine::TransactionStatus::kIdle:
      return TransactionStatus::kIdle;
    case tsl::query::QueryEngine::TransactionStatus::kInTransaction:
      return TransactionStatus::kInTransaction;
    case tsl::query::QueryEngine::TransactionStatus::kFailed:
      return TransactionStatus::kFailed;
  }
  return TransactionStatus::kIdle;
}

QueryProgress Connection::Progress() const {
  const tsl::query::QueryProgress& p = impl_->engine.progress();
  QueryProgress out;
  out.percentage = p.percentage();
  out.rows_processed = static_cast<uint64_t>(std::max<int64_t>(p.done(), 0));
  out.total_rows_to_process = static_cast<uint64_t>(std::max<int64_t>(p.total(), 0));
  out.progress_bar_time_ms = p.bar_delay_ms();
  return out;
}

PreparedStatement Connection::Prepare(const std::string& sql) {
  PreparedStatement stmt;
  stmt.impl_ = PreparedStatement::Impl::Make(this, sql);
  return stmt;
}

}  // namespace tslake
