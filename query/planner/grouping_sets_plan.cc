// Planning of GROUPING SETS / ROLLUP / CUBE. See grouping_sets_plan.h.
#include "query/planner/grouping_sets_plan.h"

#include <cassert>

#include "query/execution/physical_grouping_set_expand.h"
#include "query/execution/physical_grouping_sets_empty_input.h"
#include "query/execution/physical_hash_aggregate.h"
#include "query/execution/physical_table_scan.h"

namespace tsl::query {
namespace {

BoundExpressionPtr CopyOrNull(const BoundExpressionPtr& e) { return e ? e->Copy() : nullptr; }

BoundAggregate CopyAggregate(const BoundAggregate& a) {
  BoundAggregate c;
  c.kind = a.kind;
  c.argument = CopyOrNull(a.argument);
  c.second = CopyOrNull(a.second);
  c.parameter = a.parameter;
  for (const auto& o : a.order) c.order.push_back(o->Copy());
  c.order_desc = a.order_desc;
  c.filter = CopyOrNull(a.filter);
  c.distinct = a.distinct;
  c.type = a.type;
  c.display = a.display;
  return c;
}

}  // namespace

std::unique_ptr<PhysicalOperator> PlanGroupingSetAggregate(std::unique_ptr<PhysicalOperator> input,
                                                           BoundSelect& s) {
  assert(!s.grouping_sets.empty() && s.groups.size() >= 2);
  // The binder's last two groups are placeholders for the set index and
  // the mask, which the expansion computes.
  const size_t keys = s.groups.size() - 2;
  const std::vector<TypeId> input_types = input->types();
  const int width = static_cast<int>(input_types.size());
  std::vector<BoundExpressionPtr> key_exprs;
  std::vector<BoundExpressionPtr> groups;
  for (size_t i = 0; i < keys; ++i) {
    groups.push_back(MakeBoundColumn(width + static_cast<int>(i), s.groups[i]->type,
                                     s.groups[i]->ToString()));
    key_exprs.push_back(std::move(s.groups[i]));
  }
  groups.push_back(MakeBoundColumn(width + static_cast<int>(keys), TypeId::kBigint, "set"));
  groups.push_back(MakeBoundColumn(width + static_cast<int>(keys) + 1, TypeId::kBigint, "mask"));

  std::vector<std::pair<int64_t, int64_t>> empty_sets;
  for (size_t i = 0; i < s.grouping_sets.size(); ++i) {
    if (s.grouping_sets[i].empty()) {
      empty_sets.emplace_back(static_cast<int64_t>(i),
                              PhysicalGroupingSetExpand::AbsentMask({}, keys));
    }
  }
  std::unique_ptr<PhysicalOperator> empty_aggregate;
  if (!empty_sets.empty()) {
    std::vector<BoundAggregate> copies;
    for (const BoundAggregate& a : s.aggregates) copies.push_back(CopyAggregate(a));
    DataChunk none;
    none.Initialize(input_types);
    empty_aggregate = std::make_unique<PhysicalHashAggregate>(
        std::make_unique<PhysicalChunkScan>(std::move(none), "EMPTY"),
        std::vector<BoundExpressionPtr>{}, std::move(copies));
  }

  auto expand = std::make_unique<PhysicalGroupingSetExpand>(std::move(input), std::move(key_exprs),
                                                            std::move(s.grouping_sets));
  std::unique_ptr<PhysicalOperator> op = std::make_unique<PhysicalHashAggregate>(
      std::move(expand), std::move(groups), std::move(s.aggregates));
  if (empty_aggregate) {
    op = std::make_unique<PhysicalGroupingSetsEmptyInput>(std::move(op), std::move(empty_aggregate),
                                                          std::move(empty_sets));
  }
  return op;
}

}  // namespace tsl::query
