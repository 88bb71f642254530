// Bit packing with a 64-bit accumulator. See bit_packing.h.
// Thread-safety: pure functions.
#include "formats/bit_packing.h"

#include <algorithm>
#include <cassert>

namespace tsl {

void BitPack(const uint64_t* values, size_t n, int width, std::string* out) {
  assert(width >= 0 && width <= 64);
  if (width == 0 || n == 0) return;
  const size_t start = out->size();
  out->resize(start + BitPackedBytes(n, width), '\0');
  unsigned char* p = reinterpret_cast<unsigned char*>(&(*out)[start]);
  size_t bitpos = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t v = values[i];
    assert(width == 64 || v < (uint64_t{1} << width));
    int left = width;
    while (left > 0) {
      const size_t byte = bitpos >> 3;
      const int off = static_cast<int>(bitpos & 7);
      const int take = std::min(left, 8 - off);
      p[byte] |= static_cast<unsigned char>((v & ((1u << take) - 1)) << off);
      v >>= take;
      left -= take;
      bitpos += static_cast<size_t>(take);
    }
  }
}

Status BitUnpack(ByteReader* in, size_t n, int width, uint64_t* out) {
  if (width < 0 || width > 64) return in->Corrupt("bit width " + std::to_string(width) + " > 64");
  if (width == 0) {
    for (size_t i = 0; i < n; ++i) out[i] = 0;
    return Status::OK();
  }
  // n is bounded by the caller's row limit, so n * width cannot overflow.
  const size_t bytes = BitPackedBytes(n, width);
  std::string_view b;
  if (!in->GetBytes(bytes, &b))
    return in->Corrupt("bit-packed run of " + std::to_string(n) + " x " + std::to_string(width) +
                       " bits is truncated");
  const unsigned char* p = reinterpret_cast<const unsigned char*>(b.data());
  const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
  size_t bitpos = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t v = 0;
    int got = 0;
    while (got < width) {
      const size_t byte = bitpos >> 3;
      const int off = static_cast<int>(bitpos & 7);
      const int take = std::min(width - got, 8 - off);
      v |= static_cast<uint64_t>((p[byte] >> off) & ((1u << take) - 1)) << got;
      got += take;
      bitpos += static_cast<size_t>(take);
    }
    out[i] = v & mask;
  }
  return Status::OK();
}

}  // namespace tsl
