// One window function over one partition whose rows are already in window
// order: ranks from peer groups, lag/lead/delta/rate by position, and
// framed functions over [s, e) frames whose bounds only move forward
// (ROWS offsets directly, RANGE offsets by two pointers over the first
// ORDER BY key), so a partition of m rows costs O(m) (O(m log m) for
// quantiles), never O(m x frame). count/sum/avg/var/stddev use sliding
// sums (long double, values shifted by the partition's first non-NULL
// value against cancellation; BIGINT sums exact in __int128), min/max a
// monotonic deque; the other aggregates are in window_framed_aggregate.h.
// Thread-safety: pure functions (the scratch belongs to the caller).
#pragma once

#include <cstdint>
#include <vector>

#include "formats/column_vector.h"
#include "query/binder/bound_window.h"

namespace tsl::query {

struct WindowPartitionScratch {
  std::vector<uint32_t> peer_start, peer_end, s, e;
  std::vector<uint32_t> group_start, group_of;  // GROUPS frames
  std::vector<double> key;
};

// rows[r] is the r-th row of the partition in window order (an index into
// the argument and key vectors); new_peer[r] is 1 where row r starts a new
// peer group. `order_key` is the first ORDER BY key (RANGE offsets only).
// `same_frame`: the scratch holds this partition's frame bounds already,
// from the previous call for a framed window with the same frame
// (FramesEqual). Writes m rows of w.type into `out` (replaced), out[r]
// for rows[r].
void ComputeWindowPartition(const BoundWindow& w, const std::vector<const ColumnVector*>& args,
                            const ColumnVector* order_key, const uint32_t* rows, size_t m,
                            const std::vector<uint8_t>& new_peer, bool same_frame,
                            WindowPartitionScratch* scratch, ColumnVector* out);

// True when both are framed functions (their bounds come from the frame)
// with the same ROWS/RANGE frame.
bool FramesEqual(const BoundWindow& a, const BoundWindow& b);

}  // namespace tsl::query
