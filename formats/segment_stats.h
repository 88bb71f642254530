// Zone maps: per-column min, max and null count for a segment (or a column
// chunk), used for pruning and written into the log's `add` stats.
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <vector>

#include "formats/column_vector.h"
#include "formats/value.h"

namespace tsl {

struct ZoneMap {
  Value min;  // NULL when the column has no non-NULL value
  Value max;
  int64_t null_count = 0;
  int64_t row_count = 0;

  // Folds the rows of `col` into this zone map.
  void Update(const ColumnVector& col);
  // True when some row could satisfy `lo <= v <= hi` (either bound may be
  // NULL meaning unbounded). Conservative: false only when provably none.
  bool MayContainRange(const Value& lo, const Value& hi) const;
};

struct SegmentStats {
  int64_t row_count = 0;
  std::vector<ZoneMap> columns;  // one per schema field, same order
};

}  // namespace tsl
