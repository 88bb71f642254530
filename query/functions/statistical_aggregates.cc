// Statistical aggregates over DOUBLE: corr, covar_pop/covar_samp, the
// regr_* family, skewness, kurtosis/kurtosis_pop and product. Each follows
// DuckDB's core_functions operation for operation (Welford's running means
// and co-moments, Schubert and Gertz's combine; plain power sums for the
// higher moments), so a serial run gives DuckDB's bits and a parallel one
// differs only by the merge's rounding. Rows where an argument is NULL are
// skipped. See aggregate_families.h. Thread-safety: one thread per state.
#include <cmath>
#include <string>
#include <vector>

#include "query/common/query_error.h"
#include "query/functions/aggregate_families.h"

namespace tsl::query {
namespace {

using K = AggregateKind;

// DuckDB's StddevState and STDDevBaseOperation.
struct Moments {
  uint64_t count = 0;
  double mean = 0;
  double dsquared = 0;

  void Add(double x) {
    ++count;
    const double mean_differential = (x - mean) / static_cast<double>(count);
    const double new_mean = mean + mean_differential;
    dsquared += (x - new_mean) * (x - mean);
    mean = new_mean;
  }
  void Merge(const Moments& o) {
    if (count == 0) {
      *this = o;
    } else if (o.count > 0) {
      const double tc = static_cast<double>(count), sc = static_cast<double>(o.count);
      const double total = tc + sc;
      const double delta = o.mean - mean;
      const double new_mean = std::fma(sc / total, delta, mean);
      dsquared = o.dsquared + dsquared + delta * delta * sc * tc / total;
      mean = new_mean;
      count += o.count;
    }
  }
  // The population variance, 0 for one value; an error when not finite.
  double VarPop(const char* what) const {
    const double v = count > 1 ? dsquared / static_cast<double>(count) : 0;
    if (!std::isfinite(v)) throw QueryError(ErrorKind::kOutOfRange, std::string(what) + " is out of range!");
    return v;
  }
};

// DuckDB's CovarState and CovarOperation.
struct CoMoment {
  uint64_t count = 0;
  double meanx = 0, meany = 0, co_moment = 0;

