// Row values (a, b, ...) / row(a, b, ...) in comparisons and IN lists.
// DuckDB makes them STRUCTs and compares those field by field, a NULL field
// being a value like any other that sorts after all others: (1, NULL) =
// (1, NULL) is true, (1, NULL) > (1, 2) is true, and neither = nor IN on
// rows is ever NULL. tslake has no STRUCT type, so a comparison of two rows
// is rewritten into the field comparisons with those rules and bound as
// such; IN (list) is the OR of the row equalities. (a, b) IN (SELECT x, y
// ...) is subquery_binder.cc's. Thread-safety: Binder is per statement.
#include "query/binder/binder.h"
#include "query/common/query_error.h"

namespace tsl::query {
namespace {

ParsedExpressionPtr IsNull(const ParsedExpression& x, int position) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kIsNull;
  e->position = position;
  e->children.push_back(x.Copy());
  return e;
}

ParsedExpressionPtr Boolean(bool b, int position) { return MakeConstant(Value::Boolean(b), position); }

ParsedExpressionPtr Operator(const std::string& op, ParsedExpressionPtr l, ParsedExpressionPtr r,
                             int position) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kOperator;
  e->op = op;
  e->position = position;
  e->children.push_back(std::move(l));
  if (r) e->children.push_back(std::move(r));
  return e;
}

// CASE WHEN l IS NULL THEN if_l_null WHEN r IS NULL THEN if_r_null
// ELSE l op r END: one field's comparison with NULL as a value.
ParsedExpressionPtr FieldCompare(const std::string& op, const ParsedExpression& l,
                                 const ParsedExpression& r, ParsedExpressionPtr if_l_null,
                                 ParsedExpressionPtr if_r_null, int position) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kCase;
  e->position = position;
  e->has_else = true;
  e->children.push_back(IsNull(l, position));
  e->children.push_back(std::move(if_l_null));
  e->children.push_back(IsNull(r, position));
  e->children.push_back(std::move(if_r_null));
  e->children.push_back(Operator(op, l.Copy(), r.Copy(), position));
  return e;
}

// l IS NOT DISTINCT FROM r.
ParsedExpressionPtr FieldEqual(const ParsedExpression& l, const ParsedExpression& r, int position) {
  return FieldCompare("=", l, r, IsNull(r, position), Boolean(false, position), position);
}

// l < r (or l <= r) with NULL after every value.
ParsedExpressionPtr FieldLess(const ParsedExpression& l, const ParsedExpression& r, bool or_equal,
                              int position) {
  if (or_equal) {
    // NULL <= NULL; NULL <= x is false; x <= NULL is true.
    auto e = std::make_unique<ParsedExpression>();
    e->kind = ExpressionKind::kCase;
    e->position = position;
    e->has_else = true;
    e->children.push_back(IsNull(r, position));
    e->children.push_back(Boolean(true, position));
    e->children.push_back(IsNull(l, position));
    e->children.push_back(Boolean(false, position));
    e->children.push_back(Operator("<=", l.Copy(), r.Copy(), position));
    return e;
  }
  return FieldCompare("<", l, r, Boolean(false, position), Boolean(true, position), position);
}

ParsedExpressionPtr RowEqual(const ParsedExpression& l, const ParsedExpression& r, int position) {
  ParsedExpressionPtr all;
  for (size_t i = 0; i < l.children.size(); ++i) {
    ParsedExpressionPtr eq = FieldEqual(*l.children[i], *r.children[i], position);
    all = all ? Operator("AND", std::move(all), std::move(eq), position) : std::move(eq);
  }
  return all;
}

// Lexicographic l < r (or <=) from field i on.
ParsedExpressionPtr RowLess(const ParsedExpression& l, const ParsedExpression& r, size_t i,
                            bool or_equal, int position) {
  const ParsedExpression& li = *l.children[i];
  const ParsedExpression& ri = *r.children[i];
  if (i + 1 == l.children.size()) return FieldLess(li, ri, or_equal, position);
  return Operator("OR", FieldLess(li, ri, false, position),
                  Operator("AND", FieldEqual(li, ri, position),
                           RowLess(l, r, i + 1, or_equal, position), position),
                  position);
}

bool IsRow(const ParsedExpression& e) {
  return e.kind == ExpressionKind::kFunction && e.name == "row" && !e.window && !e.star;
}

void CheckSameWidth(const ParsedExpression& l, const ParsedExpression& r, int position) {
  if (!IsRow(l) || !IsRow(r)) {
    throw QueryError(ErrorKind::kBinder,
                     "a row value (a, b, ...) can only be compared with another row value",
                     position);
  }
  if (l.children.size() != r.children.size()) {
    throw QueryError(ErrorKind::kBinder,
                     "Cannot compare row values of different size (" +
                         std::to_string(l.children.size()) + " and " +
                         std::to_string(r.children.size()) + " fields)",
                     position);
  }
}

}  // namespace

bool Binder::IsRowValue(const ParsedExpression& e) { return IsRow(e); }

BoundExpressionPtr Binder::BindRowComparison(const ParsedExpression& expr, Context& ctx) {
  const ParsedExpression& l = *expr.children[0];
  const ParsedExpression& r = *expr.children[1];
  CheckSameWidth(l, r, expr.position);
  const std::string& op = expr.op;
  const int position = expr.position;
  ParsedExpressionPtr rewritten;
  if (op == "=") {
    rewritten = RowEqual(l, r, position);
  } else if (op == "<>") {
    rewritten = Operator("NOT", RowEqual(l, r, position), nullptr, position);
  } else if (op == "<" || op == "<=") {
    rewritten = RowLess(l, r, 0, op == "<=", position);
  } else {  // > and >= are < and <= with the sides swapped
    rewritten = RowLess(r, l, 0, op == ">=", position);
  }
  return Bind(*rewritten, ctx);
}

BoundExpressionPtr Binder::BindRowIn(const ParsedExpression& expr, Context& ctx) {
  const ParsedExpression& row = *expr.children[0];
  ParsedExpressionPtr any;
  for (size_t i = 1; i < expr.children.size(); ++i) {
    CheckSameWidth(row, *expr.children[i], expr.position);
    ParsedExpressionPtr eq = RowEqual(row, *expr.children[i], expr.position);
    any = any ? Operator("OR", std::move(any), std::move(eq), expr.position) : std::move(eq);
  }
  if (expr.negated) any = Operator("NOT", std::move(any), nullptr, expr.position);
  return Bind(*any, ctx);
}

}  // namespace tsl::query
