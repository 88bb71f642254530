// DuckDB's star modifiers: `* EXCLUDE (a, b)` (or `EXCLUDE a`) and
// `* REPLACE (expr AS col, ...)`, in that order, after `*` or `t.*`. The
// binder's star expansion (binder/star_expansion.cc) applies them. See
// parser.h.
#include "query/parser/parser.h"

namespace tsl::query {

void Parser::ParseStarModifiers(ParsedExpression* star) {
  if (AcceptKeyword("exclude")) {
    // A column may be written qualified (t.col); the name is what counts.
    auto column_name = [&] {
      std::string name = ExpectIdentifier("column name");
      if (AcceptOperator(".")) name = ExpectIdentifier("column name");
      return name;
    };
    if (AcceptOperator("(")) {
      do {
        star->star_exclude.push_back(column_name());
      } while (AcceptOperator(","));
      ExpectOperator(")");
    } else {
      star->star_exclude.push_back(column_name());
    }
  }
  if (AcceptKeyword("replace")) {
    ExpectOperator("(");
    do {
      auto e = ParseExpression();
      ExpectKeyword("as");
      e->alias = ExpectIdentifier("column name");
      star->children.push_back(std::move(e));
    } while (AcceptOperator(","));
    ExpectOperator(")");
  }
}

}  // namespace tsl::query
