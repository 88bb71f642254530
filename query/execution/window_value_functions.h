// Window functions of one ordered partition that window_partition.cc
// dispatches to, each O(m) or O(m log m) for a partition of m rows:
//   ntile, percent_rank, cume_dist   from the row's position and peer group
//                                    in the partition (not the frame)
//   nth_value, and first_value /     the n-th row of the frame [s, e); with
//     last_value IGNORE NULLS        IGNORE NULLS the n-th non-NULL one, by
//                                    binary search over the partition's
//                                    non-NULL positions
//   lag / lead                       the row at the offset (per row if the
//                                    offset is an expression); with IGNORE
//                                    NULLS the offset-th non-NULL row
// Rows are in window order: rows[r] is the r-th row of the partition (an
// index into the argument vectors); out holds the partition's m results
// (valid preset to 1). Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "formats/column_vector.h"
#include "query/binder/bound_window.h"

namespace tsl::query {

// ntile / percent_rank / cume_dist; peer_start[r] / peer_end[r] bound the
// row's peers (rows equal on every ORDER BY key). Invalid Input Error for
// an ntile bucket count below 1.
void ComputeDistribution(const BoundWindow& w, const std::vector<const ColumnVector*>& args,
                         const uint32_t* rows, size_t m, const std::vector<uint32_t>& peer_start,
                         const std::vector<uint32_t>& peer_end, ColumnVector* out);

// lag / lead (args: value, [offset], [default]), RESPECT or IGNORE NULLS;
// the offset is w.lag_offset or, with w.per_row_offset, args[1] per row (a
// NULL offset gives NULL); a negative offset looks the other way.
void ComputeLagLead(const BoundWindow& w, const std::vector<const ColumnVector*>& args,
                               const uint32_t* rows, size_t m, ColumnVector* out);

// nth_value (args: value, n), and first_value / last_value IGNORE NULLS,
// over the frames [s[r], e[r]).
void ComputeFrameValue(const BoundWindow& w, const std::vector<const ColumnVector*>& args,
                       const uint32_t* rows, size_t m, const std::vector<uint32_t>& s,
                       const std::vector<uint32_t>& e, ColumnVector* out);

// out[to] = src[from], converting an integer source to a DOUBLE result.
void CopyWindowCell(const ColumnVector& src, size_t from, ColumnVector* out, size_t to);

}  // namespace tsl::query
