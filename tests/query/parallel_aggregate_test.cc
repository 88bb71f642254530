// The parallel hash aggregate (execution/parallel_pipeline.h): GROUP BY
// queries over a table of several segment files give the same rows with
// threads = 1 and threads = 2..4 (every aggregate kind, DISTINCT, ORDER BY
// and FILTER inside aggregates, NULL groups, empty input, no GROUP BY);
// an error raised inside a worker, a cancellation and the memory limit
// reach the caller as one thread reports them and leave nothing reserved;
// EXPLAIN shows one worker pipeline and workers=N.
#include <string>
#include <vector>

#include "query/execution/memory_tracker.h"
#include "query/execution/parallel_pipeline.h"
#include "tests/query/query_test_util.h"

namespace tsl::query {
namespace {

class ParallelAggregateTest : public EngineFixture {
 protected:
  void SetUp() override {
    EngineFixture::SetUp();
    Run("CREATE TABLE t(ts TIMESTAMP, tag VARCHAR, v DOUBLE, i BIGINT, b BOOLEAN)");
    // Six commits, six segment files; tags repeat across files, one tag is
    // NULL, values are multiples of 0.25 (exact sums in any order).
    for (int f = 0; f < 6; ++f) {
      const std::string base = std::to_string(f * 400);
      Run("INSERT INTO t SELECT to_timestamp(1704067200 + r + " + base +
          "), CASE WHEN r % 7 = 0 THEN NULL ELSE 'tag' || ((r + " + std::to_string(f) +
          ") % 5) END, (r % 13) * 0.25, CASE WHEN r % 11 = 0 THEN NULL ELSE (r * 7 + " +
          std::to_string(f * 13) + ") % 50 END, r % 3 = 0 FROM range(400) x(r)");
    }
    SetThreads(0);
  }
  void TearDown() override { SetThreads(0); }

