// Per-group aggregate states. See aggregate_state.h.
#include "query/functions/aggregate_state.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "formats/double_order.h"
#include "formats/decimal.h"
#include "formats/value_size.h"
#include "query/common/query_error.h"
#include "query/functions/aggregate_families.h"
#include "query/functions/hyper_log_log.h"
#include "query/functions/interval_sum_state.h"

namespace tsl::query {
namespace {

using K = AggregateKind;

// Typed access to a view's physical array.
template <typename T>
const T& Get(const VectorView& v, size_t i);
template <>
const int64_t& Get<int64_t>(const VectorView& v, size_t i) {
  return v.vec->ints[v.Index(i)];
}
template <>
const double& Get<double>(const VectorView& v, size_t i) {
  return v.vec->doubles[v.Index(i)];
}
template <>
const std::string& Get<std::string>(const VectorView& v, size_t i) {
  return v.vec->strings[v.Index(i)];
}

template <typename T>
T& Slot(ColumnVector* out, size_t i);
template <>
int64_t& Slot<int64_t>(ColumnVector* out, size_t i) {
  return out->ints[i];
}
template <>
double& Slot<double>(ColumnVector* out, size_t i) {
  return out->doubles[i];
}
template <>
std::string& Slot<std::string>(ColumnVector* out, size_t i) {
  return out->strings[i];
}

// Calls f(T{}) with T the C++ type of the physical class.
template <typename F>
auto DispatchClass(TypeId type, F&& f) {
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kDouble:
      return f(double{});
    case PhysicalClass::kString:
      return f(std::string{});
    case PhysicalClass::kInt64:
      break;
  }
  return f(int64_t{});
}

class CountStarState final : public AggregateState {
 public:
  void Resize(size_t g) override { count_.resize(g, 0); }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<CountStarState&>(other);
    for (size_t g = 0; g < n; ++g) count_[map[g]] += o.count_[g];
  }
  void Update(const std::vector<VectorView>&, const uint32_t* gid, size_t n) override {
    for (size_t i = 0; i < n; ++i) {
      if (gid[i] != kSkipRow) ++count_[gid[i]];
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) out->ints[g - b] = count_[g];
  }

 private:
  std::vector<int64_t> count_;
};

class CountState final : public AggregateState {
 public:
  void Resize(size_t g) override { count_.resize(g, 0); }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<CountState&>(other);
    for (size_t g = 0; g < n; ++g) count_[map[g]] += o.count_[g];
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      if (gid[i] != kSkipRow && !v.IsNull(i)) ++count_[gid[i]];
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) out->ints[g - b] = count_[g];
  }

 private:
  std::vector<int64_t> count_;
};

// sum and avg: T is int64_t (summed in __int128) or double.
template <typename T, bool kAvg>
class SumState final : public AggregateState {
  using Acc = std::conditional_t<std::is_same_v<T, double>, double, __int128>;

