// Delta Lake mirror of a table. See delta_mirror.h; the log format is
// Delta's protocol (PROTOCOL.md of delta-io/delta): protocol, metaData,
// add, remove, txn and commitInfo actions, one JSON object a line.
#include "storage/delta_mirror.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "formats/date.h"
#include "formats/decimal.h"
#include "formats/timestamp.h"
#include "storage/parquet_export.h"
#include "storage/transaction_log.h"
#include "storage/unique_id.h"

namespace tsl {
namespace {

using nlohmann::json;

constexpr const char* kLogDir = "_delta_log";

std::string DeltaTypeName(TypeId t) {
  switch (t) {
    case TypeId::kBoolean:
      return "boolean";
    case TypeId::kInteger:
      return "integer";
    case TypeId::kBigint:
      return "long";
    case TypeId::kSmallint:
      return "short";
    case TypeId::kTinyint:
      return "byte";
    case TypeId::kBlob:
      return "binary";
    case TypeId::kTime:  // Delta has no TIME: the Parquet INT64 microseconds since midnight
      return "long";
    case TypeId::kDouble:
      return "double";
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:  // Delta's timestamp is a UTC instant
      return "timestamp";
    case TypeId::kDate:
      return "date";
    default:
      if (IsDecimal(t))
        return "decimal(" + std::to_string(DecimalWidth(t)) + "," + std::to_string(DecimalScale(t)) + ")";
      return "string";
  }
}

// The mirror's state after replaying its log.
struct MirrorState {
  int64_t version = -1;         // -1: no Delta table yet
  json metadata;                // latest metaData action
  std::set<std::string> files;  // live paths (as in add.path)
  std::map<std::string, int64_t> app_versions;
};

// Delta's version file names are the transaction log's (one checked
// parser: a 20-digit name past INT64_MAX is not a version).
std::string VersionFileName(int64_t v) { return TransactionLog::VersionFileName(v); }

Result<MirrorState> ReplayMirrorImpl(Env* env, const std::string& dir);

// nlohmann throws on a field of the wrong type; no exception leaves storage/.
Result<MirrorState> ReplayMirror(Env* env, const std::string& dir) {
  try {
    return ReplayMirrorImpl(env, dir);
  } catch (const json::exception& e) {
    return Status::Corruption(JoinPath(dir, kLogDir) + ": unexpected action field: " + e.what());
  }
}

Result<MirrorState> ReplayMirrorImpl(Env* env, const std::string& dir) {
  MirrorState st;
  const std::string log = JoinPath(dir, kLogDir);
  if (!env->IsDirectory(log)) return st;
  ASSIGN_OR_RETURN(std::vector<std::string> names, env->GetChildren(log));
  std::vector<int64_t> versions;
  for (const std::string& n : names) {
    const int64_t v = TransactionLog::ParseVersionFileName(n);
    if (v >= 0) versions.push_back(v);
  }
  std::sort(versions.begin(), versions.end());
  for (size_t i = 0; i < versions.size(); ++i) {
    if (versions[i] != static_cast<int64_t>(i))
      return Status::Corruption(
          log + ": version " + std::to_string(i) +
          " is missing (the mirror is written by tslake only and never checkpointed; "
          "re-export into a new directory)");
    const std::string file = JoinPath(log, VersionFileName(versions[i]));
    ASSIGN_OR_RETURN(std::string content, env->ReadFileToString(file));
    size_t line_no = 0, start = 0;
    while (start < content.size()) {
      size_t end = content.find('\n', start);
      if (end == std::string::npos) end = content.size();
      const std::string line = content.substr(start, end - start);
      start = end + 1;
      ++line_no;
      if (line.empty()) continue;
      json j = json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object())
        return Status::Corruption(file + " line " + std::to_string(line_no) +
                                  ": not a JSON object");
      if (j.contains("add") && j["add"].contains("path"))
        st.files.insert(j["add"]["path"].get<std::string>());
      if (j.contains("remove") && j["remove"].contains("path"))
        st.files.erase(j["remove"]["path"].get<std::string>());
      if (j.contains("metaData")) st.metadata = j["metaData"];
      if (j.contains("txn") && j["txn"].contains("appId") && j["txn"].contains("version"))
        st.app_versions[j["txn"]["appId"].get<std::string>()] = j["txn"]["version"].get<int64_t>();
    }
    st.version = versions[i];
  }
  return st;
}

// Delta paths are URIs: escape what is not plainly safe.
std::string UriEscape(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '=' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// Delta stats hold timestamps in milliseconds: the min is rounded down and
// the max up, so they still bound the microsecond values.
std::string StatTimestamp(int64_t micros, bool round_up) {
  int64_t ms = micros / 1000;
  if (micros % 1000 != 0 && micros < 0) --ms;
  if (round_up && micros % 1000 != 0) ++ms;
  const std::string iso = FormatTimestampIso(ms * 1000);  // "...:SS.ffffffZ"
  return iso.substr(0, iso.size() - 4) + "Z";
}

// A stat value as JSON, or null JSON when Delta cannot hold it exactly
// (non-finite doubles, strings over 32 characters).
json StatJson(const Value& v, bool is_max) {
  if (v.is_null()) return json();
  switch (v.type()) {
    case TypeId::kBoolean:
      return v.bool_value();
    case TypeId::kInteger:
    case TypeId::kBigint:
    case TypeId::kSmallint:
    case TypeId::kTinyint:
      return v.int_value();
    case TypeId::kDouble:
      return std::isfinite(v.double_value()) ? json(v.double_value()) : json();
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return StatTimestamp(v.int_value(), is_max);
    case TypeId::kDate: {
      // Delta's date stats are "yyyy-MM-dd"; other years get no bound.
      const std::string text = FormatDateIso(v.int_value());
      return text.size() == 10 ? json(text) : json();
    }
    case TypeId::kVarchar:
      return v.string_value().size() <= 32 ? json(v.string_value()) : json();
    default:
      return json();
  }
}

json StatsJson(const Schema& schema, const ParquetFileInfo& f) {
  json s = {{"numRecords", f.rows}};
  json mins = json::object(), maxs = json::object(), nulls = json::object();
  for (size_t c = 0; c < schema.size() && c < f.stats.size(); ++c) {
    const std::string& name = schema.fields[c].name;
    json lo = StatJson(f.stats[c].min, false), hi = StatJson(f.stats[c].max, true);
    if (!lo.is_null() && !hi.is_null()) {
      mins[name] = lo;
      maxs[name] = hi;
    }
    nulls[name] = f.stats[c].null_count;
  }
  s["minValues"] = mins;
  s["maxValues"] = maxs;
  s["nullCount"] = nulls;
  return s;
}

json SchemaJson(const Schema& schema, const std::vector<std::string>& partition_columns) {
  json fields = json::array();
  for (const Field& f : schema.fields)
    fields.push_back({{"name", f.name},
                      {"type", DeltaTypeName(f.type)},
                      {"nullable", true},
                      {"metadata", json::object()}});
  for (const std::string& p : partition_columns)
    fields.push_back(
        {{"name", p}, {"type", "string"}, {"nullable", true}, {"metadata", json::object()}});
  return {{"type", "struct"}, {"fields", fields}};
}

// kInvalidArgument unless `old_schema` (the mirror's data columns) is a
// prefix of `now`: columns may only be added.
Status CheckSchemaEvolution(const json& old_fields, const Schema& now,
                            const std::vector<std::string>& partition_columns,
                            const std::string& dir) {
  std::vector<std::pair<std::string, std::string>> old;
  for (const json& f : old_fields) {
    const std::string name = f.value("name", "");
    if (std::find(partition_columns.begin(), partition_columns.end(), name) !=
        partition_columns.end())
      continue;
    old.emplace_back(name, f.value("type", ""));
  }
  if (old.size() > now.size())
    return Status::InvalidArgument(dir + ": the mirror has " + std::to_string(old.size()) +
                                   " columns, the table " + std::to_string(now.size()) +
                                   "; export into a new directory");
  for (size_t i = 0; i < old.size(); ++i) {
    if (old[i].first != now.fields[i].name || old[i].second != DeltaTypeName(now.fields[i].type))
      return Status::InvalidArgument(
          dir + ": column " + std::to_string(i + 1) + " is \"" + old[i].first + "\" (" +
          old[i].second + ") in the mirror but \"" + now.fields[i].name + "\" (" +
          DeltaTypeName(now.fields[i].type) +
          ") in the table; renamed or retyped columns need a fresh export into a new "
          "directory");
  }
  return Status::OK();
}

Status CommitVersion(Env* env, const std::string& dir, int64_t version,
                     const std::string& content) {
  const std::string log = JoinPath(dir, kLogDir);
  if (!env->IsDirectory(log)) {
    RETURN_IF_ERROR(env->CreateDirIfMissing(log));
    RETURN_IF_ERROR(env->SyncDir(dir));
  }
  const std::string tmp = JoinPath(log, ".tmp-" + NewUniqueId() + ".json");
  RETURN_IF_ERROR(WriteFileSync(env, tmp, content));
  const std::string target = JoinPath(log, VersionFileName(version));
  Status linked = env->LinkFile(tmp, target);
  (void)env->RemoveFile(tmp);
  if (linked.code() == StatusCode::kAlreadyExists)
    return Status::Conflict(target + " already exists: another export committed Delta version " +
                            std::to_string(version) + " first; run the export again");
  RETURN_IF_ERROR(linked);
  return env->SyncDir(log);
}

}  // namespace

static Result<DeltaExportResult> ExportDeltaMirrorImpl(const Table& table, Env* env,
                                                       const std::string& dir,
                                                       const DeltaExportOptions& options);

Result<DeltaExportResult> ExportDeltaMirror(const Table& table, Env* env, const std::string& dir,
                                            const DeltaExportOptions& options) {
  try {
    return ExportDeltaMirrorImpl(table, env, dir, options);
  } catch (const json::exception& e) {
    return Status::Corruption(JoinPath(dir, kLogDir) + ": unexpected metaData field: " + e.what());
  }
}

static Result<DeltaExportResult> ExportDeltaMirrorImpl(const Table& table, Env* env,
                                                       const std::string& dir,
                                                       const DeltaExportOptions& options) {
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snapshot, table.GetSnapshot());
  const MetaDataAction& source_meta = snapshot->metadata();
  const Schema& schema = snapshot->schema();
  RETURN_IF_ERROR(CreateDirs(env, dir));
  ASSIGN_OR_RETURN(MirrorState mirror, ReplayMirror(env, dir));

