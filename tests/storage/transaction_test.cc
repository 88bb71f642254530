// Transactions: partitioned and sorted writes, conflict rules between
// DELETE, OPTIMIZE and appends, idempotent txn versions, bad properties.
#include <gtest/gtest.h>

#include <set>

#include "formats/timestamp.h"
#include "storage/table.h"
#include "storage/table_properties.h"
#include "storage/transaction.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

using testing::MetricChunk;
using testing::MetricSchema;
using testing::ReadAll;

int64_t T0() { return *ParseTimestamp("2024-01-01"); }

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = NewMemEnv();
    ASSERT_TRUE(env_->CreateDirIfMissing("/db").ok());
  }
  std::shared_ptr<Table> Create(std::map<std::string, std::string> props) {
    auto t = Table::Create(env_.get(), nullptr, "/db/m", "m", MetricSchema(), std::move(props));
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? *t : nullptr;
  }
  void Append(Table* t, const DataChunk& c) {
    auto w = t->NewWriter();
    ASSERT_TRUE(w->Append(c).ok());
    auto r = w->Commit("WRITE");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  std::unique_ptr<Env> env_;
};

TEST_F(TransactionTest, PartitionedWritesGoToHiveStyleDirectoriesSortedByTagAndTime) {
  auto t = Create({{"partition_by", "DAY(ts)"}});
  // 3 days of rows, 1 minute apart, tags interleaved.
  Append(t.get(), [] {
    DataChunk c = MetricChunk(T0(), 0);
    for (int i = 0; i < 3 * 1440; ++i) {
      c.columns[0].AppendInt(T0() + int64_t{i} * 60 * kMicrosPerSecond);
      c.columns[1].AppendString("t" + std::to_string((i * 7) % 5));
      c.columns[2].AppendDouble(i);
    }
    return c;
  }());
  auto snap = *t->GetSnapshot();
  EXPECT_EQ(snap->metadata().partition_columns, std::vector<std::string>{"ts_day"});
  EXPECT_EQ(snap->metadata().configuration.at("partition_by"), "day(ts)");
  ASSERT_EQ(snap->files().size(), 3u);
  std::set<std::string> days;
  for (const AddAction& f : snap->files()) {
    const std::string& day = f.partition_values.at("ts_day");
    days.insert(day);
    EXPECT_EQ(f.path.rfind("ts_day=" + day + "/", 0), 0u) << f.path;
    EXPECT_TRUE(env_->FileExists("/db/m/" + f.path));
    EXPECT_EQ(f.stats.num_records, 1440);
    // Each segment is sorted by (tag, ts).
    ScanOptions one;
    one.only_files = {f.path};
    auto scan = t->NewScan(snap, one);
    ASSERT_TRUE(scan.ok());
    DataChunk rows = ReadAll(scan->get());
    for (size_t i = 1; i < rows.size(); ++i) {
      const auto& tag = rows.columns[1].strings;
      const auto& ts = rows.columns[0].ints;
      ASSERT_TRUE(tag[i - 1] < tag[i] || (tag[i - 1] == tag[i] && ts[i - 1] < ts[i])) << i;
    }
  }
  EXPECT_EQ(days, (std::set<std::string>{"2024-01-01", "2024-01-02", "2024-01-03"}));
}

TEST_F(TransactionTest, SegmentsAreCutAtTheTargetRowCount) {
  auto t = Create({{"target_segment_rows", "1000"}});
  Append(t.get(), MetricChunk(T0(), 3500));
  auto snap = *t->GetSnapshot();
  ASSERT_EQ(snap->files().size(), 4u);
  int64_t total = 0;
  for (const AddAction& f : snap->files()) {
    EXPECT_LE(f.stats.num_records, 1000);
    total += f.stats.num_records;
  }
  EXPECT_EQ(total, 3500);
}