 public:
  // `result` is the sum's type; a DECIMAL's avg divides by 10^scale and its
  // sum must fit the DECIMAL's width.
  explicit SumState(TypeId result = TypeId::kBigint, int scale = 0)
      : result_(result), scale_(scale) {}
  void Resize(size_t g) override {
    sum_.resize(g, 0);
    count_.resize(g, 0);
  }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<SumState&>(other);
    for (size_t g = 0; g < n; ++g) {
      sum_[map[g]] += o.sum_[g];
      count_[map[g]] += o.count_[g];
    }
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    if (v.constant) {
      if (v.IsNull(0)) return;
      const T x = Get<T>(v, 0);
      for (size_t i = 0; i < n; ++i) {
        if (gid[i] == kSkipRow) continue;
        sum_[gid[i]] += x;
        ++count_[gid[i]];
      }
      return;
    }
    const T* data = &Get<T>(v, 0);
    const uint8_t* valid = v.vec->valid.data();
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (!valid[i] || g == kSkipRow) continue;
      sum_[g] += data[i];
      ++count_[g];
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      const size_t i = g - b;
      if (count_[g] == 0) {
        out->valid[i] = 0;
        continue;
      }
      if constexpr (kAvg) {
        if constexpr (std::is_same_v<T, double>) {
          out->doubles[i] = sum_[g] / static_cast<double>(count_[g]);
        } else {
          out->doubles[i] = static_cast<double>(static_cast<long double>(sum_[g]) /
                                                static_cast<long double>(count_[g]) /
                                                static_cast<long double>(Pow10(scale_)));
        }
      } else if constexpr (std::is_same_v<T, double>) {
        out->doubles[i] = sum_[g];
      } else {
        if (sum_[g] > std::numeric_limits<int64_t>::max() ||
            sum_[g] < std::numeric_limits<int64_t>::min()) {
          throw QueryError(ErrorKind::kOutOfRange,
                           "Overflow in sum: the result does not fit in BIGINT");
        }
        if (IsDecimal(result_) && !DecimalFits(static_cast<int64_t>(sum_[g]), DecimalWidth(result_))) {
          throw QueryError(ErrorKind::kOutOfRange, "Overflow in sum: the result does not fit in " +
                                                       std::string(TypeName(result_)));
        }
        out->ints[i] = static_cast<int64_t>(sum_[g]);
      }
    }
  }

 private:
  TypeId result_;
  int scale_;
  std::vector<Acc> sum_;
  std::vector<int64_t> count_;
};

template <typename T, bool kMin>
class MinMaxState final : public AggregateState {
 public:
  void Resize(size_t g) override {
    value_.resize(g);
    has_.resize(g, 0);
  }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<MinMaxState&>(other);
    for (size_t g = 0; g < n; ++g) {
      const uint32_t t = map[g];
      if (o.has_[g] && (!has_[t] || (kMin ? OrderLess(o.value_[g], value_[t])
                                            : OrderLess(value_[t], o.value_[g])))) {
        value_[t] = std::move(o.value_[g]);
        has_[t] = 1;
      }
    }
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      const T& x = Get<T>(v, i);
      if (!has_[g] || (kMin ? OrderLess(x, value_[g]) : OrderLess(value_[g], x))) {
        value_[g] = x;
        has_[g] = 1;
      }
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      if (has_[g]) {
        Slot<T>(out, g - b) = value_[g];
      } else {
        out->valid[g - b] = 0;
      }
    }
  }

 private:
  std::vector<T> value_;
  std::vector<uint8_t> has_;
};

// DuckDB's STDDevBaseOperation: Welford's streaming mean and sum of squared
// differences, in the same order of operations, so results match bit for
// bit on the same input order.
class VarianceState final : public AggregateState {
 public:
  explicit VarianceState(AggregateKind kind) : kind_(kind) {}
  void Resize(size_t g) override {
    count_.resize(g, 0);
    mean_.resize(g, 0);
    m2_.resize(g, 0);
  }
  // Chan et al.'s pairwise update; a group only one side has is copied
  // as is (bit-identical to the serial result).
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<VarianceState&>(other);
    for (size_t g = 0; g < n; ++g) {
      const uint32_t t = map[g];
      if (o.count_[g] == 0) continue;
      if (count_[t] == 0) {
        count_[t] = o.count_[g];
        mean_[t] = o.mean_[g];
        m2_[t] = o.m2_[g];
        continue;
      }
      const double na = static_cast<double>(count_[t]), nb = static_cast<double>(o.count_[g]);
      const double total = na + nb;
      const double delta = o.mean_[g] - mean_[t];
      mean_[t] += delta * nb / total;
      m2_[t] += o.m2_[g] + delta * delta * na * nb / total;
      count_[t] += o.count_[g];
    }
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      const double x = v.AsDouble(i);
      ++count_[g];
      const double delta = x - mean_[g];
      mean_[g] += delta / static_cast<double>(count_[g]);
      m2_[g] += delta * (x - mean_[g]);
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    const bool sample = kind_ == K::kVarSamp || kind_ == K::kStddevSamp;
    const bool sd = kind_ == K::kStddevSamp || kind_ == K::kStddevPop;
    for (size_t g = b; g < e; ++g) {
      const size_t i = g - b;
      if (count_[g] == 0 || (sample && count_[g] == 1)) {
        out->valid[i] = 0;
        continue;
      }
      double var = m2_[g] / static_cast<double>(sample ? count_[g] - 1 : count_[g]);
      double r = sd ? std::sqrt(var) : var;
      if (!std::isfinite(r)) {
        throw QueryError(ErrorKind::kOutOfRange,
                         std::string(ToUpperName()) + " is out of range!");
      }
      out->doubles[i] = r;
    }
  }

 private:
  const char* ToUpperName() const {
    switch (kind_) {
      case K::kStddevSamp:
        return "STDDEV_SAMP";
      case K::kStddevPop:
        return "STDDEV_POP";
      case K::kVarSamp:
        return "VARSAMP";
      default:
        return "VARPOP";
    }
  }
  AggregateKind kind_;
  std::vector<int64_t> count_;
  std::vector<double> mean_, m2_;
};

