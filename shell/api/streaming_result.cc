// tslake::StreamingResult: a statement's rows fetched a chunk at a time
// from the engine's QueryStream, and Connection::Stream / StreamEach that
// open them. Thread-safety: one thread at a time (as its Connection).
#include "shell/api/api_internal.h"

namespace tslake {

std::unique_ptr<Result::Impl> Result::Impl::FromChunk(const tsl::Schema& schema,
                                                      const std::string& statement_type,
                                                      tsl::DataChunk chunk) {
  auto impl = std::make_unique<Impl>();
  impl->statement_type = statement_type;
  impl->schema = schema;
  if (chunk.size() > 0) {
    impl->chunk_starts.push_back(0);
    impl->rows = static_cast<int64_t>(chunk.size());
    impl->chunks.push_back(std::move(chunk));
  }
  return impl;
}

std::unique_ptr<StreamingResult::Impl> StreamingResult::Impl::FromStream(
    std::unique_ptr<tsl::query::QueryStream> stream) {
  auto impl = std::make_unique<Impl>();
  impl->statement_type = stream->statement_type();
  impl->schema = stream->schema();
  if (stream->time_zone()) impl->time_zone = stream->time_zone();
  impl->stream = std::move(stream);
  return impl;
}

std::unique_ptr<StreamingResult::Impl> StreamingResult::Impl::FromStatus(const tsl::Status& status) {
  auto impl = std::make_unique<Impl>();
  impl->failure = status;
  impl->code = PublicCode(status);
  impl->error = status.message();
  if (impl->error.empty() && !status.ok()) impl->error = status.ToString();
  return impl;
}

StreamingResult::StreamingResult() : impl_(std::make_unique<Impl>()) {}
StreamingResult::~StreamingResult() = default;
StreamingResult::StreamingResult(StreamingResult&&) noexcept = default;
StreamingResult& StreamingResult::operator=(StreamingResult&&) noexcept = default;

// A moved-from stream reads as an OK stream that has ended.
#define TSLAKE_IMPL                \
  ([this]() -> const Impl& {       \
    static const Impl empty;       \
    return impl_ ? *impl_ : empty; \
  }())

bool StreamingResult::ok() const { return TSLAKE_IMPL.code == ErrorCode::kOk; }
ErrorCode StreamingResult::error_code() const { return TSLAKE_IMPL.code; }
const std::string& StreamingResult::error_message() const { return TSLAKE_IMPL.error; }
const std::string& StreamingResult::statement_type() const { return TSLAKE_IMPL.statement_type; }
int StreamingResult::column_count() const { return static_cast<int>(TSLAKE_IMPL.schema.size()); }
const std::string& StreamingResult::column_name(int column) const {
  return TSLAKE_IMPL.schema.fields[static_cast<size_t>(column)].name;
}
Type StreamingResult::column_type(int column) const {
  return PublicType(TSLAKE_IMPL.schema.fields[static_cast<size_t>(column)].type);
}
int64_t StreamingResult::rows_fetched() const { return TSLAKE_IMPL.rows; }
const std::vector<std::string>& StreamingResult::warnings() const { return TSLAKE_IMPL.warnings; }

#undef TSLAKE_IMPL

bool StreamingResult::Fetch(Result* chunk) {
  if (!impl_) {
    *chunk = Result();
    return false;
  }
  chunk->impl_ = Result::Impl::FromChunk(impl_->schema, impl_->statement_type, tsl::DataChunk());
  if (!impl_->stream) return false;
  tsl::DataChunk data;
  tsl::Result<bool> more = impl_->stream->Next(&data);
  if (more.ok() && *more) {
    impl_->rows += static_cast<int64_t>(data.size());
    chunk->impl_ = Result::Impl::FromChunk(impl_->schema, impl_->statement_type, std::move(data));
    chunk->impl_->time_zone = impl_->time_zone;
    return true;
  }
  // The end or an error: keep what the stream has to say, then release
  // the query's state (snapshot, operators) at once.
  std::vector<std::string> warnings = impl_->stream->TakeWarnings();
  impl_->warnings.insert(impl_->warnings.end(), warnings.begin(), warnings.end());
  impl_->stream.reset();
  if (!more.ok()) {
    impl_->failure = more.status();
    impl_->code = PublicCode(more.status());
    impl_->error = more.status().message();
    if (impl_->error.empty()) impl_->error = more.status().ToString();
  }
  return false;
}

Status Result::Append(Result&& more) {
  if (!impl_ || !more.impl_ || impl_.get() == more.impl_.get()) {
    return Status(ErrorCode::kInvalidArgument, "Result::Append: a moved-from or the same result");
  }
  Impl& to = *impl_;
  Impl& from = *more.impl_;
  if (to.code != ErrorCode::kOk || from.code != ErrorCode::kOk) {
    return Status(ErrorCode::kInvalidArgument, "Result::Append: a result holds an error");
  }
  bool same = to.schema.size() == from.schema.size();
  for (size_t c = 0; same && c < to.schema.size(); ++c) {
    same = to.schema.fields[c].type == from.schema.fields[c].type;
  }
  if (!same) return Status(ErrorCode::kInvalidArgument, "Result::Append: the columns differ");
  for (tsl::DataChunk& chunk : from.chunks) {
    to.chunk_starts.push_back(to.rows);
    to.rows += static_cast<int64_t>(chunk.size());
    to.chunks.push_back(std::move(chunk));
  }
  to.warnings.insert(to.warnings.end(), from.warnings.begin(), from.warnings.end());
  from.chunks.clear();
  from.chunk_starts.clear();
  from.rows = 0;
  from.warnings.clear();
  return Status();
}

StreamingResult Connection::Stream(const std::string& sql) {
  StreamingResult out;
  tsl::Result<std::unique_ptr<tsl::query::QueryStream>> r = impl_->engine.OpenStream(sql);
  if (!r.ok()) {
    out.impl_ = StreamingResult::Impl::FromStatus(r.status());
  } else {
    out.impl_ = StreamingResult::Impl::FromStream(std::move(r).value());
  }
  return out;
}

Result Connection::StreamEach(const std::string& sql,
                              const std::function<void(StreamingResult&)>& on_result) {
  tsl::Status st =
      impl_->engine.StreamScript(sql, [&](std::unique_ptr<tsl::query::QueryStream> qs) {
        StreamingResult each;
        each.impl_ = StreamingResult::Impl::FromStream(std::move(qs));
        on_result(each);
        // `each` goes here: a statement's rows not fetched are never computed.
        return each.impl_ ? each.impl_->failure : tsl::Status::OK();
      });
  Result out;
  if (!st.ok()) out.impl_ = Result::Impl::FromStatus(st);
  return out;
}

}  // namespace tslake
