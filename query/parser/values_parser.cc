// The VALUES list as a query: `VALUES (1, 'a'), (2, 'b')` alone, in a set
// operation, a CTE or a FROM subquery (`FROM (VALUES ...) AS t(a, b)`). It
// is parsed as SELECT * FROM (the rows), a TableRef of kind kValues that
// values_binder.cc types and evaluates. See parser.h.
#include "query/common/query_error.h"
#include "query/parser/parser.h"

namespace tsl::query {

std::unique_ptr<SelectNode> Parser::ParseValues() {
  auto node = std::make_unique<SelectNode>();
  node->position = Peek().position;
  ExpectKeyword("values");
  auto star = std::make_unique<ParsedExpression>();
  star->kind = ExpressionKind::kStar;
  star->position = node->position;
  node->select_list.push_back(std::move(star));
  node->from.kind = TableRef::Kind::kValues;
  node->from.position = node->position;
  do {
    const int row_position = Peek().position;
    ExpectOperator("(");
    std::vector<ParsedExpressionPtr> row;
    do {
      row.push_back(ParseExpression());
    } while (AcceptOperator(","));
    ExpectOperator(")");
    if (!node->from.values.empty() && row.size() != node->from.values[0].size()) {
      throw QueryError(ErrorKind::kParser, "VALUES lists must all be the same length",
                       row_position);
    }
    node->from.values.push_back(std::move(row));
    // DuckDB allows a trailing comma after the last row.
  } while (AcceptOperator(",") && IsOperator("("));
  return node;
}

}  // namespace tsl::query
