// Durability under faults, in the manner of LevelDB's fault-injection test:
// a wrapping Env fails the N-th mutating call, or simulates a power loss at
// the N-th call (every byte not fsynced and every name whose directory was
// not fsynced is lost). For every N the table must afterwards open and read
// cleanly, at the old version or the new one, and a commit that returned OK
// must have survived.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>
#include <set>

#include "formats/timestamp.h"
#include "storage/checkpoint.h"
#include "storage/table.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

std::string Parent(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}

class FaultInjectionEnv final : public Env {
 public:
  enum class Mode { kOff, kFailNth, kCrashAtNth };
  explicit FaultInjectionEnv(Env* base) : base_(base) {}

  void Arm(Mode mode, int n) {
    mode_ = mode;
    target_ = n;
    count_ = 0;
    crashed_ = false;
  }
  int count() const { return count_; }
  bool crashed() const { return crashed_; }

  // Power loss: truncates files to their synced length and forgets names
  // created since their directory's last SyncDir.
  void LoseUnsyncedData() {
    for (const auto& [path, synced] : synced_size_) {
      if (!base_->FileExists(path)) continue;
      std::string content = *base_->ReadFileToString(path);
      if (content.size() > synced) (void)WriteFileSync(base_, path, content.substr(0, synced));
    }
    for (auto it = unsynced_names_.rbegin(); it != unsynced_names_.rend(); ++it) {
      if (base_->IsDirectory(*it)) {
        RemoveTree(*it);
      } else if (base_->FileExists(*it)) {
        (void)base_->RemoveFile(*it);
      }
    }
    unsynced_names_.clear();
    mode_ = Mode::kOff;
  }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    RETURN_IF_ERROR(Tick("open " + path));
    ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> f, base_->NewWritableFile(path));
    synced_size_[path] = 0;
    unsynced_names_.insert(path);
    return std::unique_ptr<WritableFile>(new File(this, path, std::move(f)));
  }
  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& p) override {
    return base_->NewRandomAccessFile(p);
  }
  Result<std::string> ReadFileToString(const std::string& p) override {
    return base_->ReadFileToString(p);
  }
  bool FileExists(const std::string& p) override { return base_->FileExists(p); }
  Result<uint64_t> GetFileSize(const std::string& p) override { return base_->GetFileSize(p); }
  Result<int64_t> GetFileModificationMicros(const std::string& p) override {
    return base_->GetFileModificationMicros(p);
  }
  Result<std::vector<std::string>> GetChildren(const std::string& d) override {
    return base_->GetChildren(d);
  }
  bool IsDirectory(const std::string& p) override { return base_->IsDirectory(p); }
  Status CreateDirIfMissing(const std::string& d) override {
    RETURN_IF_ERROR(Tick("mkdir " + d));
    bool existed = base_->IsDirectory(d);
    RETURN_IF_ERROR(base_->CreateDirIfMissing(d));
    if (!existed) unsynced_names_.insert(d);
    return Status::OK();
  }
  Status RemoveFile(const std::string& p) override {
    RETURN_IF_ERROR(Tick("unlink " + p));
    synced_size_.erase(p);
    unsynced_names_.erase(p);
    return base_->RemoveFile(p);
  }
  Status RemoveDir(const std::string& d) override {
    RETURN_IF_ERROR(Tick("rmdir " + d));
    return base_->RemoveDir(d);
  }
  Status RenameFile(const std::string& f, const std::string& t) override {
    RETURN_IF_ERROR(Tick("rename " + f));
    RETURN_IF_ERROR(base_->RenameFile(f, t));
    // The new name is durable only after its directory's fsync; a power
    // loss before that loses it (harsher than POSIX, which would bring back
    // the old target: readers must cope with either).
    synced_size_[t] = synced_size_[f];
    synced_size_.erase(f);
    unsynced_names_.erase(f);
    unsynced_names_.insert(t);
    return Status::OK();
  }
  Status LinkFile(const std::string& f, const std::string& t) override {
    RETURN_IF_ERROR(Tick("link " + t));
    RETURN_IF_ERROR(base_->LinkFile(f, t));
    synced_size_[t] = synced_size_[f];
    unsynced_names_.insert(t);
    return Status::OK();
  }
  Status SyncDir(const std::string& d) override {
    RETURN_IF_ERROR(Tick("fsync dir " + d));
    for (auto it = unsynced_names_.begin(); it != unsynced_names_.end();)
      it = Parent(*it) == d ? unsynced_names_.erase(it) : std::next(it);
    return base_->SyncDir(d);
  }
  int64_t NowMicros() override { return base_->NowMicros(); }

 private:
  class File final : public WritableFile {
   public:
    File(FaultInjectionEnv* env, std::string path, std::unique_ptr<WritableFile> f)
        : env_(env), path_(std::move(path)), f_(std::move(f)) {}
    Status Append(std::string_view data) override {
      RETURN_IF_ERROR(env_->Tick("write " + path_));
      RETURN_IF_ERROR(f_->Append(data));
      size_ += data.size();
      return Status::OK();
    }
    Status Sync() override {
      RETURN_IF_ERROR(env_->Tick("fsync " + path_));
      RETURN_IF_ERROR(f_->Sync());
      env_->synced_size_[path_] = size_;
      return Status::OK();
    }
    Status Close() override { return f_->Close(); }

   private:
    FaultInjectionEnv* env_;
    std::string path_;
    std::unique_ptr<WritableFile> f_;
    size_t size_ = 0;
  };

  Status Tick(const std::string& what) {
    if (mode_ == Mode::kOff) return Status::OK();
    if (crashed_) return Status::IOError("injected: process is down (" + what + ")");
    if (++count_ != target_) return Status::OK();
    if (mode_ == Mode::kCrashAtNth) crashed_ = true;
    return Status::IOError("injected fault at call " + std::to_string(count_) + ": " + what);
  }

  void RemoveTree(const std::string& dir) {
    std::vector<std::string> children = *base_->GetChildren(dir);  // outlives the loop
    for (const std::string& c : children) {
      std::string p = JoinPath(dir, c);
      if (base_->IsDirectory(p)) {
        RemoveTree(p);
      } else {
        (void)base_->RemoveFile(p);
      }
    }
    (void)base_->RemoveDir(dir);
  }

  Env* base_;
  Mode mode_ = Mode::kOff;
  int target_ = 0;
  int count_ = 0;
  bool crashed_ = false;
  std::map<std::string, size_t> synced_size_;
  std::set<std::string> unsynced_names_;
};

