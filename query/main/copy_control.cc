// COPY's ON_ERROR / BATCH_ID options and rejects table (see
// copy_control.h). Thread-safety: one COPY statement per object.
#include "query/main/copy_control.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "formats/bool_text.h"
#include "formats/checksum.h"
#include "formats/utf8.h"
#include "query/common/query_error.h"
#include "storage/table.h"

namespace tsl::query {

bool CopyControl::TakeOption(const std::string& name, const Value& v) {
  if (name == "on_error") {
    on_error_given = true;
    const std::string s = v.is_null() ? "" : ToLower(v.ToString());
    if (s == "abort") abort_on_error = true;
    else if (s == "continue" || s == "ignore") abort_on_error = false;
    else
      throw QueryError(ErrorKind::kInvalidInput,
                       "COPY option ON_ERROR must be 'continue' or 'abort', not " + v.ToString());
    return true;
  }
  if (name == "incremental") {
    if (!v.is_null() && (v.type() == TypeId::kBoolean || IsIntegral(v.type()))) {
      incremental = v.int_value() != 0;
      return true;
    }
    const std::optional<bool> b = v.is_null() ? std::nullopt : ParseBoolText(v.ToString());
    if (!b)
      throw QueryError(ErrorKind::kInvalidInput,
                       "COPY option INCREMENTAL must be true or false, not " + v.ToString());
    incremental = *b;
    return true;
  }
  if (name == "batch_id") {
    const std::string s = v.is_null() ? "" : v.ToString();
    if (ToLower(s) == "auto") {
      auto_batch = true;
      return true;
    }
    const size_t colon = s.rfind(':');
    int64_t version = -1;
    const char* begin = s.data() + (colon == std::string::npos ? 0 : colon + 1);
    auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), version);
    if (colon == std::string::npos || colon == 0 || ec != std::errc() ||
        ptr != s.data() + s.size() || version < 0)
      throw QueryError(ErrorKind::kInvalidInput,
                       "COPY option BATCH_ID must be 'app:version' (e.g. 'gateway7:42', version a "
                       "non-negative integer) or 'auto', not '" + s + "'");
    batch_app = s.substr(0, colon);
    batch_version = version;
    return true;
  }
  return false;
}

void CopyControl::ResolveAutoBatch(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw QueryError(ErrorKind::kInvalidInput,
                     "COPY BATCH_ID 'auto': cannot read " + path + ": " + std::strerror(errno));
  std::vector<char> buf(size_t{1} << 20);
  uint32_t crc = 0;
  int64_t size = 0;
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw QueryError(ErrorKind::kInvalidInput,
                       "COPY BATCH_ID 'auto': cannot read " + path + ": " + std::strerror(err));
    }
    if (n == 0) break;
    crc = Crc32cExtend(crc, buf.data(), static_cast<size_t>(n));
    size += n;
  }
  ::close(fd);
  char id[64];
  std::snprintf(id, sizeof id, "copy:%08x-%lld", crc, static_cast<long long>(size));
  batch_app = id;
  batch_version = 1;
}

CopyRejects::~CopyRejects() {
  if (writer_) writer_->Abort();
}

void CopyRejects::Take(RejectReporter* reporter) {
  if (reporter == nullptr) return;
  std::vector<RejectedRow> rejects = reporter->TakeRejects();
  if (rejects.empty()) return;
  count_ += static_cast<int64_t>(rejects.size());
  if (control_->abort_on_error) {
    const RejectedRow& r = rejects.front();
    std::string where = r.source;
    if (r.line > 0) where += " line " + std::to_string(r.line);
    if (!r.location.empty()) where += " at " + r.location;
    throw QueryError(ErrorKind::kInvalidInput,
                     where + ": " + r.reason +
                         " (ON_ERROR 'abort': a row was rejected; nothing was committed)");
  }
  if (writer_ == nullptr) {
    Result<std::shared_ptr<Table>> t =
        db_->CreateTable(table_ + "_rejects", RejectTableSchema(), {}, /*if_not_exists=*/true);
    if (!t.ok()) throw QueryError(t.status());
    writer_ = std::make_unique<TableWriter>(*t, options_);
    if (control_->has_batch()) {
      Status st = writer_->SetTxn(control_->batch_app, control_->batch_version);
      // Already committed by an earlier run that died before the data
      // commit: its rejects are in; only the data goes in now.
      if (!st.ok()) {
        writer_.reset();
        skip_ = true;
      }
    }
  }
  if (skip_) return;
  DataChunk c;
  c.Initialize({TypeId::kVarchar, TypeId::kBigint, TypeId::kVarchar, TypeId::kVarchar,
                TypeId::kVarchar});
  for (const RejectedRow& r : rejects) {
    c.columns[0].AppendString(EscapeInvalidUtf8(r.source));
    if (r.line > 0) c.columns[1].AppendInt(r.line);
    else c.columns[1].AppendNull();
    if (r.location.empty()) c.columns[2].AppendNull();
    else c.columns[2].AppendString(EscapeInvalidUtf8(r.location));
    c.columns[3].AppendString(EscapeInvalidUtf8(r.raw));
    c.columns[4].AppendString(EscapeInvalidUtf8(r.reason));
  }
  Status st = writer_->Append(c);
  if (!st.ok()) throw QueryError(st);
}

void CopyRejects::Commit() {
  if (writer_ == nullptr) return;
  std::unique_ptr<TableWriter> w = std::move(writer_);
  Result<CommitResult> r = w->Commit("COPY REJECTS", {{"source_table", table_}});
  if (!r.ok()) throw QueryError(r.status());
}

}  // namespace tsl::query