// first (NULL counts), last (NULL counts), any_value (first non-NULL).
template <typename T>
class FirstLastState final : public AggregateState {
 public:
  explicit FirstLastState(AggregateKind kind) : kind_(kind) {}
  void Resize(size_t g) override {
    value_.resize(g);
    seen_.resize(g, 0);
    null_.resize(g, 0);
  }
  // `other` holds later rows: first/any_value keep this side's value when
  // set, last takes the other's.
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<FirstLastState&>(other);
    for (size_t g = 0; g < n; ++g) {
      const uint32_t t = map[g];
      if (!o.seen_[g] || (kind_ != K::kLast && seen_[t])) continue;
      seen_[t] = 1;
      null_[t] = o.null_[g];
      value_[t] = std::move(o.value_[g]);
    }
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow) continue;
      const bool is_null = v.IsNull(i);
      if (kind_ == K::kAnyValue && is_null) continue;
      if (kind_ != K::kLast && seen_[g]) continue;
      seen_[g] = 1;
      null_[g] = is_null;
      if (!is_null) value_[g] = Get<T>(v, i);
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      if (seen_[g] && !null_[g]) {
        Slot<T>(out, g - b) = value_[g];
      } else {
        out->valid[g - b] = 0;
      }
    }
  }

 private:
  AggregateKind kind_;
  std::vector<T> value_;
  std::vector<uint8_t> seen_, null_;
};

// arg_min/arg_max(arg, val): rows where arg or val is NULL are skipped (as
// DuckDB 1.1+ does); ties keep the first row.
template <typename A, typename V, bool kMin>
class ArgState final : public AggregateState {
 public:
  void Resize(size_t g) override {
    arg_.resize(g);
    key_.resize(g);
    has_.resize(g, 0);
  }
  // Ties keep this side (the earlier rows), as Update keeps the first row.
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<ArgState&>(other);
    for (size_t g = 0; g < n; ++g) {
      const uint32_t t = map[g];
      if (o.has_[g] && (!has_[t] || (kMin ? OrderLess(o.key_[g], key_[t])
                                            : OrderLess(key_[t], o.key_[g])))) {
        key_[t] = std::move(o.key_[g]);
        arg_[t] = std::move(o.arg_[g]);
        has_[t] = 1;
      }
    }
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& arg = a[0];
    const VectorView& key = a[1];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || arg.IsNull(i) || key.IsNull(i)) continue;
      const V& k = Get<V>(key, i);
      if (!has_[g] || (kMin ? OrderLess(k, key_[g]) : OrderLess(key_[g], k))) {
        key_[g] = k;
        arg_[g] = Get<A>(arg, i);
        has_[g] = 1;
      }
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      if (has_[g]) {
        Slot<A>(out, g - b) = arg_[g];
      } else {
        out->valid[g - b] = 0;
      }
    }
  }

 private:
  std::vector<A> arg_;
  std::vector<V> key_;
  std::vector<uint8_t> has_;
};

