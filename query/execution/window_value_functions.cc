// ntile, percent_rank, cume_dist, nth_value and the IGNORE NULLS forms of
// lag/lead/first_value/last_value. See window_value_functions.h.
#include "query/execution/window_value_functions.h"

#include <algorithm>

#include "query/common/query_error.h"

namespace tsl::query {
namespace {

// Partition positions whose value is not NULL, ascending.
std::vector<uint32_t> NonNullPositions(const ColumnVector& v, const uint32_t* rows, size_t m) {
  std::vector<uint32_t> out;
  for (size_t r = 0; r < m; ++r) {
    if (!v.IsNull(rows[r])) out.push_back(static_cast<uint32_t>(r));
  }
  return out;
}

}  // namespace

void CopyWindowCell(const ColumnVector& src, size_t from, ColumnVector* out, size_t to) {
  if (src.IsNull(from)) {
    out->valid[to] = 0;
    return;
  }
  out->valid[to] = 1;
  switch (PhysicalClassOf(out->type)) {
    case PhysicalClass::kInt64:
      out->ints[to] = src.ints[from];
      break;
    case PhysicalClass::kDouble:
      out->doubles[to] = src.type == TypeId::kDouble ? src.doubles[from]
                                                     : static_cast<double>(src.ints[from]);
      break;
    case PhysicalClass::kString:
      out->strings[to] = src.strings[from];
      break;
  }
}

void ComputeDistribution(const BoundWindow& w, const std::vector<const ColumnVector*>& args,
                         const uint32_t* rows, size_t m, const std::vector<uint32_t>& peer_start,
                         const std::vector<uint32_t>& peer_end, ColumnVector* out) {
  const double n = static_cast<double>(m);
  switch (w.function) {
    case WindowFunction::kPercentRank:
      for (size_t r = 0; r < m; ++r) {
        out->doubles[r] = m > 1 ? static_cast<double>(peer_start[r]) / (n - 1) : 0;
      }
      return;
    case WindowFunction::kCumeDist:
      for (size_t r = 0; r < m; ++r) out->doubles[r] = static_cast<double>(peer_end[r]) / n;
      return;
    case WindowFunction::kNtile: {
      // DuckDB's split: the first (m mod buckets) buckets hold one row more.
      const ColumnVector& buckets = *args[0];
      const int64_t total = static_cast<int64_t>(m);
      for (size_t r = 0; r < m; ++r) {
        if (buckets.IsNull(rows[r])) {
          out->valid[r] = 0;
          continue;
        }
        int64_t k = buckets.ints[rows[r]];
        if (k <= 0) {
          throw QueryError(ErrorKind::kInvalidInput,
                           "Argument for ntile must be greater than zero");
        }
        k = std::min(k, total);
        const int64_t size = total / k;
        const int64_t large = total - k * size;  // buckets of size + 1
        const int64_t in_large = large * (size + 1);
        const int64_t i = static_cast<int64_t>(r);
        out->ints[r] = i < in_large ? 1 + i / (size + 1) : 1 + large + (i - in_large) / size;
      }
      return;
    }
    default:
      return;
  }
}

void ComputeLagLead(const BoundWindow& w, const std::vector<const ColumnVector*>& args,
                    const uint32_t* rows, size_t m, ColumnVector* out) {
  const ColumnVector& v = *args[0];
  std::vector<uint32_t> pos;
  if (w.ignore_nulls) pos = NonNullPositions(v, rows, m);
  const int64_t count = static_cast<int64_t>(pos.size());
  // Offsets saturate at the partition size, so r + k cannot wrap.
  const int64_t limit = static_cast<int64_t>(m) + 1;
  for (size_t r = 0; r < m; ++r) {
    int64_t k = w.lag_offset;
    if (w.per_row_offset) {
      if (args[1]->IsNull(rows[r])) {
        out->valid[r] = 0;
        continue;
      }
      k = args[1]->ints[rows[r]];
    }
    k = std::clamp<int64_t>(k, -limit, limit);
    if (w.function == WindowFunction::kLag) k = -k;  // k > 0: forwards
    if (k == 0) {  // the row itself, NULL or not
      CopyWindowCell(v, rows[r], out, r);
      continue;
    }
    int64_t src = -1;  // partition position of the value, or none
    if (!w.ignore_nulls) {
      const int64_t p = static_cast<int64_t>(r) + k;
      if (p >= 0 && p < static_cast<int64_t>(m)) src = p;
    } else if (k < 0) {
      // Non-NULL positions before r: [0, below); the -k-th of them backwards.
      const int64_t below = std::lower_bound(pos.begin(), pos.end(), r) - pos.begin();
      if (-k <= below) src = pos[below + k];
    } else {
      const int64_t above = std::upper_bound(pos.begin(), pos.end(), r) - pos.begin();
      if (k <= count - above) src = pos[above + k - 1];
    }
    if (src >= 0) {
      CopyWindowCell(v, rows[src], out, r);
    } else if (args.size() == 3) {
      CopyWindowCell(*args[2], rows[r], out, r);
    } else {
      out->valid[r] = 0;
    }
  }
}

void ComputeFrameValue(const BoundWindow& w, const std::vector<const ColumnVector*>& args,
                       const uint32_t* rows, size_t m, const std::vector<uint32_t>& s,
                       const std::vector<uint32_t>& e, ColumnVector* out) {
  const ColumnVector& v = *args[0];
  std::vector<uint32_t> pos;
  if (w.ignore_nulls) pos = NonNullPositions(v, rows, m);
  for (size_t r = 0; r < m; ++r) {
    out->valid[r] = 0;
    if (s[r] >= e[r]) continue;
    int64_t nth = 1;  // first_value
    if (w.function == WindowFunction::kNthValue) {
      const ColumnVector& n = *args[1];
      if (n.IsNull(rows[r]) || n.ints[rows[r]] < 1) continue;
      nth = n.ints[rows[r]];
    }
    if (!w.ignore_nulls) {
      if (w.function == WindowFunction::kLastValue) {
        CopyWindowCell(v, rows[e[r] - 1], out, r);
      } else if (nth <= static_cast<int64_t>(e[r] - s[r])) {
        CopyWindowCell(v, rows[s[r] + nth - 1], out, r);
      }
      continue;
    }
    // Non-NULL positions inside the frame: [lo, hi) of pos.
    const size_t lo = std::lower_bound(pos.begin(), pos.end(), s[r]) - pos.begin();
    const size_t hi = std::lower_bound(pos.begin(), pos.end(), e[r]) - pos.begin();
    if (lo >= hi) continue;
    if (w.function == WindowFunction::kLastValue) {
      CopyWindowCell(v, rows[pos[hi - 1]], out, r);
    } else if (nth <= static_cast<int64_t>(hi - lo)) {
      CopyWindowCell(v, rows[pos[lo + nth - 1]], out, r);
    }
  }
}

}  // namespace tsl::query
