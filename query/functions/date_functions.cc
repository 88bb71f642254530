// Date and time scalar functions with DuckDB's semantics on TIMESTAMP
// (microseconds, UTC): make_timestamp, to_timestamp, epoch_us/epoch_ns,
// epoch_ms(BIGINT), now()/current_timestamp (the statement's start, fixed
// at bind time; DuckDB types it TIMESTAMP WITH TIME ZONE, tslake TIMESTAMP
// in UTC), strftime/strptime/try_strptime (DuckDB's format specifiers),
// date_diff (unit boundaries crossed), date_sub (whole units elapsed),
// date_add, time_bucket with an offset INTERVAL, and date_bin(stride, ts
// [, origin]) (PostgreSQL's; DuckDB has none; the origin defaults to
// 2000-01-01 00:00:00). Thread-safety: pure functions.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include "formats/interval.h"
#include "formats/timestamp.h"
#include "query/common/query_error.h"
#include "query/functions/month_bucket.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

using Args = std::vector<VectorView>;

constexpr int64_t kDateBinOrigin = 946684800LL * kMicrosPerSecond;  // 2000-01-01

const char* const kMonthNames[] = {"January", "February", "March",     "April",
                                   "May",     "June",     "July",      "August",
                                   "September", "October", "November", "December"};
const char* const kDayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};

struct Civil {
  int64_t year;
  unsigned month, day;
  int64_t days;     // since epoch
  int64_t time;     // micros into the day
  int64_t doy;      // 1-based
  int weekday;      // 0 = Sunday
};

Civil ToCivil(int64_t ts) {
  Civil c;
  c.days = FloorDiv(ts, kMicrosPerDay);
  c.time = ts - c.days * kMicrosPerDay;
  CivilFromDays(c.days, &c.year, &c.month, &c.day);
  c.doy = c.days - DaysFromCivil(c.year, 1, 1) + 1;
  c.weekday = static_cast<int>(((c.days + 4) % 7 + 7) % 7);
  return c;
}

