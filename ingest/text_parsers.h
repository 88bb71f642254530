// Strict text-to-value parsers for ingest readers: each accepts the whole
// field (surrounding spaces and tabs ignored) or nothing, and never
// allocates. CsvReader uses them both to infer column types from a sample
// and to convert every field. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "formats/column_vector.h"
#include "formats/types.h"

namespace tsl {

// Strips ASCII spaces and tabs from both ends.
std::string_view TrimBlanks(std::string_view text);

// Integer digits with an optional sign; false on overflow or any other text.
bool ParseInt64Text(std::string_view text, int64_t* out);
// Decimal or scientific notation, "inf", "nan"; false otherwise.
bool ParseDoubleText(std::string_view text, double* out);
// true/false, t/f, yes/no, y/n, 1/0 (case-insensitive).
bool ParseBooleanText(std::string_view text, bool* out);
// Only "true"/"false" (case-insensitive): what type inference calls BOOLEAN,
// so a 0/1 column is inferred as BIGINT as DuckDB does.
bool LooksLikeBooleanWord(std::string_view text);
// A TIMESTAMP as formats/timestamp.h parses it; cheap pre-check first.
bool ParseTimestampText(std::string_view text, int64_t* out);
// A DATE in ISO form, what type detection calls DATE as DuckDB's sniffer
// does: [-]YYYY-MM-DD (4 or more year digits), optionally " (BC)", nothing
// after it but blanks; days since 1970-01-01 in the supported range
// (formats/date.h). False otherwise ("2024-03-01 10:00" is a TIMESTAMP).
bool ParseDateText(std::string_view text, int64_t* days);
// True when `text` is a timestamp ending in a UTC offset ("+02", "Z",
// "-05:00", " UTC"): type detection calls a column holding one TIMESTAMP
// WITH TIME ZONE, as DuckDB's sniffer does.
bool TimestampTextHasOffset(std::string_view text);

// Units of an epoch timestamp: kAuto guesses from the magnitude
// (|v| < 1e11 seconds, < 1e14 milliseconds, < 1e17 microseconds, else
// nanoseconds, i.e. any date between 1973 and 5138 is read right).
enum class EpochUnit { kAuto, kSeconds, kMillis, kMicros, kNanos };
// "s", "ms", "us", "ns", "auto" (case-insensitive); false otherwise.
bool ParseEpochUnitName(std::string_view name, EpochUnit* unit);
// An ISO 8601 timestamp (as ParseTimestampText), or a number of `unit`s
// since the Unix epoch (integer, or decimal for s and ms), to microseconds.
// False for anything else, and for a number outside the supported TIMESTAMP
// range (formats/timestamp.h), which also sets *out_of_range when given.
bool ParseTimestampOrEpoch(std::string_view text, EpochUnit unit, int64_t* out,
                           bool* out_of_range = nullptr);

// Parses `text` as `type` and appends it to `column` (VARCHAR appends the
// text as is). False, leaving `column` unchanged, when it does not parse.
bool AppendParsedValue(std::string_view text, TypeId type, ColumnVector* column);

}  // namespace tsl