  DeltaExportResult result;
  result.source_version = snapshot->version();
  const std::string& app_id = source_meta.id;
  std::vector<std::string> partition_columns = source_meta.partition_columns;
  bool write_metadata = mirror.version < 0;
  if (mirror.version >= 0) {
    if (!options.incremental)
      return Status::AlreadyExists(
          dir + " already holds a Delta table (version " + std::to_string(mirror.version) +
          "); add INCREMENTAL to append the changes since the last export, or export into "
          "a new directory");
    if (!mirror.app_versions.count(app_id))
      return Status::InvalidArgument(
          dir + " is not a mirror of table " + table.name() + " (id " + app_id +
          "): its _delta_log has no txn for that id; export into a new directory");
    partition_columns.clear();
    for (const json& p : mirror.metadata.value("partitionColumns", json::array()))
      partition_columns.push_back(p);
    json old_schema = json::parse(mirror.metadata.value("schemaString", "{}"), nullptr, false);
    const json fields =
        old_schema.is_object() ? old_schema.value("fields", json::array()) : json::array();
    RETURN_IF_ERROR(CheckSchemaEvolution(fields, schema, partition_columns, dir));
    write_metadata = fields.size() != schema.size() + partition_columns.size();
    if (mirror.app_versions[app_id] == snapshot->version() && !write_metadata)
      return result;  // nothing new
  }

