// kill -9 trials: an ingest child process appends batches to one table
// (alternately INSERT ... VALUES and COPY from a CSV file) and, after each
// statement returns OK, records the batch id in a side file. The parent
// SIGKILLs it at a random moment, reopens the database and checks:
//   - the table opens and reads, and `tslake check` finds no problem;
//   - the version never went backwards;
//   - every acknowledged batch is present exactly once, with all its rows;
//   - no batch is present partially, and the only unacknowledged batch that
//     may be present is the one in flight when the kill came.
// TSLAKE_KILL_TRIALS sets the number of trials (50 by default, 1000 in
// `./run reliability`); TSLAKE_KILL_SEED the random seed;
// TSLAKE_KILL_CHECK_EVERY runs the full `tslake check` (every segment
// decoded) only every that many trials and after the last (default 1).
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "process_test_util.h"
#include "reliability_test_util.h"
#include "storage/table_checker.h"
#include "storage/transaction_log.h"
#include "tslake/tslake.hpp"

namespace tsl {
namespace {

constexpr int kRowsPerBatch = 20;
constexpr int64_t kBatchesPerTrial = 100000;  // batch id = trial * this + k

std::string BatchValues(int64_t batch) {
  std::string sql = "INSERT INTO t VALUES ";
  for (int i = 0; i < kRowsPerBatch; ++i) {
    if (i) sql += ", ";
    sql += "(" + std::to_string(batch) + ", " + std::to_string(i) + ", " +
           std::to_string(batch % 997 + i * 0.5) + ", TIMESTAMP '2024-01-01 00:00:00' + INTERVAL " +
           std::to_string(i) + " SECOND)";
  }
  return sql;
}

std::string BatchCsv(int64_t batch) {
  std::string csv = "batch,seq,v,ts\n";
  for (int i = 0; i < kRowsPerBatch; ++i)
    csv += std::to_string(batch) + "," + std::to_string(i) + "," + std::to_string(i * 0.25) +
           ",2024-01-02 00:00:" + (i < 10 ? "0" : "") + std::to_string(i) + "\n";
  return csv;
}

// The ingest child: appends batches until it is killed.
int IngestChild(const std::string& db_path, const std::string& acked_path,
                const std::string& csv_dir, int64_t trial) {
  std::unique_ptr<tslake::Database> db = tslake::Database::Open(db_path);
  if (!db) return 3;
  tslake::Connection con(*db);
  for (int64_t k = 0; k < kBatchesPerTrial; ++k) {
    int64_t batch = trial * kBatchesPerTrial + k;
    std::string sql;
    if (k % 2 == 0) {
      sql = BatchValues(batch);
    } else {
      std::string csv = csv_dir + "/" + std::to_string(batch) + ".csv";
      { std::ofstream(csv) << BatchCsv(batch); }
      sql = "COPY t FROM '" + csv + "' (HEADER true)";
    }
    tslake::Result r = con.Query(sql);
    if (!r.ok()) {
      reliability::AppendLine(acked_path + ".errors", r.error_message());
      return 4;
    }
    reliability::AppendLine(acked_path, std::to_string(batch));
  }
  return 0;
}

TEST(Kill9Trials, AcknowledgedBatchesSurviveSigkillAtRandomMoments) {
  const int64_t trials = reliability::EnvInt("TSLAKE_KILL_TRIALS", 50);
  const uint64_t seed = static_cast<uint64_t>(reliability::EnvInt("TSLAKE_KILL_SEED", 20261126));
  const int64_t check_every = std::max<int64_t>(1, reliability::EnvInt("TSLAKE_KILL_CHECK_EVERY", 1));
  int64_t checks = 0;
  std::mt19937_64 rng(seed);
  reliability::TempDir dir;
  const std::string db_path = dir.path() + "/db";
  const std::string acked_path = dir.path() + "/acked";
  const std::string csv_dir = dir.path() + "/csv";
  std::filesystem::create_directories(csv_dir);
  {
    auto db = tslake::Database::Open(db_path);
    ASSERT_TRUE(db);
    tslake::Connection con(*db);
    ASSERT_TRUE(con.Query("CREATE TABLE t (batch BIGINT, seq INTEGER, v DOUBLE, ts TIMESTAMP)").ok());
  }

  int64_t last_version = 0, in_flight_committed = 0, orphans = 0, killed_mid_run = 0;
  int64_t catalog_behind = 0;  // check warnings: catalog lagging the log after a kill
  std::set<int64_t> allowed_unacked;  // one in-flight batch per trial
  for (int64_t trial = 1; trial <= trials; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial) + " (seed " + std::to_string(seed) + ")");
    std::set<int64_t> acked_before;
    for (const std::string& l : reliability::ReadLines(acked_path)) acked_before.insert(std::stoll(l));
    pid_t pid = reliability::ForkChild(
        [&] { return IngestChild(db_path, acked_path, csv_dir, trial); });
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::microseconds(1000 + rng() % 250000));
    ::kill(pid, SIGKILL);
    int rc = reliability::WaitChild(pid);
    ASSERT_EQ(rc, 128 + SIGKILL) << "the ingest child stopped by itself: "
                                 << reliability::ReadLines(acked_path + ".errors").size()
                                 << " errors, see " << acked_path << ".errors";
    ++killed_mid_run;

