// Integer codecs for dense int64 arrays (no NULLs; the null bitmap is
// separate): plain, frame-of-reference, delta, delta-of-delta and run-length
// (formats/segment.md, "Integer encodings"). EncodeIntsBest tries each and
// keeps the smallest, which is how regular 1 s timestamps end up well under a
// bit a value and 99%-constant quality codes near zero.
// Decoders validate every count and width: corrupt input is kCorruption,
// never an out-of-bounds read. Thread-safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "formats/byte_reader.h"

namespace tsl {

// Residuals of the delta codecs are bit-packed in blocks of this many values,
// each with its own width, so one outlier (a tag boundary, a gap) costs one
// block rather than the whole column.
constexpr size_t kDeltaBlock = 128;

// The next delta block's width byte (at most 64). Before reading `count`
// residuals, CheckDeltaBlocksFit refuses a count whose blocks (each at
// least its width byte) cannot fit in what `in` holds, before anything is
// allocated. Used by the full decode and the range decode (range_decode.h).
Status CheckDeltaBlocksFit(const ByteReader& in, size_t count);
Status ReadDeltaBlockWidth(ByteReader* in, uint8_t* width);

enum class IntEncoding : uint8_t {
  kPlain = 0,             // n x int64 little-endian
  kFrameOfReference = 1,  // min, then (v - min) bit-packed
  kDelta = 2,             // first, then zigzag(v[i] - v[i-1]) in 128-value blocks
  kDeltaOfDelta = 3,      // first, first delta, then zigzag delta-of-deltas in blocks
  kRunLength = 4,         // (value, run length) pairs as varints
};
constexpr int kIntEncodingCount = 5;

std::string_view IntEncodingName(IntEncoding e);

// Appends values[0, n) encoded with `enc` to *out.
void EncodeIntsAs(IntEncoding enc, const int64_t* values, size_t n, std::string* out);
// Decodes exactly n values encoded with `enc`, appending them to *out.
Status DecodeIntsAs(IntEncoding enc, ByteReader* in, size_t n, std::vector<int64_t>* out);

// Encodes with every encoding, appends the smallest as u8 encoding id +
// payload, and returns the one chosen. Used for nested integer streams
// (dictionary ids, string lengths, decimal digits).
IntEncoding EncodeIntsBest(const int64_t* values, size_t n, std::string* out);
// Reads what EncodeIntsBest wrote.
Status DecodeIntsTagged(ByteReader* in, size_t n, std::vector<int64_t>* out);

// The exact payload size each encoding would produce, indexed by
// IntEncoding, computed in one pass without encoding.
std::array<size_t, kIntEncodingCount> IntEncodedSizes(const int64_t* values, size_t n);

// Smallest encoding without the tag byte (top-level column blocks record
// the encoding in the segment footer instead).
IntEncoding EncodeIntsSmallest(const int64_t* values, size_t n, std::string* out);

}  // namespace tsl