// ISO 8601 week number and week-based year.
void IsoWeek(const Civil& c, int64_t* iso_year, int64_t* week) {
  const int isodow = (c.weekday + 6) % 7 + 1;  // Monday = 1
  const int64_t thursday = c.days - (isodow - 1) + 3;
  int64_t y;
  unsigned m, d;
  CivilFromDays(thursday, &y, &m, &d);
  *iso_year = y;
  *week = (thursday - DaysFromCivil(y, 1, 1)) / 7 + 1;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// ---- strftime ----

void Pad(std::string* out, int64_t v, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*lld", width, static_cast<long long>(v));
  *out += buf;
}

// `offset`/`zone`: what %z and %Z print (a TIMESTAMP's are "+00" and "").
std::string FormatTime(int64_t ts, const std::string& fmt, const std::string& offset = "+00",
                       const std::string& zone = "") {
  const Civil c = ToCivil(ts);
  const int64_t hour = c.time / kMicrosPerHour;
  const int64_t minute = c.time / kMicrosPerMinute % 60;
  const int64_t second = c.time / kMicrosPerSecond % 60;
  const int64_t micros = c.time % kMicrosPerSecond;
  std::string out;
  for (size_t k = 0; k < fmt.size(); ++k) {
    if (fmt[k] != '%') {
      out += fmt[k];
      continue;
    }
    if (k + 1 == fmt.size()) {  // DuckDB refuses it; it was copied as text
      throw QueryError(ErrorKind::kInvalidInput, "Failed to parse format specifier " + fmt +
                                                     ": Trailing format character %");
    }
    char spec = fmt[++k];
    bool unpadded = false;
    if (spec == '-' && k + 1 < fmt.size()) {
      unpadded = true;
      spec = fmt[++k];
    }
    auto num = [&](int64_t v, int width) { Pad(&out, v, unpadded ? 1 : width); };
    switch (spec) {
      case 'Y':
        num(c.year, 4);
        break;
      case 'y':
        num(((c.year % 100) + 100) % 100, 2);
        break;
      case 'm':
        num(c.month, 2);
        break;
      case 'd':
        num(c.day, 2);
        break;
      case 'H':
        num(hour, 2);
        break;
      case 'I':
        num(hour % 12 == 0 ? 12 : hour % 12, 2);
        break;
      case 'M':
        num(minute, 2);
        break;
      case 'S':
        num(second, 2);
        break;
      case 'f':
        Pad(&out, micros, 6);
        break;
      case 'g':
        Pad(&out, micros / 1000, 3);
        break;
      case 'j':
        num(c.doy, 3);
        break;
      case 'p':
        out += hour < 12 ? "AM" : "PM";
        break;
      case 'b':
      case 'h':
        out += std::string(kMonthNames[c.month - 1], 3);
        break;
      case 'B':
        out += kMonthNames[c.month - 1];
        break;
      case 'a':
        out += std::string(kDayNames[c.weekday], 3);
        break;
      case 'A':
        out += kDayNames[c.weekday];
        break;
      case 'w':
        num(c.weekday, 1);
        break;
      case 'u':
        num(c.weekday == 0 ? 7 : c.weekday, 1);
        break;
      case 'U':
        num((c.doy - 1 + 7 - c.weekday) / 7, 2);
        break;
      case 'W':
        num((c.doy - 1 + 7 - (c.weekday + 6) % 7) / 7, 2);
        break;
      case 'V': {
        int64_t y, w;
        IsoWeek(c, &y, &w);
        num(w, 2);
        break;
      }
      case 'T':
        out += FormatTime(ts, "%H:%M:%S");
        break;
      case 'D':
        out += FormatTime(ts, "%m/%d/%y");
        break;
      case 'z':
        out += offset;
        break;
      case 'Z':
        out += zone;
        break;
      case '%':
        out += '%';
        break;
      default:
        throw QueryError(ErrorKind::kInvalidInput,
                         "Failed to parse format specifier " + fmt +
                             ": Unrecognized format for strftime/strptime: %" + spec);
    }
  }
  return out;
}

void Strftime(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->strings[i] = FormatTime(a[0].Int(i), a[1].String(i)); });
}

}  // namespace

std::string FormatTimestampText(int64_t wall, const std::string& fmt, const std::string& offset,
                                const std::string& zone) {
  return FormatTime(wall, fmt, offset, zone);
}

