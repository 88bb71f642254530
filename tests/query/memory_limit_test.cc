// memory_limit holds for everything a query holds (execution/memory_tracker.h):
// under SET memory_limit = '50MB' (the shell test runs the 200MB
// cases under ulimit -v), string_agg of 200 MB, median and count(DISTINCT)
// over 10M rows, set operations, a cross join and the result being built
// fail with DuckDB's "Out of Memory Error" (or, for the cross join and a
// wide CSV file, run within the limit), and the connection stays usable.
// The limit is per database: two databases in one process obey their own
// limits, and closing one releases its setting. Values over the maximum
// value size fail cleanly.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "query/execution/memory_tracker.h"
#include "tslake/tslake.hpp"

namespace {

class MemoryLimitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = tslake::Database::Open(":memory:");
    ASSERT_NE(db_, nullptr);
    con_ = std::make_unique<tslake::Connection>(*db_);
    Ok("SET memory_limit = '50MB'");
  }

  tslake::Result Ok(const std::string& sql) {
    tslake::Result r = con_->Query(sql);
    EXPECT_TRUE(r.ok()) << sql << "\n" << r.error_message();
    return r;
  }

  // `sql` fails with the memory tracker's Out of Memory Error, and a small
  // query on the same connection runs afterwards.
  void ExpectOutOfMemory(const std::string& sql) {
    tslake::Result r = con_->Query(sql);
    ASSERT_FALSE(r.ok()) << sql << " ran under the limit";
    EXPECT_EQ(r.error_code(), tslake::ErrorCode::kOutOfMemory) << r.error_message();
    EXPECT_NE(r.error_message().find("Out of Memory Error"), std::string::npos)
        << r.error_message();
    // The tracker refused it (not a failed allocation).
    EXPECT_NE(r.error_message().find("memory limit"), std::string::npos) << r.error_message();
    tslake::Result after = Ok("SELECT count(*) FROM range(1000)");
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after.GetInt64(0, 0), 1000);
  }

  std::unique_ptr<tslake::Database> db_;
  std::unique_ptr<tslake::Connection> con_;
};

TEST_F(MemoryLimitTest, StringAggOfAGigabyte) {
  ExpectOutOfMemory("SELECT length(string_agg(repeat('x', 1000), ',')) FROM range(200000)");
}

TEST_F(MemoryLimitTest, StringAggPerGroup) {
  ExpectOutOfMemory(
      "SELECT range % 10 AS g, length(string_agg(repeat('x', 1000), ',')) FROM range(200000) "
      "GROUP BY g");
}

TEST_F(MemoryLimitTest, Median) {
  ExpectOutOfMemory("SELECT median(range) FROM range(10000000)");
}

TEST_F(MemoryLimitTest, QuantileWithOrderedAggregate) {
  ExpectOutOfMemory("SELECT quantile_disc(range, 0.5) FROM range(10000000)");
  ExpectOutOfMemory(
      "SELECT length(string_agg(CAST(range AS VARCHAR), ',' ORDER BY range DESC)) "
      "FROM range(10000000)");
}

TEST_F(MemoryLimitTest, CountDistinct) {
  ExpectOutOfMemory("SELECT count(DISTINCT range) FROM range(10000000)");
}

TEST_F(MemoryLimitTest, SetOperations) {
  ExpectOutOfMemory(
      "SELECT count(*) FROM (SELECT range FROM range(2000000) UNION SELECT range FROM "
      "range(2000000))");
  ExpectOutOfMemory(
      "SELECT count(*) FROM (SELECT range FROM range(10) EXCEPT SELECT range FROM "
      "range(2000000))");
}

TEST_F(MemoryLimitTest, ResultBeingBuilt) {
  // 23.8: the result reserves while it is built, not after.
  Ok("SET memory_limit = '8MiB'");
  ExpectOutOfMemory("SELECT * FROM range(2000000)");
  Ok("SET memory_limit = '1GB'");
  tslake::Result r = Ok("SELECT * FROM range(2000000)");
  EXPECT_EQ(r.row_count(), 2000000);
}

