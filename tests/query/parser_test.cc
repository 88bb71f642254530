// Parser behaviour: statement shapes, operator precedence, literals and
// error positions.
#include "query/parser/parser.h"

#include <gtest/gtest.h>

#include "formats/decimal.h"
#include "query/common/query_error.h"

namespace tsl::query {
namespace {

std::string Expr(const std::string& sql) { return Parser(sql).ParseSingleExpression()->ToString(); }

std::vector<std::unique_ptr<Statement>> Parse(const std::string& sql) {
  return Parser(sql).ParseScript();
}

// The error a parse of `sql` throws.
QueryError ParseError(const std::string& sql) {
  try {
    Parse(sql);
  } catch (const QueryError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for: " << sql;
  return QueryError(ErrorKind::kInternal, "none");
}

TEST(ParserTest, NestedSubqueryGuessesDoNotBacktrackExponentially) {
  // `((SELECT ...` is tried as a subquery first and re-parsed as an
  // expression when that fails; each failed try used to be repeated by every
  // enclosing retry, so 40 nested groups meant 2^40 parses (a libFuzzer
  // timeout of 428 bytes took 70 s). Now a parse error, at once.
  std::string sql = "SELECT ";
  for (int i = 0; i < 40; ++i) sql += "((SELECT 1 + 2, ";
  sql += "FROM";
  QueryError e = ParseError(sql);
  EXPECT_EQ(e.kind(), ErrorKind::kParser) << e.what();
  // Valid nesting of the same shape still parses.
  std::string ok = "SELECT ";
  for (int i = 0; i < 40; ++i) ok += "((SELECT 1 + ";
  ok += "1";
  for (int i = 0; i < 40; ++i) ok += ")) + 1";
  EXPECT_EQ(Parse(ok).size(), 1u);
}

TEST(ParserTest, MultiplicationBindsTighterThanAddition) {
  EXPECT_EQ(Expr("1 + 2 * 3"), "(1 + (2 * 3))");
  EXPECT_EQ(Expr("(1 + 2) * 3"), "((1 + 2) * 3)");
  EXPECT_EQ(Expr("a - b - c"), "((a - b) - c)");
}

TEST(ParserTest, AndBindsTighterThanOrAndNotTighterThanAnd) {
  EXPECT_EQ(Expr("a OR b AND NOT c"), "(a OR (b AND (NOT c)))");
  EXPECT_EQ(Expr("x = 1 OR y < 2"), "((x = 1) OR (y < 2))");
}

TEST(ParserTest, PredicatesParse) {
  EXPECT_EQ(Expr("v NOT BETWEEN 1 AND 2"), "(v NOT BETWEEN 1 AND 2)");
  EXPECT_EQ(Expr("tag IN ('a', 'b')"), "(tag IN ('a', 'b'))");
  EXPECT_EQ(Expr("tag NOT LIKE 'p%'"), "(tag !~~ 'p%')");
  EXPECT_EQ(Expr("v IS NOT NULL"), "(v IS NOT NULL)");
  EXPECT_EQ(Expr("'a' || 'b' = 'ab'"), "(('a' || 'b') = 'ab')");
}

TEST(ParserTest, NegativeLiteralsFoldToConstants) {
  auto e = Parser("-2147483648").ParseSingleExpression();
  ASSERT_EQ(e->kind, ExpressionKind::kConstant);
  EXPECT_EQ(e->value.type(), TypeId::kInteger);
  EXPECT_EQ(Parser("2147483648").ParseSingleExpression()->value.type(), TypeId::kBigint);
  // A number with a point is a DECIMAL of its digits (DuckDB), with an
  // exponent a DOUBLE.
  EXPECT_EQ(Parser("1.5").ParseSingleExpression()->value.type(), DecimalType(2, 1));
  EXPECT_EQ(Parser("1.5e0").ParseSingleExpression()->value.type(), TypeId::kDouble);
}

TEST(ParserTest, CastsAndTypedLiterals) {
  EXPECT_EQ(Expr("x::BIGINT"), "CAST(x AS BIGINT)");
  EXPECT_EQ(Expr("CAST(x AS int)"), "CAST(x AS INTEGER)");
  EXPECT_EQ(Expr("TIMESTAMP '2024-01-01'"), "CAST('2024-01-01' AS TIMESTAMP)");
  auto e = Parser("INTERVAL 1 HOUR").ParseSingleExpression();
  ASSERT_EQ(e->kind, ExpressionKind::kConstant);
  EXPECT_EQ(e->value.int_value(), 3600LL * 1000000);
  EXPECT_EQ(Parser("INTERVAL '15 minutes'").ParseSingleExpression()->value.int_value(),
            15LL * 60 * 1000000);
}

TEST(ParserTest, CountStarAndCase) {
  EXPECT_EQ(Expr("count(*)"), "count_star()");
  EXPECT_EQ(Expr("CASE WHEN a THEN 1 END"), "CASE WHEN a THEN 1 ELSE NULL END");
  EXPECT_EQ(Expr("CASE x WHEN 1 THEN 'a' ELSE 'b' END"), "CASE x WHEN 1 THEN 'a' ELSE 'b' END");
}

TEST(ParserTest, SelectClausesAreRecorded) {
  auto stmts = Parse(
      "SELECT DISTINCT tag AS t, avg(v) FROM m VERSION AS OF 3 AS x WHERE v > 1 "
      "GROUP BY tag HAVING count(*) > 2 ORDER BY 2 DESC NULLS FIRST LIMIT 5 OFFSET 1");
  ASSERT_EQ(stmts.size(), 1u);
  const SelectNode& s = *stmts[0]->select;
  EXPECT_TRUE(s.distinct);
  ASSERT_EQ(s.select_list.size(), 2u);
  EXPECT_EQ(s.select_list[0]->alias, "t");
  EXPECT_EQ(s.from.kind, TableRef::Kind::kBaseTable);
  EXPECT_EQ(s.from.name, "m");
  EXPECT_EQ(s.from.alias, "x");
  EXPECT_EQ(s.from.version_as_of, 3);
  EXPECT_EQ(s.group_by.size(), 1u);
  ASSERT_EQ(s.order_by.size(), 1u);
  EXPECT_TRUE(s.order_by[0].descending);
  EXPECT_EQ(s.order_by[0].nulls_first, true);
  EXPECT_EQ(s.limit->ToString(), "5");
  EXPECT_EQ(s.offset->ToString(), "1");
}

TEST(ParserTest, ScriptSplitsOnSemicolonsAndSkipsComments) {
  auto stmts = Parse(
      "-- leading comment\nCREATE TABLE t (a INT, b VARCHAR(10)) WITH (retention = '7 days');;\n"
      "/* block */ INSERT INTO t (a) VALUES (1), (2); DROP TABLE IF EXISTS t");
  ASSERT_EQ(stmts.size(), 3u);
  EXPECT_EQ(stmts[0]->type, StatementType::kCreateTable);
  ASSERT_EQ(stmts[0]->columns.size(), 2u);
  EXPECT_EQ(stmts[0]->columns[1].type, TypeId::kVarchar);
  EXPECT_EQ(stmts[0]->properties.at("retention"), "7 days");
  EXPECT_EQ(stmts[1]->type, StatementType::kInsert);
  EXPECT_EQ(stmts[1]->values.size(), 2u);
  EXPECT_EQ(stmts[1]->insert_columns, std::vector<std::string>{"a"});
  EXPECT_EQ(stmts[2]->type, StatementType::kDropTable);
  EXPECT_TRUE(stmts[2]->if_exists);
}

TEST(ParserTest, PartitionByIsRecordedAsProperty) {
  auto stmts = Parse("CREATE TABLE t (ts TIMESTAMP) PARTITION BY day(ts)");
  EXPECT_EQ(stmts[0]->properties.at("partition_by"), "day(ts)");
}

TEST(ParserTest, QuotedIdentifiersKeepCaseAndSpaces) {
  auto stmts = Parse("SELECT \"My Col\" FROM \"Weird Table\"");
  EXPECT_EQ(stmts[0]->select->select_list[0]->names[0], "My Col");
  EXPECT_EQ(stmts[0]->select->from.name, "Weird Table");
}

TEST(ParserTest, CopyDescribeShowAndHistory) {
  auto stmts = Parse(
      "COPY m FROM 'x.csv' (FORMAT csv, HEADER, DELIMITER ';'); DESCRIBE m; SHOW TABLES; "
      "SHOW ALL TABLES; DESCRIBE HISTORY m LIMIT 2; EXPLAIN SELECT 1");
  ASSERT_EQ(stmts.size(), 6u);
  EXPECT_EQ(stmts[0]->copy_path, "x.csv");
  ASSERT_EQ(stmts[0]->copy_options.size(), 3u);
  EXPECT_EQ(stmts[0]->copy_options[1].first, "header");
  EXPECT_EQ(stmts[1]->type, StatementType::kDescribe);
  EXPECT_EQ(stmts[2]->type, StatementType::kShowTables);
  EXPECT_TRUE(stmts[3]->show_all);
  EXPECT_EQ(stmts[4]->type, StatementType::kDescribeHistory);
  EXPECT_EQ(stmts[4]->history_limit, 2);
  EXPECT_EQ(stmts[5]->type, StatementType::kExplain);
}

TEST(ParserTest, SyntaxErrorPointsAtOffendingToken) {
  QueryError e = ParseError("SELECT a FORM m");
  EXPECT_EQ(e.kind(), ErrorKind::kParser);
  EXPECT_EQ(e.message(), "syntax error at or near \"m\"");
  EXPECT_EQ(e.position(), 14);
  e = ParseError("SELEC 1");
  EXPECT_EQ(e.message(), "syntax error at or near \"SELEC\"");
  EXPECT_EQ(e.position(), 0);
  e = ParseError("SELECT (1 + 2");
  EXPECT_EQ(e.message(), "syntax error at end of input");
}

TEST(ParserTest, UnterminatedStringIsAnError) {
  QueryError e = ParseError("SELECT 'abc");
  EXPECT_EQ(e.kind(), ErrorKind::kParser);
  EXPECT_EQ(e.position(), 7);
}

}  // namespace
}  // namespace tsl::query
