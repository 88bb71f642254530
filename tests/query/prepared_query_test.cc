// QueryEngine::Prepare / ExecutePrepared: one parse, many executions with
// typed parameter values (in WHERE, LIMIT, INSERT VALUES, subqueries and
// set operations), VARCHAR values converted like quoted literals, and
// clear errors for unbound or mixed parameters; EXPLAIN shows the new
// operators (set operation, DISTINCT ON, LATEST ON, gap filling).
// Thread-safety: single-threaded tests.
#include "tests/query/query_test_util.h"

namespace tsl::query {
namespace {

class PreparedQueryTest : public EngineFixture {
 protected:
  void SetUp() override {
    EngineFixture::SetUp();
    Run("CREATE TABLE m (tag VARCHAR, ts TIMESTAMP, v DOUBLE);"
        "INSERT INTO m VALUES ('a', '2024-01-01 00:00:00', 1), ('a', '2024-01-01 01:00:00', 2),"
        " ('b', '2024-01-01 00:30:00', 3), ('b', '2024-01-01 02:00:00', NULL)");
  }
  std::vector<std::string> RunPrepared(const PreparedQuery& q, const std::vector<Value>& params) {
    Result<QueryResult> r = engine_->ExecutePrepared(q, params);
    EXPECT_TRUE(r.ok()) << q.sql() << "\n" << r.status().ToString();
    std::vector<std::string> rows;
    if (!r.ok()) return rows;
    for (int64_t i = 0; i < r->row_count(); ++i) {
      std::string row;
      for (size_t c = 0; c < r->schema.size(); ++c) row += (c ? "|" : "") + r->GetValue(c, i).ToString();
      rows.push_back(row);
    }
    return rows;
  }
};

TEST_F(PreparedQueryTest, OneParseManyExecutions) {
  auto q = engine_->Prepare(
      "SELECT tag, v FROM m WHERE ts >= $1 AND v > $2 ORDER BY v LIMIT $3");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ((*q)->parameter_count(), 3);
  // A VARCHAR value compares with a TIMESTAMP column like a quoted literal.
  EXPECT_EQ(RunPrepared(**q, {Value::Varchar("2024-01-01 00:30:00"), Value::Double(0),
                              Value::Bigint(10)}),
            (Strings{"a|2.0", "b|3.0"}));
  EXPECT_EQ(RunPrepared(**q, {Value::Timestamp(0), Value::Integer(1), Value::Bigint(1)}),
            (Strings{"a|2.0"}));
}

TEST_F(PreparedQueryTest, ParametersInInsertSubqueriesAndSetOperations) {
  auto ins = engine_->Prepare("INSERT INTO m VALUES (?, ?, ?)");
  ASSERT_TRUE(ins.ok());
  for (int i = 0; i < 3; ++i) {
    RunPrepared(**ins, {Value::Varchar("c"), Value::Timestamp(1704067200000000LL + i * 1000000LL),
                        Value::Double(10.0 + i)});
  }
  EXPECT_EQ(Rows("SELECT count(*), sum(v) FROM m WHERE tag = 'c'"), (Strings{"3|33.0"}));
  auto q = engine_->Prepare(
      "SELECT tag FROM m WHERE v > (SELECT avg(v) FROM m WHERE tag = $1) "
      "UNION SELECT $2 ORDER BY 1");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(RunPrepared(**q, {Value::Varchar("a"), Value::Varchar("zz")}),
            (Strings{"a", "b", "c", "zz"}));
  EXPECT_EQ(RunPrepared(**q, {Value::Varchar("c"), Value::Varchar("q")}), (Strings{"c", "q"}));
}

TEST_F(PreparedQueryTest, ErrorsNameTheParameter) {
  auto q = engine_->Prepare("SELECT $1 + $2");
  ASSERT_TRUE(q.ok());
  Result<QueryResult> r = engine_->ExecutePrepared(**q, {Value::Integer(1)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("$2"), std::string::npos) << r.status().ToString();
  EXPECT_FALSE(engine_->Prepare("SELECT ?, $1").ok());
  EXPECT_FALSE(engine_->Prepare("SELECT 1; SELECT 2").ok());
  // Outside a prepared statement a parameter has no value.
  Status st = Fail("SELECT $1");
  EXPECT_NE(st.message().find("prepared statement"), std::string::npos) << st.ToString();
}

TEST_F(PreparedQueryTest, ExplainShowsTheNewOperators) {
  auto plan = [&](const std::string& sql) {
    std::string text;
    for (const std::string& line : Rows("EXPLAIN " + sql)) text += line + "\n";
    return text;
  };
  EXPECT_NE(plan("SELECT tag FROM m UNION SELECT tag FROM m").find("UNION"), std::string::npos);
  EXPECT_NE(plan("SELECT tag FROM m EXCEPT ALL SELECT tag FROM m").find("EXCEPT ALL"),
            std::string::npos);
  EXPECT_NE(plan("SELECT DISTINCT ON (tag) tag, v FROM m ORDER BY tag, v").find("DISTINCT_ON"),
            std::string::npos);
  EXPECT_NE(plan("SELECT * FROM m LATEST ON ts PARTITION BY tag").find("LATEST_ON"),
            std::string::npos);
  EXPECT_NE(plan("SELECT ts, avg(v) FROM m SAMPLE BY 1h FILL(PREV)").find("GAPFILL"),
            std::string::npos);
}

}  // namespace
}  // namespace tsl::query
