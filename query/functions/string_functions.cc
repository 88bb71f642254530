// String scalar functions with DuckDB's semantics: concat/concat_ws (NULLs
// skipped), substring/substr (1-based, negative offsets from the end,
// negative lengths backwards), replace, trim/ltrim/rtrim, starts_with,
// ends_with, contains, left/right, lpad/rpad, strpos/instr/position,
// repeat, reverse, split_part, ascii, chr, strlen. Positions and lengths
// count UTF-8 characters, not bytes. The regexp_* functions are in
// regexp_functions.cc. Thread-safety: pure functions.
#include <algorithm>
#include <cmath>
#include <limits>

#include "formats/value_size.h"
#include "query/common/query_error.h"
#include "query/execution/memory_tracker.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

using Args = std::vector<VectorView>;

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

int64_t Utf8Length(const std::string& s) {
  int64_t n = 0;
  for (unsigned char c : s) n += !IsContinuation(c);
  return n;
}

// Byte offset of character `k` (0-based), clamped to [0, size].
size_t Utf8Offset(const std::string& s, int64_t k) {
  if (k <= 0) return 0;
  size_t i = 0;
  while (i < s.size()) {
    if (!IsContinuation(static_cast<unsigned char>(s[i]))) {
      if (k == 0) return i;
      --k;
    }
    ++i;
  }
  return s.size();
}

// Characters [start, end) of s (0-based, clamped).
std::string Utf8Slice(const std::string& s, int64_t start, int64_t end) {
  if (end <= start) return {};
  const size_t b = Utf8Offset(s, start);
  const size_t e = Utf8Offset(s, end);
  return s.substr(b, e - b);
}

void Concat(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  for (size_t i = 0; i < n; ++i) {
    std::string r;
    for (const VectorView& v : a) {
      if (!v.IsNull(i)) r += v.String(i);
    }
    out->strings[i] = std::move(r);
  }
}

void ConcatWs(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  for (size_t i = 0; i < n; ++i) {
    if (a[0].IsNull(i)) {
      out->valid[i] = 0;
      continue;
    }
    std::string r;
    bool first = true;
    for (size_t k = 1; k < a.size(); ++k) {
      if (a[k].IsNull(i)) continue;
      if (!first) r += a[0].String(i);
      r += a[k].String(i);
      first = false;
    }
    out->strings[i] = std::move(r);
  }
}

// DuckDB's SubstringStartEnd, in characters.
std::string Substring(const std::string& s, int64_t offset, int64_t length) {
  const int64_t size = Utf8Length(s);
  int64_t start;
  if (offset > 0) {
    start = std::min(size, offset - 1);
  } else if (offset < 0) {
    start = size + offset;
    if (start < 0) {
      // Both may be near INT64_MIN: an overflowing sum is a length <= 0.
      if (__builtin_add_overflow(length, start, &length)) return {};
      start = 0;
      if (length <= 0) return {};
    }
  } else {
    start = 0;
    if (length <= 1) return {};  // also INT64_MIN, which --length would wrap
    --length;
  }
  int64_t end;
  if (length >= 0) {
    end = length > size - start ? size : start + length;
  } else {
    end = start;
    start = std::max<int64_t>(0, start + length);
  }
  return Utf8Slice(s, start, end);
}

void Substr(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t len = a.size() > 2 ? a[2].Int(i) : std::numeric_limits<int64_t>::max() / 2;
    out->strings[i] = Substring(a[0].String(i), a[1].Int(i), len);
  });
}

void Replace(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    const std::string& from = a[1].String(i);
    const std::string& to = a[2].String(i);
    if (from.empty()) {
      out->strings[i] = s;
      return;
    }
    std::string r;
    size_t pos = 0;
    for (size_t hit; (hit = s.find(from, pos)) != std::string::npos; pos = hit + from.size()) {
      r.append(s, pos, hit - pos);
      r += to;
    }
    r.append(s, pos, std::string::npos);
    out->strings[i] = std::move(r);
  });
}

