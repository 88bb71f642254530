// User errors: DuckDB-styled messages with a caret line under the
// offending token, "Did you mean" suggestions, and the Status codes the
// engine promises (kInvalidArgument, kNotFound, kAlreadyExists).
#include "tests/query/query_test_util.h"

namespace tsl::query {
namespace {

class ErrorTest : public EngineFixture {
 protected:
  void SetUp() override {
    EngineFixture::SetUp();
    Run("CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE, q INTEGER);"
        "INSERT INTO m VALUES ('2024-01-01', 'a', 1.0, 1)");
  }
};

TEST_F(ErrorTest, UnknownColumnSuggestsClosestName) {
  Status st = Fail("SELECT vale FROM m");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(),
            "Binder Error: Referenced column \"vale\" not found in FROM clause! "
            "Did you mean \"value\"?\n"
            "LINE 1: SELECT vale FROM m\n"
            "               ^");
}

TEST_F(ErrorTest, UnknownTableSuggestsClosestTable) {
  Status st = Fail("SELECT * FROM mm");
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_EQ(st.message(),
            "Catalog Error: Table with name mm does not exist! Did you mean \"m\"?\n"
            "LINE 1: SELECT * FROM mm\n"
            "                      ^");
}

TEST_F(ErrorTest, SyntaxErrorHasCaret) {
  Status st = Fail("SELECT * FORM m");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(),
            "Parser Error: syntax error at or near \"FORM\"\n"
            "LINE 1: SELECT * FORM m\n"
            "                 ^");
}

TEST_F(ErrorTest, CaretIsOnTheLineOfTheError) {
  Status st = Fail("SELECT 1;\nSELECT tag,\n  nope FROM m");
  EXPECT_NE(st.message().find("LINE 3:   nope FROM m\n          ^"), std::string::npos)
      << st.message();
}

TEST_F(ErrorTest, BadStringConversionNamesValueAndType) {
  Status st = Fail("SELECT 'abc'::DOUBLE");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message().rfind("Conversion Error: Could not convert string 'abc' to DOUBLE", 0), 0u)
      << st.message();
}

TEST_F(ErrorTest, ComparingIncompatibleTypesNamesBoth) {
  Status st = Fail("SELECT * FROM m WHERE tag = q");
  EXPECT_NE(st.message().find("Cannot compare values of type VARCHAR and type INTEGER"),
            std::string::npos)
      << st.message();
}

TEST_F(ErrorTest, ArithmeticOnVarcharHasNoMatchingFunction) {
  Status st = Fail("SELECT tag + 1 FROM m");
  EXPECT_NE(st.message().find("No function matches the given name and argument types "
                              "'+(VARCHAR, INTEGER)'"),
            std::string::npos)
      << st.message();
}

TEST_F(ErrorTest, UngroupedColumnIsRejected) {
  Status st = Fail("SELECT tag, value FROM m GROUP BY tag");
  EXPECT_NE(st.message().find("column \"value\" must appear in the GROUP BY clause"),
            std::string::npos)
      << st.message();
}

TEST_F(ErrorTest, AggregateInWhereIsRejected) {
  Status st = Fail("SELECT 1 FROM m WHERE sum(value) > 1");
  EXPECT_NE(st.message().find("WHERE clause cannot contain aggregates"), std::string::npos);
}

TEST_F(ErrorTest, UnknownFunctionSuggestsName) {
  Status st = Fail("SELECT lowr(tag) FROM m");
  EXPECT_NE(st.message().find("Scalar Function with name lowr does not exist!\nDid you mean "
                              "\"lower\"?"),
            std::string::npos)
      << st.message();
}

TEST_F(ErrorTest, CreateExistingTableIsAlreadyExists) {
  Status st = Fail("CREATE TABLE m (a INTEGER)");
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(st.message().find("Table with name \"m\" already exists!"), std::string::npos);
  Run("CREATE TABLE IF NOT EXISTS m (a INTEGER)");
}

TEST_F(ErrorTest, DropMissingTableIsNotFound) {
  EXPECT_EQ(Fail("DROP TABLE nope").code(), StatusCode::kNotFound);
  Run("DROP TABLE IF EXISTS nope");
}

TEST_F(ErrorTest, UnknownVersionIsNotFound) {
  Status st = Fail("SELECT * FROM m VERSION AS OF 99");
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
}

TEST_F(ErrorTest, StatementsBeforeAnErrorStayCommitted) {
  EXPECT_FALSE(Fail("INSERT INTO m VALUES ('2024-01-02', 'b', 2.0, 2); SELECT nope FROM m").ok());
  EXPECT_EQ(Rows("SELECT count(*) FROM m"), Strings({"2"}));
}

}  // namespace
}  // namespace tsl::query
