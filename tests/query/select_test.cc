// End-to-end SELECT behaviour: exact values for grouping, NULL semantics,
// ordering, arithmetic and casts, through an in-memory database.
#include "tests/query/query_test_util.h"

namespace tsl::query {
namespace {

class SelectTest : public EngineFixture {
 protected:
  void SetUp() override {
    EngineFixture::SetUp();
    Run("CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE, q INTEGER);"
        "INSERT INTO m VALUES "
        "('2024-01-01 00:00:00', 'pump1', 1.5, 192),"
        "('2024-01-01 00:30:00', 'pump1', 2.5, 192),"
        "('2024-01-01 01:10:00', 'pump2', NULL, 0),"
        "('2024-01-01 01:20:00', 'pump2', 4.0, NULL),"
        "('2024-01-01 02:00:00', NULL, 10.0, 192);");
  }
};

TEST_F(SelectTest, SelectWithoutFromEvaluatesConstants) {
  EXPECT_EQ(Rows("SELECT 1 + 2, 'a' || 'b', 7 / 2, 7 // 2, -7 % 3, NULL IS NULL"),
            Strings({"3|ab|3.5|3|-1|true"}));
}

TEST_F(SelectTest, StarReturnsAllColumnsInOrder) {
  EXPECT_EQ(Rows("SELECT * FROM m WHERE q = 0"), Strings({"2024-01-01 01:10:00|pump2|NULL|0"}));
}

TEST_F(SelectTest, GroupByWithAggregatesAndNullGroup) {
  EXPECT_EQ(Rows("SELECT tag, count(*), count(value), sum(q), avg(value), min(ts), max(value) "
                 "FROM m GROUP BY tag ORDER BY tag"),
            Strings({"pump1|2|2|384|2.0|2024-01-01 00:00:00|2.5",
                     "pump2|2|1|0|4.0|2024-01-01 01:10:00|4.0",
                     "NULL|1|1|192|10.0|2024-01-01 02:00:00|10.0"}));
}

TEST_F(SelectTest, GlobalAggregateOnEmptyInputGivesOneRow) {
  EXPECT_EQ(Rows("SELECT count(*), sum(value), min(tag) FROM m WHERE q > 1000"),
            Strings({"0|NULL|NULL"}));
}

TEST_F(SelectTest, WhereUsesThreeValuedLogic) {
  EXPECT_EQ(Rows("SELECT count(*) FROM m WHERE value > 2 OR q = 0"), Strings({"4"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM m WHERE NOT (value > 2)"), Strings({"1"}));
  EXPECT_EQ(Rows("SELECT NULL AND false, NULL OR true, NULL AND true"),
            Strings({"false|true|NULL"}));
}

TEST_F(SelectTest, OrderByDefaultsToAscendingNullsLast) {
  EXPECT_EQ(Rows("SELECT value FROM m ORDER BY value"),
            Strings({"1.5", "2.5", "4.0", "10.0", "NULL"}));
  EXPECT_EQ(Rows("SELECT value FROM m ORDER BY value DESC NULLS FIRST LIMIT 2"),
            Strings({"NULL", "10.0"}));
  EXPECT_EQ(Rows("SELECT tag AS t, value FROM m ORDER BY t DESC, 2 LIMIT 3"),
            Strings({"pump2|4.0", "pump2|NULL", "pump1|1.5"}));
}

TEST_F(SelectTest, LimitAndOffset) {
  EXPECT_EQ(Rows("SELECT q FROM m ORDER BY ts LIMIT 2 OFFSET 1"), Strings({"192", "0"}));
}

TEST_F(SelectTest, TimestampComparedWithStringLiteral) {
  EXPECT_EQ(Rows("SELECT count(*) FROM m WHERE ts >= '2024-01-01 01:00:00'"), Strings({"3"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM m WHERE ts BETWEEN TIMESTAMP '2024-01-01 00:30:00' AND "
                 "'2024-01-01 01:10:00'"),
            Strings({"2"}));
}

TEST_F(SelectTest, TimeBucketAndDateTrunc) {
  EXPECT_EQ(Rows("SELECT time_bucket(INTERVAL '1 hour', ts) AS b, count(*) FROM m "
                 "GROUP BY b ORDER BY b"),
            Strings({"2024-01-01 00:00:00|2", "2024-01-01 01:00:00|2", "2024-01-01 02:00:00|1"}));
  EXPECT_EQ(Rows("SELECT date_trunc('hour', ts) FROM m WHERE q = 0"),
            Strings({"2024-01-01 01:00:00"}));
}

TEST_F(SelectTest, InLikeAndCase) {
  EXPECT_EQ(Rows("SELECT count(*) FROM m WHERE tag IN ('pump1', 'x')"), Strings({"2"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM m WHERE tag NOT LIKE '%2'"), Strings({"2"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM m WHERE tag ILIKE 'PUMP_'"), Strings({"4"}));
  EXPECT_EQ(Rows("SELECT CASE WHEN value > 3 THEN 'high' WHEN value IS NULL THEN 'none' "
                 "ELSE 'low' END FROM m ORDER BY ts"),
            Strings({"low", "low", "none", "high", "high"}));
}

TEST_F(SelectTest, CastsAndCoalesce) {
  EXPECT_EQ(Rows("SELECT CAST('42' AS INTEGER) + 1, '2.5'::DOUBLE, 3.7::INTEGER, "
                 "coalesce(NULL, 2, 3), CAST(1 AS VARCHAR) || 'x'"),
            Strings({"43|2.5|4|2|1x"}));
}

TEST_F(SelectTest, IntegerOverflowIsAnError) {
  Status st = Fail("SELECT 2147483647 + 1");
  EXPECT_NE(st.message().find("Overflow in addition of INT32"), std::string::npos) << st.message();
}

TEST_F(SelectTest, DistinctAndHaving) {
  EXPECT_EQ(Rows("SELECT DISTINCT q FROM m ORDER BY q"), Strings({"0", "192", "NULL"}));
  EXPECT_EQ(Rows("SELECT tag, count(*) AS n FROM m GROUP BY ALL HAVING count(*) > 1 ORDER BY 1"),
            Strings({"pump1|2", "pump2|2"}));
}

TEST_F(SelectTest, SubqueryInFrom) {
  EXPECT_EQ(Rows("SELECT max(n) FROM (SELECT tag, count(*) AS n FROM m GROUP BY tag) s"),
            Strings({"2"}));
}

TEST_F(SelectTest, AliasesUsableInWhereGroupByAndHaving) {
  EXPECT_EQ(Rows("SELECT value * 2 AS doubled FROM m WHERE doubled > 5 ORDER BY doubled"),
            Strings({"8.0", "20.0"}));
  EXPECT_EQ(Rows("SELECT upper(tag) AS t, count(*) AS n FROM m GROUP BY t HAVING n > 1 "
                 "ORDER BY t"),
            Strings({"PUMP1|2", "PUMP2|2"}));
}

TEST_F(SelectTest, IntegerDivisionAndModuloFollowDuckDB) {
  EXPECT_EQ(Rows("SELECT 1 / 2, 7 // 2, -7 // 2, 7 % -3, 5 // 0, 5 % 0, 1 / 0"),
            Strings({"0.5|3|-3|1|NULL|NULL|inf"}));
  EXPECT_EQ(Rows("SELECT q / 2 FROM m WHERE q = 192"), Strings({"96.0", "96.0", "96.0"}));
}

// 65536 distinct values in a shuffled order, built by doubling inserts.
class LargeTableTest : public EngineFixture {
 protected:
  void SetUp() override {
    EngineFixture::SetUp();
    Run("CREATE TABLE seq (v BIGINT); INSERT INTO seq VALUES (0)");
    for (int k = 0; k < 16; ++k) {
      Run("INSERT INTO seq SELECT v + " + std::to_string(1 << k) + " FROM seq");
    }
    Run("CREATE TABLE t AS SELECT (v * 7919) % 65536 AS v FROM seq");
  }
};

TEST_F(LargeTableTest, TopNMatchesFullSort) {
  EXPECT_EQ(Rows("SELECT count(*), min(v), max(v), count(DISTINCT v) FROM t"),
            Strings({"65536|0|65535|65536"}));
  EXPECT_EQ(Rows("SELECT v FROM t ORDER BY v DESC LIMIT 3"), Strings({"65535", "65534", "65533"}));
  EXPECT_EQ(Rows("SELECT v FROM t ORDER BY v LIMIT 2 OFFSET 40000"), Strings({"40000", "40001"}));
  std::vector<std::string> all = Rows("SELECT v FROM t ORDER BY v");
  ASSERT_EQ(all.size(), 65536u);
  EXPECT_EQ(all[12345], "12345");
}

TEST_F(LargeTableTest, ManyGroupsSpanSeveralOutputChunks) {
  EXPECT_EQ(Rows("SELECT count(*), sum(n), min(n), max(n) FROM "
                 "(SELECT v % 5000 AS g, count(*) AS n FROM t GROUP BY g)"),
            Strings({"5000|65536|13|14"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT DISTINCT v % 3000 FROM t)"), Strings({"3000"}));
}

TEST_F(LargeTableTest, FilterAndLimitStream) {
  EXPECT_EQ(Rows("SELECT count(*) FROM t WHERE v >= 1000 AND v < 2000"), Strings({"1000"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT v FROM t LIMIT 5000 OFFSET 100)"),
            Strings({"5000"}));
}

}  // namespace
}  // namespace tsl::query
