// ExportDeltaMirror: three incremental exports give three Delta versions
// whose replayed file set holds exactly the source table's rows (appends,
// a DELETE, an OPTIMIZE); a re-run ships nothing; the log's actions carry
// what Delta readers need; refusals and a lost commit race.
#include "storage/delta_mirror.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "formats/parquet_reader.h"
#include "formats/timestamp.h"
#include "storage/fault_injection_env.h"
#include "storage/table.h"
#include "storage/transaction.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

using nlohmann::json;
using testing::MetricChunk;
using testing::MetricSchema;
using testing::ReadAll;

// Rows as sortable text tuples (a multiset fingerprint of a table).
using Rows = std::vector<std::string>;

Rows RowsOf(const DataChunk& c) {
  Rows out;
  for (size_t r = 0; r < c.size(); ++r) {
    std::string row;
    for (const ColumnVector& col : c.columns) row += col.GetValue(r).ToString() + "|";
    out.push_back(row);
  }
  std::sort(out.begin(), out.end());
  return out;
}

class DeltaMirrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = NewMemEnv();
    ASSERT_TRUE(env_->CreateDirIfMissing("/db").ok());
    auto t = Table::Create(env_.get(), nullptr, "/db/m", "m", MetricSchema(),
                           {{"partition_by", "day(ts)"}});
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    table_ = *t;
  }
  void Append(const DataChunk& c) {
    auto w = table_->NewWriter();
    ASSERT_TRUE(w->Append(c).ok());
    ASSERT_TRUE(w->Commit("WRITE").ok());
  }
  Result<DeltaExportResult> Export(bool incremental = true) {
    DeltaExportOptions o;
    o.incremental = incremental;
    return ExportDeltaMirror(*table_, env_.get(), "/mirror", o);
  }
  Rows SourceRows() {
    auto scan = table_->NewScan(*table_->GetSnapshot(), ScanOptions{});
    EXPECT_TRUE(scan.ok());
    return RowsOf(ReadAll(scan->get()));
  }
  std::vector<std::string> LogVersions() {
    std::vector<std::string> v;
    const std::vector<std::string> names = *env_->GetChildren("/mirror/_delta_log");
    for (const std::string& n : names)
      if (n.size() == 25 && n.substr(20) == ".json") v.push_back(n);
    std::sort(v.begin(), v.end());
    return v;
  }
  std::vector<json> Actions(const std::string& file) {
    std::vector<json> out;
    std::string content = *env_->ReadFileToString("/mirror/_delta_log/" + file);
    size_t start = 0;
    while (start < content.size()) {
      size_t end = content.find('\n', start);
      out.push_back(json::parse(content.substr(start, end - start)));
      start = end + 1;
    }
    return out;
  }
  // Replays the Delta log as a Delta reader would and reads the live files.
  Rows MirrorRows(int64_t* num_records_sum = nullptr) {
    std::set<std::string> live;
    for (const std::string& f : LogVersions()) {
      for (const json& a : Actions(f)) {
        if (a.contains("add")) live.insert(a["add"]["path"].get<std::string>());
        if (a.contains("remove")) live.erase(a["remove"]["path"].get<std::string>());
        if (a.contains("add") && num_records_sum)
          *num_records_sum +=
              json::parse(a["add"]["stats"].get<std::string>())["numRecords"].get<int64_t>();
      }
    }
    Rows rows;
    for (const std::string& path : live) {
      auto file = env_->NewRandomAccessFile("/mirror/" + path);
      EXPECT_TRUE(file.ok()) << path;
      auto reader = ParquetReader::Open(std::move(*file));
      EXPECT_TRUE(reader.ok()) << reader.status().ToString();
      Rows part = RowsOf(ReadAll(reader->get()));
      rows.insert(rows.end(), part.begin(), part.end());
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  std::unique_ptr<Env> env_;
  std::shared_ptr<Table> table_;
};

int64_t Day(int d) { return *ParseTimestamp("2024-01-0" + std::to_string(d)); }

TEST_F(DeltaMirrorTest, ThreeIncrementalExportsReplayToTheSourceRows) {
  Append(MetricChunk(Day(1), 100));
  Append(MetricChunk(Day(2), 50, 1000));
  auto e0 = Export();
  ASSERT_TRUE(e0.ok()) << e0.status().ToString();
  EXPECT_EQ(e0->mirror_version, 0);
  EXPECT_EQ(e0->rows_added, 150);
  EXPECT_EQ(MirrorRows(), SourceRows());

  // An hour of new data plus a DELETE that removes a whole file.
  Append(MetricChunk(Day(3), 40, 2000));
  {
    auto snap = *table_->GetSnapshot();
    auto tx = table_->NewTransaction();
    ASSERT_TRUE(tx.ok());
    const AddAction* day2 = nullptr;
    for (const AddAction& a : snap->files())
      if (a.partition_values.at("ts_day") == "2024-01-02") day2 = &a;
    ASSERT_NE(day2, nullptr);
    ASSERT_TRUE((*tx)->RemoveFile(*day2).ok());
    ASSERT_TRUE((*tx)->Commit("DELETE").ok());
  }
  auto e1 = Export();
  ASSERT_TRUE(e1.ok()) << e1.status().ToString();
  EXPECT_EQ(e1->mirror_version, 1);
  EXPECT_EQ(e1->files_added, 1);
  EXPECT_EQ(e1->files_removed, 1);
  EXPECT_EQ(e1->rows_added, 40);
  EXPECT_EQ(MirrorRows(), SourceRows());

  // More small appends to day 1, then OPTIMIZE compacts them.
  Append(MetricChunk(Day(1) + 3600000000LL, 10, 3000));
  Append(MetricChunk(Day(1) + 7200000000LL, 10, 4000));
  auto opt = table_->Optimize();
  ASSERT_TRUE(opt.ok()) << opt.status().ToString();
  auto e2 = Export();
  ASSERT_TRUE(e2.ok()) << e2.status().ToString();
  EXPECT_EQ(e2->mirror_version, 2);
  EXPECT_GE(e2->files_removed, 1);
  int64_t records = 0;
  EXPECT_EQ(MirrorRows(&records), SourceRows());
  EXPECT_EQ(LogVersions().size(), 3u);

  // Re-running ships nothing and writes no version.
  auto again = Export();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->mirror_version, -1);
  EXPECT_EQ(again->rows_added, 0);
  EXPECT_EQ(LogVersions().size(), 3u);

  // txn of the last version names the source table and version.
  const auto last = Actions(LogVersions().back());
  bool saw_txn = false;
  for (const json& a : last) {
    if (!a.contains("txn")) continue;
    saw_txn = true;
    EXPECT_EQ(a["txn"]["appId"], (*table_->GetSnapshot())->metadata().id);
    EXPECT_EQ(a["txn"]["version"], (*table_->GetSnapshot())->version());
  }
  EXPECT_TRUE(saw_txn);
}