  void Add(double y, double x) {
    const double n = static_cast<double>(++count);
    const double dx = x - meanx;
    const double new_meanx = meanx + dx / n;
    const double dy = y - meany;
    const double new_meany = meany + dy / n;
    co_moment += dx * (y - new_meany);
    meanx = new_meanx;
    meany = new_meany;
  }
  void Merge(const CoMoment& o) {
    if (count == 0) {
      *this = o;
    } else if (o.count > 0) {
      const double tc = static_cast<double>(count), sc = static_cast<double>(o.count);
      const double total = static_cast<double>(count + o.count);
      const double mx = (sc * o.meanx + tc * meanx) / total;
      const double my = (sc * o.meany + tc * meany) / total;
      const double deltax = meanx - o.meanx;
      const double deltay = meany - o.meany;
      co_moment = o.co_moment + co_moment + deltax * deltay * sc * tc / total;
      meanx = mx;
      meany = my;
      count += o.count;
    }
  }
};

// Everything the (y, x) aggregates need; each finalizer reads its part.
struct PairState {
  CoMoment cov;
  Moments x, y;
  double sum_x = 0, sum_y = 0;
};

// corr(y, x) as DuckDB's CorrOperation::Finalize; NaN when a side is
// constant. `null` is set for no rows.
double Corr(const PairState& s, bool* null) {
  if (s.cov.count == 0) {
    *null = true;
    return 0;
  }
  const double cov = s.cov.co_moment / static_cast<double>(s.cov.count);
  const double std_x = s.x.count > 1 ? std::sqrt(s.x.dsquared / static_cast<double>(s.x.count)) : 0;
  if (!std::isfinite(std_x)) throw QueryError(ErrorKind::kOutOfRange, "STDDEV_POP for X is out of range!");
  const double std_y = s.y.count > 1 ? std::sqrt(s.y.dsquared / static_cast<double>(s.y.count)) : 0;
  if (!std::isfinite(std_y)) throw QueryError(ErrorKind::kOutOfRange, "STDDEV_POP for Y is out of range!");
  return std_x * std_y != 0 ? cov / (std_x * std_y) : NAN;
}

// regr_slope as DuckDB's RegrSlopeOperation: NaN when x is constant.
double Slope(const PairState& s, bool* null) {
  if (s.cov.count == 0) {
    *null = true;
    return 0;
  }
  const double cov = s.cov.co_moment / static_cast<double>(s.cov.count);
  const double var_pop = s.x.VarPop("VARPOP");
  return var_pop != 0 ? cov / var_pop : NAN;
}

class PairAggregateState final : public AggregateState {
 public:
  explicit PairAggregateState(AggregateKind kind) : kind_(kind) {}
  void Resize(size_t g) override { state_.resize(g); }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<PairAggregateState&>(other);
    for (size_t g = 0; g < n; ++g) {
      PairState& t = state_[map[g]];
      const PairState& s = o.state_[g];
      t.cov.Merge(s.cov);
      t.x.Merge(s.x);
      t.y.Merge(s.y);
      t.sum_x += s.sum_x;
      t.sum_y += s.sum_y;
    }
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& vy = a[0];
    const VectorView& vx = a[1];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || vy.IsNull(i) || vx.IsNull(i)) continue;
      const double y = vy.Double(i), x = vx.Double(i);
      PairState& s = state_[g];
      s.cov.Add(y, x);
      s.x.Add(x);
      s.y.Add(y);
      s.sum_x += x;
      s.sum_y += y;
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      const size_t i = g - b;
      const PairState& s = state_[g];
      const double count = static_cast<double>(s.cov.count);
      bool null = s.cov.count == 0;
      double r = 0;
      switch (kind_) {
        case K::kRegrCount:
          out->ints[i] = static_cast<int64_t>(s.cov.count);
          continue;
        case K::kCovarPop:
          if (!null) r = s.cov.co_moment / count;
          break;
        case K::kCovarSamp:
          null = s.cov.count < 2;
          if (!null) r = s.cov.co_moment / (count - 1);
          break;
        case K::kCorr:
          r = Corr(s, &null);
          break;
        case K::kRegrSlope:
          r = Slope(s, &null);
          break;
        case K::kRegrIntercept:
          if (!null) {
            r = Slope(s, &null);
            if (std::isnan(r)) {
              null = true;
            } else {
              r = s.sum_y / count - r * (s.sum_x / count);
            }
          }
          break;
        case K::kRegrR2: {
          const double var_x = s.x.VarPop("VARPOP(X)");
          if (var_x == 0) {
            null = true;
            break;
          }
          const double var_y = s.y.VarPop("VARPOP(Y)");
          if (var_y == 0) {
            r = 1;
            break;
          }
          r = std::pow(Corr(s, &null), 2);
          break;
        }
        case K::kRegrAvgX:
          if (!null) r = s.sum_x / count;
          break;
        case K::kRegrAvgY:
          if (!null) r = s.sum_y / count;
          break;
        case K::kRegrSxx:
          if (!null) r = count * s.x.VarPop("VARPOP");
          break;
        case K::kRegrSyy:
          if (!null) r = count * s.y.VarPop("VARPOP");
          break;
        case K::kRegrSxy:
          if (!null) r = count * (s.cov.co_moment / count);
          break;
        default:
          throw QueryError(ErrorKind::kInternal, "not a (y, x) aggregate");
      }
      if (null) {
        out->valid[i] = 0;
      } else {
        out->doubles[i] = r;
      }
    }
  }

 private:
  AggregateKind kind_;
  std::vector<PairState> state_;
};

// skewness, kurtosis, kurtosis_pop: power sums, as DuckDB's SkewState and
// KurtosisState.
struct PowerSums {
  uint64_t n = 0;
  double sum = 0, sum_sqr = 0, sum_cub = 0, sum_four = 0;
};

