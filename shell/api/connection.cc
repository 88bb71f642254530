// tslake::Connection: runs SQL through the connection's QueryEngine and
// wraps its results. Thread-safety: one thread at a time, except
// Interrupt(), which only sets the engine's cancel flag.
#include "shell/api/api_internal.h"

namespace tslake {

Connection::Connection(Database& db) : impl_(std::make_unique<Impl>(db.impl_.get())) {}
Connection::~Connection() = default;

Result Connection::Query(const std::string& sql) {
  Result out;
  tsl::Result<tsl::query::QueryResult> r = impl_->engine.Execute(sql);
  if (!r.ok()) {
    out.impl_ = Result::Impl::FromStatus(r.status());
  } else {
    out.impl_ = Result::Impl::FromQueryResult(std::move(r).value());
  }
  return out;
}

Result Connection::QueryEach(const std::string& sql,
                             const std::function<void(const Result&)>& on_result) {
  tsl::Status st = impl_->engine.ExecuteScript(sql, [&](const tsl::query::QueryResult& qr) {
    Result each;
    // The engine lends the result; the copy is what the callback may keep.
    each.impl_ = Result::Impl::FromQueryResult(qr);
    on_result(each);
  });
  Result out;
  if (!st.ok()) out.impl_ = Result::Impl::FromStatus(st);
  return out;
}

void Connection::Interrupt() { impl_->engine.Cancel(); }

}  // namespace tslake