template <typename A, bool kMin>
std::unique_ptr<AggregateState> MakeArgState(TypeId key) {
  return DispatchClass(key, [](auto v) -> std::unique_ptr<AggregateState> {
    return std::make_unique<ArgState<A, decltype(v), kMin>>();
  });
}

// median / quantile_cont / quantile_disc: keeps every non-NULL value of
// the group and selects with nth_element at the end.
template <typename T>
class QuantileState final : public AggregateState {
 public:
  QuantileState(bool continuous, double q, TypeId result)
      : continuous_(continuous), q_(q), result_(result) {}
  void Resize(size_t g) override { values_.resize(g); }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<QuantileState&>(other);
    for (size_t g = 0; g < n; ++g) {
      std::vector<T>& dst = values_[map[g]];
      if (dst.empty()) {
        dst = std::move(o.values_[g]);
      } else {
        dst.insert(dst.end(), std::make_move_iterator(o.values_[g].begin()),
                   std::make_move_iterator(o.values_[g].end()));
      }
    }
    bytes_ += o.bytes_;
    o.bytes_ = 0;
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      values_[g].push_back(Get<T>(v, i));
      bytes_ += static_cast<int64_t>(sizeof(T));
      if constexpr (std::is_same_v<T, std::string>) {
        if (values_[g].back().size() > 15) bytes_ += static_cast<int64_t>(values_[g].back().size());
      }
    }
  }
  // The values, plus half again for the vectors' spare capacity.
  int64_t MemoryBytes() const override { return bytes_ + bytes_ / 2; }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      const size_t i = g - b;
      std::vector<T>& vals = values_[g];
      const size_t n = vals.size();
      if (n == 0) {
        out->valid[i] = 0;
        continue;
      }
      if (!continuous_) {
        const size_t k = DiscreteQuantileIndex(q_, n);
        std::nth_element(vals.begin(), vals.begin() + k, vals.end());
        Slot<T>(out, i) = vals[k];
        continue;
      }
      if constexpr (std::is_same_v<T, std::string>) {
        throw QueryError(ErrorKind::kInternal, "quantile_cont over strings");
      } else {
        const double pos = ContinuousQuantilePosition(q_, n);
        const size_t lo_i = static_cast<size_t>(std::floor(pos));
        const size_t hi_i = static_cast<size_t>(std::ceil(pos));
        std::nth_element(vals.begin(), vals.begin() + lo_i, vals.end());
        const T lo = vals[lo_i];
        T hi = lo;
        if (hi_i != lo_i) hi = *std::min_element(vals.begin() + lo_i + 1, vals.end());
        const double d = pos - static_cast<double>(lo_i);
        if (result_ == TypeId::kDouble) {
          const double l = static_cast<double>(lo), h = static_cast<double>(hi);
          out->doubles[i] = hi_i == lo_i ? l : InterpolateQuantile(l, d, h);
        } else {  // TIMESTAMP: interpolate in microseconds
          out->ints[i] = hi_i == lo_i ? static_cast<int64_t>(lo)
                                      : InterpolateQuantileMicros(static_cast<int64_t>(lo), d,
                                                                  static_cast<int64_t>(hi));
        }
      }
    }
  }

 private:
  bool continuous_;
  double q_;
  TypeId result_;
  std::vector<std::vector<T>> values_;
  int64_t bytes_ = 0;
};

