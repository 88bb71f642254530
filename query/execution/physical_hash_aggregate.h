// PhysicalHashAggregate: GROUP BY with every aggregate of
// functions/aggregate_function.h. Consumes its whole input on the first
// Next() into an AggregateTable: each chunk's group keys are evaluated,
// mapped to dense group ids through a GroupHashTable (group_hash_table.h:
// open addressing over normalized fixed-width keys), then every
// aggregate's AggregateState (functions/aggregate_state.h) updates its
// typed arrays in one loop over the rows; DISTINCT aggregates first drop
// rows whose (group, value) a second GroupHashTable has already seen. Output: [group
// values..., aggregate results...], groups in order of first appearance.
// Without GROUP BY there is exactly one group, even for empty input
// (count = 0, sum = NULL), as SQL requires.
// Parallel form (planner, execution/parallel_pipeline.h): with N > 1
// children, each child is one worker's copy of the scan -> filter pipeline
// over a shared MorselQueue (one segment file per morsel). Worker threads
// aggregate each morsel into its own partial AggregateTable; partials are
// merged into the result in morsel order (AggregateState::Combine), so
// groups, their order and order-sensitive aggregates (first, last,
// string_agg, arg_max ties, ORDER BY inside aggregates) are what one
// thread gives; only floating-point rounding of sums may differ. A
// DISTINCT aggregate's partial keeps the rows new to its group, and the
// merge feeds them through the result's own distinct sets.
// Thread-safety: Next() from one thread; the table of a worker is touched
// by that worker only, the result under a mutex.
#pragma once

#include <memory>
#include <string>

#include "query/binder/bound_select.h"
#include "query/execution/group_hash_table.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"
#include "query/functions/aggregate_state.h"

namespace tsl::query {

class MorselQueue;

// The groups and aggregate states of one hash aggregation (the whole
// input, or one morsel's partial). The expressions are shared, read-only.
class AggregateTable {
 public:
  // `partial`: DISTINCT aggregates collect their new rows for a later
  // Combine instead of updating their states.
  AggregateTable(const std::vector<BoundExpressionPtr>& groups,
                 const std::vector<BoundAggregate>& aggregates, bool partial);
  void Sink(const DataChunk& input);
  // Merges a partial table whose rows all come after this table's.
  void Combine(AggregateTable& other);
  // After the last Sink/Combine: the single group of an aggregate without
  // GROUP BY, states sized.
  void Finish();
  size_t group_count() const { return group_count_; }
  // Writes groups [begin, end) into `out` (Initialize()d with the types).
  void Emit(size_t begin, size_t end, DataChunk* out);

 private:
  // Fills group_ids_ for the `n` rows of `keys`, creating new groups.
  void LookupGroups(const std::vector<VectorView>& keys, size_t n);
  void AddGroup();
  void ReserveMemory();
  // DISTINCT filtering, then the state update (or, partial, collection).
  void UpdateViews(size_t agg, std::vector<VectorView>& args, size_t value_args,
                   const uint32_t* gid, size_t n);
  void Update(size_t agg, const DataChunk& input, size_t n);

  const std::vector<BoundExpressionPtr>& groups_;
  const std::vector<BoundAggregate>& aggregates_;
  bool partial_;
  size_t group_count_ = 0;

  // The groups, keys included (AppendKeys); none without GROUP BY.
  std::unique_ptr<GroupHashTable> group_table_;
  std::vector<uint32_t> group_ids_;
  std::vector<uint8_t> same_;  // per row: same key as the previous row
  std::vector<std::unique_ptr<AggregateState>> states_;
  // DISTINCT: per aggregate, the (group id, values) pairs seen.
  std::vector<std::unique_ptr<GroupHashTable>> seen_;
  ColumnVector gid_column_{TypeId::kBigint};
  std::vector<uint32_t> seen_ids_;
  std::vector<uint8_t> seen_mode_;
  // DISTINCT in a partial: per aggregate, the argument (and ORDER BY key)
  // values of the rows new to their group, and those groups.
  struct DistinctRows {
    std::vector<ColumnVector> cols;
    std::vector<uint32_t> gids;
  };
  std::vector<DistinctRows> distinct_rows_;
  int64_t distinct_row_count_ = 0;
  std::vector<uint32_t> distinct_ids_, filter_ids_, sel_;
  MemoryReservation memory_{"HASH_AGGREGATE"};
};

class PhysicalHashAggregate : public PhysicalOperator {
 public:
  // `workers`: the other workers' pipelines over `morsels` (empty: one
  // thread runs `child`).
  PhysicalHashAggregate(std::unique_ptr<PhysicalOperator> child,
                        std::vector<BoundExpressionPtr> groups,
                        std::vector<BoundAggregate> aggregates,
                        std::vector<std::unique_ptr<PhysicalOperator>> workers = {},
                        std::shared_ptr<MorselQueue> morsels = nullptr);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;
  int workers() const override { return static_cast<int>(children_.size()); }

 private:
  void Consume();
  void ConsumeParallel();

  std::vector<BoundExpressionPtr> groups_;
  std::vector<BoundAggregate> aggregates_;
  std::shared_ptr<MorselQueue> morsels_;
  std::unique_ptr<AggregateTable> table_;
  bool consumed_ = false;
  size_t emitted_ = 0;
};

// Appends a byte encoding of row `row` of `v` to `key` (NULL distinct from
// every value; -0.0 equal to 0.0).
void SerializeKey(const VectorView& v, size_t row, std::string* key);

}  // namespace tsl::query