namespace {

// ---- strptime ----

// Parses `text` with `fmt`; false when it does not match. `zone_name`, when
// given, receives what %Z matched (a zone name such as "Asia/Kolkata").
bool ParseTime(const std::string& text, const std::string& fmt, int64_t* result,
               std::string* zone_name = nullptr) {
  int64_t year = 1900, month = 1, day = 1, hour = 0, minute = 0, second = 0, micros = 0;
  int64_t doy = -1, offset_minutes = 0;
  int pm = -1;  // -1 none, 0 AM, 1 PM
  bool twelve_hour = false;
  size_t p = 0;
  auto digits = [&](int min_w, int max_w, int64_t* v) {
    size_t start = p;
    bool neg = false;
    if (p < text.size() && (text[p] == '-' || text[p] == '+') && max_w >= 4) {
      neg = text[p] == '-';
      ++p;
      start = p;
    }
    int64_t x = 0;
    while (p < text.size() && p - start < static_cast<size_t>(max_w) && std::isdigit(static_cast<unsigned char>(text[p]))) {
      x = x * 10 + (text[p] - '0');
      ++p;
    }
    if (p - start < static_cast<size_t>(min_w)) return false;
    *v = neg ? -x : x;
    return true;
  };
  auto name = [&](const char* const* names, int count, int64_t* index) {
    for (int k = 0; k < count; ++k) {
      const std::string full = names[k];
      for (size_t len : {full.size(), size_t{3}}) {
        if (p + len <= text.size() && EqualsIgnoreCase(text.substr(p, len), full.substr(0, len))) {
          p += len;
          *index = k;
          return true;
        }
      }
    }
    return false;
  };
  for (size_t k = 0; k < fmt.size(); ++k) {
    const char f = fmt[k];
    if (std::isspace(static_cast<unsigned char>(f))) {
      while (p < text.size() && std::isspace(static_cast<unsigned char>(text[p]))) ++p;
      continue;
    }
    if (f != '%' || k + 1 == fmt.size()) {
      if (p >= text.size() || text[p] != f) return false;
      ++p;
      continue;
    }
    char spec = fmt[++k];
    if (spec == '-' && k + 1 < fmt.size()) spec = fmt[++k];
    int64_t v = 0;
    switch (spec) {
      case 'Y':
        if (!digits(1, 4, &year)) return false;
        break;
      case 'y':
        if (!digits(1, 2, &v)) return false;
        year = v < 69 ? 2000 + v : 1900 + v;
        break;
      case 'm':
        if (!digits(1, 2, &month)) return false;
        break;
      case 'd':
      case 'e':
        if (!digits(1, 2, &day)) return false;
        break;
      case 'H':
        if (!digits(1, 2, &hour)) return false;
        break;
      case 'I':
        if (!digits(1, 2, &hour)) return false;
        twelve_hour = true;
        break;
      case 'M':
        if (!digits(1, 2, &minute)) return false;
        break;
      case 'S':
        if (!digits(1, 2, &second)) return false;
        break;
      case 'j':
        if (!digits(1, 3, &doy)) return false;
        break;
      case 'f': {
        size_t start = p;
        if (!digits(1, 6, &v)) return false;
        for (size_t w = p - start; w < 6; ++w) v *= 10;
        micros = v;
        break;
      }
      case 'g':
        if (!digits(3, 3, &v)) return false;
        micros = v * 1000;
        break;
      case 'p':
        if (p + 2 > text.size()) return false;
        if (EqualsIgnoreCase(text.substr(p, 2), "AM")) {
          pm = 0;
        } else if (EqualsIgnoreCase(text.substr(p, 2), "PM")) {
          pm = 1;
        } else {
          return false;
        }
        p += 2;
        break;
      case 'b':
      case 'B':
      case 'h':
        if (!name(kMonthNames, 12, &v)) return false;
        month = v + 1;
        break;
      case 'a':
      case 'A':
        if (!name(kDayNames, 7, &v)) return false;
        break;
      case 'z': {
        if (p < text.size() && (text[p] == 'Z' || text[p] == 'z')) {
          ++p;
          break;
        }
        if (p >= text.size() || (text[p] != '+' && text[p] != '-')) return false;
        const int sign = text[p++] == '-' ? -1 : 1;
        int64_t hh = 0, mm = 0;
        if (!digits(2, 2, &hh)) return false;
        if (p < text.size() && text[p] == ':') ++p;
        if (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p])) && !digits(2, 2, &mm)) {
          return false;
        }
        offset_minutes = sign * (hh * 60 + mm);
        break;
      }
      case 'Z': {
        const size_t start = p;
        while (p < text.size() && (std::isalnum(static_cast<unsigned char>(text[p])) ||
                                   text[p] == '/' || text[p] == '_' ||
                                   (p > start && (text[p] == '+' || text[p] == '-'))))
          ++p;
        if (zone_name) *zone_name = text.substr(start, p - start);
        break;
      }
      case 'T': {
        int64_t t = 0;
        if (!ParseTime(text.substr(p, 8), "%H:%M:%S", &t)) return false;
        p += 8;
        hour = t / kMicrosPerHour % 24;
        minute = t / kMicrosPerMinute % 60;
        second = t / kMicrosPerSecond % 60;
        break;
      }
      case '%':
        if (p >= text.size() || text[p] != '%') return false;
        ++p;
        break;
      default:
        throw QueryError(ErrorKind::kInvalidInput,
                         "Failed to parse format specifier " + fmt +
                             ": Unrecognized format for strftime/strptime: %" + spec);
    }
  }
  if (p != text.size()) return false;
  if (twelve_hour) {
    if (hour < 1 || hour > 12) return false;
    hour %= 12;
  }
  if (pm == 1) hour = hour % 12 + 12;
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return false;
  int64_t days;
  if (doy >= 0) {
    if (doy < 1 || doy > (IsLeap(year) ? 366 : 365)) return false;
    days = DaysFromCivil(year, 1, 1) + doy - 1;
  } else {
    if (day < 1 || day > DaysInMonth(year, static_cast<unsigned>(month))) return false;
    days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  }
  *result = days * kMicrosPerDay + hour * kMicrosPerHour + minute * kMicrosPerMinute +
            second * kMicrosPerSecond + micros - offset_minutes * kMicrosPerMinute;
  return true;
}

}  // namespace

