// PhysicalFilter: a filter computes a selection vector of the rows where
// the predicate is TRUE and compacts the chunk. A filter whose predicate is
// a conjunction of comparisons of INTEGER/BIGINT/TIMESTAMP columns with
// constants of the same type (a time range) checks each such column against
// one inclusive [lo, hi] in a single loop, without evaluating the
// expression tree (same rows: NULL never passes). Thread-safety: one thread.
#pragma once

#include <cstdint>

#include "query/binder/bound_expression.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalFilter : public PhysicalOperator {
 public:
  PhysicalFilter(std::unique_ptr<PhysicalOperator> child, BoundExpressionPtr predicate);
  bool Next(DataChunk* out) override;
  std::string Explain() const override { return "FILTER " + predicate_->ToString(); }
  const BoundExpression& predicate() const { return *predicate_; }

 private:
  // The fast path: every conjunct folded into a bound per column; empty
  // when the predicate has another shape.
  struct IntRange {
    int column = 0;
    int64_t lo = INT64_MIN, hi = INT64_MAX;
  };
  static std::vector<IntRange> IntRanges(const BoundExpression& predicate);
  void SelectIntRanges(size_t n);

  BoundExpressionPtr predicate_;
  std::vector<IntRange> ranges_;
  DataChunk input_;
  std::vector<uint32_t> sel_;
};

}  // namespace tsl::query
