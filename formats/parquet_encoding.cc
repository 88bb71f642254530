// RLE/bit-packed hybrid and Snappy. See parquet_encoding.h.
#include "formats/parquet_encoding.h"

#include <algorithm>
#include <cstring>

namespace tsl::parquet {
namespace {

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view data, size_t* pos, uint64_t* v) {
  uint64_t r = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= data.size()) return false;
    const uint8_t b = static_cast<uint8_t>(data[(*pos)++]);
    r |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) {
      *v = r;
      return true;
    }
  }
  return false;
}

// Packs 8 values LSB first into bit_width bytes.
void PackGroup(const uint32_t* v, int bit_width, std::string* out) {
  uint64_t acc = 0;
  int bits = 0;
  for (int i = 0; i < 8; ++i) {
    acc |= static_cast<uint64_t>(v[i]) << bits;
    bits += bit_width;
    while (bits >= 8) {
      out->push_back(static_cast<char>(acc & 0xFF));
      acc >>= 8;
      bits -= 8;
    }
  }
}

}  // namespace

int BitWidth(uint64_t max_value) {
  int w = 0;
  while (max_value) {
    ++w;
    max_value >>= 1;
  }
  return w;
}

void EncodeRleBitPacked(const std::vector<uint32_t>& values, int bit_width, std::string* out) {
  const size_t n = values.size();
  const int value_bytes = (bit_width + 7) / 8;
  auto run_at = [&](size_t i) {
    size_t j = i + 1;
    while (j < n && values[j] == values[i]) ++j;
    return j - i;
  };
  size_t i = 0;
  std::vector<uint32_t> group(8);
  while (i < n) {
    const size_t run = run_at(i);
    if (run >= 8) {
      PutVarint(static_cast<uint64_t>(run) << 1, out);  // RLE run: LSB 0
      for (int b = 0; b < value_bytes; ++b)
        out->push_back(static_cast<char>((values[i] >> (8 * b)) & 0xFF));
      i += run;
      continue;
    }
    // Bit-packed groups until a long run starts at a group boundary.
    std::string packed;
    size_t groups = 0;
    while (i < n && groups < 63) {
      if (groups > 0 && run_at(i) >= 8) break;
      for (size_t k = 0; k < 8; ++k) group[k] = i + k < n ? values[i + k] : 0;
      PackGroup(group.data(), bit_width, &packed);
      i = std::min(n, i + 8);
      ++groups;
    }
    PutVarint((groups << 1) | 1, out);  // bit-packed run: LSB 1
    out->append(packed);
  }
}

Status DecodeRleBitPacked(std::string_view data, int bit_width, size_t count, uint32_t max_value,
                          const std::string& what, std::vector<uint32_t>* out) {
  out->clear();
  out->reserve(count);
  if (bit_width > 32)
    return Status::Corruption(what + ": bit width " + std::to_string(bit_width) + " over 32");
  const int value_bytes = (bit_width + 7) / 8;
  size_t pos = 0;
  while (out->size() < count) {
    uint64_t header;
    if (!GetVarint(data, &pos, &header))
      return Status::Corruption(what + ": runs end after " + std::to_string(out->size()) + " of " +
                                std::to_string(count) + " values");
    if ((header & 1) == 0) {  // RLE run
      const uint64_t run = header >> 1;
      if (data.size() - pos < static_cast<size_t>(value_bytes))
        return Status::Corruption(what + ": truncated RLE run");
      uint32_t v = 0;
      for (int b = 0; b < value_bytes; ++b)
        v |= static_cast<uint32_t>(static_cast<uint8_t>(data[pos + b])) << (8 * b);
      pos += value_bytes;
      if (v > max_value)
        return Status::Corruption(what + ": value " + std::to_string(v) + " over " +
                                  std::to_string(max_value));
      const size_t take = static_cast<size_t>(std::min<uint64_t>(run, count - out->size()));
      out->insert(out->end(), take, v);
    } else {
      const uint64_t groups = header >> 1;
      if (groups > (data.size() - pos) / std::max(1, bit_width) + 1 && bit_width > 0)
        return Status::Corruption(what + ": bit-packed run longer than the page");
      const size_t bytes = static_cast<size_t>(groups) * static_cast<size_t>(bit_width);
      if (data.size() - pos < bytes) return Status::Corruption(what + ": truncated bit-packed run");
      const uint8_t* p = reinterpret_cast<const uint8_t*>(data.data() + pos);
      const uint64_t mask =
          bit_width == 0 ? 0 : (bit_width == 32 ? 0xFFFFFFFFull : ((1ull << bit_width) - 1));
      const size_t values = static_cast<size_t>(groups) * 8;
      for (size_t k = 0; k < values && out->size() < count; ++k) {
        const size_t bit = k * static_cast<size_t>(bit_width);
        uint64_t word = 0;
        const size_t first = bit / 8;
        for (size_t b = 0; b < 5 && first + b < bytes; ++b)
          word |= static_cast<uint64_t>(p[first + b]) << (8 * b);
        const uint32_t v = static_cast<uint32_t>((word >> (bit % 8)) & mask);
        if (v > max_value)
          return Status::Corruption(what + ": value " + std::to_string(v) + " over " +
                                    std::to_string(max_value));
        out->push_back(v);
      }
      pos += bytes;
    }
  }
  return Status::OK();
}

