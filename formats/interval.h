// INTERVAL values: DuckDB's (months, days, micros) in one int64.
//
// Every layer moves an INTERVAL as one int64 (types.h: int64 class), so the
// calendar part is packed into that word instead of widening every vector:
//  - a value in [-2^62, 2^62) is a plain count of microseconds (months = 0);
//    every interval without months is exactly what it was before months
//    existed, so micros-only consumers (rolling windows, gap filling, ASOF,
//    time_bucket's fixed widths) read it unchanged;
//  - any other value is a calendar interval: p = v -/+ 2^62 holds
//    months * 2^48 + micros with months in [-16384, 16384) (1365 years) and
//    micros in [-2^47, 2^47) (1628 days). Months are never 0 there.
// Days are whole 24-hour days inside the micros (DuckDB keeps them apart;
// here '1 day' and '24 hours' are the same value and print as "1 day").
// TIMESTAMPTZ arithmetic treats the whole days of an interval as local
// calendar days (interval.cc), as DuckDB does for the days field.
// Comparison follows DuckDB's normalization (1 month = 30 days) where
// IntervalCompare is used (the comparison operators); hashing, sorting and
// min/max use the raw word, so there a month interval orders after every
// month-free interval of the same sign and '1 month' and '30 days' group
// apart (DuckDB groups them together).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "formats/status.h"

namespace tsl {

struct IntervalParts {
  int64_t months = 0;
  int64_t micros = 0;
};

constexpr int64_t kIntervalTag = int64_t{1} << 62;
constexpr int64_t kIntervalMaxMonths = int64_t{1} << 14;  // exclusive bound on |months|
constexpr int64_t kIntervalMaxCalendarMicros = int64_t{1} << 47;
constexpr int64_t kMicrosPerMonth = 30LL * 24 * 3600 * 1000000;  // DuckDB's normalization

// True for a value that carries months.
constexpr bool IsCalendarInterval(int64_t v) { return v >= kIntervalTag || v < -kIntervalTag; }

constexpr IntervalParts DecodeInterval(int64_t v) {
  if (!IsCalendarInterval(v)) return {0, v};
  const int64_t p = v >= 0 ? v - kIntervalTag : v + kIntervalTag;
  const int64_t micros = static_cast<int64_t>(static_cast<uint64_t>(p) << 16) >> 16;
  return {(p - micros) >> 48, micros};
}

// The packed value, or kOutOfRange naming the limit that was passed.
Result<int64_t> EncodeInterval(__int128 months, __int128 micros);

// DuckDB's text: "1 year 2 months 3 days 04:05:06.5", "00:00:00".
std::string FormatIntervalParts(int64_t v);

// Normalized (DuckDB's Interval::Compare) three-way comparison.
int IntervalCompare(int64_t a, int64_t b);

// ts + months (the day clamped to the target month's last day, as DuckDB),
// on a naive wall time; kOutOfRange outside the TIMESTAMP range.
Result<int64_t> AddMonthsToTimestamp(int64_t ts, int64_t months);
// ts + sign * iv for a TIMESTAMP: months first, then the micros.
Result<int64_t> AddIntervalToTimestamp(int64_t ts, int64_t iv, int sign);

// Months since 1970-01 of a timestamp's civil month, and the timestamp of
// the first day of such a month.
int64_t MonthIndexOf(int64_t ts);
Result<int64_t> TimestampOfMonthIndex(int64_t month_index);

}  // namespace tsl