bool ParseTimestampWithFormat(const std::string& text, const std::string& fmt, int64_t* result,
                              std::string* zone_name) {
  return ParseTime(text, fmt, result, zone_name);
}

namespace {

template <bool kTry>
void Strptime(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTs, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& text = a[0].String(i);
    const std::string& fmt = a[1].String(i);
    int64_t ts;
    if (ParseTime(text, fmt, &ts)) {
      out->ints[i] = ts;
    } else if (kTry) {
      out->valid[i] = 0;
    } else {
      throw QueryError(ErrorKind::kInvalidInput, "Could not parse string \"" + text +
                                                     "\" according to format specifier \"" +
                                                     fmt + "\"");
    }
  });
}

// ---- constructors and conversions ----

void MakeTimestamp(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTs, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t y = a[0].Int(i), mo = a[1].Int(i), d = a[2].Int(i);
    const int64_t h = a[3].Int(i), mi = a[4].Int(i);
    const double s = a[5].Double(i);
    auto fail = [&]() {
      throw QueryError(ErrorKind::kConversion,
                       "Timestamp out of range: make_timestamp(" + std::to_string(y) + ", " +
                           std::to_string(mo) + ", " + std::to_string(d) + ", " +
                           std::to_string(h) + ", " + std::to_string(mi) + ", " +
                           std::to_string(s) + ") (supported: " + TimestampRangeText() + ")");
    };
    // The year bound keeps DaysFromCivil exact; the range check is below.
    if (y < -290309 || y > 294247 || mo < 1 || mo > 12 || d < 1 ||
        d > DaysInMonth(y, static_cast<unsigned>(mo)) || h < 0 || h > 24 || mi < 0 || mi > 59 ||
        !(s >= 0 && s < 60)) {
      fail();
    }
    const __int128 micros =
        static_cast<__int128>(DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) *
            kMicrosPerDay +
        h * kMicrosPerHour + mi * kMicrosPerMinute + std::llround(s * kMicrosPerSecond);
    if (!IsValidTimestamp(micros)) fail();
    out->ints[i] = static_cast<int64_t>(micros);
  });
}

void MakeTimestampMicros(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTs, n);
  ForEachValid(a, n, out, [&](size_t i) {
    if (!IsValidTimestamp(a[0].Int(i))) {
      throw QueryError(ErrorKind::kConversion,
                       "Timestamp microseconds out of range: " + std::to_string(a[0].Int(i)) +
                           " (supported: " + TimestampRangeText() + ")");
    }
    out->ints[i] = a[0].Int(i);
  });
}

void EpochMsToTimestamp(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTs, n);
  ForEachValid(a, n, out, [&](size_t i) {
    int64_t r;
    if (__builtin_mul_overflow(a[0].Int(i), int64_t{1000}, &r)) {
      throw QueryError(ErrorKind::kOutOfRange, "epoch_ms: timestamp out of range");
    }
    out->ints[i] = r;
  });
}

// TIMESTAMP WITH TIME ZONE, as DuckDB types it: epoch seconds name an instant.
void ToTimestamp(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTsTz, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const double s = a[0].Double(i);
    const double us = std::round(s * 1e6);
    // Range-check the double before converting (a cast outside int64 is
    // undefined), then the supported TIMESTAMP range.
    if (!(us >= -9223372036854775808.0 && us < 9223372036854775808.0) ||
        !IsValidTimestamp(static_cast<int64_t>(us))) {
      throw QueryError(ErrorKind::kOutOfRange,
                       "Epoch seconds " + std::to_string(s) +
                           " out of range for TIMESTAMP (supported: " + TimestampRangeText() + ")");
    }
    out->ints[i] = static_cast<int64_t>(us);
  });
}

