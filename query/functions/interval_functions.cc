// INTERVAL constructors and accessors with DuckDB's names: to_weeks,
// to_days, to_hours, to_minutes, to_seconds, to_milliseconds,
// to_microseconds, to_months, to_quarters, to_years, to_decades,
// to_centuries, to_millennia; epoch/epoch_ms/epoch_us of an INTERVAL;
// date_part, extract-style part functions (hour(i), ...) and date_trunc on
// an INTERVAL. An INTERVAL is months plus microseconds (formats/interval.h);
// the microseconds split as they print: whole days, then the time of day,
// both with the interval's sign; year/month/quarter parts come from the
// months, and epoch counts a month as 30 days, as DuckDB does.
// Thread-safety: pure functions.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "formats/interval.h"
#include "formats/timestamp.h"
#include "query/common/query_error.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

using Args = std::vector<VectorView>;

[[noreturn]] void ThrowRange(const std::string& value, const char* unit) {
  throw QueryError(ErrorKind::kOutOfRange,
                   "Interval value " + value + " " + unit + " out of range");
}

template <int64_t kUnit>
const char* UnitName() {
  if constexpr (kUnit == 7 * kMicrosPerDay) return "weeks";
  if constexpr (kUnit == kMicrosPerDay) return "days";
  if constexpr (kUnit == kMicrosPerHour) return "hours";
  if constexpr (kUnit == kMicrosPerMinute) return "minutes";
  if constexpr (kUnit == kMicrosPerSecond) return "seconds";
  if constexpr (kUnit == 1000) return "milliseconds";
  return "microseconds";
}

// to_hours(BIGINT) and friends: an overflow-checked multiple.
// DuckDB's to_days/to_weeks/to_months... take BIGINT and cast it to INT32.
void CheckInt32(int64_t x) {
  if (x >= INT32_MIN && x <= INT32_MAX) return;
  throw QueryError(ErrorKind::kInvalidInput,
                   "Type INT64 with value " + std::to_string(x) +
                       " can't be cast because the value is out of range for the destination type INT32");
}

template <int64_t kUnit, bool kInt32 = false>
void ToIntervalInt(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kIvl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t x = a[0].Int(i);
    if (kInt32) CheckInt32(x);
    if (__builtin_mul_overflow(x, kUnit, &out->ints[i]) || IsCalendarInterval(out->ints[i])) {
      ThrowRange(std::to_string(x), UnitName<kUnit>());
    }
  });
}

// to_seconds(DOUBLE), to_milliseconds(DOUBLE): DuckDB casts x * unit to
// BIGINT, rounding to the nearest microsecond (ties to even).
template <int64_t kUnit>
void ToIntervalDouble(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kIvl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const double x = a[0].Double(i);
    const double micros = std::nearbyint(x * static_cast<double>(kUnit));
    // Plain micros stop at 2^62 (formats/interval.h).
    if (!(micros >= -4611686018427387904.0 && micros < 4611686018427387904.0)) {
      char text[400];
      std::snprintf(text, sizeof text, "%f", x);
      ThrowRange(text, UnitName<kUnit>());
    }
    out->ints[i] = static_cast<int64_t>(micros);
  });
}

// to_months(INTEGER) and the longer calendar units: a month interval.
template <int64_t kMonths>
void ToIntervalMonths(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kIvl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t x = a[0].Int(i);
    CheckInt32(x);
    Result<int64_t> v = EncodeInterval(static_cast<__int128>(x) * kMonths, 0);
    if (!v.ok()) throw QueryError(ErrorKind::kOutOfRange, v.status().message());
    out->ints[i] = *v;
  });
}

// The interval's total microseconds with a month as 30 days (DuckDB's
// epoch of an INTERVAL).
__int128 TotalMicros(int64_t iv) {
  const IntervalParts p = DecodeInterval(iv);
  return static_cast<__int128>(p.months) * kMicrosPerMonth + p.micros;
}

void EpochInterval(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    out->doubles[i] = static_cast<double>(TotalMicros(a[0].Int(i))) / static_cast<double>(kMicrosPerSecond);
  });
}

template <int64_t kDivisor>
void EpochIntervalInt(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->ints[i] = static_cast<int64_t>(TotalMicros(a[0].Int(i)) / kDivisor); });
}

