// PartitionSpec: how a table splits its rows into partition directories
// (`PARTITION BY day(ts)` -> `ts_day=2024-01-01/<uuid>.tsl`, as Delta and
// Hive lay them out). Parsed from the table property "partition_by"
// ("none", "hour(ts)", "day(ts)", "month(ts)"). The partition column is a
// derived one: metaData.partitionColumns names it ("ts_day") and each add
// carries its value in partitionValues ("2024-01-01"); it is not a column of
// the table schema.
// Thread-safety: a value type; const methods are pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "formats/status.h"
#include "formats/types.h"

namespace tsl {

enum class PartitionGranularity : uint8_t { kNone = 0, kHour = 1, kDay = 2, kMonth = 3 };

class PartitionSpec {
 public:
  PartitionSpec() = default;  // unpartitioned

  // Parses "none", "" (= none), "day(ts)", "HOUR( ts )", "month(ts)".
  // kInvalidArgument when the text is malformed or `column` is not a
  // TIMESTAMP column of `schema`: `partition_by "week(ts)": expected
  // none, hour(col), day(col) or month(col)`.
  static Result<PartitionSpec> Parse(std::string_view text, const Schema& schema);

  bool partitioned() const { return granularity_ != PartitionGranularity::kNone; }
  PartitionGranularity granularity() const { return granularity_; }
  // The schema column the partition derives from (-1 when unpartitioned).
  int column_index() const { return column_index_; }
  // "ts_day", "ts_hour", "ts_month"; empty when unpartitioned.
  const std::string& partition_column() const { return partition_column_; }
  // "day(ts)" or "none": the canonical property text.
  std::string ToString() const;

  // The partition value of a timestamp: "2024-01-01T05" (hour),
  // "2024-01-01" (day), "2024-01" (month). REQUIRES: partitioned().
  std::string ValueFor(int64_t micros) const;
  // The half-open micros range [lo, hi) a partition value covers.
  // kInvalidArgument when `value` is not one this spec produces.
  Result<std::pair<int64_t, int64_t>> RangeOf(std::string_view value) const;
  // The directory of a partition: "ts_day=2024-01-01". REQUIRES: partitioned().
  std::string DirectoryFor(std::string_view value) const;

 private:
  PartitionGranularity granularity_ = PartitionGranularity::kNone;
  int column_index_ = -1;
  std::string column_name_;
  std::string partition_column_;
};

}  // namespace tsl
