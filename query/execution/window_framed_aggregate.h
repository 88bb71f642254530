// Framed window evaluation of the aggregates that have no sliding-sum or
// min/max-deque kernel in window_partition.h (WindowFunction::kAggregate):
// each uses a structure that follows frames whose bounds only move
// forward, so a partition of m rows costs O(m) or O(m log m), never
// O(m x frame):
//   arg_min/arg_max        monotonic deque on the compared value
//   bool_and/bool_or/      prefix counts of non-NULL and TRUE rows
//     count_if
//   any_value              index of the next non-NULL row
//   median/quantile_*      Fenwick tree over value ranks (k-th smallest
//                          in O(log m) per row)
//   count(DISTINCT x),     a hash map of value -> occurrences in the frame
//     approx_count_distinct  (exact as a window function)
//   time_weighted_avg      prefix sums of the areas between consecutive
//                          points, in window (ORDER BY) order
//   string_agg             concatenation per frame (linear in the output)
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "formats/column_vector.h"
#include "query/binder/bound_window.h"

namespace tsl::query {

// rows[r] is the r-th row of the partition in window order (an index into
// the argument vectors), [s[r], e[r]) its frame (both non-decreasing in r);
// writes out[r] (out holds the partition's m rows, valid preset to 1).
void ComputeFramedAggregate(const BoundWindow& w, const std::vector<const ColumnVector*>& args,
                            const uint32_t* rows, size_t m, const std::vector<uint32_t>& s,
                            const std::vector<uint32_t>& e, ColumnVector* out);

}  // namespace tsl::query
