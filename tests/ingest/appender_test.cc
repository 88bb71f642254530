// Appender and GroupCommitter behaviour: a flush is one version, segments
// are cut during long imports, batch ids make re-runs no-ops (also across
// reopen), many concurrent appenders lose and duplicate nothing while
// group commit makes fewer commits than flushes, and bad rows are refused
// naming the column.
#include "ingest/appender.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "formats/timestamp.h"
#include "storage/database.h"
#include "tests/ingest/ingest_test_util.h"

namespace tsl {
namespace {

Schema PointSchema() {
  return Schema{{{"tag", TypeId::kVarchar},
                 {"ts", TypeId::kTimestamp},
                 {"value", TypeId::kDouble},
                 {"quality", TypeId::kInteger}}};
}

DataChunk Points(int writer, int64_t first, int n) {
  DataChunk c;
  c.Initialize({TypeId::kVarchar, TypeId::kTimestamp, TypeId::kDouble, TypeId::kInteger});
  for (int i = 0; i < n; ++i) {
    c.columns[0].AppendString("w" + std::to_string(writer));
    c.columns[1].AppendInt((first + i) * 1000);
    c.columns[2].AppendDouble(static_cast<double>(first + i));
    c.columns[3].AppendInt(192);
  }
  return c;
}

class AppenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.path() + "/db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    auto t = db_->CreateTable("points", PointSchema());
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    table_ = *t;
  }

  testing::IngestTempDir dir_;
  std::unique_ptr<Database> db_;
  std::shared_ptr<Table> table_;
};

TEST_F(AppenderTest, FlushCommitsRowsAndChunksAsOneVersion) {
  auto app = Appender::Open(table_);
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  ASSERT_TRUE((*app)->AppendRow({Value::Varchar("a"), Value::Varchar("2024-01-01 00:00:01"),
                                 Value::Bigint(5), Value::Integer(192)})
                  .ok());
  ASSERT_TRUE((*app)->AppendChunk(Points(1, 10, 3)).ok());
  EXPECT_EQ((*app)->pending_rows(), 4);
  auto r = (*app)->Flush();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->rows, 4);
  EXPECT_EQ((*app)->pending_rows(), 0);

  DataChunk all = testing::ReadTable(*table_);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all.columns[0].strings[0], "a");
  EXPECT_EQ(all.columns[1].ints[0], 1704067201000000);  // VARCHAR cast to TIMESTAMP
  EXPECT_DOUBLE_EQ(all.columns[2].doubles[0], 5.0);
  EXPECT_EQ(*table_->LatestVersion(), 1);
}

TEST_F(AppenderTest, EmptyFlushWithoutBatchIdCommitsNothing) {
  auto app = Appender::Open(table_);
  ASSERT_TRUE(app.ok());
  auto r = (*app)->Flush();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->version, -1);
  EXPECT_EQ(*table_->LatestVersion(), 0);
}

// Issue 23 item 2: with a batch id too, an empty flush makes no version and
// consumes no sequence, so a later flush of that sequence with rows commits.
TEST_F(AppenderTest, EmptyFlushWithBatchIdCommitsNothingAndConsumesNoSequence) {
  AppenderOptions opts;
  opts.app_id = "gw";
  auto app = Appender::Open(table_, opts);
  ASSERT_TRUE(app.ok());
  for (int i = 0; i < 10; ++i) {
    auto r = (*app)->Flush();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->version, -1);
  }
  auto empty = (*app)->Flush(0);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->version, -1);
  EXPECT_FALSE(empty->already_committed);
  EXPECT_EQ(*table_->LatestVersion(), 0);
  EXPECT_EQ((*app)->last_committed_sequence(), -1);
  ASSERT_TRUE((*app)->AppendChunk(Points(1, 0, 10)).ok());
  auto r = (*app)->Flush(0);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->already_committed);
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(testing::ReadTable(*table_).size(), 10u);
  // An empty replay of a committed sequence reports it.
  auto replay = (*app)->Flush(0);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->already_committed);
}

TEST_F(AppenderTest, LongImportCutsSegmentsAndCommitsThemTogether) {
  AppenderOptions opts;
  opts.rows_per_segment = 100000;
  auto app = Appender::Open(table_, opts);
  ASSERT_TRUE(app.ok());
  for (int i = 0; i < 125; ++i) ASSERT_TRUE((*app)->AppendChunk(Points(1, i * 2048, 2048)).ok());
  auto r = (*app)->Flush();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, 125 * 2048);
  auto snap = table_->GetSnapshot();
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ((*snap)->version(), 1);
  EXPECT_EQ((*snap)->files().size(), 3u);  // 100000 + 100000 + 56000 rows
  EXPECT_EQ((*snap)->total_rows(), 125 * 2048);
}

