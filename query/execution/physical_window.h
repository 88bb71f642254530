// PhysicalWindow: computes window functions. Materializes its input,
// evaluates each window's PARTITION BY / ORDER BY keys and arguments over
// all rows, sorts row indexes by (partition, order) and computes each
// partition in one pass: ranks from peer groups, lag/lead by position, and
// framed aggregates over frames whose bounds only move forward (ROWS n
// PRECEDING/FOLLOWING, RANGE with INTERVAL or numeric offsets found by
// binary search), so a sliding frame costs O(n) or O(n log n), never
// O(n x frame): count/sum/avg/var/stddev from prefix sums (long double,
// values shifted by the partition's first value against cancellation),
// min/max from a monotonic deque. Emits the input rows in their original
// order with one column appended per window. Thread-safety: one thread.
#pragma once

#include <vector>

#include "query/binder/bound_window.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalWindow : public PhysicalOperator {
 public:
  PhysicalWindow(std::unique_ptr<PhysicalOperator> child, std::vector<BoundWindow> windows,
                 ExecutionContext ctx);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  void Compute();
  void ComputeWindow(const BoundWindow& w, ColumnVector* out);

  std::vector<BoundWindow> windows_;
  ExecutionContext ctx_;
  bool computed_ = false;
  DataChunk all_;                       // the whole input
  MemoryReservation memory_{"WINDOW"};
  std::vector<ColumnVector> results_;   // one per window, all_.size() rows
  size_t emitted_ = 0;
};

}  // namespace tsl::query
