// Timestamp and interval text conversion. See timestamp.h.
//
// All arithmetic on user-supplied fields is range-checked before it is
// combined, so no input text can overflow int64 (no UB on any input).
// Thread-safety: pure functions.
#include "formats/timestamp.h"

#include <cctype>
#include <cstdio>
#include <string>

#include "formats/interval.h"
#include "formats/types.h"

namespace tsl {
namespace {

// Astronomical years ParseTimestamp reads before the exact range check;
// wide enough for the supported range, narrow enough that the day count
// times kMicrosPerDay fits __int128 trivially.
constexpr int64_t kMinYear = -290309;
constexpr int64_t kMaxYear = 294247;

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && IsLeap(y)) ? 29 : kDays[m - 1];
}

// Floor division and modulo for negative micros (dates before 1970).
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
// a % b shifted into [0, b) for b > 0; no intermediate product, so it holds
// for every int64 (FloorDiv(INT64_MIN, day) * day would overflow).
int64_t FloorMod(int64_t a, int64_t b) {
  const int64_t r = a % b;
  return r < 0 ? r + b : r;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A cursor over the text being parsed.
struct Cursor {
  std::string_view s;
  size_t pos = 0;
  bool AtEnd() const { return pos >= s.size(); }
  char Peek() const { return AtEnd() ? '\0' : s[pos]; }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos;
    return true;
  }
  // Reads between min_digits and max_digits decimal digits.
  bool Digits(int min_digits, int max_digits, int64_t* out, int* count = nullptr) {
    int64_t v = 0;
    int n = 0;
    while (n < max_digits && !AtEnd() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      v = v * 10 + (s[pos] - '0');
      ++pos;
      ++n;
    }
    if (count) *count = n;
    *out = v;
    return n >= min_digits;
  }
};

Status BadTimestamp(std::string_view text, std::string_view why = {}) {
  std::string m = "\"";
  m += text;
  m += "\" is not a valid TIMESTAMP";
  if (!why.empty()) {
    m += ": ";
    m += why;
  } else {
    m += " (expected YYYY-MM-DD[ HH:MM:SS[.ffffff]])";
  }
  return Status::InvalidArgument(std::move(m));
}

std::string TwoDigits(int64_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", static_cast<int>(v));
  return buf;
}

