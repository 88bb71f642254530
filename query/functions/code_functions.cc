// DuckDB's text-encoding scalar functions over VARCHAR and BIGINT:
// to_hex/hex and to_binary/bin (a string's bytes, or an integer's two's
// complement without leading zeros), to_base(n, radix [, min_length]),
// ord/unicode (the first code point; -1 for ''), bit_length,
// char_length/character_length (code points), translate(s, from, to) and
// url_encode/url_decode (RFC 3986: letters, digits and -_.~ stay; a
// malformed %xx escape is kept as written) and parse_formatted_bytes
// ('1.5 KiB' -> 1536; DuckDB's UBIGINT is a BIGINT here). Thread-safety:
// pure functions.
#include <cctype>
#include <cstdlib>
#include <string>

#include "formats/value_size.h"
#include "query/common/query_error.h"
#include "query/execution/memory_tracker.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

using Args = std::vector<VectorView>;

constexpr char kHexDigits[] = "0123456789ABCDEF";

// hex (2x), bin (8x) and url_encode (up to 3x) grow their input: the
// result stays under the value size limit and is reserved against
// memory_limit before it is built, as repeat/lpad do.
void CheckGrowth(const char* function, size_t input, size_t factor) {
  const double bytes = static_cast<double>(input) * static_cast<double>(factor);
  if (bytes > static_cast<double>(kMaxValueBytes)) {
    throw QueryError(ErrorKind::kInvalidInput, ValueSizeError(static_cast<size_t>(bytes)));
  }
  MemoryReservation reservation(function);
  reservation.Resize(static_cast<int64_t>(bytes));
}

// The code point starting at s[*i] (s is valid UTF-8: the tokenizer and
// the readers refuse other bytes), advancing *i past it.
uint32_t NextCodePoint(const std::string& s, size_t* i) {
  const auto b = static_cast<unsigned char>(s[*i]);
  const int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  uint32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len && *i + k < s.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  }
  *i += len;
  return cp;
}

void HexString(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    CheckGrowth("hex", a[0].String(i).size(), 2);
    std::string r;
    for (unsigned char c : a[0].String(i)) {
      r.push_back(kHexDigits[c >> 4]);
      r.push_back(kHexDigits[c & 15]);
    }
    out->strings[i] = std::move(r);
  });
}

void BinString(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    CheckGrowth("bin", a[0].String(i).size(), 8);
    std::string r;
    for (unsigned char c : a[0].String(i)) {
      for (int bit = 7; bit >= 0; --bit) r.push_back((c >> bit) & 1 ? '1' : '0');
    }
    out->strings[i] = std::move(r);
  });
}

// An integer's 64-bit two's complement in base 2^kBits, no leading zeros.
template <int kBits>
void IntegerDigits(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    uint64_t v = static_cast<uint64_t>(a[0].Int(i));
    std::string r;
    do {
      r.insert(r.begin(), kHexDigits[v & ((1u << kBits) - 1)]);
      v >>= kBits;
    } while (v != 0);
    out->strings[i] = std::move(r);
  });
}

void ToBase(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t value = a[0].Int(i);
    const int64_t radix = a[1].Int(i);
    const int64_t min_length = a.size() > 2 ? a[2].Int(i) : 0;
    if (value < 0) {
      throw QueryError(ErrorKind::kInvalidInput,
                       "'to_base' number must be greater than or equal to 0");
    }
    if (radix < 2 || radix > 36) {
      throw QueryError(ErrorKind::kInvalidInput, "'to_base' radix must be between 2 and 36");
    }
    if (min_length > 64 || min_length < 0) {
      throw QueryError(ErrorKind::kInvalidInput,
                       "'to_base' min_length must be between 0 and 64");
    }
    static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    uint64_t v = static_cast<uint64_t>(value);
    std::string r;
    do {
      r.insert(r.begin(), kDigits[v % static_cast<uint64_t>(radix)]);
      v /= static_cast<uint64_t>(radix);
    } while (v != 0);
    if (static_cast<int64_t>(r.size()) < min_length) {
      r.insert(0, static_cast<size_t>(min_length) - r.size(), '0');
    }
    out->strings[i] = std::move(r);
  });
}

