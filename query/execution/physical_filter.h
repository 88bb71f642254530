// PhysicalFilter, PhysicalProjection and PhysicalLimit: the streaming
// operators. A filter computes a selection vector of the rows where the
// predicate is TRUE and compacts the chunk; a projection evaluates one
// expression per output column; a limit skips `offset` rows and stops after
// `limit`. A filter whose predicate is a conjunction of comparisons of
// INTEGER/BIGINT/TIMESTAMP columns with constants of the same type (a
// time range) checks each such column against one inclusive [lo, hi] in a
// single loop, without evaluating the expression tree (same rows: NULL
// never passes). Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <optional>

#include "query/binder/bound_expression.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalFilter : public PhysicalOperator {
 public:
  PhysicalFilter(std::unique_ptr<PhysicalOperator> child, BoundExpressionPtr predicate);
  bool Next(DataChunk* out) override;
  std::string Explain() const override { return "FILTER " + predicate_->ToString(); }

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

class PhysicalLimit : public PhysicalOperator {
 public:
  PhysicalLimit(std::unique_ptr<PhysicalOperator> child, std::optional<int64_t> limit,
                int64_t offset);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  std::optional<int64_t> limit_;
  int64_t offset_;
  int64_t skipped_ = 0;
  int64_t emitted_ = 0;
  DataChunk input_;
};

}  // namespace tsl::query