// bool_and / bool_or: NULL when the group has no non-NULL value.
class BoolState final : public AggregateState {
 public:
  explicit BoolState(bool is_and) : is_and_(is_and) {}
  void Resize(size_t g) override {
    value_.resize(g, is_and_ ? 1 : 0);
    has_.resize(g, 0);
  }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<BoolState&>(other);
    for (size_t g = 0; g < n; ++g) {
      const uint32_t t = map[g];
      if (!o.has_[g]) continue;
      has_[t] = 1;
      value_[t] = is_and_ ? (value_[t] && o.value_[g]) : (value_[t] || o.value_[g]);
    }
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      has_[g] = 1;
      const bool x = v.Int(i) != 0;
      value_[g] = is_and_ ? (value_[g] && x) : (value_[g] || x);
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      if (has_[g]) {
        out->ints[g - b] = value_[g];
      } else {
        out->valid[g - b] = 0;
      }
    }
  }

 private:
  bool is_and_;
  std::vector<uint8_t> value_, has_;
};

// count_if: the number of TRUE rows; NULL when no row is non-NULL (DuckDB).
class CountIfState final : public AggregateState {
 public:
  void Resize(size_t g) override {
    count_.resize(g, 0);
    has_.resize(g, 0);
  }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<CountIfState&>(other);
    for (size_t g = 0; g < n; ++g) {
      count_[map[g]] += o.count_[g];
      has_[map[g]] |= o.has_[g];
    }
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      has_[g] = 1;
      count_[g] += v.Int(i) != 0;
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      if (has_[g]) {
        out->ints[g - b] = count_[g];
      } else {
        out->valid[g - b] = 0;
      }
    }
  }

 private:
  std::vector<int64_t> count_;
  std::vector<uint8_t> has_;
};

class ApproxDistinctState final : public AggregateState {
 public:
  void Resize(size_t g) override { hll_.resize(g); }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<ApproxDistinctState&>(other);
    for (size_t g = 0; g < n; ++g) hll_[map[g]].Merge(o.hll_[g]);
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      hll_[g].Add(HashCell(v, i));
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) out->ints[g - b] = hll_[g].Estimate();
  }

 private:
  std::vector<HyperLogLog> hll_;
};

// string_agg(x [, sep]): non-NULL values in input order; a NULL separator
// makes every result NULL (as in DuckDB).
class StringAggState final : public AggregateState {
 public:
  explicit StringAggState(const Value& sep)
      : null_sep_(sep.is_null() && sep.type() != TypeId::kNull),
        sep_(sep.is_null() ? std::string(",") : sep.string_value()) {}
  void Resize(size_t g) override {
    text_.resize(g);
    has_.resize(g, 0);
  }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<StringAggState&>(other);
    for (size_t g = 0; g < n; ++g) {
      const uint32_t t = map[g];
      if (!o.has_[g]) continue;
      const size_t before = text_[t].capacity();
      if (has_[t]) {
        text_[t] += sep_;
        text_[t] += o.text_[g];
      } else {
        text_[t] = std::move(o.text_[g]);
      }
      bytes_ += static_cast<int64_t>(text_[t].capacity()) - static_cast<int64_t>(before);
      has_[t] = 1;
    }
    o.bytes_ = 0;
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      const size_t before = text_[g].capacity();
      if (has_[g]) text_[g] += sep_;
      text_[g] += v.String(i);
      if (text_[g].size() > kMaxValueBytes) {
        throw QueryError(ErrorKind::kInvalidInput, ValueSizeError(text_[g].size()));
      }
      bytes_ += static_cast<int64_t>(text_[g].capacity()) - static_cast<int64_t>(before);
      has_[g] = 1;
    }
  }
  int64_t MemoryBytes() const override { return bytes_; }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      if (has_[g] && !null_sep_) {
        out->strings[g - b] = std::move(text_[g]);
      } else {
        out->valid[g - b] = 0;
      }
    }
  }

 private:
  bool null_sep_;
  std::string sep_;
  std::vector<std::string> text_;
  std::vector<uint8_t> has_;
  int64_t bytes_ = 0;  // the texts' capacities
};

