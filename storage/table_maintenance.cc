// Table maintenance: OPTIMIZE, VACUUM, RESTORE, retention and ALTER TABLE's
// schema and property changes, each built on a Transaction (one commit, or
// none when there is nothing to do). VACUUM is the only code that deletes
// segment files the log has named; its rule is in Vacuum below.
// Thread-safety: as Table; concurrent maintenance calls are arbitrated by
// the Transaction conflict rules (a loser gets kConflict, nothing changed).
#include <algorithm>
#include <cstdio>
#include <set>

#include "formats/timestamp.h"
#include "storage/compaction.h"
#include "storage/drop_column.h"
#include "storage/table.h"
#include "storage/table_properties.h"
#include "storage/table_scan.h"
#include "storage/transaction.h"
#include "storage/transaction_log.h"
#include "storage/unique_id.h"

namespace tsl {
namespace {

// Hours as the user would type them back in a VACUUM statement: 0, 24, 1.5.
std::string HoursText(double hours) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", hours);
  return buf;
}

constexpr double kMinVacuumRetainHours = 168;  // 7 days, Delta's default
// Delta's column mapping mode: "name" once a column was dropped (a new
// column then always gets a fresh physical name).
constexpr const char* kColumnMappingMode = "delta.columnMapping.mode";

std::string PartitionKey(const AddAction& f) {
  std::string key;
  for (const auto& [k, v] : f.partition_values) key += k + "=" + v + "/";
  return key;
}

bool IsSegmentFile(const std::string& name) {
  return name.size() > 4 && name.compare(name.size() - 4, 4, ".tsl") == 0;
}

// The time column retention applies to: the partition column's source, or
// else the sort key's first TIMESTAMP column. -1 when there is none.
int RetentionColumn(const TableProperties& props, const Schema& schema) {
  if (props.partition.partitioned()) return props.partition.column_index();
  for (int c : props.sort_key)
    if (IsTimestampType(schema.fields[static_cast<size_t>(c)].type)) return c;
  for (size_t i = 0; i < schema.size(); ++i)
    if (IsTimestampType(schema.fields[i].type)) return static_cast<int>(i);
  return -1;
}

}  // namespace

Result<CommitResult> Table::Optimize(const std::vector<ScanRange>& ranges) {
  OptimizeOptions options;
  options.ranges = ranges;
  return Optimize(options);
}

Result<CommitResult> Table::Optimize(const OptimizeOptions& options) {
  return CompactSmallFiles(*this, options, 0);
}

Result<CommitResult> CompactSmallFiles(Table& table, const OptimizeOptions& options,
                                       int64_t max_segment_rows) {
  const std::vector<ScanRange>& ranges = options.ranges;
  ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, table.NewTransaction());
  const Snapshot& snap = txn->read_snapshot();
  ASSIGN_OR_RETURN(TableProperties props, table.Properties(&snap));
  // Per partition, the files worth rewriting: those below the target size
  // (below half the cap when one is set: the last segment a capped
  // compaction cuts may be short, and must not make every pass rewrite it).
  int64_t small = props.target_segment_rows;
  if (max_segment_rows > 0 && max_segment_rows < small) {
    small = std::max<int64_t>(1, max_segment_rows / 2);
    txn->SetMaxSegmentRows(max_segment_rows);
  }
  std::map<std::string, std::vector<const AddAction*>> groups;
  std::set<std::string> touched;  // partitions with a file the ranges may match
  for (const AddAction& f : snap.files()) {
    std::string key = PartitionKey(f);
    if (TableScan::MayMatch(f, snap.physical_schema(), ranges)) touched.insert(key);
    if (f.stats.num_records < 0 || f.stats.num_records < small) groups[key].push_back(&f);
  }
  txn->SetDataChange(false);
  std::vector<std::string> paths;
  for (const auto& [key, files] : groups) {
    if (files.size() < 2 || static_cast<int64_t>(files.size()) < options.min_small_files ||
        !touched.count(key))
      continue;
    for (const AddAction* f : files) {
      RETURN_IF_ERROR(txn->RemoveFile(*f));
      paths.push_back(f->path);
    }
  }
  if (paths.empty()) return CommitResult{};
  ScanOptions scan;
  scan.only_files = paths;
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> read, table.GetSnapshot(snap.version()));
  ASSIGN_OR_RETURN(std::unique_ptr<ChunkSource> source, table.NewScan(read, std::move(scan)));
  DataChunk chunk;
  for (;;) {
    ASSIGN_OR_RETURN(bool more, source->Next(&chunk));
    if (!more) break;
    RETURN_IF_ERROR(txn->AddRows(chunk));
  }
  std::map<std::string, std::string> params;
  params["predicate"] = ranges.empty() ? "[]" : "[" + std::to_string(ranges.size()) + " ranges]";
  params["zOrderBy"] = "[]";
  for (const auto& [k, v] : options.parameters) params[k] = v;
  if (options.TEST_before_commit) options.TEST_before_commit();
  return txn->Commit("OPTIMIZE", std::move(params));
}

