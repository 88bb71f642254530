// Plain and decimal (ALP-style) double codecs and the chooser. Layouts in
// formats/segment.md ("Double encodings"). Thread-safety: pure functions.
#include "formats/double_codec.h"

#include <bit>
#include <cmath>

#include "formats/byte_writer.h"
#include "formats/int_codec.h"

namespace tsl {
namespace {

constexpr int kMaxExponent = 10;
constexpr double kPow10[kMaxExponent + 1] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10};
// Scaled values beyond 2^52 are not exactly representable as a step of 1,
// so they are stored as exceptions.
constexpr double kMaxScaled = 4503599627370496.0;

inline double FromDigits(int64_t digits, int e) { return static_cast<double>(digits) / kPow10[e]; }

bool ToDigits(double v, int e, int64_t* digits) {
  const double scaled = v * kPow10[e];
  if (!(std::fabs(scaled) < kMaxScaled)) return false;  // also rejects NaN/inf
  const int64_t d = std::llround(scaled);
  if (std::bit_cast<uint64_t>(FromDigits(d, e)) != std::bit_cast<uint64_t>(v)) return false;  // catches -0.0 too
  *digits = d;
  return true;
}

// Smallest exponent with the fewest exceptions on an evenly spaced sample.
int ChooseExponent(const double* v, size_t n, size_t* sample_failures) {
  const size_t kSample = 1024;
  const size_t step = n > kSample ? n / kSample : 1;
  int best_e = 0;
  size_t best_fail = SIZE_MAX, sampled = 0;
  for (int e = 0; e <= kMaxExponent; ++e) {
    size_t fail = 0;
    sampled = 0;
    int64_t d;
    for (size_t i = 0; i < n; i += step, ++sampled)
      if (!ToDigits(v[i], e, &d)) ++fail;
    if (fail < best_fail) {
      best_fail = fail;
      best_e = e;
    }
    if (fail == 0) break;
  }
  *sample_failures = sampled == 0 ? 0 : best_fail * 8 / sampled;  // eighths failing
  return best_e;
}

void EncodeDecimal(const double* v, size_t n, std::string* out) {
  size_t fail_eighths;
  const int e = n == 0 ? 0 : ChooseExponent(v, n, &fail_eighths);
  std::vector<int64_t> digits(n);
  std::vector<uint32_t> exc;
  int64_t last = 0;
  for (size_t i = 0; i < n; ++i) {
    int64_t d;
    if (ToDigits(v[i], e, &d)) {
      digits[i] = last = d;
    } else {
      digits[i] = last;  // keeps the digit stream smooth for delta codecs
      exc.push_back(static_cast<uint32_t>(i));
    }
  }
  ByteWriter w(out);
  w.PutU8(static_cast<uint8_t>(e));
  w.PutVarint(exc.size());
  uint32_t prev = 0;
  for (uint32_t p : exc) {
    w.PutVarint(p - prev);  // gaps; first is the position itself
    w.PutDouble(v[p]);
    prev = p;
  }
  EncodeIntsBest(digits.data(), n, out);
}

Status DecodeDecimal(ByteReader* in, size_t n, std::vector<double>* out) {
  DecimalHeader h;
  RETURN_IF_ERROR(ReadDecimalHeader(in, n, &h));
  std::vector<int64_t> digits;
  RETURN_IF_ERROR(DecodeIntsTagged(in, n, &digits));
  const size_t base = out->size();
  out->reserve(base + n);
  for (int64_t d : digits) out->push_back(FromDigits(d, h.exponent));
  for (const auto& [p, d] : h.exceptions) (*out)[base + p] = d;
  return Status::OK();
}

}  // namespace

Status ReadDecimalHeader(ByteReader* in, size_t n, DecimalHeader* header) {
  uint8_t e;
  uint64_t nexc;
  if (!in->GetU8(&e) || !in->GetVarint(&nexc)) return in->Corrupt("decimal header truncated");
  if (e > kMaxExponent) return in->Corrupt("decimal exponent " + std::to_string(e) + " > 10");
  if (nexc > n) return in->Corrupt("decimal exception count " + std::to_string(nexc) + " exceeds " + std::to_string(n));
  header->exponent = e;
  header->exceptions.clear();
  header->exceptions.reserve(static_cast<size_t>(nexc));
  uint64_t pos = 0;
  for (uint64_t k = 0; k < nexc; ++k) {
    uint64_t gap;
    double d;
    if (!in->GetVarint(&gap) || !in->GetDouble(&d)) return in->Corrupt("decimal exception truncated");
    if ((k > 0 && gap == 0) || gap >= n || pos + gap >= n)
      return in->Corrupt("decimal exception position out of range");
    pos += gap;
    header->exceptions.emplace_back(static_cast<size_t>(pos), d);
  }
  return Status::OK();
}

double DecimalValue(int64_t digits, uint8_t exponent) { return FromDigits(digits, exponent); }

void EncodeDoublesAs(DoubleEncoding enc, const double* values, size_t n, std::string* out) {
  switch (enc) {
    case DoubleEncoding::kPlain: {
      ByteWriter w(out);
      for (size_t i = 0; i < n; ++i) w.PutDouble(values[i]);
      break;
    }
    case DoubleEncoding::kDecimal: EncodeDecimal(values, n, out); break;
    case DoubleEncoding::kGorilla: EncodeGorilla(values, n, out); break;
  }
}

Status DecodeDoublesAs(DoubleEncoding enc, ByteReader* in, size_t n, std::vector<double>* out) {
  switch (enc) {
    case DoubleEncoding::kPlain: {
      if (in->remaining() / 8 < n) return in->Corrupt("plain double array of " + std::to_string(n) + " values is truncated");
      out->reserve(out->size() + n);
      for (size_t i = 0; i < n; ++i) {
        double d = 0;
        (void)in->GetDouble(&d);  // length checked above
        out->push_back(d);
      }
      return Status::OK();
    }
    case DoubleEncoding::kDecimal: return DecodeDecimal(in, n, out);
    case DoubleEncoding::kGorilla: return DecodeGorilla(in, n, out);
  }
  return in->Corrupt("unknown double encoding " + std::to_string(static_cast<int>(enc)));
}

DoubleEncoding EncodeDoublesSmallest(const double* values, size_t n, std::string* out) {
  DoubleEncoding best = DoubleEncoding::kPlain;
  size_t best_size = 8 * n;  // plain; only encoded if nothing beats it
  std::string best_bytes;
  // Decimal only when most values are decimals; otherwise the exception
  // list makes it a poor plain encoding and Gorilla is the fallback.
  size_t fail_eighths = 8;
  if (n > 0) ChooseExponent(values, n, &fail_eighths);
  for (DoubleEncoding e : {DoubleEncoding::kDecimal, DoubleEncoding::kGorilla}) {
    if (e == DoubleEncoding::kDecimal && fail_eighths >= 4) continue;
    // Gorilla needs over a byte a value on anything but near-constant data,
    // which the decimal codec already stores in far less: skip the work.
    if (e == DoubleEncoding::kGorilla && best == DoubleEncoding::kDecimal && best_size <= n) continue;
    std::string trial;
    EncodeDoublesAs(e, values, n, &trial);
    if (trial.size() < best_size) {
      best = e;
      best_size = trial.size();
      best_bytes.swap(trial);
    }
  }
  if (best == DoubleEncoding::kPlain) {
    EncodeDoublesAs(DoubleEncoding::kPlain, values, n, out);
  } else {
    out->append(best_bytes);
  }
  return best;
}

}  // namespace tsl
