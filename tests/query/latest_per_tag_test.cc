// The latest-per-tag rule (query/planner/latest_per_tag_rule.h) against
// the normal plan: the same query over `(SELECT * FROM points)` never
// takes the rule. Random data over many segments (one per INSERT), with
// ties in max(ts) across segments, NULL tags and NULL timestamps; values
// are a function of (tag, ts), so a tie gives the same answer whichever
// tied row is picked. Also: DELETE and OPTIMIZE keep it right, time travel
// and NULL values switch it off, EXPLAIN says when it fired.
#include <random>

#include "tests/query/query_test_util.h"

namespace tsl::query {
namespace {

class LatestPerTagTest : public EngineFixture {
 protected:
  std::string Explain(const std::string& sql) {
    std::string out;
    for (const std::string& row : Rows("EXPLAIN " + sql)) out += row + "\n";
    return out;
  }
  bool Fires(const std::string& sql) {
    return Explain(sql).find("LATEST_PER_TAG") != std::string::npos;
  }
  // The rule's answer equals the normal plan's; returns whether it fired.
  bool Same(const std::string& sql_over_points) {
    std::string normal = sql_over_points;
    size_t at = normal.find("FROM points");
    EXPECT_NE(at, std::string::npos);
    normal.replace(at, 11, "FROM (SELECT * FROM points) AS points");
    EXPECT_FALSE(Fires(normal));
    EXPECT_EQ(Rows(sql_over_points), Rows(normal)) << sql_over_points;
    return Fires(sql_over_points);
  }

