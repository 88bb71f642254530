// Text of the TIME, BLOB and UUID types (formats/types.h), as DuckDB reads
// and prints it. Thread-safe: pure functions (GenerateUuid draws from a
// per-thread random engine).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "formats/status.h"

namespace tsl {

// TIME: microseconds since midnight, 0 .. 24:00:00 inclusive (DuckDB allows
// 24:00:00).
constexpr int64_t kMaxTimeMicros = 86400LL * 1000000;
// "HH:MM[:SS[.ffffff]]", an optional leading "YYYY-MM-DD " (or 'T') and a
// trailing offset that is ignored, as DuckDB's cast; fractions past
// microseconds are truncated. kInvalidArgument with DuckDB's text:
// time field value out of range: "x", expected format is ([YYYY-MM-DD ]HH:MM:SS[.MS])
Result<int64_t> ParseTime(std::string_view text);
// "12:34:56", "12:34:56.789" (fraction only when non-zero, zeros trimmed).
std::string FormatTime(int64_t micros);

// BLOB: the bytes of text where "\xHH" is one byte; other bytes must be
// ASCII. DuckDB's errors for a bad escape or a non-ASCII byte.
Result<std::string> ParseBlobText(std::string_view text);
// Printable ASCII as is except \ ' " ; every other byte as "\xHH" (upper case).
std::string FormatBlob(std::string_view bytes);

// UUID: 32 hex digits, dashes anywhere, optionally in braces; the canonical
// lowercase 8-4-4-4-12 text. Error: Could not convert string 'x' to INT128.
Result<std::string> ParseUuid(std::string_view text);
// UUID <-> BLOB: the 16 bytes, most significant first (DuckDB's cast).
// REQUIRES for UuidToBytes: canonical text. UuidFromBytes: kInvalidArgument
// unless `bytes` holds exactly 16 bytes.
std::string UuidToBytes(std::string_view canonical);
Result<std::string> UuidFromBytes(std::string_view bytes);
// A random version-4 UUID in canonical text.
std::string GenerateUuid();

}  // namespace tsl
