// TableProperties::Parse: see table_properties.h for keys and defaults.
#include "storage/table_properties.h"

#include <cctype>

#include "formats/interval.h"
#include "formats/timestamp.h"

namespace tsl {
namespace {

Status BadProperty(const std::string& key, const std::string& value, const std::string& why) {
  return Status::InvalidArgument("table property " + key + " = '" + value + "': " + why);
}

Result<int64_t> ParsePositiveInt(const std::string& key, const std::string& value, int64_t max) {
  if (value.empty()) return BadProperty(key, value, "expected a positive integer");
  int64_t v = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return BadProperty(key, value, "expected a positive integer");
    if (v > (max - (c - '0')) / 10)
      return BadProperty(key, value, "must be at most " + std::to_string(max));
    v = v * 10 + (c - '0');
  }
  if (v <= 0) return BadProperty(key, value, "expected a positive integer");
  return v;
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find(',', pos);
    if (end == std::string::npos) end = s.size();
    std::string part = s.substr(pos, end - pos);
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front())))
      part.erase(part.begin());
    while (!part.empty() && std::isspace(static_cast<unsigned char>(part.back()))) part.pop_back();
    out.push_back(part);
    pos = end + 1;
  }
  return out;
}

}  // namespace

Status CheckPropertyKnown(const std::string& key) {
  static constexpr const char* kKnown[] = {
      "partition_by", "sort_key",      "target_segment_rows", "target_segment_bytes",
      "compression",  "retention",     "log_retention",       "checkpoint_interval",
      "duplicate_policy", "deleted_file_retention",
      "watermarks"};  // read by storage/ingest_watermarks.cc
  for (const char* k : kKnown)
    if (key == k) return Status::OK();
  if (key.rfind("delta.", 0) == 0) return Status::OK();
  // A materialized view's definition, read by the query layer only.
  if (key == "materialized_view.source" || key == "materialized_view.query") return Status::OK();
  // Table constraints (query/main/table_constraints.h): written by CREATE
  // TABLE's constraint clauses, read and enforced by the query layer.
  if (key.rfind("constraint.", 0) == 0) return Status::OK();
  std::string list;
  for (const char* k : kKnown) list += std::string(list.empty() ? "" : ", ") + k;
  return Status::InvalidArgument("unknown table property \"" + key + "\"; the known ones are " +
                                 list + " (and delta.* properties, kept as they are)");
}

Result<int64_t> ParseRetentionInterval(std::string_view text) {
  Result<int64_t> v = ParseInterval(text);
  if (!v.ok())
    return Status::InvalidArgument("\"" + std::string(text) +
                                   "\" is not an interval (expected e.g. '90 days', '12 hours'): " +
                                   v.status().message());
  if (IsCalendarInterval(*v))
    return Status::InvalidArgument("\"" + std::string(text) +
                                   "\": a retention interval must have a fixed length (days, hours; not months)");
  if (*v <= 0)
    return Status::InvalidArgument("\"" + std::string(text) + "\" must be a positive interval");
  return *v;
}

Result<TableProperties> TableProperties::Parse(
    const std::map<std::string, std::string>& configuration, const Schema& schema,
    SegmentWriteOptions defaults) {
  TableProperties p;
  p.segment_options = defaults;
  auto get = [&](const char* key) -> const std::string* {
    auto it = configuration.find(key);
    return it == configuration.end() ? nullptr : &it->second;
  };
  if (const std::string* v = get("partition_by")) {
    ASSIGN_OR_RETURN(p.partition, PartitionSpec::Parse(*v, schema));
  }

  if (const std::string* v = get("duplicate_policy")) {  // applied by storage/duplicate_policy.h
    const std::string p = ToLower(*v);
    if (p != "keep_all" && p != "keep_first" && p != "keep_last" && p != "none")
      return BadProperty("duplicate_policy", *v, "expected 'keep_all', 'keep_first' or 'keep_last'");
  }

  if (const std::string* v = get("sort_key")) {
    for (const std::string& name : SplitComma(*v)) {
      int idx = schema.FindField(name);
      if (idx < 0)
        return BadProperty("sort_key", *v, "the table has no column \"" + name + "\"");
      for (int prev : p.sort_key)
        if (prev == idx) return BadProperty("sort_key", *v, "column \"" + name + "\" repeats");
      p.sort_key.push_back(idx);
    }
  } else {
    for (size_t i = 0; i < schema.size(); ++i)
      if (schema.fields[i].type == TypeId::kVarchar &&
          EqualsIgnoreCase(schema.fields[i].name, "tag")) {
        p.sort_key.push_back(static_cast<int>(i));
        break;
      }
    for (size_t i = 0; i < schema.size(); ++i)
      if (IsTimestampType(schema.fields[i].type)) {
        p.sort_key.push_back(static_cast<int>(i));
        break;
      }
  }

  if (const std::string* v = get("target_segment_rows")) {
    ASSIGN_OR_RETURN(p.target_segment_rows, ParsePositiveInt("target_segment_rows", *v, 1 << 26));
  }
  if (const std::string* v = get("target_segment_bytes")) {
    ASSIGN_OR_RETURN(p.target_segment_bytes,
                     ParsePositiveInt("target_segment_bytes", *v, int64_t{1} << 34));
  }
  if (const std::string* v = get("checkpoint_interval")) {
    ASSIGN_OR_RETURN(p.checkpoint_interval,
                     ParsePositiveInt("checkpoint_interval", *v, 1000000));
  }
  if (const std::string* v = get("compression")) {
    Result<Compression> c = ParseCompression(*v);
    if (!c.ok()) return BadProperty("compression", *v, "expected zstd, lz4 or none");
    p.segment_options.compression = *c;
  }
  if (const std::string* v = get("retention")) {
    Result<int64_t> r = ParseRetentionInterval(*v);
    if (!r.ok()) return BadProperty("retention", *v, r.status().message());
    p.retention_micros = *r;
  }
  if (const std::string* v = get("log_retention")) {
    Result<int64_t> r = ParseRetentionInterval(*v);
    if (!r.ok()) return BadProperty("log_retention", *v, r.status().message());
    p.log_retention_micros = *r;
  }
  if (const std::string* v = get("deleted_file_retention")) {
    Result<int64_t> r = ParseRetentionInterval(*v);
    if (!r.ok()) return BadProperty("deleted_file_retention", *v, r.status().message());
    p.deleted_file_retention_micros = *r;
  }
  return p;
}

}  // namespace tsl
