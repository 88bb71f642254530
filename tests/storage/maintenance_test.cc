// OPTIMIZE, VACUUM, RESTORE, retention and schema changes.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "formats/timestamp.h"
#include "storage/table.h"
#include "storage/transaction.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

using testing::ClockEnv;
using testing::MetricChunk;
using testing::MetricSchema;
using testing::ReadAll;

constexpr int64_t kHour = kMicrosPerHour;

class MaintenanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mem_ = NewMemEnv();
    env_ = std::make_unique<ClockEnv>(mem_.get());
    ASSERT_TRUE(env_->CreateDirIfMissing("/db").ok());
  }
  std::shared_ptr<Table> Create(std::map<std::string, std::string> props = {}) {
    auto t = Table::Create(env_.get(), nullptr, "/db/m", "m", MetricSchema(), std::move(props));
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return *t;
  }
  static void Append(Table* t, const DataChunk& c) {
    auto w = t->NewWriter();
    ASSERT_TRUE(w->Append(c).ok());
    auto r = w->Commit("WRITE");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  static int64_t T0() { return *ParseTimestamp("2024-01-01"); }
  // Sum of v over a snapshot: a cheap fingerprint of its rows.
  static double SumV(Table* t, std::shared_ptr<const Snapshot> s) {
    auto scan = t->NewScan(s, ScanOptions{{2}, {}});
    EXPECT_TRUE(scan.ok()) << scan.status().ToString();
    if (!scan.ok()) return -1;
    DataChunk all = ReadAll(scan->get());
    double sum = 0;
    for (double d : all.columns[0].doubles) sum += d;
    return sum;
  }
  size_t SegmentFilesOnDisk(const std::string& dir) {
    size_t n = 0;
    std::vector<std::string> names = *env_->GetChildren(dir);
    for (const std::string& c : names) {
      std::string p = JoinPath(dir, c);
      if (env_->IsDirectory(p) && c != "_log") n += SegmentFilesOnDisk(p);
      n += c.size() > 4 && c.substr(c.size() - 4) == ".tsl";
    }
    return n;
  }

  std::unique_ptr<Env> mem_;
  std::unique_ptr<ClockEnv> env_;
};

TEST_F(MaintenanceTest, OptimizeCompactsSmallFilesPerPartitionWithoutChangingData) {
  auto t = Create({{"partition_by", "day(ts)"}});
  for (int i = 0; i < 6; ++i)  // 6 appends x 2 days = 12 small files
    Append(t.get(), MetricChunk(T0() + 43200LL * kMicrosPerSecond + i * 100 * kMicrosPerSecond,
                                60, i * 1000));
  auto before = *t->GetSnapshot();
  ASSERT_GE(before->files().size(), 6u);
  auto r = t->Optimize();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto after = *t->GetSnapshot();
  std::set<std::string> parts;
  for (const AddAction& f : after->files()) {
    EXPECT_FALSE(f.data_change);
    EXPECT_TRUE(parts.insert(f.partition_values.at("ts_day")).second) << "two files in a day";
  }
  EXPECT_EQ(after->total_rows(), before->total_rows());
  EXPECT_DOUBLE_EQ(SumV(t.get(), after), SumV(t.get(), before));
  auto history = *t->History();
  EXPECT_EQ(history[0].second.operation, "OPTIMIZE");
  EXPECT_FALSE(history[0].second.is_blind_append);
  EXPECT_EQ(history[0].second.operation_metrics.at("numRemovedFiles"),
            std::to_string(before->files().size()));
  // Nothing left to do: no new version.
  EXPECT_EQ(t->Optimize()->version, -1);
}

