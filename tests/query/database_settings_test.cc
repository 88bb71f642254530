// Settings per database (DuckDB's DBConfig, execution/memory_tracker.h):
// two databases open in one process each obey their own memory_limit and
// threads, closing one leaves the other's alone, SET SESSION overrides the
// settings DuckDB scopes per connection (default_order, default_null_order)
// and refuses the global ones with DuckDB's errors, and the process-wide
// cap (tslake::SetProcessMemoryLimit) is off unless the host sets it.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "query/execution/memory_tracker.h"
#include "tslake/tslake.hpp"

namespace {

// A table of six segment files (one per INSERT), so a GROUP BY over it may
// run on up to six workers.
void FillSixFiles(tslake::Connection& con) {
  ASSERT_TRUE(con.Query("CREATE TABLE m(ts TIMESTAMP, tag VARCHAR, v DOUBLE)").ok());
  for (int f = 0; f < 6; ++f) {
    tslake::Result r = con.Query("INSERT INTO m SELECT to_timestamp(1704067200 + r + " +
                                 std::to_string(f * 1000) +
                                 "), 'tag' || (r % 7), r * 0.5 FROM range(1000) x(r)");
    ASSERT_TRUE(r.ok()) << r.error_message();
  }
}

// The worker count EXPLAIN ANALYZE reports for the parallel GROUP BY (the
// workers that ran), 1 when it ran serially.
int WorkersThatRan(tslake::Connection& con) {
  tslake::Result r = con.Query("EXPLAIN ANALYZE SELECT tag, count(*) FROM m GROUP BY tag");
  EXPECT_TRUE(r.ok()) << r.error_message();
  std::string plan;
  for (int64_t i = 0; i < r.row_count(); ++i) {
    for (int c = 0; c < r.column_count(); ++c) plan += r.GetString(c, i) + "\n";
  }
  const size_t at = plan.find("workers=");
  if (at == std::string::npos) return 1;
  return std::stoi(plan.substr(at + 8));
}

std::string Setting(tslake::Connection& con, const std::string& name) {
  tslake::Result r = con.Query("SELECT current_setting('" + name + "')");
  EXPECT_TRUE(r.ok()) << r.error_message();
  return r.ok() ? r.GetString(0, 0) : "";
}

// 100,000 groups: a few MiB of hash table, over a 1 MiB limit.
const char* kBigGroupBy =
    "SELECT count(*) FROM (SELECT range % 100000 AS g, count(*) FROM range(1000000) GROUP BY g)";

TEST(DatabaseSettings, TwoDatabasesEachObeyTheirOwnLimitAndThreads) {
  tslake::Options wide;
  wide.query_threads = 3;
  wide.memory_limit = int64_t{1} << 30;  // 1 GiB
  auto big = tslake::Database::Open(":memory:", wide);
  ASSERT_NE(big, nullptr);
  tslake::Connection big_con(*big);
  FillSixFiles(big_con);
  {
    tslake::Options narrow;
    narrow.query_threads = 1;
    narrow.memory_limit = int64_t{1} << 20;  // 1 MiB
    auto small = tslake::Database::Open(":memory:", narrow);
    ASSERT_NE(small, nullptr);
    tslake::Connection small_con(*small);
    FillSixFiles(small_con);

    EXPECT_EQ(WorkersThatRan(big_con), 3);
    EXPECT_EQ(WorkersThatRan(small_con), 1);
    EXPECT_EQ(Setting(big_con, "threads"), "3");
    EXPECT_EQ(Setting(small_con, "threads"), "1");

    tslake::Result s = small_con.Query(kBigGroupBy);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error_code(), tslake::ErrorCode::kOutOfMemory) << s.error_message();
    EXPECT_NE(s.error_message().find("1.0 MiB"), std::string::npos) << s.error_message();
    tslake::Result b = big_con.Query(kBigGroupBy);
    ASSERT_TRUE(b.ok()) << b.error_message();
    EXPECT_EQ(b.GetInt64(0, 0), 100000);

    // SET threads on one database's connection changes that database only.
    ASSERT_TRUE(small_con.Query("SET threads = 2").ok());
    EXPECT_EQ(WorkersThatRan(small_con), 2);
    EXPECT_EQ(WorkersThatRan(big_con), 3);
    // A second connection of the same database sees its database's value.
    tslake::Connection small_con2(*small);
    EXPECT_EQ(Setting(small_con2, "threads"), "2");
  }
  // Closing the small database leaves the big one's settings as they were.
  EXPECT_EQ(WorkersThatRan(big_con), 3);
  EXPECT_EQ(Setting(big_con, "memory_limit"), "1.0 GiB");
  tslake::Result b = big_con.Query(kBigGroupBy);
  ASSERT_TRUE(b.ok()) << b.error_message();
  EXPECT_EQ(tsl::query::ProcessDefaultConfig().memory.reserved(), 0);
}

