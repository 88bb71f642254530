// Integer codecs. Layouts are specified in formats/segment.md ("Integer
// encodings"); keep the two in step. All arithmetic on values is done in
// uint64 so any input (including INT64_MIN/MAX and corrupt bytes) wraps
// instead of overflowing. Thread-safety: pure functions.
#include "formats/int_codec.h"

#include <algorithm>

#include "formats/bit_packing.h"
#include "formats/byte_writer.h"

namespace tsl {

Status CheckDeltaBlocksFit(const ByteReader& in, size_t count) {
  if (in.remaining() < (count + kDeltaBlock - 1) / kDeltaBlock)
    return in.Corrupt(std::to_string(count) + " delta residuals need more blocks than bytes remain");
  return Status::OK();
}

Status ReadDeltaBlockWidth(ByteReader* in, uint8_t* width) {
  if (!in->GetU8(width)) return in->Corrupt("delta block header missing");
  if (*width > 64) return in->Corrupt("bit width " + std::to_string(*width) + " > 64");
  return Status::OK();
}

namespace {

void EncodePlain(const int64_t* v, size_t n, ByteWriter* w) {
  for (size_t i = 0; i < n; ++i) w->PutI64(v[i]);
}

void EncodeFor(const int64_t* v, size_t n, ByteWriter* w, std::string* out) {
  if (n == 0) return;
  int64_t mn = v[0], mx = v[0];
  for (size_t i = 1; i < n; ++i) {
    mn = std::min(mn, v[i]);
    mx = std::max(mx, v[i]);
  }
  const int width = BitWidth(static_cast<uint64_t>(mx) - static_cast<uint64_t>(mn));
  w->PutI64(mn);
  w->PutU8(static_cast<uint8_t>(width));
  std::vector<uint64_t> off(n);
  for (size_t i = 0; i < n; ++i) off[i] = static_cast<uint64_t>(v[i]) - static_cast<uint64_t>(mn);
  BitPack(off.data(), n, width, out);
}

// Residuals in blocks: u8 width + packed bits, per kDeltaBlock values.
void PutBlocks(const std::vector<uint64_t>& r, ByteWriter* w, std::string* out) {
  for (size_t b = 0; b < r.size(); b += kDeltaBlock) {
    const size_t m = std::min(kDeltaBlock, r.size() - b);
    uint64_t all = 0;
    for (size_t i = 0; i < m; ++i) all |= r[b + i];
    const int width = BitWidth(all);
    w->PutU8(static_cast<uint8_t>(width));
    BitPack(r.data() + b, m, width, out);
  }
}

Status GetBlocks(ByteReader* in, size_t count, std::vector<uint64_t>* r) {
  RETURN_IF_ERROR(CheckDeltaBlocksFit(*in, count));
  r->resize(count);
  for (size_t b = 0; b < count; b += kDeltaBlock) {
    const size_t m = std::min(kDeltaBlock, count - b);
    uint8_t width;
    RETURN_IF_ERROR(ReadDeltaBlockWidth(in, &width));
    RETURN_IF_ERROR(BitUnpack(in, m, width, r->data() + b));
  }
  return Status::OK();
}

void EncodeDelta(const int64_t* v, size_t n, int order, ByteWriter* w, std::string* out) {
  if (n == 0) return;
  w->PutI64(v[0]);
  if (n == 1) return;
  const uint64_t d0 = static_cast<uint64_t>(v[1]) - static_cast<uint64_t>(v[0]);
  std::vector<uint64_t> r;
  if (order == 1) {
    r.reserve(n - 1);
    for (size_t i = 1; i < n; ++i)
      r.push_back(ZigZagEncode(static_cast<int64_t>(static_cast<uint64_t>(v[i]) - static_cast<uint64_t>(v[i - 1]))));
  } else {
    w->PutU64(d0);
    r.reserve(n - 2);
    uint64_t prev = d0;
    for (size_t i = 2; i < n; ++i) {
      const uint64_t d = static_cast<uint64_t>(v[i]) - static_cast<uint64_t>(v[i - 1]);
      r.push_back(ZigZagEncode(static_cast<int64_t>(d - prev)));
      prev = d;
    }
  }
  PutBlocks(r, w, out);
}

Status DecodeDelta(ByteReader* in, size_t n, int order, std::vector<int64_t>* out) {
  if (n == 0) return Status::OK();
  uint64_t cur;
  if (!in->GetU64(&cur)) return in->Corrupt("delta first value missing");
  out->push_back(static_cast<int64_t>(cur));
  if (n == 1) return Status::OK();
  std::vector<uint64_t> r;
  if (order == 1) {
    RETURN_IF_ERROR(GetBlocks(in, n - 1, &r));
    for (uint64_t z : r) {
      cur += static_cast<uint64_t>(ZigZagDecode(z));
      out->push_back(static_cast<int64_t>(cur));
    }
    return Status::OK();
  }
  uint64_t delta;
  if (!in->GetU64(&delta)) return in->Corrupt("delta-of-delta first delta missing");
  cur += delta;
  out->push_back(static_cast<int64_t>(cur));
  RETURN_IF_ERROR(GetBlocks(in, n - 2, &r));
  for (uint64_t z : r) {
    delta += static_cast<uint64_t>(ZigZagDecode(z));
    cur += delta;
    out->push_back(static_cast<int64_t>(cur));
  }
  return Status::OK();
}

void EncodeRunLength(const int64_t* v, size_t n, ByteWriter* w) {
  // Runs as (zigzag varint value, varint length); the count comes first so
  // the decoder can bound its loop.
  std::string runs;
  ByteWriter rw(&runs);
  uint64_t count = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && v[j] == v[i]) ++j;
    rw.PutVarint(ZigZagEncode(v[i]));
    rw.PutVarint(j - i);
    ++count;
    i = j;
  }
  w->PutVarint(count);
  w->PutBytes(runs);
}

