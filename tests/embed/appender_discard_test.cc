// Appender::Discard through the public C++ API: rows appended since the
// last flush, including those already spilled to uncommitted segment files
// under a small memory limit, are dropped with no version committed, even
// by the destructor that would otherwise flush them (what `tslake serve`
// relies on when a COPY client disappears); AppendCsv's stream of CSV
// bytes, one version at Flush, nothing when the stream gives up.
#include <algorithm>
#include <cstring>
#include <memory>

#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

class AppenderDiscardTest : public EmbedTest {
 protected:
  static int64_t Query1(Database& db, const std::string& sql) {
    Connection con(db);
    Result r = con.Query(sql);
    EXPECT_TRUE(r.ok()) << r.error_message();
    return r.ok() && r.row_count() > 0 ? r.GetInt64(0, 0) : -1;
  }
};

TEST_F(AppenderDiscardTest, DiscardedRowsAreNeverCommittedNotEvenByTheDestructor) {
  Options options;
  options.memory_limit = 1 << 20;  // small: the appender spills segment files early
  std::string error;
  auto db = Database::Open(DbPath(), options, &error);
  ASSERT_NE(db, nullptr) << error;
  {
    Connection con(*db);
    ASSERT_TRUE(con.Query("CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, v DOUBLE)").ok());
  }
  TableStats before;
  ASSERT_TRUE(db->GetTableStats("m", &before).ok());
  {
    Status st;
    std::unique_ptr<Appender> app = Appender::Open(*db, "m", {}, &st);
    ASSERT_NE(app, nullptr) << st.message();
    ASSERT_TRUE(app->AppendTimestamp(0).ok());
    ASSERT_TRUE(app->AppendString("kept").ok());
    ASSERT_TRUE(app->AppendDouble(1).ok());
    ASSERT_TRUE(app->EndRow().ok());
    ASSERT_TRUE(app->Flush().ok());
    for (int64_t i = 0; i < 200000; ++i) {
      (void)app->AppendTimestamp(i * 1000000);
      (void)app->AppendString("dropped-" + std::to_string(i % 100));
      (void)app->AppendDouble(static_cast<double>(i));
      ASSERT_TRUE(app->EndRow().ok());
    }
    (void)app->AppendTimestamp(1);  // a row begun and not ended is dropped too
    ASSERT_TRUE(app->Discard().ok());
    EXPECT_EQ(app->pending_rows(), 0);
  }  // the destructor finds nothing to commit
  EXPECT_EQ(Query1(*db, "SELECT count(*) FROM m"), 1);
  TableStats after;
  ASSERT_TRUE(db->GetTableStats("m", &after).ok());
  EXPECT_EQ(after.version, before.version + 1);  // the one flush; nothing of the discarded rows
  EXPECT_EQ(Query1(*db, "SELECT count(*) FROM m WHERE tag LIKE 'dropped%'"), 0);
}

// AppendCsv (what `tslake serve` streams COPY FROM STDIN into): 300,000
// CSV rows pulled in small reads become one version at Flush; a stream
// that gives up half-way leaves rows pending that Discard drops (segment
// files already spilled under the small memory limit included), and a bad
// value names the line and column.
TEST_F(AppenderDiscardTest, AppendCsvIsOneVersionAndAFailedStreamCommitsNothing) {
  Options options;
  options.memory_limit = 1 << 20;
  std::string error;
  auto db = Database::Open(DbPath(), options, &error);
  ASSERT_NE(db, nullptr) << error;
  {
    Connection con(*db);
    ASSERT_TRUE(con.Query("CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, v DOUBLE)").ok());
  }
  std::string csv = "ts,tag,v\n";
  for (int i = 0; i < 300000; ++i)
    csv += "2024-01-01 00:00:00," + std::string(i % 2 ? "\"a,b\"" : "") + "," + std::to_string(i) + "\n";
  auto stream = [&csv](size_t stop_at) {
    auto pos = std::make_shared<size_t>(0);
    return [&csv, pos, stop_at](char* buffer, std::size_t capacity) -> int64_t {
      if (*pos >= stop_at) return *pos >= csv.size() ? 0 : -1;
      const size_t n = std::min({capacity, size_t{4096}, stop_at - *pos});
      std::memcpy(buffer, csv.data() + *pos, n);
      *pos += n;
      return static_cast<int64_t>(n);
    };
  };
  Appender::CsvFormat format;
  format.header = true;
  TableStats before;
  ASSERT_TRUE(db->GetTableStats("m", &before).ok());
  {
    Status st;
    std::unique_ptr<Appender> app = Appender::Open(*db, "m", {}, &st);
    ASSERT_NE(app, nullptr) << st.message();
    int64_t rows = 0;
    st = app->AppendCsv(stream(csv.size() / 2), format, &rows);
    EXPECT_EQ(st.code(), ErrorCode::kIOError) << st.message();
    EXPECT_GT(rows, 0);
    ASSERT_TRUE(app->Discard().ok());
    EXPECT_EQ(app->pending_rows(), 0);
    ASSERT_TRUE(app->AppendCsv(stream(csv.size()), format, &rows).ok());
    EXPECT_EQ(rows, 300000);
    FlushInfo info;
    ASSERT_TRUE(app->Flush(&info).ok());
    EXPECT_EQ(info.rows, 300000);
    ASSERT_TRUE(app->Close().ok());
  }
  TableStats after;
  ASSERT_TRUE(db->GetTableStats("m", &after).ok());
  EXPECT_EQ(after.version, before.version + 1);
  EXPECT_EQ(Query1(*db, "SELECT count(*) FROM m"), 300000);
  EXPECT_EQ(Query1(*db, "SELECT count(*) FROM m WHERE tag IS NULL"), 150000);
  EXPECT_EQ(Query1(*db, "SELECT count(*) FROM m WHERE tag = 'a,b'"), 150000);
  EXPECT_EQ(Query1(*db, "SELECT sum(v)::BIGINT FROM m"), int64_t{299999} * 300000 / 2);

  std::unique_ptr<Appender> app = Appender::Open(*db, "m");
  ASSERT_NE(app, nullptr);
  csv = "ts,tag,v\n2024-01-01,a,1\n2024-01-01,b,x\n";
  Status bad = app->AppendCsv(stream(csv.size()), format);
  EXPECT_EQ(bad.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("STDIN line 3"), std::string::npos) << bad.message();
  ASSERT_TRUE(app->Discard().ok());
}

TEST_F(AppenderDiscardTest, DiscardAfterCloseIsRefused) {
  auto db = Database::Open(DbPath());
  ASSERT_NE(db, nullptr);
  Connection con(*db);
  ASSERT_TRUE(con.Query("CREATE TABLE m (a INTEGER)").ok());
  std::unique_ptr<Appender> app = Appender::Open(*db, "m");
  ASSERT_NE(app, nullptr);
  ASSERT_TRUE(app->Close().ok());
  Status st = app->Discard();
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(st.message().find("closed"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace tslake