TEST(DatabaseSettings, SessionOverridesOnlyWhatDuckDBScopesPerConnection) {
  auto db = tslake::Database::Open(":memory:");
  ASSERT_NE(db, nullptr);
  tslake::Connection a(*db);
  tslake::Connection b(*db);
  // Plain SET (and SET GLOBAL) is the database's value: every connection.
  ASSERT_TRUE(a.Query("SET default_order = 'desc'").ok());
  EXPECT_EQ(Setting(b, "default_order"), "DESC");
  // SET SESSION overrides it for this connection only, and wins over a
  // later database-wide SET or RESET.
  ASSERT_TRUE(a.Query("SET SESSION default_order = 'asc'").ok());
  EXPECT_EQ(Setting(a, "default_order"), "ASC");
  EXPECT_EQ(Setting(b, "default_order"), "DESC");
  ASSERT_TRUE(a.Query("RESET default_order").ok());
  EXPECT_EQ(Setting(a, "default_order"), "ASC");
  EXPECT_EQ(Setting(b, "default_order"), "ASCENDING");
  ASSERT_TRUE(b.Query("SET GLOBAL default_order = 'desc'").ok());
  // The override decides ORDER BY in its connection.
  tslake::Result r = a.Query("SELECT x FROM (VALUES (1), (3), (2)) t(x) ORDER BY x");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.GetInt64(0, 0), 1);
  r = b.Query("SELECT x FROM (VALUES (1), (3), (2)) t(x) ORDER BY x");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.GetInt64(0, 0), 3);
  // RESET SESSION drops the override: the database's value applies again.
  ASSERT_TRUE(a.Query("RESET SESSION default_order").ok());
  EXPECT_EQ(Setting(a, "default_order"), "DESC");

  ASSERT_TRUE(a.Query("SET SESSION default_null_order = 'nulls_first'").ok());
  EXPECT_EQ(Setting(a, "default_null_order"), "NULLS_FIRST");
  EXPECT_EQ(Setting(b, "default_null_order"), "NULLS_LAST");

  // memory_limit and threads belong to the database: DuckDB's errors.
  r = a.Query("SET SESSION threads = 2");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error_message().find("Catalog Error: option \"threads\" cannot be set locally"),
            std::string::npos)
      << r.error_message();
  r = a.Query("RESET SESSION memory_limit");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error_message().find("option \"memory_limit\" cannot be reset locally"),
            std::string::npos)
      << r.error_message();
  r = a.Query("SET LOCAL default_order = 'asc'");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error_message().find("Not implemented Error: SET LOCAL is not implemented."),
            std::string::npos)
      << r.error_message();
  r = a.Query("SET SESSION enable_external_access = false");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error_message().find("can only be set globally"), std::string::npos)
      << r.error_message();
}

TEST(DatabaseSettings, ProcessWideCapIsAnOption) {
  EXPECT_EQ(tslake::ProcessMemoryLimit(), 0);
  auto one = tslake::Database::Open(":memory:");
  auto two = tslake::Database::Open(":memory:");
  ASSERT_NE(one, nullptr);
  ASSERT_NE(two, nullptr);
  tslake::Connection c1(*one);
  tslake::Connection c2(*two);
  ASSERT_TRUE(c1.Query(kBigGroupBy).ok());
  tslake::SetProcessMemoryLimit(int64_t{1} << 20);
  EXPECT_EQ(tslake::ProcessMemoryLimit(), int64_t{1} << 20);
  // Each database's own limit is far above 1 MiB; the cap stops both.
  for (tslake::Connection* con : {&c1, &c2}) {
    tslake::Result r = con->Query(kBigGroupBy);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error_code(), tslake::ErrorCode::kOutOfMemory);
    EXPECT_NE(r.error_message().find("process-wide memory limit of 1.0 MiB"), std::string::npos)
        << r.error_message();
  }
  tslake::SetProcessMemoryLimit(0);
  EXPECT_TRUE(c2.Query(kBigGroupBy).ok());
  EXPECT_EQ(tsl::query::ProcessMemoryReserved(), 0);
}

}  // namespace
