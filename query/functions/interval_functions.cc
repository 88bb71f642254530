// INTERVAL constructors and accessors with DuckDB's names: to_weeks,
// to_days, to_hours, to_minutes, to_seconds, to_milliseconds,
// to_microseconds; epoch/epoch_ms/epoch_us of an INTERVAL; date_part,
// extract-style part functions (hour(i), ...) and date_trunc on an
// INTERVAL. tslake's INTERVAL is one count of microseconds (no months), so
// it is split as it prints: whole days, then the time of day, both with
// the interval's sign; year/month/quarter parts are 0 and truncating to
// them gives 0, as DuckDB gives for an interval without months.
// Thread-safety: pure functions.
#include <cmath>
#include <cstdio>
#include <string>

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
template <int64_t kUnit>
void ToIntervalInt(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kIvl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t x = a[0].Int(i);
    if (__builtin_mul_overflow(x, kUnit, &out->ints[i])) {
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
    if (!(micros >= -9223372036854775808.0 && micros < 9223372036854775808.0)) {
      char text[400];
      std::snprintf(text, sizeof text, "%f", x);
      ThrowRange(text, UnitName<kUnit>());
    }
    out->ints[i] = static_cast<int64_t>(micros);
  });
}

void EpochInterval(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    out->doubles[i] = static_cast<double>(a[0].Int(i)) / static_cast<double>(kMicrosPerSecond);
  });
}

template <int64_t kDivisor>
void EpochIntervalInt(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = a[0].Int(i) / kDivisor; });
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
int64_t IntervalPart(const std::string& part_in, int64_t iv) {
  const std::string part = NormalizePart(part_in);
  const int64_t days = iv / kMicrosPerDay;
  const int64_t time = iv % kMicrosPerDay;
  if (part == "year" || part == "month" || part == "decade" || part == "century" ||
      part == "millennium") {
    return 0;
  }
  if (part == "quarter") return 1;  // months / 3 + 1
  if (part == "day") return days;
  if (part == "hour") return time / kMicrosPerHour;
  if (part == "minute") return time % kMicrosPerHour / kMicrosPerMinute;
  if (part == "second") return time % kMicrosPerMinute / kMicrosPerSecond;
  if (part == "millisecond") return time % kMicrosPerMinute / 1000;
  if (part == "microsecond") return time % kMicrosPerMinute;
  // DuckDB's date_part('epoch', INTERVAL) is a DOUBLE; this overload is
  // BIGINT like the other parts, so it gives whole seconds (epoch() has
  // the fraction).
  if (part == "epoch") return iv / kMicrosPerSecond;
  throw QueryError(ErrorKind::kNotImplemented, "interval units \"" + part_in + "\" not recognized");
}

void DatePartInterval(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = IntervalPart(a[0].String(i), a[1].Int(i)); });
}

// date_trunc(part, INTERVAL): the time below `part` cleared; a week is 7
// whole days.
int64_t TruncInterval(const std::string& part_in, int64_t iv) {
  const std::string part = NormalizePart(part_in);
  const int64_t days = iv / kMicrosPerDay;
  const int64_t time = iv % kMicrosPerDay;
  auto trunc_time = [&](int64_t unit) { return days * kMicrosPerDay + time / unit * unit; };
  if (part == "millennium" || part == "century" || part == "decade" || part == "year" ||
      part == "quarter" || part == "month") {
    return 0;
  }
  if (part == "week") return days / 7 * 7 * kMicrosPerDay;
  if (part == "day") return days * kMicrosPerDay;
  if (part == "hour") return trunc_time(kMicrosPerHour);
  if (part == "minute") return trunc_time(kMicrosPerMinute);
  if (part == "second") return trunc_time(kMicrosPerSecond);
  if (part == "millisecond") return trunc_time(1000);
  if (part == "microsecond") return iv;
  throw QueryError(ErrorKind::kNotImplemented, "Specifier type \"" + part_in + "\" not recognized");
}

void DateTruncInterval(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kIvl, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->ints[i] = TruncInterval(a[0].String(i), a[1].Int(i)); });
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
      {"to_weeks", {kInt}, kIvl, ToIntervalInt<7 * kMicrosPerDay>},
      {"to_days", {kInt}, kIvl, ToIntervalInt<kMicrosPerDay>},
      {"to_hours", {kBig}, kIvl, ToIntervalInt<kMicrosPerHour>},
      {"to_minutes", {kBig}, kIvl, ToIntervalInt<kMicrosPerMinute>},
      {"to_seconds", {kDbl}, kIvl, ToIntervalDouble<kMicrosPerSecond>},
      {"to_milliseconds", {kDbl}, kIvl, ToIntervalDouble<1000>},
      {"to_microseconds", {kBig}, kIvl, ToIntervalInt<1>},
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