// Appends ".f" (trailing zeros trimmed) when micros_of_second != 0.
void AppendFraction(int64_t micros_of_second, std::string* out) {
  if (micros_of_second == 0) return;
  char buf[16];
  std::snprintf(buf, sizeof buf, ".%06d", static_cast<int>(micros_of_second));
  std::string f = buf;
  while (f.back() == '0') f.pop_back();
  *out += f;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

namespace {

// Consumes " (BC)" (DuckDB's era suffix) when it comes next.
bool ConsumeBc(Cursor* c) {
  if (c->s.substr(c->pos, 5) != " (BC)") return false;
  c->pos += 5;
  return true;
}

}  // namespace

const char* TimestampRangeText() {
  return "290309-12-22 (BC) 00:00:00 to 294247-01-10 04:00:54.775806";
}

Result<int64_t> ParseTimestamp(std::string_view raw) {
  bool had_offset;
  return ParseTimestamp(raw, &had_offset);
}

Result<int64_t> ParseTimestamp(std::string_view raw, bool* had_offset) {
  *had_offset = false;
  std::string_view text = Trim(raw);
  Cursor c{text};
  int64_t year, month, day, hour = 0, minute = 0, second = 0, micros = 0;
  // ISO 8601 expanded years carry a sign ("+10000", "-0001"); a plain year
  // has 4 to 6 digits.
  int year_sign = 0;
  if (c.Peek() == '-' || c.Peek() == '+') {
    year_sign = c.Peek() == '-' ? -1 : 1;
    ++c.pos;
  }
  if (!c.Digits(year_sign != 0 ? 1 : 4, 6, &year) || !c.Consume('-') || !c.Digits(1, 2, &month) ||
      !c.Consume('-') || !c.Digits(1, 2, &day))
    return BadTimestamp(raw);
  if (year_sign < 0) year = -year;
  bool bc = ConsumeBc(&c);
  if (month < 1 || month > 12)
    return BadTimestamp(raw, "month " + std::to_string(month) + " is out of range (1-12)");
  if (c.Peek() == 'T' || c.Peek() == ' ') {
    ++c.pos;
    while (c.Peek() == ' ') ++c.pos;
    if (!c.Digits(1, 2, &hour) || !c.Consume(':') || !c.Digits(2, 2, &minute)) return BadTimestamp(raw);
    if (c.Consume(':')) {
      if (!c.Digits(2, 2, &second)) return BadTimestamp(raw);
      if (c.Consume('.')) {
        int n = 0;
        int64_t frac = 0;
        // Up to 9 digits; digits past microseconds are truncated.
        if (!c.Digits(1, 9, &frac, &n)) return BadTimestamp(raw);
        for (int i = n; i < 9; ++i) frac *= 10;
        micros = frac / 1000;
        if (std::isdigit(static_cast<unsigned char>(c.Peek()))) return BadTimestamp(raw, "more than 9 fractional digits");
      }
    }
    if (hour > 23) return BadTimestamp(raw, "hour " + std::to_string(hour) + " is out of range (0-23)");
    if (minute > 59) return BadTimestamp(raw, "minute " + std::to_string(minute) + " is out of range (0-59)");
    if (second > 59) return BadTimestamp(raw, "second " + std::to_string(second) + " is out of range (0-59)");
    // tslake before 2026-12 printed the era after the time.
    if (!bc) bc = ConsumeBc(&c);
  }
  if (bc) {
    // "0001 (BC)" is astronomical year 0; a signed or zero year has no era.
    if (year_sign != 0 || year == 0) return BadTimestamp(raw, "(BC) needs a year from 1");
    year = 1 - year;
  }
  if (year < kMinYear || year > kMaxYear)
    return BadTimestamp(raw, "timestamp field value out of range (supported: " +
                                 std::string(TimestampRangeText()) + ")");
  const unsigned dim = DaysInMonth(year, static_cast<unsigned>(month));
  if (day < 1 || day > dim)
    return BadTimestamp(raw, "day " + std::to_string(day) + " is out of range for " +
                                 std::to_string(year) + "-" + TwoDigits(month) + " (1-" +
                                 std::to_string(dim) + ")");
  // Optional zone: Z, UTC, +HH, +HHMM, +HH:MM (and '-').
  int64_t offset_micros = 0;
  while (c.Peek() == ' ') ++c.pos;
  if (c.Consume('Z') || c.Consume('z')) {
    *had_offset = true;
  } else if (text.substr(c.pos) == "UTC") {
    c.pos = text.size();
    *had_offset = true;
  } else if (c.Peek() == '+' || c.Peek() == '-') {
    *had_offset = true;
    const int sign = c.Peek() == '-' ? -1 : 1;
    ++c.pos;
    int64_t oh = 0, om = 0;
    if (!c.Digits(2, 2, &oh)) return BadTimestamp(raw, "bad UTC offset (expected +HH, +HHMM or +HH:MM)");
    if (!c.AtEnd()) {
      c.Consume(':');
      if (!c.Digits(2, 2, &om)) return BadTimestamp(raw, "bad UTC offset (expected +HH, +HHMM or +HH:MM)");
    }
    if (oh > 23 || om > 59) return BadTimestamp(raw, "UTC offset out of range");
    offset_micros = sign * (oh * kMicrosPerHour + om * kMicrosPerMinute);
  }
  if (!c.AtEnd()) return BadTimestamp(raw);
  const int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  // |days| < 1.1e8: the sum is computed exactly in 128 bits, then checked.
  const __int128 total = static_cast<__int128>(days) * kMicrosPerDay + hour * kMicrosPerHour +
                         minute * kMicrosPerMinute + second * kMicrosPerSecond + micros -
                         offset_micros;
  if (!IsValidTimestamp(total))
    return BadTimestamp(raw, "timestamp field value out of range (supported: " +
                                 std::string(TimestampRangeText()) + ")");
  return static_cast<int64_t>(total);
}

std::string FormatTimestamp(int64_t micros) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t rem = FloorMod(micros, kMicrosPerDay);
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[80];
  const int64_t h = rem / kMicrosPerHour;
  rem %= kMicrosPerHour;
  const int64_t mi = rem / kMicrosPerMinute;
  rem %= kMicrosPerMinute;
  const int64_t s = rem / kMicrosPerSecond;
  const int64_t us = rem % kMicrosPerSecond;
  // Proleptic year 0 is 1 BC; DuckDB puts the era right after the date:
  // "0001-12-31 (BC) 00:00:00".
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u%s %02d:%02d:%02d",
                static_cast<long long>(y <= 0 ? 1 - y : y), m, d, y <= 0 ? " (BC)" : "",
                static_cast<int>(h), static_cast<int>(mi), static_cast<int>(s));
  std::string out = buf;
  AppendFraction(us, &out);
  return out;
}

