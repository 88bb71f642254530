// SELECT DISTINCT. See physical_distinct.h.
#include "query/execution/physical_distinct.h"

namespace tsl::query {

PhysicalDistinct::PhysicalDistinct(std::unique_ptr<PhysicalOperator> child)
    : PhysicalOperator(child->types()), seen_(child->types(), "DISTINCT") {
  AddChild(std::move(child));
}

bool PhysicalDistinct::Next(DataChunk* out) {
  std::vector<VectorView> keys;
  while (child()->Next(&input_)) {
    const size_t n = input_.size();
    keys.clear();
    for (const ColumnVector& c : input_.columns) keys.push_back(VectorView{&c, false});
    ids_.resize(n);
    const std::vector<uint32_t>& fresh = seen_.FindOrCreate(keys, n, ids_.data());
    if (fresh.empty()) continue;
    out->Initialize(types_);
    for (size_t c = 0; c < input_.columns.size(); ++c) {
      out->columns[c].AppendSelection(input_.columns[c], fresh);
    }
    return true;
  }
  return false;
}

}  // namespace tsl::query
