// PhysicalHashAggregate: GROUP BY with every aggregate of
// functions/aggregate_function.h. Consumes its whole input on the first
// Next(): each chunk's group keys are evaluated, mapped to dense group ids
// through a hash table keyed on the group values (a plain int64 map for one
// integer-class key, serialized keys otherwise), then every aggregate's
// AggregateState (functions/aggregate_state.h) updates its typed arrays in
// one loop over the rows; DISTINCT aggregates first drop rows whose value
// the group has already seen. Output: [group values..., aggregate results...], groups in order of
// first appearance. Without GROUP BY there is exactly one group, even for
// empty input (count = 0, sum = NULL), as SQL requires.
// Thread-safety: one thread.
#pragma once

#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "query/binder/bound_select.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"
#include "query/functions/aggregate_state.h"

namespace tsl::query {

class PhysicalHashAggregate : public PhysicalOperator {
 public:
  PhysicalHashAggregate(std::unique_ptr<PhysicalOperator> child,
                        std::vector<BoundExpressionPtr> groups,
                        std::vector<BoundAggregate> aggregates);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  void Consume();
  // Fills group_ids_ for the `n` rows of `input`, creating new groups.
  void AssignGroups(const DataChunk& input, size_t n);
  void AddGroup();
  void Update(size_t agg, const DataChunk& input, size_t n);

  std::vector<BoundExpressionPtr> groups_;
  std::vector<BoundAggregate> aggregates_;
  bool consumed_ = false;
  size_t emitted_ = 0;
  size_t group_count_ = 0;

  std::vector<ColumnVector> group_values_;
  std::unordered_map<int64_t, uint32_t> int_groups_;
  int64_t null_group_ = -1;
  // Transparent hashing: probing with a string_view allocates nothing.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, uint32_t, KeyHash, std::equal_to<>> key_groups_;
  std::vector<uint32_t> group_ids_;
  std::vector<uint8_t> same_;  // per row: same key as the previous row
  std::vector<std::unique_ptr<AggregateState>> states_;
  // DISTINCT: per aggregate, per group, the serialized values seen.
  std::vector<std::vector<std::unordered_set<std::string>>> seen_;
  std::vector<uint32_t> distinct_ids_, filter_ids_;
  MemoryReservation memory_{"HASH_AGGREGATE"};
};

// Appends a byte encoding of row `row` of `v` to `key` (NULL distinct from
// every value; -0.0 equal to 0.0).
void SerializeKey(const VectorView& v, size_t row, std::string* key);

}  // namespace tsl::query
