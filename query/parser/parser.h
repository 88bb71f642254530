// Parser: recursive-descent parser for tslake's slice of DuckDB's SQL
// dialect. Turns a script (statements separated by `;`) into Statement
// ASTs. Statement grammar lives in parser.cc, expression grammar (with
// PostgreSQL/DuckDB operator precedence) in expression_parser.cc.
// Errors are QueryError(kParser) at the offending token, worded as DuckDB's
// ("syntax error at or near "FORM""). Thread-safety: one Parser per call.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "query/parser/statement.h"
#include "query/parser/tokenizer.h"

namespace tsl::query {

class Parser {
 public:
  explicit Parser(std::string_view sql);

  // Parses every statement; empty statements (";;") are skipped.
  std::vector<std::unique_ptr<Statement>> ParseScript();

  // Parses exactly one expression (tests, and DEFAULT-like uses).
  ParsedExpressionPtr ParseSingleExpression();

 private:
  // Statements (parser.cc).
  std::unique_ptr<Statement> ParseStatement();
  // A query: [WITH ...] set operation [ORDER BY] [LIMIT] [OFFSET].
  std::unique_ptr<SelectNode> ParseSelect();
  std::unique_ptr<SelectNode> ParseSetOperation();
  std::unique_ptr<SelectNode> ParseIntersection();
  std::unique_ptr<SelectNode> ParseSelectPrimary();
  std::unique_ptr<SelectNode> ParseSelectCore();  // SELECT ... [QUALIFY]
  void ParseOrderLimit(std::unique_ptr<SelectNode>* node);
  std::unique_ptr<SelectNode> MakeSetOperation(SetOpKind kind, int position,
                                               std::unique_ptr<SelectNode> left,
                                               std::unique_ptr<SelectNode> right);
  ParsedExpressionPtr ParseSampleInterval();
  // GROUP BY's list with GROUPING SETS / ROLLUP / CUBE (group_by_parser.cc).
  void ParseGroupBy(SelectNode* node);
  std::vector<std::vector<int>> ParseGroupingItem(SelectNode* node, bool* plain);
  std::vector<int> ParseGroupingColumns(SelectNode* node);
  // VALUES (...), (...) as SELECT * FROM (the rows) (values_parser.cc).
  std::unique_ptr<SelectNode> ParseValues();
  // PIVOT / UNPIVOT (pivot_parser.cc): the statement form (`PIVOT t ON ...
  // USING ... GROUP BY ...`, `UNPIVOT t ON ... INTO NAME n VALUE v`) as
  // SELECT * FROM it, and the FROM-clause form `t PIVOT (...)`, which
  // wraps the FROM item parsed so far in `ref`.
  std::unique_ptr<SelectNode> ParsePivotStatement();
  void ParsePivotClause(TableRef* ref);
  std::vector<PivotSpec::OnColumn> ParsePivotOn(bool standard);
  // (SELECT ...) after its "(" was consumed, up to and including ")".
  ParsedExpressionPtr ParseSubqueryExpression(ExpressionKind kind, int position, int open_position);
  // Counts `?` parameters so `?` after `$n` continue the numbering.
  int next_parameter_ = 0;
  int max_parameter_ = 0;
  bool saw_positional_ = false, saw_numbered_ = false;
  // $name parameters, in order of first appearance ($name is parameter
  // index i of parameter_names_); they cannot mix with $n.
  std::vector<std::string> parameter_names_;
  bool saw_named_ = false, saw_numbered_index_ = false;
  // PREPARE / EXECUTE / DEALLOCATE (prepared_parser.cc).
  void ParsePrepare(Statement* stmt);
  void ParseExecute(Statement* stmt);
  void ParseDeallocate(Statement* stmt);

 public:
  int parameter_count() const { return max_parameter_; }

