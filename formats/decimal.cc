// DECIMAL(p,s) as scaled int64. See decimal.h.
#include "formats/decimal.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tsl {
namespace {

// Type code of DECIMAL(w, s): decimals are numbered width by width, each
// width w holding scales 0..w, so (w-1)(w+2)/2 codes come before width w.
int DecimalIndex(int width, int scale) { return (width - 1) * (width + 2) / 2 + scale; }

std::string TypeText(TypeId t) { return std::string(TypeName(t)); }

Status ConvertStringError(std::string_view text, TypeId type) {
  return Status::InvalidArgument("Could not convert string \"" + std::string(text) + "\" to " +
                                 TypeText(type));
}

}  // namespace

int64_t Pow10(int n) {
  static constexpr int64_t kPow[19] = {1LL,
                                       10LL,
                                       100LL,
                                       1000LL,
                                       10000LL,
                                       100000LL,
                                       1000000LL,
                                       10000000LL,
                                       100000000LL,
                                       1000000000LL,
                                       10000000000LL,
                                       100000000000LL,
                                       1000000000000LL,
                                       10000000000000LL,
                                       100000000000000LL,
                                       1000000000000000LL,
                                       10000000000000000LL,
                                       100000000000000000LL,
                                       1000000000000000000LL};
  return kPow[n];
}

Result<TypeId> MakeDecimalType(int64_t width, int64_t scale) {
  if (width < 1 || width > 38)
    return Status::InvalidArgument("DECIMAL type width must be between 1 and 38");
  if (scale < 0 || scale > width)
    return Status::InvalidArgument("DECIMAL type scale cannot be greater than width");
  if (width > kMaxDecimalWidth)
    return Status::InvalidArgument("DECIMAL(" + std::to_string(width) + "," + std::to_string(scale) +
                                   "): tslake stores DECIMAL in 64 bits, so the width is at most 18 "
                                   "(DuckDB's 128-bit DECIMAL(19..38) is not supported)");
  return DecimalType(static_cast<int>(width), static_cast<int>(scale));
}

TypeId DecimalType(int width, int scale) {
  return static_cast<TypeId>(kDecimalCodeFirst + DecimalIndex(width, scale));
}

int DecimalWidth(TypeId t) {
  const int index = static_cast<int>(t) - kDecimalCodeFirst;
  int w = 1;
  while (DecimalIndex(w + 1, 0) <= index) ++w;
  return w;
}

int DecimalScale(TypeId t) {
  return static_cast<int>(t) - kDecimalCodeFirst - DecimalIndex(DecimalWidth(t), 0);
}

std::string FormatDecimal(int64_t raw, int scale) {
  const bool neg = raw < 0;
  // |INT64_MIN| does not fit int64; decimals never reach it (|raw| < 10^18).
  const uint64_t mag = neg ? 0 - static_cast<uint64_t>(raw) : static_cast<uint64_t>(raw);
  std::string digits = std::to_string(mag);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale))
      digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<size_t>(scale), 1, '.');
  }
  return neg ? "-" + digits : digits;
}

bool DecimalFits(int64_t raw, int width) {
  const int64_t limit = Pow10(width);
  return raw < limit && raw > -limit;
}

Result<int64_t> ParseDecimal(std::string_view text, TypeId type) {
  const int width = DecimalWidth(type), scale = DecimalScale(type);
  size_t i = 0, n = text.size();
  while (i < n && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  while (n > i && std::isspace(static_cast<unsigned char>(text[n - 1]))) --n;
  bool neg = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
  std::string digits;  // significant digits; value = digits * 10^exp10
  int64_t exp10 = 0;
  bool any = false, point = false;
  for (; i < n; ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      any = true;
      if (!(digits.empty() && c == '0')) digits += c;
      if (point) --exp10;
      if (digits.size() > 60) return ConvertStringError(text, type);
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!any) return ConvertStringError(text, type);
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) eneg = text[i++] == '-';
    if (i == n) return ConvertStringError(text, type);
    int64_t e = 0;
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
      e = e * 10 + (text[i] - '0');
      if (e > 1000) return ConvertStringError(text, type);
    }
    exp10 += eneg ? -e : e;
  }
  if (i != n) return ConvertStringError(text, type);
  const int64_t shift = exp10 + scale;  // raw = digits * 10^shift
  __int128 raw = 0;
  if (shift >= 0) {
    if (static_cast<int64_t>(digits.size()) + shift > width) {
      if (!digits.empty()) return ConvertStringError(text, type);
    }
    for (char c : digits) raw = raw * 10 + (c - '0');
    for (int64_t k = 0; k < shift && raw != 0; ++k) raw *= 10;
  } else {
    const int64_t keep = static_cast<int64_t>(digits.size()) + shift;
    if (keep > 19) return ConvertStringError(text, type);
    for (int64_t k = 0; k < keep; ++k) raw = raw * 10 + (digits[static_cast<size_t>(k)] - '0');
    if (keep >= 0 && keep < static_cast<int64_t>(digits.size()) &&
        digits[static_cast<size_t>(keep)] >= '5')
      ++raw;
  }
  if (raw >= Pow10(width)) return ConvertStringError(text, type);
  return static_cast<int64_t>(neg ? -raw : raw);
}

Result<int64_t> DoubleToDecimal(double d, TypeId type) {
  const double r = std::round(d * static_cast<double>(Pow10(DecimalScale(type))));
  const double limit = static_cast<double>(Pow10(DecimalWidth(type)));
  if (!(r < limit && r > -limit)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%f", d);
    return Status::InvalidArgument(std::string("Could not cast value ") + buf + " to " +
                                   TypeText(type));
  }
  return static_cast<int64_t>(r);
}

Result<int64_t> IntegerToDecimal(int64_t v, TypeId type) {
  const int width = DecimalWidth(type), scale = DecimalScale(type);
  const int64_t limit = Pow10(width - scale);
  if (v >= limit || v <= -limit)
    return Status::InvalidArgument("Could not cast value " + std::to_string(v) + " to " +
                                   TypeText(type));
  return v * Pow10(scale);
}

Result<int64_t> RescaleDecimal(int64_t raw, TypeId from, TypeId to) {
  const int fs = DecimalScale(from), ts = DecimalScale(to);
  __int128 r = raw;
  if (ts >= fs) {
    r *= Pow10(ts - fs);
  } else {
    const int64_t div = Pow10(fs - ts);
    __int128 q = r / div, rem = r % div;
    if (rem * 2 >= div) ++q;
    if (rem * 2 <= -div) --q;
    r = q;
  }
  if (r >= Pow10(DecimalWidth(to)) || r <= -Pow10(DecimalWidth(to)))
    return Status::InvalidArgument("Casting value \"" + FormatDecimal(raw, fs) + "\" to type " +
                                   TypeText(to) + " failed: value is out of range!");
  return static_cast<int64_t>(r);
}

int64_t DecimalToInteger(int64_t raw, int scale) {
  if (scale == 0) return raw;
  const int64_t div = Pow10(scale);
  int64_t q = raw / div, rem = raw % div;
  if (rem * 2 >= div) ++q;
  if (rem * 2 <= -div) --q;
  return q;
}

double DecimalToDouble(int64_t raw, int scale) {
  return static_cast<double>(raw) / static_cast<double>(Pow10(scale));
}

}  // namespace tsl
