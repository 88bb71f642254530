// VectorView: a read-only view of a ColumnVector that is either a full
// column or one constant value broadcast to every row. Scalar functions
// and operators read their inputs through it so constants never need to
// be materialized 2048 times. Thread-safety: value type over borrowed data.
#pragma once

#include <cstddef>

#include "formats/column_vector.h"

namespace tsl::query {

struct VectorView {
  const ColumnVector* vec = nullptr;
  bool constant = false;  // row i reads element 0

  size_t Index(size_t row) const { return constant ? 0 : row; }
  bool IsNull(size_t row) const { return vec->valid[Index(row)] == 0; }
  int64_t Int(size_t row) const { return vec->ints[Index(row)]; }
  double Double(size_t row) const { return vec->doubles[Index(row)]; }
  const std::string& String(size_t row) const { return vec->strings[Index(row)]; }
  // Numeric value as double, whichever physical array holds it.
  double AsDouble(size_t row) const {
    return vec->type == TypeId::kDouble ? vec->doubles[Index(row)]
                                        : static_cast<double>(vec->ints[Index(row)]);
  }
};

// Sizes `out` for `count` rows of `type`, all valid; the caller fills the
// physical array and clears valid[] where the result is NULL.
void PrepareOutput(ColumnVector* out, TypeId type, size_t count);

}  // namespace tsl::query