  // Diff: source segments not mirrored yet, mirrored files no longer live.
  std::vector<const AddAction*> to_add;  // point into snapshot, held below
  std::set<std::string> live;
  for (const AddAction& add : snapshot->files()) {
    const std::string path = UriEscape(ParquetPathForSegment(add.path));
    live.insert(path);
    if (!mirror.files.count(path)) to_add.push_back(&add);
  }
  std::vector<std::string> to_remove;
  for (const std::string& path : mirror.files)
    if (!live.count(path)) to_remove.push_back(path);
  if (to_add.empty() && to_remove.empty() && !write_metadata) {
    result.source_version = mirror.app_versions.count(app_id) ? mirror.app_versions[app_id] : -1;
    return result;
  }

  ASSIGN_OR_RETURN(std::vector<ParquetFileInfo> written,
                   ExportSegmentsAsParquet(table, snapshot, to_add, env, dir, options.parquet));

  const int64_t now_ms = env->NowMicros() / 1000;
  std::string content;
  auto emit = [&](const json& j) { content += j.dump() + "\n"; };
  if (mirror.version < 0) emit({{"protocol", {{"minReaderVersion", 1}, {"minWriterVersion", 2}}}});
  if (write_metadata) {
    json meta = {
        {"id", mirror.version < 0 ? NewUniqueId() : mirror.metadata.value("id", NewUniqueId())},
        {"name", table.name()},
        {"format", {{"provider", "parquet"}, {"options", json::object()}}},
        {"schemaString", SchemaJson(schema, partition_columns).dump()},
        {"partitionColumns", partition_columns},
        {"configuration", json::object()},
        {"createdTime",
         mirror.version < 0 ? now_ms : mirror.metadata.value("createdTime", now_ms)}};
    emit({{"metaData", meta}});
  }
  // Removes of a pure compaction (every new file has dataChange=false)
  // keep dataChange=false, as OPTIMIZE's do in Delta.
  const bool data_change =
      to_add.empty() ||
      std::any_of(to_add.begin(), to_add.end(), [](const AddAction* a) { return a->data_change; });
  for (const std::string& path : to_remove)
    emit(
        {{"remove", {{"path", path}, {"deletionTimestamp", now_ms}, {"dataChange", data_change}}}});
  for (size_t i = 0; i < to_add.size(); ++i) {
    const AddAction& src = *to_add[i];
    json pv = json::object();
    for (const std::string& p : partition_columns) {
      auto it = src.partition_values.find(p);
      pv[p] = it == src.partition_values.end() ? json() : json(it->second);
    }
    emit({{"add",
           {{"path", UriEscape(written[i].path)},
            {"partitionValues", pv},
            {"size", written[i].size},
            {"modificationTime", now_ms},
            {"dataChange", src.data_change},
            {"stats", StatsJson(schema, written[i]).dump()}}}});
    result.rows_added += written[i].rows;
  }
  emit({{"txn", {{"appId", app_id}, {"version", snapshot->version()}, {"lastUpdated", now_ms}}}});
  emit({{"commitInfo",
         {{"timestamp", now_ms},
          {"operation", mirror.version < 0 ? "CREATE TABLE AS SELECT" : "WRITE"},
          {"operationParameters",
           {{"mode", mirror.version < 0 ? "ErrorIfExists" : "Append"},
            {"partitionBy", json(partition_columns).dump()}}},
          {"isBlindAppend", to_remove.empty()},
          {"engineInfo", "tslake"},
          {"tslake.sourceTable", table.name()},
          {"tslake.sourceVersion", snapshot->version()}}}});

  result.mirror_version = mirror.version + 1;
  RETURN_IF_ERROR(CommitVersion(env, dir, result.mirror_version, content));
  result.files_added = static_cast<int64_t>(to_add.size());
  result.files_removed = static_cast<int64_t>(to_remove.size());
  return result;
}

}  // namespace tsl
