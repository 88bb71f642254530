// unnest(list) in a SELECT list, as DuckDB: one output row per element of
// the row's list (none for a NULL or empty list). Bound as the FROM joined
// laterally with the table function unnest(list) (functions/
// unnest_function.h, binder/lateral_join_binder.cc), whose column the calls
// then read. Supported: one distinct unnest argument per SELECT (DuckDB
// zips several side by side), not together with aggregates or window
// functions (DuckDB unnests after aggregating); both are a clear error.
#include "query/binder/binder.h"
#include "query/common/query_error.h"

namespace tsl::query {

namespace {

constexpr const char* kUnnestTable = "__unnest";

bool IsUnnestCall(const ParsedExpression& e) {
  return e.kind == ExpressionKind::kFunction && e.name == "unnest" && !e.window;
}

// The first unnest call under `e` in `*found`; a call with a different
// argument is an error.
void FindUnnest(const ParsedExpression& e, const ParsedExpression** found) {
  if (IsUnnestCall(e)) {
    if (e.children.size() != 1 || e.star) {
      throw QueryError(ErrorKind::kBinder, "unnest() takes exactly one argument", e.position);
    }
    if (*found && (*found)->ToString() != e.ToString()) {
      throw QueryError(ErrorKind::kNotImplemented,
                       "several different unnest() calls in one SELECT are not supported",
                       e.position);
    }
    if (!*found) *found = &e;
    return;
  }
  for (const auto& c : e.children) FindUnnest(*c, found);
}

void Replace(ParsedExpressionPtr* e) {
  if (IsUnnestCall(**e)) {
    auto column = std::make_unique<ParsedExpression>();
    column->kind = ExpressionKind::kColumnRef;
    column->position = (*e)->position;
    column->names = {kUnnestTable, "unnest"};
    column->alias = (*e)->alias;
    *e = std::move(column);
    return;
  }
  for (auto& c : (*e)->children) Replace(&c);
}

}  // namespace

bool Binder::BindSelectUnnest(const SelectNode& node, BoundSource* source,
                              std::vector<ScopeColumn>* scope) {
  const ParsedExpression* call = nullptr;
  for (const auto& item : node.select_list) FindUnnest(*item, &call);
  if (!call) return false;
  bool aggregate = !node.group_by.empty() || node.group_by_all || node.having != nullptr ||
                   !node.grouping_sets.empty();
  for (const auto& item : node.select_list) {
    aggregate = aggregate || ContainsAggregate(*item) || ContainsWindow(*item);
  }
  if (aggregate) {
    throw QueryError(ErrorKind::kNotImplemented,
                     "unnest() in a SELECT with aggregates or window functions is not supported",
                     call->position);
  }
  TableRef ref;
  ref.kind = TableRef::Kind::kJoin;
  ref.position = call->position;
  ref.join_type = JoinType::kCross;
  ref.right = std::make_unique<TableRef>();
  ref.right->kind = TableRef::Kind::kTableFunction;
  ref.right->position = call->position;
  ref.right->name = "unnest";
  ref.right->alias = kUnnestTable;
  ref.right->args.push_back(call->children[0]->Copy());
  std::vector<ScopeColumn> joined;
  if (node.from.kind == TableRef::Kind::kNone) {
    BindSource(*ref.right, source, &joined);
  } else {
    source->kind = BoundSource::Kind::kJoin;
    source->name = "join";
    source->join_type = JoinType::kCross;
    source->left = std::make_unique<BoundSource>();
    source->right = std::make_unique<BoundSource>();
    BindSource(node.from, source->left.get(), &joined);
    if (!BindLateralJoin(ref, source, &joined)) BindSource(*ref.right, source->right.get(), &joined);
    for (const auto& side : {source->left.get(), source->right.get()}) {
      for (const Field& f : side->schema.fields) source->schema.fields.push_back(f);
    }
  }
  // Only the calls read it: `*` leaves it out.
  joined.back().using_hidden = true;
  for (ScopeColumn& c : joined) scope->push_back(std::move(c));
  return true;
}

void Binder::ReplaceSelectUnnest(std::vector<ParsedExpressionPtr>* items) {
  for (auto& item : *items) {
    if (IsUnnestCall(*item) && item->alias.empty()) {
      // DuckDB names the column after the call: unnest([1, 2]).
      std::string name = item->ToString();
      Replace(&item);
      item->alias = std::move(name);
      continue;
    }
    Replace(&item);
  }
}

}  // namespace tsl::query