// time_weighted_avg(value, ts [, mode]): the points of a group sorted by
// (ts, value); LOCF holds each value until the next point, linear joins
// consecutive points with straight lines (trapezoids). The result is the
// integral over [first ts, last ts] divided by that duration, as
// TimescaleDB's average(time_weight(...)); NULL with fewer than two
// distinct timestamps. Rows with a NULL value or time are skipped.
class TimeWeightedAvgState final : public AggregateState {
 public:
  explicit TimeWeightedAvgState(bool linear) : linear_(linear) {}
  void Resize(size_t g) override { points_.resize(g); }
  // Finalize sorts each group's points, so their order does not matter.
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<TimeWeightedAvgState&>(other);
    for (size_t g = 0; g < n; ++g) {
      auto& dst = points_[map[g]];
      dst.insert(dst.end(), o.points_[g].begin(), o.points_[g].end());
    }
    bytes_ += o.bytes_;
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    const VectorView& t = a[1];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i) || t.IsNull(i)) continue;
      points_[g].emplace_back(t.Int(i), v.Double(i));
      bytes_ += static_cast<int64_t>(sizeof(points_[g].back()));
    }
  }
  int64_t MemoryBytes() const override { return bytes_ + bytes_ / 2; }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      auto& p = points_[g];
      std::sort(p.begin(), p.end());
      const size_t i = g - b;
      if (p.size() < 2 || p.back().first == p.front().first) {
        out->valid[i] = 0;
        continue;
      }
      out->doubles[i] = Average(p.data(), p.size(), linear_);
    }
  }

  static double Average(const std::pair<int64_t, double>* p, size_t n, bool linear) {
    double area = 0;
    for (size_t k = 0; k + 1 < n; ++k) {
      const double dt = static_cast<double>(p[k + 1].first - p[k].first);
      area += (linear ? (p[k].second + p[k + 1].second) / 2 : p[k].second) * dt;
    }
    return area / static_cast<double>(p[n - 1].first - p[0].first);
  }

 private:
  bool linear_;
  std::vector<std::vector<std::pair<int64_t, double>>> points_;
  int64_t bytes_ = 0;
};

}  // namespace

bool TimeWeightedLinear(const Value& mode) {
  if (mode.is_null()) return false;
  const std::string m = ToLower(mode.string_value());
  if (m == "locf") return false;
  if (m == "linear" || m == "trapezoidal") return true;
  throw QueryError(ErrorKind::kInvalidInput,
                   "time_weighted_avg: unknown mode '" + mode.string_value() +
                       "'; use 'locf' (last observation carried forward) or 'linear'");
}

size_t DiscreteQuantileIndex(double q, size_t n) {
  double pos = q * static_cast<double>(n);
  const double nearest = std::round(pos);
  if (std::fabs(pos - nearest) < 1e-9 * std::max(1.0, std::fabs(pos))) pos = nearest;
  const double idx = std::ceil(pos) - 1;
  if (idx <= 0) return 0;
  return std::min(static_cast<size_t>(idx), n - 1);
}

double ContinuousQuantilePosition(double q, size_t n) {
  return static_cast<double>(n - 1) * q;
}

bool QuantileInterpolates(AggregateKind kind, TypeId arg) {
  if (kind == K::kQuantileDisc || arg == TypeId::kVarchar || arg == TypeId::kBoolean) return false;
  return !(kind == K::kMedian && arg == TypeId::kInterval);
}

int64_t InterpolateQuantileMicros(int64_t lo, double d, int64_t hi) {
  return std::llround(static_cast<double>(lo) * (1.0 - d) + static_cast<double>(hi) * d);
}

