// PhysicalWindow: computes window functions. Materializes its input lean
// (window_sort.h: typed arrays, VARCHAR as dictionary codes; a key or
// argument that is not a plain column is evaluated chunk by chunk as it
// arrives), groups the windows by their PARTITION BY / ORDER BY, and for
// each group partitions the rows by a stable counting sort on dense
// partition ids, then orders each partition on normalized keys (already
// sorted input, as a table scan delivers per segment, is only checked).
// Each partition is computed in one pass: ranks from peer groups, lag/lead
// by position, and framed aggregates over frames whose bounds only move
// forward (ROWS n PRECEDING/FOLLOWING, RANGE with INTERVAL or numeric
// offsets found by two pointers), so a sliding frame costs O(n) or
// O(n log n), never O(n x frame): count/sum/avg/var/stddev from sliding
// sums (long double, values shifted by the partition's first value against
// cancellation), min/max from a monotonic deque, the rest in
// window_framed_aggregate.cc.
// Output: the input rows in the first group's (partition, order) order, as
// DuckDB does, with one column appended per window. The first group's
// partitions are computed lazily as the 2048-row chunks are pulled, so its
// results never exist for all rows at once; windows of other groups are
// computed up front into per-row columns. Memory is reserved through
// MemoryReservation ("WINDOW").
// Thread-safety: one thread.
#pragma once

#include <vector>

#include "query/binder/bound_window.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"
#include "query/execution/window_partition.h"
#include "query/execution/window_sort.h"

namespace tsl::query {

class PhysicalWindow : public PhysicalOperator {
 public:
  PhysicalWindow(std::unique_ptr<PhysicalOperator> child, std::vector<BoundWindow> windows,
                 ExecutionContext ctx);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  // Windows sharing PARTITION BY and ORDER BY: one sort for all of them.
  struct Group {
    std::vector<size_t> windows;
    std::vector<size_t> partition_slots;
    std::vector<size_t> order_slots;
    std::vector<bool> descending, nulls_first;
    std::vector<OrderKeySpec> order;
    std::vector<std::vector<uint32_t>> ranks;  // per order key (coded VARCHAR)
    PartitionRows rows;
  };

  void Compute();
  void Materialize();
  size_t SlotFor(const BoundExpression& e);
  void PrepareGroup(Group* g);
  // Sorts partition p of `g` and computes its windows into local[i]
  // (partition order, one vector per window of the group).
  void ComputePartition(Group* g, size_t p, std::vector<ColumnVector>* local);
  void UpdateReservation();

  std::vector<BoundWindow> windows_;
  ExecutionContext ctx_;
  bool computed_ = false;
  size_t input_columns_ = 0;
  size_t rows_ = 0;
  std::vector<StoredColumn> store_;                 // input columns, then evaluated expressions
  std::vector<const BoundExpression*> evaluated_;   // slot input_columns_ + i
  std::vector<std::vector<size_t>> argument_slots_;  // per window
  std::vector<Group> groups_;
  std::vector<size_t> window_group_;     // window -> its group
  std::vector<size_t> window_position_;  // window -> index inside its group
  std::vector<ColumnVector> full_;       // windows outside group 0, by input row
  MemoryReservation memory_{"WINDOW"};
  PartitionOrderScratch scratch_;
  WindowPartitionScratch frame_;
  std::vector<uint8_t> new_peer_;
  std::vector<ColumnVector> local_;
  std::vector<ColumnVector> pending_;    // group 0 results from the emitted position on
  size_t pending_head_ = 0;
  size_t next_partition_ = 0;
  size_t emitted_ = 0;
};

}  // namespace tsl::query
