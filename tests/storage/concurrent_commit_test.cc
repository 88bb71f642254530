// Optimistic concurrency across threads and processes: 8 threads in this
// process and 4 forked processes append to one table at the same time;
// every acknowledged append is present exactly once afterwards, and the
// log, its checkpoints and the catalog agree.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "formats/timestamp.h"
#include "storage/append_group.h"
#include "storage/catalog.h"
#include "storage/checkpoint.h"
#include "storage/database.h"
#include "storage/table.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

using testing::MetricChunk;
using testing::MetricSchema;

constexpr int kThreads = 8;
constexpr int kProcesses = 4;
constexpr int kCommitsEach = 8;
constexpr int kRows = 5;

// One append whose rows carry v = batch * 1000 + r.
bool AppendBatch(const std::shared_ptr<Table>& table, int batch) {
  auto w = table->NewWriter();
  int64_t t0 = *ParseTimestamp("2024-01-01") + int64_t{batch % 3} * kMicrosPerDay;
  if (!w->Append(MetricChunk(t0, kRows, batch * 1000.0)).ok()) return false;
  return w->Commit("WRITE").ok();
}

TEST(ConcurrentCommitTest, ThreadsAndProcessesAppendingAtOnceLoseAndDuplicateNothing) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/db";
  {
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->CreateTable("m", MetricSchema(), {{"partition_by", "day(ts)"}}).ok());
  }
  // Processes first (fork before this process has threads); each writes
  // the batch ids it got an acknowledgement for to its own file.
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int failures = 0;
      {
        auto db = Database::Open(path);
        auto table = db.ok() ? (*db)->GetTable("m") : Result<std::shared_ptr<Table>>(db.status());
        std::ofstream acks(dir.path() + "/acks-" + std::to_string(p));
        for (int c = 0; c < kCommitsEach && table.ok(); ++c) {
          int batch = 100 + p * kCommitsEach + c;
          if (AppendBatch(*table, batch)) {
            acks << batch << "\n" << std::flush;
          } else {
            ++failures;
          }
        }
        if (!table.ok()) failures = 99;
      }
      _exit(failures);
    }
    children.push_back(pid);
  }
  std::mutex mu;
  std::vector<int> acked;
  {
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok());
    auto table = (*db)->GetTable("m");
    ASSERT_TRUE(table.ok());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        for (int c = 0; c < kCommitsEach; ++c) {
          int batch = t * kCommitsEach + c;
          if (AppendBatch(*table, batch)) {
            std::lock_guard<std::mutex> l(mu);
            acked.push_back(batch);
          }
        }
      });
    for (auto& th : threads) th.join();
  }
  for (size_t p = 0; p < children.size(); ++p) {
    int status = 0;
    ASSERT_EQ(waitpid(children[p], &status, 0), children[p]);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "process " << p << " had failed appends";
    std::ifstream acks(dir.path() + "/acks-" + std::to_string(p));
    int b;
    while (acks >> b) acked.push_back(b);
  }
  // Blind appends never conflict: every one of them was acknowledged.
  EXPECT_EQ(acked.size(), static_cast<size_t>((kThreads + kProcesses) * kCommitsEach));

  auto db = Database::Open(path);
  ASSERT_TRUE(db.ok());
  auto table = *(*db)->GetTable("m");
  auto snap = *table->GetSnapshot();
  EXPECT_EQ(snap->version(), static_cast<int64_t>(acked.size()));
  std::map<double, int> seen;
  auto scan = table->NewScan(snap, ScanOptions{{2}, {}});
  DataChunk all = testing::ReadAll(scan->get());
  for (double v : all.columns[0].doubles) ++seen[v];
  EXPECT_EQ(all.size(), acked.size() * kRows);
  for (int batch : acked)
    for (int r = 0; r < kRows; ++r)
      EXPECT_EQ(seen[batch * 1000.0 + r], 1) << "batch " << batch << " row " << r;
  // Checkpoints written by racing processes are all valid and agree with
  // the log; the catalog reflects the last version.
  auto cps = Checkpoint::List(Env::Default(), path + "/m/_log");
  ASSERT_TRUE(cps.ok());
  EXPECT_FALSE(cps->empty());
  for (int64_t v : *cps) {
    auto cp = Checkpoint::Read(Env::Default(), path + "/m/_log", v);
    ASSERT_TRUE(cp.ok()) << cp.status().ToString();
    EXPECT_EQ((*cp)->total_rows(), (*table->GetSnapshot(v))->total_rows());
  }
  EXPECT_EQ(*(*db)->catalog()->CurrentVersion("m"), snap->version());
}

// Group commit (storage/append_group.h): 16 threads each making 12
// one-row appends through CommitAppend. The appends that queue while a
// commit is in flight share its version, so there are fewer versions than
// appends; every row is present exactly once; a group's commitInfo counts
// its statements; a caller alone still gets a version of its own.
TEST(ConcurrentCommitTest, GroupedAppendsShareVersionsAndLoseNothing) {
  testing::TempDir dir;
  auto db = Database::Open(dir.path() + "/db");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->CreateTable("m", MetricSchema(), {}).ok());
  auto table = *(*db)->GetTable("m");
  constexpr int kWriters = 16, kEach = 12;
  const int64_t t0 = *ParseTimestamp("2024-01-01");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kWriters; ++t)
    threads.emplace_back([&, t] {
      for (int c = 0; c < kEach; ++c) {
        std::vector<DataChunk> rows;
        rows.push_back(MetricChunk(t0, 1, t * 1000.0 + c));
        Result<CommitResult> r = CommitAppend(table, {}, std::move(rows));
        if (!r.ok() || r->version <= 0) ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto snap = *table->GetSnapshot();
  EXPECT_LT(snap->version(), kWriters * kEach) << "no append was grouped";
  EXPECT_GE(snap->version(), 1);
  DataChunk all = testing::ReadAll(table->NewScan(snap, ScanOptions{{2}, {}})->get());
  ASSERT_EQ(all.size(), static_cast<size_t>(kWriters * kEach));
  std::map<double, int> seen;
  for (double v : all.columns[0].doubles) ++seen[v];
  for (int t = 0; t < kWriters; ++t)
    for (int c = 0; c < kEach; ++c) EXPECT_EQ(seen[t * 1000.0 + c], 1) << t << "/" << c;
  // Versions' statement counts add up to the appends.
  auto history = table->History();
  ASSERT_TRUE(history.ok());
  int64_t statements = 0;
  bool grouped = false;
  for (const auto& [version, info] : *history) {
    if (version == 0) continue;  // CREATE TABLE
    auto it = info.operation_parameters.find("statements");
    const int64_t n = it == info.operation_parameters.end() ? 1 : std::stoll(it->second);
    grouped = grouped || n > 1;
    statements += n;
  }
  EXPECT_TRUE(grouped);
  EXPECT_EQ(statements, kWriters * kEach);
  // Alone: a version of its own, without the parameter.
  std::vector<DataChunk> one;
  one.push_back(MetricChunk(t0, 2, 99999.0));
  Result<CommitResult> alone = CommitAppend(table, {}, std::move(one));
  ASSERT_TRUE(alone.ok()) << alone.status().ToString();
  EXPECT_EQ(alone->version, snap->version() + 1);
  EXPECT_EQ(alone->rows_added, 2);
}

}  // namespace
}  // namespace tsl