void EpochUs(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = a[0].Int(i); });
}

void EpochNs(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) {
    if (__builtin_mul_overflow(a[0].Int(i), int64_t{1000}, &out->ints[i])) {
      throw QueryError(ErrorKind::kOutOfRange, "epoch_ns: timestamp out of range");
    }
  });
}

void StrftimeFormatFirst(const Args& a, size_t n, ColumnVector* out) {
  Strftime({a[1], a[0]}, n, out);
}

int64_t WallClockMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

thread_local int64_t t_statement_clock = 0;

// now() and its aliases are TIMESTAMP WITH TIME ZONE, as DuckDB's.
void Now(const Args&, size_t n, ColumnVector* out) {
  PrepareOutput(out, TypeId::kTimestampTz, n);
  const int64_t now = StatementClock();
  for (size_t i = 0; i < n; ++i) out->ints[i] = now;
}

// ---- bucketing ----

// In 128 bits, so no step wraps at the range's ends; a bucket start outside
// the supported range is an error.
int64_t BinStart(int64_t stride, __int128 ts, int64_t origin, const char* function) {
  if (stride <= 0) {
    throw QueryError(ErrorKind::kOutOfRange, "Invalid bucket width: must be positive");
  }
  const __int128 diff = ts - origin;
  __int128 q = diff / stride;
  if (diff % stride != 0 && diff < 0) --q;
  return TimestampOrThrow(origin + q * stride, function);
}

void DateBin(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTs, n);
  ForEachValid(a, n, out, [&](size_t i) {
    RequireFixedInterval(a[0].Int(i), "date_bin's stride");
    out->ints[i] = BinStart(a[0].Int(i), a[1].Int(i), a.size() > 2 ? a[2].Int(i) : kDateBinOrigin,
                            "date_bin");
  });
}

// time_bucket(width, ts, offset INTERVAL): buckets shifted by `offset`.
void TimeBucketOffset(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTs, n);
  constexpr int64_t kOrigin = 946857600LL * kMicrosPerSecond;  // Monday 2000-01-03
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t offset = a[2].Int(i);
    if (IsCalendarInterval(a[0].Int(i)) || IsCalendarInterval(offset)) {
      // DuckDB: (ts - offset) bucketed, then + offset, as interval arithmetic.
      auto step = [](const Result<int64_t>& r) {
        if (!r.ok()) throw QueryError(ErrorKind::kOutOfRange, r.status().message());
        return *r;
      };
      const int64_t shifted = step(AddIntervalToTimestamp(a[1].Int(i), offset, -1));
      const int64_t start =
          IsCalendarInterval(a[0].Int(i))
              ? MonthBucket(a[0].Int(i), shifted, kDefaultOriginMonths, "time_bucket")
              : BinStart(a[0].Int(i), shifted, kOrigin, "time_bucket");
      out->ints[i] = step(AddIntervalToTimestamp(start, offset, 1));
      return;
    }
    const int64_t start =
        BinStart(a[0].Int(i), static_cast<__int128>(a[1].Int(i)) - offset, kOrigin, "time_bucket");
    out->ints[i] = TimestampOrThrow(static_cast<__int128>(start) + offset, "time_bucket");
  });
}

void DateAdd(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTs, n);
  ForEachValid(a, n, out, [&](size_t i) {
    Result<int64_t> r = AddIntervalToTimestamp(a[0].Int(i), a[1].Int(i), 1);
    if (!r.ok()) throw QueryError(ErrorKind::kOutOfRange, "Overflow in date_add: timestamp out of range");
    out->ints[i] = *r;
  });
}

// ---- date_diff / date_sub ----

enum class Unit { kYear, kQuarter, kMonth, kWeek, kDay, kHour, kMinute, kSecond, kMilli, kMicro,
                  kDecade, kCentury, kMillennium };