TEST_F(AppenderTest, RowOfWrongTypeIsRefusedNamingTheColumnAndLeavesNothingBuffered) {
  auto app = Appender::Open(table_);
  ASSERT_TRUE(app.ok());
  Status st = (*app)->AppendRow({Value::Varchar("a"), Value::Varchar("yesterday"),
                                 Value::Double(1), Value::Integer(192)});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("\"ts\""), std::string::npos) << st.message();
  EXPECT_EQ((*app)->pending_rows(), 0);
  st = (*app)->AppendRow({Value::Varchar("a")});
  EXPECT_FALSE(st.ok());
  DataChunk wrong;
  wrong.Initialize({TypeId::kVarchar});
  EXPECT_FALSE((*app)->AppendChunk(wrong).ok());
}

// Issue 15 items 1 and 11: a value the statistics could not hold (a
// TIMESTAMP outside the supported range, VARCHAR that is not UTF-8) is
// refused when appended, naming the column, and nothing is buffered.
TEST_F(AppenderTest, UnstorableValuesAreRefusedAtAppendNamingTheColumn) {
  auto app = Appender::Open(table_);
  ASSERT_TRUE(app.ok());
  Status st = (*app)->AppendRow({Value::Varchar("bad\xff"), Value::Timestamp(0), Value::Double(1),
                                 Value::Integer(192)});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("column \"tag\": invalid UTF-8 at byte 4 (0xff)"), std::string::npos)
      << st.message();
  st = (*app)->AppendRow({Value::Varchar("a"), Value::Timestamp(INT64_MAX), Value::Double(1),
                          Value::Integer(192)});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("column \"ts\""), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("outside the supported TIMESTAMP range"), std::string::npos);
  EXPECT_EQ((*app)->pending_rows(), 0);

  DataChunk batch = Points(1, 0, 3);
  batch.columns[0].strings[2] = "\xc3";
  st = (*app)->AppendChunk(batch);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("column \"tag\", row 3"), std::string::npos) << st.message();
  batch = Points(1, 0, 3);
  batch.columns[1].ints[0] = INT64_MIN;
  EXPECT_FALSE((*app)->AppendChunk(std::move(batch)).ok());
  EXPECT_EQ((*app)->pending_rows(), 0);

  // The oldest and newest supported values go in and come back.
  ASSERT_TRUE((*app)->AppendRow({Value::Varchar("caf\xc3\xa9"), Value::Timestamp(kMinTimestampMicros),
                                 Value::Double(1), Value::Integer(192)})
                  .ok());
  ASSERT_TRUE((*app)->AppendRow({Value::Varchar("z"), Value::Timestamp(kMaxTimestampMicros),
                                 Value::Double(2), Value::Integer(192)})
                  .ok());
  auto flushed = (*app)->Flush();
  ASSERT_TRUE(flushed.ok()) << flushed.status().ToString();
  auto snap = table_->GetSnapshot();
  ASSERT_TRUE(snap.ok());
  ASSERT_EQ((*snap)->files().size(), 1u);
  EXPECT_EQ((*snap)->files()[0].stats.min_values.at("ts").int_value(), kMinTimestampMicros);
  EXPECT_EQ((*snap)->files()[0].stats.max_values.at("ts").int_value(), kMaxTimestampMicros);
}

TEST_F(AppenderTest, RerunningACommittedBatchIdCommitsNothing) {
  AppenderOptions opts;
  opts.app_id = "import-7";
  {
    auto app = Appender::Open(table_, opts);
    ASSERT_TRUE(app.ok());
    EXPECT_EQ((*app)->last_committed_sequence(), -1);
    ASSERT_TRUE((*app)->AppendChunk(Points(1, 0, 100)).ok());
    auto r = (*app)->Flush(0);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_FALSE(r->already_committed);
    EXPECT_EQ(r->version, 1);
  }
  // A rerun of batch 0 (as after a crash before the caller learned the
  // outcome) commits nothing.
  auto app = Appender::Open(table_, opts);
  ASSERT_TRUE(app.ok());
  EXPECT_EQ((*app)->last_committed_sequence(), 0);
  ASSERT_TRUE((*app)->AppendChunk(Points(1, 0, 100)).ok());
  auto again = (*app)->Flush(0);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_committed);
  EXPECT_EQ(*table_->LatestVersion(), 1);
  EXPECT_EQ(testing::ReadTable(*table_).size(), 100u);
  // The next batch goes in.
  ASSERT_TRUE((*app)->AppendChunk(Points(1, 100, 50)).ok());
  auto next = (*app)->Flush();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->already_committed);
  EXPECT_EQ((*app)->last_committed_sequence(), 1);
  EXPECT_EQ(testing::ReadTable(*table_).size(), 150u);
  // No segment file is left behind by the skipped batch.
  size_t tsl_files = 0;
  for (const auto& e : std::filesystem::directory_iterator(table_->dir()))
    if (e.path().extension() == ".tsl") ++tsl_files;
  EXPECT_EQ(tsl_files, 2u);
}