// Runs one append under a fault at call `n`; returns false once `n` is past
// the last call (the run completed without hitting the fault).
bool RunWithFault(FaultInjectionEnv::Mode mode, int n) {
  auto mem = NewMemEnv();
  FaultInjectionEnv env(mem.get());
  EXPECT_TRUE(env.CreateDirIfMissing("/db").ok());
  EXPECT_TRUE(env.SyncDir("/").ok());
  auto table = Table::Create(&env, nullptr, "/db/m", "m", testing::MetricSchema(), {});
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_TRUE(
      (*table)->NewWriter()->Append(testing::MetricChunk(0, 1)).ok());  // no commit: aborted

  env.Arm(mode, n);
  auto writer = (*table)->NewWriter();
  Status append = writer->Append(testing::MetricChunk(*ParseTimestamp("2024-01-01"), 100));
  Result<CommitResult> commit = append.ok() ? writer->Commit("WRITE") : Result<CommitResult>(append);
  writer.reset();
  bool hit = env.count() >= n;
  if (mode == FaultInjectionEnv::Mode::kCrashAtNth) env.LoseUnsyncedData();
  env.Arm(FaultInjectionEnv::Mode::kOff, 0);

  // Recovery: a fresh handle must read a consistent table.
  auto reopened = Table::Open(&env, nullptr, "/db/m", "m");
  EXPECT_TRUE(reopened.ok()) << "fault " << n << ": " << reopened.status().ToString();
  if (!reopened.ok()) return false;
  auto snap = (*reopened)->GetSnapshot();
  EXPECT_TRUE(snap.ok()) << "fault " << n << ": " << snap.status().ToString();
  if (!snap.ok()) return false;
  int64_t version = (*snap)->version();
  EXPECT_TRUE(version == 0 || version == 1) << "fault " << n;
  if (commit.ok()) {
    EXPECT_EQ(version, 1) << "fault " << n << ": acknowledged commit lost";
  }
  EXPECT_EQ((*snap)->total_rows(), version == 1 ? 100 : 0) << "fault " << n;
  auto scan = (*reopened)->NewScan(*snap, {});
  EXPECT_TRUE(scan.ok());
  int64_t rows = 0;
  DataChunk chunk;
  while (true) {
    auto more = (*scan)->Next(&chunk);
    EXPECT_TRUE(more.ok()) << "fault " << n << ": " << more.status().ToString();
    if (!more.ok() || !*more) break;
    rows += static_cast<int64_t>(chunk.size());
  }
  EXPECT_EQ(rows, (*snap)->total_rows()) << "fault " << n;
  // After a definite failure (not at or past the commit point) no segment
  // file is left behind.
  if (!commit.ok() && version == 0 && mode == FaultInjectionEnv::Mode::kFailNth) {
    auto kids = env.GetChildren("/db/m");
    int segments = 0;
    for (const auto& k : *kids) segments += k.size() > 4 && k.substr(k.size() - 4) == ".tsl";
    EXPECT_EQ(segments, 0) << "fault " << n << ": " << commit.status().ToString();
  }
  return hit;
}

// Maintenance under faults: `op` (a checkpoint, an OPTIMIZE or a VACUUM)
// runs with a fault at call `n` on a table holding 3 appends of 10 rows
// (plus, for VACUUM, an OPTIMIZE whose removed files it may delete).
// Afterwards a fresh handle must read all 30 rows, with the same sum, at
// the version before the op or (if it commits) the one after; an op that
// returned OK must have its effect. Returns false once `n` is past the
// op's last call.
enum class Op { kCheckpoint, kOptimize, kVacuum };

