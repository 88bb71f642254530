// Table, TableWriter and TableScan: versions, time travel, concurrent blind
// appends, conflicts, projection and zone-map pruning.
#include "storage/table.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "formats/timestamp.h"
#include "storage/transaction_log.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

using testing::MetricChunk;
using testing::MetricSchema;

const int64_t kDay = kMicrosPerDay;
int64_t T0() { return *ParseTimestamp("2024-01-01"); }

class TableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = NewMemEnv();
    ASSERT_TRUE(env_->CreateDirIfMissing("/db").ok());
    auto t = Table::Create(env_.get(), nullptr, "/db/m", "m", MetricSchema(), {});
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    table_ = *t;
  }

  CommitResult Append(const DataChunk& chunk, std::shared_ptr<Table> table = nullptr) {
    if (!table) table = table_;
    auto w = table->NewWriter();
    EXPECT_TRUE(w->Append(chunk).ok());
    auto r = w->Commit("WRITE");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : CommitResult{};
  }

  // All rows of `snap` (projected columns) as one chunk.
  DataChunk ScanAll(std::shared_ptr<const Snapshot> snap, ScanOptions opts = {},
                    ScanMetrics* metrics = nullptr) {
    auto scan = table_->NewScan(snap, opts, metrics);
    EXPECT_TRUE(scan.ok()) << scan.status().ToString();
    DataChunk all, chunk;
    all.columns.resize((*scan)->schema().size());
    for (size_t i = 0; i < all.columns.size(); ++i)
      all.columns[i].type = (*scan)->schema().fields[i].type;
    while (true) {
      auto more = (*scan)->Next(&chunk);
      EXPECT_TRUE(more.ok()) << more.status().ToString();
      if (!more.ok() || !*more) break;
      EXPECT_LE(chunk.size(), kVectorSize);
      EXPECT_GT(chunk.size(), 0u);
      for (size_t i = 0; i < all.columns.size(); ++i)
        all.columns[i].AppendRange(chunk.columns[i], 0, chunk.size());
    }
    return all;
  }

  std::unique_ptr<Env> env_;
  std::shared_ptr<Table> table_;
};

TEST_F(TableTest, CreateCommitsVersionZeroAndRefusesASecondCreate) {
  EXPECT_EQ(*table_->LatestVersion(), 0);
  auto snap = table_->GetSnapshot();
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ((*snap)->schema(), MetricSchema());
  EXPECT_EQ((*snap)->metadata().name, "m");
  EXPECT_TRUE((*snap)->files().empty());
  auto again = Table::Create(env_.get(), nullptr, "/db/m", "m", MetricSchema(), {});
  EXPECT_TRUE(again.status().IsAlreadyExists()) << again.status().ToString();
  auto history = table_->History();
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->at(0).second.operation, "CREATE TABLE");
}

