// Range decoding of column bodies. See range_decode.h; layouts in
// formats/segment.md ("Column body", "Encodings"). Each codec owns its
// format: the headers, constants and formulas are read through the codecs'
// own functions (kDeltaBlock and the integer tags in int_codec.h,
// ReadDecimalHeader and DecimalValue in double_codec.h, GorillaReader,
// DecodeDictionaryEntries and DictionaryCodes in string_codec.h,
// CheckIntRange and the encoding bases in column_codec.h); what is here is
// only how each encoding skips to the wanted rows.
// tests/formats/range_decode_test.cc compares every encoding with a full
// decode on random data. Thread-safety: pure functions.
#include "formats/range_decode.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#include "formats/bit_packing.h"
#include "formats/gorilla_reader.h"
#include "formats/byte_writer.h"
#include "formats/null_bitmap.h"
#include "formats/date.h"
#include "formats/decimal.h"

namespace tsl {
namespace {

// Positions asked in non-decreasing order, answered against sorted ranges.
class RangeWalker {
 public:
  explicit RangeWalker(const RowRanges& r) : r_(r) {
    for (const RowRange& x : r)
      if (x.end > x.begin) last_ = x.end;
  }
  // True when position p lies in a range.
  bool Wants(size_t p) {
    while (i_ < r_.size() && r_[i_].end <= p) ++i_;
    return i_ < r_.size() && r_[i_].begin <= p;
  }
  // True when some range may overlap [p, q) (an empty range may say yes).
  bool Overlaps(size_t p, size_t q) {
    while (i_ < r_.size() && r_[i_].end <= p) ++i_;
    return i_ < r_.size() && r_[i_].begin < q;
  }
  // One past the last wanted position (0 when none is wanted).
  size_t last() const { return last_; }

