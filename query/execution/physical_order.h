// PhysicalOrder (ORDER BY) and PhysicalDistinct (SELECT DISTINCT).
// Order materializes its input, sorts row indexes with a comparator over
// the key columns (NULLS FIRST/LAST per key; stable, so ties keep input
// order) and emits the rows in batches. Distinct streams: it keeps the
// serialized key of every row seen and passes only first occurrences.
// Thread-safety: one thread.
#pragma once

#include <unordered_set>

#include "query/binder/bound_select.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalOrder : public PhysicalOperator {
 public:
  PhysicalOrder(std::unique_ptr<PhysicalOperator> child, std::vector<BoundOrder> orders);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  void Sort();

  std::vector<BoundOrder> orders_;
  bool sorted_ = false;
  std::vector<ColumnVector> rows_;
  std::vector<uint32_t> index_;
  size_t emitted_ = 0;
};

class PhysicalDistinct : public PhysicalOperator {
 public:
  explicit PhysicalDistinct(std::unique_ptr<PhysicalOperator> child);
  bool Next(DataChunk* out) override;
  std::string Explain() const override { return "HASH_DISTINCT"; }

 private:
  std::unordered_set<std::string> seen_;
  DataChunk input_;
  std::vector<uint32_t> sel_;
};

}  // namespace tsl::query
