// More of DuckDB's numeric scalar functions: hyperbolic functions (sinh,
// cosh, tanh, asinh, acosh, atanh), gamma/lgamma/factorial, gcd/lcm (and
// their long names), even, nextafter, signbit, bit_count, xor and the
// bitwise operators & | << >> ~ (on INTEGER or BIGINT, the result the
// operands' type), with DuckDB's errors for arguments outside their domain. factorial returns
// BIGINT (DuckDB: HUGEINT; past 20! is an Out of Range error here) and
// bit_count INTEGER (DuckDB: TINYINT), for tslake has neither type.
// Thread-safety: pure functions.
#include <cmath>
#include <cstdlib>
#include <limits>

#include "query/common/query_error.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

using Args = std::vector<VectorView>;

double Sinh(double x) { return std::sinh(x); }
double Cosh(double x) { return std::cosh(x); }
double Tanh(double x) { return std::tanh(x); }
double Asinh(double x) { return std::asinh(x); }
double Acosh(double x) { return std::acosh(x); }  // NaN below 1, as DuckDB

double Atanh(double x) {
  if (x < -1 || x > 1) throw QueryError(ErrorKind::kInvalidInput, "ATANH is undefined outside [-1,1]");
  return std::atanh(x);
}

double Gamma(double x) {
  if (x == 0) throw QueryError(ErrorKind::kOutOfRange, "cannot take gamma of zero");
  return std::tgamma(x);
}

double Lgamma(double x) {
  if (x == 0) throw QueryError(ErrorKind::kOutOfRange, "cannot take log gamma of zero");
  return std::lgamma(x);
}

// even(x): rounded away from zero to the next even integer.
double Even(double x) {
  double v = x >= 0 ? std::ceil(x) : std::ceil(-x);
  if (std::fmod(v, 2) != 0) v += 1;
  return x >= 0 ? v : -v;
}

void Factorial(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t x = a[0].Int(i);
    if (x < 0) {
      throw QueryError(ErrorKind::kOutOfRange, "factorial of a negative number is undefined");
    }
    if (x > 20) {
      throw QueryError(ErrorKind::kOutOfRange,
                       "factorial(" + std::to_string(x) + ") is out of range for BIGINT");
    }
    int64_t r = 1;
    for (int64_t k = 2; k <= x; ++k) r *= k;
    out->ints[i] = r;
  });
}

// Euclid's algorithm on magnitudes (unsigned, so INT64_MIN is fine).
uint64_t Gcd(uint64_t x, uint64_t y) {
  while (y != 0) {
    const uint64_t t = x % y;
    x = y;
    y = t;
  }
  return x;
}

uint64_t Magnitude(int64_t v) {
  return v < 0 ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
}

void GcdKernel(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const uint64_t g = Gcd(Magnitude(a[0].Int(i)), Magnitude(a[1].Int(i)));
    if (g > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      throw QueryError(ErrorKind::kOutOfRange, "gcd value is out of range");
    }
    out->ints[i] = static_cast<int64_t>(g);
  });
}

void LcmKernel(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const uint64_t x = Magnitude(a[0].Int(i));
    const uint64_t y = Magnitude(a[1].Int(i));
    if (x == 0 || y == 0) {
      out->ints[i] = 0;
      return;
    }
    const unsigned __int128 l = static_cast<unsigned __int128>(x / Gcd(x, y)) * y;
    if (l > static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max())) {
      throw QueryError(ErrorKind::kOutOfRange, "lcm value is out of range");
    }
    out->ints[i] = static_cast<int64_t>(l);
  });
}

void NextAfter(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->doubles[i] = std::nextafter(a[0].Double(i), a[1].Double(i)); });
}

void SignBit(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBool, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = std::signbit(a[0].Double(i)) ? 1 : 0; });
}

// bit_count of the argument's own width: -1 has 32 bits set as INTEGER.
void BitCount(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kInt, n);
  const bool narrow = a[0].vec->type == kInt;
  ForEachValid(a, n, out, [&](size_t i) {
    uint64_t v = static_cast<uint64_t>(a[0].Int(i));
    if (narrow) v &= 0xffffffffULL;
    out->ints[i] = __builtin_popcountll(v);
  });
}

void Xor(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, a[0].vec->type, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = a[0].Int(i) ^ a[1].Int(i); });
}

void BitAnd(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, a[0].vec->type, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = a[0].Int(i) & a[1].Int(i); });
}