TEST_F(TableTest, CreateRejectsBadSchemas) {
  Schema dup{{{"a", TypeId::kBigint}, {"A", TypeId::kDouble}}};
  EXPECT_EQ(Table::Create(env_.get(), nullptr, "/db/x", "x", dup, {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Table::Create(env_.get(), nullptr, "/db/y", "y", Schema{}, {}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(TableTest, WrittenRowsReadBackInChunksOfAtMostVectorSize) {
  CommitResult r = Append(MetricChunk(T0(), 5000));
  EXPECT_EQ(r.version, 1);
  EXPECT_EQ(r.rows_added, 5000);
  EXPECT_EQ(r.files_added, 1);
  DataChunk all = ScanAll(*table_->GetSnapshot());
  ASSERT_EQ(all.size(), 5000u);
  // Every row comes back once, intact, in the segment's (tag, ts) order.
  std::vector<bool> seen(5000, false);
  for (size_t i = 0; i < 5000; ++i) {
    int64_t v = static_cast<int64_t>(all.columns[2].doubles[i]);
    ASSERT_TRUE(v >= 0 && v < 5000 && !seen[static_cast<size_t>(v)]) << v;
    seen[static_cast<size_t>(v)] = true;
    EXPECT_EQ(all.columns[0].ints[i], T0() + v * kMicrosPerSecond);
    EXPECT_EQ(all.columns[1].strings[i], "t" + std::to_string(v % 3));
    if (i > 0) {
      const std::string& prev_tag = all.columns[1].strings[i - 1];
      EXPECT_TRUE(prev_tag < all.columns[1].strings[i] ||
                  (prev_tag == all.columns[1].strings[i] &&
                   all.columns[0].ints[i - 1] < all.columns[0].ints[i]))
          << "row " << i << " is out of (tag, ts) order";
    }
  }
  auto history = table_->History();
  ASSERT_TRUE(history.ok());
  const CommitInfoAction& info = history->at(0).second;
  EXPECT_EQ(info.operation, "WRITE");
  EXPECT_TRUE(info.is_blind_append);
  EXPECT_EQ(info.read_version, 0);
  EXPECT_EQ(info.operation_metrics.at("numOutputRows"), "5000");
  EXPECT_EQ(info.operation_metrics.at("numFiles"), "1");
}

TEST_F(TableTest, NullsAndEmptyStringsReadBackDistinct) {
  DataChunk c;
  c.Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble});
  c.columns[0].AppendInt(T0());
  c.columns[1].AppendNull();
  c.columns[2].AppendNull();
  c.columns[0].AppendNull();
  c.columns[1].AppendString("");
  c.columns[2].AppendDouble(1.5);
  Append(c);
  auto snap = *table_->GetSnapshot();
  EXPECT_EQ(snap->files()[0].stats.null_count.at("tag"), 1);
  DataChunk rows = ScanAll(snap);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_FALSE(rows.columns[0].IsNull(0));
  EXPECT_TRUE(rows.columns[1].IsNull(0));
  EXPECT_TRUE(rows.columns[2].IsNull(0));
  EXPECT_TRUE(rows.columns[0].IsNull(1));
  EXPECT_FALSE(rows.columns[1].IsNull(1));
  EXPECT_EQ(rows.columns[1].strings[1], "");
  EXPECT_EQ(rows.columns[2].doubles[1], 1.5);
}

TEST_F(TableTest, EmptyWriteStillCommitsAVersion) {
  auto w = table_->NewWriter();
  auto r = w->Commit("WRITE");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->rows_added, 0);
}

TEST_F(TableTest, AppendWithWrongTypesIsInvalidArgument) {
  DataChunk c;
  c.Initialize({TypeId::kBigint, TypeId::kVarchar, TypeId::kDouble});
  auto w = table_->NewWriter();
  Status st = w->Append(c);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("\"ts\""), std::string::npos) << st.ToString();
}

TEST_F(TableTest, AbortRemovesWrittenSegments) {
  {
    auto w = table_->NewWriter();
    ASSERT_TRUE(w->Append(MetricChunk(T0(), 10)).ok());
    w->Abort();
    ASSERT_TRUE(w->Commit("WRITE").ok());
  }
  auto kids = env_->GetChildren("/db/m");
  ASSERT_TRUE(kids.ok());
  EXPECT_EQ(kids->size(), 1u);  // only _log
}

TEST_F(TableTest, ReplayReturnsEachVersion) {
  Append(MetricChunk(T0(), 10));
  Append(MetricChunk(T0(), 20));
  Append(MetricChunk(T0(), 30));
  const int64_t expected[] = {0, 10, 30, 60};
  for (int64_t v = 0; v <= 3; ++v) {
    auto snap = table_->GetSnapshot(v);
    ASSERT_TRUE(snap.ok()) << snap.status().ToString();
    EXPECT_EQ((*snap)->version(), v);
    EXPECT_EQ((*snap)->total_rows(), expected[v]);
    EXPECT_EQ((*snap)->files().size(), static_cast<size_t>(v));
  }
  // A fresh handle replays the same state from the log alone.
  auto reopened = Table::Open(env_.get(), nullptr, "/db/m", "m");
  ASSERT_TRUE(reopened.ok());
  auto snap = (*reopened)->GetSnapshot();
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ((*snap)->version(), 3);
  EXPECT_EQ((*snap)->total_rows(), 60);
  EXPECT_EQ((*snap)->files().size(), (*table_->GetSnapshot())->files().size());
}

TEST_F(TableTest, CachedSnapshotSeesCommitsFromAnotherHandle) {
  auto other = *Table::Open(env_.get(), nullptr, "/db/m", "m");
  EXPECT_EQ((*table_->GetSnapshot())->version(), 0);
  Append(MetricChunk(T0(), 5), other);
  auto snap = table_->GetSnapshot();
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ((*snap)->version(), 1);
  EXPECT_EQ((*snap)->total_rows(), 5);
}

TEST_F(TableTest, VersionAsOfReturnsOldSnapshot) {
  Append(MetricChunk(T0(), 10, 0));
  Append(MetricChunk(T0(), 10, 100));
  auto v1 = table_->GetSnapshot(1);
  ASSERT_TRUE(v1.ok());
  DataChunk rows = ScanAll(*v1);
  ASSERT_EQ(rows.size(), 10u);
  for (size_t i = 0; i < rows.size(); ++i) EXPECT_LT(rows.columns[2].doubles[i], 100);
  auto missing = table_->GetSnapshot(7);
  ASSERT_TRUE(missing.status().IsNotFound());
  EXPECT_NE(missing.status().message().find("versions 0 to 2"), std::string::npos)
      << missing.status().ToString();
}

TEST_F(TableTest, OldSnapshotsAreCorrectInAnyRequestOrder) {
  for (int i = 1; i <= 12; ++i) Append(MetricChunk(T0(), i));
  // Out of order, repeated, and more versions than the old-snapshot cache holds.
  for (int64_t v : {5, 3, 5, 11, 0, 7, 6, 2, 9, 10, 1, 4, 8, 3, 12, 5}) {
    auto snap = table_->GetSnapshot(v);
    ASSERT_TRUE(snap.ok()) << snap.status().ToString();
    EXPECT_EQ((*snap)->version(), v);
    EXPECT_EQ((*snap)->total_rows(), v * (v + 1) / 2) << v;
    EXPECT_EQ((*snap)->files().size(), static_cast<size_t>(v));
  }
}

TEST_F(TableTest, TimestampAsOf) {
  Append(MetricChunk(T0(), 1));
  Append(MetricChunk(T0(), 2));
  auto history = *table_->History();  // newest first
  ASSERT_EQ(history.size(), 3u);
  int64_t ts0 = history[2].second.timestamp, ts1 = history[1].second.timestamp,
          ts2 = history[0].second.timestamp;
  EXPECT_LT(ts0, ts1);  // commit timestamps strictly increase
  EXPECT_LT(ts1, ts2);
  EXPECT_EQ((*table_->GetSnapshotAsOf(ts1 * 1000))->version(), 1);
  EXPECT_EQ((*table_->GetSnapshotAsOf(ts2 * 1000 - 1))->version(), 1);
  EXPECT_EQ((*table_->GetSnapshotAsOf(ts0 * 1000))->version(), 0);
  EXPECT_EQ((*table_->GetSnapshotAsOf(ts2 * 1000 + 5 * kMicrosPerSecond))->version(), 2);
  auto before = table_->GetSnapshotAsOf(ts0 * 1000 - 1);
  EXPECT_TRUE(before.status().IsNotFound()) << before.status().ToString();
}

TEST_F(TableTest, ConcurrentBlindAppendsRetryAndAllLand) {
  testing::TempDir dir;
  auto table = Table::Create(Env::Default(), nullptr, dir.path() + "/m", "m", MetricSchema(), {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  constexpr int kThreads = 8, kCommitsPerThread = 5, kRows = 7;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int c = 0; c < kCommitsPerThread; ++c) {
        auto w = (*table)->NewWriter();
        double base = (t * kCommitsPerThread + c) * 1000.0;
        if (!w->Append(MetricChunk(T0(), kRows, base)).ok()) ++failures;
        auto r = w->Commit("WRITE");
        if (!r.ok()) {
          ADD_FAILURE() << r.status().ToString();
          ++failures;
        }
      }
    });
  for (auto& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0);
  auto snap = (*table)->GetSnapshot();
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ((*snap)->version(), kThreads * kCommitsPerThread);
  auto scan = (*table)->NewScan(*snap, ScanOptions{{2}, {}});
  ASSERT_TRUE(scan.ok());
  std::multiset<double> seen;
  DataChunk chunk;
  while (*(*scan)->Next(&chunk))
    for (double d : chunk.columns[0].doubles) seen.insert(d);
  ASSERT_EQ(seen.size(), static_cast<size_t>(kThreads * kCommitsPerThread * kRows));
  for (int i = 0; i < kThreads * kCommitsPerThread; ++i)
    for (int r = 0; r < kRows; ++r) EXPECT_EQ(seen.count(i * 1000.0 + r), 1u);
}