TEST_F(DeltaMirrorTest, VersionZeroHasProtocolMetadataAddsWithStatsAndCommitInfo) {
  Append(MetricChunk(Day(1) + 1500, 30));  // sub-millisecond timestamps
  ASSERT_TRUE(Export(false).ok());
  const auto actions = Actions("00000000000000000000.json");
  ASSERT_GE(actions.size(), 5u);
  EXPECT_EQ(actions[0]["protocol"]["minReaderVersion"], 1);
  EXPECT_EQ(actions[0]["protocol"]["minWriterVersion"], 2);
  const json meta = actions[1]["metaData"];
  EXPECT_EQ(meta["format"]["provider"], "parquet");
  EXPECT_EQ(meta["partitionColumns"], json::array({"ts_day"}));
  const json schema = json::parse(meta["schemaString"].get<std::string>());
  ASSERT_EQ(schema["fields"].size(), 4u);
  EXPECT_EQ(schema["fields"][0]["type"], "timestamp");
  EXPECT_EQ(schema["fields"][1]["type"], "string");
  EXPECT_EQ(schema["fields"][2]["type"], "double");
  EXPECT_EQ(schema["fields"][3]["name"], "ts_day");
  const json add = actions[2]["add"];
  EXPECT_EQ(add["partitionValues"]["ts_day"], "2024-01-01");
  EXPECT_TRUE(add["path"].get<std::string>().rfind("ts_day=2024-01-01/", 0) == 0);
  EXPECT_EQ(add["size"].get<int64_t>(),
            static_cast<int64_t>(*env_->GetFileSize("/mirror/" + add["path"].get<std::string>())));
  const json stats = json::parse(add["stats"].get<std::string>());
  EXPECT_EQ(stats["numRecords"], 30);
  // Millisecond stats still bound the microsecond values: min down, max up.
  EXPECT_EQ(stats["minValues"]["ts"], "2024-01-01T00:00:00.001Z");
  EXPECT_EQ(stats["maxValues"]["ts"], "2024-01-01T00:00:29.002Z");
  EXPECT_EQ(stats["minValues"]["v"], 0.0);
  EXPECT_EQ(stats["maxValues"]["v"], 29.0);
  EXPECT_EQ(stats["nullCount"]["tag"], 0);
  bool commit_info = false;
  for (const json& a : actions) commit_info |= a.contains("commitInfo");
  EXPECT_TRUE(commit_info);
}

