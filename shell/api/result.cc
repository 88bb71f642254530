// tslake::Result: a statement's error or its columns and rows, held as the
// engine's DataChunks. Thread-safety: one thread at a time.
#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>

#include "formats/date.h"
#include "formats/decimal.h"
#include "formats/interval.h"
#include "formats/time_zone.h"
#include "shell/api/api_internal.h"

namespace tslake {

const char* TypeName(Type type) {
  switch (type) {
    case Type::kNull: return "null";
    case Type::kBoolean: return "boolean";
    case Type::kInteger: return "int32";
    case Type::kBigint: return "int64";
    case Type::kDouble: return "double";
    case Type::kVarchar: return "varchar";
    case Type::kTimestamp: return "timestamp";
    case Type::kInterval: return "interval";
    case Type::kDate: return "date";
    case Type::kTimestampTz: return "timestamp with time zone";
    case Type::kDecimal: return "decimal";
    case Type::kSmallint: return "int16";
    case Type::kTinyint: return "int8";
    case Type::kTime: return "time";
    case Type::kBlob: return "blob";
    case Type::kUuid: return "uuid";
  }
  return "unknown";
}

bool IsDiskFull(const tsl::Status& s) {
  if (s.code() != tsl::StatusCode::kIOError) return false;
  if (s.IsNoSpace()) return true;
  // A message rebuilt from another Status's text (without its errno).
  const std::string& m = s.message();
  return m.find(std::strerror(ENOSPC)) != std::string::npos ||
         m.find(std::strerror(EDQUOT)) != std::string::npos ||
         m.find("database or disk is full") != std::string::npos;
}

std::unique_ptr<Result::Impl> Result::Impl::FromStatus(const tsl::Status& status) {
  auto impl = std::make_unique<Impl>();
  impl->code = PublicCode(status);
  impl->error = status.message();
  if (impl->error.empty() && !status.ok()) impl->error = status.ToString();
  return impl;
}

std::unique_ptr<Result::Impl> Result::Impl::FromError(const Status& status) {
  auto impl = std::make_unique<Impl>();
  impl->code = status.code();
  impl->error = status.message();
  return impl;
}

Status Result::Impl::CheckMemoryLimit(const tsl::query::QueryResult& result, int64_t memory_limit) {
  if (memory_limit <= 0) return Status();
  // Values' bytes as held: 8 per fixed-width value, a string's length plus
  // its std::string header, one validity byte a row.
  int64_t bytes = 0;
  for (const tsl::DataChunk& chunk : result.chunks) {
    for (const tsl::ColumnVector& col : chunk.columns) {
      bytes += static_cast<int64_t>(col.valid.size() + 8 * (col.ints.size() + col.doubles.size()));
      for (const std::string& str : col.strings) bytes += static_cast<int64_t>(sizeof(std::string) + str.size());
    }
  }
  if (bytes <= memory_limit) return Status();
  return Status(ErrorCode::kOutOfMemory,
                "Out of Memory Error: the result of this " + result.statement_type + " holds " +
                    std::to_string(bytes) + " bytes, more than memory_limit (" +
                    std::to_string(memory_limit) +
                    " bytes); narrow it with WHERE, LIMIT or an aggregate, or raise the limit");
}

std::unique_ptr<Result::Impl> Result::Impl::FromQueryResult(tsl::query::QueryResult result) {
  auto impl = std::make_unique<Impl>();
  impl->statement_type = std::move(result.statement_type);
  impl->warnings = std::move(result.warnings);
  impl->schema = std::move(result.schema);
  if (result.time_zone) impl->time_zone = std::move(result.time_zone);
  impl->chunks.reserve(result.chunks.size());
  for (tsl::DataChunk& chunk : result.chunks) {
    if (chunk.size() == 0) continue;  // keeps Locate's search simple
    impl->chunk_starts.push_back(impl->rows);
    impl->rows += static_cast<int64_t>(chunk.size());
    impl->chunks.push_back(std::move(chunk));
  }
  return impl;
}

std::pair<size_t, size_t> Result::Impl::Locate(int64_t row) const {
  assert(row >= 0 && row < rows);
  auto it = std::upper_bound(chunk_starts.begin(), chunk_starts.end(), row);
  size_t chunk = static_cast<size_t>(it - chunk_starts.begin()) - 1;
  return {chunk, static_cast<size_t>(row - chunk_starts[chunk])};
}

const tsl::ColumnVector& Result::Impl::Column(int column, int64_t row, size_t* offset) const {
  auto [chunk, off] = Locate(row);
  *offset = off;
  return chunks[chunk].columns[static_cast<size_t>(column)];
}

Result::Result() : impl_(std::make_unique<Impl>()) {}
Result::~Result() = default;
Result::Result(Result&&) noexcept = default;
Result& Result::operator=(Result&&) noexcept = default;

// A moved-from Result reads as an OK empty result rather than crashing.
#define TSLAKE_IMPL                             \
  ([this]() -> const Impl& {                    \
    static const Impl empty;                    \
    return impl_ ? *impl_ : empty;              \
  }())

bool Result::ok() const { return TSLAKE_IMPL.code == ErrorCode::kOk; }
ErrorCode Result::error_code() const { return TSLAKE_IMPL.code; }
const std::string& Result::error_message() const { return TSLAKE_IMPL.error; }
const std::string& Result::statement_type() const { return TSLAKE_IMPL.statement_type; }
const std::vector<std::string>& Result::warnings() const { return TSLAKE_IMPL.warnings; }
int Result::column_count() const { return static_cast<int>(TSLAKE_IMPL.schema.size()); }
const std::string& Result::column_name(int column) const {
  return TSLAKE_IMPL.schema.fields[static_cast<size_t>(column)].name;
}
Type Result::column_type(int column) const {
  return PublicType(TSLAKE_IMPL.schema.fields[static_cast<size_t>(column)].type);
}
std::string Result::column_type_name(int column) const {
  return std::string(tsl::TypeName(TSLAKE_IMPL.schema.fields[static_cast<size_t>(column)].type));
}
int64_t Result::row_count() const { return TSLAKE_IMPL.rows; }

bool Result::IsNull(int column, int64_t row) const {
  size_t off;
  return TSLAKE_IMPL.Column(column, row, &off).IsNull(off);
}

int64_t Result::GetInt64(int column, int64_t row) const {
  size_t off;
  const tsl::ColumnVector& col = TSLAKE_IMPL.Column(column, row, &off);
  if (col.IsNull(off)) return 0;
  switch (tsl::PhysicalClassOf(col.type)) {
    case tsl::PhysicalClass::kInt64:
      if (tsl::IsDecimal(col.type)) return tsl::DecimalToInteger(col.ints[off], tsl::DecimalScale(col.type));
      return col.ints[off];
    case tsl::PhysicalClass::kDouble: return static_cast<int64_t>(col.doubles[off]);
    case tsl::PhysicalClass::kString: return 0;
  }
  return 0;
}

int32_t Result::GetDate(int column, int64_t row) const {
  size_t off;
  const tsl::ColumnVector& col = TSLAKE_IMPL.Column(column, row, &off);
  if (col.IsNull(off)) return 0;
  // Both fit int32_t: DATE's range is DuckDB's (formats/date.h), and every
  // valid TIMESTAMP's day lies inside it.
  if (col.type == tsl::TypeId::kDate) return static_cast<int32_t>(col.ints[off]);
  if (col.type == tsl::TypeId::kTimestamp) return static_cast<int32_t>(tsl::TimestampToDate(col.ints[off]));
  // The day in the session's zone, as CAST(tstz AS DATE).
  if (col.type == tsl::TypeId::kTimestampTz) {
    const __int128 wall = TSLAKE_IMPL.time_zone->UtcToLocal(col.ints[off]);
    return static_cast<int32_t>(tsl::TimestampToDate(
        wall > INT64_MAX ? INT64_MAX : (wall < INT64_MIN ? INT64_MIN : static_cast<int64_t>(wall))));
  }
  return 0;
}

Result::Interval Result::GetInterval(int column, int64_t row) const {
  size_t off;
  const tsl::ColumnVector& col = TSLAKE_IMPL.Column(column, row, &off);
  if (col.IsNull(off) || col.type != tsl::TypeId::kInterval) return {};
  const tsl::IntervalParts parts = tsl::DecodeInterval(col.ints[off]);
  return {static_cast<int32_t>(parts.months), parts.micros};  // |months| < 2^14 (formats/interval.h)
}

double Result::GetDouble(int column, int64_t row) const {
  size_t off;
  const tsl::ColumnVector& col = TSLAKE_IMPL.Column(column, row, &off);
  if (col.IsNull(off)) return 0;
  switch (tsl::PhysicalClassOf(col.type)) {
    case tsl::PhysicalClass::kInt64:
      if (tsl::IsDecimal(col.type)) return tsl::DecimalToDouble(col.ints[off], tsl::DecimalScale(col.type));
      return static_cast<double>(col.ints[off]);
    case tsl::PhysicalClass::kDouble: return col.doubles[off];
    case tsl::PhysicalClass::kString: return 0;
  }
  return 0;
}

std::string Result::GetString(int column, int64_t row) const {
  size_t off;
  const tsl::ColumnVector& col = TSLAKE_IMPL.Column(column, row, &off);
  if (col.type == tsl::TypeId::kVarchar && !col.IsNull(off)) return col.strings[off];
  if (col.type == tsl::TypeId::kTimestampTz && !col.IsNull(off))
    return tsl::FormatTimestampTz(col.ints[off], *TSLAKE_IMPL.time_zone);
  return col.GetValue(off).ToString();
}

std::string Result::GetBlob(int column, int64_t row) const {
  size_t off;
  const tsl::ColumnVector& col = TSLAKE_IMPL.Column(column, row, &off);
  if (col.IsNull(off) || tsl::PhysicalClassOf(col.type) != tsl::PhysicalClass::kString ||
      tsl::IsList(col.type))
    return "";
  return col.strings[off];
}

#undef TSLAKE_IMPL

}  // namespace tslake
