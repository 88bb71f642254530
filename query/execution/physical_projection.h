// PhysicalProjection: evaluates one expression per output column (a plain
// column reference moves the input column when no later output uses it).
// Thread-safety: one thread.
#pragma once

#include "query/binder/bound_expression.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalProjection : public PhysicalOperator {
 public:
  PhysicalProjection(std::unique_ptr<PhysicalOperator> child,
                     std::vector<BoundExpressionPtr> expressions);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  std::vector<BoundExpressionPtr> expressions_;
  DataChunk input_;
};

}  // namespace tsl::query