double SumOfV(Table* t, std::shared_ptr<const Snapshot> snap, int64_t* rows, int n) {
  auto scan = t->NewScan(snap, ScanOptions{{2}, {}});
  EXPECT_TRUE(scan.ok()) << "fault " << n << ": " << scan.status().ToString();
  if (!scan.ok()) return -1;
  double sum = 0;
  DataChunk chunk;
  while (true) {
    auto more = (*scan)->Next(&chunk);
    EXPECT_TRUE(more.ok()) << "fault " << n << ": " << more.status().ToString();
    if (!more.ok() || !*more) break;
    for (double d : chunk.columns[0].doubles) sum += d;
    *rows += static_cast<int64_t>(chunk.size());
  }
  return sum;
}

bool RunMaintenanceWithFault(Op op, FaultInjectionEnv::Mode mode, int n) {
  auto mem = NewMemEnv();
  FaultInjectionEnv env(mem.get());
  EXPECT_TRUE(env.CreateDirIfMissing("/db").ok());
  EXPECT_TRUE(env.SyncDir("/").ok());
  auto table = Table::Create(&env, nullptr, "/db/m", "m", testing::MetricSchema(),
                             {{"partition_by", "day(ts)"}});
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  const int64_t t0 = *ParseTimestamp("2024-01-01");
  for (int i = 0; i < 3; ++i) {
    auto w = (*table)->NewWriter();
    EXPECT_TRUE(w->Append(testing::MetricChunk(t0 + i * 100 * kMicrosPerSecond, 10, i * 10)).ok());
    EXPECT_TRUE(w->Commit("WRITE").ok());
  }
  if (op == Op::kVacuum) {
    EXPECT_TRUE((*table)->Optimize().ok());
    // Commit timestamps may run a few ms ahead of the clock (they strictly
    // increase); let the clock pass them so RETAIN 0 sees the last version.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ((*table)->Vacuum(testing::VacuumWith(0, true, true))->files.size(), 3u);
  }
  const int64_t before = *(*table)->LatestVersion();

  env.Arm(mode, n);
  Status st;
  if (op == Op::kCheckpoint) {
    st = (*table)->WriteCheckpoint(before);
  } else if (op == Op::kOptimize) {
    st = (*table)->Optimize().status();
  } else {
    st = (*table)->Vacuum(testing::VacuumWith(0, false, true)).status();
  }
  bool hit = env.count() >= n;
  if (mode == FaultInjectionEnv::Mode::kCrashAtNth) env.LoseUnsyncedData();
  env.Arm(FaultInjectionEnv::Mode::kOff, 0);

  auto reopened = Table::Open(&env, nullptr, "/db/m", "m");
  EXPECT_TRUE(reopened.ok()) << "fault " << n << ": " << reopened.status().ToString();
  if (!reopened.ok()) return false;
  auto snap = (*reopened)->GetSnapshot();
  EXPECT_TRUE(snap.ok()) << "fault " << n << ": " << snap.status().ToString();
  if (!snap.ok()) return false;
  int64_t version = (*snap)->version();
  EXPECT_TRUE(version == before || (op == Op::kOptimize && version == before + 1))
      << "fault " << n << ": version " << version;
  if (st.ok() && op == Op::kOptimize) {
    EXPECT_EQ(version, before + 1) << "fault " << n;
  }
  if (st.ok() && op == Op::kCheckpoint) {
    auto cp = Checkpoint::Read(&env, "/db/m/_log", before);
    EXPECT_TRUE(cp.ok()) << "fault " << n << ": acknowledged checkpoint unreadable";
  }
  int64_t rows = 0;
  double sum = SumOfV(reopened->get(), *snap, &rows, n);
  EXPECT_EQ(rows, 30) << "fault " << n;
  EXPECT_DOUBLE_EQ(sum, 435.0) << "fault " << n;  // 0 + 1 + ... + 29
  return hit;
}

TEST(FaultInjectionTest, FailingOrCrashingAnyCallOfACheckpointOptimizeOrVacuumLosesNothing) {
  for (Op op : {Op::kCheckpoint, Op::kOptimize, Op::kVacuum}) {
    for (auto mode : {FaultInjectionEnv::Mode::kFailNth, FaultInjectionEnv::Mode::kCrashAtNth}) {
      int n = 1;
      while (RunMaintenanceWithFault(op, mode, n)) ++n;
      EXPECT_GT(n, 3) << "op " << static_cast<int>(op) << ": no I/O was exercised";
    }
  }
}

TEST(FaultInjectionTest, FailingAnyCallLeavesTheTableConsistent) {
  int n = 1;
  while (RunWithFault(FaultInjectionEnv::Mode::kFailNth, n)) ++n;
  EXPECT_GT(n, 5);  // the commit path really was exercised
}

TEST(FaultInjectionTest, PowerLossAtAnyCallLosesNoAcknowledgedCommit) {
  int n = 1;
  while (RunWithFault(FaultInjectionEnv::Mode::kCrashAtNth, n)) ++n;
  EXPECT_GT(n, 5);
}

}  // namespace
}  // namespace tsl
