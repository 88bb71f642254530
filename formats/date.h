// DATE values: days since 1970-01-01 (proleptic Gregorian), DuckDB's
// representation (its date_t is an int32 day count; tslake carries the
// count in the int64 slot of a Value or ColumnVector, as it does for every
// int64-class type). Text <-> days with DuckDB's parser and wording, and
// the conversions to and from TIMESTAMP. Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "formats/status.h"

namespace tsl {

// The supported DATE range, DuckDB's finite one: 5877642-06-25 (BC) to
// 5881580-07-10, i.e. days -(2^31 - 2) .. 2^31 - 2. DuckDB's
// 'infinity'/'-infinity' (the int32 extremes) are not supported. Values
// outside are refused wherever they enter: casts, arithmetic, functions,
// readers and the write path, so statistics never hold one.
constexpr int64_t kMinDateDays = -2147483646LL;
constexpr int64_t kMaxDateDays = 2147483646LL;
constexpr bool IsValidDate(int64_t days) { return days >= kMinDateDays && days <= kMaxDateDays; }
// "5877642-06-25 (BC) to 5881580-07-10", for messages.
const char* DateRangeText();

// Parses DuckDB's date text: optional spaces, [-]Y+ then '-', '/', '\\' or
// ' ', 1-2 digit month, the same separator, 1-2 digit day, an optional
// " (BC)"; in non-strict mode (casts, DuckDB's default) anything but a
// digit may follow ("2024-03-01 10:00:00" is 2024-03-01); strict mode
// allows only trailing spaces. "epoch" is 1970-01-01. Errors are
// kInvalidArgument with DuckDB's messages:
//   invalid date field format: "x", expected format is (YYYY-MM-DD)
//   date field value out of range: "x"
Result<int64_t> ParseDate(std::string_view text, bool strict = false);

// "2024-03-01"; years before 1 print as DuckDB does: "0001-12-31 (BC)".
// REQUIRES: IsValidDate(days).
std::string FormatDate(int64_t days);

// ISO 8601 for the log's statistics (formats/log.md): "2024-03-01"; years
// outside 0000-9999 in the expanded form with a sign and astronomical
// numbering ("+10000-01-01", "-0001-01-01"). ParseDateIso reads it back.
std::string FormatDateIso(int64_t days);
Result<int64_t> ParseDateIso(std::string_view text);

// Midnight of the day, in microseconds; kInvalidArgument when the date is
// outside the TIMESTAMP range (formats/timestamp.h), with DuckDB's wording.
Result<int64_t> DateToTimestamp(int64_t days);
// For comparing a DATE with a TIMESTAMP only (DuckDB compares them without
// error even when the date lies outside the TIMESTAMP range): the date's
// midnight, or a value just outside the TIMESTAMP range on the date's side
// (INT64_MAX above it, kMinTimestampMicros - 1 below), which orders the same
// against every valid timestamp. Never a value to store or print.
int64_t DateToTimestampForComparison(int64_t days);
// The day a timestamp falls on (floor, so before-1970 times map to their
// own day). Every valid TIMESTAMP has a valid DATE.
int64_t TimestampToDate(int64_t micros);

}  // namespace tsl
