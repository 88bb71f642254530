// tslake::Appender through the public C++ API: rows and column batches
// become one version per flush, bad values are refused naming the column,
// idempotent flushes, and the kNormal sync mode's deferred commits.
#include <chrono>
#include <thread>

#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

class AppenderApiTest : public EmbedTest {
 protected:
  std::unique_ptr<Database> OpenDb(const Options& options = {}) {
    std::string error;
    auto db = Database::Open(DbPath(), options, &error);
    EXPECT_NE(db, nullptr) << error;
    return db;
  }
  static void CreateTable(Database& db) {
    Connection con(db);
    Result r =
        con.Query("CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER)");
    ASSERT_TRUE(r.ok()) << r.error_message();
  }
  static int64_t Count(Database& db) {
    Connection con(db);
    Result r = con.Query("SELECT count(*) FROM m");
    EXPECT_TRUE(r.ok()) << r.error_message();
    return r.ok() ? r.GetInt64(0, 0) : -1;
  }
};

constexpr int64_t kJan1 = 1704067200000000;  // 2024-01-01 00:00:00 UTC

TEST_F(AppenderApiTest, RowsAreInvisibleUntilFlushMakesThemOneVersion) {
  auto db = OpenDb();
  CreateTable(*db);
  Status st;
  auto app = Appender::Open(*db, "M", {}, &st);
  ASSERT_NE(app, nullptr) << st.message();
  ASSERT_EQ(app->columns().size(), 4u);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(app->AppendTimestamp(kJan1 + i * 1000000).ok());
    ASSERT_TRUE(app->AppendString("TT-101").ok());
    ASSERT_TRUE(app->AppendDouble(20.5 + i).ok());
    ASSERT_TRUE(app->AppendInt64(192).ok());  // BIGINT value into an INTEGER column
    ASSERT_TRUE(app->EndRow().ok());
  }
  EXPECT_EQ(app->pending_rows(), 3);
  EXPECT_EQ(Count(*db), 0);
  FlushInfo info;
  st = app->Flush(&info);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_TRUE(info.durable);
  EXPECT_EQ(info.rows, 3);
  EXPECT_EQ(info.version, 1);
  EXPECT_EQ(app->pending_rows(), 0);

  Connection con(*db);
  Result r = con.Query("SELECT ts, tag, value, quality FROM m ORDER BY ts");
  ASSERT_TRUE(r.ok()) << r.error_message();
  ASSERT_EQ(r.row_count(), 3);
  EXPECT_EQ(r.GetString(0, 2), "2024-01-01 00:00:02");
  EXPECT_DOUBLE_EQ(r.GetDouble(2, 1), 21.5);
  EXPECT_EQ(r.GetInt64(3, 0), 192);
  Result history = con.Query("DESCRIBE HISTORY m");
  ASSERT_TRUE(history.ok()) << history.error_message();
  EXPECT_EQ(history.row_count(), 2);  // CREATE + one flush
}

// Every Append* after Close is refused (it returned OK before, and only
// EndRow noticed), as are EndRow, AppendBatch, Flush and a second Close.
TEST_F(AppenderApiTest, EveryCallAfterCloseIsRefused) {
  auto db = OpenDb();
  CreateTable(*db);
  Status st;
  auto app = Appender::Open(*db, "m", {}, &st);
  ASSERT_NE(app, nullptr) << st.message();
  ASSERT_TRUE(app->AppendTimestamp(kJan1).ok());
  ASSERT_TRUE(app->Close().ok());  // the half-built row is dropped
  EXPECT_FALSE(app->AppendTimestamp(kJan1).ok());
  EXPECT_FALSE(app->AppendString("x").ok());
  EXPECT_FALSE(app->AppendDouble(1).ok());
  EXPECT_FALSE(app->AppendInt64(1).ok());
  EXPECT_FALSE(app->AppendBool(true).ok());
  EXPECT_FALSE(app->AppendNull().ok());
  EXPECT_FALSE(app->EndRow().ok());
  EXPECT_FALSE(app->Flush().ok());
  Status again = app->Close();
  EXPECT_FALSE(again.ok());
  EXPECT_NE(again.message().find("closed"), std::string::npos) << again.message();
  EXPECT_EQ(Count(*db), 0);
}