Result<CommitResult> Table::ApplyRetention(const RetentionOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, NewTransaction());
  const Snapshot& snap = txn->read_snapshot();
  ASSIGN_OR_RETURN(TableProperties props, Properties(&snap));
  if (!props.retention_micros) return CommitResult{};
  int col = options.column ? snap.schema().FindField(*options.column)
                           : RetentionColumn(props, snap.schema());
  if (col < 0 || !IsTimestampType(snap.schema().fields[static_cast<size_t>(col)].type))
    return CommitResult{};
  const int64_t cutoff = env()->NowMicros() - *props.retention_micros;
  const std::string& phys = snap.physical_schema().fields[static_cast<size_t>(col)].name;
  int removed = 0;
  std::vector<const AddAction*> straddling;
  for (const AddAction& f : snap.files()) {
    bool expired = false;
    if (props.partition.partitioned() && !options.column) {
      auto pv = f.partition_values.find(props.partition.partition_column());
      if (pv != f.partition_values.end()) {
        Result<std::pair<int64_t, int64_t>> range = props.partition.RangeOf(pv->second);
        expired = range.ok() && range->second <= cutoff;
      }
    }
    auto min = f.stats.min_values.find(phys);
    auto max = f.stats.max_values.find(phys);
    auto nulls = f.stats.null_count.find(phys);
    const bool no_nulls = nulls != f.stats.null_count.end() && nulls->second == 0;
    if (!expired && max != f.stats.max_values.end() && no_nulls)
      expired = max->second.int_value() < cutoff;
    if (!expired) {
      // Rows older than the cutoff in a file with newer ones (or NULL
      // times, which never expire).
      if (options.rewrite_straddling &&
          (min == f.stats.min_values.end() || min->second.int_value() < cutoff))
        straddling.push_back(&f);
      continue;
    }
    RETURN_IF_ERROR(txn->RemoveFile(f));
    ++removed;
  }
  if (!straddling.empty()) {
    std::vector<TypeId> types;
    ScanOptions all;
    for (size_t i = 0; i < snap.schema().size(); ++i) {
      types.push_back(snap.schema().fields[i].type);
      all.columns.push_back(static_cast<int>(i));
    }
    ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> read, GetSnapshot(snap.version()));
    std::vector<uint32_t> keep;
    for (const AddAction* f : straddling) {
      ScanOptions scan = all;
      scan.only_files = {f->path};
      ASSIGN_OR_RETURN(std::unique_ptr<ChunkSource> source, NewScan(read, std::move(scan)));
      std::vector<DataChunk> kept;
      bool dropped = false;
      DataChunk chunk;
      for (;;) {
        chunk.Initialize(types);
        ASSIGN_OR_RETURN(bool more, source->Next(&chunk));
        if (!more) break;
        const ColumnVector& ts = chunk.columns[static_cast<size_t>(col)];
        keep.clear();
        for (uint32_t i = 0; i < chunk.size(); ++i) {
          if (ts.IsNull(i) || ts.ints[i] >= cutoff) keep.push_back(i);
        }
        if (keep.size() < chunk.size()) dropped = true;
        if (keep.empty()) continue;
        DataChunk out;
        out.Initialize(types);
        for (size_t c = 0; c < types.size(); ++c) out.columns[c].AppendSelection(chunk.columns[c], keep);
        kept.push_back(std::move(out));
      }
      if (!dropped) continue;  // the zone map was loose
      RETURN_IF_ERROR(txn->RemoveFile(*f));
      for (DataChunk& c : kept) RETURN_IF_ERROR(txn->AddRows(std::move(c)));
      ++removed;
    }
  }
  if (removed == 0) return CommitResult{};
  auto horizon = snap.app_versions().find(kRetentionHorizonApp);
  if (horizon == snap.app_versions().end() || horizon->second < cutoff)
    RETURN_IF_ERROR(txn->SetTxn(kRetentionHorizonApp, cutoff));
  std::map<std::string, std::string> params;
  params["predicate"] = "retention: " + snap.schema().fields[static_cast<size_t>(col)].name +
                        " < '" + FormatTimestamp(cutoff) + "'";
  for (const auto& [k, v] : options.parameters) params[k] = v;
  return txn->Commit("DELETE", std::move(params));
}

