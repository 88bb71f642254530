// Snapshot::Apply: log replay, one version at a time (rules in
// formats/log.md, "Replay"). A snapshot is immutable once built; Apply
// copies the base and never modifies it, so snapshots are shared freely
// across threads.
#include "storage/snapshot.h"

#include <unordered_map>

namespace tsl {
namespace {

// The newest protocol reader version this build understands. (Writer
// versions are checked by Table::CommitActions before it writes.)
constexpr int kMaxReaderVersion = 1;

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
  ASSIGN_OR_RETURN(std::shared_ptr<Snapshot> snap,
                   ApplyImpl(base, version, actions, file_name, /*from_checkpoint=*/false));
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

Result<std::shared_ptr<const Snapshot>> Snapshot::FromCheckpoint(
    int64_t version, int64_t timestamp_ms, const std::vector<LogAction>& actions,
    std::string_view file_name) {
  ASSIGN_OR_RETURN(std::shared_ptr<Snapshot> snap,
                   ApplyImpl(nullptr, version, actions, file_name, /*from_checkpoint=*/true));
  snap->timestamp_ms_ = timestamp_ms;
  return std::shared_ptr<const Snapshot>(std::move(snap));
}

Result<std::shared_ptr<Snapshot>> Snapshot::ApplyImpl(const Snapshot* base, int64_t version,
                                                            const std::vector<LogAction>& actions,
                                                            std::string_view file_name,
                                                            bool from_checkpoint) {
  std::string where(file_name);
  auto snap = std::make_shared<Snapshot>(base ? *base : Snapshot());
  if (base != nullptr && version != base->version_ + 1)
    return Status::Internal(where + ": applying version " + std::to_string(version) +
                            " on top of version " + std::to_string(base->version_));
  snap->version_ = version;

  // Protocol and metadata first: they govern the whole version, whatever
  // their position in the file.
  bool saw_protocol = false, saw_metadata = false;
  for (const LogAction& a : actions) {
    if (const auto* p = std::get_if<ProtocolAction>(&a)) {
      if (saw_protocol) return Status::Corruption(where + ": more than one protocol action");
      saw_protocol = true;
      if (p->min_reader_version > kMaxReaderVersion)
        return Status::NotSupported(
            where + ": the table requires reader version " +
            std::to_string(p->min_reader_version) + " but this tslake reads up to version " +
            std::to_string(kMaxReaderVersion) + "; open it with a newer tslake");
      snap->protocol_ = *p;
    } else if (const auto* m = std::get_if<MetaDataAction>(&a)) {
      if (saw_metadata) return Status::Corruption(where + ": more than one metaData action");
      saw_metadata = true;
      if (m->schema.fields.empty())
        return Status::Corruption(where + ": metaData has an empty schema");
      snap->metadata_ = *m;
      snap->physical_schema_ = PhysicalSchema(*m);
    }
  }
  if (base == nullptr && (!saw_protocol || !saw_metadata))
    return Status::Corruption(where + ": version " + std::to_string(version) +
                              " must start the table with protocol and metaData actions");

  std::unordered_map<std::string, size_t> live;  // path -> index in files_
  live.reserve(snap->files_.size());
  for (size_t i = 0; i < snap->files_.size(); ++i) live.emplace(snap->files_[i].path, i);
  std::vector<bool> removed(snap->files_.size(), false);

  for (const LogAction& a : actions) {
    if (const auto* add = std::get_if<AddAction>(&a)) {
      RETURN_IF_ERROR(ValidateRelativePath(add->path, where));
      if (live.count(add->path))
        return Status::Corruption(where + ": add of \"" + add->path +
                                  "\" which is already live in the table");
      AddAction copy = *add;
      Status st = ConformStatsToSchema(snap->physical_schema_, &copy.stats);
      if (!st.ok()) return st.WithContext(where + ": add \"" + add->path + "\"");
      live.emplace(copy.path, snap->files_.size());
      snap->files_.push_back(std::move(copy));
      removed.push_back(false);
    } else if (const auto* rm = std::get_if<RemoveAction>(&a)) {
      if (from_checkpoint)
        return Status::Corruption(where + ": a checkpoint holds no remove action");
      RETURN_IF_ERROR(ValidateRelativePath(rm->path, where));
      auto it = live.find(rm->path);
      if (it == live.end())
        return Status::Corruption(where + ": remove of \"" + rm->path +
                                  "\" which is not a live file of the table");
      removed[it->second] = true;
      live.erase(it);
    } else if (const auto* c = std::get_if<CommitInfoAction>(&a)) {
      if (from_checkpoint)
        return Status::Corruption(where + ": a checkpoint holds no commitInfo action");
      snap->timestamp_ms_ = c->timestamp;
    } else if (const auto* t = std::get_if<TxnAction>(&a)) {
      snap->app_versions_[t->app_id] = t->version;
    }
  }

  // Drop removed files, keeping the others in the order they were added.
  size_t out = 0;
  for (size_t i = 0; i < snap->files_.size(); ++i) {
    if (removed[i]) continue;
    if (out != i) snap->files_[out] = std::move(snap->files_[i]);
    ++out;
  }
  snap->files_.resize(out);
  return snap;
}

}  // namespace tsl
