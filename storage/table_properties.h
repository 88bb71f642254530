// TableProperties: the typed view of a table's properties
// (metaData.configuration, set by CREATE TABLE ... WITH (...) / PARTITION BY
// and ALTER TABLE ... SET (...)). Setting an unknown key is refused
// (CheckPropertyKnown); Parse ignores unknown keys already in a log.
// Keys and defaults:
//   partition_by          "none" | "hour(ts)" | "day(ts)" | "month(ts)"   none
//   sort_key              comma-separated column names; default: the first
//                         VARCHAR column named "tag" (if any), then the first
//                         TIMESTAMP column
//   target_segment_rows   rows per segment file                      1048576
//   target_segment_bytes  approximate in-memory bytes per segment  268435456
//   compression           "zstd" | "lz4" | "none"                       zstd
//   retention             interval: data older than now - retention is
//                         dropped ("90 days", "12 hours"); unset = keep all
//   log_retention         interval: log and checkpoint files older than this
//                         are cleaned once no retained version needs them
//                                                                   30 days
//   deleted_file_retention interval: how long a file no version needs any
//                         more is kept before background maintenance's
//                         VACUUM deletes it (Delta's
//                         deletedFileRetentionDuration)              7 days
//   checkpoint_interval   a checkpoint every N commits; unset: every
//                         max(10, live files / 10) commits (storage/table.cc)
//   duplicate_policy      "keep_all" | "keep_first" | "keep_last" on (tag, ts),
//                         applied by imports (storage/duplicate_policy.h)
//                                                                keep_all
//   watermarks            "true" keeps per-tag import watermarks
//                         (storage/ingest_watermarks.h)              false
//   constraint.*          PRIMARY KEY / UNIQUE / NOT NULL / CHECK / DEFAULT,
//                         written by CREATE TABLE and enforced by the query
//                         layer (query/main/table_constraints.h)
// Thread-safety: a value type.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/segment_writer.h"
#include "formats/status.h"
#include "formats/types.h"
#include "storage/partition_spec.h"

namespace tsl {

struct TableProperties {
  PartitionSpec partition;
  std::vector<int> sort_key;  // schema column indexes, in order
  int64_t target_segment_rows = int64_t{1} << 20;
  int64_t target_segment_bytes = int64_t{256} << 20;
  SegmentWriteOptions segment_options;
  std::optional<int64_t> retention_micros;
  int64_t log_retention_micros = int64_t{30} * 24 * 3600 * 1000000;
  int64_t checkpoint_interval = 10;
  int64_t deleted_file_retention_micros = int64_t{7} * 24 * 3600 * 1000000;

  // Validates and parses `configuration` against `schema`. kInvalidArgument
  // naming the key and value: `table property retention = '9O days': ...`.
  // `defaults` supplies the segment options a database was opened with;
  // the table's "compression" property overrides them.
  static Result<TableProperties> Parse(const std::map<std::string, std::string>& configuration,
                                       const Schema& schema, SegmentWriteOptions defaults = {});
};

// kInvalidArgument unless `key` is one of the properties above or starts
// with "delta." (Delta table properties pass through unread, so a table
// mirrored to or from Delta keeps them). Checked where properties are set
// (CREATE TABLE, ALTER TABLE SET), not when a table is read, so a table
// carrying a property from a newer build still opens.
Status CheckPropertyKnown(const std::string& key);

// Parses an interval property value: "<n> <unit>" with unit one of
// second(s), minute(s), hour(s), day(s), week(s) (also "90d", "12h").
// Returns micros; kInvalidArgument naming `text` otherwise.
Result<int64_t> ParseRetentionInterval(std::string_view text);

}  // namespace tsl
