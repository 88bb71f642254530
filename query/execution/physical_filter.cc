// Streaming operators: filter, projection, limit. See physical_filter.h.
#include "query/execution/physical_filter.h"

#include <algorithm>

#include "query/execution/expression_executor.h"

namespace tsl::query {
namespace {

std::vector<TypeId> TypesOf(const std::vector<BoundExpressionPtr>& exprs) {
  std::vector<TypeId> types;
  for (const auto& e : exprs) types.push_back(e->type);
  return types;
}

}  // namespace

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
        (col->type != TypeId::kInteger && col->type != TypeId::kBigint &&
         col->type != TypeId::kTimestamp && col->type != TypeId::kDate)) {
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

PhysicalProjection::PhysicalProjection(std::unique_ptr<PhysicalOperator> child,
                                       std::vector<BoundExpressionPtr> expressions)
    : PhysicalOperator(TypesOf(expressions)), expressions_(std::move(expressions)) {
  AddChild(std::move(child));
}

bool PhysicalProjection::Next(DataChunk* out) {
  if (!child()->Next(&input_)) return false;
  const size_t n = input_.size();
  out->columns.resize(expressions_.size());
  for (size_t i = 0; i < expressions_.size(); ++i) {
    const BoundExpression& e = *expressions_[i];
    if (e.kind == BoundKind::kColumnRef) {
      // Moving is safe only for the last use of the input column; copy otherwise.
      bool used_later = false;
      for (size_t j = i + 1; j < expressions_.size(); ++j) {
        used_later = used_later || expressions_[j]->kind != BoundKind::kColumnRef ||
                     expressions_[j]->column == e.column;
      }
      if (!used_later) {
        out->columns[i] = std::move(input_.columns[e.column]);
        input_.columns[e.column] = ColumnVector(e.type);
        continue;
      }
    }
    ExpressionExecutor::Execute(e, input_, n, &out->columns[i]);
  }
  return true;
}

std::string PhysicalProjection::Explain() const {
  std::string out = "PROJECTION [";
  for (size_t i = 0; i < expressions_.size(); ++i) {
    if (i) out += ", ";
    out += expressions_[i]->ToString();
  }
  return out + "]";
}

PhysicalLimit::PhysicalLimit(std::unique_ptr<PhysicalOperator> child, std::optional<int64_t> limit,
                             int64_t offset)
    : PhysicalOperator(child->types()), limit_(limit), offset_(offset) {
  AddChild(std::move(child));
}

bool PhysicalLimit::Next(DataChunk* out) {
  while (!limit_ || emitted_ < *limit_) {
    if (!child()->Next(&input_)) return false;
    const int64_t n = static_cast<int64_t>(input_.size());
    int64_t begin = 0;
    if (skipped_ < offset_) {
      begin = std::min(n, offset_ - skipped_);
      skipped_ += begin;
    }
    int64_t end = n;
    // Compared, not added: begin + a LIMIT near INT64_MAX would wrap.
    if (limit_ && *limit_ - emitted_ < n - begin) end = begin + (*limit_ - emitted_);
    if (end <= begin) continue;
    emitted_ += end - begin;
    if (begin == 0 && end == n) {
      std::swap(*out, input_);
      return true;
    }
    out->Initialize(types_);
    for (size_t c = 0; c < input_.columns.size(); ++c) {
      out->columns[c].AppendRange(input_.columns[c], static_cast<size_t>(begin),
                                  static_cast<size_t>(end));
    }
    return true;
  }
  return false;
}

std::string PhysicalLimit::Explain() const {
  return "LIMIT " + (limit_ ? std::to_string(*limit_) : std::string("ALL")) + " OFFSET " +
         std::to_string(offset_);
}

}  // namespace tsl::query
