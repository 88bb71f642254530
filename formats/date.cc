// DATE text and conversions. See date.h. The parser follows DuckDB's
// Date::TryConvertDate (src/common/types/date.cpp) so the same strings are
// accepted and rejected with the same messages. Every field is range
// checked before it is combined, so no input can overflow.
// Thread-safety: pure functions.
#include "formats/date.h"

#include <cctype>
#include <cstdint>
#include <cstdio>

#include "formats/timestamp.h"

namespace tsl {
namespace {

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

Status FormatError(std::string_view text) {
  return Status::InvalidArgument("invalid date field format: \"" + std::string(text) +
                                 "\", expected format is (YYYY-MM-DD)");
}

Status RangeError(std::string_view text) {
  return Status::InvalidArgument("date field value out of range: \"" + std::string(text) + "\"");
}

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// One or two digits, as DuckDB's ParseDoubleDigit.
bool DoubleDigit(std::string_view s, size_t* pos, int64_t* out) {
  if (*pos >= s.size() || !IsDigit(s[*pos])) return false;
  *out = s[(*pos)++] - '0';
  if (*pos < s.size() && IsDigit(s[*pos])) *out = *out * 10 + (s[(*pos)++] - '0');
  return true;
}

// Case-insensitive match of `word` at *pos.
bool ConsumeWord(std::string_view s, size_t* pos, std::string_view word) {
  if (s.size() - *pos < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[*pos + i])) != word[i]) return false;
  *pos += word.size();
  return true;
}

}  // namespace

const char* DateRangeText() { return "5877642-06-25 (BC) to 5881580-07-10"; }

Result<int64_t> ParseDate(std::string_view s, bool strict) {
  size_t pos = 0;
  while (pos < s.size() && IsSpace(s[pos])) ++pos;
  if (pos >= s.size()) return FormatError(s);
  bool negative = false;
  if (s[pos] == '-') {
    negative = true;
    if (++pos >= s.size()) return FormatError(s);
  }
  if (!IsDigit(s[pos])) {
    // DuckDB's special values; only 'epoch' has a finite day here.
    if (!negative && ConsumeWord(s, &pos, "epoch")) {
      while (pos < s.size() && IsSpace(s[pos])) ++pos;
      if (pos == s.size()) return int64_t{0};
      return FormatError(s);
    }
    size_t p = pos;
    if (ConsumeWord(s, &p, "infinity") || ConsumeWord(s, &p, "inf"))
      return Status::InvalidArgument("date field value out of range: \"" + std::string(s) +
                                     "\" (infinite dates are not supported)");
    return FormatError(s);
  }
  int64_t year = 0;
  size_t year_digits = 0;
  for (; pos < s.size() && IsDigit(s[pos]); ++pos, ++year_digits) {
    if (year >= 100000000) return RangeError(s);
    year = year * 10 + (s[pos] - '0');
  }
  if (year_digits < 2 && strict) return FormatError(s);
  if (negative) year = -year;
  if (pos >= s.size()) return FormatError(s);
  const char sep = s[pos++];
  if (sep != ' ' && sep != '-' && sep != '/' && sep != '\\') return FormatError(s);
  int64_t month = 0, day = 0;
  if (!DoubleDigit(s, &pos, &month)) return FormatError(s);
  if (pos >= s.size() || s[pos++] != sep || pos >= s.size()) return FormatError(s);
  if (!DoubleDigit(s, &pos, &day)) return FormatError(s);
  if (s.size() - pos >= 5 && IsSpace(s[pos]) && s[pos + 1] == '(' &&
      std::tolower(static_cast<unsigned char>(s[pos + 2])) == 'b' &&
      std::tolower(static_cast<unsigned char>(s[pos + 3])) == 'c' && s[pos + 4] == ')') {
    if (negative || year == 0) return FormatError(s);
    year = 1 - year;
    pos += 5;
  }
  if (strict) {
    while (pos < s.size() && IsSpace(s[pos])) ++pos;
    if (pos < s.size()) return FormatError(s);
  } else if (pos < s.size() && IsDigit(s[pos])) {
    return FormatError(s);
  }
  static constexpr int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return RangeError(s);
  const int64_t dim = (month == 2 && IsLeapYear(year)) ? 29 : kDays[month - 1];
  if (day > dim) return RangeError(s);
  // |year| < 1e8 keeps the day count far inside int64.
  const int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  if (!IsValidDate(days)) return RangeError(s);
  return days;
}

std::string FormatDate(int64_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u%s", static_cast<long long>(y <= 0 ? 1 - y : y), m,
                d, y <= 0 ? " (BC)" : "");
  return buf;
}

std::string FormatDateIso(int64_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[40];
  if (y < 0) {
    std::snprintf(buf, sizeof buf, "-%04lld-%02u-%02u", static_cast<long long>(-y), m, d);
  } else if (y > 9999) {
    std::snprintf(buf, sizeof buf, "+%lld-%02u-%02u", static_cast<long long>(y), m, d);
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  }
  return buf;
}

Result<int64_t> ParseDateIso(std::string_view text) {
  // ParseDate reads a '-' year as astronomical; '+' is only ISO's marker.
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  return ParseDate(text, /*strict=*/true);
}

Result<int64_t> DateToTimestamp(int64_t days) {
  const __int128 micros = static_cast<__int128>(days) * kMicrosPerDay;
  if (!IsValidTimestamp(micros))
    return Status::InvalidArgument("Type DATE with value " + FormatDate(days) +
                                   " can't be cast because the value is out of range for the "
                                   "destination type TIMESTAMP (supported: " +
                                   TimestampRangeText() + ")");
  return static_cast<int64_t>(micros);
}

int64_t DateToTimestampForComparison(int64_t days) {
  const __int128 micros = static_cast<__int128>(days) * kMicrosPerDay;
  if (micros > kMaxTimestampMicros) return INT64_MAX;
  if (micros < kMinTimestampMicros) return kMinTimestampMicros - 1;
  return static_cast<int64_t>(micros);
}

int64_t TimestampToDate(int64_t micros) {
  const int64_t q = micros / kMicrosPerDay;
  return (micros % kMicrosPerDay < 0) ? q - 1 : q;
}

}  // namespace tsl