TEST_F(AppenderApiTest, EndRowRefusesAnUnconvertibleValueNamingTheColumnAndDropsTheRow) {
  auto db = OpenDb();
  CreateTable(*db);
  auto app = Appender::Open(*db, "m");
  ASSERT_NE(app, nullptr);
  ASSERT_TRUE(app->AppendString("not a time").ok());
  ASSERT_TRUE(app->AppendString("a").ok());
  ASSERT_TRUE(app->AppendDouble(1).ok());
  ASSERT_TRUE(app->AppendNull().ok());
  Status st = app->EndRow();
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(st.message().find("\"ts\""), std::string::npos) << st.message();
  EXPECT_EQ(app->pending_rows(), 0);

  // Too few values, then too many: both refused, the next row is clean.
  ASSERT_TRUE(app->AppendTimestamp(kJan1).ok());
  EXPECT_EQ(app->EndRow().code(), ErrorCode::kInvalidArgument);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(app->AppendNull().ok());
  EXPECT_EQ(app->AppendNull().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(app->EndRow().code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(app->AppendString("2024-01-01 00:00:05").ok());  // text converts to TIMESTAMP
  ASSERT_TRUE(app->AppendString("b").ok());
  ASSERT_TRUE(app->AppendNull().ok());
  ASSERT_TRUE(app->AppendNull().ok());
  ASSERT_TRUE(app->EndRow().ok());
  ASSERT_TRUE(app->Flush().ok());
  EXPECT_EQ(Count(*db), 1);
}

TEST_F(AppenderApiTest, ColumnBatchWithNullsRoundTrips) {
  auto db = OpenDb();
  CreateTable(*db);
  auto app = Appender::Open(*db, "m");
  ASSERT_NE(app, nullptr);
  const int64_t n = 5000;  // more than one 2048-row vector
  std::vector<int64_t> ts(n), quality(n);
  std::vector<double> value(n);
  std::vector<std::string> tags(n);
  std::vector<const char*> tag_ptrs(n);
  std::vector<uint8_t> value_valid(n);
  for (int64_t i = 0; i < n; ++i) {
    ts[i] = kJan1 + i * 1000;
    tags[i] = "tag" + std::to_string(i % 7);
    tag_ptrs[i] = tags[i].c_str();
    value[i] = i * 0.5;
    value_valid[i] = i % 10 != 0;
    quality[i] = 192;
  }
  Status st = app->AppendBatch(n, {{Type::kTimestamp, ts.data(), nullptr},
                                   {Type::kVarchar, tag_ptrs.data(), nullptr},
                                   {Type::kDouble, value.data(), value_valid.data()},
                                   {Type::kInteger, quality.data(), nullptr}});
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_TRUE(app->Flush().ok());
  Connection con(*db);
  Result r =
      con.Query("SELECT count(*), count(value), sum(value), count(DISTINCT tag), max(ts) FROM m");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.GetInt64(0, 0), n);
  EXPECT_EQ(r.GetInt64(1, 0), n - n / 10);
  double expected = 0;
  for (int64_t i = 0; i < n; ++i)
    if (i % 10 != 0) expected += i * 0.5;
  EXPECT_DOUBLE_EQ(r.GetDouble(2, 0), expected);
  EXPECT_EQ(r.GetInt64(3, 0), 7);
  EXPECT_EQ(r.GetInt64(4, 0), kJan1 + (n - 1) * 1000);
}

TEST_F(AppenderApiTest, ColumnBatchOfTheWrongTypeIsRefusedNamingTheColumnAndAppendsNothing) {
  auto db = OpenDb();
  CreateTable(*db);
  auto app = Appender::Open(*db, "m");
  ASSERT_NE(app, nullptr);
  int64_t ts[1] = {kJan1}, q[1] = {1};
  const char* tag[1] = {"a"};
  int64_t not_double[1] = {3};
  Status st = app->AppendBatch(1, {{Type::kTimestamp, ts, nullptr},
                                   {Type::kVarchar, tag, nullptr},
                                   {Type::kBigint, not_double, nullptr},
                                   {Type::kInteger, q, nullptr}});
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(st.message().find("\"value\""), std::string::npos) << st.message();
  int64_t too_big[1] = {int64_t{1} << 40};
  double v[1] = {1};
  st = app->AppendBatch(1, {{Type::kTimestamp, ts, nullptr},
                            {Type::kVarchar, tag, nullptr},
                            {Type::kDouble, v, nullptr},
                            {Type::kInteger, too_big, nullptr}});
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(st.message().find("quality"), std::string::npos) << st.message();
  st = app->AppendBatch(1, {{Type::kTimestamp, ts, nullptr}});
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(app->pending_rows(), 0);
}

TEST_F(AppenderApiTest, ReplayedSequenceAfterReopenCommitsNothing) {
  {
    auto db = OpenDb();
    CreateTable(*db);
    auto app = Appender::Open(*db, "m", AppenderOptions{"gateway-1"});
    ASSERT_NE(app, nullptr);
    EXPECT_EQ(app->last_committed_sequence(), -1);
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(app->AppendTimestamp(kJan1 + i).ok());
      ASSERT_TRUE(app->AppendString("a").ok());
      ASSERT_TRUE(app->AppendDouble(i).ok());
      ASSERT_TRUE(app->AppendNull().ok());
      ASSERT_TRUE(app->EndRow().ok());
    }
    FlushInfo info;
    ASSERT_TRUE(app->Flush(5, &info).ok());
    EXPECT_FALSE(info.already_committed);
    EXPECT_EQ(app->last_committed_sequence(), 5);
  }
  auto db = OpenDb();  // a restart: the batch id comes back from the log
  auto app = Appender::Open(*db, "m", AppenderOptions{"gateway-1"});
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->last_committed_sequence(), 5);
  ASSERT_TRUE(app->AppendTimestamp(kJan1).ok());
  ASSERT_TRUE(app->AppendString("a").ok());
  ASSERT_TRUE(app->AppendDouble(0).ok());
  ASSERT_TRUE(app->AppendNull().ok());
  ASSERT_TRUE(app->EndRow().ok());
  FlushInfo info;
  ASSERT_TRUE(app->Flush(5, &info).ok());
  EXPECT_TRUE(info.already_committed);
  EXPECT_EQ(Count(*db), 2);
  EXPECT_EQ(app->Flush(-3).code(), ErrorCode::kInvalidArgument);
  auto plain = Appender::Open(*db, "m");
  EXPECT_EQ(plain->Flush(1).code(), ErrorCode::kInvalidArgument);  // no app id
}

