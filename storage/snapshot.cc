// Snapshot::Apply and SnapshotBuilder: log replay (rules in formats/log.md,
// "Replay"). A snapshot is immutable once built; Apply copies the base and
// never modifies it, so snapshots are shared freely across threads. The
// builder applies a run of versions in place (linear replay).
#include "storage/snapshot.h"

#include <algorithm>
#include <unordered_map>
#include <set>

namespace tsl {
namespace {

// The newest protocol reader version this build understands. (Writer
// versions are checked by Table::CommitActions before it writes.)
constexpr int kMaxReaderVersion = 1;

// Snapshot::Apply checks up to this many adds of one version by scanning
// the live files rather than hashing them all (SnapshotBuilder::IsLive).
constexpr size_t kMaxScannedAdds = 4;

// Paths in the log are relative to the table directory and never leave it.
Status ValidateRelativePath(const std::string& path, std::string_view file_name) {
  auto bad = [&](const char* why) {
    return Status::Corruption(std::string(file_name) + ": file path \"" + path + "\" " + why);
  };
  if (path.empty()) return bad("is empty");
  if (path.front() == '/') return bad("is absolute; log paths must be relative to the table");
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    std::string_view part(path.data() + pos, end - pos);
    if (part == "..") return bad("leaves the table directory (\"..\")");
    if (part.empty() && end != path.size()) return bad("has an empty component");
    pos = end + 1;
  }
  return Status::OK();
}

}  // namespace

int64_t Snapshot::total_rows() const {
  int64_t n = 0;
  for (const AddAction& f : files_)
    if (f.stats.num_records > 0) n += f.stats.num_records;
  return n;
}

Result<std::shared_ptr<const Snapshot>> Snapshot::Apply(const Snapshot* base, int64_t version,
                                                        const std::vector<LogAction>& actions,
                                                        std::string_view file_name) {
  if (base != nullptr && version != base->version_ + 1)
    return Status::Internal(std::string(file_name) + ": applying version " +
                            std::to_string(version) + " on top of version " +
                            std::to_string(base->version_));
  SnapshotBuilder b(base);
  b.single_step_ = true;
  std::vector<LogAction> copy = actions;
  RETURN_IF_ERROR(b.Apply(version, std::move(copy), file_name));
  return b.Finish();
}

Result<std::shared_ptr<const Snapshot>> Snapshot::FromCheckpoint(
    int64_t version, int64_t timestamp_ms, const std::vector<LogAction>& actions,
    std::string_view file_name) {
  SnapshotBuilder b;
  std::vector<LogAction> copy = actions;
  RETURN_IF_ERROR(b.ApplyCheckpoint(version, timestamp_ms, std::move(copy), file_name));
  return b.Finish();
}

std::shared_ptr<const Snapshot> Snapshot::Uncommitted(const Snapshot& base,
                                                     const std::vector<std::string>& removed,
                                                     const std::vector<AddAction>& added) {
  auto s = std::make_shared<Snapshot>(base);
  std::set<std::string_view> gone(removed.begin(), removed.end());
  FileList files;
  files.reserve(base.files_.size() + added.size());
  for (size_t i = 0; i < base.files_.size(); ++i) {
    if (!gone.count(base.files_[i].path)) files.push_back_shared(base.files_.shared(i));
  }
  for (const AddAction& f : added) files.push_back(f);
  s->files_ = std::move(files);
  s->uncommitted_ = true;
  return s;
}

SnapshotBuilder::SnapshotBuilder(const Snapshot* base) {
  if (base == nullptr) return;
  snap_ = std::make_shared<Snapshot>(*base);
}

SnapshotBuilder::SnapshotBuilder(std::shared_ptr<const Snapshot> base) {
  if (base == nullptr) return;
  if (base.use_count() == 1) {
    // Sole owner: nobody else can observe it, so take it over.
    snap_ = std::const_pointer_cast<Snapshot>(std::move(base));
  } else {
    snap_ = std::make_shared<Snapshot>(*base);
  }
}

Status SnapshotBuilder::Apply(int64_t version, std::vector<LogAction>&& actions,
                              std::string_view file_name) {
  if (snap_ != nullptr && version != snap_->version_ + 1)
    return Status::Internal(std::string(file_name) + ": applying version " +
                            std::to_string(version) + " on top of version " +
                            std::to_string(snap_->version_));
  return ApplyImpl(version, actions, file_name, /*from_checkpoint=*/false);
}

Status SnapshotBuilder::ApplyCheckpoint(int64_t version, int64_t timestamp_ms,
                                        std::vector<LogAction>&& actions,
                                        std::string_view file_name) {
  if (snap_ != nullptr)
    return Status::Internal(std::string(file_name) + ": a checkpoint starts a snapshot");
  RETURN_IF_ERROR(ApplyImpl(version, actions, file_name, /*from_checkpoint=*/true));
  snap_->timestamp_ms_ = timestamp_ms;
  return Status::OK();
}

std::shared_ptr<const Snapshot> SnapshotBuilder::Finish() {
  Compact();
  live_.clear();
  live_built_ = false;
  removed_.clear();
  return std::shared_ptr<const Snapshot>(std::move(snap_));
}

// Drops removed files, keeping the others in the order they were added.
void SnapshotBuilder::Compact() {
  if (snap_ == nullptr || num_removed_ == 0) return;
  FileList& files = snap_->files_;
  files.RetainIf([&](size_t i) { return !removed_[i]; });
  removed_.assign(files.size(), false);
  num_removed_ = 0;
  if (live_built_) RebuildLive();
}

