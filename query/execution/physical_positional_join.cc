// PhysicalPositionalJoin. See physical_positional_join.h.
#include "query/execution/physical_positional_join.h"

#include <algorithm>

namespace tsl::query {

PhysicalPositionalJoin::PhysicalPositionalJoin(std::unique_ptr<PhysicalOperator> left,
                                               std::unique_ptr<PhysicalOperator> right)
    : PhysicalOperator(left->types()) {
  left_width_ = types_.size();
  for (TypeId t : right->types()) types_.push_back(t);
  AddChild(std::move(left));
  AddChild(std::move(right));
}

void PhysicalPositionalJoin::Refill(size_t index) {
  Side& side = sides_[index];
  while (!side.done && side.pos >= side.chunk.size()) {
    side.pos = 0;
    if (!children_[index]->Next(&side.chunk)) {
      side.done = true;
      side.chunk.Reset();
    }
  }
}

bool PhysicalPositionalJoin::Next(DataChunk* out) {
  out->Initialize(types_);
  Refill(0);
  Refill(1);
  if (sides_[0].done && sides_[1].done) return false;
  // As many rows as both sides have at hand (or the live side alone).
  size_t n = kVectorSize;
  for (const Side& s : sides_) {
    if (!s.done) n = std::min(n, s.chunk.size() - s.pos);
  }
  for (size_t index = 0; index < 2; ++index) {
    Side& s = sides_[index];
    const size_t first = index == 0 ? 0 : left_width_;
    const size_t width = index == 0 ? left_width_ : types_.size() - left_width_;
    for (size_t c = 0; c < width; ++c) {
      if (s.done) {
        for (size_t i = 0; i < n; ++i) out->columns[first + c].AppendNull();
      } else {
        out->columns[first + c].AppendRange(s.chunk.columns[c], s.pos, s.pos + n);
      }
    }
    if (!s.done) s.pos += n;
  }
  return true;
}

}  // namespace tsl::query