TEST_F(TableTest, DeleteRetriesCleanlyOverAConcurrentAppend) {
  Append(MetricChunk(T0(), 3));
  auto snap = *table_->GetSnapshot();  // reads version 1
  Append(MetricChunk(T0(), 3));        // someone else commits version 2
  CommitInfoAction info;
  info.operation = "DELETE";
  auto r = table_->CommitActions(snap->version(),
                                 {RemoveAction{snap->files()[0].path, 0, true}}, info);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->version, 3);
  EXPECT_EQ((*table_->GetSnapshot())->total_rows(), 3);  // the append's rows survive
}

TEST_F(TableTest, RemoveOfAFileAWinnerRemovedIsConflictNamingTheWinner) {
  Append(MetricChunk(T0(), 3));
  auto snap = *table_->GetSnapshot();  // reads version 1
  CommitInfoAction first;
  first.operation = "OPTIMIZE";
  ASSERT_TRUE(table_->CommitActions(snap->version(),
                                    {RemoveAction{snap->files()[0].path, 0, false}}, first)
                  .ok());
  CommitInfoAction info;
  info.operation = "DELETE";
  auto r = table_->CommitActions(snap->version(),
                                 {RemoveAction{snap->files()[0].path, 0, true}}, info);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsConflict());
  EXPECT_NE(r.status().message().find("OPTIMIZE"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find("version 2"), std::string::npos);
  EXPECT_EQ(*table_->LatestVersion(), 2);
}

