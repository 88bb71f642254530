// The two operators of GROUPING SETS / ROLLUP / CUBE, planned around an
// ordinary PhysicalHashAggregate (planner/grouping_sets_plan.cc):
//
//   input -> PhysicalGroupingSetExpand -> hash aggregate
//         -> PhysicalGroupingSetsEmptyInput (only with an empty set)
//
// PhysicalGroupingSetExpand evaluates the k group expressions once per
// input chunk and emits the chunk once per grouping set: the input
// columns unchanged (aggregate arguments read them, so sum(a) under
// ROLLUP(a) sums every a), then the k keys with the set's absent keys
// NULL, then the set's index and its absent-key mask (BIGINT each). The
// aggregate groups by those k + 2 columns, so duplicate sets stay apart.
// PhysicalGroupingSetsEmptyInput: an empty grouping set yields one row
// even over no input (as a SELECT without GROUP BY does); when the
// aggregate produced no row it emits, per empty set, the all-NULL keys,
// the set's index and mask, and the aggregates over no rows (the one row
// of a no-group aggregate over an empty chunk).
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

class PhysicalGroupingSetsEmptyInput : public PhysicalOperator {
 public:
  // `aggregate`: the grouped aggregate ([keys, set, mask, aggregates]);
  // `empty_aggregate`: one row of the aggregates over no rows; `empty_sets`:
  // the (index, mask) of each empty grouping set.
  PhysicalGroupingSetsEmptyInput(std::unique_ptr<PhysicalOperator> aggregate,
                                 std::unique_ptr<PhysicalOperator> empty_aggregate,
                                 std::vector<std::pair<int64_t, int64_t>> empty_sets);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  std::vector<std::pair<int64_t, int64_t>> empty_sets_;
  bool any_row_ = false;
  bool done_ = false;
};

}  // namespace tsl::query
