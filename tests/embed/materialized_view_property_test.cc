// Property test of materialized views (issue 21) through the public C++
// API: random steps against a source table (INSERT batches with late data
// and duplicates, NULL times, DELETE, UPDATE, explicit transactions,
// Appender flushes, OPTIMIZE, from two connections) and after every step
// each view equals its defining query run from scratch, for every
// supported aggregate. At the end every version of each view equals the
// query over the source VERSION AS OF the source version that view
// version records (DESCRIBE HISTORY's sourceVersion).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

constexpr int64_t kJan1 = 1704067200000000;  // 2024-01-01 00:00:00 UTC
constexpr int64_t kMinute = 60000000;

struct ViewCase {
  const char* name;
  const char* keys;  // the ORDER BY of the comparison: the group columns
  const char* query;
};

const ViewCase kViews[] = {
    {"hourly", "1, 2",
     "SELECT time_bucket(INTERVAL '1 hour', ts) AS hour, tag, avg(value) AS a, min(value) AS mn, "
     "max(value) AS mx, count(*) AS n, count(value) AS nv, sum(value) AS s, stddev_samp(value) AS "
     "sd, var_pop(value) AS vp, first(value ORDER BY ts) AS f, last(value ORDER BY ts) AS l "
     "FROM src GROUP BY ALL"},
    {"quarter", "1",
     "SELECT time_bucket(INTERVAL '15 minutes', ts) AS q, arg_max(tag, ts) AS top, "
     "max(value) - min(value) AS spread, count_if(value > 5) AS high, bool_or(value < 0) AS neg, "
     "stddev_pop(value) AS sdp, var_samp(value) AS vs "
     "FROM src WHERE tag <> 'c' GROUP BY 1 HAVING count(*) > 1"},
    {"daily", "1", "SELECT time_bucket(INTERVAL '1 day', hour) AS d, sum(n) AS n, max(mx) AS mx "
                   "FROM hourly GROUP BY ALL"},
};

class MaterializedViewPropertyTest : public EmbedTest {
 protected:
  static Result Run(Connection& con, const std::string& sql) {
    Result r = con.Query(sql);
    EXPECT_TRUE(r.ok()) << sql << "\n" << r.error_message();
    return r;
  }

  // Rows of `sql` as text, doubles compared with a relative tolerance
  // (a different summation order may change the last bits of a variance).
  static void ExpectSameRows(const Result& got, const Result& want, const std::string& what) {
    ASSERT_TRUE(got.ok() && want.ok()) << what << got.error_message() << want.error_message();
    auto dump = [](const Result& r) {
      std::string out;
      for (int64_t i = 0; i < r.row_count(); ++i) {
        for (int c = 0; c < r.column_count(); ++c) out += r.GetString(c, i) + (c + 1 < r.column_count() ? "|" : "\n");
      }
      return out;
    };
    ASSERT_EQ(got.row_count(), want.row_count()) << what << "\nview:\n" << dump(got) << "query:\n" << dump(want);
    ASSERT_EQ(got.column_count(), want.column_count()) << what;
    for (int64_t r = 0; r < got.row_count(); ++r) {
      for (int c = 0; c < got.column_count(); ++c) {
        if (got.IsNull(c, r) || want.IsNull(c, r) || got.column_type(c) != Type::kDouble) {
          ASSERT_EQ(got.GetString(c, r), want.GetString(c, r))
              << what << " row " << r << " column " << got.column_name(c);
          continue;
        }
        const double a = got.GetDouble(c, r), b = want.GetDouble(c, r);
        ASSERT_LE(std::fabs(a - b), 1e-9 * std::max(1.0, std::fabs(b)))
            << what << " row " << r << " column " << got.column_name(c) << ": " << a << " vs " << b;
      }
    }
  }

  static std::string WithSource(std::string query, const std::string& as_of) {
    const std::string from = query.find("FROM src") != std::string::npos ? "FROM src" : "FROM hourly";
    const size_t at = query.find(from);
    query.insert(at + from.size(), as_of);
    size_t p;
    while ((p = query.find("FROM src")) != std::string::npos) query.replace(p, 8, "FROM s");
    return query;
  }

  void CheckViews(Connection& con, const std::string& step) {
    for (const ViewCase& v : kViews) {
      const std::string order = " ORDER BY " + std::string(v.keys) + " NULLS FIRST";
      Result got = con.Query("SELECT * FROM " + std::string(v.name) + order);
      Result want = con.Query("SELECT * FROM (" + WithSource(v.query, "") + ")" + order);
      ExpectSameRows(got, want, std::string(v.name) + " after " + step + ": ");
      if (HasFailure()) return;
    }
  }
};

