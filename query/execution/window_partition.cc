// Window functions over one ordered partition. See window_partition.h.
#include "query/execution/window_partition.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <string>

#include "query/common/query_error.h"
#include "query/execution/window_framed_aggregate.h"
#include "query/execution/window_value_functions.h"
#include "query/functions/cell_compare.h"
#include "query/functions/vector_view.h"

namespace tsl::query {
namespace {

using Kind = BoundFrameBound::Kind;

void CopyCell(const ColumnVector& src, size_t from, ColumnVector* out, size_t to) {
  CopyWindowCell(src, from, out, to);
}

double AsDouble(const ColumnVector& c, size_t row) {
  return c.type == TypeId::kDouble ? c.doubles[row] : static_cast<double>(c.ints[row]);
}

void MinMax(bool is_min, const ColumnVector& v, const uint32_t* rows, size_t m,
            const std::vector<uint32_t>& s, const std::vector<uint32_t>& e, ColumnVector* out) {
  // Monotonic deque of frame positions whose values may still be the
  // extreme: front is the answer; O(m) over the partition.
  auto better = [&](size_t x, size_t y) {  // x strictly better than y
    int c = CompareNonNullCells(v, rows[x], rows[y]);
    return is_min ? c < 0 : c > 0;
  };
  std::deque<size_t> dq;
  size_t hi = 0;
  for (size_t r = 0; r < m; ++r) {
    for (; hi < e[r]; ++hi) {
      if (v.IsNull(rows[hi])) continue;
      while (!dq.empty() && !better(dq.back(), hi)) dq.pop_back();
      dq.push_back(hi);
    }
    while (!dq.empty() && dq.front() < s[r]) dq.pop_front();
    if (dq.empty()) {
      out->valid[r] = 0;
    } else {
      CopyCell(v, rows[dq.front()], out, r);
    }
  }
}

// count / sum / avg / var / stddev with sums that slide with the frame.
void SlidingMoments(const BoundWindow& w, const ColumnVector& v, const uint32_t* rows, size_t m,
                    const std::vector<uint32_t>& s, const std::vector<uint32_t>& e,
                    ColumnVector* out) {
  // BIGINT and DECIMAL (scaled integers) sums are exact.
  const bool int_sum =
      w.function == WindowFunction::kSum && (w.type == TypeId::kBigint || IsDecimal(w.type));
  const bool is_null_type = v.type == TypeId::kNull;
  const bool dbl = v.type == TypeId::kDouble;
  // count(x) reads only validity (x may be any type, VARCHAR too).
  const bool moments = w.function != WindowFunction::kCount && !int_sum;
  long double s1 = 0, s2 = 0;
  const uint8_t* valid = v.valid.data();
  double shift = 0;
  if (!is_null_type && moments) {
    for (size_t r = 0; r < m; ++r) {
      if (valid[rows[r]] && std::isfinite(AsDouble(v, rows[r]))) {
        shift = AsDouble(v, rows[r]);
        break;
      }
    }
  }
  // NaN and infinities are counted, not summed: a sum that has seen one
  // would stay NaN after it left the frame.
  int64_t nan_n = 0, pinf_n = 0, ninf_n = 0;
  auto slide = [&](uint32_t row, int delta) {
    const double raw = dbl ? v.doubles[row] : static_cast<double>(v.ints[row]);
    if (!std::isfinite(raw)) {
      (raw != raw ? nan_n : raw > 0 ? pinf_n : ninf_n) += delta;
      return;
    }
    const long double x = static_cast<long double>(raw) - shift;
    if (delta > 0) {
      s1 += x;
      s2 += x * x;
    } else {
      s1 -= x;
      s2 -= x * x;
    }
  };
  int64_t c = 0;
  __int128 si = 0;
  size_t lo = 0, hi = 0;
  const bool sample =
      w.function == WindowFunction::kVarSamp || w.function == WindowFunction::kStddevSamp;
  const bool sd =
      w.function == WindowFunction::kStddevSamp || w.function == WindowFunction::kStddevPop;
  for (size_t r = 0; r < m; ++r) {
    for (; hi < e[r]; ++hi) {
      if (hi < lo) continue;
      const uint32_t row = rows[hi];
      if (is_null_type || !valid[row]) continue;
      ++c;
      if (int_sum) {
        si += v.ints[row];
      } else if (moments) {
        slide(row, 1);
      }
    }
    for (; lo < s[r]; ++lo) {
      if (lo >= hi) continue;
      const uint32_t row = rows[lo];
      if (is_null_type || !valid[row]) continue;
      --c;
      if (int_sum) {
        si -= v.ints[row];
      } else if (moments) {
        slide(row, -1);
      }
    }
    const int64_t nonfinite = nan_n + pinf_n + ninf_n;
    if (c == nonfinite) s1 = s2 = 0;  // no drift carried across frames without finite values
    if (w.function == WindowFunction::kCount) {
      out->ints[r] = c;
      continue;
    }
    if (c == 0) {
      out->valid[r] = 0;
      continue;
    }
    if (int_sum) {
      out->ints[r] = static_cast<int64_t>(si);
      continue;
    }
    const bool sum_like = w.function == WindowFunction::kSum || w.function == WindowFunction::kAvg;
    if (!sum_like && sample && c == 1) {
      out->valid[r] = 0;
      continue;
    }
    if (nonfinite > 0) {
      const double inf = std::numeric_limits<double>::infinity();
      out->doubles[r] = !sum_like || nan_n > 0 || (pinf_n > 0 && ninf_n > 0)
                            ? std::numeric_limits<double>::quiet_NaN()
                            : pinf_n > 0 ? inf : -inf;
      continue;
    }
    // Only the cancelling subtraction needs long double; the divisions
    // and the root are done in double (x87 division is slow).
    const double cd = static_cast<double>(c);
    switch (w.function) {
      case WindowFunction::kSum:
        out->doubles[r] = static_cast<double>(s1 + static_cast<long double>(cd) * shift);
        break;
      case WindowFunction::kAvg:
        out->doubles[r] = static_cast<double>(s1) / cd + shift;
        break;
      default: {
        // var = (n * s2 - s1^2) / (n * (n - 1 or n))
        const double num = static_cast<double>(s2 * static_cast<long double>(cd) - s1 * s1);
        double var = num / (cd * (sample ? cd - 1 : cd));
        if (var < 0) var = 0;
        out->doubles[r] = sd ? std::sqrt(var) : var;
        break;
      }
    }
  }
}

// Frame bounds [s, e) per row, both non-decreasing in r.
void FrameBounds(const BoundWindow& w, const ColumnVector* order_key, const uint32_t* rows,
                 size_t m, WindowPartitionScratch* sc) {
  std::vector<uint32_t>& s = sc->s;
  std::vector<uint32_t>& e = sc->e;
  const std::vector<uint32_t>& peer_start = sc->peer_start;
  const std::vector<uint32_t>& peer_end = sc->peer_end;
  s.assign(m, 0);
  e.assign(m, static_cast<uint32_t>(m));
  const bool range_offsets =
      !w.rows && !w.groups && (w.start.kind == Kind::kPreceding || w.start.kind == Kind::kFollowing ||
                  w.end.kind == Kind::kPreceding || w.end.kind == Kind::kFollowing);
  size_t a = 0, b = m;  // rows with a non-NULL key (RANGE offsets)
  std::vector<double>& key = sc->key;
  if (range_offsets) {
    const ColumnVector& k = *order_key;
    key.assign(m, 0);
    while (a < m && k.IsNull(rows[a])) ++a;
    while (b > a && k.IsNull(rows[b - 1])) --b;
    for (size_t r = a; r < b; ++r) {
      key[r] = w.descending[0] ? -AsDouble(k, rows[r]) : AsDouble(k, rows[r]);
    }
    // NaN keys (sorted after +inf, so first when DESC) have no distance to
    // others: like NULL keys, their frame is their peers (as DuckDB).
    while (a < b && std::isnan(key[a])) ++a;
    while (b > a && std::isnan(key[b - 1])) --b;
  }
  // RANGE offsets: the targets key[r] -/+ offset only grow with r, so
  // each bound is a pointer that only moves forward (lower_bound for the
  // start, upper_bound for the end).
  size_t ptr[2] = {a, a};
  // GROUPS offsets: the peer groups' start positions and each row's group.
  std::vector<uint32_t>& group_start = sc->group_start;
  std::vector<uint32_t>& group_of = sc->group_of;
  if (w.groups) {
    group_start.clear();
    group_of.resize(m);
    for (size_t r = 0; r < m; ++r) {
      if (r == 0 || peer_start[r] == r) group_start.push_back(static_cast<uint32_t>(r));
      group_of[r] = static_cast<uint32_t>(group_start.size() - 1);
    }
    group_start.push_back(static_cast<uint32_t>(m));  // one past the last group
  }
  auto bound = [&](const BoundFrameBound& fb, size_t r, bool is_start) -> size_t {
    switch (fb.kind) {
      case Kind::kUnboundedPreceding:
        return 0;
      case Kind::kUnboundedFollowing:
        return m;
      case Kind::kCurrentRow:
        if (w.rows) return is_start ? r : r + 1;
        return is_start ? peer_start[r] : peer_end[r];
      case Kind::kPreceding:
      case Kind::kFollowing: {
        const bool back = fb.kind == Kind::kPreceding;
        if (w.groups) {
          // Group g's rows are [group_start[g], group_start[g + 1]); a
          // group before the first or after the last clamps to the edge.
          const int64_t groups = static_cast<int64_t>(group_start.size()) - 1;
          const int64_t off =
              static_cast<int64_t>(std::min(fb.offset, static_cast<double>(groups) + 1.0));
          const int64_t g = static_cast<int64_t>(group_of[r]) + (back ? -off : off);
          if (g < 0) return 0;
          if (g >= groups) return m;
          return is_start ? group_start[g] : group_start[g + 1];
        }
        if (w.rows) {
          // Saturate before converting: an offset past the partition
          // (up to INT64_MAX, not exactly a double) reaches its edge, and
          // r +/- off must not wrap.
          const int64_t off =
              static_cast<int64_t>(std::min(fb.offset, static_cast<double>(m) + 1.0));
          int64_t pos = static_cast<int64_t>(r) + (back ? -off : off) + (is_start ? 0 : 1);
          return static_cast<size_t>(std::clamp<int64_t>(pos, 0, static_cast<int64_t>(m)));
        }
        if (r < a || r >= b) return is_start ? peer_start[r] : peer_end[r];  // NULL/NaN key
        const double target = key[r] + (back ? -fb.offset : fb.offset);
        size_t& p = ptr[is_start ? 0 : 1];
        if (is_start) {
          while (p < b && key[p] < target) ++p;
        } else {
          while (p < b && key[p] <= target) ++p;
        }
        return p;
      }
    }
    return r;
  };
  for (size_t r = 0; r < m; ++r) {
    s[r] = static_cast<uint32_t>(bound(w.start, r, true));
    e[r] = static_cast<uint32_t>(std::max<size_t>(bound(w.end, r, false), s[r]));
  }
  for (size_t r = 1; r < m; ++r) {  // keep the bounds monotone for the sliding kernels
    s[r] = std::max(s[r], s[r - 1]);
    e[r] = std::max(e[r], e[r - 1]);
  }
}

// A framed function over frames [s[r], e[r]) of the partition's rows.
void ComputeFramed(const BoundWindow& w, const std::vector<const ColumnVector*>& args,
                   const uint32_t* rows, size_t m, const std::vector<uint32_t>& s,
                   const std::vector<uint32_t>& e, ColumnVector* out) {
  switch (w.function) {
    case WindowFunction::kAggregate:
      ComputeFramedAggregate(w, args, rows, m, s, e, out);
      return;
    case WindowFunction::kCountStar:
      for (size_t r = 0; r < m; ++r) out->ints[r] = static_cast<int64_t>(e[r] - s[r]);
      return;
    case WindowFunction::kNthValue:
      ComputeFrameValue(w, args, rows, m, s, e, out);
      return;
    case WindowFunction::kFirstValue:
    case WindowFunction::kLastValue:
      if (w.ignore_nulls) {
        ComputeFrameValue(w, args, rows, m, s, e, out);
        return;
      }
      for (size_t r = 0; r < m; ++r) {
        if (s[r] >= e[r]) {
          out->valid[r] = 0;
        } else {
          const size_t src = w.function == WindowFunction::kFirstValue ? s[r] : e[r] - 1;
          CopyCell(*args[0], rows[src], out, r);
        }
      }
      return;
    case WindowFunction::kMin:
    case WindowFunction::kMax:
      MinMax(w.function == WindowFunction::kMin, *args[0], rows, m, s, e, out);
      return;
    default:
      SlidingMoments(w, *args[0], rows, m, s, e, out);
      return;
  }
}

// EXCLUDE CURRENT ROW / GROUP / TIES, or f(x ORDER BY k) OVER (...): the
// frame has a hole or another order, which the sliding kernels cannot
// follow, so each row's frame is gathered (without the excluded rows,
// sorted by k) and the function run over it as one frame: O(frame) per
// row (O(frame log frame) with ORDER BY).
void ComputeGathered(const BoundWindow& w, const std::vector<const ColumnVector*>& all_args,
                     const uint32_t* rows, size_t m, const WindowPartitionScratch& sc,
                     ColumnVector* out) {
  using Exclude = BoundWindow::Exclude;
  const size_t keys = w.argument_order_desc.size();
  const std::vector<const ColumnVector*> args(all_args.begin(), all_args.end() - keys);
  // NULLs last in either direction (DuckDB's default null order); ties
  // keep the window's order.
  auto before = [&](uint32_t x, uint32_t y) {
    for (size_t k = 0; k < keys; ++k) {
      const ColumnVector& c = *all_args[args.size() + k];
      const bool xn = c.IsNull(x), yn = c.IsNull(y);
      if (xn || yn) {
        if (xn != yn) return yn;
        continue;
      }
      const int cmp = CompareNonNullCells(c, x, y);
      if (cmp != 0) return w.argument_order_desc[k] ? cmp > 0 : cmp < 0;
    }
    return false;
  };
  std::vector<uint32_t> frame;
  std::vector<uint32_t> s1(1, 0), e1(1, 0);
  ColumnVector one(w.type);
  for (size_t r = 0; r < m; ++r) {
    size_t hole_begin = r, hole_end = r + 1;
    if (w.exclude == Exclude::kGroup || w.exclude == Exclude::kTies) {
      hole_begin = sc.peer_start[r];
      hole_end = sc.peer_end[r];
    }
    frame.clear();
    for (size_t k = sc.s[r]; k < sc.e[r]; ++k) {
      if (w.exclude != Exclude::kNoOthers && k >= hole_begin && k < hole_end &&
          !(w.exclude == Exclude::kTies && k == r)) {
        continue;
      }
      frame.push_back(rows[k]);
    }
    if (keys > 0) std::stable_sort(frame.begin(), frame.end(), before);
    // An empty frame still needs one row to compute over: the current
    // one, with the frame [0, 0).
    e1[0] = static_cast<uint32_t>(frame.size());
    if (frame.empty()) frame.push_back(rows[r]);
    PrepareOutput(&one, w.type, frame.size());
    s1.assign(frame.size(), 0);
    e1.resize(frame.size(), e1[0]);
    std::fill(e1.begin(), e1.end(), e1[0]);
    ComputeFramed(w, args, frame.data(), frame.size(), s1, e1, &one);
    CopyCell(one, 0, out, r);
  }
}

bool IsFramed(const BoundWindow& w) { return IsFramedWindowFunction(w.function); }

}  // namespace

bool FramesEqual(const BoundWindow& a, const BoundWindow& b) {
  return IsFramed(a) && IsFramed(b) && a.rows == b.rows && a.groups == b.groups &&
         a.start.kind == b.start.kind &&
         a.start.offset == b.start.offset && a.end.kind == b.end.kind &&
         a.end.offset == b.end.offset && a.exclude == b.exclude;
}

void ComputeWindowPartition(const BoundWindow& w, const std::vector<const ColumnVector*>& args,
                            const ColumnVector* order_key, const uint32_t* rows, size_t m,
                            const std::vector<uint8_t>& new_peer, bool same_frame,
                            WindowPartitionScratch* sc, ColumnVector* out) {
  PrepareOutput(out, w.type, m);
  if (m == 0) return;
  const bool peers = w.function == WindowFunction::kRank ||
                     w.function == WindowFunction::kPercentRank ||
                     w.function == WindowFunction::kCumeDist;
  const bool exclude_peers = IsFramed(w) && (w.exclude == BoundWindow::Exclude::kGroup ||
                                             w.exclude == BoundWindow::Exclude::kTies);
  if (peers || exclude_peers || (IsFramed(w) && !w.rows && !same_frame)) {
    sc->peer_start.resize(m);
    sc->peer_end.resize(m);
    for (size_t r = 0; r < m; ++r) {
      sc->peer_start[r] = new_peer[r] ? static_cast<uint32_t>(r) : sc->peer_start[r - 1];
    }
    sc->peer_end[m - 1] = static_cast<uint32_t>(m);
    for (size_t r = m - 1; r-- > 0;) {
      sc->peer_end[r] = new_peer[r + 1] ? static_cast<uint32_t>(r + 1) : sc->peer_end[r + 1];
    }
  }
  switch (w.function) {
    case WindowFunction::kRowNumber:
      for (size_t r = 0; r < m; ++r) out->ints[r] = static_cast<int64_t>(r + 1);
      return;
    case WindowFunction::kRank:
      for (size_t r = 0; r < m; ++r) out->ints[r] = static_cast<int64_t>(sc->peer_start[r] + 1);
      return;
    case WindowFunction::kDenseRank: {
      int64_t rank = 0;
      for (size_t r = 0; r < m; ++r) {
        rank += new_peer[r];
        out->ints[r] = rank;
      }
      return;
    }
    case WindowFunction::kNtile:
    case WindowFunction::kPercentRank:
    case WindowFunction::kCumeDist:
      ComputeDistribution(w, args, rows, m, sc->peer_start, sc->peer_end, out);
      return;
    case WindowFunction::kLag:
    case WindowFunction::kLead: {
      ComputeLagLead(w, args, rows, m, out);
      return;
    }
    case WindowFunction::kDelta:
    case WindowFunction::kRate: {
      const ColumnVector& v = *args[0];
      for (size_t r = 0; r < m; ++r) {
        const uint32_t row = rows[r];
        if (r == 0 || v.IsNull(row) || v.IsNull(rows[r - 1])) {
          out->valid[r] = 0;
          continue;
        }
        const uint32_t prev = rows[r - 1];
        if (w.function == WindowFunction::kRate) {
          const ColumnVector& t = *args[1];
          if (t.IsNull(row) || t.IsNull(prev)) {
            out->valid[r] = 0;
            continue;
          }
          const double dt = static_cast<double>(t.ints[row] - t.ints[prev]) / 1e6;
          out->doubles[r] = (v.doubles[row] - v.doubles[prev]) / dt;
        } else if (w.type == TypeId::kDouble) {
          out->doubles[r] = v.doubles[row] - v.doubles[prev];
        } else if (__builtin_sub_overflow(v.ints[row], v.ints[prev], &out->ints[r])) {
          throw QueryError(ErrorKind::kOutOfRange, "Overflow in delta: " +
                                                       std::to_string(v.ints[row]) + " - " +
                                                       std::to_string(v.ints[prev]));
        }
      }
      return;
    }
    default:
      break;
  }
  if (!same_frame) FrameBounds(w, order_key, rows, m, sc);
  if (w.exclude != BoundWindow::Exclude::kNoOthers || !w.argument_order_desc.empty()) {
    ComputeGathered(w, args, rows, m, *sc, out);
    return;
  }
  ComputeFramed(w, args, rows, m, sc->s, sc->e, out);
}

}  // namespace tsl::query