TEST_F(MemoryLimitTest, CrossJoinStreamsAVectorOfPairsAtATime) {
  // 400M pairs, filtered: only the build side and a vector of pairs are
  // held, so it runs under a limit far below its pairs' size (before: 1.3 GB
  // peak). The reservation check: nothing stays reserved afterwards.
  tslake::Result r =
      Ok("SELECT count(*) FROM range(3000) a, range(3000) b WHERE a.range + b.range = 2999");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.GetInt64(0, 0), 3000);
  r = Ok("SELECT count(*) FROM range(3000) a LEFT JOIN range(3000) b ON a.range < b.range");
  EXPECT_EQ(r.GetInt64(0, 0), 3000 * 2999 / 2 + 1);
  r = Ok("SELECT count(*) FROM range(3000) a FULL JOIN range(3000) b "
         "ON a.range = b.range - 1000 AND a.range % 2 = 0");
  // 1000 pairs (even a < 2000), 2000 left rows and 2000 right rows padded.
  EXPECT_EQ(r.GetInt64(0, 0), 1000 + 2000 + 2000);
}

TEST_F(MemoryLimitTest, CrossJoinOutputCountsAgainstTheLimit) {
  // A cross product aggregated per pair still fails cleanly.
  ExpectOutOfMemory(
      "SELECT count(*) FROM (SELECT a.range, b.range FROM range(3000) a, range(3000) b "
      "GROUP BY a.range, b.range)");
}

TEST_F(MemoryLimitTest, WideCsvFile) {
  // 100,000 columns in a file of ~600 KB: before, its 2,048-row chunks
  // allocated 1.7 GB of slots. Now the reader reserves its columns against
  // the limit: too many for 200MB; a file over the column cap is refused.
  Ok("SET memory_limit = '200MB'");
  const std::string path = ::testing::TempDir() + "/wide_" + std::to_string(getpid()) + ".csv";
  {
    std::ofstream f(path);
    for (int i = 0; i < 100000; ++i) f << (i ? "," : "") << "c" << i;
    f << "\n";
    for (int i = 0; i < 100000; ++i) f << (i ? "," : "") << "1";
    f << "\n";
  }
  ExpectOutOfMemory("SELECT count(*) FROM read_csv('" + path + "')");
  {
    std::ofstream f(path);
    for (int i = 0; i < 100001; ++i) f << (i ? "," : "") << i;
    f << "\n";
  }
  tslake::Result r = con_->Query("SELECT count(*) FROM read_csv('" + path + "', header => false)");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error_message().find("more than 100000 columns"), std::string::npos)
      << r.error_message();
  {
    std::ofstream f(path);
    for (int i = 0; i < 3000; ++i) f << (i ? "," : "") << "c" << i;
    f << "\n";
    for (int row = 0; row < 5; ++row) {
      for (int i = 0; i < 3000; ++i) f << (i ? "," : "") << row;
      f << "\n";
    }
  }
  r = Ok("SELECT count(*), sum(c2999) FROM read_csv('" + path + "')");
  EXPECT_EQ(r.GetInt64(0, 0), 5);
  EXPECT_EQ(r.GetInt64(1, 0), 10);
  std::remove(path.c_str());
}

TEST(ValueSize, StringFunctionsStopAtOneGiB) {
  // 23.9: the maximum value size is 1 GiB; repeat and lpad refuse before
  // allocating, and the connection stays usable.
  auto db = tslake::Database::Open(":memory:");
  ASSERT_NE(db, nullptr);
  tslake::Connection con(*db);
  for (const char* sql : {"SELECT length(repeat('x', 2000000000))",
                          "SELECT length(repeat('ab', 600000000))",
                          "SELECT length(lpad('x', 2000000000, 'y'))",
                          "SELECT length(repeat('x', 9223372036854775807))"}) {
    tslake::Result r = con.Query(sql);
    ASSERT_FALSE(r.ok()) << sql;
    EXPECT_NE(r.error_message().find("over the maximum value size of 1073741824 bytes"),
              std::string::npos)
        << sql << ": " << r.error_message();
  }
  tslake::Result r = con.Query("SELECT length(repeat('ab', 3))");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.GetInt64(0, 0), 6);
}

