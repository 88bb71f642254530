// PhysicalSetOperation: UNION [ALL], INTERSECT [ALL], EXCEPT [ALL] with
// SQL's set semantics (NULLs compare equal; the ALL forms count copies).
// UNION ALL streams; the others hash rows (serialized keys, row_key.h);
// INTERSECT and EXCEPT hash the right input first, then stream the left.
// UNION [ALL] takes any number of inputs (a chain of thousands is one
// operator, not a nest), INTERSECT and EXCEPT exactly two.
// Thread-safety: an operator tree is run by one thread.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "query/binder/bound_select.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalSetOperation : public PhysicalOperator {
 public:
  PhysicalSetOperation(std::vector<std::unique_ptr<PhysicalOperator>> inputs, SetOpKind kind,
                       std::string name);
  bool Next(DataChunk* out) override;
  std::string Explain() const override { return name_; }

 private:
  void BuildRight();
  SetOpKind kind_;
  std::string name_;
  size_t current_ = 0;  // UNION [ALL]: the input being read
  bool right_built_ = false;
  std::unordered_set<std::string> seen_;
  std::unordered_map<std::string, int64_t> right_counts_;
  DataChunk input_;
  std::vector<uint32_t> sel_;
  MemoryReservation memory_{"SET OPERATION"};  // seen_ and right_counts_
};

}  // namespace tsl::query