Result<VacuumResult> Table::Vacuum(VacuumOptions options) {
  const double hours = options.retain_hours.value_or(kMinVacuumRetainHours);
  if (hours < 0)
    return Status::InvalidArgument("VACUUM RETAIN " + std::to_string(hours) +
                                   " HOURS: the retention must not be negative");
  if (hours < kMinVacuumRetainHours && !options.force)
    return Status::InvalidArgument(
        "VACUUM of table \"" + name() + "\" with RETAIN " + FormatInterval(static_cast<int64_t>(
                                                            hours * 3600e6)) +
        " is refused: retaining less than 168 hours (7 days) can delete files that "
        "concurrent readers, writers or time travel still need; if you are sure, add FORCE: "
        "VACUUM " +
        name() + " RETAIN " + HoursText(hours) + " HOURS FORCE");
  if (!options.dry_run && options.apply_retention) {
    Result<CommitResult> r = ApplyRetention();
    if (!r.ok() && !r.status().IsConflict()) return r.status();
  }
  const int64_t now = env()->NowMicros();
  const int64_t cutoff = now - static_cast<int64_t>(hours * 3600e6);

  // The versions inside the window: R, current at the cutoff (or the
  // oldest readable one when the table is younger), and every later one.
  // A file any of them lists is needed.
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> latest, GetSnapshot());
  std::shared_ptr<const Snapshot> oldest;
  Result<std::shared_ptr<const Snapshot>> at_cutoff = GetSnapshotAsOf(cutoff);
  if (at_cutoff.ok()) {
    oldest = *at_cutoff;
  } else if (at_cutoff.status().IsNotFound()) {
    TransactionLog log(env(), dir());
    ASSIGN_OR_RETURN(std::vector<int64_t> versions, log.ListVersions());
    for (int64_t v : versions) {  // the oldest version still readable
      Result<std::shared_ptr<const Snapshot>> s = GetSnapshot(v);
      if (s.ok()) {
        oldest = *s;
        break;
      }
    }
    if (oldest == nullptr) return at_cutoff.status();
  } else {
    return at_cutoff.status();
  }
  std::set<std::string> needed;
  for (const AddAction& f : oldest->files()) needed.insert(f.path);
  TransactionLog log(env(), dir());
  for (int64_t v = oldest->version() + 1; v <= latest->version(); ++v) {
    ASSIGN_OR_RETURN(std::vector<LogAction> actions, log.ReadVersion(v));
    for (const LogAction& a : actions)
      if (const auto* add = std::get_if<AddAction>(&a)) needed.insert(add->path);
  }
  for (const AddAction& f : latest->files()) needed.insert(f.path);

  VacuumResult result;
  result.dry_run = options.dry_run;
  result.oldest_retained_version = oldest->version();
  // Candidates: segment files in the table directory and its partition
  // directories, plus stale temp files in `_log/`. Anything not needed and
  // last modified before the cutoff goes; a file whose age cannot be told
  // stays (an uncommitted writer's segment is young, so it stays too).
  struct Candidate {
    std::string rel;
    std::string dir;
  };
  std::vector<Candidate> candidates;
  ASSIGN_OR_RETURN(std::vector<std::string> top, env()->GetChildren(dir()));
  std::vector<std::string> partition_dirs;
  for (const std::string& n : top) {
    std::string path = JoinPath(dir(), n);
    if (n == "_log") {
      ASSIGN_OR_RETURN(std::vector<std::string> logs, env()->GetChildren(path));
      for (const std::string& l : logs)
        if (l.rfind(".tmp-", 0) == 0) candidates.push_back({"_log/" + l, path});
    } else if (env()->IsDirectory(path)) {
      if (n.find('=') == std::string::npos) continue;  // not ours
      partition_dirs.push_back(n);
      ASSIGN_OR_RETURN(std::vector<std::string> files, env()->GetChildren(path));
      for (const std::string& f : files)
        if (IsSegmentFile(f)) candidates.push_back({n + "/" + f, path});
    } else if (IsSegmentFile(n)) {
      candidates.push_back({n, dir()});
    }
  }
  std::set<std::string> dirs_touched;
  for (const Candidate& c : candidates) {
    if (needed.count(c.rel)) continue;
    std::string path = JoinPath(dir(), c.rel);
    Result<int64_t> mtime = env()->GetFileModificationMicros(path);
    if (!mtime.ok() || *mtime >= cutoff) continue;
    Result<uint64_t> size = env()->GetFileSize(path);
    if (!options.dry_run) {
      RETURN_IF_ERROR(env()->RemoveFile(path));
      dirs_touched.insert(c.dir);
    }
    result.files.push_back(c.rel);
    result.bytes += size.ok() ? static_cast<int64_t>(*size) : 0;
  }
  if (!options.dry_run) {
    for (const std::string& d : dirs_touched) RETURN_IF_ERROR(env()->SyncDir(d));
    // Partition directories left empty go too (a new write recreates them).
    bool removed_dir = false;
    for (const std::string& p : partition_dirs) {
      Result<std::vector<std::string>> left = env()->GetChildren(JoinPath(dir(), p));
      if (left.ok() && left->empty() && env()->RemoveDir(JoinPath(dir(), p)).ok())
        removed_dir = true;
    }
    if (removed_dir) RETURN_IF_ERROR(env()->SyncDir(dir()));
  }
  std::sort(result.files.begin(), result.files.end());
  if (options.record_in_history && !options.dry_run && !result.files.empty()) {
    // A version with only a commitInfo: it conflicts with nothing (rule
    // (d)), so a lost race only means the next version number.
    CommitInfoAction info;
    info.operation = "VACUUM END";
    info.operation_parameters = options.parameters;
    info.operation_parameters["status"] = "COMPLETED";
    info.operation_parameters["retainHours"] = HoursText(hours);
    info.operation_metrics["numDeletedFiles"] = std::to_string(result.files.size());
    info.operation_metrics["sizeOfDeletedFiles"] = std::to_string(result.bytes);
    Result<CommitResult> r = CommitActions(latest->version(), {}, std::move(info));
    if (!r.ok()) return r.status();
  }
  return result;
}