TEST_F(TableTest, ScanProjectsRequestedColumnsInOrder) {
  Append(MetricChunk(T0(), 4));
  DataChunk rows = ScanAll(*table_->GetSnapshot(), ScanOptions{{2, 0}, {}});
  ASSERT_EQ(rows.column_count(), 2u);
  EXPECT_EQ(rows.columns[0].type, TypeId::kDouble);
  EXPECT_EQ(rows.columns[1].type, TypeId::kTimestamp);
  EXPECT_EQ(rows.size(), 4u);
  EXPECT_EQ(table_->NewScan(*table_->GetSnapshot(), ScanOptions{{5}, {}}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(TableTest, ScanPrunesSegmentsByZoneMap) {
  for (int day = 0; day < 4; ++day) Append(MetricChunk(T0() + day * kDay, 100, day * 1000.0));
  auto snap = *table_->GetSnapshot();

  ScanMetrics m;
  ScanRange day2{0, Value::Timestamp(T0() + 2 * kDay), Value::Timestamp(T0() + 2 * kDay + 10)};
  DataChunk rows = ScanAll(snap, ScanOptions{{}, {day2}}, &m);
  EXPECT_EQ(m.segments_total, 4);
  EXPECT_EQ(m.segments_scanned, 1);
  EXPECT_EQ(m.segments_skipped, 3);
  EXPECT_EQ(rows.size(), 100u);  // pruning is by segment; the executor filters rows
  EXPECT_EQ(m.rows_produced, 100);
  EXPECT_GT(m.bytes_read, 0);

  // A VARCHAR bound is cast to the column type; an open bound prunes one side.
  ScanMetrics m2;
  ScanRange from_day3{0, Value::Varchar("2024-01-04 00:00:00"), Value()};
  ScanAll(snap, ScanOptions{{0}, {from_day3}}, &m2);
  EXPECT_EQ(m2.segments_scanned, 1);

  // Ranges on a DOUBLE column with an integer bound, ANDed with the time range.
  ScanMetrics m3;
  ScanAll(snap, ScanOptions{{2}, {ScanRange{2, Value::Bigint(1000), Value::Bigint(2050)}}}, &m3);
  EXPECT_EQ(m3.segments_scanned, 2);
  ScanMetrics m4;
  ScanAll(snap, ScanOptions{{2}, {ScanRange{2, Value::Bigint(1000), Value::Bigint(2050)}, day2}},
          &m4);
  EXPECT_EQ(m4.segments_scanned, 1);

  // Nothing matches: every segment skipped, no rows, no error.
  ScanMetrics m5;
  rows = ScanAll(snap, ScanOptions{{}, {ScanRange{2, Value::Double(1e9), Value()}}}, &m5);
  EXPECT_EQ(rows.size(), 0u);
  EXPECT_EQ(m5.segments_skipped, 4);
}

TEST_F(TableTest, DamagedSegmentIsCorruptionNotData) {
  Append(MetricChunk(T0(), 50));
  auto snap = *table_->GetSnapshot();
  std::string path = JoinPath("/db/m", snap->files()[0].path);
  std::string bytes = *env_->ReadFileToString(path);
  ASSERT_TRUE(WriteFileSync(env_.get(), path, bytes.substr(0, bytes.size() / 2)).ok());
  auto scan = table_->NewScan(snap, {});
  ASSERT_TRUE(scan.ok());
  DataChunk chunk;
  auto r = (*scan)->Next(&chunk);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCorruption()) << r.status().ToString();
}

TEST_F(TableTest, MissingSegmentFileIsAnErrorNamingIt) {
  Append(MetricChunk(T0(), 5));
  auto snap = *table_->GetSnapshot();
  std::string path = JoinPath("/db/m", snap->files()[0].path);
  ASSERT_TRUE(env_->RemoveFile(path).ok());
  auto scan = table_->NewScan(snap, {});
  DataChunk chunk;
  auto r = (*scan)->Next(&chunk);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(path), std::string::npos) << r.status().ToString();
}

}  // namespace
}  // namespace tsl