 private:
  const RowRanges& r_;
  size_t i_ = 0;
  size_t last_ = 0;
};

uint64_t LoadLE64(const unsigned char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}

// Value i of a bit-packed run (bit_packing.h layout) of `size` bytes.
// REQUIRES: (i + 1) * width <= size * 8, 0 < width <= 64.
uint64_t UnpackOne(const unsigned char* p, size_t size, size_t i, int width) {
  const size_t bit = i * static_cast<size_t>(width);
  const size_t byte = bit >> 3;
  const int off = static_cast<int>(bit & 7);
  if (width <= 56 && byte + 8 <= size) return (LoadLE64(p + byte) >> off) & ((uint64_t{1} << width) - 1);
  uint64_t v = 0;
  int got = 0;
  size_t pos = bit;
  while (got < width) {
    const size_t b = pos >> 3;
    const int o = static_cast<int>(pos & 7);
    const int take = std::min(width - got, 8 - o);
    v |= static_cast<uint64_t>((p[b] >> o) & ((1u << take) - 1)) << got;
    got += take;
    pos += static_cast<size_t>(take);
  }
  return v;
}

Status DecodePlainRanges(ByteReader* in, size_t n, const RowRanges& ranges, std::vector<uint64_t>* out,
                         const char* what) {
  std::string_view all;
  if (in->remaining() / 8 < n || !in->GetBytes(8 * n, &all))
    return in->Corrupt(std::string("plain ") + what + " array of " + std::to_string(n) + " values is truncated");
  const auto* p = reinterpret_cast<const unsigned char*>(all.data());
  for (const RowRange& r : ranges)
    for (size_t i = r.begin; i < r.end; ++i) out->push_back(LoadLE64(p + 8 * i));
  return Status::OK();
}

Status DecodeForRanges(ByteReader* in, size_t n, const RowRanges& ranges, std::vector<int64_t>* out) {
  if (n == 0) return Status::OK();
  int64_t mn;
  uint8_t width;
  if (!in->GetI64(&mn) || !in->GetU8(&width)) return in->Corrupt("frame-of-reference header truncated");
  if (width > 64) return in->Corrupt("bit width " + std::to_string(width) + " > 64");
  std::string_view packed;
  if (!in->GetBytes(BitPackedBytes(n, width), &packed))
    return in->Corrupt("bit-packed run of " + std::to_string(n) + " x " + std::to_string(width) +
                       " bits is truncated");
  const auto* p = reinterpret_cast<const unsigned char*>(packed.data());
  const uint64_t base = static_cast<uint64_t>(mn);
  for (const RowRange& r : ranges) {
    if (width == 0) {
      out->insert(out->end(), r.end - r.begin, mn);
      continue;
    }
    for (size_t i = r.begin; i < r.end; ++i)
      out->push_back(static_cast<int64_t>(base + UnpackOne(p, packed.size(), i, width)));
  }
  return Status::OK();
}

// Delta (order 1) and delta-of-delta (order 2): every block header is read,
// blocks after the last range are skipped unread, blocks outside the ranges
// are summed without output (in O(1) when their width is 0).
Status DecodeDeltaRanges(ByteReader* in, size_t n, int order, const RowRanges& ranges, std::vector<int64_t>* out) {
  if (n == 0) return Status::OK();
  RangeWalker walk(ranges);
  uint64_t cur;
  if (!in->GetU64(&cur)) return in->Corrupt("delta first value missing");
  if (walk.Wants(0)) out->push_back(static_cast<int64_t>(cur));
  if (n == 1) return Status::OK();
  uint64_t delta = 0;
  size_t pos = 1;  // the value the next residual yields
  if (order == 2) {
    if (!in->GetU64(&delta)) return in->Corrupt("delta-of-delta first delta missing");
    cur += delta;
    if (walk.Wants(1)) out->push_back(static_cast<int64_t>(cur));
    pos = 2;
  }
  const size_t count = n - pos;
  RETURN_IF_ERROR(CheckDeltaBlocksFit(*in, count));
  uint64_t buf[kDeltaBlock];
  for (size_t b = 0; b < count; b += kDeltaBlock) {
    const size_t m = std::min(kDeltaBlock, count - b);
    uint8_t width;
    RETURN_IF_ERROR(ReadDeltaBlockWidth(in, &width));
    const bool overlap = pos < walk.last() && walk.Overlaps(pos, pos + m);
    if (!overlap && (width == 0 || pos >= walk.last())) {
      std::string_view skip;
      if (!in->GetBytes(BitPackedBytes(m, width), &skip))
        return in->Corrupt("bit-packed run of " + std::to_string(m) + " x " + std::to_string(width) +
                           " bits is truncated");
      if (order == 2) cur += static_cast<uint64_t>(m) * delta;  // width 0: every delta-of-delta is 0
      pos += m;
      continue;
    }
    RETURN_IF_ERROR(BitUnpack(in, m, width, buf));
    for (size_t i = 0; i < m; ++i, ++pos) {
      const uint64_t d = static_cast<uint64_t>(ZigZagDecode(buf[i]));
      if (order == 1) {
        cur += d;
      } else {
        delta += d;
        cur += delta;
      }
      if (overlap && walk.Wants(pos)) out->push_back(static_cast<int64_t>(cur));
    }
  }
  return Status::OK();
}

Status DecodeRunLengthRanges(ByteReader* in, size_t n, const RowRanges& ranges, std::vector<int64_t>* out) {
  uint64_t count;
  if (!in->GetVarint(&count)) return in->Corrupt("run-length count missing");
  if (count > n) return in->Corrupt("run-length count " + std::to_string(count) + " exceeds " + std::to_string(n) + " values");
  size_t total = 0, ri = 0;
  for (uint64_t r = 0; r < count; ++r) {
    uint64_t z, len;
    if (!in->GetVarint(&z) || !in->GetVarint(&len)) return in->Corrupt("run-length run truncated");
    if (len == 0 || len > n - total) return in->Corrupt("run length " + std::to_string(len) + " out of range");
    const size_t end = total + static_cast<size_t>(len);
    while (ri < ranges.size() && ranges[ri].end <= total) ++ri;
    for (size_t k = ri; k < ranges.size() && ranges[k].begin < end; ++k) {
      const size_t lo = std::max(ranges[k].begin, total), hi = std::min(ranges[k].end, end);
      if (hi > lo) out->insert(out->end(), hi - lo, ZigZagDecode(z));
    }
    total = end;
  }
  if (total != n) return in->Corrupt("runs cover " + std::to_string(total) + " of " + std::to_string(n) + " values");
  return Status::OK();
}

Status DecodeDecimalRanges(ByteReader* in, size_t n, const RowRanges& ranges, std::vector<double>* out) {
  DecimalHeader h;
  RETURN_IF_ERROR(ReadDecimalHeader(in, n, &h));
  std::vector<int64_t> digits;
  RETURN_IF_ERROR(DecodeIntsTaggedRanges(in, n, ranges, &digits));
  const size_t base = out->size();
  out->reserve(base + digits.size());
  for (int64_t d : digits) out->push_back(DecimalValue(d, h.exponent));
  const auto& exc = h.exceptions;
  size_t ei = 0, at = base;
  for (const RowRange& r : ranges) {
    while (ei < exc.size() && exc[ei].first < r.begin) ++ei;
    for (; ei < exc.size() && exc[ei].first < r.end; ++ei) (*out)[at + exc[ei].first - r.begin] = exc[ei].second;
    at += r.end - r.begin;
  }
  return Status::OK();
}

// Walks the stream up to the last wanted value; the rest is skipped (the
// stream is length-prefixed, so the reader is already past it).
Status DecodeGorillaRanges(ByteReader* in, size_t n, const RowRanges& ranges, std::vector<double>* out) {
  GorillaReader reader;
  RETURN_IF_ERROR(reader.Open(in, n));
  if (n == 0) return Status::OK();
  RangeWalker walk(ranges);
  if (walk.Wants(0)) out->push_back(reader.value());
  const size_t stop = std::min(n, walk.last());
  for (size_t i = 1; i < stop; ++i) {
    if (!reader.Next()) return reader.Error();
    if (walk.Wants(i)) out->push_back(reader.value());
  }
  return stop == n ? reader.CheckEnd() : Status::OK();
}

// Plain strings: every length is read (to find the bytes of a range), only
// the strings of the ranges are built.
Status DecodePlainStringRanges(ByteReader* in, size_t n, const RowRanges& ranges, std::vector<std::string>* out) {
  std::vector<int64_t> lens;
  RETURN_IF_ERROR(DecodeIntsTagged(in, n, &lens));
  size_t total = 0;
  for (int64_t len : lens) {
    if (len < 0 || static_cast<uint64_t>(len) > in->remaining() - total)
      return in->Corrupt("string of length " + std::to_string(len) + " out of range");
    total += static_cast<size_t>(len);
  }
  std::string_view bytes;
  (void)in->GetBytes(total, &bytes);  // checked above
  size_t i = 0, off = 0;
  for (const RowRange& r : ranges) {
    for (; i < r.begin; ++i) off += static_cast<size_t>(lens[i]);
    for (; i < r.end; ++i) {
      const size_t len = static_cast<size_t>(lens[i]);
      out->emplace_back(bytes.substr(off, len));
      off += len;
    }
  }
  return Status::OK();
}

// Dense values over the rows marked valid; NULL rows get T{}.
template <typename T>
void SpreadInto(std::vector<T>&& dense, const std::vector<uint8_t>& valid, std::vector<T>* out) {
  if (dense.size() == valid.size()) {
    *out = std::move(dense);
    return;
  }
  out->assign(valid.size(), T{});
  size_t k = 0;
  for (size_t i = 0; i < valid.size(); ++i)
    if (valid[i]) (*out)[i] = std::move(dense[k++]);
}

}  // namespace

size_t RowRangesSize(const RowRanges& ranges) {
  size_t n = 0;
  for (const RowRange& r : ranges) n += r.end - r.begin;
  return n;
}

Status CheckRowRanges(const RowRanges& ranges, size_t rows) {
  size_t at = 0;
  for (const RowRange& r : ranges) {
    if (r.begin < at || r.end < r.begin || r.end > rows)
      return Status::InvalidArgument("row range [" + std::to_string(r.begin) + ", " + std::to_string(r.end) +
                                     ") is out of order or outside the " + std::to_string(rows) + " rows");
    at = r.end;
  }
  return Status::OK();
}

Status DecodeIntsRanges(IntEncoding enc, ByteReader* in, size_t n, const RowRanges& ranges,
                        std::vector<int64_t>* out) {
  switch (enc) {
    case IntEncoding::kPlain: {
      std::vector<uint64_t> u;
      RETURN_IF_ERROR(DecodePlainRanges(in, n, ranges, &u, "int64"));
      for (uint64_t x : u) out->push_back(static_cast<int64_t>(x));
      return Status::OK();
    }
    case IntEncoding::kFrameOfReference: return DecodeForRanges(in, n, ranges, out);
    case IntEncoding::kDelta: return DecodeDeltaRanges(in, n, 1, ranges, out);
    case IntEncoding::kDeltaOfDelta: return DecodeDeltaRanges(in, n, 2, ranges, out);
    case IntEncoding::kRunLength: return DecodeRunLengthRanges(in, n, ranges, out);
  }
  return in->Corrupt("unknown integer encoding " + std::to_string(static_cast<int>(enc)));
}

Status DecodeIntsTaggedRanges(ByteReader* in, size_t n, const RowRanges& ranges, std::vector<int64_t>* out) {
  uint8_t tag;
  if (!in->GetU8(&tag)) return in->Corrupt("integer stream tag missing");
  if (tag >= kIntEncodingCount) return in->Corrupt("unknown integer encoding " + std::to_string(tag));
  return DecodeIntsRanges(static_cast<IntEncoding>(tag), in, n, ranges, out);
}

Status DecodeDoublesRanges(DoubleEncoding enc, ByteReader* in, size_t n, const RowRanges& ranges,
                           std::vector<double>* out) {
  switch (enc) {
    case DoubleEncoding::kPlain: {
      std::vector<uint64_t> u;
      RETURN_IF_ERROR(DecodePlainRanges(in, n, ranges, &u, "double"));
      for (uint64_t x : u) {
        double d;
        std::memcpy(&d, &x, 8);
        out->push_back(d);
      }
      return Status::OK();
    }
    case DoubleEncoding::kDecimal: return DecodeDecimalRanges(in, n, ranges, out);
    case DoubleEncoding::kGorilla: return DecodeGorillaRanges(in, n, ranges, out);
  }
  return in->Corrupt("unknown double encoding " + std::to_string(static_cast<int>(enc)));
}

Status DecodeStringDictionaryRanges(ByteReader* in, size_t n, const RowRanges& ranges,
                                    std::vector<std::string>* dict, std::vector<uint32_t>* codes) {
  RETURN_IF_ERROR(DecodeDictionaryEntries(in, n, dict));
  std::vector<int64_t> ids;
  RETURN_IF_ERROR(DecodeIntsTaggedRanges(in, n, ranges, &ids));
  return DictionaryCodes(*in, ids, dict->size(), codes);
}

Status DecodeStringsRanges(StringEncoding enc, ByteReader* in, size_t n, const RowRanges& ranges,
                           std::vector<std::string>* out) {
  switch (enc) {
    case StringEncoding::kPlain: return DecodePlainStringRanges(in, n, ranges, out);
    case StringEncoding::kDictionary: {
      std::vector<std::string> dict;
      std::vector<uint32_t> codes;
      RETURN_IF_ERROR(DecodeStringDictionaryRanges(in, n, ranges, &dict, &codes));
      out->reserve(out->size() + codes.size());
      for (uint32_t c : codes) out->push_back(dict[c]);
      return Status::OK();
    }
  }
  return in->Corrupt("unknown string encoding " + std::to_string(static_cast<int>(enc)));
}

namespace {

// Appends [b, e) to *out, merged with the last range when they touch.
void AddRange(RowRanges* out, size_t b, size_t e) {
  if (!out->empty() && out->back().end == b) {
    out->back().end = e;
  } else {
    out->push_back({b, e});
  }
}

}  // namespace

Status MatchDictionaryRanges(ColumnEncoding encoding, std::string_view body, size_t rows,
                             const std::function<bool(std::string_view)>& match, RowRanges* out, bool* used) {
  *used = false;
  out->clear();
  if (encoding != ColumnEncoding::kStringDictionary) return Status::OK();
  ByteReader in(body);
  uint64_t nulls;
  RETURN_IF_ERROR(ReadColumnBodyHeader(TypeId::kVarchar, encoding, rows, &in, &nulls));
  std::vector<uint8_t> valid;
  if (nulls > 0) RETURN_IF_ERROR(DecodeNullBitmap(&in, rows, static_cast<size_t>(nulls), &valid));
  const size_t n = rows - static_cast<size_t>(nulls);
  uint64_t size;
  if (!in.GetVarint(&size)) return in.Corrupt("dictionary size missing");
  if (size > n) return in.Corrupt("dictionary of " + std::to_string(size) + " entries for " + std::to_string(n) + " values");
  std::vector<std::string> dict;
  RETURN_IF_ERROR(DecodeStringsAs(StringEncoding::kPlain, &in, static_cast<size_t>(size), &dict));
  std::vector<uint8_t> passes(dict.size());
  for (size_t c = 0; c < dict.size(); ++c) passes[c] = match(dict[c]);
  const auto bad_id = [&](uint64_t id) {
    return in.Corrupt("dictionary id " + std::to_string(static_cast<int64_t>(id)) + " out of range (" +
                      std::to_string(size) + " entries)");
  };
  RowRanges dense;  // over the non-NULL values
  uint8_t tag;
  if (!in.GetU8(&tag)) return in.Corrupt("integer stream tag missing");
  if (tag >= kIntEncodingCount) return in.Corrupt("unknown integer encoding " + std::to_string(tag));
  if (static_cast<IntEncoding>(tag) == IntEncoding::kRunLength) {
    // int_codec.cc's run-length layout: count, then (zigzag value, length).
    uint64_t count;
    if (!in.GetVarint(&count)) return in.Corrupt("run-length count missing");
    if (count > n) return in.Corrupt("run-length count " + std::to_string(count) + " exceeds " + std::to_string(n) + " values");
    size_t total = 0;
    for (uint64_t r = 0; r < count; ++r) {
      uint64_t z, len;
      if (!in.GetVarint(&z) || !in.GetVarint(&len)) return in.Corrupt("run-length run truncated");
      if (len == 0 || len > n - total) return in.Corrupt("run length " + std::to_string(len) + " out of range");
      const int64_t id = ZigZagDecode(z);
      if (id < 0 || static_cast<uint64_t>(id) >= size) return bad_id(static_cast<uint64_t>(id));
      if (passes[static_cast<size_t>(id)]) AddRange(&dense, total, total + static_cast<size_t>(len));
      total += static_cast<size_t>(len);
    }
    if (total != n) return in.Corrupt("runs cover " + std::to_string(total) + " of " + std::to_string(n) + " values");
  } else {
    std::vector<int64_t> ids;
    RETURN_IF_ERROR(DecodeIntsAs(static_cast<IntEncoding>(tag), &in, n, &ids));
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] < 0 || static_cast<uint64_t>(ids[i]) >= size) return bad_id(static_cast<uint64_t>(ids[i]));
      if (passes[static_cast<size_t>(ids[i])]) AddRange(&dense, i, i + 1);
    }
  }
  if (!in.AtEnd()) return in.Corrupt(std::to_string(in.remaining()) + " unexpected trailing bytes");
  if (nulls == 0) {
    *out = std::move(dense);
  } else {
    size_t rank = 0, di = 0;  // rank: the row's position among the non-NULL values
    for (size_t row = 0; row < rows; ++row) {
      if (!valid[row]) continue;
      while (di < dense.size() && dense[di].end <= rank) ++di;
      if (di < dense.size() && dense[di].begin <= rank) AddRange(out, row, row + 1);
      ++rank;
    }
  }
  *used = true;
  return Status::OK();
}

