// PhysicalSemiJoin. See physical_semi_join.h.
#include "query/execution/physical_semi_join.h"

#include <utility>

#include "query/execution/physical_append_column.h"
#include "query/execution/physical_hash_join.h"

namespace tsl::query {
namespace {

// Right-side column references move one place up (past the row number).
void ShiftRightColumns(BoundExpression* e, int left_width) {
  if (!e) return;
  std::vector<BoundExpression*> stack{e};
  while (!stack.empty()) {
    BoundExpression* x = stack.back();
    stack.pop_back();
    if (x->kind == BoundKind::kColumnRef && x->column >= left_width) ++x->column;
    for (auto& c : x->children) stack.push_back(c.get());
  }
}

}  // namespace

PhysicalSemiJoin::PhysicalSemiJoin(std::unique_ptr<PhysicalOperator> left,
                                   std::unique_ptr<PhysicalOperator> right, bool anti,
                                   BoundExpressionPtr condition, ExecutionContext ctx)
    : PhysicalOperator(left->types()), anti_(anti) {
  left_width_ = types_.size();
  row_column_ = left_width_;
  marker_column_ = left_width_ + 1 + right->types().size();
  ShiftRightColumns(condition.get(), static_cast<int>(left_width_));
  auto numbered = std::make_unique<PhysicalAppendColumn>(std::move(left), true);
  auto marked = std::make_unique<PhysicalAppendColumn>(std::move(right), false);
  // No condition: every pair matches (a LEFT join needs one to be LEFT).
  if (!condition) {
    condition = std::make_unique<BoundExpression>();
    condition->kind = BoundKind::kConstant;
    condition->type = TypeId::kBoolean;
    condition->value = Value::Boolean(true);
  }
  AddChild(std::make_unique<PhysicalHashJoin>(std::move(numbered), std::move(marked),
                                              JoinType::kLeft, std::move(condition), ctx));
}

bool PhysicalSemiJoin::Next(DataChunk* out) {
  DataChunk joined;
  while (child()->Next(&joined)) {
    const ColumnVector& rows = joined.columns[row_column_];
    const ColumnVector& marker = joined.columns[marker_column_];
    std::vector<uint32_t> keep;
    for (size_t i = 0; i < joined.size(); ++i) {
      const bool matched = !marker.IsNull(i);
      if (anti_) {
        if (!matched) keep.push_back(static_cast<uint32_t>(i));
        continue;
      }
      if (!matched) continue;
      const auto row = static_cast<size_t>(rows.ints[i]);
      if (row >= emitted_.size()) emitted_.resize(row + 1 + row / 2, 0);
      if (emitted_[row]) continue;
      emitted_[row] = 1;
      keep.push_back(static_cast<uint32_t>(i));
    }
    if (keep.empty()) continue;
    out->Initialize(types_);
    for (size_t c = 0; c < left_width_; ++c) {
      out->columns[c].AppendSelection(joined.columns[c], keep);
    }
    return true;
  }
  return false;
}

}  // namespace tsl::query