std::string NormalizePart(const std::string& part_in) {
  std::string part = ToLower(part_in);
  if (part == "years" || part == "y" || part == "yr" || part == "yrs") return "year";
  if (part == "months" || part == "mon" || part == "mons") return "month";
  if (part == "days" || part == "d") return "day";
  if (part == "hours" || part == "h" || part == "hr" || part == "hrs") return "hour";
  if (part == "minutes" || part == "min" || part == "mins" || part == "m") return "minute";
  if (part == "seconds" || part == "sec" || part == "secs" || part == "s") return "second";
  if (part == "milliseconds" || part == "ms" || part == "msec" || part == "msecs") {
    return "millisecond";
  }
  if (part == "microseconds" || part == "us" || part == "usec" || part == "usecs") {
    return "microsecond";
  }
  if (part == "decades") return "decade";
  if (part == "centuries") return "century";
  if (part == "millennia" || part == "millenniums") return "millennium";
  if (part == "quarters") return "quarter";
  if (part == "weeks" || part == "w") return "week";
  return part;
}

// date_part(part, INTERVAL) as DuckDB's over (months 0, days, micros).
int64_t IntervalPart(const std::string& part_in, int64_t packed) {
  const std::string part = NormalizePart(part_in);
  const IntervalParts parts = DecodeInterval(packed);
  const int64_t iv = parts.micros, months = parts.months;
  const int64_t days = iv / kMicrosPerDay;
  const int64_t time = iv % kMicrosPerDay;
  if (part == "year") return months / 12;
  if (part == "month") return months % 12;
  if (part == "decade") return months / 120;
  if (part == "century") return months / 1200;
  if (part == "millennium") return months / 12000;
  if (part == "quarter") return months % 12 / 3 + 1;
  if (part == "day") return days;
  if (part == "hour") return time / kMicrosPerHour;
  if (part == "minute") return time % kMicrosPerHour / kMicrosPerMinute;
  if (part == "second") return time % kMicrosPerMinute / kMicrosPerSecond;
  if (part == "millisecond") return time % kMicrosPerMinute / 1000;
  if (part == "microsecond") return time % kMicrosPerMinute;
  // DuckDB's date_part('epoch', INTERVAL) is a DOUBLE; this overload is
  // BIGINT like the other parts, so it gives whole seconds (epoch() has
  // the fraction).
  if (part == "epoch") return static_cast<int64_t>(TotalMicros(packed) / kMicrosPerSecond);
  throw QueryError(ErrorKind::kNotImplemented, "interval units \"" + part_in + "\" not recognized");
}

void DatePartInterval(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = IntervalPart(a[0].String(i), a[1].Int(i)); });
}

// date_trunc(part, INTERVAL): the time below `part` cleared; a week is 7
// whole days.
int64_t TruncInterval(const std::string& part_in, int64_t packed) {
  const std::string part = NormalizePart(part_in);
  const IntervalParts parts = DecodeInterval(packed);
  const int64_t iv = parts.micros, months = parts.months;
  const int64_t days = iv / kMicrosPerDay;
  const int64_t time = iv % kMicrosPerDay;
  // The months kept and the micros kept, packed again (cannot overflow:
  // both only shrink toward zero).
  auto with = [&](int64_t m, int64_t us) { return *EncodeInterval(m, us); };
  auto trunc_time = [&](int64_t unit) { return with(months, days * kMicrosPerDay + time / unit * unit); };
  if (part == "millennium") return with(months / 12000 * 12000, 0);
  if (part == "century") return with(months / 1200 * 1200, 0);
  if (part == "decade") return with(months / 120 * 120, 0);
  if (part == "year") return with(months / 12 * 12, 0);
  if (part == "quarter") return with(months / 3 * 3, 0);
  if (part == "month") return with(months, 0);
  if (part == "week") return with(months, days / 7 * 7 * kMicrosPerDay);
  if (part == "day") return with(months, days * kMicrosPerDay);
  if (part == "hour") return trunc_time(kMicrosPerHour);
  if (part == "minute") return trunc_time(kMicrosPerMinute);
  if (part == "second") return trunc_time(kMicrosPerSecond);
  if (part == "millisecond") return trunc_time(1000);
  if (part == "microsecond") return packed;
  throw QueryError(ErrorKind::kNotImplemented, "Specifier type \"" + part_in + "\" not recognized");
}

void DateTruncInterval(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kIvl, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->ints[i] = TruncInterval(a[0].String(i), a[1].Int(i)); });
}

