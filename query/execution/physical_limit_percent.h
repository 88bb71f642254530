// PhysicalLimitPercent: DuckDB's `LIMIT p%` (or `LIMIT p PERCENT`). The
// number of rows kept depends on how many rows there are, so the input is
// held whole (reserved against memory_limit as "LIMIT PERCENT"); then
// floor(total * p / 100) rows are emitted after skipping `offset`, as
// DuckDB counts the percentage of every input row, offset ones included.
// Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <vector>

#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalLimitPercent : public PhysicalOperator {
 public:
  // REQUIRES: 0 <= percent <= 100, offset >= 0.
  PhysicalLimitPercent(std::unique_ptr<PhysicalOperator> child, double percent, int64_t offset);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  void Materialize();

  double percent_;
  int64_t offset_;
  bool materialized_ = false;
  std::vector<DataChunk> chunks_;
  size_t next_chunk_ = 0;
  int64_t row_ = 0;    // global index of chunks_[next_chunk_]'s first row
  int64_t begin_ = 0;  // rows [begin_, end_) are emitted
  int64_t end_ = 0;
  MemoryReservation memory_{"LIMIT PERCENT"};
};

}  // namespace tsl::query
