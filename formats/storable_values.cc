// Checks that values can be stored. See storable_values.h.
#include "formats/storable_values.h"

#include "formats/date.h"
#include "formats/decimal.h"
#include "formats/scalar_text.h"
#include "formats/timestamp.h"
#include "formats/utf8.h"

namespace tsl {

std::string TimestampRangeProblem(int64_t micros) {
  if (IsValidTimestamp(micros)) return "";
  return std::to_string(micros) +
         " microseconds since the epoch is outside the supported TIMESTAMP range (" +
         TimestampRangeText() + ")";
}

bool FindUnstorableValue(const ColumnVector& column, size_t* row, std::string* reason) {
  const size_t n = column.size();
  if (IsTimestampType(column.type)) {
    for (size_t r = 0; r < n; ++r) {
      if (column.valid[r] && !IsValidTimestamp(column.ints[r])) {
        *row = r;
        *reason = TimestampRangeProblem(column.ints[r]);
        return true;
      }
    }
    return false;
  }
  if (IsDecimal(column.type)) {
    for (size_t r = 0; r < n; ++r) {
      if (column.valid[r] && !DecimalFits(column.ints[r], DecimalWidth(column.type))) {
        *row = r;
        *reason = std::to_string(column.ints[r]) + " does not fit " + std::string(TypeName(column.type));
        return true;
      }
    }
    return false;
  }
  if (column.type == TypeId::kSmallint || column.type == TypeId::kTinyint ||
      column.type == TypeId::kTime) {
    // Segment readers refuse values outside these ranges (column_codec.cc),
    // so a file read with wider ints (Parquet, an API batch) must not store them.
    const bool time = column.type == TypeId::kTime;
    const int64_t lo = time ? 0 : IntegralMin(column.type);
    const int64_t hi = time ? kMaxTimeMicros : IntegralMax(column.type);
    for (size_t r = 0; r < n; ++r) {
      if (column.valid[r] && (column.ints[r] < lo || column.ints[r] > hi)) {
        *row = r;
        *reason = std::to_string(column.ints[r]) + " is out of range for " +
                  std::string(TypeName(column.type));
        return true;
      }
    }
    return false;
  }
  if (column.type == TypeId::kDate) {
    for (size_t r = 0; r < n; ++r) {
      if (column.valid[r] && !IsValidDate(column.ints[r])) {
        *row = r;
        *reason = std::to_string(column.ints[r]) +
                  " days since 1970-01-01 is outside the supported DATE range (" + DateRangeText() + ")";
        return true;
      }
    }
    return false;
  }
  if (column.type != TypeId::kVarchar) return false;
  if (column.dictionary_form) {
    // Each distinct string once; then the first row that uses a bad one.
    for (size_t d = 0; d < column.dictionary.size(); ++d) {
      if (IsValidUtf8(column.dictionary[d])) continue;
      for (size_t r = 0; r < n; ++r) {
        if (column.valid[r] && column.codes[r] == d) {
          *row = r;
          *reason = DescribeInvalidUtf8(column.dictionary[d]);
          return true;
        }
      }
    }
    return false;
  }
  for (size_t r = 0; r < n && r < column.strings.size(); ++r) {
    if (column.valid[r] && !IsValidUtf8(column.strings[r])) {
      *row = r;
      *reason = DescribeInvalidUtf8(column.strings[r]);
      return true;
    }
  }
  return false;
}

Status CheckStorableValues(const DataChunk& chunk, const Schema& schema, std::string_view what,
                           int64_t first_row) {
  for (size_t c = 0; c < chunk.columns.size(); ++c) {
    size_t row;
    std::string reason;
    if (!FindUnstorableValue(chunk.columns[c], &row, &reason)) continue;
    std::string m(what);
    m += ": column \"" + (c < schema.size() ? schema.fields[c].name : std::to_string(c + 1)) + "\", row " +
         std::to_string(first_row + static_cast<int64_t>(row) + 1) + ": " + reason;
    return Status::InvalidArgument(std::move(m));
  }
  return Status::OK();
}

}  // namespace tsl
