// GorillaReader: the one decoder of the Gorilla XOR stream
// (formats/segment.md, "Gorilla"): a length-prefixed bit stream whose first
// value is 64 raw bits, then per value a control bit (0: same as the
// previous), a window bit (1: a new window of 5 bits leading zeros and 6
// bits length follows) and the meaningful bits of the XOR with the
// previous value. DecodeGorilla (gorilla_codec.cc) reads every value with
// it, the range decode (range_decode.cc) stops after the last wanted one.
// Thread-safety: one thread per reader.
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

#include "formats/bit_stream.h"
#include "formats/byte_reader.h"

namespace tsl {

class GorillaReader {
 public:
  // Reads the stream of `n` values from `in` and, when n > 0, its first
  // value (bits()). For n == 0 the stream must be empty.
  Status Open(ByteReader* in, size_t n) {
    in_ = in;
    if (!in->GetLengthPrefixed(&stream_)) return in->Corrupt("gorilla stream length out of range");
    bits_ = BitReader(stream_);
    if (n == 0) {
      if (!stream_.empty()) return in->Corrupt("gorilla stream not empty for zero values");
      return Status::OK();
    }
    if (!bits_.Read(64, &prev_)) return in->Corrupt("gorilla stream truncated");
    return Status::OK();
  }

  // The current value.
  double value() const { return std::bit_cast<double>(prev_); }

  // Moves to the next value; false on corrupt input (then Error() says why).
  bool Next() {
    uint64_t bit;
    if (!bits_.Read(1, &bit)) return Fail("gorilla stream truncated");
    if (bit == 0) return true;
    if (!bits_.Read(1, &bit)) return Fail("gorilla stream truncated");
    if (bit == 1) {
      uint64_t l, len;
      if (!bits_.Read(5, &l) || !bits_.Read(6, &len)) return Fail("gorilla stream truncated");
      if (len == 0) len = 64;
      if (l + len > 64) {
        return Fail("gorilla window " + std::to_string(l) + "+" + std::to_string(len) +
                    " exceeds 64 bits");
      }
      lead_ = static_cast<int>(l);
      trail_ = 64 - lead_ - static_cast<int>(len);
    } else if (lead_ < 0) {
      return Fail("gorilla reuses a window before defining one");
    }
    uint64_t m;
    if (!bits_.Read(64 - lead_ - trail_, &m)) return Fail("gorilla stream truncated");
    prev_ ^= trail_ == 64 ? 0 : m << trail_;
    return true;
  }

  // Why Next() failed.
  Status Error() const { return in_->Corrupt(error_); }

  // After the last value: the stream must end there.
  Status CheckEnd() const {
    if (bits_.bytes_consumed() != stream_.size()) return in_->Corrupt("gorilla stream has trailing bytes");
    return Status::OK();
  }

 private:
  bool Fail(std::string why) {
    error_ = std::move(why);
    return false;
  }

  ByteReader* in_ = nullptr;
  std::string_view stream_;
  BitReader bits_{std::string_view()};
  uint64_t prev_ = 0;
  int lead_ = -1, trail_ = 0;  // the current window; lead_ < 0: none yet
  std::string error_;
};

}  // namespace tsl
