// RowValidator and ConvertExactly: see row_validator.h.
#include "ingest/row_validator.h"

#include <charconv>
#include <cmath>
#include <string>

#include "formats/storable_values.h"
#include "formats/timestamp.h"

namespace tsl {

namespace {

constexpr double kTwoTo63 = 9223372036854775808.0;

Status Inexact(const Value& v, TypeId to) {
  std::string shown = v.type() == TypeId::kVarchar ? "'" + v.string_value() + "'" : v.ToString();
  return Status::InvalidArgument("Conversion Error: " + std::string(TypeName(v.type())) + " " +
                                 shown + " cannot be stored exactly as " +
                                 std::string(TypeName(to)));
}

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' ||
                        s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

Result<Value> ConvertExactly(const Value& v, TypeId to) {
  if (v.is_null() || v.type() == to || to == TypeId::kVarchar) return v.CastTo(to);
  switch (v.type()) {
    case TypeId::kVarchar:
      if (to == TypeId::kInteger || to == TypeId::kBigint) {
        // Only integer text: '1.5' or '1e3' would be rounded.
        const std::string_view s = TrimAscii(v.string_value());
        int64_t i = 0;
        const char* first = s.data() + (!s.empty() && s.front() == '+' ? 1 : 0);
        auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), i);
        if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return Inexact(v, to);
        return Value::Bigint(i).CastTo(to);  // INTEGER: range checked
      }
      return v.CastTo(to);
    case TypeId::kBoolean:
    case TypeId::kInteger:
    case TypeId::kBigint: {
      const int64_t i = v.int_value();
      if (to == TypeId::kBoolean && i != 0 && i != 1) return Inexact(v, to);
      if (to == TypeId::kDouble) {
        const double d = static_cast<double>(i);
        if (d >= kTwoTo63 || static_cast<int64_t>(d) != i) return Inexact(v, to);
      }
      return v.CastTo(to);
    }
    case TypeId::kDouble: {
      const double d = v.double_value();
      if (to == TypeId::kBoolean && d != 0.0 && d != 1.0) return Inexact(v, to);
      if ((to == TypeId::kInteger || to == TypeId::kBigint) &&
          (!std::isfinite(d) || d != std::trunc(d) || d < -kTwoTo63 || d >= kTwoTo63))
        return Inexact(v, to);
      return v.CastTo(to);
    }
    default:
      return v.CastTo(to);
  }
}

RowValidator::RowValidator(const Schema& schema, PartitionSpec partition)
    : schema_(schema), partition_(std::move(partition)) {}

Status RowValidator::CheckTimestamp(size_t column, int64_t micros) {
  const std::string& name = schema_.fields[column].name;
  if (!IsValidTimestamp(micros))
    return Status::InvalidArgument("column \"" + name + "\": " + TimestampRangeProblem(micros));
  if (!partition_.partitioned() || static_cast<int>(column) != partition_.column_index())
    return Status::OK();
  if (micros >= partition_lo_ && micros < partition_hi_) return Status::OK();
  // The writer names each row's partition by ValueFor and reads it back
  // with RangeOf; a timestamp whose name does not read back (a year past
  // 9999 or before 0000) would fail the flush, so it is refused here.
  const std::string value = partition_.ValueFor(micros);
  Result<std::pair<int64_t, int64_t>> range = partition_.RangeOf(value);
  if (!range.ok() || micros < range->first || micros >= range->second)
    return Status::InvalidArgument("column \"" + name + "\": " + FormatTimestamp(micros) +
                                   " has no partition in " + partition_.ToString() +
                                   " (partitioned tables take years 0000 to 9999)");
  partition_lo_ = range->first;
  partition_hi_ = range->second;
  return Status::OK();
}

Status RowValidator::CheckString(size_t column, std::string_view s) {
  if (IsValidUtf8(s)) return Status::OK();
  return Status::InvalidArgument("column \"" + schema_.fields[column].name + "\": " +
                                 DescribeInvalidUtf8(s));
}

Status RowValidator::CheckValue(size_t column, const Value& v) {
  if (v.is_null()) return Status::OK();
  switch (schema_.fields[column].type) {
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return CheckTimestamp(column, v.int_value());
    case TypeId::kVarchar: return CheckString(column, v.string_value());
    default: return Status::OK();
  }
}

Status RowValidator::CheckChunk(const DataChunk& chunk) {
  for (size_t c = 0; c < chunk.column_count() && c < schema_.size(); ++c) {
    const ColumnVector& col = chunk.columns[c];
    const TypeId type = schema_.fields[c].type;
    if (!IsTimestampType(type) && type != TypeId::kVarchar) continue;
    for (size_t r = 0; r < col.size(); ++r) {
      if (col.IsNull(r)) continue;
      Status st = IsTimestampType(type) ? CheckTimestamp(c, col.ints[r])
                                              : CheckString(c, col.strings[r]);
      if (!st.ok()) return st.WithContext("row " + std::to_string(r) + " of the batch");
    }
  }
  return Status::OK();
}

}  // namespace tsl