bool SnapshotBuilder::IsLive(const std::string& path) const {
  const FileList& files = snap_->files_;
  for (size_t i = 0; i < files.size(); ++i)
    if (!removed_[i] && files[i].path == path) return true;
  return false;
}

void SnapshotBuilder::RebuildLive() {
  const FileList& files = snap_->files_;
  live_.clear();
  live_.reserve(files.capacity());
  for (size_t i = 0; i < files.size(); ++i)
    if (!removed_[i]) live_.emplace(files[i].path, i);
  live_built_ = true;
}

Status SnapshotBuilder::ApplyImpl(int64_t version, std::vector<LogAction>& actions,
                                  std::string_view file_name, bool from_checkpoint) {
  const std::string where(file_name);
  const bool first = snap_ == nullptr;
  if (first) snap_ = std::make_shared<Snapshot>();
  Snapshot* snap = snap_.get();
  snap->version_ = version;

  // Protocol and metadata first: they govern the whole version, whatever
  // their position in the file.
  bool saw_protocol = false, saw_metadata = false;
  for (LogAction& a : actions) {
    if (const auto* p = std::get_if<ProtocolAction>(&a)) {
      if (saw_protocol) return Status::Corruption(where + ": more than one protocol action");
      saw_protocol = true;
      if (p->min_reader_version > kMaxReaderVersion)
        return Status::NotSupported(
            where + ": the table requires reader version " +
            std::to_string(p->min_reader_version) + " but this tslake reads up to version " +
            std::to_string(kMaxReaderVersion) + "; open it with a newer tslake");
      snap->protocol_ = *p;
    } else if (auto* m = std::get_if<MetaDataAction>(&a)) {
      if (saw_metadata) return Status::Corruption(where + ": more than one metaData action");
      saw_metadata = true;
      if (m->schema.fields.empty())
        return Status::Corruption(where + ": metaData has an empty schema");
      snap->metadata_ = std::move(*m);
      snap->physical_schema_ = PhysicalSchema(snap->metadata_);
    }
  }
  if (first && (!saw_protocol || !saw_metadata))
    return Status::Corruption(where + ": version " + std::to_string(version) +
                              " must start the table with protocol and metaData actions");

  FileList& files = snap->files_;
  removed_.resize(files.size(), false);
  size_t adds = 0;
  for (const LogAction& a : actions) adds += std::holds_alternative<AddAction>(a) ? 1 : 0;
  if (files.size() + adds > files.capacity())
    files.reserve(std::max(files.size() + adds, files.capacity() * 2));
  // live_ views the paths inside the shared AddActions, which never move
  // when the list grows; only Compact renumbers them. One step that only
  // appends a few files (a flush) checks them by a scan instead: hashing
  // every live path made each commit O(live files) in hashing and nodes.
  bool removes = false;
  for (const LogAction& a : actions) removes |= std::holds_alternative<RemoveAction>(a);
  const bool scan_for_duplicates = single_step_ && !removes && adds <= kMaxScannedAdds;
  if (!live_built_ && !scan_for_duplicates) RebuildLive();

  for (LogAction& a : actions) {
    if (auto* add = std::get_if<AddAction>(&a)) {
      RETURN_IF_ERROR(ValidateRelativePath(add->path, where));
      Status st = ConformStatsToSchema(snap->physical_schema_, &add->stats);
      if (!st.ok()) return st.WithContext(where + ": add \"" + add->path + "\"");
      const bool live = live_built_ ? live_.count(add->path) > 0 : IsLive(add->path);
      if (live)
        return Status::Corruption(where + ": add of \"" + add->path +
                                  "\" which is already live in the table");
      // A snapshot never keeps a writer's per-tag ranges: only the catalog
      // update of the committing version reads them, from the commit's own
      // actions. Kept here they grew a long-running Appender's memory by
      // ~136 bytes per tag per flushed file (1.4 GB after 10,000 flushes of
      // 1,000 tags), since live files are shared from version to version.
      add->tag_ranges.reset();
      files.push_back(std::move(*add));
      removed_.push_back(false);
      if (live_built_) live_.emplace(files.back().path, files.size() - 1);
    } else if (const auto* rm = std::get_if<RemoveAction>(&a)) {
      if (from_checkpoint)
        return Status::Corruption(where + ": a checkpoint holds no remove action");
      RETURN_IF_ERROR(ValidateRelativePath(rm->path, where));
      auto it = live_.find(rm->path);
      if (it == live_.end())
        return Status::Corruption(where + ": remove of \"" + rm->path +
                                  "\" which is not a live file of the table");
      removed_[it->second] = true;
      ++num_removed_;
      live_.erase(it);
    } else if (const auto* c = std::get_if<CommitInfoAction>(&a)) {
      if (from_checkpoint)
        return Status::Corruption(where + ": a checkpoint holds no commitInfo action");
      snap->timestamp_ms_ = c->timestamp;
    } else if (const auto* t = std::get_if<TxnAction>(&a)) {
      snap->app_versions_[t->app_id] = t->version;
    }
  }
  // Long replays with many removes (OPTIMIZE, DELETE) stay bounded in memory.
  if (num_removed_ > 1024 && num_removed_ * 2 > files.size()) Compact();
  return Status::OK();
}

}  // namespace tsl
