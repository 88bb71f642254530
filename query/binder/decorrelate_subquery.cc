// Decorrelation of equality-correlated subqueries (the classic rewrite):
//   (SELECT agg(y) FROM t WHERE t.k = o.k AND rest)
//     -> SELECT t.k, agg(y) FROM t WHERE rest GROUP BY t.k   (run once)
// EXISTS keeps the distinct keys, IN the (key, value) pairs, a scalar
// subquery without aggregate its (key, value) rows. CorrelatedSubquery
// (subquery_binder.cc) runs the result once and looks keys up; a key that
// is not there gets the subquery's value over no rows (count 0, else NULL).
// Any other shape (other references to the outer query, LIMIT, GROUP BY,
// set operations, window functions ...) keeps the per-key evaluation.
// Thread-safety: part of the per-statement Binder.
#include <unordered_set>

#include "query/binder/binder.h"
#include "query/common/depth_guard.h"
#include "query/common/query_error.h"
#include "query/parser/parser.h"

namespace tsl::query {
namespace {

// The AND-ed conjuncts of `e`, moved out.
void SplitConjuncts(ParsedExpressionPtr e, std::vector<ParsedExpressionPtr>* out) {
  if (e->kind == ExpressionKind::kOperator && e->op == "AND" && e->children.size() >= 2) {
    for (auto& c : e->children) SplitConjuncts(std::move(c), out);
    return;
  }
  out->push_back(std::move(e));
}

// True when `e` holds a node of `refs` or a subquery.
bool Touches(const ParsedExpression& e, const std::unordered_set<const ParsedExpression*>& refs) {
  if (refs.count(&e) || e.subquery || e.window) return true;
  if (e.case_operand && Touches(*e.case_operand, refs)) return true;
  if (e.filter && Touches(*e.filter, refs)) return true;
  for (const auto& c : e.children) {
    if (Touches(*c, refs)) return true;
  }
  for (const auto& c : e.agg_order) {
    if (Touches(*c, refs)) return true;
  }
  return false;
}

}  // namespace

std::shared_ptr<SelectNode> Binder::Decorrelate(const ParsedExpression& expr, Context& ctx,
                                                const std::vector<CorrelatedColumn>& columns,
                                                std::vector<size_t>* key_columns) {
  const SelectNode& original = *expr.subquery;
  if (original.distinct || !original.distinct_on.empty() || !original.group_by.empty() ||
      original.group_by_all || original.having || original.qualify || original.sample_by ||
      original.latest_on || !original.order_by.empty() || original.limit || original.offset ||
      !original.where || original.select_list.size() != 1 ||
      original.from.kind == TableRef::Kind::kSetOp ||
      original.select_list[0]->kind == ExpressionKind::kStar ||
      ContainsWindow(*original.select_list[0]) ||
      expr.subquery_text.find('?') != std::string::npos) {
    return nullptr;
  }
  const bool aggregate = ContainsAggregate(*original.select_list[0]);
  if (aggregate && expr.kind == ExpressionKind::kExists) return nullptr;  // always a row

  // A private copy of the subquery to rewrite: parse its text again, and
  // bind it once more to find which of its nodes name the outer query.
  std::vector<std::unique_ptr<Statement>> parsed;
  try {
    parsed = Parser(expr.subquery_text).ParseScript();
  } catch (const QueryError&) {
    return nullptr;
  }
  if (parsed.size() != 1 || !parsed[0]->select) return nullptr;
  std::shared_ptr<SelectNode> node(std::move(parsed[0]->select));
  CorrelationFrame frame;
  outer_scopes_.push_back(ctx.scope);
  frames_.emplace_back();
  try {
    BindSelect(*node);
  } catch (const QueryError& e) {
    outer_scopes_.pop_back();
    frames_.pop_back();
    // Too deep stays too deep: binding it again the plain way would only
    // repeat the work at every enclosing level.
    if (dynamic_cast<const DepthLimitError*>(&e)) throw;
    return nullptr;
  }
  outer_scopes_.pop_back();
  frame = std::move(frames_.back());
  frames_.pop_back();
  if (frame.refers_above || frame.refs.empty()) return nullptr;

  std::unordered_set<const ParsedExpression*> refs;
  for (const CorrelatedColumn& r : frame.refs) refs.insert(r.ref);
  auto column_of = [&](const ParsedExpression* ref) -> int {
    for (const CorrelatedColumn& r : frame.refs) {
      if (r.ref != ref) continue;
      for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].column.table == r.column.table && columns[i].column.name == r.column.name) {
          return static_cast<int>(i);
        }
      }
    }
    return -1;
  };

  std::vector<ParsedExpressionPtr> conjuncts;
  SplitConjuncts(std::move(node->where), &conjuncts);
  std::vector<ParsedExpressionPtr> rest, inner_keys;
  std::vector<bool> covered(columns.size(), false);
  size_t consumed = 0;
  key_columns->clear();
  for (ParsedExpressionPtr& c : conjuncts) {
    if (!Touches(*c, refs)) {
      rest.push_back(std::move(c));
      continue;
    }
    if (c->kind != ExpressionKind::kOperator || c->op != "=" || c->children.size() != 2) {
      return nullptr;
    }
    bool matched = false;
    for (int side = 0; side < 2 && !matched; ++side) {
      const ParsedExpression* outer = c->children[side].get();
      const ParsedExpression& inner = *c->children[1 - side];
      if (!refs.count(outer) || Touches(inner, refs)) continue;
      const int col = column_of(outer);
      if (col < 0 || covered[col]) return nullptr;
      covered[col] = true;
      ++consumed;
      key_columns->push_back(static_cast<size_t>(col));
      inner_keys.push_back(inner.Copy());
      matched = true;
    }
    if (!matched) return nullptr;
  }
  // Every reference to the outer query must be one of those equalities.
  std::unordered_set<const ParsedExpression*> distinct_refs(refs);
  if (consumed != distinct_refs.size() || consumed != columns.size()) return nullptr;

  node->where = nullptr;
  for (ParsedExpressionPtr& c : rest) {
    if (!node->where) {
      node->where = std::move(c);
      continue;
    }
    if (node->where->kind != ExpressionKind::kOperator || node->where->op != "AND") {
      auto both = std::make_unique<ParsedExpression>();  // n-ary, as the parser's
      both->kind = ExpressionKind::kOperator;
      both->op = "AND";
      both->position = node->where->position;
      both->children.push_back(std::move(node->where));
      node->where = std::move(both);
    }
    node->where->children.push_back(std::move(c));
  }
  std::vector<ParsedExpressionPtr> items;
  for (const ParsedExpressionPtr& k : inner_keys) {
    items.push_back(k->Copy());
    items.back()->alias.clear();
    if (aggregate) node->group_by.push_back(k->Copy());
  }
  if (expr.kind == ExpressionKind::kExists) {
    node->distinct = true;
  } else {
    items.push_back(std::move(node->select_list[0]));
  }
  node->select_list = std::move(items);
  return node;
}

}  // namespace tsl::query
