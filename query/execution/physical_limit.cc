// LIMIT / OFFSET. See physical_limit.h.
#include "query/execution/physical_limit.h"

#include <algorithm>

namespace tsl::query {

PhysicalLimit::PhysicalLimit(std::unique_ptr<PhysicalOperator> child, std::optional<int64_t> limit,
                             int64_t offset)
    : PhysicalOperator(child->types()), limit_(limit), offset_(offset) {
  AddChild(std::move(child));
}

bool PhysicalLimit::Next(DataChunk* out) {
  while (!limit_ || emitted_ < *limit_) {
    if (!child()->Next(&input_)) return false;
    const int64_t n = static_cast<int64_t>(input_.size());
    int64_t begin = 0;
    if (skipped_ < offset_) {
      begin = std::min(n, offset_ - skipped_);
      skipped_ += begin;
    }
    int64_t end = n;
    // Compared, not added: begin + a LIMIT near INT64_MAX would wrap.
    if (limit_ && *limit_ - emitted_ < n - begin) end = begin + (*limit_ - emitted_);
    if (end <= begin) continue;
    emitted_ += end - begin;
    if (begin == 0 && end == n) {
      std::swap(*out, input_);
      return true;
    }
    out->Initialize(types_);
    for (size_t c = 0; c < input_.columns.size(); ++c) {
      out->columns[c].AppendRange(input_.columns[c], static_cast<size_t>(begin),
                                  static_cast<size_t>(end));
    }
    return true;
  }
  return false;
}

std::string PhysicalLimit::Explain() const {
  return "LIMIT " + (limit_ ? std::to_string(*limit_) : std::string("ALL")) + " OFFSET " +
         std::to_string(offset_);
}

}  // namespace tsl::query