class MomentAggregateState final : public AggregateState {
 public:
  explicit MomentAggregateState(AggregateKind kind) : kind_(kind) {}
  void Resize(size_t g) override { state_.resize(g); }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<MomentAggregateState&>(other);
    for (size_t g = 0; g < n; ++g) {
      PowerSums& t = state_[map[g]];
      const PowerSums& s = o.state_[g];
      if (s.n == 0) continue;
      t.n += s.n;
      t.sum += s.sum;
      t.sum_sqr += s.sum_sqr;
      t.sum_cub += s.sum_cub;
      t.sum_four += s.sum_four;
    }
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    const bool kurtosis = kind_ != K::kSkewness;
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      const double x = v.Double(i);
      PowerSums& s = state_[g];
      ++s.n;
      s.sum += x;
      s.sum_sqr += std::pow(x, 2);
      s.sum_cub += std::pow(x, 3);
      if (kurtosis) s.sum_four += std::pow(x, 4);
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      const size_t i = g - b;
      bool null = false;
      const double r = kind_ == K::kSkewness ? Skewness(state_[g], &null) : Kurtosis(state_[g], &null);
      if (null) {
        out->valid[i] = 0;
      } else {
        out->doubles[i] = r;
      }
    }
  }

 private:
  static double Skewness(const PowerSums& s, bool* null) {
    if (s.n <= 2) {
      *null = true;
      return 0;
    }
    const double n = static_cast<double>(s.n);
    const double temp = 1 / n;
    double p = std::pow(temp * (s.sum_sqr - s.sum * s.sum * temp), 3);
    if (p < 0) p = 0;
    const double div = std::sqrt(p);
    if (div == 0) return NAN;
    const double temp1 = std::sqrt(n * (n - 1)) / (n - 2);
    const double r = temp1 * temp *
                     (s.sum_cub - 3 * s.sum_sqr * s.sum * temp + 2 * std::pow(s.sum, 3) * temp * temp) /
                     div;
    if (!std::isfinite(r)) throw QueryError(ErrorKind::kOutOfRange, "SKEW is out of range!");
    return r;
  }

  double Kurtosis(const PowerSums& s, bool* null) const {
    const double n = static_cast<double>(s.n);
    const bool bias_corrected = kind_ == K::kKurtosis;
    if (n <= 1 || (bias_corrected && n <= 3)) {
      *null = true;
      return 0;
    }
    const double temp = 1 / n;
    const long double temp_aux = 1 / n;
    if (s.sum_sqr - s.sum * s.sum * temp == 0 ||
        static_cast<long double>(s.sum_sqr) - s.sum * s.sum * temp_aux == 0) {
      *null = true;
      return 0;
    }
    const double m4 = temp * (s.sum_four - 4 * s.sum_cub * s.sum * temp +
                              6 * s.sum_sqr * s.sum * s.sum * temp * temp -
                              3 * std::pow(s.sum, 4) * std::pow(temp, 3));
    const double m2 = temp * (s.sum_sqr - s.sum * s.sum * temp);
    if (m2 <= 0) {
      *null = true;
      return 0;
    }
    const double r = bias_corrected
                         ? (n - 1) * ((n + 1) * m4 / (m2 * m2) - 3 * (n - 1)) / ((n - 2) * (n - 3))
                         : m4 / (m2 * m2) - 3;
    if (!std::isfinite(r)) throw QueryError(ErrorKind::kOutOfRange, "Kurtosis is out of range!");
    return r;
  }

  AggregateKind kind_;
  std::vector<PowerSums> state_;
};

// product(x): NULL without a non-NULL value.
class ProductState final : public AggregateState {
 public:
  void Resize(size_t g) override {
    value_.resize(g, 1);
    has_.resize(g, 0);
  }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<ProductState&>(other);
    for (size_t g = 0; g < n; ++g) {
      value_[map[g]] *= o.value_[g];
      has_[map[g]] |= o.has_[g];
    }
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      value_[g] *= v.Double(i);
      has_[g] = 1;
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      if (has_[g]) {
        out->doubles[g - b] = value_[g];
      } else {
        out->valid[g - b] = 0;
      }
    }
  }

 private:
  std::vector<double> value_;
  std::vector<uint8_t> has_;
};

}  // namespace

std::unique_ptr<AggregateState> MakeStatisticalAggregateState(AggregateKind kind) {
  switch (kind) {
    case K::kSkewness:
    case K::kKurtosis:
    case K::kKurtosisPop:
      return std::make_unique<MomentAggregateState>(kind);
    case K::kProduct:
      return std::make_unique<ProductState>();
    default:
      return std::make_unique<PairAggregateState>(kind);
  }
}

}  // namespace tsl::query
