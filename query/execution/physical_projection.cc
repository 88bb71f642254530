// Projection. See physical_projection.h.
#include "query/execution/physical_projection.h"

#include "query/execution/expression_executor.h"

namespace tsl::query {
namespace {

std::vector<TypeId> TypesOf(const std::vector<BoundExpressionPtr>& exprs) {
  std::vector<TypeId> types;
  for (const auto& e : exprs) types.push_back(e->type);
  return types;
}

}  // namespace

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

}  // namespace tsl::query