Result<CommitResult> Table::RestoreToVersion(int64_t version) {
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> target, GetSnapshot(version));
  ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, NewTransaction());
  const Snapshot& now = txn->read_snapshot();
  std::set<std::string> target_paths, now_paths;
  for (const AddAction& f : target->files()) target_paths.insert(f.path);
  for (const AddAction& f : now.files()) now_paths.insert(f.path);
  for (const AddAction& f : target->files()) {
    if (now_paths.count(f.path)) continue;
    if (!env()->FileExists(JoinPath(dir(), f.path)))
      return Status::NotFound("cannot restore table \"" + name() + "\" to version " +
                              std::to_string(version) + ": its file \"" + f.path +
                              "\" was removed by VACUUM");
    RETURN_IF_ERROR(txn->AddFile(f));
  }
  for (const AddAction& f : now.files())
    if (!target_paths.count(f.path)) RETURN_IF_ERROR(txn->RemoveFile(f));
  if (!(target->metadata().schema == now.schema()) ||
      target->metadata().configuration != now.metadata().configuration ||
      target->metadata().physical_names != now.metadata().physical_names)
    RETURN_IF_ERROR(txn->SetMetadata(target->metadata()));
  std::map<std::string, std::string> params;
  params["version"] = std::to_string(version);
  std::map<std::string, std::string> metrics;
  metrics["tableSizeAfterRestore"] = [&] {
    int64_t b = 0;
    for (const AddAction& f : target->files()) b += f.size;
    return std::to_string(b);
  }();
  metrics["numOfFilesAfterRestore"] = std::to_string(target->files().size());
  return txn->Commit("RESTORE", std::move(params), std::move(metrics));
}