TEST_F(AppenderApiTest, AppenderOnAMissingTableOrReadOnlyDatabaseIsRefused) {
  {
    auto db = OpenDb();
    CreateTable(*db);
    Status st;
    EXPECT_EQ(Appender::Open(*db, "nope", {}, &st), nullptr);
    EXPECT_EQ(st.code(), ErrorCode::kNotFound);
  }
  Options ro;
  ro.read_only = true;
  auto db = OpenDb(ro);
  Status st;
  EXPECT_EQ(Appender::Open(*db, "m", {}, &st), nullptr);
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(st.message().find("read-only"), std::string::npos);
}

void AppendRows(Appender& app, int n, int64_t start) {
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(app.AppendTimestamp(start + i).ok());
    ASSERT_TRUE(app.AppendString("a").ok());
    ASSERT_TRUE(app.AppendDouble(i).ok());
    ASSERT_TRUE(app.AppendInt64(0).ok());
    ASSERT_TRUE(app.EndRow().ok());
  }
}

TEST_F(AppenderApiTest, SyncNormalDefersTheCommitAndCloseMakesItDurable) {
  Options o;
  o.sync_mode = SyncMode::kNormal;
  o.sync_interval_ms = 3600000;  // the flusher never fires on its own here
  auto db = OpenDb(o);
  CreateTable(*db);
  auto app = Appender::Open(*db, "m");
  AppendRows(*app, 10, kJan1);
  FlushInfo info;
  ASSERT_TRUE(app->Flush(&info).ok());
  EXPECT_FALSE(info.durable);
  EXPECT_EQ(info.version, -1);
  EXPECT_EQ(info.rows, 10);
  EXPECT_EQ(Count(*db), 0);
  EXPECT_EQ(app->pending_rows(), 10);
  ASSERT_TRUE(app->Close().ok());
  EXPECT_EQ(Count(*db), 10);
  EXPECT_EQ(app->Flush().code(), ErrorCode::kInvalidArgument);  // closed
}

