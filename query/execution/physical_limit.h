// PhysicalLimit: LIMIT / OFFSET. Skips `offset` rows and stops after
// `limit` (none: ALL). Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <optional>

#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalLimit : public PhysicalOperator {
 public:
  PhysicalLimit(std::unique_ptr<PhysicalOperator> child, std::optional<int64_t> limit,
                int64_t offset);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  std::optional<int64_t> limit_;
  int64_t offset_;
  int64_t skipped_ = 0;
  int64_t emitted_ = 0;
  DataChunk input_;
};

}  // namespace tsl::query