TEST(ValueSize, BigStringRoundTripsThroughATable) {
  // A 16 MiB value: stored, read back, and its column (the tag column,
  // whose long min/max stay out of the log's stats) still filters right.
  auto db = tslake::Database::Open(":memory:");
  ASSERT_NE(db, nullptr);
  tslake::Connection con(*db);
  ASSERT_TRUE(con.Query("CREATE TABLE t(s VARCHAR, v BIGINT)").ok());
  tslake::Result r = con.Query("INSERT INTO t SELECT repeat('x', 16777216), 1");
  ASSERT_TRUE(r.ok()) << r.error_message();
  ASSERT_TRUE(con.Query("INSERT INTO t VALUES ('a', 2)").ok());
  r = con.Query("SELECT length(s), v FROM t WHERE s > 'b' ORDER BY v");
  ASSERT_TRUE(r.ok()) << r.error_message();
  ASSERT_EQ(r.row_count(), 1);
  EXPECT_EQ(r.GetInt64(0, 0), 16777216);
  r = con.Query("SELECT sum(v) FROM t WHERE s = repeat('x', 16777216)");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.GetInt64(0, 0), 1);
  r = con.Query("SELECT count(*) FROM t WHERE s < 'b'");
  EXPECT_EQ(r.GetInt64(0, 0), 1);
}

TEST(PerDatabaseMemoryLimit, EachDatabaseObeysItsOwn) {
  // 23.8: a second database's small limit made the first one's GROUP BY
  // fail, even after it was closed.
  auto big = tslake::Database::Open(":memory:");
  ASSERT_NE(big, nullptr);
  tslake::Connection big_con(*big);
  const std::string group_by =
      "SELECT count(*) FROM (SELECT range % 100000 AS g, count(*) FROM range(1000000) GROUP BY g)";
  ASSERT_TRUE(big_con.Query("SET memory_limit = '1GB'").ok());
  {
    tslake::Options options;
    options.memory_limit = int64_t{1} << 20;  // 1 MiB
    auto small = tslake::Database::Open(":memory:", options);
    ASSERT_NE(small, nullptr);
    tslake::Connection small_con(*small);
    tslake::Result s = small_con.Query(group_by);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error_code(), tslake::ErrorCode::kOutOfMemory) << s.error_message();
    tslake::Result b = big_con.Query(group_by);
    ASSERT_TRUE(b.ok()) << b.error_message();
    EXPECT_EQ(b.GetInt64(0, 0), 100000);
    tslake::Result setting = small_con.Query("SELECT current_setting('memory_limit')");
    ASSERT_TRUE(setting.ok());
    EXPECT_EQ(setting.GetString(0, 0), "1.0 MiB");
    setting = big_con.Query("SELECT current_setting('memory_limit')");
    EXPECT_EQ(setting.GetString(0, 0), "953.6 MiB");
    // SET on one database's connection leaves the other's limit alone, and
    // a second connection of the same database sees it.
    ASSERT_TRUE(small_con.Query("SET memory_limit = '2MB'").ok());
    tslake::Connection small_con2(*small);
    EXPECT_EQ(small_con2.Query("SELECT current_setting('memory_limit')").GetString(0, 0),
              "1.9 MiB");
    EXPECT_EQ(big_con.Query("SELECT current_setting('memory_limit')").GetString(0, 0),
              "953.6 MiB");
    ASSERT_TRUE(small_con.Query("SET threads = 37").ok());
    EXPECT_EQ(small_con.Query("SELECT current_setting('threads')").GetString(0, 0), "37");
    EXPECT_NE(big_con.Query("SELECT current_setting('threads')").GetString(0, 0), "37");
  }
  tslake::Result b = big_con.Query(group_by);
  ASSERT_TRUE(b.ok()) << b.error_message();
  // Neither database reserved from the process default's tracker, and
  // nothing stays reserved after the queries.
  EXPECT_EQ(tsl::query::ProcessDefaultConfig().memory.reserved(), 0);
}

}  // namespace
