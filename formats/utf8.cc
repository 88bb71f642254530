// UTF-8 validation. See utf8.h.
#include "formats/utf8.h"

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace tsl {

size_t FindInvalidUtf8(std::string_view s) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // Fast path: 8 ASCII bytes at a time.
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
    } else {
      return i;  // a continuation byte, an overlong lead (C0, C1) or F5-FF
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string DescribeInvalidUtf8(std::string_view s) {
  const size_t at = FindInvalidUtf8(s);
  if (at == std::string_view::npos) return "valid UTF-8";
  char buf[64];
  std::snprintf(buf, sizeof buf, "invalid UTF-8 at byte %zu (0x%02x)", at + 1,
                static_cast<unsigned>(static_cast<unsigned char>(s[at])));
  return buf;
}

std::string EscapeInvalidUtf8(std::string_view s) {
  std::string out;
  size_t at;
  while ((at = FindInvalidUtf8(s)) != std::string_view::npos) {
    out.append(s.substr(0, at));
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(s[at])));
    out += buf;
    s.remove_prefix(at + 1);
  }
  out.append(s);
  return out;
}

}  // namespace tsl
