// Null bitmap encode/decode. See null_bitmap.h. Thread-safety: pure.
#include "formats/null_bitmap.h"

namespace tsl {

void EncodeNullBitmap(const std::vector<uint8_t>& valid, std::string* out) {
  const size_t start = out->size();
  out->resize(start + (valid.size() + 7) / 8, '\0');
  for (size_t i = 0; i < valid.size(); ++i)
    if (valid[i]) (*out)[start + i / 8] = static_cast<char>((*out)[start + i / 8] | (1 << (i % 8)));
}

Status DecodeNullBitmap(ByteReader* in, size_t rows, size_t null_count, std::vector<uint8_t>* valid) {
  std::string_view b;
  if (!in->GetBytes((rows + 7) / 8, &b)) return in->Corrupt("null bitmap truncated");
  valid->resize(rows);
  size_t nulls = 0;
  for (size_t i = 0; i < rows; ++i) {
    const uint8_t bit = (static_cast<uint8_t>(b[i / 8]) >> (i % 8)) & 1;
    (*valid)[i] = bit;
    nulls += bit ^ 1;
  }
  if (rows % 8 != 0 && (static_cast<uint8_t>(b.back()) >> (rows % 8)) != 0)
    return in->Corrupt("null bitmap padding bits set");
  if (nulls != null_count)
    return in->Corrupt("null bitmap holds " + std::to_string(nulls) + " NULLs, expected " + std::to_string(null_count));
  return Status::OK();
}

}  // namespace tsl
