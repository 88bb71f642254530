// TIME, BLOB and UUID text. See scalar_text.h.
#include "formats/scalar_text.h"

#include <cctype>
#include <cstdio>
#include <random>

#include "formats/timestamp.h"

namespace tsl {
namespace {

Status BadTime(std::string_view text) {
  return Status::InvalidArgument("time field value out of range: \"" + std::string(text) +
                                 "\", expected format is ([YYYY-MM-DD ]HH:MM:SS[.MS])");
}

bool IsBlank(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads 1..max digits at *pos into *out.
bool Digits(std::string_view s, size_t* pos, int max, int64_t* out) {
  size_t start = *pos;
  int64_t v = 0;
  while (*pos < s.size() && IsDigit(s[*pos]) && static_cast<int>(*pos - start) < max) {
    v = v * 10 + (s[*pos] - '0');
    ++*pos;
  }
  *out = v;
  return *pos > start;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<int64_t> ParseTime(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  // A leading date: "YYYY-MM-DD " or "YYYY-MM-DDT".
  size_t pos = 0;
  {
    size_t p = 0;
    while (p < s.size() && IsDigit(s[p])) ++p;
    if (p > 0 && p < s.size() && s[p] == '-') {
      const size_t sep = s.find_first_of(" T");
      if (sep == std::string_view::npos) return BadTime(text);
      pos = sep + 1;
      while (pos < s.size() && s[pos] == ' ') ++pos;
    }
  }
  int64_t h = 0, m = 0, sec = 0, micros = 0;
  if (!Digits(s, &pos, 2, &h) || pos >= s.size() || s[pos] != ':') return BadTime(text);
  ++pos;
  // DuckDB reads "11:" as 11:00:00 and "11:11:" as 11:11:00.
  if (pos < s.size() && IsDigit(s[pos]) && (!Digits(s, &pos, 2, &m) || m > 59)) return BadTime(text);
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (pos < s.size() && IsDigit(s[pos]) && (!Digits(s, &pos, 2, &sec) || sec > 59))
      return BadTime(text);
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int n = 0;
      while (pos < s.size() && IsDigit(s[pos])) {
        if (n < 6) micros = micros * 10 + (s[pos] - '0');
        ++n;
        ++pos;
      }
      if (n == 0) return BadTime(text);
      for (int i = n; i < 6; ++i) micros *= 10;
    }
  }
  // A trailing offset (Z, +HH[:MM], -HHMM) is read and ignored, as DuckDB.
  while (pos < s.size() && s[pos] == ' ') ++pos;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) pos = s.size();
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    ++pos;
    int64_t oh = 0, om = 0;
    if (!Digits(s, &pos, 2, &oh)) return BadTime(text);
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (pos < s.size() && !Digits(s, &pos, 2, &om)) return BadTime(text);
  }
  if (pos != s.size()) return BadTime(text);
  const int64_t t = ((h * 60 + m) * 60 + sec) * kMicrosPerSecond + micros;
  if (h > 24 || t > kMaxTimeMicros) return BadTime(text);
  return t;
}

std::string FormatTime(int64_t micros) {
  char buf[40];
  const int64_t secs = micros / kMicrosPerSecond, frac = micros % kMicrosPerSecond;
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  std::string out = buf;
  if (frac != 0) {
    std::snprintf(buf, sizeof buf, ".%06d", static_cast<int>(frac));
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out;
}

Result<std::string> ParseBlobText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      if (i + 4 > text.size())
        return Status::InvalidArgument(
            "Invalid hex escape code encountered in string -> blob conversion of string \"" +
            std::string(text) + "\": unterminated escape code at end of blob");
      const int hi = HexDigit(text[i + 2]), lo = HexDigit(text[i + 3]);
      if (text[i + 1] != 'x' || hi < 0 || lo < 0)
        return Status::InvalidArgument(
            "Invalid hex escape code encountered in string -> blob conversion of string \"" +
            std::string(text) + "\": " + std::string(text.substr(i, 4)));
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 3;
      continue;
    }
    if (c >= 0x80)
      return Status::InvalidArgument(
          "Invalid byte encountered in STRING -> BLOB conversion of string \"" + std::string(text) +
          "\". All non-ascii characters must be escaped with hex codes (e.g. \\xAA)");
    out.push_back(static_cast<char>(c));
  }
  return out;
}

std::string FormatBlob(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 32 && c <= 126 && c != '\\' && c != '\'' && c != '"') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Result<std::string> ParseUuid(std::string_view text) {
  const auto bad = [&] {
    return Status::InvalidArgument("Could not convert string '" + std::string(text) + "' to INT128");
  };
  std::string_view s = text;
  if (s.empty()) return bad();
  const bool braces = s.front() == '{';
  if (braces) {
    if (s.size() < 2 || s.back() != '}') return bad();
    s = s.substr(1, s.size() - 2);
  }
  std::string hex;
  for (char c : s) {
    if (c == '-') continue;
    if (hex.size() >= 32 || HexDigit(c) < 0) return bad();
    hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (hex.size() != 32) return bad();
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string UuidToBytes(std::string_view canonical) {
  std::string out;
  int hi = -1;
  for (char c : canonical) {
    const int d = HexDigit(c);
    if (d < 0) continue;
    if (hi < 0) {
      hi = d;
    } else {
      out.push_back(static_cast<char>(hi * 16 + d));
      hi = -1;
    }
  }
  return out;
}

Result<std::string> UuidFromBytes(std::string_view bytes) {
  if (bytes.size() != 16)
    return Status::InvalidArgument("Could not convert BLOB of " + std::to_string(bytes.size()) +
                                   " bytes to UUID (16 bytes expected)");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[static_cast<unsigned char>(bytes[i]) >> 4]);
    out.push_back(kHex[static_cast<unsigned char>(bytes[i]) & 15]);
  }
  return out;
}

std::string GenerateUuid() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  uint64_t hi = engine(), lo = engine();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                            // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;     // variant 10
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

}  // namespace tsl
