// INTERVAL packing, text, comparison and calendar arithmetic. See interval.h.
#include "formats/interval.h"

#include "formats/timestamp.h"

namespace tsl {
namespace {

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned LastDayOf(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && IsLeapYear(y)) ? 29 : kDays[m - 1];
}

int64_t FloorDivide(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string Plural(int64_t n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 || n == -1 ? "" : "s");
}

// DuckDB's Interval::Normalize over (months, days, micros).
void Normalize(int64_t v, __int128* months, __int128* days, __int128* micros) {
  const IntervalParts p = DecodeInterval(v);
  __int128 d = p.micros / kMicrosPerDay;
  __int128 us = p.micros % kMicrosPerDay;
  __int128 m = p.months + d / 30;
  d %= 30;
  // micros below one day already; DuckDB's month carry from micros is 0.
  *months = m;
  *days = d;
  *micros = us;
}

}  // namespace

Result<int64_t> EncodeInterval(__int128 months, __int128 micros) {
  if (months == 0) {
    if (micros < -kIntervalTag || micros >= kIntervalTag)
      return Status::InvalidArgument("INTERVAL out of range: " + std::to_string(static_cast<double>(micros)) +
                                " microseconds");
    return static_cast<int64_t>(micros);
  }
  if (months <= -kIntervalMaxMonths || months >= kIntervalMaxMonths)
    return Status::InvalidArgument("INTERVAL out of range: at most 16383 months (1365 years) are supported");
  if (micros < -kIntervalMaxCalendarMicros || micros >= kIntervalMaxCalendarMicros)
    return Status::InvalidArgument(
        "INTERVAL out of range: an interval with months holds at most 1628 days besides the months");
  const int64_t p = static_cast<int64_t>(months) * (int64_t{1} << 48) + static_cast<int64_t>(micros);
  return p >= 0 ? p + kIntervalTag : p - kIntervalTag;
}

std::string FormatIntervalParts(int64_t v) {
  const IntervalParts p = DecodeInterval(v);
  if (p.months == 0) return FormatInterval(p.micros);
  std::string out;
  auto add = [&](const std::string& s) {
    if (!out.empty()) out += ' ';
    out += s;
  };
  const int64_t years = p.months / 12, months = p.months % 12;
  if (years != 0) add(Plural(years, "year"));
  if (months != 0) add(Plural(months, "month"));
  if (p.micros != 0) add(FormatInterval(p.micros));
  return out;
}

int IntervalCompare(int64_t a, int64_t b) {
  __int128 ma, da, ua, mb, db, ub;
  Normalize(a, &ma, &da, &ua);
  Normalize(b, &mb, &db, &ub);
  if (ma != mb) return ma < mb ? -1 : 1;
  if (da != db) return da < db ? -1 : 1;
  return ua < ub ? -1 : (ua > ub ? 1 : 0);
}

int64_t MonthIndexOf(int64_t ts) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(FloorDivide(ts, kMicrosPerDay), &y, &m, &d);
  return (y - 1970) * 12 + (m - 1);
}

Result<int64_t> TimestampOfMonthIndex(int64_t month_index) {
  const int64_t y = 1970 + FloorDivide(month_index, 12);
  const unsigned m = static_cast<unsigned>(month_index - FloorDivide(month_index, 12) * 12) + 1;
  if (y < -290309 || y > 294247) return Status::InvalidArgument("timestamp out of range");
  const __int128 micros = static_cast<__int128>(DaysFromCivil(y, m, 1)) * kMicrosPerDay;
  if (!IsValidTimestamp(micros)) return Status::InvalidArgument("timestamp out of range");
  return static_cast<int64_t>(micros);
}

Result<int64_t> AddMonthsToTimestamp(int64_t ts, int64_t months) {
  if (months == 0) return ts;
  const int64_t days = FloorDivide(ts, kMicrosPerDay);
  const int64_t time_of_day = ts - days * kMicrosPerDay;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  const __int128 index = static_cast<__int128>(y) * 12 + (m - 1) + months;
  const __int128 ny = index >= 0 ? index / 12 : -((-index + 11) / 12);
  if (ny < -290309 || ny > 294247)
    return Status::InvalidArgument("Overflow exception in date/time -> timestamp conversion");
  const unsigned nm = static_cast<unsigned>(index - ny * 12) + 1;
  const unsigned last = LastDayOf(static_cast<int64_t>(ny), nm);
  const __int128 micros =
      static_cast<__int128>(DaysFromCivil(static_cast<int64_t>(ny), nm, d < last ? d : last)) *
          kMicrosPerDay +
      time_of_day;
  if (!IsValidTimestamp(micros))
    return Status::InvalidArgument("Overflow exception in date/time -> timestamp conversion: " +
                              FormatTimestamp(ts) + " + " + std::to_string(months) +
                              " months is out of range for TIMESTAMP (supported: " +
                              TimestampRangeText() + ")");
  return static_cast<int64_t>(micros);
}

Result<int64_t> AddIntervalToTimestamp(int64_t ts, int64_t iv, int sign) {
  const IntervalParts p = DecodeInterval(iv);
  Result<int64_t> shifted = AddMonthsToTimestamp(ts, sign * p.months);
  if (!shifted.ok()) return shifted;
  const __int128 micros = static_cast<__int128>(*shifted) + static_cast<__int128>(sign) * p.micros;
  if (!IsValidTimestamp(micros))
    return Status::InvalidArgument("Overflow exception in date/time -> timestamp conversion: " +
                              FormatTimestamp(ts) + (sign > 0 ? " + " : " - ") +
                              FormatIntervalParts(iv) + " is out of range for TIMESTAMP (supported: " +
                              TimestampRangeText() + ")");
  return static_cast<int64_t>(micros);
}

}  // namespace tsl
