// JoinPlanner: plans a FROM clause of joins (BoundSource::Kind::kJoin) with
// the pushdowns a single table gets (issue 16):
//   - WHERE conjuncts that read one input only move below the join into
//     that input: for a table, its scan gets the conjunct's ranges (zone
//     maps, the catalog's time/tag index, rows dropped in the segment) and
//     a filter above it; any other input gets the filter. A conjunct goes
//     only where it keeps the join's meaning: either side of INNER/CROSS,
//     the preserved side of LEFT/RIGHT, the left side of ASOF (a filter on
//     ASOF's right side would change which row is the latest), never
//     through FULL.
//   - Column pruning: a table or table function input reads only the
//     columns some expression reads; the combined schema is renumbered
//     and every expression over it (the SELECT's source-level expressions,
//     each join's condition, the pushed conjuncts) is remapped.
// Conjuncts and expressions holding a subquery are left where they are and
// turn pruning off (a subquery's outer references are not remapped).
// Thread-safety: stateless.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "query/binder/bound_select.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

// Plans the join tree `s.source` (kind kJoin). `exprs` are the SELECT's
// expressions evaluated on the join's rows (WHERE excluded: it is taken
// from s.where, which keeps the conjuncts not pushed, or becomes null);
// they are remapped in place. `plan_side` plans an input that is neither a
// join nor a table nor a table function (subqueries, set operations).
std::unique_ptr<PhysicalOperator> PlanJoinTree(
    BoundSelect& s, const std::vector<BoundExpression*>& exprs, ExecutionContext ctx,
    const std::function<std::unique_ptr<PhysicalOperator>(BoundSource&)>& plan_side);

}  // namespace tsl::query