Unit ParseUnit(const std::string& in) {
  std::string u = ToLower(in);
  if (u.size() > 1 && u.back() == 's') u.pop_back();
  if (u == "year" || u == "yr" || u == "y" || u == "yy" || u == "yyyy") return Unit::kYear;
  if (u == "quarter") return Unit::kQuarter;
  if (u == "month" || u == "mon") return Unit::kMonth;
  if (u == "week" || u == "w" || u == "weekofyear") return Unit::kWeek;
  if (u == "day" || u == "d" || u == "dayofmonth") return Unit::kDay;
  if (u == "hour" || u == "h" || u == "hr") return Unit::kHour;
  if (u == "minute" || u == "min" || u == "m") return Unit::kMinute;
  if (u == "second" || u == "sec" || u == "s") return Unit::kSecond;
  if (u == "millisecond" || u == "ms" || u == "msec") return Unit::kMilli;
  if (u == "microsecond" || u == "us" || u == "usec") return Unit::kMicro;
  if (u == "decade") return Unit::kDecade;
  if (u == "century") return Unit::kCentury;
  if (u == "millennium") return Unit::kMillennium;
  throw QueryError(ErrorKind::kNotImplemented, "Specifier type \"" + in + "\" not recognized");
}

int64_t MonthIndex(const Civil& c) { return c.year * 12 + (c.month - 1); }

// date_diff: the number of unit boundaries between the two timestamps.
int64_t DateDiff(Unit u, int64_t a, int64_t b) {
  const Civil x = ToCivil(a), y = ToCivil(b);
  switch (u) {
    case Unit::kYear:
      return y.year - x.year;
    case Unit::kDecade:
      return FloorDiv(y.year, 10) - FloorDiv(x.year, 10);
    case Unit::kCentury:
      return FloorDiv(y.year - 1, 100) - FloorDiv(x.year - 1, 100);
    case Unit::kMillennium:
      return FloorDiv(y.year - 1, 1000) - FloorDiv(x.year - 1, 1000);
    case Unit::kQuarter:
      return (y.year * 4 + (y.month - 1) / 3) - (x.year * 4 + (x.month - 1) / 3);
    case Unit::kMonth:
      return MonthIndex(y) - MonthIndex(x);
    case Unit::kWeek:
      return (y.days - x.days) / 7;
    case Unit::kDay:
      return y.days - x.days;
    case Unit::kHour:
      return FloorDiv(b, kMicrosPerHour) - FloorDiv(a, kMicrosPerHour);
    case Unit::kMinute:
      return FloorDiv(b, kMicrosPerMinute) - FloorDiv(a, kMicrosPerMinute);
    case Unit::kSecond:
      return FloorDiv(b, kMicrosPerSecond) - FloorDiv(a, kMicrosPerSecond);
    case Unit::kMilli:
      return FloorDiv(b, 1000) - FloorDiv(a, 1000);
    case Unit::kMicro: {
      int64_t r;
      // DuckDB: "Overflow in subtraction of INT64"; the span between the
      // range's ends does not fit BIGINT.
      if (__builtin_sub_overflow(b, a, &r)) {
        throw QueryError(ErrorKind::kOutOfRange, "Overflow in subtraction of INT64 (" +
                                                     std::to_string(b) + " - " +
                                                     std::to_string(a) + ")!");
      }
      return r;
    }
  }
  return 0;
}