TEST_F(TransactionTest, BadPropertiesAreRefusedAtCreateNamingTheProperty) {
  for (auto [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"partition_by", "week(ts)"},
           {"partition_by", "day(v)"},
           {"partition_by", "day(nope)"},
           {"retention", "ninety days"},
           {"target_segment_rows", "-5"},
           {"compression", "brotli"},
           {"sort_key", "tag,nope"}}) {
    auto t = Table::Create(env_.get(), nullptr, "/db/bad", "bad", MetricSchema(), {{key, value}});
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << key << "=" << value;
    EXPECT_NE(t.status().message().find(key), std::string::npos) << t.status().ToString();
    EXPECT_FALSE(env_->FileExists("/db/bad/_log/00000000000000000000.json"));
  }
}

TEST_F(TransactionTest, ConcurrentDeleteAndOptimizeOfTheSameSegmentsOneWinsOneConflicts) {
  for (bool delete_first : {true, false}) {
    std::string dir = "/db/x" + std::to_string(delete_first);
    auto table = Table::Create(env_.get(), nullptr, dir, "x", MetricSchema(), {});
    ASSERT_TRUE(table.ok());
    for (int i = 0; i < 3; ++i) Append(table->get(), MetricChunk(T0() + i * 1000000000LL, 10));
    // Both read version 3 (three small files).
    auto del = (*table)->NewTransaction();
    auto opt_read = (*table)->NewTransaction();
    ASSERT_TRUE(del.ok() && opt_read.ok());
    // DELETE: removes the first file outright (its zone map matched).
    ASSERT_TRUE((*del)->RemoveFile((*del)->read_snapshot().files()[0]).ok());
    // OPTIMIZE-shaped: compacts all three into one, dataChange=false.
    (*opt_read)->SetDataChange(false);
    for (const AddAction& f : (*opt_read)->read_snapshot().files())
      ASSERT_TRUE((*opt_read)->RemoveFile(f).ok());
    ASSERT_TRUE((*opt_read)->AddRows(MetricChunk(T0(), 30)).ok());
    Result<CommitResult> first = delete_first ? (*del)->Commit("DELETE")
                                              : (*opt_read)->Commit("OPTIMIZE");
    Result<CommitResult> second = delete_first ? (*opt_read)->Commit("OPTIMIZE")
                                               : (*del)->Commit("DELETE");
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    ASSERT_FALSE(second.ok());
    EXPECT_TRUE(second.status().IsConflict());
    EXPECT_NE(second.status().message().find(delete_first ? "DELETE" : "OPTIMIZE"),
              std::string::npos)
        << second.status().ToString();
    EXPECT_NE(second.status().message().find("version 4"), std::string::npos);
    EXPECT_EQ(*(*table)->LatestVersion(), 4);
    // The loser's new segment was removed: only the 3 originals (removed
    // ones stay until VACUUM) and the winner's compacted file, if any.
    size_t segs = 0;
    std::vector<std::string> names = *env_->GetChildren(dir);
    for (const std::string& n : names)
      segs += n.size() > 4 && n.substr(n.size() - 4) == ".tsl";
    EXPECT_EQ(segs, delete_first ? 3u : 4u);
  }
}

TEST_F(TransactionTest, BlindAppendNeverConflictsWithCompaction) {
  auto t = Create({});
  for (int i = 0; i < 3; ++i) Append(t.get(), MetricChunk(T0() + i * 1000000000LL, 10));
  auto opt = t->NewTransaction();
  auto app = t->NewWriter();
  ASSERT_TRUE(app->Append(MetricChunk(T0(), 5)).ok());
  (*opt)->SetDataChange(false);
  for (const AddAction& f : (*opt)->read_snapshot().files()) ASSERT_TRUE((*opt)->RemoveFile(f).ok());
  ASSERT_TRUE((*opt)->AddRows(MetricChunk(T0(), 30)).ok());
  ASSERT_TRUE(app->Commit("WRITE").ok());
  auto r = (*opt)->Commit("OPTIMIZE");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*t->GetSnapshot())->total_rows(), 35);
}

