// Packs and unpacks segments.tag_ranges (formats/catalog.md): a format
// byte, the entry count, a base ts, then per entry varints relative to
// the previous tag id and to the base ts.
// Thread-safety: stateless.
#include "storage/catalog_tag_ranges.h"

#include "formats/compression.h"

namespace tsl {
namespace {

constexpr uint8_t kFormat = 1;            // the entries as varints
constexpr uint8_t kFormatCompressed = 2;  // varint raw length, then a zstd frame of format 1
// Below this a zstd frame's overhead outweighs what it saves.
constexpr size_t kCompressFrom = 64;
constexpr uint64_t kHasTs = 1, kHasUnits = 2, kHasUnitsTs = 4;  // entry flags

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    uint8_t b = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

// Differences are taken modulo 2^64, so any two int64 values round-trip.
uint64_t Minus(int64_t a, int64_t b) { return static_cast<uint64_t>(a) - static_cast<uint64_t>(b); }
int64_t Plus(int64_t base, uint64_t d) {
  return static_cast<int64_t>(static_cast<uint64_t>(base) + d);
}

}  // namespace

namespace {
std::string PackRaw(const std::vector<PackedTagRange>& ranges) {
  std::string out;
  out.push_back(static_cast<char>(kFormat));
  PutVarint(&out, ranges.size());
  int64_t base = 0;
  bool any = false;
  for (const PackedTagRange& r : ranges)
    if (r.min_ts && (!any || *r.min_ts < base)) {
      base = *r.min_ts;
      any = true;
    }
  PutVarint(&out, static_cast<uint64_t>(base));
  int64_t prev = 0;
  for (const PackedTagRange& r : ranges) {
    // 0: the NULL tag (only first); else the id's increase over the previous.
    PutVarint(&out, r.tag_id ? Minus(*r.tag_id, prev) : 0);
    if (r.tag_id) prev = *r.tag_id;
    PutVarint(&out, static_cast<uint64_t>(r.rows));
    const bool has_ts = r.min_ts && r.max_ts;
    PutVarint(&out,
              (has_ts ? kHasTs : 0) | (r.units ? kHasUnits : 0) | (r.units_ts ? kHasUnitsTs : 0));
    if (has_ts) {
      PutVarint(&out, Minus(*r.min_ts, base));
      PutVarint(&out, Minus(*r.max_ts, *r.min_ts));
    }
    if (r.units) {
      PutVarint(&out, r.units->size());
      out += *r.units;
    }
    if (r.units_ts) PutVarint(&out, Minus(*r.units_ts, base));
  }
  return out;
}
}  // namespace

std::string PackTagRanges(const std::vector<PackedTagRange>& ranges) {
  std::string raw = PackRaw(ranges);
  if (raw.size() < kCompressFrom) return raw;
  // Flush segments repeat the same small varints per tag (one row, one
  // ts): zstd takes 1,000 tags from about 5 KB to well under 1 KB.
  std::string compressed;
  if (!CompressBlock(Compression::kZstd, 3, raw, &compressed)) return raw;
  std::string out;
  out.push_back(static_cast<char>(kFormatCompressed));
  PutVarint(&out, raw.size());
  if (out.size() + compressed.size() >= raw.size()) return raw;
  return out + compressed;
}

Result<std::vector<PackedTagRange>> UnpackTagRanges(std::string_view in) {
  auto bad = [] {
    return Status::Corruption("catalog: segments.tag_ranges is not a packed tag index");
  };
  std::string raw;
  if (!in.empty() && static_cast<uint8_t>(in.front()) == kFormatCompressed) {
    in.remove_prefix(1);
    uint64_t raw_length = 0;
    // A raw entry takes at least 3 bytes, so 2^30 bytes is far beyond any
    // real segment's tags: refuse it rather than allocate it.
    if (!GetVarint(&in, &raw_length) || raw_length > (uint64_t{1} << 30)) return bad();
    if (!DecompressBlock(Compression::kZstd, in, static_cast<size_t>(raw_length), &raw).ok())
      return bad();
    in = raw;
  }
  if (in.empty() || static_cast<uint8_t>(in.front()) != kFormat) return bad();
  in.remove_prefix(1);
  uint64_t n = 0, base_bits = 0;
  if (!GetVarint(&in, &n) || !GetVarint(&in, &base_bits) || n > in.size()) return bad();
  const auto base = static_cast<int64_t>(base_bits);
  std::vector<PackedTagRange> out;
  out.reserve(n);
  int64_t prev = 0;
  for (uint64_t i = 0; i < n; ++i) {
    PackedTagRange r;
    uint64_t id_delta, rows, flags;
    if (!GetVarint(&in, &id_delta) || !GetVarint(&in, &rows) || !GetVarint(&in, &flags))
      return bad();
    if (id_delta != 0) {
      prev = Plus(prev, id_delta);
      r.tag_id = prev;
    }
    r.rows = static_cast<int64_t>(rows);
    if (flags & kHasTs) {
      uint64_t lo, width;
      if (!GetVarint(&in, &lo) || !GetVarint(&in, &width)) return bad();
      r.min_ts = Plus(base, lo);
      r.max_ts = Plus(*r.min_ts, width);
    }
    if (flags & kHasUnits) {
      uint64_t len;
      if (!GetVarint(&in, &len) || len > in.size()) return bad();
      r.units = std::string(in.substr(0, len));
      in.remove_prefix(len);
    }
    if (flags & kHasUnitsTs) {
      uint64_t d;
      if (!GetVarint(&in, &d)) return bad();
      r.units_ts = Plus(base, d);
    }
    out.push_back(std::move(r));
  }
  if (!in.empty()) return bad();
  return out;
}

}  // namespace tsl
