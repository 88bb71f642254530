// PhysicalDistinct (SELECT DISTINCT) streams: it keeps every row seen in a
// GroupHashTable (group_hash_table.h) and passes only first occurrences.
// Thread-safety: one thread.
#pragma once

#include <memory>

#include "query/execution/group_hash_table.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalDistinct : public PhysicalOperator {
 public:
  explicit PhysicalDistinct(std::unique_ptr<PhysicalOperator> child);
  bool Next(DataChunk* out) override;
  std::string Explain() const override { return "HASH_DISTINCT"; }

 private:
  GroupHashTable seen_;
  DataChunk input_;
  std::vector<uint32_t> ids_;
};

}  // namespace tsl::query
