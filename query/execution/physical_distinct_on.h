// PhysicalDistinctOn: DISTINCT ON (keys) keeps each key's first row in
// input order (the planner sorts first); with a `latest` column (QuestDB
// LATEST ON) it keeps each key's row with the greatest value there (NULLs
// never win; ties: the first), in first-appearance order. Keys are
// serialized rows (row_key.h).
// Thread-safety: an operator tree is run by one thread.
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalDistinctOn : public PhysicalOperator {
 public:
  PhysicalDistinctOn(std::unique_ptr<PhysicalOperator> child, std::vector<int> keys,
                     int latest_column);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  void CollectLatest();
  std::vector<int> keys_;
  int latest_ = -1;
  std::unordered_set<std::string> seen_;
  DataChunk input_;
  std::vector<uint32_t> sel_;
  MemoryReservation memory_{"DISTINCT ON"};  // seen_, or LATEST ON's rows
  // LATEST ON: every row, and each key's best row in key order.
  bool collected_ = false;
  std::vector<ColumnVector> rows_;
  std::vector<uint32_t> best_;
  size_t emitted_ = 0;
};

}  // namespace tsl::query
