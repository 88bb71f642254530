// FaultInjectionEnv: fault injection and power-loss simulation over any Env
// (semantics in fault_injection_env.h).
//
// Durability model. Two pieces of bookkeeping describe what a power loss
// would keep:
//   synced_size_[path]  bytes of a file written through this Env that a
//                       Sync() made durable (files never written through it
//                       are durable as they are);
//   pending_[name]      the durable state of a directory entry changed since
//                       its directory's last SyncDir(): nullopt = the name
//                       did not exist, otherwise the content it had. Only
//                       the first change after a SyncDir is recorded, since
//                       that is the state the disk still has.
// A directory rename is treated as durable at once (only DROP TABLE renames
// directories, and it syncs right after).
#include "storage/fault_injection_env.h"

#include "formats/mutex.h"

#include <cerrno>

namespace tsl {
namespace {

std::string ParentOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

const char* OpName(FaultInjectionEnv::Op op) {
  switch (op) {
    case FaultInjectionEnv::kCreate: return "create";
    case FaultInjectionEnv::kWrite: return "write";
    case FaultInjectionEnv::kSync: return "fsync";
    case FaultInjectionEnv::kRename: return "rename";
    case FaultInjectionEnv::kLink: return "link";
    case FaultInjectionEnv::kUnlink: return "unlink";
    case FaultInjectionEnv::kMkdir: return "mkdir";
    case FaultInjectionEnv::kRmdir: return "rmdir";
    case FaultInjectionEnv::kSyncDir: return "fsync-dir";
    case FaultInjectionEnv::kRead: return "read";
    default: return "?";
  }
}

}  // namespace

class FaultInjectionEnv::File final : public WritableFile {
 public:
  File(FaultInjectionEnv* env, std::string path, std::unique_ptr<WritableFile> f)
      : env_(env), path_(std::move(path)), f_(std::move(f)) {}

  Status Append(std::string_view data) override {
    Fault fault = env_->Tick(kWrite, path_);
    if (fault == Fault::kShortWrite && data.size() > 1) {
      std::string_view half = data.substr(0, data.size() / 2);
      if (f_->Append(half).ok()) size_ += half.size();
      return env_->FaultStatus(Fault::kNoSpace, "write " + path_ + " (short write: " +
                                                    std::to_string(half.size()) + " of " +
                                                    std::to_string(data.size()) + " bytes)");
    }
    if (fault != Fault::kNone) return env_->FaultStatus(fault, "write " + path_);
    RETURN_IF_ERROR(f_->Append(data));
    size_ += data.size();
    return Status::OK();
  }

  Status Sync() override {
    Fault fault = env_->Tick(kSync, path_);
    if (fault != Fault::kNone) return env_->FaultStatus(fault, "fsync " + path_);
    RETURN_IF_ERROR(f_->Sync());
    tsl::MutexLock l(env_->mu_);
    auto it = env_->synced_size_.find(path_);
    if (it != env_->synced_size_.end()) it->second = size_;
    return Status::OK();
  }

  // Closing is not a durability point, so it is never faulted.
  Status Close() override { return f_->Close(); }

