// Bit packing: n unsigned values of `width` bits (0..64) each, laid out
// LSB-first in consecutive little-endian bytes, ceil(n * width / 8) bytes in
// all (formats/segment.md, "Bit packing"). The building block of the integer,
// decimal and dictionary codecs. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "formats/byte_reader.h"

namespace tsl {

// Bits needed for v (0 for 0, 64 for values with the top bit set).
inline int BitWidth(uint64_t v) { return v == 0 ? 0 : 64 - __builtin_clzll(v); }

// Bytes that BitPack writes for n values of `width` bits.
inline size_t BitPackedBytes(size_t n, int width) {
  return (n / 8) * static_cast<size_t>(width) + ((n % 8) * static_cast<size_t>(width) + 7) / 8;
}

// Appends values[0, n) packed at `width` bits to *out.
// REQUIRES: 0 <= width <= 64 and every value < 2^width.
void BitPack(const uint64_t* values, size_t n, int width, std::string* out);

// Reads n values of `width` bits from *in into out[0, n). kCorruption when
// width > 64 or fewer than BitPackedBytes(n, width) bytes remain.
Status BitUnpack(ByteReader* in, size_t n, int width, uint64_t* out);

}  // namespace tsl
