// MemEnv (NewMemEnv): an Env keeping files and directories in memory, for
// in-memory databases and tests. It mirrors PosixEnv's semantics where the
// storage layer relies on them: a parent directory must exist to create an
// entry, RemoveDir refuses a non-empty directory, LinkFile is put-if-absent
// and shares the file's bytes (a hard link), errors name the path.
// Sync and SyncDir are no-ops: nothing here survives the process anyway.
// Thread-safety: one mutex guards the namespace; each file's bytes have
// their own mutex so readers of one file do not block writers of another.
#include <chrono>
#include <map>
#include <set>

#include "storage/env.h"

#include "formats/mutex.h"

namespace tsl {
namespace {

int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct FileData {
  tsl::Mutex mu;
  std::string bytes GUARDED_BY(mu);
  int64_t mtime GUARDED_BY(mu) = WallMicros();
};

std::string Normalize(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return std::string(path);
}

std::string ParentOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return "";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status NoSuchFile(const std::string& what, const std::string& path) {
  return Status::IOError(what + " " + path + ": No such file or directory");
}

class MemWritableFile final : public WritableFile {
 public:
  MemWritableFile(std::string path, std::shared_ptr<FileData> data)
      : path_(std::move(path)), data_(std::move(data)) {}
  Status Append(std::string_view data) override {
    if (closed_) return Status::IOError("append to closed file " + path_);
    tsl::MutexLock l(data_->mu);
    data_->bytes.append(data);
    data_->mtime = WallMicros();
    return Status::OK();
  }
  Status Sync() override {
    if (closed_) return Status::IOError("sync of closed file " + path_);
    return Status::OK();
  }
  Status Close() override {
    closed_ = true;
    return Status::OK();
  }

 private:
  std::string path_;
  std::shared_ptr<FileData> data_;
  bool closed_ = false;
};

class MemRandomAccessFile final : public RandomAccessFile {
 public:
  MemRandomAccessFile(std::string path, std::shared_ptr<FileData> data)
      : path_(std::move(path)), data_(std::move(data)) {}
  uint64_t Size() const override {
    tsl::MutexLock l(data_->mu);
    return data_->bytes.size();
  }
  const std::string& name() const override { return path_; }
  Status Read(uint64_t offset, size_t n, std::string* out) const override {
    tsl::MutexLock l(data_->mu);
    const size_t size = data_->bytes.size();
    if (offset > size || n > size - offset)
      return Status::Corruption(path_ + ": read of " + std::to_string(n) + " bytes at offset " +
                                std::to_string(offset) + " past end of file (" +
                                std::to_string(size) + " bytes)");
    out->assign(data_->bytes, offset, n);
    return Status::OK();
  }

 private:
  std::string path_;
  std::shared_ptr<FileData> data_;
};

class MemEnv final : public Env {
 public:
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& p) override {
    std::string path = Normalize(p);
    tsl::MutexLock l(mu_);
    if (!DirExistsLocked(ParentOf(path))) return NoSuchFile("open for writing", path);
    if (dirs_.count(path)) return Status::IOError("open for writing " + path + ": Is a directory");
    // O_TRUNC on an existing name truncates the shared inode, as POSIX does.
    auto& slot = files_[path];
    if (!slot) slot = std::make_shared<FileData>();
    {
      tsl::MutexLock fl(slot->mu);
      slot->bytes.clear();
    }
    return std::unique_ptr<WritableFile>(new MemWritableFile(path, slot));
  }

  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& p) override {
    std::string path = Normalize(p);
    tsl::MutexLock l(mu_);
    auto it = files_.find(path);
    if (it == files_.end()) return NoSuchFile("open for reading", path);
    return std::unique_ptr<RandomAccessFile>(new MemRandomAccessFile(path, it->second));
  }