  // The rows of `sql` with each thread count; all must equal threads = 1.
  void ExpectSameAcrossThreads(const std::string& sql) {
    SetThreads(1);
    const Strings serial = Rows(sql);
    ASSERT_FALSE(serial.empty()) << sql;
    for (int n = 2; n <= 4; ++n) {
      SetThreads(n);
      EXPECT_EQ(Rows(sql), serial) << sql << " with threads = " << n;
    }
  }
};

TEST_F(ParallelAggregateTest, PlanHasOneScanPerWorker) {
  SetThreads(3);
  std::string plan;
  for (const auto& line : Rows("EXPLAIN SELECT tag, count(*) FROM t WHERE i > 3 GROUP BY tag")) {
    plan += line + "\n";
  }
  EXPECT_NE(plan.find("workers=3"), std::string::npos) << plan;
  // One pipeline shown, not three.
  EXPECT_EQ(plan.find("TABLE_SCAN"), plan.rfind("TABLE_SCAN")) << plan;
  SetThreads(1);
  plan.clear();
  for (const auto& line : Rows("EXPLAIN SELECT tag, count(*) FROM t GROUP BY tag")) plan += line;
  EXPECT_EQ(plan.find("workers="), std::string::npos) << plan;

  SetThreads(2);
  plan.clear();
  for (const auto& line : Rows("EXPLAIN ANALYZE SELECT tag, count(*) FROM t GROUP BY tag")) {
    plan += line + "\n";
  }
  // Scan counters are summed over the workers: all 6 files, 2,400 rows.
  EXPECT_NE(plan.find("rows=2400"), std::string::npos) << plan;
  EXPECT_NE(plan.find("segments_scanned=6"), std::string::npos) << plan;
  EXPECT_NE(plan.find("segments_total=6"), std::string::npos) << plan;
}

TEST_F(ParallelAggregateTest, EveryAggregateMatchesOneThread) {
  const char* queries[] = {
      "SELECT tag, count(*), count(i), sum(i), avg(v), min(v), max(v), min(tag), max(ts) "
      "FROM t GROUP BY tag",
      "SELECT tag, count(DISTINCT i), count(DISTINCT v), sum(DISTINCT i) FROM t GROUP BY tag",
      "SELECT tag, median(v), quantile_cont(i, 0.3), quantile_disc(v, 0.9), median(ts) "
      "FROM t GROUP BY tag",
      "SELECT tag, arg_max(i, v), arg_min(i, v), arg_max(tag, ts), max_by(v, i) FROM t GROUP BY tag",
      "SELECT tag, first(i), last(i), any_value(i), first(v ORDER BY ts DESC) FROM t GROUP BY tag",
      "SELECT tag, string_agg(CAST(i AS VARCHAR), ',' ORDER BY ts), "
      "string_agg(DISTINCT CAST(i % 4 AS VARCHAR), '|') FROM t GROUP BY tag",
      "SELECT tag, length(string_agg(CAST(i AS VARCHAR), ',')) FROM t GROUP BY tag",
      "SELECT tag, approx_count_distinct(i), approx_count_distinct(ts), bool_and(b), bool_or(b), "
      "count_if(i > 20) FROM t GROUP BY tag",
      "SELECT tag, round(stddev_samp(v), 9), round(var_pop(i), 9), "
      "round(time_weighted_avg(v, ts), 9) FROM t GROUP BY tag",
      "SELECT tag, count(*) FILTER (WHERE b), sum(i) FILTER (WHERE v > 1), "
      "count(DISTINCT i) FILTER (WHERE b) FROM t GROUP BY tag",
      // Groups in first-appearance order (no ORDER BY), many groups, two keys.
      "SELECT i, tag, count(*), sum(v) FROM t GROUP BY i, tag",
      "SELECT time_bucket(INTERVAL '5 minutes', ts) AS m, count(DISTINCT tag), avg(v) FROM t "
      "GROUP BY m",
      "SELECT b, count(*) FROM t WHERE tag IS NULL OR i < 10 GROUP BY b",
      // No GROUP BY; an empty input (zone maps skip every file) still
      // gives one row.
      "SELECT count(*), sum(i), count(DISTINCT tag), median(v), first(i) FROM t",
      "SELECT count(*), sum(i), max(tag) FROM t WHERE ts > TIMESTAMP '2030-01-01'",
      "SELECT tag, count(*) FROM t WHERE ts > TIMESTAMP '2030-01-01' GROUP BY tag "
      "UNION ALL SELECT 'none', 0",
      "SELECT tag, count(*) FROM t GROUP BY tag HAVING count(*) > 300 ORDER BY tag",
  };
  for (const char* q : queries) ExpectSameAcrossThreads(q);
}

TEST_F(ParallelAggregateTest, WorkerErrorReachesCallerAsOneThreadReportsIt) {
  const std::string bad =
      "SELECT tag, sum(CAST(CASE WHEN i = 7 AND v > 2 THEN 'x' ELSE '1' END AS INTEGER)) "
      "FROM t GROUP BY tag";
  SetThreads(1);
  const Status serial = Fail(bad);
  ASSERT_FALSE(serial.ok());
  for (int n = 2; n <= 4; ++n) {
    SetThreads(n);
    const Status parallel = Fail(bad);
    EXPECT_EQ(parallel.code(), serial.code()) << parallel.ToString();
    EXPECT_EQ(parallel.message(), serial.message());
  }
  EXPECT_EQ(MemoryReserved(), 0);
  // The session is still usable.
  EXPECT_EQ(Rows("SELECT count(*) FROM t WHERE i = 7 AND v > 2"), Strings({"12"}));
}

TEST_F(ParallelAggregateTest, CancelStopsEveryWorker) {
  SetThreads(4);
  int results = 0;
  Status st = engine_->ExecuteScript("SELECT 1; SELECT tag, count(DISTINCT i) FROM t GROUP BY tag",
                                     [&](const QueryResult&) {
                                       ++results;
                                       engine_->Cancel();
                                     });
  EXPECT_EQ(st.code(), StatusCode::kCancelled) << st.ToString();
  EXPECT_EQ(results, 1);
  EXPECT_EQ(MemoryReserved(), 0);
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT tag FROM t GROUP BY tag)"), Strings({"6"}));
}

TEST_F(ParallelAggregateTest, MemoryLimitCountsEveryWorkersGroups) {
  SetThreads(2);
  Run("SET memory_limit = '20kB'");
  const Status st = Fail("SELECT ts, count(*) FROM t GROUP BY ts");
  Run("RESET memory_limit");
  EXPECT_NE(st.message().find("HASH_AGGREGATE"), std::string::npos) << st.ToString();
  EXPECT_EQ(MemoryReserved(), 0);
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT ts FROM t GROUP BY ts)"), Strings({"2400"}));
}

TEST_F(ParallelAggregateTest, ThreadsSetting) {
  Run("SET threads = 3");
  EXPECT_EQ(Rows("SELECT current_setting('threads')"), Strings({"3"}));
  EXPECT_EQ(GetThreads(), 3);
  Run("PRAGMA threads = 1");
  EXPECT_EQ(GetThreads(), 1);
  Run("RESET threads");
  EXPECT_EQ(GetThreads(), DefaultThreads());
  EXPECT_NE(Fail("SET threads = 0").message().find("threads must be a whole number"),
            std::string::npos);
  EXPECT_NE(Fail("SET threads = 'many'").message().find("threads must be"), std::string::npos);
  EXPECT_EQ(GetThreads(), DefaultThreads());
}

}  // namespace
}  // namespace tsl::query
