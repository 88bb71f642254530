// Numeric scalar functions with DuckDB's names and NULL handling: sign,
// mod, log2, log (base 10, or log(b, x)), trigonometry (sin, cos, tan, cot,
// asin, acos, atan, atan2), pi, degrees, radians, cbrt, trunc, isnan,
// isinf, isfinite, random/setseed (a per-thread generator), and greatest/least over any number of arguments (NULLs
// ignored; NULL only when every argument is NULL). Thread-safety: pure
// functions.
#include <cmath>
#include <random>

#include "formats/double_order.h"
#include "query/common/query_error.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

using Args = std::vector<VectorView>;

double Log2(double x) { return std::log2(x); }
double Log10(double x) { return std::log10(x); }
double Sin(double x) { return std::sin(x); }
double Cos(double x) { return std::cos(x); }
double Tan(double x) { return std::tan(x); }
double Cot(double x) { return 1.0 / std::tan(x); }
double Atan(double x) { return std::atan(x); }
double Degrees(double x) { return x * 180.0 / M_PI; }
double Radians(double x) { return x * M_PI / 180.0; }
double Cbrt(double x) { return std::cbrt(x); }
double Trunc(double x) { return std::trunc(x); }

template <bool kAsin>
void InverseSine(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const double x = a[0].Double(i);
    if (x < -1 || x > 1) {
      throw QueryError(ErrorKind::kInvalidInput, std::string(kAsin ? "ASIN" : "ACOS") +
                                                     " is undefined outside [-1,1]");
    }
    out->doubles[i] = kAsin ? std::asin(x) : std::acos(x);
  });
}

void Atan2(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->doubles[i] = std::atan2(a[0].Double(i), a[1].Double(i)); });
}

void LogBase(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    out->doubles[i] = std::log(a[1].Double(i)) / std::log(a[0].Double(i));
  });
}

void Pi(const Args&, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  for (size_t i = 0; i < n; ++i) out->doubles[i] = M_PI;
}

// random(): uniform in [0, 1), per thread; setseed(x) (x in [-1, 1])
// restarts the calling thread's sequence, as DuckDB's does per connection.
std::mt19937_64& RandomEngine() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

void Random(const Args&, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (size_t i = 0; i < n; ++i) out->doubles[i] = uniform(RandomEngine());
}

void SetSeed(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, TypeId::kNull, n);
  for (size_t i = 0; i < n; ++i) {
    out->valid[i] = 0;
    if (a[0].IsNull(i)) continue;
    const double seed = a[0].Double(i);
    if (!(seed >= -1.0 && seed <= 1.0)) {
      throw QueryError(ErrorKind::kInvalidInput,
                       "SETSEED accepts seed values between -1.0 and 1.0, inclusive");
    }
    RandomEngine().seed(static_cast<uint64_t>((seed + 1.0) * 0.5 * 4294967295.0));
  }
}

void SignInt(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kInt, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t x = a[0].Int(i);
    out->ints[i] = (x > 0) - (x < 0);
  });
}

void SignDouble(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kInt, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const double x = a[0].Double(i);
    out->ints[i] = (x > 0) - (x < 0);
  });
}

// mod(a, b) = a % b: the sign of a; NULL for a zero divisor (as DuckDB's %).
void ModInt(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, a[0].vec->type, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t y = a[1].Int(i);
    if (y == 0) {
      out->valid[i] = 0;
    } else {
      out->ints[i] = y == -1 ? 0 : a[0].Int(i) % y;
    }
  });
}

void ModDouble(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const double y = a[1].Double(i);
    if (y == 0) {
      out->valid[i] = 0;
    } else {
      out->doubles[i] = std::fmod(a[0].Double(i), y);
    }
  });
}

template <int kTest>  // 0 isnan, 1 isinf, 2 isfinite
void FloatTest(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBool, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const double x = a[0].Double(i);
    out->ints[i] = kTest == 0 ? std::isnan(x) : kTest == 1 ? std::isinf(x) : std::isfinite(x);
  });
}