void BitOr(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, a[0].vec->type, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = a[0].Int(i) | a[1].Int(i); });
}

void BitNot(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, a[0].vec->type, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = ~a[0].Int(i); });
}

int BitWidth(const VectorView& v) { return v.vec->type == kInt ? 32 : 64; }

// DuckDB's BitwiseShiftLeftOperator: a negative value or shift is an error,
// a shift past the width is one unless the value is 0, and a result that
// would not fit (or reach the sign bit) is an overflow.
void ShiftLeft(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, a[0].vec->type, n);
  const int width = BitWidth(a[0]);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t value = a[0].Int(i), shift = a[1].Int(i);
    if (value < 0) {
      throw QueryError(ErrorKind::kOutOfRange,
                       "Cannot left-shift negative number " + std::to_string(value));
    }
    if (shift < 0) {
      throw QueryError(ErrorKind::kOutOfRange,
                       "Cannot left-shift by negative number " + std::to_string(shift));
    }
    if (shift >= width) {
      if (value == 0) {
        out->ints[i] = 0;
        return;
      }
      throw QueryError(ErrorKind::kOutOfRange,
                       "Left-shift value " + std::to_string(shift) + " is out of range");
    }
    if (shift > 0 && static_cast<uint64_t>(value) >= (uint64_t{1} << (width - shift - 1))) {
      throw QueryError(ErrorKind::kOutOfRange, "Overflow in left shift (" + std::to_string(value) +
                                                   " << " + std::to_string(shift) + ")");
    }
    out->ints[i] = value << shift;
  });
}

// DuckDB's BitwiseShiftRightOperator: arithmetic; a shift outside
// [0, width) gives 0 (even for a negative value).
void ShiftRight(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, a[0].vec->type, n);
  const int width = BitWidth(a[0]);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t shift = a[1].Int(i);
    out->ints[i] = shift < 0 || shift >= width ? 0 : a[0].Int(i) >> shift;
  });
}

}  // namespace

void AddMoreMathFunctions(std::vector<ScalarFunction>* out) {
  const ScalarFunction functions[] = {
      {"sinh", {kDbl}, kDbl, UnaryDouble<Sinh>},
      {"cosh", {kDbl}, kDbl, UnaryDouble<Cosh>},
      {"tanh", {kDbl}, kDbl, UnaryDouble<Tanh>},
      {"asinh", {kDbl}, kDbl, UnaryDouble<Asinh>},
      {"acosh", {kDbl}, kDbl, UnaryDouble<Acosh>},
      {"atanh", {kDbl}, kDbl, UnaryDouble<Atanh>},
      {"gamma", {kDbl}, kDbl, UnaryDouble<Gamma>},
      {"lgamma", {kDbl}, kDbl, UnaryDouble<Lgamma>},
      {"even", {kDbl}, kDbl, UnaryDouble<Even>},
      {"factorial", {kBig}, kBig, Factorial},
      {"gcd", {kBig, kBig}, kBig, GcdKernel},
      {"greatest_common_divisor", {kBig, kBig}, kBig, GcdKernel},
      {"lcm", {kBig, kBig}, kBig, LcmKernel},
      {"least_common_multiple", {kBig, kBig}, kBig, LcmKernel},
      {"nextafter", {kDbl, kDbl}, kDbl, NextAfter},
      {"signbit", {kDbl}, kBool, SignBit},
      {"bit_count", {kInt}, kInt, BitCount},
      {"bit_count", {kBig}, kInt, BitCount},
      {"xor", {kInt, kInt}, kInt, Xor},
      {"xor", {kBig, kBig}, kBig, Xor},
      // The operators' names, as DuckDB registers them ("&"(5, 3) works).
      {"&", {kInt, kInt}, kInt, BitAnd},
      {"&", {kBig, kBig}, kBig, BitAnd},
      {"|", {kInt, kInt}, kInt, BitOr},
      {"|", {kBig, kBig}, kBig, BitOr},
      {"~", {kInt}, kInt, BitNot},
      {"~", {kBig}, kBig, BitNot},
      {"<<", {kInt, kInt}, kInt, ShiftLeft},
      {"<<", {kBig, kBig}, kBig, ShiftLeft},
      {">>", {kInt, kInt}, kInt, ShiftRight},
      {">>", {kBig, kBig}, kBig, ShiftRight},
  };
  out->insert(out->end(), std::begin(functions), std::end(functions));
}

}  // namespace tsl::query