// Trims characters of `chars` (whole UTF-8 characters) from either end.
template <bool kLeft, bool kRight>
void Trim(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    const std::string chars = a.size() > 1 ? a[1].String(i) : std::string(" ");
    // Split `chars` into characters.
    std::vector<std::string> set;
    for (size_t k = 0; k < chars.size();) {
      size_t e = k + 1;
      while (e < chars.size() && IsContinuation(static_cast<unsigned char>(chars[e]))) ++e;
      set.push_back(chars.substr(k, e - k));
      k = e;
    }
    auto match_at = [&](size_t pos) -> size_t {  // length of a trim char at pos
      for (const std::string& c : set) {
        if (s.compare(pos, c.size(), c) == 0) return c.size();
      }
      return 0;
    };
    size_t b = 0, e = s.size();
    if (kLeft) {
      while (b < e) {
        size_t len = match_at(b);
        if (!len) break;
        b += len;
      }
    }
    if (kRight) {
      while (e > b) {
        size_t start = e - 1;
        while (start > b && IsContinuation(static_cast<unsigned char>(s[start]))) --start;
        if (match_at(start) != e - start) break;
        e = start;
      }
    }
    out->strings[i] = s.substr(b, e - b);
  });
}

template <int kMode>  // 0 starts_with, 1 ends_with, 2 contains
void StringTest(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBool, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    const std::string& t = a[1].String(i);
    bool r;
    if (kMode == 0) {
      r = s.compare(0, t.size(), t) == 0;
    } else if (kMode == 1) {
      r = s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
    } else {
      r = s.find(t) != std::string::npos;
    }
    out->ints[i] = r;
  });
}

template <bool kLeft>
void LeftRight(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    const int64_t len = Utf8Length(s);
    int64_t k = a[1].Int(i);
    if (k < 0) k = std::max<int64_t>(0, len + k);
    k = std::min(k, len);
    out->strings[i] = kLeft ? Utf8Slice(s, 0, k) : Utf8Slice(s, len - k, len);
  });
}

// Throws before a result over kMaxValueBytes, or over what memory_limit
// leaves free, is built: the value is charged to the tracker while it is
// checked (a 400 MB repeat() under a 64 MB limit is an Out of Memory Error,
// not 400 MB of RSS). Holding the charge for the value's lifetime would need
// the vectors to own reservations; the check bounds the worst single value.
void CheckResultSize(const char* function, double bytes) {
  if (bytes > static_cast<double>(kMaxValueBytes)) {
    throw QueryError(ErrorKind::kInvalidInput,
                     ValueSizeError(bytes > 9e18 ? SIZE_MAX : static_cast<size_t>(bytes)));
  }
  MemoryReservation reservation(function);
  reservation.Resize(static_cast<int64_t>(bytes));
}

template <bool kLeft>
void Pad(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    const std::string& pad = a[2].String(i);
    const int64_t target = std::max<int64_t>(0, a[1].Int(i));
    const int64_t len = Utf8Length(s);
    if (target <= len) {
      out->strings[i] = Utf8Slice(s, 0, target);
      return;
    }
    const int64_t pad_len = Utf8Length(pad);
    if (pad_len == 0) {
      throw QueryError(ErrorKind::kInvalidInput,
                       std::string("Insufficient padding in ") + (kLeft ? "LPAD." : "RPAD."));
    }
    const double pad_char_bytes = std::ceil(static_cast<double>(pad.size()) / static_cast<double>(pad_len));
    CheckResultSize(kLeft ? "lpad" : "rpad",
                    static_cast<double>(s.size()) + static_cast<double>(target - len) * pad_char_bytes);
    std::string fill;
    for (int64_t need = target - len; need > 0; need -= pad_len) {
      fill += need >= pad_len ? pad : Utf8Slice(pad, 0, need);
    }
    out->strings[i] = kLeft ? fill + s : s + fill;
  });
}

void StrPos(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    const size_t hit = s.find(a[1].String(i));
    out->ints[i] = hit == std::string::npos ? 0 : Utf8Length(s.substr(0, hit)) + 1;
  });
}

void Repeat(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    // An empty string repeated any number of times is empty: the loop
    // below ran `times` (up to 2^63) iterations appending nothing.
    const int64_t times = s.empty() ? 0 : std::max<int64_t>(0, a[1].Int(i));
    CheckResultSize("repeat", static_cast<double>(s.size()) * static_cast<double>(times));
    std::string r;
    r.reserve(s.size() * static_cast<size_t>(times));  // one allocation, no regrowth
    if (s.size() == 1) {
      r.assign(static_cast<size_t>(times), s[0]);
    } else {
      for (int64_t k = 0; k < times; ++k) r += s;
    }
    out->strings[i] = std::move(r);
  });
}

void Reverse(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    std::string r;
    r.reserve(s.size());
    size_t e = s.size();
    while (e > 0) {
      size_t b = e - 1;
      while (b > 0 && IsContinuation(static_cast<unsigned char>(s[b]))) --b;
      r.append(s, b, e - b);
      e = b;
    }
    out->strings[i] = std::move(r);
  });
}