  Result<std::string> ReadFileToString(const std::string& path) override {
    ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, NewRandomAccessFile(path));
    std::string out;
    RETURN_IF_ERROR(file->Read(0, file->Size(), &out));
    return out;
  }

  bool FileExists(const std::string& p) override {
    std::string path = Normalize(p);
    tsl::MutexLock l(mu_);
    return files_.count(path) > 0 || DirExistsLocked(path);
  }

  Result<uint64_t> GetFileSize(const std::string& p) override {
    std::string path = Normalize(p);
    tsl::MutexLock l(mu_);
    auto it = files_.find(path);
    if (it == files_.end()) return NoSuchFile("stat", path);
    tsl::MutexLock fl(it->second->mu);
    return static_cast<uint64_t>(it->second->bytes.size());
  }

  Result<int64_t> GetFileModificationMicros(const std::string& p) override {
    std::string path = Normalize(p);
    tsl::MutexLock l(mu_);
    auto it = files_.find(path);
    if (it == files_.end()) return NoSuchFile("stat", path);
    tsl::MutexLock fl(it->second->mu);
    return it->second->mtime;
  }

  Result<std::vector<std::string>> GetChildren(const std::string& d) override {
    std::string dir = Normalize(d);
    tsl::MutexLock l(mu_);
    if (!DirExistsLocked(dir)) return NoSuchFile("opendir", dir);
    std::vector<std::string> names;
    for (const auto& [path, data] : files_)
      if (ParentOf(path) == dir) names.push_back(BaseName(path));
    for (const auto& path : dirs_)
      if (ParentOf(path) == dir && path != dir) names.push_back(BaseName(path));
    return names;
  }

  bool IsDirectory(const std::string& p) override {
    tsl::MutexLock l(mu_);
    return DirExistsLocked(Normalize(p));
  }

  Status CreateDirIfMissing(const std::string& d) override {
    std::string dir = Normalize(d);
    tsl::MutexLock l(mu_);
    if (DirExistsLocked(dir)) return Status::OK();
    if (files_.count(dir)) return Status::IOError("mkdir " + dir + ": File exists");
    if (!DirExistsLocked(ParentOf(dir))) return NoSuchFile("mkdir", dir);
    dirs_.insert(dir);
    return Status::OK();
  }

  Status RemoveFile(const std::string& p) override {
    std::string path = Normalize(p);
    tsl::MutexLock l(mu_);
    if (files_.erase(path) == 0) return NoSuchFile("unlink", path);
    return Status::OK();
  }

  Status RemoveDir(const std::string& d) override {
    std::string dir = Normalize(d);
    tsl::MutexLock l(mu_);
    if (!dirs_.count(dir)) return NoSuchFile("rmdir", dir);
    for (const auto& [path, data] : files_)
      if (ParentOf(path) == dir) return Status::IOError("rmdir " + dir + ": Directory not empty");
    for (const auto& path : dirs_)
      if (path != dir && ParentOf(path) == dir)
        return Status::IOError("rmdir " + dir + ": Directory not empty");
    dirs_.erase(dir);
    return Status::OK();
  }

  Status RenameFile(const std::string& f, const std::string& t) override {
    std::string from = Normalize(f), to = Normalize(t);
    tsl::MutexLock l(mu_);
    if (dirs_.count(from)) return RenameDirLocked(from, to);
    auto it = files_.find(from);
    if (it == files_.end()) return NoSuchFile("rename to " + to + " of", from);
    if (!DirExistsLocked(ParentOf(to))) return NoSuchFile("rename to " + to + " of", from);
    auto data = it->second;
    files_.erase(it);
    files_[to] = std::move(data);
    return Status::OK();
  }

  Status LinkFile(const std::string& f, const std::string& t) override {
    std::string from = Normalize(f), to = Normalize(t);
    tsl::MutexLock l(mu_);
    auto it = files_.find(from);
    if (it == files_.end()) return NoSuchFile("link to " + to + " of", from);
    if (files_.count(to) || dirs_.count(to)) return Status::AlreadyExists(to + " already exists");
    if (!DirExistsLocked(ParentOf(to))) return NoSuchFile("link to " + to + " of", from);
    files_[to] = it->second;
    return Status::OK();
  }

  Status SyncDir(const std::string& d) override {
    tsl::MutexLock l(mu_);
    if (!DirExistsLocked(Normalize(d))) return NoSuchFile("open directory", d);
    return Status::OK();
  }

  int64_t NowMicros() override { return WallMicros(); }

 private:
  // The root ("/") and the current directory ("") always exist.
  bool DirExistsLocked(const std::string& dir) const REQUIRES(mu_) {
    return dir.empty() || dir == "/" || dir == "." || dirs_.count(dir) > 0;
  }
  // Moves a directory and everything under it (rename(2) of a directory
  // onto a name that does not exist).
  Status RenameDirLocked(const std::string& from, const std::string& to) REQUIRES(mu_) {
    if (files_.count(to) || dirs_.count(to))
      return Status::IOError("rename to " + to + " of " + from + ": File exists");
    if (!DirExistsLocked(ParentOf(to))) return NoSuchFile("rename to " + to + " of", from);
    const std::string prefix = from + "/";
    auto moved = [&](const std::string& p) { return to + p.substr(from.size()); };
    std::set<std::string> dirs;
    for (const std::string& d : dirs_)
      dirs.insert(d == from || d.compare(0, prefix.size(), prefix) == 0 ? moved(d) : d);
    dirs_ = std::move(dirs);
    std::map<std::string, std::shared_ptr<FileData>> files;
    for (auto& [p, data] : files_)
      files[p.compare(0, prefix.size(), prefix) == 0 ? moved(p) : p] = std::move(data);
    files_ = std::move(files);
    return Status::OK();
  }
  static std::string BaseName(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
  }

  tsl::Mutex mu_;
  std::map<std::string, std::shared_ptr<FileData>> files_ GUARDED_BY(mu_);
  std::set<std::string> dirs_ GUARDED_BY(mu_);
};

}  // namespace

std::unique_ptr<Env> NewMemEnv() { return std::make_unique<MemEnv>(); }

}  // namespace tsl