Status DecodeRunLength(ByteReader* in, size_t n, std::vector<int64_t>* out) {
  uint64_t count;
  if (!in->GetVarint(&count)) return in->Corrupt("run-length count missing");
  if (count > n) return in->Corrupt("run-length count " + std::to_string(count) + " exceeds " + std::to_string(n) + " values");
  size_t total = 0;
  for (uint64_t r = 0; r < count; ++r) {
    uint64_t z, len;
    if (!in->GetVarint(&z) || !in->GetVarint(&len)) return in->Corrupt("run-length run truncated");
    if (len == 0 || len > n - total) return in->Corrupt("run length " + std::to_string(len) + " out of range");
    out->insert(out->end(), static_cast<size_t>(len), ZigZagDecode(z));
    total += static_cast<size_t>(len);
  }
  if (total != n) return in->Corrupt("runs cover " + std::to_string(total) + " of " + std::to_string(n) + " values");
  return Status::OK();
}

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Accumulates the encoded size of residuals in kDeltaBlock-value blocks.
struct BlockSizer {
  size_t bytes = 0;
  size_t in_block = 0;
  uint64_t bits = 0;
  void Add(uint64_t r) {
    bits |= r;
    if (++in_block == kDeltaBlock) Close();
  }
  void Close() {
    if (in_block == 0) return;
    bytes += 1 + BitPackedBytes(in_block, BitWidth(bits));
    in_block = 0;
    bits = 0;
  }
};

}  // namespace

std::array<size_t, kIntEncodingCount> IntEncodedSizes(const int64_t* v, size_t n) {
  std::array<size_t, kIntEncodingCount> s{};
  s[0] = 8 * n;
  if (n == 0) return s;
  // One pass computes what every encoder would write, so the chooser only
  // runs the winning encoder.
  int64_t mn = v[0], mx = v[0];
  BlockSizer delta, dod;
  size_t rle = 0, runs = 0, run_len = 1;
  uint64_t prev_d = 0;
  for (size_t i = 1; i < n; ++i) {
    mn = std::min(mn, v[i]);
    mx = std::max(mx, v[i]);
    const uint64_t d = static_cast<uint64_t>(v[i]) - static_cast<uint64_t>(v[i - 1]);
    delta.Add(ZigZagEncode(static_cast<int64_t>(d)));
    if (i >= 2) dod.Add(ZigZagEncode(static_cast<int64_t>(d - prev_d)));
    prev_d = d;
    if (v[i] == v[i - 1]) {
      ++run_len;
    } else {
      rle += VarintSize(ZigZagEncode(v[i - 1])) + VarintSize(run_len);
      ++runs;
      run_len = 1;
    }
  }
  rle += VarintSize(ZigZagEncode(v[n - 1])) + VarintSize(run_len);
  ++runs;
  delta.Close();
  dod.Close();
  s[1] = 9 + BitPackedBytes(n, BitWidth(static_cast<uint64_t>(mx) - static_cast<uint64_t>(mn)));
  s[2] = 8 + delta.bytes;
  s[3] = n == 1 ? 8 : 16 + dod.bytes;
  s[4] = VarintSize(runs) + rle;
  return s;
}

