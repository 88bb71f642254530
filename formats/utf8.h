// UTF-8 validation, the one check every entry point of VARCHAR text uses
// (CSV/JSONL/Parquet/PI/Ignition/line-protocol readers, the appender, the
// table write path). DuckDB refuses invalid UTF-8, and so does tslake: a
// byte string that is not UTF-8 would sort one way in the zone maps
// (replacement characters) and another in a filter, and would make
// `--mode json` print invalid JSON. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tsl {

// The byte offset of the first byte that does not start a well-formed
// UTF-8 sequence (RFC 3629: no overlong forms, no surrogates U+D800-DFFF,
// nothing past U+10FFFF, no truncated sequence), or npos when `s` is valid.
// ASCII is checked 8 bytes at a time.
size_t FindInvalidUtf8(std::string_view s);
inline bool IsValidUtf8(std::string_view s) { return FindInvalidUtf8(s) == std::string_view::npos; }

// "invalid UTF-8 at byte 3 (0xff)": what to put after a location in an
// error message. REQUIRES: FindInvalidUtf8(s) != npos.
std::string DescribeInvalidUtf8(std::string_view s);

// `s` itself when valid; otherwise each byte that does not start a valid
// sequence written as the text "\xNN" (so a rejected row's raw bytes can be
// stored in a VARCHAR and still be read).
std::string EscapeInvalidUtf8(std::string_view s);

}  // namespace tsl