TEST_F(MaintenanceTest, OptimizeWithARangeTouchesOnlyMatchingPartitions) {
  auto t = Create({{"partition_by", "day(ts)"}});
  for (int i = 0; i < 3; ++i) {
    Append(t.get(), MetricChunk(T0() + i * 10 * kMicrosPerSecond, 5));                // day 1
    Append(t.get(), MetricChunk(T0() + kMicrosPerDay + i * 10 * kMicrosPerSecond, 5)); // day 2
  }
  ScanRange day2{0, Value::Timestamp(T0() + kMicrosPerDay), Value()};
  ASSERT_TRUE(t->Optimize({day2}).ok());
  std::map<std::string, int> per_day;
  for (const AddAction& f : (*t->GetSnapshot())->files()) ++per_day[f.partition_values.at("ts_day")];
  EXPECT_EQ(per_day["2024-01-01"], 3);
  EXPECT_EQ(per_day["2024-01-02"], 1);
}

TEST_F(MaintenanceTest, VacuumRefusesAShortRetentionUnlessForced) {
  auto t = Create();
  auto r = t->Vacuum(testing::VacuumWith(1.0, false, false));
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("168 hours"), std::string::npos) << r.status().ToString();
  EXPECT_TRUE(t->Vacuum(testing::VacuumWith(1.0, true, true)).ok());
}

TEST_F(MaintenanceTest, VacuumNeverRemovesAFileARetainedVersionNeeds) {
  auto t = Create();
  // An orphan from a writer that crashed long ago.
  ASSERT_TRUE(WriteFileSync(env_.get(), "/db/m/old-orphan.tsl", "x").ok());
  // Old history: appends, then a compaction, 10 days ago.
  for (int i = 0; i < 4; ++i) Append(t.get(), MetricChunk(T0() + i * kMicrosPerSecond * 100, 10, i * 10));
  ASSERT_TRUE(t->Optimize().ok());  // version 5
  env_->Advance(10 * 24 * kHour);
  // Recent history: more appends, a delete of one file, a compaction.
  for (int i = 0; i < 3; ++i) Append(t.get(), MetricChunk(T0() + i * kMicrosPerSecond, 10, 100 + i));
  {
    auto txn = std::move(t->NewTransaction()).value();
    ASSERT_TRUE(txn->RemoveFile(txn->read_snapshot().files().back()).ok());
    ASSERT_TRUE(txn->Commit("DELETE").ok());
  }
  ASSERT_TRUE(t->Optimize().ok());
  const int64_t latest = *t->LatestVersion();
  std::map<int64_t, double> sums;
  for (int64_t v = 0; v <= latest; ++v) sums[v] = SumV(t.get(), *t->GetSnapshot(v));

  env_->Advance(2 * 24 * kHour);  // retain 7 days: versions 5.. are inside the window
  // A segment a concurrent writer is writing right now.
  ASSERT_TRUE(WriteFileSync(env_.get(), "/db/m/young-orphan.tsl", "x").ok());
  env_->Advance(1);
  auto dry = t->Vacuum(testing::VacuumWith(7 * 24, true, false));
  ASSERT_TRUE(dry.ok()) << dry.status().ToString();
  EXPECT_TRUE(dry->dry_run);
  const size_t on_disk = SegmentFilesOnDisk("/db/m");
  // The four original appends' files were removed by the old OPTIMIZE
  // (outside the window): they and the old orphan go.
  EXPECT_EQ(dry->files.size(), 5u) << ::testing::PrintToString(dry->files);
  EXPECT_TRUE(std::count(dry->files.begin(), dry->files.end(), "old-orphan.tsl"));
  EXPECT_EQ(SegmentFilesOnDisk("/db/m"), on_disk);  // dry run deleted nothing

  auto done = t->Vacuum(testing::VacuumWith(7 * 24, false, false));
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->files, dry->files);
  EXPECT_EQ(SegmentFilesOnDisk("/db/m"), on_disk - 5);
  EXPECT_TRUE(env_->FileExists("/db/m/young-orphan.tsl"));
  // Every version inside the window still reads, with its exact rows.
  for (int64_t v = done->oldest_retained_version; v <= latest; ++v) {
    auto snap = t->GetSnapshot(v);
    ASSERT_TRUE(snap.ok());
    EXPECT_DOUBLE_EQ(SumV(t.get(), *snap), sums[v]) << "version " << v;
  }
  EXPECT_LE(done->oldest_retained_version, 5);
}

