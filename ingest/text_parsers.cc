// Strict text parsers for ingest readers. See text_parsers.h.
#include "ingest/text_parsers.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "formats/bool_text.h"
#include "formats/date.h"
#include "formats/decimal.h"
#include "formats/scalar_text.h"
#include "formats/timestamp.h"

namespace tsl {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsLower(std::string_view text, std::string_view lower_word) {
  if (text.size() != lower_word.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (LowerAscii(text[i]) != lower_word[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

bool ParseInt64Text(std::string_view text, int64_t* out) {
  text = TrimBlanks(text);
  // from_chars takes '-' but not '+'; a lone sign is not a number.
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') return false;
  }
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

bool ParseDoubleText(std::string_view text, double* out) {
  text = TrimBlanks(text);
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') return false;
  }
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out, std::chars_format::general);
  // Out-of-range values (1e999) are errors rather than a silent inf.
  return ec == std::errc() && ptr == end;
}

bool LooksLikeBooleanWord(std::string_view text) {
  text = TrimBlanks(text);
  return EqualsLower(text, "true") || EqualsLower(text, "false");
}

bool ParseBooleanText(std::string_view text, bool* out) {
  std::optional<bool> b = ParseBoolText(TrimBlanks(text));
  if (b) *out = *b;
  return b.has_value();
}

namespace {

// The shape exports and tslake itself write, "YYYY-MM-DD HH:MM:SS" (or 'T')
// with up to 6 fractional digits and no zone, parsed without the general
// parser; the day number of the last date is cached, since consecutive
// rows nearly always share it. false: not this shape (the caller then runs
// the general parser, which also produces its error), never a wrong value.
bool ParseCommonTimestamp(std::string_view t, int64_t* out) {
  const size_t n = t.size();
  if (n < 19 || n > 26 || n == 20) return false;
  const char* p = t.data();
  auto digit = [&](size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(p[i]) - '0'); };
  auto two = [&](size_t i, unsigned* v) {
    const unsigned a = digit(i), b = digit(i + 1);
    *v = a * 10 + b;
    return a < 10 && b < 10;
  };
  unsigned y1, y2, mo, d, h, mi, s;
  if (!two(0, &y1) || !two(2, &y2) || p[4] != '-' || !two(5, &mo) || p[7] != '-' || !two(8, &d) ||
      (p[10] != ' ' && p[10] != 'T') || !two(11, &h) || p[13] != ':' || !two(14, &mi) ||
      p[16] != ':' || !two(17, &s))
    return false;
  int64_t micros = 0;
  if (n > 19) {
    if (p[19] != '.') return false;
    int64_t frac = 0;
    for (size_t i = 20; i < n; ++i) {
      const unsigned v = digit(i);
      if (v >= 10) return false;
      frac = frac * 10 + v;
    }
    for (size_t i = n; i < 26; ++i) frac *= 10;
    micros = frac;
  }
  const int64_t year = y1 * 100 + y2;
  if (year < 1000 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (d > kDays[mo - 1] + (mo == 2 && leap ? 1 : 0)) return false;
  thread_local int64_t cached_key = -1, cached_days = 0;
  const int64_t key = (year * 100 + mo) * 100 + d;
  if (key != cached_key) {
    cached_days = DaysFromCivil(year, mo, d);
    cached_key = key;
  }
  *out = cached_days * kMicrosPerDay + h * kMicrosPerHour + mi * kMicrosPerMinute +
         s * kMicrosPerSecond + micros;
  return true;
}

}  // namespace

bool ParseTimestampText(std::string_view text, int64_t* out) {
  if (ParseCommonTimestamp(text, out)) return true;
  text = TrimBlanks(text);
  // Every accepted form starts with a year and '-' (YYYY-MM-DD, also
  // "10000-01-01", "-0001-01-01", "+10000-01-01"); skip the full parser
  // (and its error Status allocation) for anything else, e.g. epoch numbers.
  if (text.size() < 8) return false;
  const size_t sign = (text[0] == '-' || text[0] == '+') ? 1 : 0;
  size_t digits = 0;
  while (sign + digits < text.size() && text[sign + digits] >= '0' && text[sign + digits] <= '9')
    ++digits;
  if (digits < (sign ? 1u : 4u) || digits > 6 || sign + digits >= text.size() ||
      text[sign + digits] != '-')
    return false;
  Result<int64_t> r = ParseTimestamp(text);
  if (!r.ok()) return false;
  *out = *r;
  return true;
}

bool TimestampTextHasOffset(std::string_view text) {
  bool had_offset = false;
  return ParseTimestamp(TrimBlanks(text), &had_offset).ok() && had_offset;
}

bool ParseDateText(std::string_view text, int64_t* days) {
  text = TrimBlanks(text);
  const size_t sign = !text.empty() && text[0] == '-' ? 1 : 0;
  size_t digits = 0;
  while (sign + digits < text.size() && text[sign + digits] >= '0' && text[sign + digits] <= '9')
    ++digits;
  if (digits < 4 || sign + digits >= text.size() || text[sign + digits] != '-') return false;
  Result<int64_t> r = ParseDate(text, /*strict=*/true);
  if (!r.ok()) return false;
  *days = *r;
  return true;
}

namespace {

// ParseTimestampOrEpoch before its range check; *out_of_range is set when
// the number is an epoch that does not fit int64 microseconds.
bool EpochToMicros(std::string_view text, EpochUnit unit, int64_t* out, bool* out_of_range) {
  text = TrimBlanks(text);
  if (ParseTimestampText(text, out)) return true;
  int64_t v;
  double d = 0;
  const bool integral = ParseInt64Text(text, &v);
  if (!integral) {
    if (!ParseDoubleText(text, &d) || !std::isfinite(d)) return false;
  } else {
    d = static_cast<double>(v);
  }
  if (unit == EpochUnit::kAuto) {
    const double a = std::fabs(d);
    unit = a < 1e11 ? EpochUnit::kSeconds
                    : a < 1e14 ? EpochUnit::kMillis
                               : a < 1e17 ? EpochUnit::kMicros : EpochUnit::kNanos;
  }
  if (!integral) {
    double micros = d;
    switch (unit) {
      case EpochUnit::kSeconds: micros = d * 1e6; break;
      case EpochUnit::kMillis: micros = d * 1e3; break;
      case EpochUnit::kMicros: break;
      default: micros = d / 1e3; break;
    }
    if (!(std::fabs(micros) < 9.2e18)) {
      if (out_of_range != nullptr) *out_of_range = true;
      return false;
    }
    *out = static_cast<int64_t>(std::floor(micros));
    return true;
  }
  int64_t mul = 1;
  switch (unit) {
    case EpochUnit::kSeconds: mul = 1000000; break;
    case EpochUnit::kMillis: mul = 1000; break;
    case EpochUnit::kMicros: break;
    default: {
      int64_t q = v / 1000;
      if (v % 1000 < 0) --q;
      *out = q;
      return true;
    }
  }
  if (v > std::numeric_limits<int64_t>::max() / mul || v < std::numeric_limits<int64_t>::min() / mul) {
    if (out_of_range != nullptr) *out_of_range = true;
    return false;
  }
  *out = v * mul;
  return true;
}

}  // namespace

bool ParseEpochUnitName(std::string_view name, EpochUnit* unit) {
  name = TrimBlanks(name);
  if (EqualsLower(name, "auto")) *unit = EpochUnit::kAuto;
  else if (EqualsLower(name, "s")) *unit = EpochUnit::kSeconds;
  else if (EqualsLower(name, "ms")) *unit = EpochUnit::kMillis;
  else if (EqualsLower(name, "us")) *unit = EpochUnit::kMicros;
  else if (EqualsLower(name, "ns")) *unit = EpochUnit::kNanos;
  else return false;
  return true;
}

bool ParseTimestampOrEpoch(std::string_view text, EpochUnit unit, int64_t* out,
                           bool* out_of_range) {
  if (out_of_range != nullptr) *out_of_range = false;
  int64_t micros;
  if (!EpochToMicros(text, unit, &micros, out_of_range)) return false;
  if (!IsValidTimestamp(micros)) {
    if (out_of_range != nullptr) *out_of_range = true;
    return false;
  }
  *out = micros;
  return true;
}

bool AppendParsedValue(std::string_view text, TypeId type, ColumnVector* column) {
  switch (type) {
    case TypeId::kVarchar:
      column->AppendString(std::string(text));
      return true;
    case TypeId::kBoolean: {
      bool b;
      if (!ParseBooleanText(text, &b)) return false;
      column->AppendInt(b ? 1 : 0);
      return true;
    }
    case TypeId::kInteger:
    case TypeId::kSmallint:
    case TypeId::kTinyint: {
      int64_t v;
      if (!ParseInt64Text(text, &v) || v < IntegralMin(type) || v > IntegralMax(type)) return false;
      column->AppendInt(v);
      return true;
    }
    case TypeId::kBigint: {
      int64_t v;
      if (!ParseInt64Text(text, &v)) return false;
      column->AppendInt(v);
      return true;
    }
    case TypeId::kDouble: {
      double d;
      if (!ParseDoubleText(text, &d)) return false;
      column->AppendDouble(d);
      return true;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: {  // an offset converts to UTC; none reads as UTC
      int64_t micros;
      if (!ParseTimestampText(text, &micros)) return false;
      column->AppendInt(micros);
      return true;
    }
    case TypeId::kInterval: {
      Result<int64_t> r = ParseInterval(TrimBlanks(text));
      if (!r.ok()) return false;
      column->AppendInt(*r);
      return true;
    }
    case TypeId::kDate: {
      Result<int64_t> r = ParseDate(TrimBlanks(text), /*strict=*/true);
      if (!r.ok()) return false;
      column->AppendInt(*r);
      return true;
    }
    case TypeId::kTime: {
      Result<int64_t> r = ParseTime(text);
      if (!r.ok()) return false;
      column->AppendInt(*r);
      return true;
    }
    case TypeId::kBlob: {  // DuckDB's text: \xHH escapes
      Result<std::string> r = ParseBlobText(text);
      if (!r.ok()) return false;
      column->AppendString(std::move(*r));
      return true;
    }
    case TypeId::kUuid: {
      Result<std::string> r = ParseUuid(TrimBlanks(text));
      if (!r.ok()) return false;
      column->AppendString(std::move(*r));
      return true;
    }
    case TypeId::kNull:
      return false;
    default:
      break;
  }
  if (IsDecimal(type)) {  // DuckDB's text -> DECIMAL (rounds half away from zero)
    Result<int64_t> r = ParseDecimal(text, type);
    if (!r.ok()) return false;
    column->AppendInt(*r);
    return true;
  }
  return false;
}

}  // namespace tsl
