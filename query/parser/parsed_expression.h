// ParsedExpression: the AST of a SQL expression as written, before names
// are resolved. One node type with a kind tag keeps the parser and the
// binder's pattern matching short. ToString() renders the expression the
// way DuckDB names result columns ("(a + 1)", "sum(v)", "count_star()") and
// is also how GROUP BY / ORDER BY expressions are matched structurally.
// Thread-safety: immutable after parsing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formats/types.h"
#include "formats/value.h"

namespace tsl::query {

struct ParsedExpression;
using ParsedExpressionPtr = std::unique_ptr<ParsedExpression>;

enum class ExpressionKind {
  kConstant,   // value
  kColumnRef,  // names = [column] or [table, column]
  kStar,       // names = [] or [table]; star_exclude; children = REPLACE
               // expressions, each aliased to the column it replaces
  kFunction,   // name(children...); star for count(*); distinct
  kOperator,   // op in {+ - * / // % || = <> < <= > >= AND OR NOT NEG}; AND, OR
               // and the arithmetic/|| operators may have more than two
               // children: a run of one operator, folded left to right
  kIsNull,     // children[0] IS [NOT] NULL (negated)
  kBetween,    // children[0] [NOT] BETWEEN children[1] AND children[2]
  kIn,         // children[0] [NOT] IN (children[1..])
  kLike,       // children[0] [NOT] LIKE|ILIKE children[1]; op = "LIKE"/"ILIKE"
  kCast,       // CAST(children[0] AS cast_type)
  kCase,       // CASE [operand] WHEN c THEN r ... [ELSE e] END: children =
               // [when, then]* [else]; has_else; case_operand separately
  kSubquery,   // (SELECT ...) as a scalar value; subquery
  kExists,     // [NOT] EXISTS (SELECT ...); subquery, negated
  kInSubquery, // children[0] [NOT] IN (SELECT ...); subquery, negated
  kParameter,  // a prepared statement's `?` / `$n`; parameter = n - 1
  kTry,        // TRY(children[0]): NULL for a row whose evaluation fails
};

struct SelectNode;  // statement.h

// OVER (PARTITION BY ... ORDER BY ... [ROWS|RANGE BETWEEN start AND end]).
struct WindowFrameBound {
  enum class Kind { kUnboundedPreceding, kPreceding, kCurrentRow, kFollowing, kUnboundedFollowing };
  Kind kind = Kind::kCurrentRow;
  ParsedExpressionPtr offset;  // kPreceding / kFollowing: a constant
};

struct WindowSpec {
  // A reference to a named window of the SELECT's WINDOW clause: `OVER w`
  // (bare) or `OVER (w ORDER BY ...)`. The parser replaces it by the merged
  // spec once the clause is read (window_clause.h); none reaches the binder.
  std::string base;
  bool bare = false;
  int position = 0;
  std::vector<ParsedExpressionPtr> partitions;
  struct Order {
    ParsedExpressionPtr expr;
    bool descending = false;
    std::optional<bool> nulls_first;  // unset: default_null_order
    bool direction_given = false;     // ASC/DESC written; else default_order
  };
  std::vector<Order> orders;
  bool has_frame = false;
  bool rows = false;    // ROWS (else RANGE)
  bool groups = false;  // GROUPS (rows is false)
  WindowFrameBound start, end;
  // EXCLUDE CURRENT ROW | GROUP | TIES | NO OTHERS (the default).
  enum class Exclude { kNoOthers, kCurrentRow, kGroup, kTies };
  Exclude exclude = Exclude::kNoOthers;
};

// lag(v IGNORE NULLS): window functions that skip NULL values.
enum class NullsTreatment { kDefault, kRespect, kIgnore };

struct ParsedExpression {
  ExpressionKind kind = ExpressionKind::kConstant;
  int position = 0;  // byte offset of the expression's first token
  std::string alias;

  Value value;                       // kConstant
  bool string_literal = false;       // kConstant: a 'quoted' literal (implicitly castable)
  std::vector<std::string> names;    // kColumnRef / kStar
  std::string name;                  // kFunction name (lower-case)
  std::string op;                    // kOperator / kLike
  bool negated = false;              // NOT BETWEEN / NOT IN / NOT LIKE / IS NOT NULL
  bool distinct = false;             // kFunction: count(DISTINCT x)
  bool star = false;                 // kFunction: count(*)
  bool keyword_call = false;         // kFunction written as a keyword: current_date
  NullsTreatment nulls_treatment = NullsTreatment::kDefault;  // kFunction
  bool has_else = false;             // kCase
  TypeId cast_type = TypeId::kNull;  // kCast
  bool try_cast = false;             // kCast: TRY_CAST (NULL where it fails)
  std::vector<std::string> star_exclude;  // kStar: * EXCLUDE (columns)
  ParsedExpressionPtr case_operand;  // kCase: CASE x WHEN ...
  std::vector<ParsedExpressionPtr> children;
  std::shared_ptr<const WindowSpec> window;  // kFunction ... OVER (...)
  std::shared_ptr<const SelectNode> subquery;  // kSubquery / kExists / kInSubquery
  std::string subquery_text;                   // the subquery as written (column names)
  // kInSubquery written as a quantified comparison `x op ANY|ALL (SELECT
  // ...)` with op other than `= ANY` (IN) and `<> ALL` (NOT IN): op is the
  // comparison ("<", ">=", ...), quantifier_all says ALL.
  bool quantifier_all = false;
  int parameter = -1;                          // kParameter: 0-based index
  // kFunction, aggregates: agg(x ORDER BY k [DESC], ...) FILTER (WHERE f).
  std::vector<ParsedExpressionPtr> agg_order;
  std::vector<bool> agg_order_desc;
  ParsedExpressionPtr filter;

  ParsedExpression() = default;
  ParsedExpression(ParsedExpression&&) = default;
  ParsedExpression& operator=(ParsedExpression&&) = default;
  // Iterative: a tree is freed without one stack frame per level.
  ~ParsedExpression();

  std::string ToString() const;
  ParsedExpressionPtr Copy() const;
};

ParsedExpressionPtr MakeConstant(Value v, int position);

}  // namespace tsl::query