Result<CommitResult> Table::RestoreToTimestamp(int64_t micros) {
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> target, GetSnapshotAsOf(micros));
  return RestoreToVersion(target->version());
}

Result<CommitResult> Table::AddColumn(const Field& field) {
  ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, NewTransaction());
  const Snapshot& snap = txn->read_snapshot();
  if (field.name.empty()) return Status::InvalidArgument("a new column needs a name");
  if (field.type == TypeId::kNull)
    return Status::InvalidArgument("column \"" + field.name + "\" has type " +
                                   std::string(TypeName(field.type)) + ", which cannot be stored");
  if (snap.schema().FindField(field.name) >= 0)
    return Status::InvalidArgument("table \"" + name() + "\" already has a column named \"" +
                                   field.name + "\"");
  MetaDataAction meta = snap.metadata();
  Schema physical = snap.physical_schema();
  // A new column gets a physical name no existing column uses, so segments
  // written before a rename never feed it old data.
  std::string phys = field.name;
  // After a DROP COLUMN (name mode) old segments may hold any earlier
  // column's physical name: a new column always gets a fresh one.
  auto mode = meta.configuration.find(kColumnMappingMode);
  const bool name_mode = mode != meta.configuration.end() && mode->second == "name";
  if (name_mode || physical.FindField(phys) >= 0)
    phys = field.name + "_" + NewUniqueId().substr(0, 8);
  meta.schema.fields.push_back(field);
  physical.fields.push_back(Field{phys, field.type});
  meta.physical_names.clear();
  bool mapped = false;
  for (size_t i = 0; i < physical.size(); ++i)
    mapped = mapped || physical.fields[i].name != meta.schema.fields[i].name;
  if (mapped)
    for (const Field& f : physical.fields) meta.physical_names.push_back(f.name);
  RETURN_IF_ERROR(txn->SetMetadata(std::move(meta)));
  std::map<std::string, std::string> params;
  params["columns"] = field.name + " " + std::string(TypeName(field.type));
  return txn->Commit("ADD COLUMNS", std::move(params));
}

Result<CommitResult> Table::RenameColumn(const std::string& from, const std::string& to) {
  ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, NewTransaction());
  const Snapshot& snap = txn->read_snapshot();
  int idx = snap.schema().FindField(from);
  if (idx < 0)
    return Status::NotFound("table \"" + name() + "\" has no column named \"" + from + "\"");
  if (to.empty()) return Status::InvalidArgument("the new column name is empty");
  int other = snap.schema().FindField(to);
  if (other >= 0 && other != idx)
    return Status::InvalidArgument("table \"" + name() + "\" already has a column named \"" +
                                   to + "\"");
  ASSIGN_OR_RETURN(TableProperties props, Properties(&snap));
  if (props.partition.partitioned() && props.partition.column_index() == idx)
    return Status::InvalidArgument("column \"" + from + "\" partitions table \"" + name() +
                                   "\" and cannot be renamed");
  MetaDataAction meta = snap.metadata();
  Schema physical = snap.physical_schema();
  const std::string old_name = meta.schema.fields[static_cast<size_t>(idx)].name;
  meta.schema.fields[static_cast<size_t>(idx)].name = to;
  meta.physical_names.clear();
  for (const Field& f : physical.fields) meta.physical_names.push_back(f.name);
  // The sort key names columns by their logical names.
  if (auto sk = meta.configuration.find("sort_key"); sk != meta.configuration.end()) {
    std::string out;
    for (int c : props.sort_key) {
      if (!out.empty()) out += ",";
      out += meta.schema.fields[static_cast<size_t>(c)].name;
    }
    sk->second = out;
  }
  RETURN_IF_ERROR(txn->SetMetadata(std::move(meta)));
  std::map<std::string, std::string> params;
  params["oldColumnPath"] = old_name;
  params["newColumnPath"] = to;
  return txn->Commit("RENAME COLUMN", std::move(params));
}

