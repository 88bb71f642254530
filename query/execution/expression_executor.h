// ExpressionExecutor: evaluates bound expressions over a whole DataChunk,
// one tree node at a time, each node a tight loop over the rows (DuckDB's
// ExpressionExecutor). Column references are read in place; constants are
// one-row vectors broadcast by VectorView; a node whose inputs are all
// constant is computed once. SQL NULL semantics throughout (three-valued
// AND/OR/NOT, NULL-propagating operators). Runtime errors (overflow, bad
// casts) are QueryErrors. Thread-safety: stateless; call from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "formats/column_vector.h"
#include "query/binder/bound_expression.h"

namespace tsl::query {

class ExpressionExecutor {
 public:
  // Writes `count` rows of `expr` over `input` into `out` (replaced).
  static void Execute(const BoundExpression& expr, const DataChunk& input, size_t count,
                      ColumnVector* out);
  // Appends to `sel` the rows in [0, count) where `expr` is TRUE (not
  // FALSE, not NULL).
  static void Select(const BoundExpression& expr, const DataChunk& input, size_t count,
                     std::vector<uint32_t>* sel);
  // A constant expression's value (no column references allowed).
  static Value EvaluateScalar(const BoundExpression& expr);

  // Evaluates to a view: a column of `input`, a constant, or a vector owned
  // by `holder`.
  static VectorView Evaluate(const BoundExpression& expr, const DataChunk& input, size_t count,
                             std::unique_ptr<ColumnVector>* holder);
};

// SQL LIKE with % and _ (and `\` escaping nothing special): true when `s`
// matches `pattern`.
bool LikeMatch(std::string_view s, std::string_view pattern);
// LIKE ... ESCAPE: `escape` (empty or one character) makes the character
// after it literal; a pattern ending in it, or a longer escape, is an error.
bool LikeMatchEscape(std::string_view s, std::string_view pattern, std::string_view escape);

}  // namespace tsl::query