TEST_F(DeltaMirrorTest, RefusesExistingMirrorWithoutIncrementalAndAnotherTablesMirror) {
  Append(MetricChunk(Day(1), 5));
  ASSERT_TRUE(Export(false).ok());
  auto again = Export(false);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find("INCREMENTAL"), std::string::npos);

  auto other = Table::Create(env_.get(), nullptr, "/db/o", "o", MetricSchema(), {});
  ASSERT_TRUE(other.ok());
  DeltaExportOptions o;
  o.incremental = true;
  auto wrong = ExportDeltaMirror(**other, env_.get(), "/mirror", o);
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.status().message().find("not a mirror of table o"), std::string::npos);
}

// Forwards to a base Env; just before the first link into _delta_log it
// writes the target itself, as a concurrent exporter winning the race would.
class RaceEnv final : public Env {
 public:
  explicit RaceEnv(Env* base) : base_(base) {}
  bool armed = false;
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& p) override {
    return base_->NewWritableFile(p);
  }
  Result<std::unique_ptr<RandomAccessFile>> NewRandomAccessFile(const std::string& p) override {
    return base_->NewRandomAccessFile(p);
  }
  Result<std::string> ReadFileToString(const std::string& p) override {
    return base_->ReadFileToString(p);
  }
  bool FileExists(const std::string& p) override { return base_->FileExists(p); }
  Result<uint64_t> GetFileSize(const std::string& p) override { return base_->GetFileSize(p); }
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
    if (armed && t.find("_delta_log/") != std::string::npos) {
      armed = false;
      RETURN_IF_ERROR(WriteFileSync(base_, t, "{\"commitInfo\":{}}\n"));
    }
    return base_->LinkFile(f, t);
  }
  Status SyncDir(const std::string& d) override { return base_->SyncDir(d); }
  int64_t NowMicros() override { return base_->NowMicros(); }

 private:
  Env* base_;
};

TEST_F(DeltaMirrorTest, LosingTheCommitRaceIsAConflictAndLeavesTheLogAlone) {
  Append(MetricChunk(Day(1), 5));
  ASSERT_TRUE(Export().ok());
  Append(MetricChunk(Day(2), 5));
  RaceEnv race(env_.get());
  race.armed = true;
  DeltaExportOptions o;
  o.incremental = true;
  auto lost = ExportDeltaMirror(*table_, &race, "/mirror", o);
  EXPECT_EQ(lost.status().code(), StatusCode::kConflict) << lost.status().ToString();
  EXPECT_NE(lost.status().message().find("run the export again"), std::string::npos);
  EXPECT_EQ(*env_->ReadFileToString("/mirror/_delta_log/00000000000000000001.json"),
            "{\"commitInfo\":{}}\n");
  const std::vector<std::string> names = *env_->GetChildren("/mirror/_delta_log");
  for (const std::string& n : names) EXPECT_NE(n.rfind(".tmp-", 0), 0u) << n;
}