 private:
  FaultInjectionEnv* env_;
  std::string path_;
  std::unique_ptr<WritableFile> f_;
  uint64_t size_ = 0;
};

FaultInjectionEnv::FaultInjectionEnv(Env* base) : base_(base) {}
FaultInjectionEnv::~FaultInjectionEnv() = default;

void FaultInjectionEnv::Arm(Fault fault, int64_t n, uint32_t ops) {
  tsl::MutexLock l(mu_);
  fault_ = fault;
  target_ = n;
  ops_ = ops;
  calls_ = 0;
  fired_ = false;
  crashed_ = false;
  trace_.clear();
}

void FaultInjectionEnv::Disarm() {
  tsl::MutexLock l(mu_);
  fault_ = Fault::kNone;
}

int64_t FaultInjectionEnv::calls() const {
  tsl::MutexLock l(mu_);
  return calls_;
}

bool FaultInjectionEnv::fired() const {
  tsl::MutexLock l(mu_);
  return fired_;
}

bool FaultInjectionEnv::crashed() const {
  tsl::MutexLock l(mu_);
  return crashed_;
}

int64_t FaultInjectionEnv::faults_injected() const {
  tsl::MutexLock l(mu_);
  return faults_injected_;
}

std::vector<std::string> FaultInjectionEnv::Trace() const {
  tsl::MutexLock l(mu_);
  return trace_;
}

FaultInjectionEnv::Fault FaultInjectionEnv::Tick(Op op, const std::string& what) {
  tsl::MutexLock l(mu_);
  // A crashed process performs no more mutations (reads may still run: the
  // test inspects the disk before DropUnsyncedData).
  if (crashed_ && op != kRead) return Fault::kCrash;
  if ((ops_ & op) == 0) return Fault::kNone;
  ++calls_;
  trace_.push_back(std::to_string(calls_) + " " + OpName(op) + " " + what);
  if (fault_ == Fault::kNone || fired_ || calls_ != target_) return Fault::kNone;
  fired_ = true;
  ++faults_injected_;
  if (fault_ == Fault::kCrash) crashed_ = true;
  return fault_;
}

Status FaultInjectionEnv::FaultStatus(Fault f, const std::string& what) const {
  switch (f) {
    case Fault::kNoSpace:
    case Fault::kShortWrite:
      return Status::FromErrno(StatusCode::kIOError,
                               "injected fault: " + what + ": No space left on device", ENOSPC);
    case Fault::kCrash:
      return Status::IOError("injected crash: " + what + ": the process is down");
    default:
      return Status::IOError("injected fault: " + what + ": Input/output error");
  }
}

std::optional<std::string> FaultInjectionEnv::DurableContentLocked(const std::string& path) {
  if (!base_->FileExists(path) || base_->IsDirectory(path)) return std::nullopt;
  Result<std::string> content = base_->ReadFileToString(path);
  if (!content.ok()) return std::nullopt;
  auto it = synced_size_.find(path);
  if (it != synced_size_.end() && content->size() > it->second) content->resize(it->second);
  return std::move(*content);
}

Result<std::unique_ptr<WritableFile>> FaultInjectionEnv::NewWritableFile(const std::string& path) {
  Fault fault = Tick(kCreate, path);
  if (fault != Fault::kNone) return FaultStatus(fault, "create " + path);
  tsl::MutexLock l(mu_);
  std::optional<std::string> before = DurableContentLocked(path);
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> f, base_->NewWritableFile(path));
  if (!pending_.count(path)) pending_[path] = std::move(before);
  synced_size_[path] = 0;
  return std::unique_ptr<WritableFile>(new File(this, path, std::move(f)));
}

Result<std::unique_ptr<RandomAccessFile>> FaultInjectionEnv::NewRandomAccessFile(
    const std::string& path) {
  Fault fault = Tick(kRead, path);
  if (fault != Fault::kNone) return FaultStatus(fault, "open " + path);
  return base_->NewRandomAccessFile(path);
}

Result<std::string> FaultInjectionEnv::ReadFileToString(const std::string& path) {
  Fault fault = Tick(kRead, path);
  if (fault != Fault::kNone) return FaultStatus(fault, "read " + path);
  return base_->ReadFileToString(path);
}

bool FaultInjectionEnv::FileExists(const std::string& path) { return base_->FileExists(path); }

Result<uint64_t> FaultInjectionEnv::GetFileSize(const std::string& path) {
  return base_->GetFileSize(path);
}

Result<std::vector<std::string>> FaultInjectionEnv::GetChildren(const std::string& dir) {
  return base_->GetChildren(dir);
}

Result<int64_t> FaultInjectionEnv::GetFileModificationMicros(const std::string& path) {
  return base_->GetFileModificationMicros(path);
}

bool FaultInjectionEnv::IsDirectory(const std::string& path) { return base_->IsDirectory(path); }

Status FaultInjectionEnv::CreateDirIfMissing(const std::string& dir) {
  if (base_->IsDirectory(dir)) return Status::OK();
  Fault fault = Tick(kMkdir, dir);
  if (fault != Fault::kNone) return FaultStatus(fault, "mkdir " + dir);
  RETURN_IF_ERROR(base_->CreateDirIfMissing(dir));
  tsl::MutexLock l(mu_);
  new_dirs_.insert(dir);
  return Status::OK();
}

Status FaultInjectionEnv::RemoveFile(const std::string& path) {
  Fault fault = Tick(kUnlink, path);
  if (fault != Fault::kNone) return FaultStatus(fault, "unlink " + path);
  tsl::MutexLock l(mu_);
  std::optional<std::string> before;
  if (!pending_.count(path)) before = DurableContentLocked(path);
  RETURN_IF_ERROR(base_->RemoveFile(path));
  if (!pending_.count(path)) pending_[path] = std::move(before);
  synced_size_.erase(path);
  return Status::OK();
}

Status FaultInjectionEnv::RemoveDir(const std::string& dir) {
  Fault fault = Tick(kRmdir, dir);
  if (fault != Fault::kNone) return FaultStatus(fault, "rmdir " + dir);
  RETURN_IF_ERROR(base_->RemoveDir(dir));
  tsl::MutexLock l(mu_);
  new_dirs_.erase(dir);
  return Status::OK();
}

