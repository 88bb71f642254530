// CompareCells: the three-way order of two non-NULL cells of one column
// vector, by its physical class. Shared by sorting aggregates and window
// frames so every operator orders values the same way. Thread-safety: pure.
#pragma once

#include <cstddef>

#include "formats/column_vector.h"
#include "formats/double_order.h"
#include "formats/list_value.h"
#include "formats/types.h"

namespace tsl::query {

// REQUIRES: neither cell is NULL (callers order NULLs by their own rule).
inline int CompareNonNullCells(const ColumnVector& c, size_t a, size_t b) {
  switch (PhysicalClassOf(c.type)) {
    case PhysicalClass::kInt64:
      return c.ints[a] < c.ints[b] ? -1 : c.ints[a] > c.ints[b];
    case PhysicalClass::kDouble:
      return DoubleLess(c.doubles[a], c.doubles[b]) ? -1 : DoubleLess(c.doubles[b], c.doubles[a]);
    case PhysicalClass::kString:
      if (IsList(c.type)) return CompareLists(c.type, c.strings[a], c.strings[b]);  // elementwise
      return c.strings[a].compare(c.strings[b]) < 0 ? -1 : c.strings[a] != c.strings[b];
  }
  return 0;
}

}  // namespace tsl::query
