// DISTINCT ON and LATEST ON. See physical_distinct_on.h.
#include "query/execution/physical_distinct_on.h"

#include <algorithm>
#include <unordered_map>

#include "query/execution/row_key.h"

namespace tsl::query {

PhysicalDistinctOn::PhysicalDistinctOn(std::unique_ptr<PhysicalOperator> child,
                                       std::vector<int> keys, int latest_column)
    : PhysicalOperator(child->types()), keys_(std::move(keys)), latest_(latest_column) {
  AddChild(std::move(child));
}

std::string PhysicalDistinctOn::Explain() const {
  std::string out = latest_ >= 0 ? "LATEST_ON #" + std::to_string(latest_) + " PARTITION BY ("
                                 : "DISTINCT_ON (";
  for (size_t i = 0; i < keys_.size(); ++i) out += (i ? ", #" : "#") + std::to_string(keys_[i]);
  return out + ")";
}

void PhysicalDistinctOn::CollectLatest() {
  collected_ = true;
  for (TypeId t : types_) rows_.emplace_back(t);
  std::unordered_map<std::string, uint32_t> best;  // key -> index into best_
  DataChunk chunk;
  uint32_t base = 0;
  while (child()->Next(&chunk)) {
    const size_t n = chunk.size();
    // The rows, best_, and a key entry per row at most.
    memory_.Grow(ApproxChunkBytes(chunk) + static_cast<int64_t>(n) * 76);
    for (size_t c = 0; c < rows_.size(); ++c) rows_[c].AppendRange(chunk.columns[c], 0, n);
    const ColumnVector& latest = rows_[latest_];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t row = base + static_cast<uint32_t>(i);
      auto [it, inserted] =
          best.emplace(RowKey(chunk, i, &keys_), static_cast<uint32_t>(best_.size()));
      if (inserted) {
        best_.push_back(row);
        continue;
      }
      uint32_t& current = best_[it->second];
      if (latest.IsNull(row)) continue;
      if (latest.IsNull(current) || latest.GetValue(row).Compare(latest.GetValue(current)) > 0) {
        current = row;
      }
    }
    base += static_cast<uint32_t>(n);
  }
}

bool PhysicalDistinctOn::Next(DataChunk* out) {
  if (latest_ >= 0) {
    if (!collected_) CollectLatest();
    if (emitted_ >= best_.size()) return false;
    const size_t end = std::min(best_.size(), emitted_ + kVectorSize);
    std::vector<uint32_t> sel(best_.begin() + static_cast<long>(emitted_),
                              best_.begin() + static_cast<long>(end));
    emitted_ = end;
    out->Initialize(types_);
    for (size_t c = 0; c < rows_.size(); ++c) out->columns[c].AppendSelection(rows_[c], sel);
    return true;
  }
  while (child()->Next(&input_)) {
    sel_.clear();
    int64_t added = 0;
    for (size_t i = 0; i < input_.size(); ++i) {
      std::string key = RowKey(input_, i, &keys_);
      const int64_t key_bytes = KeyBytes(key);
      if (seen_.insert(std::move(key)).second) {
        sel_.push_back(static_cast<uint32_t>(i));
        added += key_bytes;
      }
    }
    memory_.Grow(added);
    if (EmitSelection(input_, sel_, types_, out)) return true;
  }
  return false;
}

}  // namespace tsl::query