TEST_F(MaintenanceTest, RestoreIsANewCommitThatBringsBackAnOldVersion) {
  auto t = Create();
  Append(t.get(), MetricChunk(T0(), 10));       // 1
  Append(t.get(), MetricChunk(T0(), 10, 100));  // 2
  {
    auto txn = std::move(t->NewTransaction()).value();
    for (const AddAction& f : txn->read_snapshot().files()) ASSERT_TRUE(txn->RemoveFile(f).ok());
    ASSERT_TRUE(txn->Commit("DELETE").ok());  // 3
  }
  double v1 = SumV(t.get(), *t->GetSnapshot(1));
  auto r = t->RestoreToVersion(1);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->version, 4);
  EXPECT_DOUBLE_EQ(SumV(t.get(), *t->GetSnapshot()), v1);
  auto history = *t->History();
  EXPECT_EQ(history.size(), 5u);
  EXPECT_EQ(history[0].second.operation, "RESTORE");
  EXPECT_EQ(history[0].second.operation_parameters.at("version"), "1");
  // By timestamp: version 2's commit time.
  auto at2 = t->RestoreToTimestamp((*t->GetSnapshot(2))->timestamp_ms() * 1000);
  ASSERT_TRUE(at2.ok()) << at2.status().ToString();
  EXPECT_DOUBLE_EQ(SumV(t.get(), *t->GetSnapshot()), SumV(t.get(), *t->GetSnapshot(2)));
  EXPECT_TRUE(t->RestoreToVersion(99).status().IsNotFound());
}

TEST_F(MaintenanceTest, RestoreToAVersionWhoseFilesWereVacuumedIsNotFound) {
  auto t = Create();
  Append(t.get(), MetricChunk(T0(), 10));
  {
    auto txn = std::move(t->NewTransaction()).value();
    ASSERT_TRUE(txn->RemoveFile(txn->read_snapshot().files()[0]).ok());
    ASSERT_TRUE(txn->Commit("DELETE").ok());
  }
  env_->Advance(24 * kHour);
  ASSERT_EQ(t->Vacuum(testing::VacuumWith(0, false, true))->files.size(), 1u);
  auto r = t->RestoreToVersion(1);
  EXPECT_TRUE(r.status().IsNotFound());
  EXPECT_NE(r.status().message().find("VACUUM"), std::string::npos) << r.status().ToString();
}

TEST_F(MaintenanceTest, ReadingAVersionWhoseFilesWereVacuumedSaysSo) {
  auto t = Create();
  Append(t.get(), MetricChunk(T0(), 10));  // 1
  {
    auto txn = std::move(t->NewTransaction()).value();
    ASSERT_TRUE(txn->RemoveFile(txn->read_snapshot().files()[0]).ok());
    ASSERT_TRUE(txn->Commit("DELETE").ok());  // 2
  }
  Append(t.get(), MetricChunk(T0(), 5, 50));  // 3
  env_->Advance(24 * kHour);
  auto vac = t->Vacuum(testing::VacuumWith(0, false, true));
  ASSERT_TRUE(vac.ok()) << vac.status().ToString();
  ASSERT_EQ(vac->files.size(), 1u);
  auto scan = t->NewScan(*t->GetSnapshot(1), ScanOptions{{2}, {}});
  ASSERT_TRUE(scan.ok());
  DataChunk c;
  Result<bool> r = (*scan)->Next(&c);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound()) << r.status().ToString();
  const std::string& msg = r.status().message();
  EXPECT_NE(msg.find(vac->files[0]), std::string::npos) << msg;  // names the file
  EXPECT_NE(msg.find("version 1"), std::string::npos) << msg;    // and the version
  EXPECT_NE(msg.find("VACUUM"), std::string::npos) << msg;
  EXPECT_NE(msg.find("newer version"), std::string::npos) << msg;
  EXPECT_EQ(SumV(t.get(), *t->GetSnapshot()), SumV(t.get(), *t->GetSnapshot(3)));
}

