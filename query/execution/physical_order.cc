// ORDER BY. See physical_order.h.
#include "query/execution/physical_order.h"

#include <algorithm>

#include "formats/list_value.h"
#include "query/execution/physical_hash_aggregate.h"

namespace tsl::query {

PhysicalOrder::PhysicalOrder(std::unique_ptr<PhysicalOperator> child,
                             std::vector<BoundOrder> orders, std::optional<size_t> keep)
    : PhysicalOperator(child->types()), orders_(std::move(orders)), keep_(keep) {
  AddChild(std::move(child));
}

void PhysicalOrder::SortIndex(std::optional<size_t> keep) {
  const size_t n = rows_.empty() ? 0 : rows_[0].size();
  index_.resize(n);
  for (size_t i = 0; i < n; ++i) index_[i] = static_cast<uint32_t>(i);
  // Ties fall back to the input position, so the order is the stable one.
  auto compare = [this](uint32_t a, uint32_t b) {
    for (const BoundOrder& o : orders_) {
      const ColumnVector& col = rows_[o.column];
      const bool na = col.IsNull(a), nb = col.IsNull(b);
      if (na || nb) {
        if (na && nb) continue;
        // NULLs placement is independent of ASC/DESC.
        return na ? o.nulls_first : !o.nulls_first;
      }
      int cmp = 0;
      switch (PhysicalClassOf(col.type)) {
        case PhysicalClass::kInt64:
          cmp = col.ints[a] < col.ints[b] ? -1 : col.ints[a] > col.ints[b] ? 1 : 0;
          break;
        case PhysicalClass::kDouble: {
          double x = col.doubles[a], y = col.doubles[b];
          // NaN sorts after every other value, as in DuckDB.
          bool xn = x != x, yn = y != y;
          cmp = xn || yn ? (xn && yn ? 0 : xn ? 1 : -1) : x < y ? -1 : x > y ? 1 : 0;
          break;
        }
        case PhysicalClass::kString:
          if (IsList(col.type)) {  // elementwise, not by bytes (list_value.h)
            cmp = CompareLists(col.type, col.strings[a], col.strings[b]);
            break;
          }
          cmp = col.strings[a].compare(col.strings[b]);
          cmp = cmp < 0 ? -1 : cmp > 0 ? 1 : 0;
          break;
      }
      if (cmp != 0) return o.descending ? cmp > 0 : cmp < 0;
    }
    return a < b;
  };
  if (keep && *keep < n) {
    std::partial_sort(index_.begin(), index_.begin() + *keep, index_.end(), compare);
    index_.resize(*keep);
  } else {
    std::sort(index_.begin(), index_.end(), compare);
  }
}

void PhysicalOrder::Compact() {
  SortIndex(keep_);
  std::vector<ColumnVector> kept;
  for (size_t c = 0; c < rows_.size(); ++c) {
    kept.emplace_back(rows_[c].type);
    kept.back().AppendSelection(rows_[c], index_);
  }
  rows_ = std::move(kept);
}

void PhysicalOrder::Sort() {
  for (TypeId t : types_) rows_.emplace_back(t);
  const size_t threshold = keep_ ? std::max<size_t>(2 * *keep_, 16 * kVectorSize) : 0;
  DataChunk input;
  while (child()->Next(&input)) {
    if (!keep_) memory_.Grow(ApproxChunkBytes(input) + static_cast<int64_t>(input.size()) * 8);
    for (size_t c = 0; c < rows_.size(); ++c) {
      rows_[c].AppendRange(input.columns[c], 0, input.size());
    }
    if (keep_ && rows_[0].size() > threshold) Compact();
  }
  SortIndex(keep_);
}

bool PhysicalOrder::Next(DataChunk* out) {
  if (!sorted_) {
    Sort();
    sorted_ = true;
  }
  if (emitted_ >= index_.size()) return false;
  const size_t end = std::min(index_.size(), emitted_ + kVectorSize);
  std::vector<uint32_t> sel(index_.begin() + emitted_, index_.begin() + end);
  out->Initialize(types_);
  for (size_t c = 0; c < rows_.size(); ++c) out->columns[c].AppendSelection(rows_[c], sel);
  emitted_ = end;
  return true;
}

std::string PhysicalOrder::Explain() const {
  std::string out = "ORDER_BY [";
  for (size_t i = 0; i < orders_.size(); ++i) {
    if (i) out += ", ";
    out += "#";
    out += std::to_string(orders_[i].column);
    out += orders_[i].descending ? " DESC" : " ASC";
    out += orders_[i].nulls_first ? " NULLS FIRST" : " NULLS LAST";
  }
  return out + "]";
}

}  // namespace tsl::query