// age(a, b): DuckDB's Interval::GetAge, the calendar difference a - b as
// years, months and days (borrowing the days of b's month, or of a's when
// a < b) plus the time of day.
int64_t Age(int64_t a, int64_t b) {
  struct Fields {
    int64_t year, month, day, time;
  };
  auto fields = [](int64_t ts) {
    const int64_t days = FloorDiv(ts, kMicrosPerDay);
    int64_t y;
    unsigned m, d;
    CivilFromDays(days, &y, &m, &d);
    return Fields{y, static_cast<int64_t>(m), static_cast<int64_t>(d), ts - days * kMicrosPerDay};
  };
  const bool negative = a < b;
  const Fields f1 = fields(a), f2 = fields(b);
  const int64_t sign = negative ? -1 : 1;
  int64_t years = sign * (f1.year - f2.year), months = sign * (f1.month - f2.month);
  int64_t days = sign * (f1.day - f2.day), time = sign * (f1.time - f2.time);
  static constexpr int64_t kDaysIn[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  auto month_days = [](const Fields& f) {
    const bool leap = (f.year % 4 == 0 && f.year % 100 != 0) || f.year % 400 == 0;
    return f.month == 2 && leap ? 29 : kDaysIn[f.month - 1];
  };
  if (time < 0) {  // DuckDB borrows field by field; the sum is one day
    time += kMicrosPerDay;
    --days;
  }
  while (days < 0) {
    days += month_days(negative ? f1 : f2);
    --months;
  }
  while (months < 0) {
    months += 12;
    --years;
  }
  Result<int64_t> v = EncodeInterval(static_cast<__int128>(sign) * (years * 12 + months),
                                     static_cast<__int128>(sign) * (days * kMicrosPerDay + time));
  if (!v.ok()) throw QueryError(ErrorKind::kOutOfRange, "age(): " + v.status().message());
  return *v;
}

void AgeOf(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kIvl, n);
  if (a.size() == 2) {
    ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = Age(a[0].Int(i), a[1].Int(i)); });
    return;
  }
  // age(ts): from today's midnight (UTC, the statement's clock), as DuckDB.
  const int64_t midnight = FloorDiv(StatementClock(), kMicrosPerDay) * kMicrosPerDay;
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = Age(midnight, a[0].Int(i)); });
}

constexpr const char* kIntervalParts[] = {"year",   "month",       "day",
                                          "hour",   "minute",      "second",
                                          "millisecond", "microsecond", "quarter",
                                          "decade", "century",     "millennium"};

template <size_t kPart>
void IntervalPartOf(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->ints[i] = IntervalPart(kIntervalParts[kPart], a[0].Int(i)); });
}

template <size_t... I>
void AddIntervalPartFunctions(std::vector<ScalarFunction>* f, std::index_sequence<I...>) {
  (f->push_back({kIntervalParts[I], {kIvl}, kBig, IntervalPartOf<I>}), ...);
}

}  // namespace

void AddIntervalFunctions(std::vector<ScalarFunction>* f) {
  f->insert(f->end(), {
      {"to_weeks", {kBig}, kIvl, ToIntervalInt<7 * kMicrosPerDay, true>},
      {"to_days", {kBig}, kIvl, ToIntervalInt<kMicrosPerDay, true>},
      {"to_hours", {kBig}, kIvl, ToIntervalInt<kMicrosPerHour>},
      {"to_minutes", {kBig}, kIvl, ToIntervalInt<kMicrosPerMinute>},
      {"to_seconds", {kDbl}, kIvl, ToIntervalDouble<kMicrosPerSecond>},
      {"to_milliseconds", {kDbl}, kIvl, ToIntervalDouble<1000>},
      {"to_microseconds", {kBig}, kIvl, ToIntervalInt<1>},
      {"to_months", {kBig}, kIvl, ToIntervalMonths<1>},
      {"to_quarters", {kBig}, kIvl, ToIntervalMonths<3>},
      {"to_years", {kBig}, kIvl, ToIntervalMonths<12>},
      {"to_decades", {kBig}, kIvl, ToIntervalMonths<120>},
      {"to_centuries", {kBig}, kIvl, ToIntervalMonths<1200>},
      {"to_millennia", {kBig}, kIvl, ToIntervalMonths<12000>},
      {"age", {kTs, kTs}, kIvl, AgeOf},
      {"age", {kTs}, kIvl, AgeOf},
      {"epoch", {kIvl}, kDbl, EpochInterval},
      {"epoch_ms", {kIvl}, kBig, EpochIntervalInt<1000>},
      {"epoch_us", {kIvl}, kBig, EpochIntervalInt<1>},
      {"date_part", {kStr, kIvl}, kBig, DatePartInterval},
      {"datepart", {kStr, kIvl}, kBig, DatePartInterval},
      {"date_trunc", {kStr, kIvl}, kIvl, DateTruncInterval},
      {"datetrunc", {kStr, kIvl}, kIvl, DateTruncInterval},
  });
  AddIntervalPartFunctions(f, std::make_index_sequence<std::size(kIntervalParts)>());
}

}  // namespace tsl::query
