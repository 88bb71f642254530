// UPDATE's crash safety and concurrency (issue 17):
// - a fault walk: every mutating I/O call of an UPDATE fails in turn (EIO,
//   ENOSPC, power loss with unsynced data dropped); after reopening, the
//   table holds exactly the rows before the UPDATE or exactly the rows
//   after it, and an acknowledged UPDATE is never lost (the segment write
//   before the log entry leaves the old version readable);
// - concurrent writers: two Database handles on one directory (what two
//   processes see) run UPDATE against DELETE or UPDATE of the same rows;
//   every outcome is both applied in some serial order, or one of them
//   fails with a conflict and only the other is applied. Never a lost
//   update.
#include <gtest/gtest.h>

#include <thread>

#include "../storage/storage_test_util.h"
#include "query/main/query_engine.h"
#include "storage/database.h"
#include "storage/fault_injection_env.h"

namespace tsl::query {
namespace {

using Fault = FaultInjectionEnv::Fault;
using Rows = std::vector<std::string>;

Rows Query(QueryEngine* engine, const std::string& sql) {
  Result<QueryResult> r = engine->Execute(sql);
  EXPECT_TRUE(r.ok()) << sql << "\n" << r.status().ToString();
  Rows rows;
  if (!r.ok()) return rows;
  for (int64_t i = 0; i < r->row_count(); ++i) {
    std::string row;
    for (size_t c = 0; c < r->schema.size(); ++c) {
      if (c) row += "|";
      row += r->GetValue(c, i).ToString();
    }
    rows.push_back(row);
  }
  return rows;
}

// The table's rows from a fresh open with the plain POSIX Env.
Rows ReadBack(const std::string& path) {
  auto db = Database::Open(path);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return {};
  TableFunctionRegistry functions;
  QueryEngine engine(db->get(), &functions);
  return Query(&engine, "SELECT id, v, tag FROM t ORDER BY id, v");
}

constexpr const char* kSetup =
    "CREATE TABLE t (tag VARCHAR, ts TIMESTAMP, id INTEGER, v DOUBLE) PARTITION BY day(ts);"
    "INSERT INTO t SELECT 'tag' || (i % 3), TIMESTAMP '2024-01-01' + to_hours(i), i, i "
    "FROM range(60) r(i);";
// Touches two of the three days' files and moves rows between days.
constexpr const char* kUpdate =
    "UPDATE t SET v = -v, ts = ts + INTERVAL 1 DAY WHERE id % 7 = 0 AND ts < '2024-01-03'";

TEST(UpdateFaultWalk, EveryFailedCallLeavesTheOldOrTheNewRows) {
  Rows before, after;
  {
    testing::TempDir dir;
    const std::string path = dir.path() + "/db";
    {
      auto db = Database::Open(path);
      ASSERT_TRUE(db.ok());
      TableFunctionRegistry functions;
      QueryEngine engine(db->get(), &functions);
      ASSERT_TRUE(engine.ExecuteScript(kSetup, nullptr).ok());
      before = Query(&engine, "SELECT id, v, tag FROM t ORDER BY id, v");
      ASSERT_TRUE(engine.Execute(kUpdate).ok());
    }
    after = ReadBack(path);
  }
  ASSERT_EQ(before.size(), 60u);
  ASSERT_NE(before, after);

  for (Fault fault : {Fault::kIOError, Fault::kNoSpace, Fault::kCrash}) {
    int64_t runs = 0, failed = 0;
    for (int64_t n = 1;; ++n) {
      testing::TempDir dir;
      const std::string path = dir.path() + "/db";
      FaultInjectionEnv env(Env::Default());
      Status status;
      {
        DatabaseOptions options;
        options.env = &env;
        auto db = Database::Open(path, options);
        ASSERT_TRUE(db.ok());
        TableFunctionRegistry functions;
        QueryEngine engine(db->get(), &functions);
        ASSERT_TRUE(engine.ExecuteScript(kSetup, nullptr).ok());
        env.Arm(fault, n, FaultInjectionEnv::kAllMutating);
        Result<QueryResult> r = engine.Execute(kUpdate);
        status = r.status();
      }
      const bool fired = env.fired();
      if (fault == Fault::kCrash) {
        ASSERT_TRUE(env.DropUnsyncedData().ok());
      }
      env.Disarm();
      if (!fired) {
        EXPECT_TRUE(status.ok()) << status.ToString();
        break;
      }
      ++runs;
      failed += !status.ok();
      Rows state = ReadBack(path);
      const std::string where = "fault " + std::to_string(static_cast<int>(fault)) +
                                " at call " + std::to_string(n) + " (" + status.ToString() + ")";
      EXPECT_TRUE(state == before || state == after) << where << ": " << state.size() << " rows";
      if (status.ok()) {
        EXPECT_EQ(state, after) << where << ": acknowledged UPDATE lost";
      }
    }
    EXPECT_GE(runs, 3) << "the walk did not reach the UPDATE's I/O";
    if (fault != Fault::kCrash) {
      EXPECT_GT(failed, 0);
    }
    std::printf("[ walk ] UPDATE fault=%d: %lld calls faulted, %lld statements failed\n",
                static_cast<int>(fault), static_cast<long long>(runs),
                static_cast<long long>(failed));
  }
}

// Runs `a` and `b` at once, each through its own Database handle on `path`.
std::pair<Status, Status> RunConcurrently(const std::string& path, const std::string& a,
                                          const std::string& b) {
  auto db_a = Database::Open(path);
  auto db_b = Database::Open(path);
  EXPECT_TRUE(db_a.ok() && db_b.ok());
  TableFunctionRegistry functions;
  QueryEngine engine_a(db_a->get(), &functions), engine_b(db_b->get(), &functions);
  Status sa, sb;
  std::thread ta([&] { sa = engine_a.ExecuteScript(a, nullptr); });
  std::thread tb([&] { sb = engine_b.ExecuteScript(b, nullptr); });
  ta.join();
  tb.join();
  return {sa, sb};
}

// What the rows `id|v` are after running `statements` alone in order, from
// a fresh table (the serial outcomes to compare against).
Rows Serial(const std::string& setup, const std::vector<std::string>& statements) {
  auto db = Database::Open(":memory:");
  EXPECT_TRUE(db.ok());
  TableFunctionRegistry functions;
  QueryEngine engine(db->get(), &functions);
  EXPECT_TRUE(engine.ExecuteScript(setup, nullptr).ok());
  for (const std::string& s : statements) {
    EXPECT_TRUE(engine.ExecuteScript(s, nullptr).ok());
  }
  return Query(&engine, "SELECT id, v FROM t ORDER BY id, v");
}

void CheckRace(const std::string& a, const std::string& b, int rounds) {
  const std::string setup =
      "CREATE TABLE t (id INTEGER, v DOUBLE);"
      "INSERT INTO t SELECT i, 1 FROM range(20) r(i);"
      "INSERT INTO t SELECT i, 1 FROM range(20, 40) r(i);";  // a second file
  const Rows ab = Serial(setup, {a, b}), ba = Serial(setup, {b, a});
  const Rows only_a = Serial(setup, {a}), only_b = Serial(setup, {b});
  int both = 0, conflicts = 0;
  for (int round = 0; round < rounds; ++round) {
    testing::TempDir dir;
    const std::string path = dir.path() + "/db";
    {
      auto db = Database::Open(path);
      ASSERT_TRUE(db.ok());
      TableFunctionRegistry functions;
      QueryEngine engine(db->get(), &functions);
      ASSERT_TRUE(engine.ExecuteScript(setup, nullptr).ok());
    }
    auto [sa, sb] = RunConcurrently(path, a, b);
    auto db = Database::Open(path);
    ASSERT_TRUE(db.ok());
    TableFunctionRegistry functions;
    QueryEngine engine(db->get(), &functions);
    Rows state = Query(&engine, "SELECT id, v FROM t ORDER BY id, v");
    ASSERT_FALSE(!sa.ok() && !sb.ok()) << sa.ToString() << " / " << sb.ToString();
    if (sa.ok() && sb.ok()) {
      ++both;
      EXPECT_TRUE(state == ab || state == ba) << "round " << round << ": no serial order";
    } else {
      ++conflicts;
      const Status& failed = sa.ok() ? sb : sa;
      EXPECT_EQ(failed.code(), StatusCode::kConflict) << failed.ToString();
      EXPECT_EQ(state, sa.ok() ? only_a : only_b) << "round " << round << ": " << failed.ToString();
    }
  }
  std::printf("[ race ] %s || %s: %d both applied, %d conflicts\n", a.c_str(), b.c_str(), both,
              conflicts);
}

TEST(UpdateConcurrency, UpdateAgainstDeleteIsSerialOrAConflict) {
  CheckRace("UPDATE t SET v = v + 1 WHERE id < 30", "DELETE FROM t WHERE v = 1 AND id >= 10", 12);
}

// Different files: both always apply (storage's rule (d)), in either order.
TEST(UpdateConcurrency, UpdatesOfDifferentFilesBothApply) {
  CheckRace("UPDATE t SET v = v + 1 WHERE id < 20", "DELETE FROM t WHERE id >= 30", 6);
  CheckRace("UPDATE t SET v = v + 1 WHERE id < 20", "UPDATE t SET v = v * 10 WHERE id >= 20", 6);
}

TEST(UpdateConcurrency, UpdateAgainstUpdateIsSerialOrAConflict) {
  CheckRace("UPDATE t SET v = v + 1 WHERE id % 2 = 0", "UPDATE t SET v = v * 10 WHERE id < 20", 12);
}

}  // namespace
}  // namespace tsl::query
