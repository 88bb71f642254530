// DuckDB's total order of DOUBLE values, shared by every comparison (the
// vectorized =/</> kernels, min/max, greatest/least, sorting aggregates,
// Value::Compare, zone maps): NaN equals NaN and is greater than every
// other value, +inf included; -0.0 equals 0.0 (IEEE already says so).
// IEEE's own rules (NaN unordered, NaN != NaN) would make `v > 99.5` skip
// a NaN that ORDER BY puts last, and min() depend on the input order.
// Thread-safety: pure functions.
#pragma once

#include <cmath>
#include <type_traits>

namespace tsl {

inline bool DoubleLess(double a, double b) { return std::isnan(b) ? !std::isnan(a) : a < b; }
inline bool DoubleEqual(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// `a < b` under the total order above for doubles, operator< otherwise.
template <typename T>
inline bool OrderLess(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>)
    return DoubleLess(static_cast<double>(a), static_cast<double>(b));
  else
    return a < b;
}

template <typename T>
inline bool OrderEqual(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>)
    return DoubleEqual(static_cast<double>(a), static_cast<double>(b));
  else
    return a == b;
}

}  // namespace tsl