std::string FormatTimestampIso(int64_t micros) {
  const int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t rem = FloorMod(micros, kMicrosPerDay);
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  // ISO 8601 expanded years outside 0000-9999: "+10000", "-0001".
  char year[24];
  if (y < 0) {
    std::snprintf(year, sizeof year, "-%04lld", static_cast<long long>(-y));
  } else if (y > 9999) {
    std::snprintf(year, sizeof year, "+%lld", static_cast<long long>(y));
  } else {
    std::snprintf(year, sizeof year, "%04lld", static_cast<long long>(y));
  }
  char buf[80];
  std::snprintf(buf, sizeof buf, "%s-%02u-%02uT%02d:%02d:%02d.%06dZ", year, m, d,
                static_cast<int>(rem / kMicrosPerHour), static_cast<int>(rem / kMicrosPerMinute % 60),
                static_cast<int>(rem / kMicrosPerSecond % 60), static_cast<int>(rem % kMicrosPerSecond));
  return buf;
}

namespace {

Status BadInterval(std::string_view text, std::string_view why = {}) {
  std::string m = "\"";
  m += text;
  m += "\" is not a valid INTERVAL";
  m += why.empty() ? std::string(" (expected e.g. '1 hour', '90 minutes', '1 day 02:00:00')")
                   : ": " + std::string(why);
  return Status::InvalidArgument(std::move(m));
}

// Micros per unit for a unit word; 0 when unknown, -1 for month/year units.
int64_t UnitMicros(std::string_view u) {
  std::string w = ToLower(u);
  if (w == "us" || w == "usec" || w == "usecs" || w == "microsecond" || w == "microseconds") return 1;
  if (w == "ms" || w == "msec" || w == "msecs" || w == "millisecond" || w == "milliseconds") return 1000;
  if (w == "s" || w == "sec" || w == "secs" || w == "second" || w == "seconds") return kMicrosPerSecond;
  if (w == "m" || w == "min" || w == "mins" || w == "minute" || w == "minutes") return kMicrosPerMinute;
  if (w == "h" || w == "hr" || w == "hrs" || w == "hour" || w == "hours") return kMicrosPerHour;
  if (w == "d" || w == "day" || w == "days") return kMicrosPerDay;
  if (w == "w" || w == "week" || w == "weeks") return 7 * kMicrosPerDay;
  return 0;
}

// Months per unit for the calendar units (DuckDB's spellings), else 0.
int64_t UnitMonths(std::string_view u) {
  std::string w = ToLower(u);
  if (w == "mon" || w == "mons" || w == "month" || w == "months") return 1;
  if (w == "quarter" || w == "quarters") return 3;
  if (w == "y" || w == "year" || w == "years" || w == "yr" || w == "yrs") return 12;
  if (w == "decade" || w == "decades" || w == "dec" || w == "decs") return 120;
  if (w == "century" || w == "centuries" || w == "c" || w == "cent") return 1200;
  if (w == "millennium" || w == "millennia" || w == "millenniums" || w == "mil" || w == "mils")
    return 12000;
  return 0;
}

// Adds a * b to *acc, failing on int64 overflow.
bool AddProduct(int64_t a, int64_t b, int64_t* acc) {
  int64_t p;
  if (__builtin_mul_overflow(a, b, &p)) return false;
  return !__builtin_add_overflow(*acc, p, acc);
}

}  // namespace