namespace tsl {
namespace {

// Issue 15 item 1: a table whose log already holds statistics an older
// build wrote for an out-of-range TIMESTAMP (here INT64_MAX's text, which no
// longer parses) opens, scans every row and only loses pruning on ts.
TEST_F(TableTest, UnparsableStatsFromAnOlderBuildLeaveTheTableReadable) {
  Append(MetricChunk(T0(), 5));
  const std::string path = "/db/m/_log/00000000000000000001.json";
  std::string bytes = *env_->ReadFileToString(path);
  const std::string body = bytes.substr(0, bytes.rfind("{\"checksum\""));
  std::string edited = body;
  const std::string iso = FormatTimestampIso(T0());
  const size_t at = edited.find(iso);
  ASSERT_NE(at, std::string::npos) << edited;
  edited.replace(at, iso.size(), "294247-01-10T04:00:54.775807Z");
  ASSERT_TRUE(WriteFileSync(env_.get(), path, TransactionLog::AppendChecksumLine(edited)).ok());

  auto reopened = Table::Open(env_.get(), nullptr, "/db/m", "m");
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto snap = (*reopened)->GetSnapshot();
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  ASSERT_EQ((*snap)->files().size(), 1u);
  EXPECT_EQ((*snap)->files()[0].stats.min_values.count("ts"), 0u);
  EXPECT_EQ((*snap)->files()[0].stats.min_values.count("v"), 1u);
  // A ts range can no longer skip the file, and every row still reads back.
  table_ = *reopened;
  DataChunk rows = ScanAll(*snap, ScanOptions{{}, {ScanRange{0, Value::Timestamp(T0()), Value()}}});
  EXPECT_EQ(rows.size(), 5u);
}

}  // namespace
}  // namespace tsl
