// Zone maps: per-column min, max and null count for a segment (or a column
// chunk), used for pruning and written into the log's `add` stats.
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/column_vector.h"
#include "formats/value.h"

namespace tsl {

// A VARCHAR bound keeps at most kZoneMapStringCodePoints code points:
// `min` is the smallest value's prefix of that length (a lower bound) and
// `max` the largest value's prefix with its last code point incremented (an
// upper bound; the value itself when no code point can be incremented).
// Both truncations are monotone, so folding chunk by chunk gives the same
// bounds as truncating the exact extremes: a checker recomputing a zone map
// from the data gets the footer's bytes. Bounds are therefore exact only
// for values up to that length, and min == max only when exact. A segment
// holding one 64 MiB value would otherwise carry it twice in its footer and
// copy it on every open (formats/segment.md, "Zone maps").
inline constexpr size_t kZoneMapStringCodePoints = 256;
std::string ZoneMapLowerBound(std::string_view s);
std::string ZoneMapUpperBound(std::string_view s);

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
  // This zone map with VARCHAR bounds truncated as Update truncates them
  // (idempotent): how a footer written before truncation compares with one
  // recomputed from the data.
  ZoneMap Truncated() const;
};

struct SegmentStats {
  int64_t row_count = 0;
  std::vector<ZoneMap> columns;  // one per schema field, same order
};

}  // namespace tsl