    // The acknowledged set, and the batch that may have been in flight.
    std::set<int64_t> acked;
    int64_t last_acked_this_trial = trial * kBatchesPerTrial - 1;
    for (const std::string& l : reliability::ReadLines(acked_path)) {
      int64_t b = std::stoll(l);
      acked.insert(b);
      if (b / kBatchesPerTrial == trial) last_acked_this_trial = std::max(last_acked_this_trial, b);
    }
    allowed_unacked.insert(last_acked_this_trial + 1);

    if (trial % check_every == 0 || trial == trials) {
      Result<CheckReport> report = TableChecker::CheckDatabase(Env::Default(), db_path);
      ASSERT_TRUE(report.ok()) << report.status().ToString();
      EXPECT_TRUE(report->ok()) << report->ToString();
      orphans = static_cast<int64_t>(report->orphans.size());
      catalog_behind += static_cast<int64_t>(report->warnings.size());
      ++checks;
    }

    TransactionLog log(Env::Default(), db_path + "/t");
    Result<int64_t> version = log.LatestVersion();
    ASSERT_TRUE(version.ok()) << version.status().ToString();
    EXPECT_GE(*version, last_version) << "the table version went backwards";
    last_version = *version;

    auto db = tslake::Database::Open(db_path);
    ASSERT_TRUE(db) << "reopen failed";
    tslake::Connection con(*db);
    tslake::Result r =
        con.Query("SELECT batch, count(*), count(DISTINCT seq) FROM t GROUP BY batch");
    ASSERT_TRUE(r.ok()) << r.error_message();
    std::set<int64_t> present;
    for (int64_t i = 0; i < r.row_count(); ++i) {
      int64_t batch = r.GetInt64(0, i);
      present.insert(batch);
      EXPECT_EQ(r.GetInt64(1, i), kRowsPerBatch) << "batch " << batch << " is partial or doubled";
      EXPECT_EQ(r.GetInt64(2, i), kRowsPerBatch) << "batch " << batch << " has duplicate rows";
      if (!acked.count(batch)) {
        EXPECT_TRUE(allowed_unacked.count(batch))
            << "batch " << batch << " is present but was never acknowledged nor in flight";
        if (batch / kBatchesPerTrial == trial) ++in_flight_committed;
      }
    }
    for (int64_t b : acked) EXPECT_TRUE(present.count(b)) << "acknowledged batch " << b << " lost";
    if (::testing::Test::HasFailure()) break;
  }
  std::set<int64_t> acked;
  for (const std::string& l : reliability::ReadLines(acked_path)) acked.insert(std::stoll(l));
  std::printf(
      "[ kill9 ] %lld trials (seed %llu): %lld SIGKILLs, %zu batches acknowledged (%zu rows), "
      "%lld committed-but-unacknowledged in-flight batches, final version %lld, %lld checks "
      "(%lld orphan files at the end, %lld catalog-behind-log warnings), 0 lost, 0 duplicated\n",
      static_cast<long long>(trials), static_cast<unsigned long long>(seed),
      static_cast<long long>(killed_mid_run), acked.size(), acked.size() * kRowsPerBatch,
      static_cast<long long>(in_flight_committed), static_cast<long long>(last_version),
      static_cast<long long>(checks), static_cast<long long>(orphans), static_cast<long long>(catalog_behind));
}

}  // namespace
}  // namespace tsl