std::string_view IntEncodingName(IntEncoding e) {
  switch (e) {
    case IntEncoding::kPlain: return "plain";
    case IntEncoding::kFrameOfReference: return "frame-of-reference";
    case IntEncoding::kDelta: return "delta";
    case IntEncoding::kDeltaOfDelta: return "delta-of-delta";
    case IntEncoding::kRunLength: return "run-length";
  }
  return "unknown";
}

void EncodeIntsAs(IntEncoding enc, const int64_t* values, size_t n, std::string* out) {
  ByteWriter w(out);
  switch (enc) {
    case IntEncoding::kPlain: EncodePlain(values, n, &w); break;
    case IntEncoding::kFrameOfReference: EncodeFor(values, n, &w, out); break;
    case IntEncoding::kDelta: EncodeDelta(values, n, 1, &w, out); break;
    case IntEncoding::kDeltaOfDelta: EncodeDelta(values, n, 2, &w, out); break;
    case IntEncoding::kRunLength: EncodeRunLength(values, n, &w); break;
  }
}

Status DecodeIntsAs(IntEncoding enc, ByteReader* in, size_t n, std::vector<int64_t>* out) {
  out->reserve(out->size() + n);
  switch (enc) {
    case IntEncoding::kPlain: {
      if (in->remaining() / 8 < n) return in->Corrupt("plain int64 array of " + std::to_string(n) + " values is truncated");
      for (size_t i = 0; i < n; ++i) {
        int64_t v = 0;
        (void)in->GetI64(&v);  // length checked above
        out->push_back(v);
      }
      return Status::OK();
    }
    case IntEncoding::kFrameOfReference: {
      if (n == 0) return Status::OK();
      int64_t mn;
      uint8_t width;
      if (!in->GetI64(&mn) || !in->GetU8(&width)) return in->Corrupt("frame-of-reference header truncated");
      std::vector<uint64_t> off(n);
      RETURN_IF_ERROR(BitUnpack(in, n, width, off.data()));
      for (uint64_t o : off) out->push_back(static_cast<int64_t>(static_cast<uint64_t>(mn) + o));
      return Status::OK();
    }
    case IntEncoding::kDelta: return DecodeDelta(in, n, 1, out);
    case IntEncoding::kDeltaOfDelta: return DecodeDelta(in, n, 2, out);
    case IntEncoding::kRunLength: return DecodeRunLength(in, n, out);
  }
  return in->Corrupt("unknown integer encoding " + std::to_string(static_cast<int>(enc)));
}

IntEncoding EncodeIntsSmallest(const int64_t* values, size_t n, std::string* out) {
  const auto sizes = IntEncodedSizes(values, n);
  int best = 0;
  for (int e = 1; e < kIntEncodingCount; ++e)
    if (sizes[e] < sizes[best]) best = e;
  EncodeIntsAs(static_cast<IntEncoding>(best), values, n, out);
  return static_cast<IntEncoding>(best);
}

IntEncoding EncodeIntsBest(const int64_t* values, size_t n, std::string* out) {
  const size_t tag_at = out->size();
  out->push_back('\0');
  const IntEncoding e = EncodeIntsSmallest(values, n, out);
  (*out)[tag_at] = static_cast<char>(e);
  return e;
}

Status DecodeIntsTagged(ByteReader* in, size_t n, std::vector<int64_t>* out) {
  uint8_t tag;
  if (!in->GetU8(&tag)) return in->Corrupt("integer stream tag missing");
  if (tag >= kIntEncodingCount) return in->Corrupt("unknown integer encoding " + std::to_string(tag));
  return DecodeIntsAs(static_cast<IntEncoding>(tag), in, n, out);
}

}  // namespace tsl
