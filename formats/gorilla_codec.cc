// Gorilla XOR compression of doubles (Facebook's Gorilla paper, section
// 4.1.2). Layout in formats/segment.md ("Gorilla"). The stream is prefixed
// by its byte length so the decoder knows exactly where it ends.
// Thread-safety: pure functions.
#include <bit>

#include "formats/gorilla_reader.h"  // the decoder; the writer below is the encoder's own
#include "formats/byte_writer.h"
#include "formats/double_codec.h"

namespace tsl {
namespace {

// An MSB-first bit writer producing the same bytes as BitWriter
// (bit_stream.h), with a 64-bit accumulator emitted 8 bytes at a time:
// the encoder's hot loop.
class WordBitWriter {
 public:
  explicit WordBitWriter(std::string* out) : out_(out) {}
  // The low `bits` bits of v (0 <= bits <= 64).
  void Write(uint64_t v, int bits) {
    if (bits == 0) return;
    if (bits < 64) v &= (uint64_t{1} << bits) - 1;
    if (n_ + bits <= 64) {
      acc_ = n_ == 0 ? v : (acc_ << bits) | v;
      n_ += bits;
      if (n_ == 64) {
        Emit(acc_, 8);
        acc_ = 0;
        n_ = 0;
      }
      return;
    }
    const int first = 64 - n_;  // 1..63, since n_ >= 1 here
    const int rest = bits - first;
    Emit((acc_ << first) | (v >> rest), 8);
    n_ = rest;
    acc_ = v & ((uint64_t{1} << rest) - 1);
  }
  // Writes the pending bits, the last byte padded with zero bits.
  void Flush() {
    if (n_ == 0) return;
    const int bytes = (n_ + 7) / 8;
    Emit(acc_ << (bytes * 8 - n_), bytes);
    acc_ = 0;
    n_ = 0;
  }

 private:
  // The low `bytes` bytes of w, most significant first.
  void Emit(uint64_t w, int bytes) {
    char b[8];
    for (int i = 0; i < bytes; ++i) b[i] = static_cast<char>(w >> (8 * (bytes - 1 - i)));
    out_->append(b, static_cast<size_t>(bytes));
  }
  std::string* out_;
  uint64_t acc_ = 0;
  int n_ = 0;  // bits held in acc_, < 64
};

}  // namespace

void EncodeGorilla(const double* values, size_t n, std::string* out) {
  std::string stream;
  stream.reserve(n * 2);
  WordBitWriter bw(&stream);
  if (n > 0) {
    uint64_t prev = std::bit_cast<uint64_t>(values[0]);
    bw.Write(prev, 64);
    int prev_lead = -1, prev_trail = 0;  // no window yet
    for (size_t i = 1; i < n; ++i) {
      const uint64_t cur = std::bit_cast<uint64_t>(values[i]);
      const uint64_t x = cur ^ prev;
      prev = cur;
      if (x == 0) {
        bw.Write(0, 1);
        continue;
      }
      bw.Write(1, 1);
      int lead = __builtin_clzll(x);
      const int trail = __builtin_ctzll(x);
      if (lead > 31) lead = 31;  // 5-bit field
      if (prev_lead >= 0 && lead >= prev_lead && trail >= prev_trail) {
        // Fits the previous window: '0' + the window's bits.
        bw.Write(0, 1);
        bw.Write(x >> prev_trail, 64 - prev_lead - prev_trail);
      } else {
        const int len = 64 - lead - trail;  // 1..64; 64 is stored as 0
        bw.Write(1, 1);
        bw.Write(static_cast<uint64_t>(lead), 5);
        bw.Write(static_cast<uint64_t>(len & 63), 6);
        bw.Write(x >> trail, len);
        prev_lead = lead;
        prev_trail = trail;
      }
    }
  }
  bw.Flush();
  ByteWriter w(out);
  w.PutVarint(stream.size());
  w.PutBytes(stream);
}

Status DecodeGorilla(ByteReader* in, size_t n, std::vector<double>* out) {
  GorillaReader reader;
  RETURN_IF_ERROR(reader.Open(in, n));
  if (n == 0) return Status::OK();
  out->reserve(out->size() + n);
  out->push_back(reader.value());
  for (size_t i = 1; i < n; ++i) {
    if (!reader.Next()) return reader.Error();
    out->push_back(reader.value());
  }
  return reader.CheckEnd();
}

}  // namespace tsl
