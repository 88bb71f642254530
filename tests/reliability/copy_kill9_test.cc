// Issue 4's acceptance for SQL COPY: re-running an import is a no-op; a
// COPY killed with kill -9 leaves the table at its previous version; running
// it again completes with no duplicates. BATCH_ID 'auto' (the file's
// checksum and size as the Delta txn app id) is what makes the re-run safe.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "ingest/data_generator.h"
#include "tslake/tslake.hpp"

namespace {

int64_t Count(tslake::Connection& con, const std::string& sql) {
  tslake::Result r = con.Query(sql);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.error_message();
  return r.ok() && r.row_count() == 1 ? r.GetInt64(0, 0) : -1;
}

TEST(CopyKill9Test, KilledCopyLeavesPreviousVersionAndAutoBatchRerunCompletesOnce) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("tslake-copykill-" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string csv = dir + "/big.csv", db_path = dir + "/db";
  tsl::SensorDataOptions g;
  g.tags = 200;
  g.points_per_tag = 2000;  // 400,000 rows
  ASSERT_TRUE(tsl::GenerateSensorCsv(g, csv).ok());
  const int64_t rows = 400000;
  const std::string copy = "COPY s FROM '" + csv + "' (BATCH_ID 'auto')";
  {
    auto db = tslake::Database::Open(db_path, tslake::Options{}, static_cast<std::string*>(nullptr));
    ASSERT_NE(db, nullptr);
    tslake::Connection con(*db);
    ASSERT_TRUE(con.Query("CREATE TABLE s (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER)").ok());
    ASSERT_TRUE(con.Query("INSERT INTO s VALUES ('2023-01-01', 'x', 1, 192)").ok());
  }
  int killed = 0;
  // The COPY's commit landed: a child can be killed after its commit but
  // before it exits, so this is read off the table, not the exit status.
  bool committed = false;
  for (int delay_ms : {20, 120, 400}) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto db = tslake::Database::Open(db_path, tslake::Options{}, static_cast<std::string*>(nullptr));
      if (!db) ::_exit(2);
      tslake::Connection con(*db);
      ::_exit(con.Query(copy).ok() ? 0 : 1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) ++killed;
    else EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the COPY failed";
    auto db = tslake::Database::Open(db_path, tslake::Options{}, static_cast<std::string*>(nullptr));
    ASSERT_NE(db, nullptr);
    tslake::Connection con(*db);
    const int64_t n = Count(con, "SELECT count(*) FROM s");
    // The previous version, or (the commit landed first) the whole file
    // once; never part of it, and never back to 1 once it was all there.
    EXPECT_TRUE(n == 1 || n == rows + 1) << "after kill at " << delay_ms << " ms: " << n;
    EXPECT_FALSE(committed && n != rows + 1) << "the version went back after " << delay_ms << " ms";
    committed = committed || n == rows + 1;
  }
  EXPECT_GE(killed, 1) << "no COPY was killed mid-way; make the file bigger";
  auto db = tslake::Database::Open(db_path, tslake::Options{}, static_cast<std::string*>(nullptr));
  ASSERT_NE(db, nullptr);
  tslake::Connection con(*db);
  const int64_t first = Count(con, copy);
  EXPECT_EQ(first, committed ? 0 : rows);
  EXPECT_EQ(Count(con, copy), 0);  // re-running is a no-op
  EXPECT_EQ(Count(con, "SELECT count(*) FROM s"), rows + 1);
  EXPECT_EQ(Count(con, "SELECT max(c) FROM (SELECT count(*) AS c FROM s GROUP BY tag, ts)"), 1);
  std::filesystem::remove_all(dir);
}

}  // namespace