TEST_F(AppenderApiTest, SyncNormalCommitsWithinTheIntervalFromTheBackgroundThread) {
  Options o;
  o.sync_mode = SyncMode::kNormal;
  o.sync_interval_ms = 50;
  auto db = OpenDb(o);
  CreateTable(*db);
  auto app = Appender::Open(*db, "m");
  AppendRows(*app, 10, kJan1);
  ASSERT_TRUE(app->Flush().ok());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (Count(*db) != 10 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(Count(*db), 10);
  EXPECT_EQ(app->pending_rows(), 0);
}

TEST_F(AppenderApiTest, SyncNormalWithoutThreadsCommitsAtTheNextCallOnceDue) {
  Options o;
  o.sync_mode = SyncMode::kNormal;
  o.sync_interval_ms = 20;
  o.threads = 0;
  auto db = OpenDb(o);
  CreateTable(*db);
  auto app = Appender::Open(*db, "m");
  AppendRows(*app, 4, kJan1);
  ASSERT_TRUE(app->Flush().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(Count(*db), 0);          // no thread: nothing happens between calls
  AppendRows(*app, 1, kJan1 + 100);  // this call is past the interval: commits the 4
  EXPECT_EQ(Count(*db), 4);
  EXPECT_EQ(app->pending_rows(), 1);
}

TEST_F(AppenderApiTest, SyncNormalReplayedSequenceIsDroppedAndSequencesMustIncrease) {
  Options o;
  o.sync_mode = SyncMode::kNormal;
  o.sync_interval_ms = 3600000;
  auto db = OpenDb(o);
  CreateTable(*db);
  auto app = Appender::Open(*db, "m", AppenderOptions{"gw"});
  AppendRows(*app, 3, kJan1);
  ASSERT_TRUE(app->Flush(7).ok());
  AppendRows(*app, 2, kJan1 + 10);
  EXPECT_EQ(app->Flush(7).code(), ErrorCode::kInvalidArgument);
  // Close commits the rows of 7 and, as the next batch (8, as a flush
  // would), the 2 appended after it: one version holds both. Before issue
  // 23 the 2 rows were committed under 7, so a replay of 8 was lost.
  ASSERT_TRUE(app->Close().ok());
  EXPECT_EQ(Count(*db), 5);
  auto again = Appender::Open(*db, "m", AppenderOptions{"gw"});
  EXPECT_EQ(again->last_committed_sequence(), 8);
  AppendRows(*again, 3, kJan1);
  FlushInfo info;
  ASSERT_TRUE(again->Flush(7, &info).ok());
  EXPECT_TRUE(info.already_committed);
  ASSERT_TRUE(again->Close().ok());
  EXPECT_EQ(Count(*db), 5);
}

TEST_F(AppenderApiTest, DestroyingAnAppenderCommitsItsRows) {
  auto db = OpenDb();
  CreateTable(*db);
  {
    auto app = Appender::Open(*db, "m");
    AppendRows(*app, 6, kJan1);
  }
  EXPECT_EQ(Count(*db), 6);
}

TEST_F(AppenderApiTest, ConcurrentAppendersAndAReaderSeeOnlyWholeFlushes) {
  Options o;
  o.sync_mode = SyncMode::kNormal;
  o.sync_interval_ms = 10;
  auto db = OpenDb(o);
  CreateTable(*db);
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      auto app = Appender::Open(*db, "m");
      for (int b = 0; b < 20; ++b) {
        AppendRows(*app, 100, kJan1 + w * 1000000 + b * 100);
        ASSERT_TRUE(app->Flush().ok());
      }
      ASSERT_TRUE(app->Close().ok());
    });
  }
  for (int i = 0; i < 20; ++i) EXPECT_EQ(Count(*db) % 100, 0);
  for (auto& t : writers) t.join();
  EXPECT_EQ(Count(*db), 3 * 20 * 100);
}

}  // namespace
}  // namespace tslake

