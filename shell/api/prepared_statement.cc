// tslake::PreparedStatement: the engine parses the statement once
// (QueryEngine::Prepare, `?` or `$n` parameters); Bind* keeps typed values
// and Execute() binds and runs the parsed statement with them, without
// re-parsing or splicing SQL text.
// Thread-safety: one thread at a time (the connection's).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "formats/timestamp.h"
#include "shell/api/api_internal.h"

namespace tslake {

namespace {

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace

std::unique_ptr<PreparedStatement::Impl> PreparedStatement::Impl::Make(Connection* connection,
                                                                       const std::string& sql) {
  auto impl = std::make_unique<Impl>();
  impl->connection = connection;
  tsl::Result<std::shared_ptr<const tsl::query::PreparedQuery>> prepared =
      connection->impl_->engine.Prepare(sql);
  if (!prepared.ok()) {
    impl->status = ToPublic(prepared.status());
    if (impl->status.code() != ErrorCode::kInvalidArgument) {
      impl->status = Invalid(impl->status.message());
    }
    return impl;
  }
  impl->query = std::move(prepared).value();
  impl->values.assign(static_cast<size_t>(impl->query->parameter_count()), std::nullopt);
  return impl;
}

PreparedStatement::PreparedStatement() = default;
PreparedStatement::~PreparedStatement() = default;
PreparedStatement::PreparedStatement(PreparedStatement&&) noexcept = default;
PreparedStatement& PreparedStatement::operator=(PreparedStatement&&) noexcept = default;

bool PreparedStatement::ok() const { return impl_ && impl_->status.ok(); }

const Status& PreparedStatement::status() const {
  static const Status not_prepared(ErrorCode::kInvalidArgument,
                                   "statement was not prepared (or was moved from)");
  return impl_ ? impl_->status : not_prepared;
}

int PreparedStatement::parameter_count() const {
  return impl_ ? static_cast<int>(impl_->values.size()) : 0;
}

// Every Bind* stores `literal` for parameter `index` after these checks.
#define TSLAKE_BIND(literal_expr)                                          \
  do {                                                                     \
    if (!ok()) return status();                                            \
    if (index < 1 || index > parameter_count())                            \
      return Invalid("parameter index " + std::to_string(index) +          \
                     " is out of range: the "                              \
                     "statement has " +                                    \
                     std::to_string(parameter_count()) + " parameter(s)"); \
    impl_->values[static_cast<size_t>(index - 1)] = (literal_expr);        \
    return Status();                                                       \
  } while (0)

Status PreparedStatement::BindNull(int index) { TSLAKE_BIND(tsl::Value::Null()); }
Status PreparedStatement::BindBool(int index, bool value) {
  TSLAKE_BIND(tsl::Value::Boolean(value));
}
Status PreparedStatement::BindInt64(int index, int64_t value) {
  TSLAKE_BIND(tsl::Value::Bigint(value));
}
Status PreparedStatement::BindDouble(int index, double value) {
  TSLAKE_BIND(tsl::Value::Double(value));
}
Status PreparedStatement::BindString(int index, std::string_view value) {
  if (value.find('\0') != std::string_view::npos)
    return Invalid("parameter " + std::to_string(index) + ": a string may not contain a NUL byte");
  TSLAKE_BIND(tsl::Value::Varchar(std::string(value)));
}
Status PreparedStatement::BindTimestamp(int index, int64_t micros) {
  TSLAKE_BIND(tsl::Value::Timestamp(micros));
}

#undef TSLAKE_BIND

void PreparedStatement::ClearBindings() {
  if (impl_) std::fill(impl_->values.begin(), impl_->values.end(), std::nullopt);
}

Result PreparedStatement::Execute() {
  Result out;
  if (!ok()) {
    out.impl_ = Result::Impl::FromError(status());
    return out;
  }
  std::vector<tsl::Value> params;
  for (size_t i = 0; i < impl_->values.size(); ++i) {
    if (!impl_->values[i]) {
      out.impl_ = Result::Impl::FromError(
          Invalid("parameter $" + std::to_string(i + 1) + " has no value bound"));
      return out;
    }
    params.push_back(*impl_->values[i]);
  }
  Connection::Impl* con = impl_->connection->impl_.get();
  tsl::Result<tsl::query::QueryResult> r = con->engine.ExecutePrepared(*impl_->query, params);
  if (!r.ok()) {
    out.impl_ = Result::Impl::FromStatus(r.status());
  } else if (Status mem = Result::Impl::CheckMemoryLimit(*r, con->db->options.memory_limit);
             !mem.ok()) {
    out.impl_ = Result::Impl::FromError(mem);
  } else {
    out.impl_ = Result::Impl::FromQueryResult(std::move(r).value());
  }
  return out;
}

}  // namespace tslake