// A crash at every mutating call of an incremental export, then power
// loss: the mirror replays to the rows before or after the export, never
// in between, and a re-run completes it with exactly one new version.
TEST_F(DeltaMirrorTest, CrashAtEveryStepLeavesTheOldOrTheNewMirror) {
  Append(MetricChunk(Day(1), 20));
  ASSERT_TRUE(Export().ok());
  const Rows before = SourceRows();
  Append(MetricChunk(Day(2), 20, 100));
  Append(MetricChunk(Day(3), 20, 200));
  const Rows after = SourceRows();
  // Each trial starts from a copy of the one-version mirror.
  const auto copy_tree = [&](const std::string& from, const std::string& to, auto&& self) -> void {
    ASSERT_TRUE(env_->CreateDirIfMissing(to).ok());
    const std::vector<std::string> names = *env_->GetChildren(from);
    for (const std::string& n : names) {
      if (env_->IsDirectory(from + "/" + n)) {
        self(from + "/" + n, to + "/" + n, self);
      } else {
        ASSERT_TRUE(
            WriteFileSync(env_.get(), to + "/" + n, *env_->ReadFileToString(from + "/" + n)).ok());
      }
    }
  };
  copy_tree("/mirror", "/pristine", copy_tree);
  const auto remove_tree = [&](const std::string& dir, auto&& self) -> void {
    const std::vector<std::string> names = *env_->GetChildren(dir);
    for (const std::string& n : names) {
      if (env_->IsDirectory(dir + "/" + n))
        self(dir + "/" + n, self);
      else
        ASSERT_TRUE(env_->RemoveFile(dir + "/" + n).ok());
    }
    ASSERT_TRUE(env_->RemoveDir(dir).ok());
  };
  DeltaExportOptions o;
  o.incremental = true;
  int64_t trials = 0;
  for (int64_t n = 1;; ++n) {
    remove_tree("/mirror", remove_tree);
    copy_tree("/pristine", "/mirror", copy_tree);
    FaultInjectionEnv fault(env_.get());
    fault.Arm(FaultInjectionEnv::Fault::kCrash, n);
    auto crashed = ExportDeltaMirror(*table_, &fault, "/mirror", o);
    if (crashed.ok()) break;  // n is past the export's last mutating call
    ++trials;
    ASSERT_TRUE(fault.DropUnsyncedData().ok());
    fault.Disarm();
    const Rows now = MirrorRows();
    EXPECT_TRUE(now == before || now == after)
        << "crash at call " << n << ": " << now.size() << " rows";
    auto rerun = ExportDeltaMirror(*table_, &fault, "/mirror", o);
    ASSERT_TRUE(rerun.ok()) << "crash at call " << n << ": " << rerun.status().ToString();
    EXPECT_EQ(MirrorRows(), after) << "crash at call " << n;
    EXPECT_EQ(LogVersions().size(), 2u) << "crash at call " << n;
  }
  EXPECT_GT(trials, 5);
}

TEST_F(DeltaMirrorTest, AddedColumnWritesNewMetadataAndRenameIsRefused) {
  Append(MetricChunk(Day(1), 5));
  ASSERT_TRUE(Export().ok());
  ASSERT_TRUE(table_->AddColumn({"quality", TypeId::kInteger}).ok());
  auto e = Export();
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->mirror_version, 1);
  bool meta = false;
  for (const json& a : Actions("00000000000000000001.json")) meta |= a.contains("metaData");
  EXPECT_TRUE(meta);
  ASSERT_TRUE(table_->RenameColumn("v", "value").ok());
  auto r = Export();
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("renamed or retyped"), std::string::npos)
      << r.status().ToString();
}

}  // namespace
}  // namespace tsl

namespace tsl {
namespace {

// The mirror lists its log with the transaction log's checked parser: a
// 20-digit name past INT64_MAX is not a version file, and no exception
// leaves storage (its own std::stoll copy threw std::out_of_range).
TEST_F(DeltaMirrorTest, VersionNamePastInt64MaxIsIgnoredNotThrown) {
  Append(MetricChunk(Day(1), 10));
  ASSERT_TRUE(Export().ok());
  auto f = env_->NewWritableFile("/mirror/_delta_log/99999999999999999999.json");
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->Append("{}\n").ok());
  ASSERT_TRUE((*f)->Close().ok());
  Append(MetricChunk(Day(2), 10, 1000));
  try {
    Result<DeltaExportResult> e = Export();
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_EQ(e->mirror_version, 1);
  } catch (const std::exception& ex) {
    FAIL() << "an exception left storage: " << ex.what();
  }
  EXPECT_EQ(MirrorRows(), SourceRows());
}

}  // namespace
}  // namespace tsl