// A log path that reaches a file through a symbolic link (the file or a
// partition directory) is refused as corruption: it could lead outside
// the table directory.
TEST(TableSymlinkTest, DataFilesThroughSymlinksAreCorruption) {
  testing::TempDir tmp;
  Env* env = Env::Default();
  std::string dir = tmp.path() + "/m";
  auto t = Table::Create(env, nullptr, dir, "m", MetricSchema(), {{"partition_by", "day(ts)"}});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  {
    auto w = (*t)->NewWriter();
    ASSERT_TRUE(w->Append(MetricChunk(*ParseTimestamp("2024-01-01"), 10)).ok());
    ASSERT_TRUE(w->Commit("WRITE").ok());
  }
  auto snap = *(*t)->GetSnapshot();
  ASSERT_EQ(snap->files().size(), 1u);
  const std::string rel = snap->files()[0].path;
  ASSERT_NE(rel.find('/'), std::string::npos) << rel;  // in a partition directory
  namespace fs = std::filesystem;
  const fs::path file = fs::path(dir) / rel;
  const fs::path part = file.parent_path();
  const fs::path outside = fs::path(tmp.path()) / "elsewhere";
  auto expect_refused = [&](const char* what) {
    auto scan = (*t)->NewScan(snap, ScanOptions{{2}, {}});
    ASSERT_TRUE(scan.ok());
    DataChunk c;
    Result<bool> r = (*scan)->Next(&c);
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_TRUE(r.status().IsCorruption()) << what << ": " << r.status().ToString();
    EXPECT_NE(r.status().message().find("symbolic link"), std::string::npos) << what;
  };
  // 1. The segment file is a link to a copy outside the table.
  fs::create_directories(outside);
  fs::copy_file(file, outside / "seg.tsl");
  fs::rename(file, outside / "orig.tsl");
  fs::create_symlink(outside / "seg.tsl", file);
  expect_refused("file link");
  fs::remove(file);
  fs::rename(outside / "orig.tsl", file);
  {
    auto scan = (*t)->NewScan(snap, ScanOptions{{2}, {}});
    ASSERT_TRUE(scan.ok());
    DataChunk c;
    Result<bool> r = (*scan)->Next(&c);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  // 2. The partition directory is a link to a directory outside.
  fs::rename(part, outside / "part");
  fs::create_directory_symlink(outside / "part", part);
  expect_refused("directory link");
}

TEST_F(MaintenanceTest, UnknownPropertiesAreRefusedNamingTheKnownOnes) {
  auto bad = Table::Create(env_.get(), nullptr, "/db/x", "x", MetricSchema(),
                           {{"retension", "90 days"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("\"retension\""), std::string::npos);
  EXPECT_NE(bad.status().message().find("log_retention"), std::string::npos);
  EXPECT_FALSE(env_->FileExists("/db/x/_log/00000000000000000000.json"));
  auto t = Create({{"delta.appendOnly", "false"}});  // Delta's pass through
  auto r = t->SetProperties({{"compresion", std::string("lz4")}});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().ToString();
  EXPECT_EQ(*t->LatestVersion(), 0);
  ASSERT_TRUE(t->SetProperties({{"compression", std::string("lz4")}}).ok());
}

// CREATE TABLE AS SELECT's table: version 0 is the first commit, carrying
// protocol, metaData and the adds together.
TEST_F(MaintenanceTest, PendingTableCommitsMetadataAndAddsAsVersionZero) {
  auto t = Table::CreatePending(env_.get(), nullptr, "/db/m", "m", MetricSchema(), {});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*(*t)->LatestVersion(), -1);
  EXPECT_FALSE(Table::Open(env_.get(), nullptr, "/db/m", "m").ok());  // not visible yet
  auto w = (*t)->NewWriter();
  ASSERT_TRUE(w->Append(MetricChunk(T0(), 10)).ok());
  auto r = w->Commit("CREATE TABLE AS SELECT");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->version, 0);
  auto reopened = Table::Open(env_.get(), nullptr, "/db/m", "m");
  ASSERT_TRUE(reopened.ok());
  auto snap = (*reopened)->GetSnapshot();
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ((*snap)->version(), 0);
  EXPECT_EQ((*snap)->total_rows(), 10);
  EXPECT_EQ((*snap)->schema(), MetricSchema());
  auto history = *(*reopened)->History();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].second.operation, "CREATE TABLE AS SELECT");
}

