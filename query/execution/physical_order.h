// PhysicalOrder (ORDER BY): materializes its input, sorts row indexes with
// a comparator over the key columns (NULLS FIRST/LAST per key; ties keep
// input order) and emits the rows in batches. With a row budget (ORDER BY
// ... LIMIT n) it is a top-N: the buffer is cut back to the best n rows
// whenever it grows past a threshold, so memory stays O(n) however large
// the input. Thread-safety: one thread.
#pragma once

#include <optional>
#include <memory>

#include "query/binder/bound_select.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalOrder : public PhysicalOperator {
 public:
  // `keep`: only the first `keep` rows of the order are needed (LIMIT).
  PhysicalOrder(std::unique_ptr<PhysicalOperator> child, std::vector<BoundOrder> orders,
                std::optional<size_t> keep = std::nullopt);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  void Sort();
  // Sorts index_ over rows_; with `keep`, only its first `keep` entries.
  void SortIndex(std::optional<size_t> keep);
  // Keeps only the best `keep_` rows in rows_ (in order).
  void Compact();

  std::vector<BoundOrder> orders_;
  std::optional<size_t> keep_;
  bool sorted_ = false;
  std::vector<ColumnVector> rows_;
  MemoryReservation memory_{"ORDER BY"};
  std::vector<uint32_t> index_;
  size_t emitted_ = 0;
};

}  // namespace tsl::query