  // `segments` INSERTs of `rows` rows each; ts in [0, ts_range) seconds.
  void Load(std::mt19937& rng, int segments, int rows, int ts_range, bool null_values) {
    Run("DROP TABLE IF EXISTS points");
    Run("CREATE TABLE points(ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER)");
    std::uniform_int_distribution<int> tag(0, 9), ts(0, ts_range - 1), pct(0, 99);
    for (int s = 0; s < segments; ++s) {
      std::string sql = "INSERT INTO points VALUES ";
      for (int r = 0; r < rows; ++r) {
        int g = tag(rng), t = ts(rng);
        if (r) sql += ", ";
        std::string tag_sql = g == 9 && pct(rng) < 50 ? "NULL" : "'tag" + std::to_string(g) + "'";
        std::string ts_sql = pct(rng) < 3 ? "NULL"
                                          : "TIMESTAMP '2024-01-01 00:00:00' + INTERVAL " +
                                                std::to_string(t) + " SECOND";
        std::string value =
            null_values && pct(rng) < 10 ? "NULL" : std::to_string(g * 1000 + t % 97) + ".5";
        sql += "(" + ts_sql + ", " + tag_sql + ", " + value + ", " + std::to_string(t % 3) + ")";
      }
      Run(sql);
    }
  }
};

const char* kQ4 =
    "SELECT tag, max(ts) AS last_ts, arg_max(value, ts) AS last_value FROM points GROUP BY tag "
    "ORDER BY tag";

TEST_F(LatestPerTagTest, AgreesWithTheNormalPlanOnRandomData) {
  std::mt19937 rng(20241126);
  for (int round = 0; round < 6; ++round) {
    // Narrow ts ranges give ties between segments.
    Load(rng, 3 + round, 40, round % 2 ? 30 : 5000, /*null_values=*/false);
    EXPECT_TRUE(Same(kQ4)) << round;
    EXPECT_TRUE(Same("SELECT tag, max(ts) FROM points GROUP BY tag ORDER BY 1")) << round;
    EXPECT_TRUE(
        Same("SELECT tag, max(ts), arg_max(quality, ts), arg_max(ts, ts) FROM points "
             "WHERE tag IN ('tag1', 'tag3') OR tag IS NULL GROUP BY tag ORDER BY 1"));
    EXPECT_TRUE(
        Same("SELECT tag, max(ts) AS m FROM points WHERE tag LIKE 'tag%' GROUP BY tag "
             "HAVING max(ts) > TIMESTAMP '2024-01-01 00:00:10' ORDER BY m DESC, tag"));
    // A ts range: each tag's newest row inside it. With ts over 5000 s often
    // no segment overlaps the few seconds asked for: then the rule has
    // nothing to read and leaves it to the normal plan's zone maps.
    const bool narrow = round % 2 == 1;
    auto fires_if_narrow = [&](bool fired) {
      if (narrow) {
        EXPECT_TRUE(fired) << round;
      }
    };
    fires_if_narrow(
        Same("SELECT tag, max(ts), arg_max(value, ts) FROM points WHERE ts < "
             "TIMESTAMP '2024-01-01 00:00:17' GROUP BY tag ORDER BY 1"));
    fires_if_narrow(
        Same("SELECT tag, max(ts), arg_max(value, ts) FROM points WHERE ts BETWEEN "
             "'2024-01-01 00:00:05' AND '2024-01-01 00:00:20' AND tag <> 'tag2' "
             "GROUP BY tag ORDER BY 1"));
    fires_if_narrow(
        Same("SELECT tag, max(ts) FROM points WHERE '2024-01-01 00:00:12' >= ts AND "
             "ts > '2024-01-01 00:00:03' GROUP BY tag ORDER BY 1"));
    Same(
        "SELECT tag, max(ts) FROM points WHERE ts = '2024-01-01 00:00:07' GROUP BY tag "
        "ORDER BY 1");
    EXPECT_TRUE(
        Same("SELECT tag, max(ts), arg_max(value, ts) FROM points WHERE ts >= TIMESTAMP "
             "'2024-01-01 00:00:10' GROUP BY tag ORDER BY 1"));
    EXPECT_FALSE(
        Same("SELECT tag, max(ts) FROM points WHERE ts > '2024-01-01 00:00:07' OR tag = "
             "'tag1' GROUP BY tag ORDER BY 1"));
    // Not this rule's forms: run the normal plan.
    EXPECT_FALSE(Same("SELECT tag, max(ts), count(*) FROM points GROUP BY tag ORDER BY 1"));
    EXPECT_FALSE(
        Same("SELECT tag, max(ts) FROM points WHERE value > 3000 GROUP BY tag ORDER BY 1"));
    EXPECT_FALSE(Same("SELECT quality, max(ts) FROM points GROUP BY quality ORDER BY 1"));
    // NULL ts rows exist: last(... ORDER BY ts) and the row forms stay off.
    EXPECT_FALSE(Same("SELECT tag, last(value ORDER BY ts) FROM points GROUP BY tag ORDER BY 1"));
    EXPECT_FALSE(Fires("SELECT tag, ts, value FROM points LATEST ON ts PARTITION BY tag"));

    // Without NULL ts: the row forms fire too.
    Run("DELETE FROM points WHERE ts IS NULL");
    EXPECT_TRUE(Same(kQ4)) << round;
    EXPECT_TRUE(
        Same("SELECT tag, last(value ORDER BY ts), first(value ORDER BY ts DESC) FROM "
             "points GROUP BY tag ORDER BY 1"));
    EXPECT_TRUE(
        Same("SELECT tag, ts, value FROM points LATEST ON ts PARTITION BY tag "
             "ORDER BY tag"));
    EXPECT_TRUE(Same("SELECT DISTINCT ON (tag) tag, ts, value FROM points ORDER BY tag, ts DESC"));
    fires_if_narrow(
        Same("SELECT tag, ts, value FROM points WHERE ts <= '2024-01-01 00:00:15' "
             "LATEST ON ts PARTITION BY tag ORDER BY tag"));
    EXPECT_FALSE(
        Same("SELECT DISTINCT ON (tag) tag, ts, value FROM points ORDER BY tag, ts DESC, value"));

    // DELETE of some tags' newest rows and OPTIMIZE keep the index right.
    Run("DELETE FROM points WHERE value > 4000 AND ts > TIMESTAMP '2024-01-01 00:00:20'");
    EXPECT_TRUE(Same(kQ4)) << round;
    Run("OPTIMIZE points");
    EXPECT_TRUE(Same(kQ4)) << round;
  }
}

TEST_F(LatestPerTagTest, ReadsOnlyTheNewestSegmentOfTimeOrderedLoads) {
  Run("CREATE TABLE points(ts TIMESTAMP, tag VARCHAR, value DOUBLE)");
  for (int s = 0; s < 5; ++s) {
    std::string sql = "INSERT INTO points VALUES ";
    for (int r = 0; r < 20; ++r) {
      if (r) sql += ", ";
      sql += "(TIMESTAMP '2024-01-01' + INTERVAL " + std::to_string(s * 100 + r) + " SECOND, 'tag" +
             std::to_string(r % 4) + "', " + std::to_string(s * 100 + r) + ")";
    }
    Run(sql);
  }
  std::string plan = Explain(kQ4);
  EXPECT_NE(plan.find("LATEST_PER_TAG (GROUP BY; catalog tag index: 1 of 5 segments hold the "
                      "newest row of 4 tags)"),
            std::string::npos)
      << plan;
  EXPECT_EQ(Rows(kQ4),
            (Strings{"tag0|2024-01-01 00:06:56|416.0", "tag1|2024-01-01 00:06:57|417.0",
                     "tag2|2024-01-01 00:06:58|418.0", "tag3|2024-01-01 00:06:59|419.0"}));
  // The newest rows before a time lie in one older segment.
  const std::string before =
      "SELECT tag, max(ts), arg_max(value, ts) FROM points WHERE ts < '2024-01-01 00:03:00' "
      "GROUP BY tag ORDER BY tag";
  EXPECT_NE(Explain(before).find("1 of 5 segments"), std::string::npos) << Explain(before);
  EXPECT_EQ(Rows(before)[3], "tag3|2024-01-01 00:01:59|119.0");
  // Time travel reads another version than the catalog's: normal plan.
  const std::string old_q =
      "SELECT tag, max(ts) AS last_ts, arg_max(value, ts) FROM points VERSION AS OF 2 GROUP BY tag "
      "ORDER BY tag";
  EXPECT_FALSE(Fires(old_q));
  EXPECT_EQ(Rows(old_q)[0], "tag0|2024-01-01 00:01:56|116.0");
  // A NULL value anywhere: arg_max skips it, so the rule stays off.
  Run("INSERT INTO points VALUES (TIMESTAMP '2024-01-02', 'tag0', NULL)");
  EXPECT_FALSE(Fires(kQ4));
  EXPECT_EQ(Rows(kQ4)[0], "tag0|2024-01-02 00:00:00|416.0");
  EXPECT_TRUE(Fires("SELECT tag, max(ts) FROM points GROUP BY tag"));
}

}  // namespace
}  // namespace tsl::query
