// PhysicalGapfill: time_bucket_gapfill / SAMPLE BY ... FILL: materializes
// its (aggregated, so small) input, and per group of the key columns emits
// one row per bucket of [start, finish), adding rows for missing buckets
// filled with NULL, LOCF, linear interpolation or a constant.
// Thread-safety: an operator tree is run by one thread.
#pragma once

#include <vector>

#include "query/binder/bound_select.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalGapfill : public PhysicalOperator {
 public:
  PhysicalGapfill(std::unique_ptr<PhysicalOperator> child, BoundGapfill spec, ExecutionContext ctx);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  void Fill();
  // Charges the rows held so far to memory_limit and checks for a cancel,
  // every few thousand rows: a fill over a century of 1-hour buckets fails
  // with an Out of Memory Error or stops on Interrupt, never grows unbounded.
  void Account(size_t input_rows);
  BoundGapfill spec_;
  ExecutionContext ctx_;
  bool filled_ = false;
  std::vector<std::vector<Value>> out_rows_;
  size_t emitted_ = 0;
  size_t accounted_rows_ = 0;
  MemoryReservation memory_{"gap filling"};
};

}  // namespace tsl::query
