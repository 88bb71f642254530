// GROUPING SETS' rows over empty input. See
// physical_grouping_sets_empty_input.h.
#include "query/execution/physical_grouping_sets_empty_input.h"

namespace tsl::query {

PhysicalGroupingSetsEmptyInput::PhysicalGroupingSetsEmptyInput(
    std::unique_ptr<PhysicalOperator> aggregate, std::unique_ptr<PhysicalOperator> empty_aggregate,
    std::vector<std::pair<int64_t, int64_t>> empty_sets)
    : PhysicalOperator(aggregate->types()), empty_sets_(std::move(empty_sets)) {
  AddChild(std::move(aggregate));
  AddChild(std::move(empty_aggregate));
}

bool PhysicalGroupingSetsEmptyInput::Next(DataChunk* out) {
  if (done_) return false;
  if (children_[0]->Next(out)) {
    any_row_ = true;
    return true;
  }
  done_ = true;
  if (any_row_) return false;
  DataChunk aggregates;
  if (!children_[1]->Next(&aggregates) || aggregates.size() != 1) return false;
  const size_t n_aggregates = aggregates.columns.size();
  const size_t keys = types_.size() - 2 - n_aggregates;
  out->Initialize(types_);
  for (const auto& [index, mask] : empty_sets_) {
    for (size_t i = 0; i < keys; ++i) out->columns[i].AppendNull();
    out->columns[keys].AppendInt(index);
    out->columns[keys + 1].AppendInt(mask);
    for (size_t a = 0; a < n_aggregates; ++a) {
      out->columns[keys + 2 + a].AppendRange(aggregates.columns[a], 0, 1);
    }
  }
  return true;
}

std::string PhysicalGroupingSetsEmptyInput::Explain() const {
  return "GROUPING_SETS_EMPTY_INPUT (" + std::to_string(empty_sets_.size()) + " empty sets)";
}

}  // namespace tsl::query