// greatest / least: T picks the physical array.
template <bool kGreatest, typename Get>
void Extreme(const Args& a, size_t n, ColumnVector* out, TypeId type, Get get) {
  PrepareOutput(out, type, n);
  for (size_t i = 0; i < n; ++i) {
    int best = -1;
    for (size_t k = 0; k < a.size(); ++k) {
      if (a[k].IsNull(i)) continue;
      if (best < 0 || (kGreatest ? OrderLess(get(a[best], i), get(a[k], i))
                                  : OrderLess(get(a[k], i), get(a[best], i)))) {
        best = static_cast<int>(k);
      }
    }
    if (best < 0) {
      out->valid[i] = 0;
      continue;
    }
    const VectorView& v = a[best];
    switch (PhysicalClassOf(type)) {
      case PhysicalClass::kInt64:
        out->ints[i] = v.Int(i);
        break;
      case PhysicalClass::kDouble:
        out->doubles[i] = v.Double(i);
        break;
      case PhysicalClass::kString:
        out->strings[i] = v.String(i);
        break;
    }
  }
}

template <bool kGreatest>
void ExtremeAny(const Args& a, size_t n, ColumnVector* out) {
  const TypeId type = a[0].vec->type;
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64:
      Extreme<kGreatest>(a, n, out, type, [](const VectorView& v, size_t i) { return v.Int(i); });
      break;
    case PhysicalClass::kDouble:
      Extreme<kGreatest>(a, n, out, type,
                         [](const VectorView& v, size_t i) { return v.Double(i); });
      break;
    case PhysicalClass::kString:
      Extreme<kGreatest>(a, n, out, type,
                         [](const VectorView& v, size_t i) -> const std::string& {
                           return v.String(i);
                         });
      break;
  }
}

}  // namespace

void AddMathFunctions(std::vector<ScalarFunction>* f) {
  f->insert(f->end(), {
      {"sign", {kBig}, kInt, SignInt},
      {"sign", {kDbl}, kInt, SignDouble},
      {"mod", {kInt, kInt}, kInt, ModInt},
      {"mod", {kBig, kBig}, kBig, ModInt},
      {"mod", {kDbl, kDbl}, kDbl, ModDouble},
      {"log2", {kDbl}, kDbl, UnaryDouble<Log2>},
      {"log", {kDbl}, kDbl, UnaryDouble<Log10>},
      {"log", {kDbl, kDbl}, kDbl, LogBase},
      {"sin", {kDbl}, kDbl, UnaryDouble<Sin>},
      {"cos", {kDbl}, kDbl, UnaryDouble<Cos>},
      {"tan", {kDbl}, kDbl, UnaryDouble<Tan>},
      {"cot", {kDbl}, kDbl, UnaryDouble<Cot>},
      {"asin", {kDbl}, kDbl, InverseSine<true>},
      {"acos", {kDbl}, kDbl, InverseSine<false>},
      {"atan", {kDbl}, kDbl, UnaryDouble<Atan>},
      {"atan2", {kDbl, kDbl}, kDbl, Atan2},
      {"pi", {}, kDbl, Pi},
      {"random", {}, kDbl, Random, kScalarVolatile},
      {"setseed", {kDbl}, TypeId::kNull, SetSeed, kScalarVolatile},
      {"degrees", {kDbl}, kDbl, UnaryDouble<Degrees>},
      {"radians", {kDbl}, kDbl, UnaryDouble<Radians>},
      {"cbrt", {kDbl}, kDbl, UnaryDouble<Cbrt>},
      {"trunc", {kDbl}, kDbl, UnaryDouble<Trunc>},
      {"isnan", {kDbl}, kBool, FloatTest<0>},
      {"isinf", {kDbl}, kBool, FloatTest<1>},
      {"isfinite", {kDbl}, kBool, FloatTest<2>},
  });
  for (TypeId t : {kInt, kBig, kDbl, kStr, kTs, kBool, kIvl}) {
    f->push_back({"greatest", {t}, t, ExtremeAny<true>, kScalarVariadic});
    f->push_back({"least", {t}, t, ExtremeAny<false>, kScalarVariadic});
  }
}

}  // namespace tsl::query
