// Binder's half for issue 17's data-changing statements (UPDATE, RETURNING):
// expressions over the rows of a target table, optionally followed by the
// columns of an UPDATE ... FROM source, with no aggregates or windows.
// See binder.h. Thread-safety: one Binder per statement.
#include "query/binder/binder.h"
#include "query/common/query_error.h"

namespace tsl::query {

std::vector<Binder::ScopeColumn> Binder::RowScope(const std::vector<RowScopeTable>& tables) {
  std::vector<ScopeColumn> scope;
  for (const RowScopeTable& t : tables) {
    for (size_t i = 0; i < t.columns.size(); ++i) {
      scope.push_back(
          {t.name, t.columns[i].name, t.columns[i].type, false, t.qualified_only, {}});
    }
  }
  return scope;
}

BoundExpressionPtr Binder::BindRowExpression(const ParsedExpression& expr,
                                             const std::vector<RowScopeTable>& tables,
                                             const char* clause) {
  std::vector<ScopeColumn> scope = RowScope(tables);
  Context ctx;
  ctx.scope = &scope;
  ctx.clause = clause;
  return Bind(expr, ctx);
}

std::vector<BoundExpressionPtr> Binder::BindRowList(const std::vector<ParsedExpressionPtr>& list,
                                                    const std::vector<RowScopeTable>& tables,
                                                    const char* clause,
                                                    std::vector<std::string>* names) {
  std::vector<ScopeColumn> scope = RowScope(tables);
  std::vector<ParsedExpressionPtr> items = ExpandSelectList(list, scope);
  std::vector<BoundExpressionPtr> out;
  for (const ParsedExpressionPtr& e : items) {
    if (ContainsAggregate(*e)) {
      throw QueryError(ErrorKind::kBinder,
                       std::string("aggregate functions are not allowed in ") + clause,
                       e->position);
    }
    Context ctx;
    ctx.scope = &scope;
    ctx.clause = clause;
    out.push_back(Bind(*e, ctx));
    if (!e->alias.empty()) {
      names->push_back(e->alias);
    } else if (e->kind == ExpressionKind::kColumnRef) {
      names->push_back(e->names.back());
    } else {
      names->push_back(e->ToString());
    }
  }
  return out;
}

}  // namespace tsl::query
