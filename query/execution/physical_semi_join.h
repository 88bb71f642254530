// PhysicalSemiJoin: DuckDB's SEMI JOIN and ANTI JOIN. Each left row comes
// out once when some right row passes the condition with it (SEMI), or
// when none does (ANTI: NOT EXISTS semantics, so a left row whose key is
// NULL has no match and is kept); output: the left columns only.
// Built on PhysicalHashJoin's LEFT join rather than beside it: the left
// input gets a row number column, the right one a non-NULL marker column,
// and the LEFT join's output is reduced to the first pair of each row
// (SEMI; a bit per left row) or to the NULL-padded rows (ANTI, which a
// LEFT join emits exactly for the rows without a passing pair). So the
// hash join's equality keys, residual conditions and nested-loop fallback
// serve both. Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "query/binder/bound_expression.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalSemiJoin : public PhysicalOperator {
 public:
  // `condition` refers to [left columns..., right columns...]; null joins
  // every pair (SEMI: every left row if the right side has one).
  PhysicalSemiJoin(std::unique_ptr<PhysicalOperator> left, std::unique_ptr<PhysicalOperator> right,
                   bool anti, BoundExpressionPtr condition, ExecutionContext ctx);
  bool Next(DataChunk* out) override;
  std::string Explain() const override { return anti_ ? "ANTI_JOIN" : "SEMI_JOIN"; }

 private:
  bool anti_;
  size_t left_width_ = 0;
  size_t row_column_ = 0;     // the row number in the LEFT join's output
  size_t marker_column_ = 0;  // the right side's marker in it
  std::vector<uint8_t> emitted_;  // SEMI: left rows already produced
};

}  // namespace tsl::query
