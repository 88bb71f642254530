// Null bitmap: one bit a row, 1 = value present, LSB-first, ceil(rows/8)
// bytes, unused high bits of the last byte zero (formats/segment.md, "Column
// body"). Written only when a column has NULLs. Thread-safety: pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "formats/byte_reader.h"

namespace tsl {

// Appends the bitmap of `valid` (one byte a row, 0 = NULL) to *out.
void EncodeNullBitmap(const std::vector<uint8_t>& valid, std::string* out);

// Reads a bitmap for `rows` rows into *valid (one byte a row). kCorruption
// when it is truncated, has padding bits set, or does not hold exactly
// `null_count` NULLs.
Status DecodeNullBitmap(ByteReader* in, size_t rows, size_t null_count, std::vector<uint8_t>* valid);

}  // namespace tsl
