// Views changed by several processes at once: every CREATE VIEW that was
// acknowledged is there afterwards (generations linked put-if-absent, see
// query/binder/view_catalog.h), no reader ever meets a half-written views
// file, and a database written before generations (DBDIR/views.json) keeps
// its views.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "process_test_util.h"
#include "reliability_test_util.h"
#include "tslake/tslake.hpp"

namespace tsl {
namespace {

constexpr int kProcesses = 4;
constexpr int kViewsEach = 15;

// SHOW TABLES lists views beside tables; the only table is "t".
std::set<std::string> ViewNames(tslake::Connection& con) {
  std::set<std::string> names;
  tslake::Result r = con.Query("SHOW TABLES");
  EXPECT_TRUE(r.ok()) << r.error_message();
  for (int64_t i = 0; r.ok() && i < r.row_count(); ++i) names.insert(r.GetString(0, i));
  names.erase("t");
  return names;
}

// A database at `db_path` whose table t (v BIGINT) holds one row, `v`.
void CreateTableHolding(const std::string& db_path, int64_t v) {
  auto db = tslake::Database::Open(db_path);
  ASSERT_TRUE(db);
  tslake::Connection con(*db);
  ASSERT_TRUE(con.Query("CREATE TABLE t (v BIGINT)").ok());
  ASSERT_TRUE(con.Query("INSERT INTO t VALUES (" + std::to_string(v) + ")").ok());
}

TEST(MultiProcessViews, ConcurrentCreateViewsLoseNoneAndReadersNeverFail) {
  reliability::TempDir dir;
  const std::string db_path = dir.path() + "/db";
  ASSERT_NO_FATAL_FAILURE(CreateTableHolding(db_path, 7));
  std::vector<pid_t> pids;
  for (int p = 0; p < kProcesses; ++p) {
    pids.push_back(reliability::ForkChild([&, p] {
      auto db = tslake::Database::Open(db_path);
      if (!db) return 3;
      tslake::Connection con(*db);
      for (int i = 0; i < kViewsEach; ++i) {
        const std::string name = "v_" + std::to_string(p) + "_" + std::to_string(i);
        if (!con.Query("CREATE VIEW " + name + " AS SELECT v + " + std::to_string(i) + " AS w FROM t").ok()) return 4;
        // Another process's view, read while others write.
        tslake::Result r = con.Query("SELECT w FROM v_" + std::to_string(p) + "_0");
        if (!r.ok() || r.row_count() != 1 || r.GetInt64(0, 0) != 7) return 5;
      }
      return 0;
    }));
  }
  for (pid_t pid : pids) EXPECT_EQ(reliability::WaitChild(pid), 0);

  auto db = tslake::Database::Open(db_path);
  ASSERT_TRUE(db);
  tslake::Connection con(*db);
  std::set<std::string> names = ViewNames(con);
  EXPECT_EQ(names.size(), static_cast<size_t>(kProcesses * kViewsEach));
  for (int p = 0; p < kProcesses; ++p) {
    for (int i = 0; i < kViewsEach; i += 7) {
      const std::string name = "v_" + std::to_string(p) + "_" + std::to_string(i);
      EXPECT_TRUE(names.count(name)) << name;
      tslake::Result r = con.Query("SELECT w FROM " + name);
      ASSERT_TRUE(r.ok()) << r.error_message();
      EXPECT_EQ(r.GetInt64(0, 0), 7 + i);
    }
  }
}

TEST(MultiProcessViews, ViewsJsonFromBeforeGenerationsIsReadAndCarriedForward) {
  reliability::TempDir dir;
  const std::string db_path = dir.path() + "/db";
  ASSERT_NO_FATAL_FAILURE(CreateTableHolding(db_path, 2));
  std::ofstream(db_path + "/views.json")
      << R"({"format": "tslake-views", "version": 1, "views": [{"name": "old", "sql": "SELECT v * 10 AS x FROM t"}]})";
  auto db = tslake::Database::Open(db_path);
  ASSERT_TRUE(db);
  tslake::Connection con(*db);
  tslake::Result r = con.Query("SELECT x FROM old");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.GetInt64(0, 0), 20);
  ASSERT_TRUE(con.Query("CREATE VIEW newer AS SELECT v FROM t").ok());
  EXPECT_EQ(ViewNames(con), (std::set<std::string>{"newer", "old"}));
}

}  // namespace
}  // namespace tsl
