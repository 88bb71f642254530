// PhysicalGroupingSetExpand, the first of the two operators of GROUPING
// SETS / ROLLUP / CUBE, planned around an ordinary PhysicalHashAggregate
// (planner/grouping_sets_plan.cc):
//
//   input -> PhysicalGroupingSetExpand -> hash aggregate
//         -> PhysicalGroupingSetsEmptyInput (only with an empty set;
//            physical_grouping_sets_empty_input.h)
//
// It evaluates the k group expressions once per input chunk and emits the
// chunk once per grouping set: the input columns unchanged (aggregate
// arguments read them, so sum(a) under ROLLUP(a) sums every a), then the k
// keys with the set's absent keys NULL, then the set's index and its
// absent-key mask (BIGINT each). The aggregate groups by those k + 2
// columns, so duplicate sets stay apart.
// Thread-safety: one thread.
#pragma once

#include <memory>
#include <vector>

#include "query/binder/bound_expression.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalGroupingSetExpand : public PhysicalOperator {
 public:
  // `sets[s]`: the indexes of the keys set s keeps.
  PhysicalGroupingSetExpand(std::unique_ptr<PhysicalOperator> child,
                            std::vector<BoundExpressionPtr> keys,
                            std::vector<std::vector<int>> sets);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;
  // The mask of the keys set `s` leaves out (bit i: key i absent).
  static int64_t AbsentMask(const std::vector<int>& set, size_t keys);

 private:
  std::vector<BoundExpressionPtr> keys_;
  std::vector<std::vector<int>> sets_;
  std::vector<int64_t> masks_;
  DataChunk input_;
  std::vector<ColumnVector> key_values_;
  size_t next_set_ = 0;  // sets_.size(): the next input chunk is due
};

}  // namespace tsl::query