Status FaultInjectionEnv::RenameFile(const std::string& from, const std::string& to) {
  Fault fault = Tick(kRename, from + " -> " + to);
  if (fault != Fault::kNone) return FaultStatus(fault, "rename " + from + " -> " + to);
  tsl::MutexLock l(mu_);
  if (base_->IsDirectory(from)) return base_->RenameFile(from, to);
  std::optional<std::string> from_before, to_before;
  if (!pending_.count(from)) from_before = DurableContentLocked(from);
  if (!pending_.count(to)) to_before = DurableContentLocked(to);
  RETURN_IF_ERROR(base_->RenameFile(from, to));
  if (!pending_.count(from)) pending_[from] = std::move(from_before);
  if (!pending_.count(to)) pending_[to] = std::move(to_before);
  auto it = synced_size_.find(from);
  if (it != synced_size_.end()) {
    synced_size_[to] = it->second;
    synced_size_.erase(from);
  } else {
    synced_size_.erase(to);
  }
  return Status::OK();
}

Status FaultInjectionEnv::LinkFile(const std::string& from, const std::string& to) {
  Fault fault = Tick(kLink, from + " -> " + to);
  if (fault != Fault::kNone) return FaultStatus(fault, "link " + from + " -> " + to);
  tsl::MutexLock l(mu_);
  RETURN_IF_ERROR(base_->LinkFile(from, to));  // put-if-absent: `to` was absent
  if (!pending_.count(to)) pending_[to] = std::nullopt;
  auto it = synced_size_.find(from);
  if (it != synced_size_.end()) synced_size_[to] = it->second;
  return Status::OK();
}

Status FaultInjectionEnv::SyncDir(const std::string& dir) {
  Fault fault = Tick(kSyncDir, dir);
  if (fault != Fault::kNone) return FaultStatus(fault, "fsync-dir " + dir);
  RETURN_IF_ERROR(base_->SyncDir(dir));
  tsl::MutexLock l(mu_);
  for (auto it = pending_.begin(); it != pending_.end();)
    it = ParentOf(it->first) == dir ? pending_.erase(it) : std::next(it);
  for (auto it = new_dirs_.begin(); it != new_dirs_.end();)
    it = ParentOf(*it) == dir ? new_dirs_.erase(it) : std::next(it);
  return Status::OK();
}

int64_t FaultInjectionEnv::NowMicros() { return base_->NowMicros(); }

void FaultInjectionEnv::RemoveTreeLocked(const std::string& dir) {
  Result<std::vector<std::string>> children = base_->GetChildren(dir);
  if (children.ok()) {
    for (const std::string& c : *children) {
      std::string p = JoinPath(dir, c);
      if (base_->IsDirectory(p)) {
        RemoveTreeLocked(p);
      } else {
        (void)base_->RemoveFile(p);
      }
    }
  }
  (void)base_->RemoveDir(dir);
}

Status FaultInjectionEnv::DropUnsyncedData() {
  tsl::MutexLock l(mu_);
  Status first_error;
  auto note = [&](Status st) {
    if (!st.ok() && first_error.ok()) first_error = st;
  };
  // (a) Unsynced bytes of surviving names go.
  for (const auto& [path, synced] : synced_size_) {
    if (pending_.count(path) || !base_->FileExists(path)) continue;
    Result<std::string> content = base_->ReadFileToString(path);
    if (!content.ok()) {
      note(content.status());
      continue;
    }
    if (content->size() > synced) note(WriteFileSync(base_, path, content->substr(0, synced)));
  }
  // (b) Directory entries revert to their durable state. Restored content
  // is computed before anything is removed, since a rename's two names
  // may share one file.
  std::vector<std::pair<std::string, std::string>> restore;
  for (const auto& [name, durable] : pending_) {
    if (durable) restore.emplace_back(name, *durable);
  }
  for (const auto& [name, durable] : pending_) {
    if (base_->FileExists(name) && !base_->IsDirectory(name)) note(base_->RemoveFile(name));
  }
  for (const auto& [name, content] : restore) {
    if (base_->IsDirectory(ParentOf(name))) note(WriteFileSync(base_, name, content));
  }
  // (c) Directories whose creation was never synced vanish with their
  // contents (deepest first: a child sorts after its parent).
  for (auto it = new_dirs_.rbegin(); it != new_dirs_.rend(); ++it) {
    if (base_->IsDirectory(*it)) RemoveTreeLocked(*it);
  }
  pending_.clear();
  new_dirs_.clear();
  synced_size_.clear();  // what is left is, by definition, durable
  fault_ = Fault::kNone;
  crashed_ = false;
  return first_error;
}

}  // namespace tsl
