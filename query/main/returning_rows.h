// The RETURNING list of INSERT, UPDATE, DELETE, MERGE and upserts: its
// expressions evaluated over the rows a statement changed.
// Thread-safety: a pure function of its arguments.
#pragma once

#include <vector>

#include "formats/column_vector.h"
#include "query/binder/bound_expression.h"
#include "query/execution/expression_executor.h"

namespace tsl::query {

// One output column per expression, over the first `count` rows of `rows`.
inline DataChunk EvaluateReturning(const std::vector<BoundExpressionPtr>& returning,
                                   const DataChunk& rows, size_t count) {
  DataChunk ret;
  ret.columns.resize(returning.size());
  for (size_t i = 0; i < returning.size(); ++i) {
    ExpressionExecutor::Execute(*returning[i], rows, count, &ret.columns[i]);
    ret.columns[i].type = returning[i]->type;
  }
  return ret;
}

}  // namespace tsl::query