TEST_F(MaterializedViewPropertyTest, ViewsEqualTheirQueryAfterEveryCommit) {
  std::string error;
  auto db = Database::Open(DbPath(), {}, &error);
  ASSERT_NE(db, nullptr) << error;
  Connection con(*db), other(*db);
  Run(con, "CREATE TABLE s (ts TIMESTAMP, tag VARCHAR, value DOUBLE)");
  Run(con, "INSERT INTO s VALUES (TIMESTAMP '2024-01-01 00:00:00', 'a', 1)");
  for (const ViewCase& v : kViews) {
    Run(con, "CREATE MATERIALIZED VIEW " + std::string(v.name) + " AS " + WithSource(v.query, ""));
  }
  CheckViews(con, "CREATE");

  // TSLAKE_MV_SEED=n runs another sequence.
  const char* seed = std::getenv("TSLAKE_MV_SEED");
  std::mt19937_64 rng(seed ? std::strtoull(seed, nullptr, 10) : 20261207);
  auto pick = [&](int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); };
  const char* tags[] = {"a", "b", "c"};
  int64_t head = 0;  // minutes since kJan1 of the newest point
  // Times of inserted rows are distinct (a microsecond counter), except
  // exact duplicates: first/last/arg_max break ties by input order, as
  // DuckDB's do, so a tie would make "the same query" ambiguous.
  int64_t unique = 0;
  auto ts_text = [&unique](int64_t minute, bool row = false) {
    const int64_t day = minute / 1440, hh = (minute / 60) % 24, mm = minute % 60;
    char buf[80];
    std::snprintf(buf, sizeof buf, "TIMESTAMP '2024-01-%02lld %02lld:%02lld:00.%06lld'",
                  static_cast<long long>(1 + day), static_cast<long long>(hh),
                  static_cast<long long>(mm), static_cast<long long>(row ? ++unique : 0));
    return std::string(buf);
  };
  auto random_minute = [&] {
    // Mostly the newest hours, sometimes late data far back.
    if (pick(5) == 0) return pick(head + 1);
    return std::max<int64_t>(0, head - pick(90));
  };
  auto value_text = [&] { return std::to_string(static_cast<double>(pick(41) - 8) / 4.0); };

  for (int step = 0; step < 60 && !HasFailure(); ++step) {
    head += pick(40);
    Connection& c = pick(2) ? con : other;
    const int64_t kind = pick(10);
    std::string what;
    if (kind <= 3) {  // INSERT with late data, duplicates and NULLs
      std::string sql = "INSERT INTO s VALUES ";
      const int64_t rows = 1 + pick(20);
      std::string last;
      for (int64_t i = 0; i < rows; ++i) {
        std::string row;
        if (!last.empty() && pick(6) == 0) {
          row = last;  // an exact duplicate
        } else {
          const std::string ts = pick(40) == 0 ? "NULL" : ts_text(random_minute(), true);
          const std::string value = pick(15) == 0 ? "NULL" : value_text();
          row = "(" + ts + ", '" + tags[pick(3)] + "', " + value + ")";
        }
        sql += (i ? ", " : "") + row;
        last = row;
      }
      Run(c, sql);
      what = "INSERT";
    } else if (kind == 4) {
      const int64_t m = random_minute();
      Run(c, "DELETE FROM s WHERE tag = '" + std::string(tags[pick(3)]) + "' AND ts >= " +
                 ts_text(m) + " AND ts < " + ts_text(m + 1 + pick(120)));
      what = "DELETE";
    } else if (kind == 5) {
      const int64_t m = random_minute();
      Run(c, "UPDATE s SET value = value + 3 WHERE ts >= " + ts_text(m) + " AND ts < " +
                 ts_text(m + 1 + pick(60)));
      what = "UPDATE";
    } else if (kind == 6) {  // one version of several statements
      Run(c, "BEGIN");
      Run(c, "INSERT INTO s VALUES (" + ts_text(random_minute(), true) + ", 'b', " +
                 value_text() + ")");
      Run(c, "DELETE FROM s WHERE value > 7");
      Run(c, "COMMIT");
      what = "BEGIN/COMMIT";
    } else if (kind == 7) {
      Run(c, "OPTIMIZE s");
      what = "OPTIMIZE";
    } else {  // the public Appender
      Status st;
      auto app = Appender::Open(*db, "s", {}, &st);
      ASSERT_NE(app, nullptr) << st.message();
      const int64_t rows = 1 + pick(50);
      for (int64_t i = 0; i < rows; ++i) {
        ASSERT_TRUE(app->AppendTimestamp(kJan1 + random_minute() * kMinute + 500000 + ++unique).ok());
        ASSERT_TRUE(app->AppendString(tags[pick(3)]).ok());
        ASSERT_TRUE(app->AppendDouble(static_cast<double>(pick(41) - 8) / 4.0).ok());
        ASSERT_TRUE(app->EndRow().ok());
      }
      ASSERT_TRUE(app->Flush().ok());
      ASSERT_TRUE(app->Close().ok());
      what = "Appender";
    }
    CheckViews(con, "step " + std::to_string(step) + " (" + what + ")");
  }
  if (HasFailure()) return;

  // Time travel: each view version equals its query over the source
  // version it records.
  for (const ViewCase& v : kViews) {
    Result history = Run(con, "DESCRIBE HISTORY " + std::string(v.name));
    ASSERT_TRUE(history.ok());
    int checked = 0;
    for (int64_t r = 0; r < history.row_count(); ++r) {
      const std::string params = history.GetString(3, r);
      const size_t at = params.find("\"sourceVersion\":\"");
      if (at == std::string::npos) continue;
      const int64_t source_version = std::stoll(params.substr(at + 17));
      const std::string version = history.GetString(0, r);
      const std::string order = " ORDER BY " + std::string(v.keys) + " NULLS FIRST";
      Result got = con.Query("SELECT * FROM " + std::string(v.name) + " VERSION AS OF " + version +
                             order);
      Result want = con.Query("SELECT * FROM (" +
                              WithSource(v.query, " VERSION AS OF " + std::to_string(source_version)) +
                              ")" + order);
      ExpectSameRows(got, want,
                     std::string(v.name) + " VERSION AS OF " + version + " (source " +
                         std::to_string(source_version) + "): ");
      if (HasFailure()) return;
      ++checked;
    }
    EXPECT_GT(checked, 10) << v.name;
  }
}

}  // namespace
}  // namespace tslake
