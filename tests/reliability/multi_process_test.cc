// Multi-process concurrency: 16 writer processes and 4 reader processes
// share one table for TSLAKE_MP_SECONDS seconds (10 by default, 60 in
// `./run reliability`). Each writer appends batches of kRowsPerBatch rows
// (INSERT, one version each) and records every acknowledged batch id; each
// reader repeatedly counts rows and distinct batches in one statement and
// records any read that is not a whole number of batches (a torn version)
// or that went backwards. Afterwards:
//   - every acknowledged batch is present exactly once, with all its rows;
//   - no batch is present that no writer attempted;
//   - the log holds exactly one version per committed batch after CREATE
//     (no lost and no duplicated commit) and `tslake check` is clean;
//   - no reader saw an inconsistent version.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

#include "process_test_util.h"
#include "reliability_test_util.h"
#include "storage/table_checker.h"
#include "storage/transaction_log.h"
#include "tslake/tslake.hpp"

namespace tsl {
namespace {

constexpr int kRowsPerBatch = 10;
constexpr int kWriters = 16;
constexpr int kReaders = 4;
constexpr int64_t kBatchStride = 1000000;  // batch id = writer * stride + seq

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int Writer(const std::string& db_path, const std::string& side, int w, int64_t until_ms) {
  auto db = tslake::Database::Open(db_path);
  if (!db) return 3;
  tslake::Connection con(*db);
  for (int64_t seq = 0; NowMs() < until_ms; ++seq) {
    int64_t batch = w * kBatchStride + seq;
    std::string sql = "INSERT INTO t VALUES ";
    for (int i = 0; i < kRowsPerBatch; ++i)
      sql += std::string(i ? ", " : "") + "(" + std::to_string(batch) + ", " + std::to_string(i) +
             ", " + std::to_string(w) + ")";
    reliability::AppendLine(side + ".attempted", std::to_string(batch));
    tslake::Result r = con.Query(sql);
    if (r.ok()) {
      reliability::AppendLine(side, std::to_string(batch));
    } else {
      reliability::AppendLine(side + ".errors", r.error_message());
    }
  }
  return 0;
}

int Reader(const std::string& db_path, const std::string& side, int64_t until_ms) {
  auto db = tslake::Database::Open(db_path);
  if (!db) return 3;
  tslake::Connection con(*db);
  int64_t last = -1, reads = 0;
  while (NowMs() < until_ms) {
    tslake::Result r = con.Query("SELECT count(*), count(DISTINCT batch) FROM t");
    if (!r.ok()) {
      reliability::AppendLine(side + ".errors", r.error_message());
      continue;
    }
    int64_t rows = r.GetInt64(0, 0), batches = r.GetInt64(1, 0);
    ++reads;
    if (rows != batches * kRowsPerBatch)
      reliability::AppendLine(side + ".errors", "torn read: " + std::to_string(rows) +
                                                    " rows in " + std::to_string(batches) +
                                                    " batches");
    if (rows < last)
      reliability::AppendLine(side + ".errors", "went backwards: " + std::to_string(rows) +
                                                    " rows after " + std::to_string(last));
    last = rows;
  }
  reliability::AppendLine(side, std::to_string(reads));
  return 0;
}

TEST(MultiProcess, SixteenWritersFourReadersLoseAndDuplicateNoCommit) {
  const int64_t seconds = reliability::EnvInt("TSLAKE_MP_SECONDS", 10);
  reliability::TempDir dir;
  const std::string db_path = dir.path() + "/db";
  {
    auto db = tslake::Database::Open(db_path);
    ASSERT_TRUE(db);
    tslake::Connection con(*db);
    ASSERT_TRUE(con.Query("CREATE TABLE t (batch BIGINT, seq INTEGER, writer INTEGER)").ok());
  }
  const int64_t until = NowMs() + seconds * 1000;
  std::vector<pid_t> pids;
  for (int w = 0; w < kWriters; ++w) {
    std::string side = dir.path() + "/writer" + std::to_string(w);
    pids.push_back(reliability::ForkChild([&, w, side] { return Writer(db_path, side, w, until); }));
  }
  for (int r = 0; r < kReaders; ++r) {
    std::string side = dir.path() + "/reader" + std::to_string(r);
    pids.push_back(reliability::ForkChild([&, side] { return Reader(db_path, side, until); }));
  }
  for (pid_t pid : pids) EXPECT_EQ(reliability::WaitChild(pid), 0);

  std::set<int64_t> acked, attempted;
  int64_t errors = 0, reads = 0;
  for (int w = 0; w < kWriters; ++w) {
    std::string side = dir.path() + "/writer" + std::to_string(w);
    for (const std::string& l : reliability::ReadLines(side)) acked.insert(std::stoll(l));
    for (const std::string& l : reliability::ReadLines(side + ".attempted"))
      attempted.insert(std::stoll(l));
    for (const std::string& e : reliability::ReadLines(side + ".errors")) {
      ADD_FAILURE() << "writer " << w << ": " << e;
      ++errors;
    }
  }
  for (int r = 0; r < kReaders; ++r) {
    std::string side = dir.path() + "/reader" + std::to_string(r);
    for (const std::string& l : reliability::ReadLines(side)) reads += std::stoll(l);
    for (const std::string& e : reliability::ReadLines(side + ".errors")) {
      ADD_FAILURE() << "reader " << r << ": " << e;
      ++errors;
    }
  }

  auto db = tslake::Database::Open(db_path);
  ASSERT_TRUE(db);
  tslake::Connection con(*db);
  tslake::Result r = con.Query("SELECT batch, count(*), count(DISTINCT seq) FROM t GROUP BY batch");
  ASSERT_TRUE(r.ok()) << r.error_message();
  std::set<int64_t> present;
  for (int64_t i = 0; i < r.row_count(); ++i) {
    int64_t batch = r.GetInt64(0, i);
    present.insert(batch);
    EXPECT_EQ(r.GetInt64(1, i), kRowsPerBatch) << "batch " << batch << " partial or duplicated";
    EXPECT_EQ(r.GetInt64(2, i), kRowsPerBatch) << "batch " << batch << " has duplicate rows";
    EXPECT_TRUE(attempted.count(batch)) << "batch " << batch << " was never written";
  }
  int64_t lost = 0;
  for (int64_t b : acked) lost += !present.count(b);
  EXPECT_EQ(lost, 0) << "acknowledged batches lost";

  TransactionLog log(Env::Default(), db_path + "/t");
  Result<int64_t> latest = log.LatestVersion();
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(*latest, static_cast<int64_t>(present.size()))
      << "versions after CREATE must equal committed batches";
  db.reset();
  Result<CheckReport> report = TableChecker::CheckDatabase(Env::Default(), db_path);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->ToString();
  std::printf(
      "[ multiproc ] %d writers + %d readers for %lld s: %zu commits acknowledged (%zu "
      "present, %lld versions), %lld consistent reads, %lld lost, 0 duplicated, %lld errors\n",
      kWriters, kReaders, static_cast<long long>(seconds), acked.size(), present.size(),
      static_cast<long long>(*latest), static_cast<long long>(reads),
      static_cast<long long>(lost), static_cast<long long>(errors));
}

}  // namespace
}  // namespace tsl
