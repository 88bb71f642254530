// Background maintenance (issue 21, shell/api/maintenance_worker.h): the
// thread's lifecycle through the public API (off by default, no thread on a
// read-only open, SET on/off, close while a pass runs), what a pass commits
// (OPTIMIZE / DELETE / VACUUM END marked automatic, nothing committed
// twice), tslake_maintenance(), and a compaction that loses its commit to a
// concurrent DELETE, driven deterministically through the worker itself.
// Intervals are 20 ms so each test takes well under a few seconds.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "query/main/query_engine.h"
#include "shell/api/maintenance_worker.h"
#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

class AutoMaintenanceTest : public EmbedTest {
 protected:
  Options Fast() {
    Options o;
    o.auto_maintenance = true;
    o.maintenance_interval_ms = 20;
    o.maintenance_cpu_share = 1.0;
    o.maintenance_small_files = 3;
    return o;
  }
  static std::string Text(Connection& con, const std::string& sql) {
    Result r = con.Query(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.error_message();
    if (!r.ok() || r.row_count() == 0) return "";
    return r.GetString(0, 0);
  }
  // Versions of `table` whose operation is `op` (marked automatic when
  // `automatic`), from DESCRIBE HISTORY.
  static int History(Connection& con, const std::string& table, const std::string& op,
                     bool automatic = false) {
    Result r = con.Query("DESCRIBE HISTORY " + table);
    EXPECT_TRUE(r.ok()) << r.error_message();
    int n = 0;
    for (int64_t i = 0; i < r.row_count(); ++i) {
      if (r.GetString(2, i) != op) continue;
      if (automatic && r.GetString(3, i).find("\"automatic\":\"true\"") == std::string::npos)
        continue;
      ++n;
    }
    return n;
  }
  // Polls until History(...) reaches `want` or 10 s pass.
  static bool WaitForHistory(Connection& con, const std::string& table, const std::string& op,
                             int want) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (History(con, table, op, true) >= want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  // Polls `sql` (one value) until it equals `want` or 10 s pass.
  static bool WaitFor(Connection& con, const std::string& sql, const std::string& want) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (Text(con, sql) == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  static void InsertBatches(Connection& con, int batches) {
    for (int b = 0; b < batches; ++b) {
      std::string sql = "INSERT INTO t VALUES ";
      for (int i = 0; i < 10; ++i) {
        if (i) sql += ", ";
        sql += "(TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (" + std::to_string(b * 10 + i) +
               ") SECOND, 'tag" + std::to_string(i % 3) + "', " + std::to_string(b * 10 + i) + ")";
      }
      ASSERT_TRUE(con.Query(sql).ok()) << sql;
    }
  }
};

TEST_F(AutoMaintenanceTest, OffByDefaultAndRefusedOnReadOnly) {
  {
    auto db = Database::Open(DbPath(), Options{}, static_cast<std::string*>(nullptr));
    ASSERT_NE(db, nullptr);
    Connection con(*db);
    ASSERT_TRUE(con.Query("CREATE TABLE t (ts TIMESTAMP, tag VARCHAR, v DOUBLE)").ok());
    EXPECT_EQ(Text(con, "SELECT current_setting('auto_maintenance')"), "false");
    EXPECT_EQ(Text(con, "SELECT enabled::VARCHAR || ' ' || runs::VARCHAR || ' ' || "
                        "(next_run IS NULL)::VARCHAR FROM tslake_maintenance()"),
              "false 0 true");
    Result bad = con.Query("SET auto_maintenance = 'maybe'");
    EXPECT_FALSE(bad.ok());
    EXPECT_NE(bad.error_message().find("auto_maintenance takes true or false"), std::string::npos)
        << bad.error_message();
  }
  Options ro = Fast();
  ro.read_only = true;
  auto db = Database::Open(DbPath(), ro, static_cast<std::string*>(nullptr));
  ASSERT_NE(db, nullptr);
  Connection con(*db);
  Result r = con.Query("SET auto_maintenance = true");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error_message().find("read-only"), std::string::npos) << r.error_message();
  EXPECT_EQ(Text(con, "SELECT enabled::VARCHAR FROM tslake_maintenance()"), "false");
}

TEST_F(AutoMaintenanceTest, CompactsVacuumsAndMarksTheHistoryAutomatic) {
  auto db = Database::Open(DbPath(), Fast(), static_cast<std::string*>(nullptr));
  ASSERT_NE(db, nullptr);
  Connection con(*db);
  ASSERT_TRUE(con.Query("SET auto_maintenance = false").ok());  // quiet while loading
  ASSERT_TRUE(con.Query("CREATE TABLE t (ts TIMESTAMP, tag VARCHAR, v DOUBLE) "
                        "WITH (deleted_file_retention = '1 second')")
                  .ok());
  InsertBatches(con, 6);
  const std::string before = Text(con, "SELECT count(*)::VARCHAR || ' ' || sum(v)::VARCHAR FROM t");
  ASSERT_EQ(before, "60 1770.0");
  ASSERT_TRUE(con.Query("SET auto_maintenance = true").ok());
  EXPECT_EQ(Text(con, "SELECT current_setting('auto_maintenance')"), "true");
  ASSERT_TRUE(WaitForHistory(con, "t", "OPTIMIZE", 1));
  // The compacted files go once deleted_file_retention (1 s) has passed.
  ASSERT_TRUE(WaitForHistory(con, "t", "VACUUM END", 1));
  EXPECT_EQ(Text(con, "SELECT count(*)::VARCHAR || ' ' || sum(v)::VARCHAR FROM t"), before);
  // One OPTIMIZE only: its output is one file, under the threshold.
  EXPECT_EQ(History(con, "t", "OPTIMIZE"), 1);
  EXPECT_EQ(Text(con, "SELECT (last_run IS NOT NULL AND next_run IS NOT NULL AND enabled AND "
                      "error IS NULL AND runs > 0)::VARCHAR FROM tslake_maintenance() "
                      "WHERE table_name = 't'"),
            "true");
  // The old version's files are gone: reading it fails, the latest reads.
  EXPECT_FALSE(con.Query("SELECT sum(v) FROM t VERSION AS OF 3").ok());
  ASSERT_TRUE(con.Query("SET auto_maintenance = false").ok());
  EXPECT_EQ(Text(con, "SELECT (enabled OR next_run IS NOT NULL)::VARCHAR FROM tslake_maintenance()"),
            "false");
  // Paused: no pass after the one in hand.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const std::string runs = Text(con, "SELECT runs::VARCHAR FROM tslake_maintenance()");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(Text(con, "SELECT runs::VARCHAR FROM tslake_maintenance()"), runs);
}

TEST_F(AutoMaintenanceTest, RetentionWaitsForTheViewsAndKeepsTheirBuckets) {
  auto db = Database::Open(DbPath(), Fast(), static_cast<std::string*>(nullptr));
  ASSERT_NE(db, nullptr);
  Connection con(*db);
  ASSERT_TRUE(con.Query("CREATE TABLE s (ts TIMESTAMP, tag VARCHAR, v DOUBLE)").ok());
  ASSERT_TRUE(con.Query("CREATE MATERIALIZED VIEW m AS SELECT time_bucket(INTERVAL '1 hour', ts) "
                        "AS h, tag, count(*) AS n, sum(v) AS total FROM s GROUP BY ALL")
                  .ok());
  ASSERT_TRUE(con.Query("INSERT INTO s SELECT now()::TIMESTAMP, 'a', 2.0 FROM range(5)").ok());
  // The rows expire 1 s after they were written: the next passes delete
  // them (nothing else commits into s), after the view holds them.
  ASSERT_TRUE(con.Query("ALTER TABLE s SET (retention = '1 second')").ok());
  ASSERT_TRUE(WaitFor(con, "SELECT count(*)::VARCHAR FROM s", "0"))
      << Text(con, "SELECT last_action || ' / ' || coalesce(error, '') FROM tslake_maintenance() "
                   "WHERE table_name = 's'");
  EXPECT_GE(History(con, "s", "DELETE", true), 1);
  EXPECT_EQ(Text(con, "SELECT n::VARCHAR || ' ' || total::VARCHAR FROM m"), "5 10.0");
}

TEST_F(AutoMaintenanceTest, CloseWhileRunningJoinsTheThread) {
  {
    auto db = Database::Open(DbPath(), Options{}, static_cast<std::string*>(nullptr));
    ASSERT_NE(db, nullptr);
    Connection con(*db);
    ASSERT_TRUE(con.Query("CREATE TABLE t (ts TIMESTAMP, tag VARCHAR, v DOUBLE)").ok());
    InsertBatches(con, 12);
  }
  // Closes at various points of a pass (starting, compacting, pacing): no
  // crash, no work after close, the data intact at every reopen.
  for (int round = 0; round < 8; ++round) {
    Options o = Fast();
    o.maintenance_cpu_share = 0.05;  // long pacing sleeps: close interrupts them
    auto db = Database::Open(DbPath(), o, static_cast<std::string*>(nullptr));
    ASSERT_NE(db, nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds(round * 3));
    const auto t0 = std::chrono::steady_clock::now();
    db.reset();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  }
  auto db = Database::Open(DbPath(), Options{}, static_cast<std::string*>(nullptr));
  ASSERT_NE(db, nullptr);
  Connection con(*db);
  EXPECT_EQ(Text(con, "SELECT count(*)::VARCHAR || ' ' || sum(v)::VARCHAR FROM t"),
            "120 7140.0");
  // The directory does not change after close: no straggling pass.
  const std::string history = Text(con, "DESCRIBE HISTORY t LIMIT 1");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(Text(con, "DESCRIBE HISTORY t LIMIT 1"), history);
}

TEST_F(AutoMaintenanceTest, CConfigTurnsItOn) {
  tslake_config* config = nullptr;
  ASSERT_EQ(tslake_config_create(&config), TSLAKE_OK);
  EXPECT_EQ(tslake_config_set(config, "auto_maintenance", "true"), TSLAKE_OK);
  EXPECT_EQ(tslake_config_set(config, "maintenance_interval_ms", "20"), TSLAKE_OK);
  EXPECT_EQ(tslake_config_set(config, "maintenance_cpu_share", "0.5"), TSLAKE_OK);
  EXPECT_EQ(tslake_config_set(config, "maintenance_small_files", "4"), TSLAKE_OK);
  EXPECT_EQ(tslake_config_set(config, "maintenance_cpu_share", "half"), TSLAKE_INVALID_ARGUMENT);
  EXPECT_EQ(tslake_config_set(config, "maintenance_small_files", "1"), TSLAKE_OK);
  tslake_database* db = nullptr;
  char* err = nullptr;
  EXPECT_EQ(tslake_open_ext(DbPath().c_str(), config, &db, &err), TSLAKE_INVALID_ARGUMENT);
  ASSERT_NE(err, nullptr);
  EXPECT_NE(std::string(err).find("maintenance_small_files"), std::string::npos) << err;
  tslake_free(err);
  EXPECT_EQ(tslake_config_set(config, "maintenance_small_files", "4"), TSLAKE_OK);
  ASSERT_EQ(tslake_open_ext(DbPath().c_str(), config, &db, &err), TSLAKE_OK);
  tslake_config_destroy(config);
  tslake_connection* con = nullptr;
  ASSERT_EQ(tslake_connect(db, &con), TSLAKE_OK);
  tslake_result* r = nullptr;
  ASSERT_EQ(tslake_query(con, "SELECT current_setting('auto_maintenance')", &r), TSLAKE_OK);
  EXPECT_STREQ(tslake_value_text(r, 0, 0), "true");
  tslake_result_destroy(r);
  EXPECT_EQ(tslake_disconnect(con), TSLAKE_OK);
  EXPECT_EQ(tslake_close(db), TSLAKE_OK);
}

// The worker on an engine-level database, so that a DELETE can commit
// between the compaction's read and its commit.
TEST_F(AutoMaintenanceTest, CompactionLosesToAConcurrentWriterAndRetries) {
  tsl::DatabaseOptions options;
  auto opened = tsl::Database::Open(DbPath(), options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<tsl::Database> db = std::move(opened).value();
  tsl::query::TableFunctionRegistry functions;
  tsl::query::DatabaseConfig config;
  tsl::query::QueryEngine engine(db.get(), &functions, &config);
  auto run = [&](const std::string& sql) {
    auto r = engine.Execute(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() && r->row_count() > 0 ? r->chunks[0].columns[0].GetValue(0).ToString()
                                        : std::string();
  };
  auto optimizes = [&] {
    auto r = engine.Execute("DESCRIBE HISTORY t");
    EXPECT_TRUE(r.ok());
    int n = 0;
    for (const tsl::DataChunk& c : r->chunks)
      for (size_t i = 0; i < c.size(); ++i) n += c.columns[2].GetValue(i).ToString() == "OPTIMIZE";
    return n;
  };
  run("CREATE TABLE t (ts TIMESTAMP, tag VARCHAR, v DOUBLE)");
  for (int b = 0; b < 4; ++b) {
    run("INSERT INTO t VALUES (TIMESTAMP '2024-01-01' + INTERVAL (" + std::to_string(b) +
        ") HOUR, 'a', " + std::to_string(b) + ")");
  }
  int writes = 0;
  MaintenanceSettings settings;
  settings.small_files = 2;
  settings.cpu_share = 1.0;
  settings.TEST_before_optimize_commit = [&] {
    if (writes++ > 0) return;
    // The writer: removes a file the compaction has read and rewritten.
    tsl::query::QueryEngine writer(db.get(), &functions, &config);
    auto r = writer.Execute("DELETE FROM t WHERE v = 1");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
  };
  MaintenanceWorker worker(db.get(), &functions, &config, settings);
  worker.RunOnce();
  std::vector<TableMaintenanceReport> reports = worker.Reports();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].conflicts, 1);
  EXPECT_NE(reports[0].error.find("OPTIMIZE lost to a concurrent commit"), std::string::npos)
      << reports[0].error;
  // The writer's DELETE stands; the compaction committed nothing.
  EXPECT_EQ(run("SELECT count(*)::VARCHAR || ' ' || sum(v)::VARCHAR FROM t"), "3 5.0");
  EXPECT_EQ(optimizes(), 0);
  // The next pass compacts, once.
  worker.RunOnce();
  reports = worker.Reports();
  EXPECT_EQ(reports[0].error, "");
  EXPECT_NE(reports[0].last_action.find("OPTIMIZE"), std::string::npos) << reports[0].last_action;
  EXPECT_EQ(run("SELECT count(*)::VARCHAR || ' ' || sum(v)::VARCHAR FROM t"), "3 5.0");
  EXPECT_EQ(optimizes(), 1);
  worker.Stop();
  worker.Stop();  // idempotent
  worker.SetEnabled(true);  // after Stop: no thread
  EXPECT_FALSE(worker.enabled());
}

}  // namespace
}  // namespace tslake