TEST_F(MaintenanceTest, RetentionDropsWholeExpiredPartitionsOnWrite) {
  auto t = Create({{"partition_by", "day(ts)"}, {"retention", "3 days"}});
  const int64_t now = env_->NowMicros();
  const int64_t today = now - now % kMicrosPerDay;
  for (int d = 6; d >= 0; --d) Append(t.get(), MetricChunk(today - d * kMicrosPerDay, 10));
  auto snap = *t->GetSnapshot();
  std::set<std::string> days;
  for (const AddAction& f : snap->files()) days.insert(f.partition_values.at("ts_day"));
  // Days whose rows are all older than now - 3 days are gone (the rows of
  // the day 3 days ago lie in its first seconds, before the cutoff).
  EXPECT_EQ(days.size(), 3u) << ::testing::PrintToString(days);
  EXPECT_EQ(snap->total_rows(), 30);
  bool saw_retention = false;
  auto history = *t->History();
  for (const auto& [v, info] : history)
    saw_retention = saw_retention || (info.operation == "DELETE" &&
                                      info.operation_parameters.at("predicate").find("retention") !=
                                          std::string::npos);
  EXPECT_TRUE(saw_retention);
}

// Issue 21: the retention horizon (the txn action materialized views read)
// follows the cutoff as the fake clock moves, and rewrite_straddling
// (VACUUM's retention) keeps the live rows of a file that straddles it.
TEST_F(MaintenanceTest, RetentionRecordsItsHorizonAndRewritesStraddlingFiles) {
  auto t = Create({{"retention", "1 hour"}});
  const int64_t now = env_->NowMicros();
  // 10 rows two hours old (expired), then one file of 3 expired rows and
  // 3 live ones (now - 1 h -/+ 10, 20, 30 minutes).
  Append(t.get(), MetricChunk(now - 2 * kHour, 10, 0));
  EXPECT_EQ((*t->GetSnapshot())->total_rows(), 0);
  auto first = *t->GetSnapshot();
  ASSERT_EQ(first->app_versions().count(kRetentionHorizonApp), 1u);
  const int64_t horizon = first->app_versions().at(kRetentionHorizonApp);
  EXPECT_GE(horizon, now - kHour);
  DataChunk straddling;
  straddling.Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble});
  for (int i = 0; i < 6; ++i) {
    const int64_t minutes = i < 3 ? -30 + 10 * i : 10 * (i - 2);
    straddling.columns[0].AppendInt(now - kHour + minutes * 60000000);
    straddling.columns[1].AppendString("t");
    straddling.columns[2].AppendDouble(100 + i);
  }
  Append(t.get(), straddling);
  EXPECT_EQ((*t->GetSnapshot())->total_rows(), 6);  // a whole-file policy keeps it

  RetentionOptions options;
  options.rewrite_straddling = true;
  auto r = t->ApplyRetention(options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto snap = *t->GetSnapshot();
  EXPECT_EQ(snap->total_rows(), 3);
  EXPECT_DOUBLE_EQ(SumV(t.get(), snap), 103 + 104 + 105);
  EXPECT_GT(snap->app_versions().at(kRetentionHorizonApp), horizon);
  // Time travel still reads the rewritten rows.
  EXPECT_DOUBLE_EQ(SumV(t.get(), *t->GetSnapshot(snap->version() - 1)),
                   100 + 101 + 102 + 103 + 104 + 105);
  // Nothing more expired: no commit.
  auto none = t->ApplyRetention(options);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ((*t->GetSnapshot())->version(), snap->version());
}