TEST_F(AppenderTest, DetachedFlushCommitsWhileTheAppenderTakesNewRows) {
  AppenderOptions opts;
  opts.app_id = "gateway";
  opts.rows_per_segment = 1000;  // the detached flush carries a cut segment and residual rows
  auto app = Appender::Open(table_, opts);
  ASSERT_TRUE(app.ok());
  ASSERT_TRUE((*app)->AppendChunk(Points(1, 0, 70000)).ok());  // past kMergeRows: own segments
  ASSERT_TRUE((*app)->AppendChunk(Points(1, 70000, 10)).ok());
  auto d = (*app)->Detach();
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_TRUE(d->txn.has_value());
  EXPECT_EQ(d->txn->version, 0);
  EXPECT_EQ((*app)->pending_rows(), 0);
  // New rows while the detached flush commits on another thread.
  Result<FlushResult> r = FlushResult{};  // overwritten by the committer thread
  const std::optional<TxnAction> txn = d->txn;
  std::thread committer([&] { r = Appender::CommitDetached(std::move(d).value()); });
  ASSERT_TRUE((*app)->AppendChunk(Points(2, 0, 500)).ok());
  committer.join();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, 70010);
  (*app)->Committed(txn, *r);
  EXPECT_EQ((*app)->last_committed_sequence(), 0);
  EXPECT_EQ(testing::ReadTable(*table_).size(), 70010u);
  // The next flush gets the next batch id and the rows appended meanwhile.
  auto next = (*app)->Flush();
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_FALSE(next->already_committed);
  EXPECT_EQ(next->rows, 500);
  EXPECT_EQ((*app)->last_committed_sequence(), 1);
  EXPECT_EQ(testing::ReadTable(*table_).size(), 70510u);
}

TEST_F(AppenderTest, BatchIdSurvivesReopeningTheDatabase) {
  AppenderOptions opts;
  opts.app_id = "loader";
  {
    auto app = Appender::Open(table_, opts);
    ASSERT_TRUE(app.ok());
    ASSERT_TRUE((*app)->AppendChunk(Points(1, 0, 10)).ok());
    ASSERT_TRUE((*app)->Flush(41).ok());
  }
  table_.reset();
  db_.reset();
  auto db = Database::Open(dir_.path() + "/db");
  ASSERT_TRUE(db.ok());
  auto t = (*db)->GetTable("points");
  ASSERT_TRUE(t.ok());
  auto app = Appender::Open(*t, opts);
  ASSERT_TRUE(app.ok());
  EXPECT_EQ((*app)->last_committed_sequence(), 41);
}

// 50 writers, each appending 100 rows every 100 ms and flushing (1,000 rows/s
// each) for about 5 s: every row is present exactly once and group commit
// makes far fewer commits than there were flushes.
TEST_F(AppenderTest, FiftyConcurrentAppendersLoseAndDuplicateNothing) {
  constexpr int kWriters = 50;
  constexpr int kRowsPerFlush = 100;
  const auto duration = std::chrono::seconds(5);
  auto committer = GroupCommitter::ForTable(table_);
  std::atomic<int64_t> flushes{0};
  std::atomic<bool> failed{false};
  std::vector<int64_t> rows_written(kWriters, 0);
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      auto app = Appender::Open(committer);
      if (!app.ok()) {
        failed = true;
        return;
      }
      int64_t next = 0;
      auto tick = start;
      while (std::chrono::steady_clock::now() - start < duration) {
        if (!(*app)->AppendChunk(Points(w, next, kRowsPerFlush)).ok()) failed = true;
        auto r = (*app)->Flush();
        if (!r.ok()) {
          ADD_FAILURE() << r.status().ToString();
          failed = true;
          return;
        }
        next += kRowsPerFlush;
        ++flushes;
        tick += std::chrono::milliseconds(100);
        std::this_thread::sleep_until(tick);
      }
      rows_written[w] = next;
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_FALSE(failed);

  DataChunk all = testing::ReadTable(*table_);
  int64_t expected = 0;
  for (int64_t n : rows_written) expected += n;
  ASSERT_EQ(static_cast<int64_t>(all.size()), expected);
  std::set<std::pair<std::string, int64_t>> seen;
  for (size_t i = 0; i < all.size(); ++i)
    ASSERT_TRUE(seen.emplace(all.columns[0].strings[i], all.columns[1].ints[i]).second)
        << "duplicate row " << all.columns[0].strings[i] << " " << all.columns[1].ints[i];
  for (int w = 0; w < kWriters; ++w)
    for (int64_t i = 0; i < rows_written[w]; ++i)
      ASSERT_TRUE(seen.count({"w" + std::to_string(w), i * 1000})) << w << " " << i;

  GroupCommitStats stats = committer->stats();
  EXPECT_EQ(stats.flushes, flushes.load());
  EXPECT_EQ(*table_->LatestVersion(), stats.commits);
  // 50 writers flushing 10 times a second each: without grouping that is
  // 500 commits a second.
  EXPECT_LT(stats.commits * 5, stats.flushes);
}

}  // namespace
}  // namespace tsl
