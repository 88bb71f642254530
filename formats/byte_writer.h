// ByteWriter: appends little-endian fixed-width integers, LEB128 varints and
// raw bytes to a std::string. Every on-disk format in formats/ is written
// with it, so all multi-byte fields are little-endian.
// Thread-safety: one owner at a time.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tsl {

class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}

  void PutU8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void PutU32(uint32_t v) { PutLittleEndian(v, 4); }
  void PutU64(uint64_t v) { PutLittleEndian(v, 8); }
  void PutI64(int64_t v) { PutU64(static_cast<uint64_t>(v)); }
  void PutDouble(double d) {
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    PutU64(bits);
  }
  // Unsigned LEB128: 7 bits a byte, high bit set on all but the last.
  void PutVarint(uint64_t v) {
    while (v >= 0x80) {
      PutU8(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    PutU8(static_cast<uint8_t>(v));
  }
  void PutBytes(std::string_view b) { out_->append(b.data(), b.size()); }
  // Varint length followed by the bytes.
  void PutLengthPrefixed(std::string_view b) {
    PutVarint(b.size());
    PutBytes(b);
  }
  size_t size() const { return out_->size(); }

 private:
  void PutLittleEndian(uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out_->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  std::string* out_;
};

// Maps signed to unsigned so small magnitudes get small codes:
// 0,-1,1,-2 -> 0,1,2,3. Wrapping arithmetic: defined for every int64.
inline uint64_t ZigZagEncode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ (v < 0 ? ~uint64_t{0} : uint64_t{0});
}
inline int64_t ZigZagDecode(uint64_t u) {
  return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

}  // namespace tsl