Result<CommitResult> Table::RecordRename(const std::string& from, const std::string& to) {
  ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, NewTransaction());
  MetaDataAction meta = txn->read_snapshot().metadata();
  meta.name = to;
  RETURN_IF_ERROR(txn->SetMetadata(std::move(meta)));
  std::map<std::string, std::string> params;
  params["oldName"] = from;
  params["newName"] = to;
  return txn->Commit("RENAME TABLE", std::move(params));
}

Result<CommitResult> DropColumn(
    Table* table, const std::string& column,
    const std::map<std::string, std::optional<std::string>>& property_changes) {
  const std::string& name = table->name();
  ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, table->NewTransaction());
  const Snapshot& snap = txn->read_snapshot();
  const int idx = snap.schema().FindField(column);
  if (idx < 0)
    return Status::NotFound("table \"" + name + "\" has no column named \"" + column + "\"");
  if (snap.schema().size() == 1)
    return Status::InvalidArgument("Cannot drop column: table only has one column remaining!");
  ASSIGN_OR_RETURN(TableProperties props, table->Properties(&snap));
  if (props.partition.partitioned() && props.partition.column_index() == idx)
    return Status::InvalidArgument("column \"" + column + "\" partitions table \"" + name +
                                   "\" and cannot be dropped");
  MetaDataAction meta = snap.metadata();
  Schema physical = snap.physical_schema();
  const std::string dropped = meta.schema.fields[static_cast<size_t>(idx)].name;
  meta.schema.fields.erase(meta.schema.fields.begin() + idx);
  physical.fields.erase(physical.fields.begin() + idx);
  meta.physical_names.clear();
  for (const Field& f : physical.fields) meta.physical_names.push_back(f.name);
  meta.configuration[kColumnMappingMode] = "name";
  // The sort key names columns by their logical names: the dropped one
  // leaves it (a key of no column left is no key).
  if (auto sk = meta.configuration.find("sort_key"); sk != meta.configuration.end()) {
    std::string out;
    for (int c : props.sort_key) {
      if (c == idx) continue;
      if (!out.empty()) out += ",";
      out += snap.schema().fields[static_cast<size_t>(c)].name;
    }
    if (out.empty()) {
      meta.configuration.erase(sk);
    } else {
      sk->second = out;
    }
  }
  for (const auto& [key, value] : property_changes) {
    if (value) {
      meta.configuration[key] = *value;
    } else {
      meta.configuration.erase(key);
    }
  }
  Result<TableProperties> check = TableProperties::Parse(meta.configuration, meta.schema);
  if (!check.ok()) return check.status().WithContext("ALTER TABLE \"" + name + "\" DROP COLUMN");
  RETURN_IF_ERROR(txn->SetMetadata(std::move(meta)));
  std::map<std::string, std::string> params;
  params["columns"] = dropped;
  return txn->Commit("DROP COLUMNS", std::move(params));
}

Result<CommitResult> Table::SetProperties(
    const std::map<std::string, std::optional<std::string>>& changes) {
  ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, NewTransaction());
  const Snapshot& snap = txn->read_snapshot();
  MetaDataAction meta = snap.metadata();
  std::map<std::string, std::string> params;
  for (const auto& [key, value] : changes) {
    if (key == "partition_by") {
      ASSIGN_OR_RETURN(PartitionSpec spec, PartitionSpec::Parse(value.value_or(""), snap.schema()));
      auto cur = meta.configuration.find("partition_by");
      std::string current = cur == meta.configuration.end() ? "none" : cur->second;
      if (spec.ToString() != current)
        return Status::InvalidArgument("table \"" + name() + "\" is partitioned by " + current +
                                       "; partition_by cannot be changed after CREATE TABLE");
      continue;
    }
    if (value) {
      Status known = CheckPropertyKnown(key);
      if (!known.ok()) return known.WithContext("ALTER TABLE \"" + name() + "\" SET");
      meta.configuration[key] = *value;
      params[key] = *value;
    } else {
      meta.configuration.erase(key);
      params[key] = "(unset)";
    }
  }
  Result<TableProperties> check = TableProperties::Parse(meta.configuration, meta.schema);
  if (!check.ok()) return check.status().WithContext("ALTER TABLE \"" + name() + "\" SET");
  RETURN_IF_ERROR(txn->SetMetadata(std::move(meta)));
  return txn->Commit("SET TBLPROPERTIES", std::move(params));
}

}  // namespace tsl