namespace tslake {
namespace {

// Issue 23 item 1: a deferred commit holds only the rows appended before the
// flush that asked for it, under that flush's sequence.
TEST_F(AppenderApiTest, SyncNormalCommitsOnlyTheRowsOfTheFlushThatAskedForIt) {
  Options o;
  o.sync_mode = SyncMode::kNormal;
  o.sync_interval_ms = 20;
  auto db = OpenDb(o);
  CreateTable(*db);
  auto app = Appender::Open(*db, "m", AppenderOptions{"gw"});
  AppendRows(*app, 10, kJan1);
  ASSERT_TRUE(app->Flush(int64_t{0}).ok());
  AppendRows(*app, 7, kJan1 + 1000);  // batch 1, not flushed
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (app->last_committed_sequence() != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // more committer passes
  EXPECT_EQ(app->last_committed_sequence(), 0);
  EXPECT_EQ(Count(*db), 10);  // before the fix: 17, batch 1 under sequence 0
  EXPECT_EQ(app->pending_rows(), 7);
  ASSERT_TRUE(app->Flush(1).ok());
  ASSERT_TRUE(app->Close().ok());
  EXPECT_EQ(Count(*db), 17);
}

// Issue 23 item 2: an empty flush commits nothing and consumes no sequence.
TEST_F(AppenderApiTest, EmptyFlushWithAnAppIdMakesNoVersion) {
  for (SyncMode mode : {SyncMode::kFull, SyncMode::kNormal}) {
    Options o;
    o.sync_mode = mode;
    auto db = OpenDb(o);
    CreateTable(*db);
    auto app = Appender::Open(*db, "m", AppenderOptions{"gw"});
    FlushInfo info;
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(app->Flush(&info).ok());
    ASSERT_TRUE(app->Flush(5, &info).ok());
    EXPECT_EQ(info.version, -1);
    ASSERT_TRUE(app->Close().ok());
    TableStats stats;
    ASSERT_TRUE(db->GetTableStats("m", &stats).ok());
    EXPECT_EQ(stats.version, 0);  // only CREATE TABLE
    auto again = Appender::Open(*db, "m", AppenderOptions{"gw"});
    EXPECT_EQ(again->last_committed_sequence(), -1);
    again.reset();
    app.reset();
    db.reset();
    std::filesystem::remove_all(DbPath());
  }
}

// Issue 23 items 3 and 7: EndRow refuses a value the table cannot store or
// a conversion that is not exact; the rows before it commit.
TEST_F(AppenderApiTest, EndRowRefusesFarTimestampsAndLossyConversionsKeepingEarlierRows) {
  auto db = OpenDb();
  {
    Connection con(*db);
    ASSERT_TRUE(con.Query("CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality "
                          "INTEGER) PARTITION BY day(ts)")
                    .ok());
  }
  auto app = Appender::Open(*db, "m");
  AppendRows(*app, 100, kJan1);
  auto row = [&](int64_t ts, double value, double quality) {
    EXPECT_TRUE(app->AppendTimestamp(ts).ok());
    EXPECT_TRUE(app->AppendString("x").ok());
    EXPECT_TRUE(app->AppendDouble(value).ok());
    EXPECT_TRUE(app->AppendDouble(quality).ok());
    return app->EndRow();
  };
  EXPECT_EQ(row(INT64_MAX, 1, 1).code(), ErrorCode::kInvalidArgument);  // past 294247 AD
  EXPECT_EQ(row(INT64_MIN, 1, 1).code(), ErrorCode::kInvalidArgument);  // before 290309 BC
  EXPECT_EQ(row(kJan1, 1, 1.5).code(), ErrorCode::kInvalidArgument);    // 1.5 -> INTEGER
  EXPECT_TRUE(row(kJan1, 1, 2.0).ok());
  // The year 10000 is in range and has a partition (signed expanded years).
  EXPECT_TRUE(row(253402300800000000, 1, 1).ok());
  EXPECT_EQ(app->pending_rows(), 102);
  ASSERT_TRUE(app->Flush().ok());
  EXPECT_EQ(Count(*db), 102);
}

}  // namespace
}  // namespace tslake
