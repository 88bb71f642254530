// Window function evaluation. See physical_window.h.
#include "query/execution/physical_window.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>

#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
#include "query/execution/window_framed_aggregate.h"
#include "query/functions/cell_compare.h"
#include "query/functions/vector_view.h"

namespace tsl::query {
namespace {

using Kind = BoundFrameBound::Kind;

int CompareCell(const ColumnVector& c, size_t a, size_t b) { return CompareNonNullCells(c, a, b); }

// NULLs compare equal to each other; `nulls_first` puts them before values.
int CompareKey(const ColumnVector& c, size_t a, size_t b, bool desc, bool nulls_first) {
  const bool na = c.IsNull(a), nb = c.IsNull(b);
  if (na || nb) {
    if (na && nb) return 0;
    return na == nulls_first ? -1 : 1;
  }
  int r = CompareCell(c, a, b);
  return desc ? -r : r;
}

void CopyCell(const ColumnVector& src, size_t from, ColumnVector* out, size_t to) {
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

double AsDouble(const ColumnVector& c, size_t row) {
  return c.type == TypeId::kDouble ? c.doubles[row] : static_cast<double>(c.ints[row]);
}

// Framed functions for one partition: rows[r] is the r-th row in window
// order, [s[r], e[r]) its frame (non-decreasing bounds).
void ComputeFramed(const BoundWindow& w, const std::vector<ColumnVector>& args,
                   const uint32_t* rows, size_t m, const std::vector<size_t>& s,
                   const std::vector<size_t>& e, ColumnVector* out) {
  switch (w.function) {
    case WindowFunction::kAggregate:
      ComputeFramedAggregate(w, args, rows, m, s, e, out);
      return;
    case WindowFunction::kCountStar:
      for (size_t r = 0; r < m; ++r) out->ints[rows[r]] = static_cast<int64_t>(e[r] - s[r]);
      return;
    case WindowFunction::kFirstValue:
    case WindowFunction::kLastValue:
      for (size_t r = 0; r < m; ++r) {
        if (s[r] >= e[r]) {
          out->valid[rows[r]] = 0;
        } else {
          size_t src = w.function == WindowFunction::kFirstValue ? s[r] : e[r] - 1;
          CopyCell(args[0], rows[src], out, rows[r]);
        }
      }
      return;
    case WindowFunction::kMin:
    case WindowFunction::kMax: {
      // Monotonic deque of frame positions whose values may still be the
      // extreme: front is the answer; O(m) over the partition.
      const ColumnVector& v = args[0];
      const bool is_min = w.function == WindowFunction::kMin;
      auto better = [&](size_t x, size_t y) {  // x strictly better than y
        int c = CompareCell(v, rows[x], rows[y]);
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
          out->valid[rows[r]] = 0;
        } else {
          CopyCell(v, rows[dq.front()], out, rows[r]);
        }
      }
      return;
    }
    default:
      break;
  }
  // count / sum / avg / var / stddev from prefix sums over the partition.
  const ColumnVector& v = args[0];
  const bool int_sum = w.function == WindowFunction::kSum && w.type == TypeId::kBigint;
  std::vector<int64_t> cnt(m + 1, 0);
  std::vector<long double> s1, s2;
  std::vector<__int128> si;
  double shift = 0;
  for (size_t r = 0; r < m; ++r) {
    if (!v.IsNull(rows[r])) {
      shift = v.type == TypeId::kNull ? 0 : AsDouble(v, rows[r]);
      break;
    }
  }
  if (int_sum) {
    si.assign(m + 1, 0);
  } else {
    s1.assign(m + 1, 0);
    s2.assign(m + 1, 0);
  }
  for (size_t r = 0; r < m; ++r) {
    const bool null = v.IsNull(rows[r]);
    cnt[r + 1] = cnt[r] + (null ? 0 : 1);
    if (int_sum) {
      si[r + 1] = si[r] + (null ? 0 : v.ints[rows[r]]);
    } else {
      long double x = null ? 0.0L : static_cast<long double>(AsDouble(v, rows[r])) - shift;
      s1[r + 1] = s1[r] + x;
      s2[r + 1] = s2[r] + x * x;
    }
  }
  for (size_t r = 0; r < m; ++r) {
    const uint32_t row = rows[r];
    const int64_t c = cnt[e[r]] - cnt[s[r]];
    if (w.function == WindowFunction::kCount) {
      out->ints[row] = c;
      continue;
    }
    if (int_sum) {
      if (c == 0) {
        out->valid[row] = 0;
      } else {
        out->ints[row] = static_cast<int64_t>(si[e[r]] - si[s[r]]);
      }
      continue;
    }
    const long double sum = s1[e[r]] - s1[s[r]];
    const long double sq = s2[e[r]] - s2[s[r]];
    const long double cn = static_cast<long double>(c);
    switch (w.function) {
      case WindowFunction::kSum:
        if (c == 0) {
          out->valid[row] = 0;
        } else {
          out->doubles[row] = static_cast<double>(sum + cn * shift);
        }
        break;
      case WindowFunction::kAvg:
        if (c == 0) {
          out->valid[row] = 0;
        } else {
          out->doubles[row] = static_cast<double>(sum / cn + shift);
        }
        break;
      default: {
        const bool sample = w.function == WindowFunction::kVarSamp ||
                            w.function == WindowFunction::kStddevSamp;
        if (c == 0 || (sample && c == 1)) {
          out->valid[row] = 0;
          break;
        }
        long double var = (sq - sum * sum / cn) / (sample ? cn - 1 : cn);
        if (var < 0) var = 0;
        const bool sd = w.function == WindowFunction::kStddevSamp ||
                        w.function == WindowFunction::kStddevPop;
        out->doubles[row] = static_cast<double>(sd ? std::sqrt(var) : var);
        break;
      }
    }
  }
}

}  // namespace

PhysicalWindow::PhysicalWindow(std::unique_ptr<PhysicalOperator> child,
                               std::vector<BoundWindow> windows, ExecutionContext ctx)
    : PhysicalOperator(child->types()), windows_(std::move(windows)), ctx_(ctx) {
  for (const BoundWindow& w : windows_) types_.push_back(w.type);
  AddChild(std::move(child));
}

std::string PhysicalWindow::Explain() const {
  std::string out = "WINDOW [";
  for (size_t i = 0; i < windows_.size(); ++i) out += (i ? ", " : "") + windows_[i].display;
  return out + "]";
}

bool PhysicalWindow::Next(DataChunk* out) {
  if (!computed_) Compute();
  const size_t n = all_.size();
  if (emitted_ >= n) return false;
  const size_t end = std::min(n, emitted_ + kVectorSize);
  out->Initialize(types_);
  size_t c = 0;
  for (; c < all_.columns.size(); ++c) out->columns[c].AppendRange(all_.columns[c], emitted_, end);
  for (const ColumnVector& r : results_) out->columns[c++].AppendRange(r, emitted_, end);
  emitted_ = end;
  return true;
}

void PhysicalWindow::Compute() {
  computed_ = true;
  all_.Initialize(child()->types());
  DataChunk chunk;
  while (child()->Next(&chunk)) {
    ctx_.CheckCancelled();
    memory_.Grow(ApproxChunkBytes(chunk));
    for (size_t c = 0; c < chunk.columns.size(); ++c) {
      all_.columns[c].AppendRange(chunk.columns[c], 0, chunk.size());
    }
  }
  results_.resize(windows_.size());
  for (size_t i = 0; i < windows_.size(); ++i) {
    ctx_.CheckCancelled();
    ComputeWindow(windows_[i], &results_[i]);
  }
}

void PhysicalWindow::ComputeWindow(const BoundWindow& w, ColumnVector* out) {
  const size_t n = all_.size();
  auto eval = [&](const std::vector<BoundExpressionPtr>& exprs) {
    std::vector<ColumnVector> cols(exprs.size());
    for (size_t i = 0; i < exprs.size(); ++i) ExpressionExecutor::Execute(*exprs[i], all_, n, &cols[i]);
    return cols;
  };
  std::vector<ColumnVector> pk = eval(w.partitions);
  std::vector<ColumnVector> ok = eval(w.orders);
  std::vector<ColumnVector> args = eval(w.arguments);
  PrepareOutput(out, w.type, n);

  std::vector<uint32_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0u);
  std::stable_sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) {
    for (const ColumnVector& c : pk) {
      int r = CompareKey(c, a, b, false, true);
      if (r) return r < 0;
    }
    for (size_t k = 0; k < ok.size(); ++k) {
      int r = CompareKey(ok[k], a, b, w.descending[k], w.nulls_first[k]);
      if (r) return r < 0;
    }
    return false;
  });
  auto same_partition = [&](uint32_t a, uint32_t b) {
    for (const ColumnVector& c : pk) {
      if (CompareKey(c, a, b, false, true)) return false;
    }
    return true;
  };
  auto peers = [&](uint32_t a, uint32_t b) {
    for (size_t k = 0; k < ok.size(); ++k) {
      if (CompareKey(ok[k], a, b, false, true)) return false;
    }
    return true;
  };

  std::vector<size_t> peer_start, peer_end, s, e;
  std::vector<double> key;
  for (size_t p = 0; p < n;) {
    size_t q = p + 1;
    while (q < n && same_partition(idx[p], idx[q])) ++q;
    const size_t m = q - p;
    const uint32_t* rows = idx.data() + p;
    // Peer groups (rows equal on every ORDER BY key).
    peer_start.assign(m, 0);
    peer_end.assign(m, m);
    for (size_t r = 1; r < m; ++r) {
      peer_start[r] = peers(rows[r - 1], rows[r]) ? peer_start[r - 1] : r;
    }
    for (size_t r = m - 1; r-- > 0;) {
      peer_end[r] = peers(rows[r], rows[r + 1]) ? peer_end[r + 1] : r + 1;
    }
    switch (w.function) {
      case WindowFunction::kRowNumber:
        for (size_t r = 0; r < m; ++r) out->ints[rows[r]] = static_cast<int64_t>(r + 1);
        break;
      case WindowFunction::kRank:
        for (size_t r = 0; r < m; ++r) out->ints[rows[r]] = static_cast<int64_t>(peer_start[r] + 1);
        break;
      case WindowFunction::kDenseRank: {
        int64_t rank = 0;
        for (size_t r = 0; r < m; ++r) {
          if (peer_start[r] == r) ++rank;
          out->ints[rows[r]] = rank;
        }
        break;
      }
      case WindowFunction::kLag:
      case WindowFunction::kLead: {
        const int64_t off = w.function == WindowFunction::kLag ? -w.lag_offset : w.lag_offset;
        for (size_t r = 0; r < m; ++r) {
          const int64_t src = static_cast<int64_t>(r) + off;
          if (src >= 0 && src < static_cast<int64_t>(m)) {
            CopyCell(args[0], rows[src], out, rows[r]);
          } else if (args.size() == 3) {
            CopyCell(args[2], rows[r], out, rows[r]);
          } else {
            out->valid[rows[r]] = 0;
          }
        }
        break;
      }
      case WindowFunction::kDelta:
      case WindowFunction::kRate: {
        const ColumnVector& v = args[0];
        for (size_t r = 0; r < m; ++r) {
          const uint32_t row = rows[r];
          if (r == 0 || v.IsNull(row) || v.IsNull(rows[r - 1])) {
            out->valid[row] = 0;
            continue;
          }
          const uint32_t prev = rows[r - 1];
          if (w.function == WindowFunction::kRate) {
            const ColumnVector& t = args[1];
            if (t.IsNull(row) || t.IsNull(prev)) {
              out->valid[row] = 0;
              continue;
            }
            const double dt = static_cast<double>(t.ints[row] - t.ints[prev]) / 1e6;
            out->doubles[row] = (v.doubles[row] - v.doubles[prev]) / dt;
          } else if (w.type == TypeId::kDouble) {
            out->doubles[row] = v.doubles[row] - v.doubles[prev];
          } else if (__builtin_sub_overflow(v.ints[row], v.ints[prev], &out->ints[row])) {
            throw QueryError(ErrorKind::kOutOfRange, "Overflow in delta: " +
                                                         std::to_string(v.ints[row]) + " - " +
                                                         std::to_string(v.ints[prev]));
          }
        }
        break;
      }
      default: {
        // Frame bounds [s, e) per row, both non-decreasing in r.
        s.assign(m, 0);
        e.assign(m, m);
        const bool range_offsets =
            !w.rows && (w.start.kind == Kind::kPreceding || w.start.kind == Kind::kFollowing ||
                        w.end.kind == Kind::kPreceding || w.end.kind == Kind::kFollowing);
        size_t a = 0, b = m;  // non-NULL key rows (RANGE offsets)
        if (range_offsets) {
          const ColumnVector& k = ok[0];
          key.assign(m, 0);
          while (a < m && k.IsNull(rows[a])) ++a;
          while (b > a && k.IsNull(rows[b - 1])) --b;
          for (size_t r = a; r < b; ++r) {
            key[r] = w.descending[0] ? -AsDouble(k, rows[r]) : AsDouble(k, rows[r]);
          }
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
              if (w.rows) {
                const int64_t off = static_cast<int64_t>(fb.offset);
                int64_t pos = static_cast<int64_t>(r) + (back ? -off : off) + (is_start ? 0 : 1);
                return static_cast<size_t>(std::clamp<int64_t>(pos, 0, static_cast<int64_t>(m)));
              }
              if (r < a || r >= b) return is_start ? peer_start[r] : peer_end[r];  // NULL key
              const double target = key[r] + (back ? -fb.offset : fb.offset);
              const double* base = key.data();
              const double* it = is_start ? std::lower_bound(base + a, base + b, target)
                                          : std::upper_bound(base + a, base + b, target);
              return static_cast<size_t>(it - base);
            }
          }
          return r;
        };
        for (size_t r = 0; r < m; ++r) {
          s[r] = bound(w.start, r, true);
          e[r] = std::max(bound(w.end, r, false), s[r]);
        }
        for (size_t r = 1; r < m; ++r) {  // keep the bounds monotone for the deque
          s[r] = std::max(s[r], s[r - 1]);
          e[r] = std::max(e[r], e[r - 1]);
        }
        ComputeFramed(w, args, rows, m, s, e, out);
        break;
      }
    }
    p = q;
  }
}

}  // namespace tsl::query
