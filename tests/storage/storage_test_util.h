// Helpers shared by the storage tests: a real temporary directory removed
// on destruction, and small chunk builders for a (ts, tag, v) schema.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <string>

#include "formats/column_vector.h"
#include "formats/types.h"
#include "storage/env.h"
#include "storage/table.h"

namespace tsl::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tslake-storage-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    EXPECT_NE(p, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline // VACUUM's options by position (retain_hours, dry_run, force).
VacuumOptions VacuumWith(double retain_hours, bool dry_run, bool force) {
  VacuumOptions o;
  o.retain_hours = retain_hours;
  o.dry_run = dry_run;
  o.force = force;
  return o;
}

inline Schema MetricSchema() {
  return Schema{{{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}, {"v", TypeId::kDouble}}};
}

// Rows ts = start + i seconds, tag = "t<i % 3>", v = i, for i in [0, n).
inline DataChunk MetricChunk(int64_t start_micros, int n, double v0 = 0) {
  DataChunk c;
  c.Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble});
  for (int i = 0; i < n; ++i) {
    c.columns[0].AppendInt(start_micros + int64_t{i} * 1000000);
    c.columns[1].AppendString("t" + std::to_string(i % 3));
    c.columns[2].AppendDouble(v0 + i);
  }
  return c;
}

// An Env forwarding to another whose clock can be moved forward (commit
// timestamps, retention windows) and which counts reads of log version
// files (`*.json` but not checkpoints) so tests can assert how much of
// the log an open replays.
class ClockEnv final : public Env {
 public:
  explicit ClockEnv(Env* base) : base_(base) {}
  void Advance(int64_t micros) { offset_ += micros; }
  int json_reads() const { return json_reads_; }
  void ResetCounters() { json_reads_ = 0; }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& p) override {
    written_offset_[p] = offset_;
    return base_->NewWritableFile(p);
  }
  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& p) override {
    return base_->NewRandomAccessFile(p);
  }
  Result<std::string> ReadFileToString(const std::string& p) override {
    if (p.size() > 5 && p.compare(p.size() - 5, 5, ".json") == 0 &&
        p.find(".checkpoint.") == std::string::npos)
      ++json_reads_;
    return base_->ReadFileToString(p);
  }
  bool FileExists(const std::string& p) override { return base_->FileExists(p); }
  Result<uint64_t> GetFileSize(const std::string& p) override { return base_->GetFileSize(p); }
  // Modification times move with the clock the file was written under.
  Result<int64_t> GetFileModificationMicros(const std::string& p) override {
    Result<int64_t> t = base_->GetFileModificationMicros(p);
    if (!t.ok()) return t;
    auto it = written_offset_.find(p);
    return *t + (it == written_offset_.end() ? 0 : it->second);
  }
  Result<std::vector<std::string>> GetChildren(const std::string& d) override {
    return base_->GetChildren(d);
  }
  bool IsDirectory(const std::string& p) override { return base_->IsDirectory(p); }
  Status CreateDirIfMissing(const std::string& d) override { return base_->CreateDirIfMissing(d); }
  Status RemoveFile(const std::string& p) override { return base_->RemoveFile(p); }
  Status RemoveDir(const std::string& d) override { return base_->RemoveDir(d); }
  Status RenameFile(const std::string& f, const std::string& t) override {
    return base_->RenameFile(f, t);
  }
  Status LinkFile(const std::string& f, const std::string& t) override {
    return base_->LinkFile(f, t);
  }
  Status SyncDir(const std::string& d) override { return base_->SyncDir(d); }
  int64_t NowMicros() override { return base_->NowMicros() + offset_; }

 private:
  Env* base_;
  int64_t offset_ = 0;
  int json_reads_ = 0;
  std::map<std::string, int64_t> written_offset_;
};

// Reads every row of `source`; returns them as one chunk.
inline DataChunk ReadAll(ChunkSource* source) {
  DataChunk all, chunk;
  all.columns.resize(source->schema().size());
  for (size_t i = 0; i < all.columns.size(); ++i) all.columns[i].type = source->schema().fields[i].type;
  while (true) {
    Result<bool> more = source->Next(&chunk);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    for (size_t i = 0; i < all.columns.size(); ++i)
      all.columns[i].AppendRange(chunk.columns[i], 0, chunk.size());
  }
  return all;
}

}  // namespace tsl::testing
