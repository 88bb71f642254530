// The late top-N rule: ORDER BY ... LIMIT n [OFFSET m] (a top-N) over a
// plain table scan, with only a WHERE and a projection between them (no
// aggregate, window, DISTINCT, gap fill, LATEST ON or subquery), becomes a
// PhysicalLateTopN (query/execution/physical_late_top_n.h): the scan reads
// the WHERE's and the ORDER BY keys' columns and the row ids, and the other
// columns are read for the kept rows only. It is used when that reads fewer
// columns than the plain plan, or when the first key is a plain column whose
// zone maps can skip files (then at most kLateTopNMaxBoundedRows rows, as
// every kept row costs a second read). threads > 1: one key pipeline per
// worker (parallel_pipeline.h), morsels in the zone-map order.
// Thread-safety: stateless.
#pragma once

#include <memory>

#include "query/binder/bound_select.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

// `source` is what Planner::PlanSource made for `s` (`s`'s expressions read
// its output positions); `keep` = LIMIT + OFFSET. Returns the top-N
// operator producing the projection's rows (the first `keep` of the order),
// taking s.projection, or null (then `s` and `source` are untouched).
std::unique_ptr<PhysicalOperator> TryPlanLateTopN(BoundSelect& s, PhysicalOperator* source,
                                                  size_t keep);

}  // namespace tsl::query
