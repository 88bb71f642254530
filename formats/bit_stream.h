// BitWriter / BitReader: a variable-width bit stream, most significant bit
// first, stored as bytes (formats/segment.md, "Gorilla"). Used by
// the Gorilla XOR double codec, whose fields have data-dependent widths.
// The reader never reads past its input: Read fails instead.
// Thread-safety: one owner at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tsl {

class BitWriter {
 public:
  explicit BitWriter(std::string* out) : out_(out) {}
  // Appends the low `bits` bits of v (0 <= bits <= 64), most significant first.
  void Write(uint64_t v, int bits) {
    if (bits > 32) {
      WriteSmall(v >> 32, bits - 32);
      WriteSmall(v & 0xFFFFFFFFu, 32);
    } else {
      WriteSmall(v, bits);
    }
  }
  // Pads the last byte with zero bits.
  void Flush() {
    if (nbits_ > 0) {
      out_->push_back(static_cast<char>((acc_ << (8 - nbits_)) & 0xFF));
      acc_ = 0;
      nbits_ = 0;
    }
  }

 private:
  // bits <= 32 and nbits_ < 8 on entry, so the accumulator never exceeds 40 bits.
  void WriteSmall(uint64_t v, int bits) {
    if (bits == 0) return;
    acc_ = (acc_ << bits) | (v & ((uint64_t{1} << bits) - 1));
    nbits_ += bits;
    while (nbits_ >= 8) {
      nbits_ -= 8;
      out_->push_back(static_cast<char>((acc_ >> nbits_) & 0xFF));
    }
    acc_ &= (uint64_t{1} << nbits_) - 1;
  }
  std::string* out_;
  uint64_t acc_ = 0;
  int nbits_ = 0;
};

class BitReader {
 public:
  explicit BitReader(std::string_view data) : data_(data) {}
  // Reads `bits` bits (0..64) into *v; false when the stream is too short.
  bool Read(int bits, uint64_t* v) {
    if (bits < 0 || bits > 64) return false;
    const uint64_t left = (data_.size() - next_) * 8 + static_cast<uint64_t>(have_);
    if (static_cast<uint64_t>(bits) > left) return false;
    if (bits > 32) {
      const uint64_t hi = ReadSmall(bits - 32);
      *v = (hi << 32) | ReadSmall(32);
    } else {
      *v = ReadSmall(bits);
    }
    return true;
  }
  size_t bytes_consumed() const { return next_; }

 private:
  // REQUIRES: bits <= 32 and enough bits remain (checked by Read).
  uint64_t ReadSmall(int bits) {
    if (bits == 0) return 0;
    while (have_ < bits) {
      acc_ = (acc_ << 8) | static_cast<uint8_t>(data_[next_++]);
      have_ += 8;
    }
    have_ -= bits;
    const uint64_t r = (acc_ >> have_) & ((uint64_t{1} << bits) - 1);
    acc_ &= (uint64_t{1} << have_) - 1;
    return r;
  }
  std::string_view data_;
  size_t next_ = 0;   // next byte to load
  uint64_t acc_ = 0;  // loaded, unread bits (low have_ bits)
  int have_ = 0;
};

}  // namespace tsl