// date_sub: the number of whole units elapsed from a to b (toward zero).
int64_t DateSub(Unit u, int64_t a, int64_t b) {
  int64_t div = 0;
  switch (u) {
    case Unit::kWeek:
      div = 7 * kMicrosPerDay;
      break;
    case Unit::kDay:
      div = kMicrosPerDay;
      break;
    case Unit::kHour:
      div = kMicrosPerHour;
      break;
    case Unit::kMinute:
      div = kMicrosPerMinute;
      break;
    case Unit::kSecond:
      div = kMicrosPerSecond;
      break;
    case Unit::kMilli:
      div = 1000;
      break;
    case Unit::kMicro:
      div = 1;
      break;
    default:
      break;
  }
  if (div) {
    const __int128 r = (static_cast<__int128>(b) - a) / div;
    if (r > INT64_MAX || r < INT64_MIN) {
      throw QueryError(ErrorKind::kOutOfRange, "Overflow in subtraction of INT64 (" +
                                                   std::to_string(b) + " - " + std::to_string(a) +
                                                   ")!");
    }
    return static_cast<int64_t>(r);
  }
  // Whole months: count month boundaries, minus one when the end's day and
  // time of day have not reached the start's (the end's last day of month
  // counts as reaching any later start day).
  const bool negative = b < a;
  const Civil x = ToCivil(negative ? b : a), y = ToCivil(negative ? a : b);
  int64_t months = MonthIndex(y) - MonthIndex(x);
  const bool end_of_month = y.day == DaysInMonth(y.year, y.month);
  const bool reached = (end_of_month && x.day >= y.day)
                           ? y.time >= x.time || x.day > y.day
                           : (y.day > x.day || (y.day == x.day && y.time >= x.time));
  if (!reached) --months;
  int64_t r = months;
  switch (u) {
    case Unit::kYear:
      r = months / 12;
      break;
    case Unit::kQuarter:
      r = months / 3;
      break;
    case Unit::kDecade:
      r = months / 120;
      break;
    case Unit::kCentury:
      r = months / 1200;
      break;
    case Unit::kMillennium:
      r = months / 12000;
      break;
    default:
      break;
  }
  return negative ? -r : r;
}

template <bool kSub>
void DateDiffKernel(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const Unit u = ParseUnit(a[0].String(i));
    out->ints[i] = kSub ? DateSub(u, a[1].Int(i), a[2].Int(i)) : DateDiff(u, a[1].Int(i), a[2].Int(i));
  });
}

}  // namespace

void StartStatementClock() { t_statement_clock = WallClockMicros(); }

int64_t StatementClock() {
  return t_statement_clock != 0 ? t_statement_clock : WallClockMicros();
}

void AddDateFunctions(std::vector<ScalarFunction>* f) {
  f->insert(f->end(), {
      {"strftime", {kTs, kStr}, kStr, Strftime},
      // DuckDB also takes (format, timestamp); with two string literals
      // the overload above wins (DuckDB calls that ambiguous).
      {"strftime", {kStr, kTs}, kStr, StrftimeFormatFirst},
      {"strptime", {kStr, kStr}, kTs, Strptime<false>},
      {"try_strptime", {kStr, kStr}, kTs, Strptime<true>},
      {"make_timestamp", {kBig, kBig, kBig, kBig, kBig, kDbl}, kTs, MakeTimestamp},
      {"make_timestamp", {kBig}, kTs, MakeTimestampMicros},
      {"to_timestamp", {kDbl}, kTsTz, ToTimestamp},
      {"epoch_us", {kTs}, kBig, EpochUs},
      {"epoch_ns", {kTs}, kBig, EpochNs},
      {"epoch_ms", {kBig}, kTs, EpochMsToTimestamp},
      {"now", {}, TypeId::kTimestampTz, Now, kScalarFoldAtBind},
      {"current_timestamp", {}, TypeId::kTimestampTz, Now, kScalarFoldAtBind},
      {"get_current_timestamp", {}, TypeId::kTimestampTz, Now, kScalarFoldAtBind},
      {"transaction_timestamp", {}, TypeId::kTimestampTz, Now, kScalarFoldAtBind},
      {"date_bin", {kIvl, kTs}, kTs, DateBin},
      {"date_bin", {kIvl, kTs, kTs}, kTs, DateBin},
      {"time_bucket", {kIvl, kTs, kIvl}, kTs, TimeBucketOffset},
      {"date_add", {kTs, kIvl}, kTs, DateAdd},
      {"date_diff", {kStr, kTs, kTs}, kBig, DateDiffKernel<false>},
      {"datediff", {kStr, kTs, kTs}, kBig, DateDiffKernel<false>},
      {"date_sub", {kStr, kTs, kTs}, kBig, DateDiffKernel<true>},
      {"datesub", {kStr, kTs, kTs}, kBig, DateDiffKernel<true>},
  });
}

}  // namespace tsl::query