Status DecodeDeltaBinaryPacked(std::string_view data, size_t count, const std::string& what,
                               std::vector<int64_t>* out, size_t* consumed) {
  out->clear();
  size_t pos = 0;
  uint64_t block_size, miniblocks, total, first;
  if (!GetVarint(data, &pos, &block_size) || !GetVarint(data, &pos, &miniblocks) ||
      !GetVarint(data, &pos, &total) || !GetVarint(data, &pos, &first))
    return Status::Corruption(what + ": truncated DELTA_BINARY_PACKED header");
  if (block_size == 0 || miniblocks == 0 || block_size % 128 != 0 || block_size % miniblocks != 0 ||
      (block_size / miniblocks) % 32 != 0 || block_size > (1u << 20))
    return Status::Corruption(what + ": bad DELTA_BINARY_PACKED block size " +
                              std::to_string(block_size) + "/" + std::to_string(miniblocks));
  if (total < count || total / block_size > data.size() + 1)  // a block takes at least one byte
    return Status::Corruption(what + ": DELTA_BINARY_PACKED holds " + std::to_string(total) +
                              " values, the page " + std::to_string(count));
  const size_t per_mini = static_cast<size_t>(block_size / miniblocks);
  out->reserve(static_cast<size_t>(total));
  uint64_t value = static_cast<uint64_t>(static_cast<int64_t>((first >> 1) ^ (~(first & 1) + 1)));
  if (total > 0) out->push_back(static_cast<int64_t>(value));
  std::vector<uint8_t> widths(static_cast<size_t>(miniblocks));
  while (out->size() < total) {
    uint64_t zz;
    if (!GetVarint(data, &pos, &zz))
      return Status::Corruption(what + ": truncated DELTA_BINARY_PACKED block");
    const uint64_t min_delta =
        static_cast<uint64_t>(static_cast<int64_t>((zz >> 1) ^ (~(zz & 1) + 1)));
    if (data.size() - pos < widths.size())
      return Status::Corruption(what + ": truncated miniblock widths");
    for (size_t m = 0; m < widths.size(); ++m) widths[m] = static_cast<uint8_t>(data[pos + m]);
    pos += widths.size();
    for (size_t m = 0; m < widths.size() && out->size() < total; ++m) {
      const int w = widths[m];
      if (w > 64) return Status::Corruption(what + ": miniblock bit width " + std::to_string(w));
      const size_t bytes = per_mini * static_cast<size_t>(w) / 8;
      if (data.size() - pos < bytes) return Status::Corruption(what + ": truncated miniblock");
      const uint8_t* p = reinterpret_cast<const uint8_t*>(data.data() + pos);
      for (size_t k = 0; k < per_mini && out->size() < total; ++k) {
        uint64_t delta = 0;
        const size_t bit = k * static_cast<size_t>(w);
        for (int b = 0; b < w; ++b) {
          const size_t at = bit + static_cast<size_t>(b);
          delta |= static_cast<uint64_t>((p[at / 8] >> (at % 8)) & 1) << b;
        }
        value += min_delta + delta;
        out->push_back(static_cast<int64_t>(value));
      }
      pos += bytes;
    }
  }
  *consumed = pos;
  return Status::OK();
}

Status SnappyDecompress(std::string_view in, size_t raw_length, std::string* out) {
  size_t pos = 0;
  uint64_t len;
  if (!GetVarint(in, &pos, &len) || len != raw_length)
    return Status::Corruption("snappy block does not declare " + std::to_string(raw_length) +
                              " bytes");
  out->clear();
  out->reserve(raw_length);
  const uint8_t* p = reinterpret_cast<const uint8_t*>(in.data());
  const size_t n = in.size();
  while (pos < n) {
    const uint8_t tag = p[pos++];
    const int type = tag & 3;
    if (type == 0) {  // literal
      size_t l = tag >> 2;
      if (l >= 60) {
        const size_t extra = l - 59;
        if (n - pos < extra) return Status::Corruption("snappy: truncated literal length");
        l = 0;
        for (size_t b = 0; b < extra; ++b) l |= static_cast<size_t>(p[pos + b]) << (8 * b);
        pos += extra;
      }
      ++l;
      if (n - pos < l || out->size() + l > raw_length)
        return Status::Corruption("snappy: literal past the end");
      out->append(in.data() + pos, l);
      pos += l;
      continue;
    }
    size_t length, offset;
    if (type == 1) {
      if (n - pos < 1) return Status::Corruption("snappy: truncated copy");
      length = 4 + ((tag >> 2) & 7);
      offset = (static_cast<size_t>(tag >> 5) << 8) | p[pos];
      pos += 1;
    } else if (type == 2) {
      if (n - pos < 2) return Status::Corruption("snappy: truncated copy");
      length = 1 + (tag >> 2);
      offset = p[pos] | (static_cast<size_t>(p[pos + 1]) << 8);
      pos += 2;
    } else {
      if (n - pos < 4) return Status::Corruption("snappy: truncated copy");
      length = 1 + (tag >> 2);
      offset = p[pos] | (static_cast<size_t>(p[pos + 1]) << 8) |
               (static_cast<size_t>(p[pos + 2]) << 16) | (static_cast<size_t>(p[pos + 3]) << 24);
      pos += 4;
    }
    if (offset == 0 || offset > out->size() || out->size() + length > raw_length)
      return Status::Corruption("snappy: copy outside the output");
    const size_t from = out->size() - offset;
    for (size_t k = 0; k < length; ++k) out->push_back((*out)[from + k]);
  }
  if (out->size() != raw_length)
    return Status::Corruption("snappy block decompresses to " + std::to_string(out->size()) +
                              " bytes, not " + std::to_string(raw_length));
  return Status::OK();
}

}  // namespace tsl::parquet