TEST_F(MaintenanceTest, AddColumnReadsOldSegmentsAsNull) {
  auto t = Create();
  Append(t.get(), MetricChunk(T0(), 3));
  ASSERT_TRUE(t->AddColumn(Field{"quality", TypeId::kBigint}).ok());
  EXPECT_EQ(t->AddColumn(Field{"QUALITY", TypeId::kBigint}).status().code(),
            StatusCode::kInvalidArgument);
  DataChunk c = MetricChunk(T0(), 2);
  c.columns.emplace_back(TypeId::kBigint);
  c.columns[3].AppendInt(192);
  c.columns[3].AppendInt(0);
  Append(t.get(), c);
  auto scan = t->NewScan(*t->GetSnapshot(), ScanOptions{{3}, {}});
  DataChunk all = ReadAll(scan->get());
  ASSERT_EQ(all.size(), 5u);
  int nulls = 0;
  for (size_t i = 0; i < 5; ++i) nulls += all.columns[0].IsNull(i);
  EXPECT_EQ(nulls, 3);
  // Writes that do not fit the new schema fail and commit nothing.
  auto w = t->NewWriter();
  EXPECT_EQ(w->Append(MetricChunk(T0(), 1)).code(), StatusCode::kInvalidArgument);
}

TEST_F(MaintenanceTest, RenamedColumnStillMapsOldSegmentsAndPrunes) {
  auto t = Create();
  Append(t.get(), MetricChunk(T0(), 10));             // v = 0..9
  ASSERT_TRUE(t->RenameColumn("v", "value").ok());
  Append(t.get(), MetricChunk(T0(), 10, 1000));       // v = 1000..1009
  ASSERT_TRUE(t->AddColumn(Field{"v", TypeId::kDouble}).ok());  // reuses the old name
  for (auto table : {t, *Table::Open(env_.get(), nullptr, "/db/m", "m")}) {
    auto snap = *table->GetSnapshot();
    EXPECT_EQ(snap->schema().fields[2].name, "value");
    EXPECT_EQ(snap->physical_schema().fields[2].name, "v");
    EXPECT_NE(snap->physical_schema().fields[3].name, "v");
    ScanMetrics m;
    auto scan = table->NewScan(
        snap, ScanOptions{{2, 3}, {ScanRange{2, Value::Double(1000), Value()}}}, &m);
    DataChunk rows = ReadAll(scan->get());
    EXPECT_EQ(rows.size(), 10u);
    EXPECT_EQ(m.segments_skipped, 1);
    for (size_t i = 0; i < rows.size(); ++i) {
      EXPECT_GE(rows.columns[0].doubles[i], 1000);
      EXPECT_TRUE(rows.columns[1].IsNull(i));  // the new "v" never sees old data
    }
  }
  EXPECT_TRUE(t->RenameColumn("nope", "x").status().IsNotFound());
  EXPECT_EQ(t->RenameColumn("value", "tag").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(MaintenanceTest, PartitionColumnCannotBeRenamedNorRepartitioned) {
  auto t = Create({{"partition_by", "day(ts)"}});
  EXPECT_EQ(t->RenameColumn("ts", "time").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(t->SetProperties({{"partition_by", "month(ts)"}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(t->SetProperties({{"retention", "soon"}}).status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(t->SetProperties({{"retention", "90 days"}}).ok());
  EXPECT_EQ((*t->GetSnapshot())->metadata().configuration.at("retention"), "90 days");
  ASSERT_TRUE(t->SetProperties({{"retention", std::nullopt}}).ok());
  EXPECT_FALSE((*t->GetSnapshot())->metadata().configuration.count("retention"));
}

}  // namespace
}  // namespace tsl
