// PhysicalLateralJoin. See physical_lateral_join.h.
#include "query/execution/physical_lateral_join.h"

#include "query/execution/expression_executor.h"

namespace tsl::query {

PhysicalLateralJoin::PhysicalLateralJoin(std::unique_ptr<PhysicalOperator> left,
                                         std::vector<TypeId> right_types,
                                         std::shared_ptr<LateralEvaluator> lateral,
                                         std::vector<BoundExpressionPtr> keys, JoinType type,
                                         BoundExpressionPtr condition, ExecutionContext ctx)
    : PhysicalOperator(left->types()),
      lateral_(std::move(lateral)),
      keys_(std::move(keys)),
      type_(type),
      condition_(std::move(condition)),
      ctx_(ctx) {
  left_width_ = types_.size();
  for (TypeId t : right_types) types_.push_back(t);
  AddChild(std::move(left));
  pending_.Initialize(types_);
  pairs_.Initialize(types_);
  key_values_.resize(keys_.size());
}

std::string PhysicalLateralJoin::Explain() const {
  std::string out = std::string(type_ == JoinType::kLeft ? "LEFT " : "") + lateral_->ToString();
  if (condition_) out += " ON " + condition_->ToString();
  return out;
}

void PhysicalLateralJoin::JoinRow() {
  std::vector<Value> keys(keys_.size());
  for (size_t k = 0; k < keys_.size(); ++k) keys[k] = key_values_[k].GetValue(row_);
  std::shared_ptr<const std::vector<DataChunk>> rows = lateral_->Rows(keys);
  bool matched = false;
  for (const DataChunk& right : *rows) {
    const size_t n = right.size();
    if (n == 0) continue;
    pairs_.Reset();
    for (size_t c = 0; c < left_width_; ++c) {
      for (size_t i = 0; i < n; ++i) pairs_.columns[c].AppendRange(input_.columns[c], row_, row_ + 1);
    }
    for (size_t c = left_width_; c < types_.size(); ++c) {
      pairs_.columns[c].AppendRange(right.columns[c - left_width_], 0, n);
    }
    if (condition_) {
      sel_.clear();
      ExpressionExecutor::Select(*condition_, pairs_, n, &sel_);
      if (sel_.empty()) continue;
      for (size_t c = 0; c < types_.size(); ++c) {
        pending_.columns[c].AppendSelection(pairs_.columns[c], sel_);
      }
    } else {
      for (size_t c = 0; c < types_.size(); ++c) pending_.columns[c].AppendRange(pairs_.columns[c], 0, n);
    }
    matched = true;
  }
  if (!matched && type_ == JoinType::kLeft) {
    for (size_t c = 0; c < left_width_; ++c) pending_.columns[c].AppendRange(input_.columns[c], row_, row_ + 1);
    for (size_t c = left_width_; c < types_.size(); ++c) pending_.columns[c].AppendNull();
  }
}

bool PhysicalLateralJoin::Next(DataChunk* out) {
  out->Initialize(types_);
  while (true) {
    if (pending_pos_ < pending_.size()) {
      const size_t end = std::min(pending_.size(), pending_pos_ + kVectorSize);
      for (size_t c = 0; c < types_.size(); ++c) {
        out->columns[c].AppendRange(pending_.columns[c], pending_pos_, end);
      }
      pending_pos_ = end;
      return true;
    }
    pending_.Reset();
    pending_pos_ = 0;
    if (input_done_) return false;
    // Fill pending_ from left rows until it holds a vector's worth.
    while (pending_.size() < kVectorSize) {
      if (row_ >= input_.size()) {
        ctx_.CheckCancelled();
        if (!child()->Next(&input_)) {
          input_done_ = true;
          break;
        }
        row_ = 0;
        for (size_t k = 0; k < keys_.size(); ++k) {
          ExpressionExecutor::Execute(*keys_[k], input_, input_.size(), &key_values_[k]);
        }
      }
      JoinRow();
      ++row_;
    }
  }
}

}  // namespace tsl::query
