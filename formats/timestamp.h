// Timestamp and interval text <-> microseconds since the Unix epoch, UTC.
// Accepts ISO 8601 as DuckDB does: "2024-01-01", "2024-01-01 10:00:00",
// "2024-01-01T10:00:00.1234567Z" (fractions past microseconds truncated),
// offsets "+02:00"/"-0500" converted to UTC. Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "formats/status.h"

namespace tsl {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

// The supported TIMESTAMP range, DuckDB's: 290309-12-22 (BC) 00:00:00 to
// 294247-01-10 04:00:54.775806 (microseconds since the epoch, inclusive).
// INT64_MAX and the values below the minimum stay free, so a valid
// timestamp's day, year and ISO text are always computable without
// overflow, and every stored value round-trips through the statistics text
// (formats/log.md). Values outside it are refused where they enter: casts,
// arithmetic, functions, every reader and the write path.
constexpr int64_t kMinTimestampMicros = -106751991LL * kMicrosPerDay;  // -9223372022400000000
constexpr int64_t kMaxTimestampMicros = 9223372036854775806LL;          // INT64_MAX - 1
constexpr bool IsValidTimestamp(int64_t micros) {
  return micros >= kMinTimestampMicros && micros <= kMaxTimestampMicros;
}
constexpr bool IsValidTimestamp(__int128 micros) {
  return micros >= kMinTimestampMicros && micros <= kMaxTimestampMicros;
}
// "290309-12-22 (BC) 00:00:00 to 294247-01-10 04:00:54.775806", for messages.
const char* TimestampRangeText();

// kInvalidArgument: `"x" is not a valid TIMESTAMP (expected YYYY-MM-DD[ HH:MM:SS[.ffffff]])`.
Result<int64_t> ParseTimestamp(std::string_view text);
// The same; *had_offset tells whether the text ended in an offset (Z, UTC,
// +HH[:MM]) rather than being a bare wall time (TIMESTAMPTZ reads a bare
// one in the session's zone, formats/time_zone.h).
Result<int64_t> ParseTimestamp(std::string_view text, bool* had_offset);
// "2024-01-01 00:00:00", with ".123" style fraction only when non-zero
// (trailing zeros trimmed, as DuckDB prints).
std::string FormatTimestamp(int64_t micros);
// ISO 8601 with 'T' and 'Z' for JSON/log output: "2024-01-01T00:00:00.000000Z".
// Years outside 0000-9999 use ISO 8601's expanded form with a sign and
// astronomical numbering (year 0 = 1 BC): "+10000-01-01T...", "-0001-...";
// ParseTimestamp reads every such text back to the same value.
std::string FormatTimestampIso(int64_t micros);

// Days since epoch for a civil date, and back (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d);

// Interval text: "1 hour", "90 minutes", "1h", "7 days", "00:15:00", "1 day 2 hours",
// "1 month", "2 years 3 days", "1.5 months" (1 month 15 days); the packed
// INTERVAL word of formats/interval.h.
Result<int64_t> ParseInterval(std::string_view text);
// DuckDB style: "01:00:00", "7 days", "1 day 02:00:00", "1 year 2 months 3 days".
std::string FormatInterval(int64_t micros);

}  // namespace tsl
