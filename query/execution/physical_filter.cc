// Streaming operators: filter, projection, limit. See physical_filter.h.
#include "query/execution/physical_filter.h"

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
}

bool PhysicalFilter::Next(DataChunk* out) {
  while (child()->Next(&input_)) {
    const size_t n = input_.size();
    sel_.clear();
    ExpressionExecutor::Select(*predicate_, input_, n, &sel_);
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
    if (limit_) end = std::min(n, begin + (*limit_ - emitted_));
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
