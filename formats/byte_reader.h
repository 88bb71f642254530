// ByteReader: bounds-checked reads of the fields ByteWriter writes. Every
// getter returns false (reading nothing) when the bytes are not there, so
// decoders can turn any truncated or oversized field into kCorruption
// instead of reading out of bounds. Thread-safety: one owner at a time.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "formats/status.h"

namespace tsl {

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}

  size_t position() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool AtEnd() const { return pos_ == data_.size(); }

  bool GetU8(uint8_t* v) {
    if (remaining() < 1) return false;
    *v = static_cast<uint8_t>(data_[pos_++]);
    return true;
  }
  bool GetU32(uint32_t* v) {
    uint64_t w;
    if (!GetLittleEndian(4, &w)) return false;
    *v = static_cast<uint32_t>(w);
    return true;
  }
  bool GetU64(uint64_t* v) { return GetLittleEndian(8, v); }
  bool GetI64(int64_t* v) {
    uint64_t u;
    if (!GetU64(&u)) return false;
    *v = static_cast<int64_t>(u);
    return true;
  }
  bool GetDouble(double* d) {
    uint64_t bits;
    if (!GetU64(&bits)) return false;
    std::memcpy(d, &bits, 8);
    return true;
  }
  // At most 10 bytes; rejects encodings whose value does not fit 64 bits.
  bool GetVarint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      uint8_t b;
      if (!GetU8(&b)) return false;
      if (shift == 63 && (b & 0x7E) != 0) return false;
      result |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return false;
  }
  bool GetBytes(size_t n, std::string_view* out) {
    if (remaining() < n) return false;
    *out = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool GetLengthPrefixed(std::string_view* out) {
    uint64_t n;
    return GetVarint(&n) && n <= remaining() && GetBytes(static_cast<size_t>(n), out);
  }

  // kCorruption "<what> at byte <position>": the decoders' uniform error.
  Status Corrupt(std::string_view what) const {
    return Status::Corruption(std::string(what) + " at byte " + std::to_string(pos_));
  }

 private:
  bool GetLittleEndian(int bytes, uint64_t* v) {
    if (remaining() < static_cast<size_t>(bytes)) return false;
    uint64_t r = 0;
    for (int i = 0; i < bytes; ++i) r |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
    pos_ += bytes;
    *v = r;
    return true;
  }
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace tsl
