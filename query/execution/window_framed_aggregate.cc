// Framed window aggregates. See window_framed_aggregate.h.
#include "query/execution/window_framed_aggregate.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>
#include <string>
#include <unordered_map>

#include "query/common/query_error.h"
#include "query/execution/physical_hash_aggregate.h"
#include "query/execution/window_generic_aggregate.h"
#include "query/functions/cell_compare.h"
#include "query/functions/aggregate_state.h"

namespace tsl::query {
namespace {

using K = AggregateKind;

int CompareCell(const ColumnVector& c, size_t a, size_t b) { return CompareNonNullCells(c, a, b); }

void CopyCell(const ColumnVector& src, size_t from, ColumnVector* out, size_t to) {
  if (src.IsNull(from)) {
    out->valid[to] = 0;
    return;
  }
  switch (PhysicalClassOf(out->type)) {
    case PhysicalClass::kInt64:
      out->ints[to] = src.ints[from];
      break;
    case PhysicalClass::kDouble:
      out->doubles[to] = src.doubles[from];
      break;
    case PhysicalClass::kString:
      out->strings[to] = src.strings[from];
      break;
  }
}

// Walks the frames of a partition: calls add(p) for each position entering
// and remove(p) for each leaving, then emit(r), for r = 0..m-1.
template <typename Add, typename Remove, typename Emit>
void Slide(size_t m, const std::vector<uint32_t>& s, const std::vector<uint32_t>& e, Add add,
           Remove remove, Emit emit) {
  size_t lo = 0, hi = 0;
  for (size_t r = 0; r < m; ++r) {
    for (; hi < e[r]; ++hi) {
      if (hi >= lo) add(hi);
    }
    for (; lo < s[r]; ++lo) {
      if (lo < hi) remove(lo);
    }
    emit(r);
  }
}

// Fenwick tree of counts over ranks 0..n-1 with a k-th smallest query.
class RankTree {
 public:
  explicit RankTree(size_t n) : tree_(n + 1, 0) {
    while ((size_t{1} << log_) <= n) ++log_;
  }
  void Add(size_t rank, int delta) {
    for (size_t i = rank + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += delta;
  }
  // The rank of the k-th smallest element present (k from 0).
  size_t Kth(int64_t k) const {
    size_t pos = 0;
    for (int b = log_; b >= 0; --b) {
      const size_t next = pos + (size_t{1} << b);
      if (next < tree_.size() && tree_[next] <= k) {
        pos = next;
        k -= tree_[next];
      }
    }
    return pos;  // 1-based position pos+1 holds it -> rank pos
  }

 private:
  std::vector<int64_t> tree_;
  int log_ = 0;
};

void Quantile(const BoundWindow& w, const ColumnVector& v, const uint32_t* rows, size_t m,
              const std::vector<uint32_t>& s, const std::vector<uint32_t>& e, ColumnVector* out) {
  // Rank every non-NULL row of the partition by value (ties by position).
  std::vector<uint32_t> order;
  for (size_t r = 0; r < m; ++r) {
    if (!v.IsNull(rows[r])) order.push_back(static_cast<uint32_t>(r));
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return CompareCell(v, rows[a], rows[b]) < 0; });
  std::vector<int64_t> rank(m, -1);
  for (size_t i = 0; i < order.size(); ++i) rank[order[i]] = static_cast<int64_t>(i);
  RankTree tree(order.size());
  int64_t count = 0;
  const double q = w.aggregate == K::kMedian ? 0.5 : w.parameter.AsDouble();
  const bool continuous = QuantileInterpolates(w.aggregate, v.type);
  Slide(
      m, s, e,
      [&](size_t p) {
        if (rank[p] >= 0) tree.Add(static_cast<size_t>(rank[p]), 1), ++count;
      },
      [&](size_t p) {
        if (rank[p] >= 0) tree.Add(static_cast<size_t>(rank[p]), -1), --count;
      },
      [&](size_t r) {
        const size_t row = r;  // output position
        if (count == 0) {
          out->valid[row] = 0;
          return;
        }
        const size_t n = static_cast<size_t>(count);
        if (!continuous) {
          const size_t k = DiscreteQuantileIndex(q, n);
          CopyCell(v, rows[order[tree.Kth(static_cast<int64_t>(k))]], out, row);
          return;
        }
        const double pos = ContinuousQuantilePosition(q, n);
        const size_t lo_i = static_cast<size_t>(std::floor(pos));
        const size_t hi_i = static_cast<size_t>(std::ceil(pos));
        const size_t lo_row = rows[order[tree.Kth(static_cast<int64_t>(lo_i))]];
        const size_t hi_row =
            hi_i == lo_i ? lo_row : rows[order[tree.Kth(static_cast<int64_t>(hi_i))]];
        const double d = pos - static_cast<double>(lo_i);
        if (w.type == TypeId::kDouble) {
          const double l = v.type == TypeId::kDouble ? v.doubles[lo_row]
                                                     : static_cast<double>(v.ints[lo_row]);
          const double h = v.type == TypeId::kDouble ? v.doubles[hi_row]
                                                     : static_cast<double>(v.ints[hi_row]);
          out->doubles[row] = hi_i == lo_i ? l : InterpolateQuantile(l, d, h);
        } else {
          const int64_t l = v.ints[lo_row], h = v.ints[hi_row];
          out->ints[row] = hi_i == lo_i ? l : InterpolateQuantileMicros(l, d, h);
        }
      });
}

void ArgMinMax(bool is_min, const ColumnVector& arg, const ColumnVector& key,
               const uint32_t* rows, size_t m, const std::vector<uint32_t>& s,
               const std::vector<uint32_t>& e, ColumnVector* out) {
  std::deque<size_t> dq;
  auto worse = [&](size_t x, size_t y) {  // x strictly worse than y
    int c = CompareCell(key, rows[x], rows[y]);
    return is_min ? c > 0 : c < 0;
  };
  Slide(
      m, s, e,
      [&](size_t p) {
        if (arg.IsNull(rows[p]) || key.IsNull(rows[p])) return;
        while (!dq.empty() && worse(dq.back(), p)) dq.pop_back();
        dq.push_back(p);
      },
      [&](size_t p) {
        if (!dq.empty() && dq.front() == p) dq.pop_front();
      },
      [&](size_t r) {
        if (dq.empty()) {
          out->valid[r] = 0;
        } else {
          CopyCell(arg, rows[dq.front()], out, r);
        }
      });
}

void DistinctCount(const ColumnVector& v, const uint32_t* rows, size_t m,
                   const std::vector<uint32_t>& s, const std::vector<uint32_t>& e,
                   ColumnVector* out) {
  std::vector<std::string> keys(m);
  const VectorView view{&v, false};
  for (size_t r = 0; r < m; ++r) {
    if (!v.IsNull(rows[r])) SerializeKey(view, rows[r], &keys[r]);
  }
  std::unordered_map<std::string_view, int64_t> counts;
  Slide(
      m, s, e,
      [&](size_t p) {
        if (!v.IsNull(rows[p])) ++counts[keys[p]];
      },
      [&](size_t p) {
        if (v.IsNull(rows[p])) return;
        auto it = counts.find(keys[p]);
        if (--it->second == 0) counts.erase(it);
      },
      [&](size_t r) { out->ints[r] = static_cast<int64_t>(counts.size()); });
}

void TimeWeighted(const BoundWindow& w, const ColumnVector& v, const ColumnVector& t,
                  const uint32_t* rows, size_t m, const std::vector<uint32_t>& s,
                  const std::vector<uint32_t>& e, ColumnVector* out) {
  const bool linear = TimeWeightedLinear(w.parameter);
  std::vector<size_t> pos;  // partition positions with a value and a time
  for (size_t r = 0; r < m; ++r) {
    if (!v.IsNull(rows[r]) && !t.IsNull(rows[r])) pos.push_back(r);
  }
  std::vector<long double> cum(pos.size(), 0);
  for (size_t j = 1; j < pos.size(); ++j) {
    const uint32_t a = rows[pos[j - 1]], b = rows[pos[j]];
    const double dt = static_cast<double>(t.ints[b] - t.ints[a]);
    const double height = linear ? (v.doubles[a] + v.doubles[b]) / 2 : v.doubles[a];
    cum[j] = cum[j - 1] + static_cast<long double>(height * dt);
  }
  for (size_t r = 0; r < m; ++r) {
    const size_t row = r;  // output position
    const size_t j0 = std::lower_bound(pos.begin(), pos.end(), s[r]) - pos.begin();
    const size_t j_end = std::lower_bound(pos.begin(), pos.end(), e[r]) - pos.begin();
    if (j_end < j0 + 2) {
      out->valid[row] = 0;
      continue;
    }
    const size_t j1 = j_end - 1;
    const int64_t dur = t.ints[rows[pos[j1]]] - t.ints[rows[pos[j0]]];
    if (dur == 0) {
      out->valid[row] = 0;
      continue;
    }
    out->doubles[row] = static_cast<double>((cum[j1] - cum[j0]) / static_cast<long double>(dur));
  }
}

}  // namespace

void ComputeFramedAggregate(const BoundWindow& w, const std::vector<const ColumnVector*>& args,
                            const uint32_t* rows, size_t m, const std::vector<uint32_t>& s,
                            const std::vector<uint32_t>& e, ColumnVector* out) {
  const ColumnVector& v = *args[0];
  switch (w.aggregate) {
    case K::kCount:
    case K::kApproxCountDistinct:
      DistinctCount(v, rows, m, s, e, out);
      return;
    case K::kArgMin:
    case K::kArgMax:
      ArgMinMax(w.aggregate == K::kArgMin, v, *args[1], rows, m, s, e, out);
      return;
    case K::kMedian:
    case K::kQuantileCont:
    case K::kQuantileDisc:
      Quantile(w, v, rows, m, s, e, out);
      return;
    case K::kTimeWeightedAvg:
      TimeWeighted(w, v, *args[1], rows, m, s, e, out);
      return;
    case K::kFirst:
    case K::kLast:
      for (size_t r = 0; r < m; ++r) {
        if (s[r] >= e[r]) {
          out->valid[r] = 0;
        } else {
          CopyCell(v, rows[w.aggregate == K::kFirst ? s[r] : e[r] - 1], out, r);
        }
      }
      return;
    case K::kAnyValue: {
      std::vector<size_t> next(m + 1, m);
      for (size_t r = m; r-- > 0;) next[r] = v.IsNull(rows[r]) ? next[r + 1] : r;
      for (size_t r = 0; r < m; ++r) {
        const size_t p = s[r] < m ? next[s[r]] : m;
        if (p < e[r]) {
          CopyCell(v, rows[p], out, r);
        } else {
          out->valid[r] = 0;
        }
      }
      return;
    }
    case K::kBoolAnd:
    case K::kBoolOr:
    case K::kCountIf: {
      std::vector<int64_t> nonnull(m + 1, 0), truths(m + 1, 0);
      for (size_t r = 0; r < m; ++r) {
        const bool null = v.IsNull(rows[r]);
        nonnull[r + 1] = nonnull[r] + !null;
        truths[r + 1] = truths[r] + (!null && v.ints[rows[r]] != 0);
      }
      for (size_t r = 0; r < m; ++r) {
        const size_t row = r;  // output position
        const int64_t nn = nonnull[e[r]] - nonnull[s[r]];
        const int64_t tr = truths[e[r]] - truths[s[r]];
        if (nn == 0) {
          out->valid[row] = 0;
        } else if (w.aggregate == K::kCountIf) {
          out->ints[row] = tr;
        } else {
          out->ints[row] = w.aggregate == K::kBoolAnd ? tr == nn : tr > 0;
        }
      }
      return;
    }
    case K::kStringAgg: {
      const bool null_sep = w.parameter.is_null() && w.parameter.type() != TypeId::kNull;
      const std::string sep = w.parameter.is_null() ? "," : w.parameter.string_value();
      for (size_t r = 0; r < m; ++r) {
        const size_t row = r;  // output position
        std::string text;
        bool any = false;
        for (size_t p = s[r]; p < e[r]; ++p) {
          if (v.IsNull(rows[p])) continue;
          if (any) text += sep;
          text += v.strings[rows[p]];
          any = true;
        }
        if (any && !null_sep) {
          out->strings[row] = std::move(text);
        } else {
          out->valid[row] = 0;
        }
      }
      return;
    }
    default:
      if (HasGenericWindowAggregate(w.aggregate)) {
        ComputeGenericFramedAggregate(w, args, rows, m, s, e, out);
        return;
      }
      throw QueryError(ErrorKind::kNotImplemented,
                       std::string(AggregateName(w.aggregate)) +
                           " is not supported as a window function");
  }
}

}  // namespace tsl::query
