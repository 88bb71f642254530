// Terminal display width of UTF-8 text, as wcwidth(3) measures it but
// without depending on the process locale: East Asian wide and fullwidth
// characters and emoji take two columns, combining marks and zero-width
// characters none, everything else one; and, as a terminal draws them as
// one glyph, an emoji with a skin tone, a symbol with VS16 (two columns),
// a ZWJ sequence and a flag (a pair of regional indicators) are one
// cluster, measured and cut whole. The grid printers align borders with it
// (DuckDB's shell measures grapheme clusters with utf8proc the same way).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tslake::cli {

// Columns one code point occupies: 0, 1 or 2.
int CodePointWidth(uint32_t cp);

// Display columns of UTF-8 text. Invalid bytes count one column each.
// Clusters as above.
size_t DisplayWidth(const std::string& text);

// The longest prefix of `text` (cut at a cluster boundary) whose display
// width is at most `max_width`; its width goes to *width when given.
size_t PrefixWithinWidth(const std::string& text, size_t max_width, size_t* width = nullptr);

}  // namespace tslake::cli
