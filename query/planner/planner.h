// Planner: turns a BoundSelect (the logical plan) into a tree of physical
// operators. Pushes the projection into the table scan (ScanOptions.columns:
// only the columns some expression reads) and the WHERE conjuncts of the
// form `column <op> constant` into ScanOptions.ranges so zone maps can skip
// segments; the full predicate still runs in a PhysicalFilter above.
// Thread-safety: stateless.
#pragma once

#include <memory>

#include "query/binder/bound_select.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class Planner {
 public:
  explicit Planner(ExecutionContext ctx) : ctx_(ctx) {}
  // Consumes `select` (expressions and sources move into the operators).
  std::unique_ptr<PhysicalOperator> Plan(BoundSelect& select);

 private:
  std::unique_ptr<PhysicalOperator> PlanSource(BoundSelect& select);
  std::unique_ptr<PhysicalOperator> PlanJoinSide(BoundSource& source);
  ExecutionContext ctx_;
};

// The zone-map ranges implied by the conjuncts of `predicate` (column
// indexes as in the predicate).
std::vector<ScanRange> ExtractScanRanges(const BoundExpression& predicate);

}  // namespace tsl::query
