// FaultInjectionEnv: an Env wrapping any other Env that injects I/O faults
// and simulates power loss, modelled on LevelDB's fault_injection_test.
//
// Faults: Arm(fault, n, ops) makes the n-th counted call (counting only the
// operations in `ops`) fail with an injected kIOError ("EIO"), an ENOSPC
// kIOError ("No space left on device"), a short write (half the bytes of an
// Append reach the file, then ENOSPC), or a crash: from that call on every
// mutating call fails with "process is down" until DropUnsyncedData().
//
// Power loss (DropUnsyncedData): what a crash at this moment would leave on
// a disk that honours fsync and nothing more:
//   - each file is truncated to the length it had at its last Sync();
//   - a name created, linked or renamed into a directory since that
//     directory's last SyncDir() is removed (a renamed file gets its old
//     name back, and a file it replaced gets its old content back);
//   - a durable file unlinked since its directory's last SyncDir() comes
//     back with its durable content.
// Directories created since their parent's last SyncDir() disappear with
// everything in them.
//
// Thread-safety: every method is safe to call from several threads (one
// mutex guards the fault state and the durability bookkeeping); a
// WritableFile belongs to one thread, as with any Env.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "formats/mutex.h"
#include "storage/env.h"

namespace tsl {

class FaultInjectionEnv final : public Env {
 public:
  // The operations a fault can target (a bit mask).
  enum Op : uint32_t {
    kCreate = 1u << 0,   // NewWritableFile
    kWrite = 1u << 1,    // WritableFile::Append
    kSync = 1u << 2,     // WritableFile::Sync
    kRename = 1u << 3,   // RenameFile
    kLink = 1u << 4,     // LinkFile
    kUnlink = 1u << 5,   // RemoveFile
    kMkdir = 1u << 6,    // CreateDirIfMissing (of a missing directory)
    kRmdir = 1u << 7,    // RemoveDir
    kSyncDir = 1u << 8,  // SyncDir
    kRead = 1u << 9,     // NewRandomAccessFile, ReadFileToString
    kAllMutating = (1u << 9) - 1,
  };

  enum class Fault {
    kNone,
    kIOError,     // the call fails with EIO, changing nothing
    kNoSpace,     // the call fails with ENOSPC, changing nothing
    kShortWrite,  // an Append writes half its bytes then fails with ENOSPC;
                  // any other call fails as kNoSpace
    kCrash,       // the call and every later mutating call fail: the
                  // process is down until DropUnsyncedData()
  };

  // `base` must outlive this Env. Everything `base` already holds counts as
  // durable.
  explicit FaultInjectionEnv(Env* base);
  ~FaultInjectionEnv() override;

  // Injects `fault` at the n-th (1-based) call among `ops`, counting from
  // now. Resets the call counter and the crashed state.
  void Arm(Fault fault, int64_t n, uint32_t ops = kAllMutating);
  // No more faults; counting continues.
  void Disarm();
  // Calls among the armed `ops` since the last Arm.
  int64_t calls() const;
  // True once the armed fault has been injected.
  bool fired() const;
  // True after a kCrash fired (and until DropUnsyncedData).
  bool crashed() const;
  // How many faults this Env has injected in its life.
  int64_t faults_injected() const;
  // One line per counted call since the last Arm ("3 link /db/m/_log/...").
  std::vector<std::string> Trace() const;

  // Simulates power loss (see the file comment), then disarms and clears
  // the crashed state. Open WritableFiles must not be used afterwards.
  Status DropUnsyncedData();

  // Env
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& path) override;
  Result<std::string> ReadFileToString(const std::string& path) override;
  bool FileExists(const std::string& path) override;
  Result<uint64_t> GetFileSize(const std::string& path) override;
  Result<int64_t> GetFileModificationMicros(const std::string& path) override;
  Result<std::vector<std::string>> GetChildren(const std::string& dir) override;
  bool IsDirectory(const std::string& path) override;
  bool IsSymlink(const std::string& path) override { return base_->IsSymlink(path); }
  Status CreateDirIfMissing(const std::string& dir) override;
  Status RemoveFile(const std::string& path) override;
  Status RemoveDir(const std::string& dir) override;
  Status RenameFile(const std::string& from, const std::string& to) override;
  Status LinkFile(const std::string& from, const std::string& to) override;
  Status SyncDir(const std::string& dir) override;
  int64_t NowMicros() override;

 private:
  class File;
  friend class File;

  // Counts a call of `op`; returns the fault to inject now (kNone if none).
  Fault Tick(Op op, const std::string& what);
  Status FaultStatus(Fault f, const std::string& what) const;
  // The durable prefix of `path`'s content, nullopt when it has none.
  std::optional<std::string> DurableContentLocked(const std::string& path) REQUIRES(mu_);
  void RemoveTreeLocked(const std::string& dir) REQUIRES(mu_);

  Env* base_;
  mutable tsl::Mutex mu_;
  Fault fault_ GUARDED_BY(mu_) = Fault::kNone;
  int64_t target_ GUARDED_BY(mu_) = 0;
  uint32_t ops_ GUARDED_BY(mu_) = kAllMutating;
  int64_t calls_ GUARDED_BY(mu_) = 0;
  bool fired_ GUARDED_BY(mu_) = false;
  bool crashed_ GUARDED_BY(mu_) = false;
  int64_t faults_injected_ GUARDED_BY(mu_) = 0;
  std::vector<std::string> trace_ GUARDED_BY(mu_);
  // Files written through this Env: bytes known durable (last Sync).
  std::map<std::string, uint64_t> synced_size_ GUARDED_BY(mu_);
  // Directory entries changed since their directory's last SyncDir, with
  // the durable state a power loss returns them to: nullopt = absent,
  // otherwise the content the name had.
  std::map<std::string, std::optional<std::string>> pending_ GUARDED_BY(mu_);
  std::set<std::string> new_dirs_ GUARDED_BY(mu_);
};

}  // namespace tsl