std::unique_ptr<AggregateState> MakeAggregateState(AggregateKind kind,
                                                   const std::vector<TypeId>& arg_types,
                                                   const Value& parameter, TypeId result) {
  const TypeId arg = arg_types.empty() ? TypeId::kNull : arg_types[0];
  switch (kind) {
    case K::kCountStar:
      return std::make_unique<CountStarState>();
    case K::kCount:
      return std::make_unique<CountState>();
    case K::kSum:
    case K::kAvg:
      if (kind == K::kSum && arg == TypeId::kInterval) return MakeIntervalSumState();
      if (arg == TypeId::kDouble) {
        if (kind == K::kAvg) return std::make_unique<SumState<double, true>>();
        return std::make_unique<SumState<double, false>>();
      }
      if (kind == K::kAvg)
        return std::make_unique<SumState<int64_t, true>>(result, IsDecimal(arg) ? DecimalScale(arg) : 0);
      return std::make_unique<SumState<int64_t, false>>(result);
    case K::kMin:
    case K::kMax:
      return DispatchClass(arg, [&](auto v) -> std::unique_ptr<AggregateState> {
        using T = decltype(v);
        if (kind == K::kMin) return std::make_unique<MinMaxState<T, true>>();
        return std::make_unique<MinMaxState<T, false>>();
      });
    case K::kStddevSamp:
    case K::kStddevPop:
    case K::kVarSamp:
    case K::kVarPop:
      return std::make_unique<VarianceState>(kind);
    case K::kFirst:
    case K::kLast:
    case K::kAnyValue:
      return DispatchClass(arg, [&](auto v) -> std::unique_ptr<AggregateState> {
        return std::make_unique<FirstLastState<decltype(v)>>(kind);
      });
    case K::kArgMin:
    case K::kArgMax:
      return DispatchClass(arg, [&](auto v) -> std::unique_ptr<AggregateState> {
        using A = decltype(v);
        if (kind == K::kArgMin) return MakeArgState<A, true>(arg_types[1]);
        return MakeArgState<A, false>(arg_types[1]);
      });
    case K::kMedian:
    case K::kQuantileCont:
    case K::kQuantileDisc: {
      const double q = kind == K::kMedian ? 0.5 : parameter.AsDouble();
      const bool continuous = QuantileInterpolates(kind, arg);
      return DispatchClass(arg, [&](auto v) -> std::unique_ptr<AggregateState> {
        return std::make_unique<QuantileState<decltype(v)>>(continuous, q, result);
      });
    }
    case K::kBoolAnd:
    case K::kBoolOr:
      return std::make_unique<BoolState>(kind == K::kBoolAnd);
    case K::kCountIf:
      return std::make_unique<CountIfState>();
    case K::kApproxCountDistinct:
      return std::make_unique<ApproxDistinctState>();
    case K::kStringAgg:
      return std::make_unique<StringAggState>(parameter);
    case K::kTimeWeightedAvg:
      return std::make_unique<TimeWeightedAvgState>(TimeWeightedLinear(parameter));
    case K::kCorr:
    case K::kCovarPop:
    case K::kCovarSamp:
    case K::kRegrSlope:
    case K::kRegrIntercept:
    case K::kRegrR2:
    case K::kRegrCount:
    case K::kRegrAvgX:
    case K::kRegrAvgY:
    case K::kRegrSxx:
    case K::kRegrSyy:
    case K::kRegrSxy:
    case K::kSkewness:
    case K::kKurtosis:
    case K::kKurtosisPop:
    case K::kProduct:
      return MakeStatisticalAggregateState(kind);
    case K::kBitAnd:
    case K::kBitOr:
    case K::kBitXor:
      return MakeBitAggregateState(kind, arg);
    case K::kMode:
    case K::kEntropy:
    case K::kReservoirQuantile:
    case K::kApproxQuantile:
      return MakeFrequencyAggregateState(kind, arg, parameter);
    case K::kList:
      return MakeListAggregateState(result);
  }
  throw QueryError(ErrorKind::kInternal, "unknown aggregate");
}

}  // namespace tsl::query
