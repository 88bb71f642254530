// The transaction log's actions (formats/log.md), modelled on Delta Lake's
// protocol: newline-delimited JSON, one action per line, each line a JSON
// object with a single key naming the action.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "formats/segment_stats.h"
#include "formats/status.h"
#include "formats/types.h"

namespace tsl {

struct ProtocolAction {
  int min_reader_version = 1;
  int min_writer_version = 2;
};

struct MetaDataAction {
  std::string id;                   // table UUID
  std::string name;
  Schema schema;
  // Physical name of each schema field (Delta's column mapping): the name
  // segment footers and add stats use, fixed when the column is created
  // and kept across renames. Empty = every physical name equals the
  // field's name. Serialized as each field's
  // metadata["tslake.physicalName"] in schemaString.
  std::vector<std::string> physical_names;
  std::vector<std::string> partition_columns;
  std::map<std::string, std::string> configuration;  // table properties
  int64_t created_time = 0;         // ms since epoch
};

// `m.schema` with each field renamed to its physical name.
Schema PhysicalSchema(const MetaDataAction& m);

struct FileStats {
  int64_t num_records = 0;          // -1 when the add carried no stats (unknown)
  // Keyed by physical column name; only columns with a non-NULL value have min/max.
  std::map<std::string, Value> min_values;
  std::map<std::string, Value> max_values;
  std::map<std::string, int64_t> null_count;
};

struct AddAction {
  std::string path;                 // relative to the table directory
  std::map<std::string, std::string> partition_values;
  int64_t size = 0;                 // bytes
  int64_t modification_time = 0;    // ms since epoch
  bool data_change = true;
  FileStats stats;
};

struct RemoveAction {
  std::string path;
  int64_t deletion_timestamp = 0;   // ms since epoch
  bool data_change = true;
};

struct CommitInfoAction {
  int64_t timestamp = 0;            // ms since epoch
  std::string operation;            // "CREATE TABLE", "WRITE", "DELETE", ...
  std::map<std::string, std::string> operation_parameters;
  std::optional<int64_t> read_version;
  bool is_blind_append = false;
  std::map<std::string, std::string> operation_metrics;
};

struct TxnAction {
  std::string app_id;
  int64_t version = 0;
  int64_t last_updated = 0;         // ms since epoch
};

using LogAction = std::variant<ProtocolAction, MetaDataAction, AddAction, RemoveAction,
                               CommitInfoAction, TxnAction>;

// Builds FileStats from a segment's zone maps and schema.
FileStats FileStatsFromSegment(const Schema& schema, const SegmentStats& stats);

// The `stats` string of an add action (Delta's {"numRecords", "minValues",
// "maxValues", "nullCount"}); num_records < 0 (unknown) writes no numRecords.
std::string SerializeFileStats(const FileStats& stats);
// Stats parsed from JSON carry JSON's types (BIGINT, DOUBLE, BOOLEAN,
// VARCHAR); this casts each min/max to its column's type in `schema`
// (timestamps from their ISO text) and drops columns the schema lacks.
// kCorruption naming the column when a value does not fit its type.
Status ConformStatsToSchema(const Schema& schema, FileStats* stats);

// One JSON line, no trailing newline.
std::string SerializeAction(const LogAction& action);
// All actions, each followed by '\n'.
std::string SerializeActions(const std::vector<LogAction>& actions);

// Parses a whole log file. `file_name` appears in errors:
// kCorruption "m/_log/00000000000000000003.json line 2: expected one action key".
// Unknown action keys are skipped (forward compatibility, as Delta allows).
Result<std::vector<LogAction>> ParseLogFile(std::string_view content, std::string_view file_name);

}  // namespace tsl