TEST_F(TransactionTest, MetadataChangeConflictsWithEveryConcurrentCommit) {
  auto t = Create({});
  auto alter = t->NewTransaction();
  Append(t.get(), MetricChunk(T0(), 1));
  MetaDataAction m = (*alter)->read_snapshot().metadata();
  m.configuration["retention"] = "30 days";
  ASSERT_TRUE((*alter)->SetMetadata(m).ok());
  auto r = (*alter)->Commit("SET TBLPROPERTIES");
  EXPECT_TRUE(r.status().IsConflict()) << r.status().ToString();
  EXPECT_NE(r.status().message().find("metadata"), std::string::npos);
  // And an append that read before a metadata change conflicts too.
  auto w = t->NewWriter();
  ASSERT_TRUE(w->Append(MetricChunk(T0(), 1)).ok());
  ASSERT_TRUE(t->AddColumn(Field{"q", TypeId::kBigint}).ok());
  EXPECT_TRUE(w->Commit("WRITE").status().IsConflict());
}

TEST_F(TransactionTest, SameAppIdConflictsSoABatchCommitsOnce) {
  auto t = Create({});
  auto a = t->NewTransaction();
  auto b = t->NewTransaction();
  ASSERT_TRUE((*a)->SetTxn("loader", 7).ok());
  ASSERT_TRUE((*b)->SetTxn("loader", 7).ok());
  ASSERT_TRUE((*a)->AddRows(MetricChunk(T0(), 2)).ok());
  ASSERT_TRUE((*b)->AddRows(MetricChunk(T0(), 2)).ok());
  ASSERT_TRUE((*a)->Commit("WRITE").ok());
  EXPECT_TRUE((*b)->Commit("WRITE").status().IsConflict());
  EXPECT_EQ((*t->GetSnapshot())->total_rows(), 2);
  EXPECT_EQ((*t->GetSnapshot())->app_versions().at("loader"), 7);
}

TEST_F(TransactionTest, RemovingAFileNotLiveAtTheReadVersionIsNotFound) {
  auto t = Create({});
  auto txn = t->NewTransaction();
  AddAction ghost;
  ghost.path = "nope.tsl";
  EXPECT_TRUE((*txn)->RemoveFile(ghost).IsNotFound());
}

TEST_F(TransactionTest, PartitionValuesRoundTripThroughRangeOf) {
  Schema s = MetricSchema();
  for (const char* spec : {"hour(ts)", "day(ts)", "month(ts)"}) {
    auto p = PartitionSpec::Parse(spec, s);
    ASSERT_TRUE(p.ok());
    for (int64_t t : {T0(), T0() + int64_t{3600} * 1000000 * 37 + 5, int64_t{-1}, int64_t{0}}) {
      std::string v = p->ValueFor(t);
      auto range = p->RangeOf(v);
      ASSERT_TRUE(range.ok()) << spec << " " << v;
      EXPECT_LE(range->first, t);
      EXPECT_GT(range->second, t);
    }
    EXPECT_FALSE(p->RangeOf("2024-13").ok());
    EXPECT_FALSE(p->RangeOf("2024-02-30").ok());
  }
}

// A reader that builds a ragged chunk (a column shorter than the first, or a
// dictionary code past its dictionary) gets an error from AddRows; the writer
// never reads past an array (sql_smith: COPY FROM a narrower Parquet file).
TEST_F(TransactionTest, RaggedChunkIsRefusedBeforeTheWriterReadsIt) {
  auto t = Create({});
  DataChunk short_column = MetricChunk(T0(), 4);
  short_column.columns.back().Resize(2);
  auto txn = t->NewTransaction();
  ASSERT_TRUE(txn.ok());
  Status st = (*txn)->AddRows(std::move(short_column));
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("rows"), std::string::npos) << st.ToString();

  DataChunk values_short = MetricChunk(T0(), 4);
  ColumnVector& last = values_short.columns.back();
  last.ints.clear();
  last.doubles.clear();
  last.strings.clear();
  EXPECT_FALSE((*txn)->AddRows(std::move(values_short)).ok());
  // Nothing was added: a well-formed chunk still commits alone.
  ASSERT_TRUE((*txn)->AddRows(MetricChunk(T0(), 3)).ok());
  ASSERT_TRUE((*txn)->Commit("WRITE").ok());
}

}  // namespace
}  // namespace tsl