Status DecodeColumnRanges(TypeId type, ColumnEncoding encoding, std::string_view body, size_t rows,
                          const RowRanges& ranges, ColumnVector* out, bool keep_dictionary) {
  RETURN_IF_ERROR(CheckRowRanges(ranges, rows));
  const uint8_t e = static_cast<uint8_t>(encoding);
  ByteReader in(body);
  uint64_t nulls;
  RETURN_IF_ERROR(ReadColumnBodyHeader(type, encoding, rows, &in, &nulls));
  *out = ColumnVector(type);
  const size_t n = rows - static_cast<size_t>(nulls);
  RowRanges dense;  // the ranges over the non-NULL values
  const RowRanges* value_ranges = &ranges;
  if (nulls > 0) {
    std::vector<uint8_t> valid;
    RETURN_IF_ERROR(DecodeNullBitmap(&in, rows, static_cast<size_t>(nulls), &valid));
    out->valid.reserve(RowRangesSize(ranges));
    size_t row = 0, rank = 0;  // rank: non-NULL rows before `row`
    for (const RowRange& r : ranges) {
      for (; row < r.begin; ++row) rank += valid[row];
      RowRange d;
      d.begin = rank;
      for (; row < r.end; ++row) rank += valid[row];
      d.end = rank;
      dense.push_back(d);
      out->valid.insert(out->valid.end(), valid.begin() + static_cast<ptrdiff_t>(r.begin),
                        valid.begin() + static_cast<ptrdiff_t>(r.end));
    }
    value_ranges = &dense;
  } else {
    out->valid.assign(RowRangesSize(ranges), 1);
  }
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64: {
      std::vector<int64_t> v;
      RETURN_IF_ERROR(DecodeIntsRanges(static_cast<IntEncoding>(e), &in, n, *value_ranges, &v));
      RETURN_IF_ERROR(CheckIntRange(type, v));
      SpreadInto(std::move(v), out->valid, &out->ints);
      break;
    }
    case PhysicalClass::kDouble: {
      std::vector<double> v;
      RETURN_IF_ERROR(DecodeDoublesRanges(static_cast<DoubleEncoding>(e - kDoubleEncodingBase), &in, n, *value_ranges, &v));
      SpreadInto(std::move(v), out->valid, &out->doubles);
      break;
    }
    case PhysicalClass::kString:
      if (keep_dictionary && encoding == ColumnEncoding::kStringDictionary) {
        std::vector<uint32_t> codes;
        RETURN_IF_ERROR(DecodeStringDictionaryRanges(&in, n, *value_ranges, &out->dictionary, &codes));
        SpreadInto(std::move(codes), out->valid, &out->codes);
        out->dictionary_form = true;
        break;
      }
      {
        std::vector<std::string> v;
        RETURN_IF_ERROR(DecodeStringsRanges(static_cast<StringEncoding>(e - kStringEncodingBase), &in, n, *value_ranges, &v));
        SpreadInto(std::move(v), out->valid, &out->strings);
      }
      break;
  }
  if (!in.AtEnd()) return in.Corrupt(std::to_string(in.remaining()) + " unexpected trailing bytes");
  return Status::OK();
}

}  // namespace tsl
