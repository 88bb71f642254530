// The filter and its integer-range fast path. See physical_filter.h.
#include "query/execution/physical_filter.h"

#include <algorithm>

#include "query/execution/expression_executor.h"

namespace tsl::query {

PhysicalFilter::PhysicalFilter(std::unique_ptr<PhysicalOperator> child,
                               BoundExpressionPtr predicate)
    : PhysicalOperator(child->types()), predicate_(std::move(predicate)) {
  AddChild(std::move(child));
  ranges_ = IntRanges(*predicate_);
}

std::vector<PhysicalFilter::IntRange> PhysicalFilter::IntRanges(const BoundExpression& p) {
  std::vector<const BoundExpression*> conjuncts;
  if (p.kind == BoundKind::kAnd) {
    for (const auto& c : p.children) conjuncts.push_back(c.get());
  } else {
    conjuncts.push_back(&p);
  }
  std::vector<IntRange> ranges;
  for (const BoundExpression* c : conjuncts) {
    if (c->kind != BoundKind::kOperator || c->children.size() != 2) return {};
    const BoundExpression* col = c->children[0].get();
    const BoundExpression* val = c->children[1].get();
    OpCode op = c->op;
    if (col->kind == BoundKind::kConstant) {  // 5 < x is x > 5
      std::swap(col, val);
      switch (op) {
        case OpCode::kLt: op = OpCode::kGt; break;
        case OpCode::kLe: op = OpCode::kGe; break;
        case OpCode::kGt: op = OpCode::kLt; break;
        case OpCode::kGe: op = OpCode::kLe; break;
        default: break;
      }
    }
    if (col->kind != BoundKind::kColumnRef || val->kind != BoundKind::kConstant ||
        val->value.is_null() || col->type != val->type ||
        (!IsIntegral(col->type) && col->type != TypeId::kTimestamp &&
         col->type != TypeId::kDate && col->type != TypeId::kTime)) {
      return {};
    }
    const int64_t v = val->value.int_value();
    auto it = std::find_if(ranges.begin(), ranges.end(),
                           [&](const IntRange& r) { return r.column == col->column; });
    if (it == ranges.end()) {
      ranges.push_back(IntRange{col->column});
      it = ranges.end() - 1;
    }
    switch (op) {
      case OpCode::kEq:
        it->lo = std::max(it->lo, v);
        it->hi = std::min(it->hi, v);
        break;
      case OpCode::kGe:
        it->lo = std::max(it->lo, v);
        break;
      case OpCode::kLe:
        it->hi = std::min(it->hi, v);
        break;
      case OpCode::kGt:
        if (v == INT64_MAX) {  // nothing is greater
          it->lo = 1;
          it->hi = 0;
        } else {
          it->lo = std::max(it->lo, v + 1);
        }
        break;
      case OpCode::kLt:
        if (v == INT64_MIN) {
          it->lo = 1;
          it->hi = 0;
        } else {
          it->hi = std::min(it->hi, v - 1);
        }
        break;
      default:
        return {};
    }
  }
  return ranges;
}

void PhysicalFilter::SelectIntRanges(size_t n) {
  sel_.clear();
  for (size_t k = 0; k < ranges_.size(); ++k) {
    const IntRange& r = ranges_[k];
    const ColumnVector& c = input_.columns[static_cast<size_t>(r.column)];
    const int64_t* v = c.ints.data();
    const uint8_t* valid = c.valid.data();
    if (r.lo > r.hi) {
      sel_.clear();
      return;
    }
    // lo <= x <= hi as one unsigned comparison.
    const uint64_t width = static_cast<uint64_t>(r.hi) - static_cast<uint64_t>(r.lo);
    auto pass = [&](size_t i) {
      return valid[i] != 0 &&
             static_cast<uint64_t>(v[i]) - static_cast<uint64_t>(r.lo) <= width;
    };
    if (k == 0) {
      sel_.resize(n);
      size_t m = 0;
      for (size_t i = 0; i < n; ++i) {
        sel_[m] = static_cast<uint32_t>(i);
        m += pass(i);
      }
      sel_.resize(m);
    } else {
      size_t m = 0;
      for (size_t j = 0; j < sel_.size(); ++j) {
        sel_[m] = sel_[j];
        m += pass(sel_[j]);
      }
      sel_.resize(m);
    }
  }
}

bool PhysicalFilter::Next(DataChunk* out) {
  while (child()->Next(&input_)) {
    const size_t n = input_.size();
    if (!ranges_.empty()) {
      SelectIntRanges(n);
    } else {
      sel_.clear();
      ExpressionExecutor::Select(*predicate_, input_, n, &sel_);
    }
    if (sel_.empty()) continue;
    if (sel_.size() == n) {
      std::swap(*out, input_);
      return true;
    }
    out->Initialize(types_);
    for (size_t c = 0; c < input_.columns.size(); ++c) {
      out->columns[c].AppendSelection(input_.columns[c], sel_);
    }
    return true;
  }
  return false;
}

}  // namespace tsl::query
