// PhysicalLateralJoin: a LATERAL join (binder/lateral_join_binder.cc). For
// each left row it evaluates the keys (the left columns the right side
// reads), asks the LateralEvaluator for the right side's rows at those
// values (cached per distinct key) and emits left row + right row pairs
// that pass the ON condition; under LEFT a left row with no passing pair
// is emitted once with NULLs on the right. Output: left columns then right
// columns, at most kVectorSize rows a chunk.
// Thread-safety: one thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "query/binder/bound_select.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalLateralJoin : public PhysicalOperator {
 public:
  PhysicalLateralJoin(std::unique_ptr<PhysicalOperator> left, std::vector<TypeId> right_types,
                      std::shared_ptr<LateralEvaluator> lateral,
                      std::vector<BoundExpressionPtr> keys, JoinType type,
                      BoundExpressionPtr condition, ExecutionContext ctx);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  // Appends left row `row_` paired with its right rows to pending_.
  void JoinRow();

  std::shared_ptr<LateralEvaluator> lateral_;
  std::vector<BoundExpressionPtr> keys_;
  JoinType type_;
  BoundExpressionPtr condition_;
  ExecutionContext ctx_;
  size_t left_width_ = 0;
  DataChunk input_;
  std::vector<ColumnVector> key_values_;
  size_t row_ = 0;
  bool input_done_ = false;
  // Rows joined but not yet returned, and how many of them were returned.
  DataChunk pending_;
  size_t pending_pos_ = 0;
  DataChunk pairs_;
  std::vector<uint32_t> sel_;
};

}  // namespace tsl::query
