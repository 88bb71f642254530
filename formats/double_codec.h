// Double codecs for dense arrays (no NULLs): plain, decimal (ALP-style: the
// values are decimals with at most 10 fractional digits, stored as scaled
// integers through the integer codecs, with exceptions kept raw) and Gorilla
// XOR (formats/segment.md, "Double encodings"). EncodeDoublesSmallest tries
// them and keeps the smallest. Every value round-trips bit for bit (NaN
// payloads, -0.0, infinities included). Decoders validate every count:
// corrupt input is kCorruption. Thread-safety: pure functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "formats/byte_reader.h"

namespace tsl {

enum class DoubleEncoding : uint8_t { kPlain = 0, kDecimal = 1, kGorilla = 2 };

void EncodeDoublesAs(DoubleEncoding enc, const double* values, size_t n, std::string* out);
Status DecodeDoublesAs(DoubleEncoding enc, ByteReader* in, size_t n, std::vector<double>* out);
DoubleEncoding EncodeDoublesSmallest(const double* values, size_t n, std::string* out);

// The decimal encoding's header (formats/segment.md, "Decimal"): the
// exponent e and the exceptions, stored raw at their positions. Read by the
// full decode and the range decode (range_decode.h) alike; the digits that
// follow are integer-coded, value i = DecimalValue(digits[i], e).
struct DecimalHeader {
  uint8_t exponent = 0;
  std::vector<std::pair<size_t, double>> exceptions;  // (position < n, value), ascending
};
Status ReadDecimalHeader(ByteReader* in, size_t n, DecimalHeader* header);
// The one decode formula; the encoder checks candidates against it, so a
// value is only stored as digits when this reproduces it bit for bit.
// REQUIRES: exponent <= 10 (ReadDecimalHeader checks it).
double DecimalValue(int64_t digits, uint8_t exponent);

// Gorilla (Pelkonen et al., VLDB 2015), in gorilla_codec.cc.
void EncodeGorilla(const double* values, size_t n, std::string* out);
Status DecodeGorilla(ByteReader* in, size_t n, std::vector<double>* out);

}  // namespace tsl
