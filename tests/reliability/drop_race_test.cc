// Issue 15 item 8 across processes: writers INSERT into `s` while another
// process loops `DROP TABLE s; CREATE TABLE s` for TSLAKE_DROP_RACE_SECONDS
// seconds (3 by default). A writer must either commit into the table it
// started on or fail (kConflict, or a missing table); it must never commit
// into the re-created table a version naming segment files the DROP
// deleted. Afterwards `check` is clean (no version names a missing
// segment, no gap) and the table reads.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "process_test_util.h"
#include "reliability_test_util.h"
#include "storage/table_checker.h"
#include "tslake/tslake.hpp"

namespace tsl {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int Writer(const std::string& db_path, const std::string& side, int64_t until_ms) {
  auto db = tslake::Database::Open(db_path);
  if (!db) return 3;
  tslake::Connection con(*db);
  std::string sql = "INSERT INTO s VALUES ";
  for (int i = 0; i < 200; ++i)
    sql += std::string(i ? ", " : "") + "(TIMESTAMP '2024-01-01' + INTERVAL " + std::to_string(i) +
           " SECOND, 'w', " + std::to_string(i) + ")";
  while (NowMs() < until_ms) {
    tslake::Result r = con.Query(sql);
    reliability::AppendLine(side, r.ok() ? "ok" : r.error_message());
  }
  return 0;
}

int Dropper(const std::string& db_path, int64_t until_ms) {
  auto db = tslake::Database::Open(db_path);
  if (!db) return 3;
  tslake::Connection con(*db);
  while (NowMs() < until_ms) {
    (void)con.Query("DROP TABLE IF EXISTS s");
    (void)con.Query("CREATE TABLE IF NOT EXISTS s (ts TIMESTAMP, tag VARCHAR, v DOUBLE)");
  }
  return 0;
}

TEST(DropRace, WritersNeverCommitIntoARecreatedTable) {
  const int64_t seconds = reliability::EnvInt("TSLAKE_DROP_RACE_SECONDS", 3);
  reliability::TempDir dir;
  const std::string db_path = dir.path() + "/db";
  {
    auto db = tslake::Database::Open(db_path);
    ASSERT_TRUE(db);
    tslake::Connection con(*db);
    ASSERT_TRUE(con.Query("CREATE TABLE s (ts TIMESTAMP, tag VARCHAR, v DOUBLE)").ok());
  }
  const int64_t until = NowMs() + seconds * 1000;
  std::vector<pid_t> pids;
  for (int w = 0; w < 2; ++w) {
    std::string side = dir.path() + "/writer" + std::to_string(w);
    pids.push_back(reliability::ForkChild([&, side] { return Writer(db_path, side, until); }));
  }
  pids.push_back(reliability::ForkChild([&] { return Dropper(db_path, until); }));
  for (pid_t pid : pids) EXPECT_EQ(reliability::WaitChild(pid), 0);

  int64_t ok = 0, failed = 0;
  for (int w = 0; w < 2; ++w)
    for (const std::string& l : reliability::ReadLines(dir.path() + "/writer" + std::to_string(w)))
      (l == "ok" ? ok : failed) += 1;
  std::cout << "inserts committed " << ok << ", failed " << failed << "\n";

  auto report = TableChecker::CheckDatabase(Env::Default(), db_path);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << report->ToString();
  auto db = tslake::Database::Open(db_path);
  ASSERT_TRUE(db);
  tslake::Connection con(*db);
  tslake::Result r = con.Query("SELECT count(*) FROM s");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.GetInt64(0, 0) % 200, 0);
}

}  // namespace
}  // namespace tsl
