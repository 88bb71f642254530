// LIMIT p% over the whole input. See physical_limit_percent.h.
#include "query/execution/physical_limit_percent.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace tsl::query {

PhysicalLimitPercent::PhysicalLimitPercent(std::unique_ptr<PhysicalOperator> child,
                                           double percent, int64_t offset)
    : PhysicalOperator(child->types()), percent_(percent), offset_(offset) {
  assert(percent >= 0 && percent <= 100 && offset >= 0);
  AddChild(std::move(child));
}

void PhysicalLimitPercent::Materialize() {
  materialized_ = true;
  int64_t total = 0;
  DataChunk chunk;
  while (child()->Next(&chunk)) {
    if (chunk.size() == 0) continue;
    memory_.Grow(ApproxChunkBytes(chunk));
    total += static_cast<int64_t>(chunk.size());
    chunks_.push_back(std::move(chunk));
    chunk = DataChunk();
  }
  const auto limit =
      static_cast<int64_t>(std::floor(static_cast<double>(total) * percent_ / 100.0));
  begin_ = std::min(offset_, total);
  end_ = begin_ + std::min(limit, total - begin_);
}

bool PhysicalLimitPercent::Next(DataChunk* out) {
  if (!materialized_) Materialize();
  while (next_chunk_ < chunks_.size()) {
    DataChunk& chunk = chunks_[next_chunk_];
    const int64_t n = static_cast<int64_t>(chunk.size());
    const int64_t first = row_;
    row_ += n;
    ++next_chunk_;
    const int64_t from = std::max(begin_, first) - first;
    const int64_t to = std::min(end_, first + n) - first;
    if (to <= from) {
      if (first >= end_) break;
      continue;
    }
    out->Initialize(types_);
    for (size_t c = 0; c < chunk.columns.size(); ++c) {
      out->columns[c].AppendRange(chunk.columns[c], static_cast<size_t>(from),
                                  static_cast<size_t>(to));
    }
    chunk = DataChunk();  // emitted: its memory can go
    return true;
  }
  return false;
}

std::string PhysicalLimitPercent::Explain() const {
  std::string p = std::to_string(percent_);
  while (p.size() > 1 && p.back() == '0') p.pop_back();
  if (!p.empty() && p.back() == '.') p.pop_back();
  return "LIMIT " + p + "% OFFSET " + std::to_string(offset_);
}

}  // namespace tsl::query
