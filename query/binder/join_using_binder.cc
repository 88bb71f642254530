// JOIN ... USING (cols) and NATURAL JOIN (all column names both sides
// share). The condition is `left.c = right.c` per key; the right side's
// copy of a key is hidden from `*` and from unqualified names, and under
// RIGHT and FULL joins the key reads as COALESCE(left.c, right.c), so it
// is never NULL just because one side had no match, as in DuckDB.
// Thread-safety: one Binder per statement.
#include <algorithm>

#include "query/binder/binder.h"
#include "query/common/query_error.h"

namespace tsl::query {

BoundExpressionPtr Binder::BindScopeColumn(const std::vector<ScopeColumn>& scope, size_t index,
                                           bool qualified, int position) {
  const ScopeColumn& c = scope[index];
  if (qualified || c.coalesce.size() < 2) {
    auto ref = MakeBoundColumn(static_cast<int>(index), c.type, c.name);
    ref->position = position;
    return ref;
  }
  auto e = std::make_unique<BoundExpression>();
  e->kind = BoundKind::kCoalesce;
  e->position = position;
  std::vector<BoundExpressionPtr*> all;
  for (int k : c.coalesce) {
    const ScopeColumn& side = scope[static_cast<size_t>(k)];
    e->children.push_back(MakeBoundColumn(k, side.type, side.name));
  }
  for (auto& child : e->children) all.push_back(&child);
  UnifyTypes(all, std::vector<bool>(all.size(), false), "COALESCE", position);
  e->type = e->children.front()->type;
  return e;
}

BoundExpressionPtr Binder::BindJoinUsing(const TableRef& ref, size_t left_columns,
                                         std::vector<ScopeColumn>* joined) {
  std::vector<ScopeColumn>& scope = *joined;
  // The key `name` on one side: a USING key of an earlier join first, then
  // the one visible column of that name; -1 when missing.
  auto find = [&](const std::string& name, size_t begin, size_t end) -> int {
    int found = -1;
    for (size_t i = begin; i < end; ++i) {
      const ScopeColumn& c = scope[i];
      if (c.using_hidden || !EqualsIgnoreCase(c.name, name)) continue;
      if (c.using_key) return static_cast<int>(i);
      if (found < 0) found = static_cast<int>(i);
    }
    return found;
  };

  std::vector<std::string> keys;
  if (ref.natural) {
    for (size_t i = 0; i < left_columns; ++i) {
      const ScopeColumn& c = scope[i];
      if (c.using_hidden) continue;
      if (std::any_of(keys.begin(), keys.end(),
                      [&](const std::string& k) { return EqualsIgnoreCase(k, c.name); })) {
        continue;
      }
      if (find(c.name, left_columns, scope.size()) >= 0) keys.push_back(c.name);
    }
    if (keys.empty()) {
      throw QueryError(ErrorKind::kBinder,
                       "No columns found to join on in NATURAL JOIN. Use CROSS JOIN if you "
                       "intended for this to be a cross-product.",
                       ref.position);
    }
  } else {
    for (const std::string& k : ref.using_columns) {
      if (std::none_of(keys.begin(), keys.end(),
                       [&](const std::string& seen) { return EqualsIgnoreCase(seen, k); })) {
        keys.push_back(k);
      }
    }
  }

  auto condition = std::make_unique<BoundExpression>();
  condition->kind = BoundKind::kAnd;
  condition->type = TypeId::kBoolean;
  condition->position = ref.position;
  for (const std::string& key : keys) {
    const int l = find(key, 0, left_columns);
    if (l < 0) {
      throw QueryError(ErrorKind::kBinder,
                       "Column \"" + key + "\" does not exist on left side of join!",
                       ref.position);
    }
    const int r = find(key, left_columns, scope.size());
    if (r < 0) {
      throw QueryError(ErrorKind::kBinder,
                       "Column \"" + key + "\" does not exist on right side of join!",
                       ref.position);
    }
    condition->children.push_back(
        BindComparison(OpCode::kEq, BindScopeColumn(scope, static_cast<size_t>(l), false, ref.position),
                       false, BindScopeColumn(scope, static_cast<size_t>(r), false, ref.position),
                       false, ref.position));
    ScopeColumn& left = scope[static_cast<size_t>(l)];
    ScopeColumn& right = scope[static_cast<size_t>(r)];
    if (ref.join_type == JoinType::kRight || ref.join_type == JoinType::kFull) {
      std::vector<int> sources = left.coalesce.empty() ? std::vector<int>{l} : left.coalesce;
      if (right.coalesce.empty()) {
        sources.push_back(r);
      } else {
        sources.insert(sources.end(), right.coalesce.begin(), right.coalesce.end());
      }
      left.coalesce = std::move(sources);
    }
    left.using_key = true;
    right.using_hidden = true;
  }
  if (condition->children.size() == 1) return std::move(condition->children[0]);
  return condition;
}

}  // namespace tsl::query