Result<int64_t> ParseInterval(std::string_view raw) {
  std::string_view text = Trim(raw);
  if (!text.empty() && text.front() == '@') text = Trim(text.substr(1));
  if (text.empty()) return BadInterval(raw);
  int64_t total = 0;
  __int128 months = 0;
  size_t pos = 0;
  bool any = false;
  while (pos < text.size()) {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    if (pos >= text.size()) break;
    int sign = 1;
    if (text[pos] == '-' || text[pos] == '+') {
      sign = text[pos] == '-' ? -1 : 1;
      ++pos;
    }
    size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start) return BadInterval(raw);
    if (pos - start > 12) return BadInterval(raw, "number too large");
    int64_t whole = 0;  // at most 12 digits: no overflow
    for (size_t k = start; k < pos; ++k) whole = whole * 10 + (text[k] - '0');
    if (pos < text.size() && text[pos] == ':') {
      // HH:MM[:SS[.ffffff]]
      int64_t h = whole, mi = 0, s = 0, us = 0;
      Cursor c{text, pos + 1};
      if (!c.Digits(2, 2, &mi)) return BadInterval(raw);
      if (c.Consume(':')) {
        if (!c.Digits(2, 2, &s)) return BadInterval(raw);
        if (c.Consume('.')) {
          int n = 0;
          if (!c.Digits(1, 6, &us, &n)) return BadInterval(raw);
          for (int i = n; i < 6; ++i) us *= 10;
        }
      }
      if (mi > 59 || s > 59) return BadInterval(raw, "minutes and seconds must be 0-59");
      pos = c.pos;
      int64_t part = 0;
      if (!AddProduct(h, kMicrosPerHour, &part) || !AddProduct(mi, kMicrosPerMinute, &part) ||
          !AddProduct(s, kMicrosPerSecond, &part) || !AddProduct(us, 1, &part) ||
          !AddProduct(part, sign, &total))
        return BadInterval(raw, "out of range");
      any = true;
      continue;
    }
    // Optional fraction: "1.5 hours".
    int64_t frac_num = 0, frac_den = 1;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        if (frac_den < 1000000000) {
          frac_num = frac_num * 10 + (text[pos] - '0');
          frac_den *= 10;
        }
        ++pos;
      }
    }
    while (pos < text.size() && text[pos] == ' ') ++pos;
    start = pos;
    while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos]))) ++pos;
    std::string_view unit = text.substr(start, pos - start);
    if (unit.empty()) return BadInterval(raw, "missing unit after number");
    const int64_t per_month = UnitMonths(unit);
    if (per_month != 0) {
      // Whole months; a fraction of a month is 30 days (DuckDB: '1.5 months'
      // is 1 month 15 days, '1.5 years' 1 year 6 months).
      const __int128 frac_months = static_cast<__int128>(frac_num) * per_month;
      const __int128 m = static_cast<__int128>(whole) * per_month + frac_months / frac_den;
      const __int128 rest_micros =
          (frac_months % frac_den) * 30 * kMicrosPerDay / frac_den;
      months += sign * m;
      if (months > (int64_t{1} << 40) || months < -(int64_t{1} << 40) ||
          !AddProduct(static_cast<int64_t>(rest_micros), sign, &total))
        return BadInterval(raw, "out of range");
      any = true;
      while (pos < text.size() && (text[pos] == ' ' || text[pos] == ',')) ++pos;
      continue;
    }
    const int64_t per = UnitMicros(unit);
    if (per == 0) return BadInterval(raw, "unknown unit \"" + std::string(unit) + "\"");
    int64_t part = 0;
    // frac_num < 1e9 and per <= 6.048e11: the product fits; divide before adding.
    if (!AddProduct(whole, per, &part) ||
        __builtin_add_overflow(part, static_cast<int64_t>(static_cast<__int128>(frac_num) * per / frac_den),
                               &part) ||
        !AddProduct(part, sign, &total))
      return BadInterval(raw, "out of range");
    any = true;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == ',')) ++pos;
  }
  if (!any) return BadInterval(raw);
  Result<int64_t> packed = EncodeInterval(months, total);
  if (!packed.ok()) return BadInterval(raw, packed.status().message());
  return packed;
}

std::string FormatInterval(int64_t micros) {
  if (IsCalendarInterval(micros)) return FormatIntervalParts(micros);
  // Days and the time part carry their own sign (DuckDB: "-1 day -02:00:00").
  const int64_t days = micros / kMicrosPerDay;
  int64_t rem = micros % kMicrosPerDay;
  std::string out;
  if (days != 0) {
    out = std::to_string(days) + (days == 1 || days == -1 ? " day" : " days");
  }
  if (rem != 0 || days == 0) {
    if (!out.empty()) out += ' ';
    if (rem < 0) {
      out += '-';
      rem = -rem;
    }
    out += TwoDigits(rem / kMicrosPerHour) + ":" + TwoDigits(rem / kMicrosPerMinute % 60) + ":" +
           TwoDigits(rem / kMicrosPerSecond % 60);
    AppendFraction(rem % kMicrosPerSecond, &out);
  }
  return out;
}

}  // namespace tsl