void Ord(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kInt, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    size_t pos = 0;
    out->ints[i] = s.empty() ? -1 : static_cast<int64_t>(NextCodePoint(s, &pos));
  });
}

void BitLength(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->ints[i] = static_cast<int64_t>(a[0].String(i).size() * 8); });
}

void CharLength(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) {
    int64_t count = 0;
    for (unsigned char c : a[0].String(i)) count += (c & 0xC0) != 0x80;
    out->ints[i] = count;
  });
}

// translate(s, from, to): each code point of s found in `from` becomes the
// code point at the same place in `to`, or is dropped when `to` is shorter;
// the first occurrence in `from` counts.
void Translate(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    auto split = [](const std::string& s) {
      std::vector<std::pair<uint32_t, std::string>> cps;
      size_t pos = 0;
      while (pos < s.size()) {
        const size_t start = pos;
        const uint32_t cp = NextCodePoint(s, &pos);
        cps.emplace_back(cp, s.substr(start, pos - start));
      }
      return cps;
    };
    const auto from = split(a[1].String(i));
    const auto to = split(a[2].String(i));
    const std::string& s = a[0].String(i);
    std::string r;
    size_t pos = 0;
    while (pos < s.size()) {
      const size_t start = pos;
      const uint32_t cp = NextCodePoint(s, &pos);
      size_t k = 0;
      while (k < from.size() && from[k].first != cp) ++k;
      if (k == from.size()) {
        r.append(s, start, pos - start);
      } else if (k < to.size()) {
        r += to[k].second;
      }
    }
    out->strings[i] = std::move(r);
  });
}

void UrlEncode(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    CheckGrowth("url_encode", a[0].String(i).size(), 3);
    std::string r;
    for (unsigned char c : a[0].String(i)) {
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '_' || c == '.' || c == '~') {
        r.push_back(static_cast<char>(c));
      } else {
        r.push_back('%');
        r.push_back(kHexDigits[c >> 4]);
        r.push_back(kHexDigits[c & 15]);
      }
    }
    out->strings[i] = std::move(r);
  });
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void UrlDecode(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    std::string r;
    for (size_t k = 0; k < s.size(); ++k) {
      if (s[k] == '%' && k + 2 < s.size() && HexValue(s[k + 1]) >= 0 &&
          HexValue(s[k + 2]) >= 0) {
        r.push_back(static_cast<char>(HexValue(s[k + 1]) * 16 + HexValue(s[k + 2])));
        k += 2;
      } else {
        r.push_back(s[k]);
      }
    }
    // Decoded bytes that are not UTF-8 would make an invalid VARCHAR.
    size_t pos = 0;
    bool valid = true;
    while (valid && pos < r.size()) {
      const auto b = static_cast<unsigned char>(r[pos]);
      const size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
      valid = len != 0 && pos + len <= r.size();
      for (size_t k = 1; valid && k < len; ++k) {
        valid = (static_cast<unsigned char>(r[pos + k]) & 0xC0) == 0x80;
      }
      pos += len;
    }
    if (!valid) {
      throw QueryError(ErrorKind::kInvalidInput,
                       "Failed to decode string \"" + s + "\" using URL decoding - decoded value is invalid UTF8");
    }
    out->strings[i] = std::move(r);
  });
}

