// The plan of an aggregate with GROUPING SETS / ROLLUP / CUBE: expansion,
// the ordinary hash aggregate over the expanded keys, and the rows of
// empty sets over no input (execution/physical_grouping_set_expand.h and
// physical_grouping_sets_empty_input.h).
// Thread-safety: stateless.
#pragma once

#include <memory>

#include "query/binder/bound_select.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

// REQUIRES: !select.grouping_sets.empty(); `input` produces the rows the
// groups and aggregates read. Consumes select.groups and select.aggregates;
// the result's columns are [groups..., set index, mask, aggregates...] as
// the binder numbered them.
std::unique_ptr<PhysicalOperator> PlanGroupingSetAggregate(std::unique_ptr<PhysicalOperator> input,
                                                           BoundSelect& select);

}  // namespace tsl::query