void SplitPart(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    const std::string& sep = a[1].String(i);
    std::vector<std::string> parts;
    if (sep.empty()) {
      parts.push_back(s);
    } else {
      size_t pos = 0;
      for (size_t hit; (hit = s.find(sep, pos)) != std::string::npos; pos = hit + sep.size()) {
        parts.push_back(s.substr(pos, hit - pos));
      }
      parts.push_back(s.substr(pos));
    }
    int64_t k = a[2].Int(i);
    const int64_t m = static_cast<int64_t>(parts.size());
    if (k < 0) k = m + k + 1;
    out->strings[i] = k >= 1 && k <= m ? parts[k - 1] : std::string();
  });
}

void Ascii(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kInt, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& s = a[0].String(i);
    if (s.empty()) {
      out->ints[i] = 0;
      return;
    }
    const unsigned char c = static_cast<unsigned char>(s[0]);
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    int64_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (int k = 1; k < len && k < static_cast<int>(s.size()); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[k]) & 0x3F);
    }
    out->ints[i] = cp;
  });
}

void Chr(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t cp = a[0].Int(i);
    // Surrogates (U+D800-DFFF) have no UTF-8 form; DuckDB refuses them too.
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      throw QueryError(ErrorKind::kInvalidInput,
                       "Invalid UTF8 Codepoint " + std::to_string(cp));
    }
    std::string r;
    if (cp < 0x80) {
      r += static_cast<char>(cp);
    } else if (cp < 0x800) {
      r += static_cast<char>(0xC0 | (cp >> 6));
      r += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      r += static_cast<char>(0xE0 | (cp >> 12));
      r += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      r += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      r += static_cast<char>(0xF0 | (cp >> 18));
      r += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      r += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      r += static_cast<char>(0x80 | (cp & 0x3F));
    }
    out->strings[i] = std::move(r);
  });
}

void StrLen(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->ints[i] = static_cast<int64_t>(a[0].String(i).size()); });
}

}  // namespace

void AddStringFunctions(std::vector<ScalarFunction>* f) {
  const uint8_t kVarConcat = kScalarVariadic | kScalarAnyToVarchar;
  f->insert(f->end(), {
      {"concat", {kStr}, kStr, Concat, kVarConcat},
      {"concat_ws", {kStr, kStr}, kStr, ConcatWs, kVarConcat},
      {"substring", {kStr, kBig}, kStr, Substr},
      {"substring", {kStr, kBig, kBig}, kStr, Substr},
      {"substr", {kStr, kBig}, kStr, Substr},
      {"substr", {kStr, kBig, kBig}, kStr, Substr},
      {"replace", {kStr, kStr, kStr}, kStr, Replace},
      {"trim", {kStr}, kStr, Trim<true, true>},
      {"trim", {kStr, kStr}, kStr, Trim<true, true>},
      {"ltrim", {kStr}, kStr, Trim<true, false>},
      {"ltrim", {kStr, kStr}, kStr, Trim<true, false>},
      {"rtrim", {kStr}, kStr, Trim<false, true>},
      {"rtrim", {kStr, kStr}, kStr, Trim<false, true>},
      {"starts_with", {kStr, kStr}, kBool, StringTest<0>},
      {"prefix", {kStr, kStr}, kBool, StringTest<0>},
      {"ends_with", {kStr, kStr}, kBool, StringTest<1>},
      {"suffix", {kStr, kStr}, kBool, StringTest<1>},
      {"contains", {kStr, kStr}, kBool, StringTest<2>},
      {"left", {kStr, kBig}, kStr, LeftRight<true>},
      {"right", {kStr, kBig}, kStr, LeftRight<false>},
      {"lpad", {kStr, kBig, kStr}, kStr, Pad<true>},
      {"rpad", {kStr, kBig, kStr}, kStr, Pad<false>},
      {"strpos", {kStr, kStr}, kBig, StrPos},
      {"instr", {kStr, kStr}, kBig, StrPos},
      {"position", {kStr, kStr}, kBig, StrPos},
      {"repeat", {kStr, kBig}, kStr, Repeat},
      {"reverse", {kStr}, kStr, Reverse},
      {"split_part", {kStr, kStr, kBig}, kStr, SplitPart},
      {"ascii", {kStr}, kInt, Ascii},
      {"chr", {kBig}, kStr, Chr},
      {"strlen", {kStr}, kBig, StrLen},
      {"octet_length", {kStr}, kBig, StrLen},
  });
}

}  // namespace tsl::query