// DuckDB's StringUtil::ParseFormattedBytes: a number (digits, '.', e, E,
// '-'), blanks, then a unit up to the next blank: b/byte(s), kb/k/kilobyte(s)
// ... tb (1000^i), kib ... tib (1024^i), case-insensitive.
int64_t ParseFormattedBytes(const std::string& arg) {
  size_t i = 0;
  while (i < arg.size() && std::isspace(static_cast<unsigned char>(arg[i]))) ++i;
  const size_t num_start = i;
  while (i < arg.size() && (std::isdigit(static_cast<unsigned char>(arg[i])) || arg[i] == '.' ||
                            arg[i] == 'e' || arg[i] == 'E' || arg[i] == '-')) {
    ++i;
  }
  if (i == num_start) {
    throw QueryError(ErrorKind::kInvalidInput, "Memory must have a number (e.g. 1GB)");
  }
  const std::string number = arg.substr(num_start, i - num_start);
  char* end = nullptr;
  const double limit = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size()) {
    throw QueryError(ErrorKind::kInvalidInput, "Invalid memory limit: '" + number + "'");
  }
  while (i < arg.size() && std::isspace(static_cast<unsigned char>(arg[i]))) ++i;
  const size_t unit_start = i;
  while (i < arg.size() && !std::isspace(static_cast<unsigned char>(arg[i]))) ++i;
  if (limit < 0) throw QueryError(ErrorKind::kInvalidInput, "Memory cannot be negative");
  std::string unit = arg.substr(unit_start, i - unit_start);
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  double multiplier = 0;
  if (unit == "byte" || unit == "bytes" || unit == "b") {
    multiplier = 1;
  } else if (unit == "kilobyte" || unit == "kilobytes" || unit == "kb" || unit == "k") {
    multiplier = 1e3;
  } else if (unit == "megabyte" || unit == "megabytes" || unit == "mb" || unit == "m") {
    multiplier = 1e6;
  } else if (unit == "gigabyte" || unit == "gigabytes" || unit == "gb" || unit == "g") {
    multiplier = 1e9;
  } else if (unit == "terabyte" || unit == "terabytes" || unit == "tb" || unit == "t") {
    multiplier = 1e12;
  } else if (unit == "kib") {
    multiplier = 1024.0;
  } else if (unit == "mib") {
    multiplier = 1024.0 * 1024;
  } else if (unit == "gib") {
    multiplier = 1024.0 * 1024 * 1024;
  } else if (unit == "tib") {
    multiplier = 1024.0 * 1024 * 1024 * 1024;
  } else {
    throw QueryError(ErrorKind::kInvalidInput,
                     "Unknown unit for memory: '" + unit +
                         "' (expected: KB, MB, GB, TB for 1000^i units or KiB, MiB, GiB, TiB for "
                         "1024^i units)");
  }
  // BIGINT's range (DuckDB's UBIGINT reaches twice as far).
  if (!(limit * multiplier < 9223372036854775807.0)) {
    throw QueryError(ErrorKind::kInvalidInput, "Memory value out of range: value is too large");
  }
  return static_cast<int64_t>(multiplier * limit);
}

void ParseFormattedBytesKernel(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = ParseFormattedBytes(a[0].String(i)); });
}

}  // namespace

void AddCodeFunctions(std::vector<ScalarFunction>* out) {
  const ScalarFunction functions[] = {
      {"to_hex", {kStr}, kStr, HexString},
      {"hex", {kStr}, kStr, HexString},
      {"to_hex", {kBig}, kStr, IntegerDigits<4>},
      {"hex", {kBig}, kStr, IntegerDigits<4>},
      {"to_binary", {kStr}, kStr, BinString},
      {"bin", {kStr}, kStr, BinString},
      {"to_binary", {kBig}, kStr, IntegerDigits<1>},
      {"bin", {kBig}, kStr, IntegerDigits<1>},
      {"to_base", {kBig, kInt}, kStr, ToBase},
      {"to_base", {kBig, kInt, kInt}, kStr, ToBase},
      {"ord", {kStr}, kInt, Ord},
      {"unicode", {kStr}, kInt, Ord},
      {"bit_length", {kStr}, kBig, BitLength},
      {"char_length", {kStr}, kBig, CharLength},
      {"character_length", {kStr}, kBig, CharLength},
      {"translate", {kStr, kStr, kStr}, kStr, Translate},
      {"url_encode", {kStr}, kStr, UrlEncode},
      {"url_decode", {kStr}, kStr, UrlDecode},
      {"parse_formatted_bytes", {kStr}, kBig, ParseFormattedBytesKernel},
  };
  out->insert(out->end(), std::begin(functions), std::end(functions));
}

}  // namespace tsl::query
