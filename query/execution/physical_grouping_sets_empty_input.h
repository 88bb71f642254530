// PhysicalGroupingSetsEmptyInput, the second operator of GROUPING SETS
// (see physical_grouping_set_expand.h for the plan): an empty grouping set
// yields one row even over no input (as a SELECT without GROUP BY does);
// when the aggregate produced no row it emits, per empty set, the all-NULL
// keys, the set's index and mask, and the aggregates over no rows (the one
// row of a no-group aggregate over an empty chunk).
// Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "query/execution/physical_operator.h"

namespace tsl::query {

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
