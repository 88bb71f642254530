// The transaction log's actions (formats/log.md), modelled on Delta Lake's
// protocol: newline-delimited JSON, one action per line, each line a JSON
// object with a single key naming the action.
// Thread-safety: value types and pure functions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

// A map from column name to V kept as one sorted vector: add stats hold a
// handful of columns per file and a table tens of thousands of files, so
// this costs one allocation per map where std::map costs one per entry
// (opening a long log is dominated by them). The std::map subset the code
// uses, iterating in the same (sorted) order.
template <typename V>
class ColumnMap {
 public:
  using value_type = std::pair<std::string, V>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  ColumnMap() = default;
  ColumnMap(std::initializer_list<value_type> init) {
    for (const value_type& e : init) (*this)[e.first] = e.second;
  }

  iterator begin() { return items_.begin(); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void clear() { items_.clear(); }
  void reserve(size_t n) { items_.reserve(n); }

  iterator find(std::string_view key) {
    auto it = LowerBound(key);
    return it != items_.end() && it->first == key ? it : items_.end();
  }
  const_iterator find(std::string_view key) const {
    return const_cast<ColumnMap*>(this)->find(key);
  }
  size_t count(std::string_view key) const { return find(key) != end() ? 1 : 0; }
  // Inserts a default V when `key` is absent.
  V& operator[](std::string_view key) {
    auto it = LowerBound(key);
    if (it == items_.end() || it->first != key) it = items_.emplace(it, std::string(key), V());
    return it->second;
  }
  // REQUIRES: `key` is present (aborts otherwise; no exceptions here).
  const V& at(std::string_view key) const {
    auto it = find(key);
    if (it == end()) std::abort();
    return it->second;
  }
  V& at(std::string_view key) { return const_cast<V&>(std::as_const(*this).at(key)); }
  iterator erase(const_iterator it) { return items_.erase(it); }
  size_t erase(std::string_view key) {
    auto it = find(key);
    if (it == end()) return 0;
    items_.erase(it);
    return 1;
  }
  bool operator==(const ColumnMap& o) const { return items_ == o.items_; }

 private:
  iterator LowerBound(std::string_view key) {
    return std::lower_bound(items_.begin(), items_.end(), key,
                            [](const value_type& e, std::string_view k) { return e.first < k; });
  }
  std::vector<value_type> items_;
};

struct FileStats {
  int64_t num_records = 0;          // -1 when the add carried no stats (unknown)
  // Keyed by physical column name; only columns with a non-NULL value have min/max.
  ColumnMap<Value> min_values;
  ColumnMap<Value> max_values;
  ColumnMap<int64_t> null_count;
};

// One tag's rows in one segment (storage/tag_index.h): filled by the
// writer for the catalog's tag index, never serialized to the log.
struct SegmentTagRange {
  std::optional<std::string> tag;        // nullopt: the rows whose tag is NULL
  std::optional<int64_t> min_ts, max_ts;  // over non-NULL ts; nullopt when none
  int64_t rows = 0;
  std::optional<std::string> units;      // latest non-NULL `units` value, if the table has one
  std::optional<int64_t> units_ts;       // its row's ts
  bool operator==(const SegmentTagRange&) const = default;
};

struct AddAction {
  std::string path;                 // relative to the table directory
  std::map<std::string, std::string> partition_values;
  int64_t size = 0;                 // bytes
  int64_t modification_time = 0;    // ms since epoch
  bool data_change = true;
  FileStats stats;
  // Not serialized: the segment's per-tag ranges when its writer computed
  // them (the catalog's tag index); null for adds read back from the log.
  std::shared_ptr<const std::vector<SegmentTagRange>> tag_ranges;
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
// A bound that does not fit its column's type or range drops both bounds
// of that column (unknown: no pruning on it) instead of failing the table.
Status ConformStatsToSchema(const Schema& schema, FileStats* stats);

// One JSON line, no trailing newline.
std::string SerializeAction(const LogAction& action);
// An add as a checkpoint (format 2) writes it: `stats` is the JSON object
// itself rather than JSON text in a string. ParseLogFile reads both.
std::string SerializeCheckpointAdd(const AddAction& add);
// All actions, each followed by '\n'.
std::string SerializeActions(const std::vector<LogAction>& actions);

// Parses a whole log file. `file_name` appears in errors:
// kCorruption "m/_log/00000000000000000003.json line 2: expected one action key".
// Unknown action keys are skipped (forward compatibility, as Delta allows).
Result<std::vector<LogAction>> ParseLogFile(std::string_view content, std::string_view file_name);

}  // namespace tsl
