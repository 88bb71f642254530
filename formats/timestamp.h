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

// kInvalidArgument: `"x" is not a valid TIMESTAMP (expected YYYY-MM-DD[ HH:MM:SS[.ffffff]])`.
Result<int64_t> ParseTimestamp(std::string_view text);
// "2024-01-01 00:00:00", with ".123" style fraction only when non-zero
// (trailing zeros trimmed, as DuckDB prints).
std::string FormatTimestamp(int64_t micros);
// ISO 8601 with 'T' and 'Z' for JSON/log output: "2024-01-01T00:00:00.000000Z".
std::string FormatTimestampIso(int64_t micros);

// Days since epoch for a civil date, and back (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d);

// Interval text: "1 hour", "90 minutes", "1h", "7 days", "00:15:00", "1 day 2 hours".
// Months/years are not supported as fixed intervals (kNotSupported).
Result<int64_t> ParseInterval(std::string_view text);
// DuckDB style: "01:00:00", "7 days", "1 day 02:00:00".
std::string FormatInterval(int64_t micros);

}  // namespace tsl