 private:
  void ParseFrom(TableRef* ref);          // a FROM item with its joins
  void ParseTableRefPrimary(TableRef* ref);
  void ParseCreate(Statement* stmt);
  void ParseDrop(Statement* stmt);
  // CREATE / DROP / REFRESH MATERIALIZED VIEW, after CREATE / DROP /
  // REFRESH (materialized_view_parser.cc).
  void ParseMaterializedView(Statement* stmt, StatementType type);
  // DROP ... [CASCADE | RESTRICT].
  void ParseDropBehavior(Statement* stmt);
  void ParseInsert(Statement* stmt);
  void ParseCopy(Statement* stmt);
  void ParseDescribe(Statement* stmt);
  void ParseShow(Statement* stmt);
  // Issue 3's statements (maintenance_parser.cc).
  void ParseDelete(Statement* stmt);
  void ParseTruncate(Statement* stmt);
  // CREATE TABLE's column and table constraints (constraint_parser.cc).
  void ParseColumnConstraints(Statement* stmt, const std::string& column);
  bool ParseTableConstraint(Statement* stmt);
  std::string ParseConstraintExpression();
  void ParseOnConflict(Statement* stmt);  // INSERT's ON CONFLICT clause
  void ParseOptimize(Statement* stmt);
  void ParseVacuum(Statement* stmt);
  void ParseRestore(Statement* stmt);
  void ParseAlter(Statement* stmt);
  // Issue 17's data changes (dml_parser.cc).
  void ParseUpdate(Statement* stmt);
  void ParseReturning(Statement* stmt);
  void ParseMerge(Statement* stmt);  // merge_parser.cc
  // WITH name AS (...), ... (after WITH): the CTE list of a SELECT, or of a
  // MERGE's source (`WITH s AS (...) MERGE INTO t USING s ...`).
  std::vector<CommonTableExpression> ParseCteList();
  // True when the statement at the current `WITH` continues, after its CTE
  // list, with MERGE rather than a query.
  bool WithLeadsToMerge() const;
  void ParseTransactionControl(Statement* stmt);
  // SET [GLOBAL|SESSION] name {=|TO} value, RESET name, PRAGMA name = value
  // or PRAGMA name(value); `keyword` is the one already read.
  void ParseSet(Statement* stmt, std::string_view keyword);
  std::map<std::string, std::string> ParsePropertyList();
  TypeId ParseType();
  std::string ParseTableName(int* position);
  std::string ParseOptionValue();
  int64_t ParseIntegerLiteral(const char* what);

  // Expressions (expression_parser.cc).
  ParsedExpressionPtr ParseExpression();
  ParsedExpressionPtr ParseOr();
  ParsedExpressionPtr ParseAnd();
  ParsedExpressionPtr ParseNot();
  ParsedExpressionPtr ParseComparison();
  ParsedExpressionPtr ParsePatternOperator(ParsedExpressionPtr* left);
  ParsedExpressionPtr ParsePredicate();
  ParsedExpressionPtr ParseConcat();
  ParsedExpressionPtr ParseAdditive();
  ParsedExpressionPtr ParseMultiplicative();
  ParsedExpressionPtr ParseUnary();
  ParsedExpressionPtr ParsePostfix();
  ParsedExpressionPtr ParsePrimary();
  ParsedExpressionPtr ParseCase(int position);
  ParsedExpressionPtr ParseInterval(int position);
  ParsedExpressionPtr ParseFunctionCall(std::string name, int position);
  // `* EXCLUDE (a, b) REPLACE (expr AS c)` after a `*` / `t.*` (star_parser.cc).
  void ParseStarModifiers(ParsedExpression* star);
  std::shared_ptr<const WindowSpec> ParseWindowSpec();
  WindowFrameBound ParseFrameBound();

  // Token helpers.
  const Token& Peek(size_t ahead = 0) const;
  const Token& Advance();
  bool AtEnd() const;
  bool IsKeyword(std::string_view kw, size_t ahead = 0) const;
  bool AcceptKeyword(std::string_view kw);
  void ExpectKeyword(std::string_view kw);
  bool IsOperator(std::string_view op, size_t ahead = 0) const;
  bool AcceptOperator(std::string_view op);
  void ExpectOperator(std::string_view op);
  // An identifier (bare, not reserved, or quoted); throws otherwise.
  std::string ExpectIdentifier(const char* what);
  bool IsIdentifierToken(size_t ahead = 0) const;
  [[noreturn]] void ThrowSyntaxError(const Token& at) const;

  // Nesting depth (query/common/depth_guard.h): one level per recursive
  // call that nests (ParseExpression, ParseSelect, NOT, unary minus) and
  // per node a loop wraps around the tree built so far (x::T::T, a + b - c,
  // a JOIN b JOIN c); same-operator chains are n-ary and add none.
  int depth_ = 0;
  // Adds one level to depth_ until `restore` runs (loops that wrap).
  void AddLevel(int position);
  struct RestoreDepth {
    int* depth;
    int saved;
    ~RestoreDepth() { *depth = saved; }
  };

  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  // Token positions where a speculative `((SELECT ...` subquery parse
  // failed: the retry as an expression reaches them again, and trying each
  // again made nested `(((SELECT` groups cost 2^groups (libFuzzer: 428
  // bytes took 70 s). A failed parse at a position fails in any context.
  std::unordered_set<size_t> failed_subquery_at_;
  // Every backtracking rule re-reads tokens; Advance() counts them against
  // a budget proportional to the statement (parser.cc), so no pattern of
  // rewinds can run away: past it the statement is a Parser Error.
  uint64_t advances_ = 0;
  uint64_t advance_budget_ = 0;
};

// True for words that cannot be a bare alias or column name.
bool IsReservedKeyword(std::string_view word);

}  // namespace tsl::query
