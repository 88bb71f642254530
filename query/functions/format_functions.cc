// Text formatting as DuckDB does it: format(fmt, args...) with the {fmt}
// library's Python-like replacement fields ({}, {0}, {:>8.3f}, {:#x},
// {:,}), printf(fmt, args...) with C's conversions (%d, %5.2f, %-10s,
// %x, %%) as {fmt}'s printf checks them (a conversion must suit the
// argument's type: %s of a DOUBLE is an error, as in DuckDB), and
// human-readable byte counts: format_bytes/formatReadableSize (1024-based
// units: KiB, MiB, ... PiB, one truncated decimal) and
// formatReadableDecimalSize (1000-based: kB, MB, ...), and bar(x, min,
// max [, width 80]): x's place between min and max as a bar of Unicode
// block characters (eighths), padded to the width. Any NULL argument
// makes format/printf NULL. TIMESTAMP and INTERVAL arguments are
// formatted as their text. Thread-safety: pure functions.
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "formats/date.h"
#include "formats/decimal.h"
#include "formats/time_zone.h"
#include "formats/timestamp.h"
#include "formats/value.h"
#include "formats/value_size.h"
#include "query/common/query_error.h"
#include "query/execution/time_zone_setting.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

using Args = std::vector<VectorView>;

// DuckDB's StringUtil::BytesToHumanReadableString.
std::string HumanReadableBytes(uint64_t bytes, uint64_t multiplier) {
  static const char* const kUnits[2][6] = {{"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"},
                                           {"bytes", "kB", "MB", "GB", "TB", "PB"}};
  const int sel = multiplier == 1000;
  uint64_t parts[6] = {bytes, 0, 0, 0, 0, 0};
  for (int i = 1; i < 6; ++i) {
    parts[i] = parts[i - 1] / multiplier;
    parts[i - 1] %= multiplier;
  }
  for (int i = 5; i >= 1; --i) {
    if (parts[i]) {
      return std::to_string(parts[i]) + "." + std::to_string(parts[i - 1] * 10 / multiplier) +
             " " + kUnits[sel][i];
    }
  }
  return std::to_string(parts[0]) + (bytes == 1 ? " byte" : " bytes");
}

template <uint64_t kMultiplier>
void FormatBytes(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t x = a[0].Int(i);
    // The magnitude of INT64_MIN is representable in uint64_t.
    const uint64_t magnitude = x < 0 ? 0 - static_cast<uint64_t>(x) : static_cast<uint64_t>(x);
    out->strings[i] = (x < 0 ? "-" : "") + HumanReadableBytes(magnitude, kMultiplier);
  });
}

[[noreturn]] void FormatError(const std::string& message) {
  throw QueryError(ErrorKind::kInvalidInput, message);
}

// One argument as {fmt} sees it: an integer (INTEGER, BIGINT; BOOLEAN for
// printf's %d), a float, a bool, or text (VARCHAR, and TIMESTAMP/INTERVAL
// as DuckDB hands them over: cast to VARCHAR).
struct FormatArg {
  enum Kind { kInt, kFloat, kBool, kText } kind = kText;
  int64_t i = 0;
  double d = 0;
  std::string text;
};

FormatArg ReadArg(const VectorView& v, size_t row) {
  FormatArg a;
  switch (v.vec->type) {
    case TypeId::kInteger:
    case TypeId::kBigint:
      a.kind = FormatArg::kInt;
      a.i = v.Int(row);
      break;
    case TypeId::kBoolean:
      a.kind = FormatArg::kBool;
      a.i = v.Int(row) != 0;
      break;
    case TypeId::kDouble:
      a.kind = FormatArg::kFloat;
      a.d = v.Double(row);
      break;
    case TypeId::kTimestamp:
      a.text = FormatTimestamp(v.Int(row));
      break;
    case TypeId::kInterval:
      a.text = FormatInterval(v.Int(row));
      break;
    case TypeId::kDate:
      a.text = FormatDate(v.Int(row));
      break;
    case TypeId::kTimestampTz:
      a.text = FormatTimestampTz(v.Int(row), *CurrentTimeZone());
      break;
    default:
      if (IsDecimal(v.vec->type)) {  // a number, as DuckDB's printf('%f') takes it
        a.kind = FormatArg::kFloat;
        a.d = DecimalToDouble(v.Int(row), DecimalScale(v.vec->type));
        break;
      }
      a.text = v.String(row);
      break;
  }
  return a;
}

// The parsed [[fill]align][sign][#][0][width][,][.precision][type] of a
// replacement field, or the flags/width/precision/conversion of a printf
// directive.
struct Spec {
  char fill = ' ';
  char align = 0;  // '<', '>', '^', or 0 for the type's default
  char sign = '-';
  bool alt = false;
  bool zero = false;
  int width = 0;
  bool thousands = false;
  int precision = -1;
  char type = 0;
};

const char* KindName(FormatArg::Kind k) {
  switch (k) {
    case FormatArg::kInt:
      return "int";
    case FormatArg::kFloat:
      return "float";
    case FormatArg::kBool:
      return "bool";
    default:
      return "string";
  }
}

[[noreturn]] void BadType(char type, FormatArg::Kind k) {
  FormatError(std::string("Invalid type specifier \"") + type +
              "\" for formatting a value of type " + KindName(k));
}

// {fmt}'s shortest round-trip text of a double: fixed notation with at
// least one decimal ("100.0") for decimal exponents in [-4, 16), else
// d[.ddd]e+XX.
std::string ShortestDouble(double d) {
  if (std::isnan(d)) return std::signbit(d) ? "-nan" : "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  const size_t e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  const int exp = std::stoi(sci.substr(e + 1));
  bool negative = false;
  if (!mantissa.empty() && mantissa[0] == '-') {
    negative = true;
    mantissa.erase(0, 1);
  }
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits += c;
  }
  std::string out;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) {
      out = "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
    } else if (static_cast<size_t>(exp) + 1 >= digits.size()) {
      out = digits + std::string(static_cast<size_t>(exp) + 1 - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, static_cast<size_t>(exp) + 1) + "." +
            digits.substr(static_cast<size_t>(exp) + 1);
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    out += ebuf;
  }
  return negative ? "-" + out : out;
}

// Groups the integer digits of `digits` (no sign) by three with commas.
std::string Thousands(const std::string& digits) {
  const size_t dot = digits.find('.');
  std::string whole = digits.substr(0, dot);
  std::string out;
  for (size_t k = 0; k < whole.size(); ++k) {
    if (k && (whole.size() - k) % 3 == 0) out += ',';
    out += whole[k];
  }
  return dot == std::string::npos ? out : out + digits.substr(dot);
}

// Pads `body` (whose first `prefix` bytes are a sign or base prefix that
// zero padding goes after) to the spec's width.
std::string Pad(const std::string& body, size_t prefix, const Spec& s, char default_align) {
  size_t len = 0;  // in characters
  for (unsigned char c : body) len += (c & 0xC0) != 0x80;
  if (s.width <= 0 || len >= static_cast<size_t>(s.width)) return body;
  const size_t pad = static_cast<size_t>(s.width) - len;
  if (s.zero && s.align == 0) return body.substr(0, prefix) + std::string(pad, '0') + body.substr(prefix);
  const char align = s.align ? s.align : default_align;
  const std::string fill(1, s.fill);
  auto repeat = [&](size_t k) {
    std::string r;
    for (size_t j = 0; j < k; ++j) r += fill;
    return r;
  };
  if (align == '<') return body + repeat(pad);
  if (align == '^') return repeat(pad / 2) + body + repeat(pad - pad / 2);
  return repeat(pad) + body;
}

std::string SignOf(bool negative, char sign) {
  if (negative) return "-";
  if (sign == '+') return "+";
  if (sign == ' ') return " ";
  return "";
}

std::string FormatInteger(int64_t v, const Spec& s, FormatArg::Kind kind, bool printf_style) {
  char type = s.type ? s.type : 'd';
  if (type == 'i' || type == 'u') type = 'd';
  if (s.precision >= 0 && !printf_style) FormatError("precision not allowed for this argument type");
  if (type == 'c') {
    std::string body(1, static_cast<char>(v));
    return Pad(body, 0, s, '<');
  }
  int base = 10;
  if (type == 'x' || type == 'X') base = 16;
  else if (type == 'o') base = 8;
  else if (type == 'b' || type == 'B') base = 2;
  else if (type != 'd') BadType(type, kind);
  // printf prints a negative number in hex/octal as its 64-bit two's
  // complement, {fmt}'s format as a signed magnitude.
  const bool as_unsigned = printf_style && base != 10;
  const bool negative = v < 0 && !as_unsigned;
  uint64_t mag = as_unsigned ? static_cast<uint64_t>(v)
                             : (negative ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
  std::string digits;
  const char* set = type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    digits.insert(digits.begin(), set[mag % static_cast<uint64_t>(base)]);
    mag /= static_cast<uint64_t>(base);
  } while (mag);
  if (printf_style && s.precision > static_cast<int>(digits.size())) {
    digits.insert(0, static_cast<size_t>(s.precision) - digits.size(), '0');
  }
  if (s.thousands && base == 10) digits = Thousands(digits);
  std::string prefix = SignOf(negative, s.sign);
  if (s.alt) {
    if (base == 16) prefix += type == 'X' ? "0X" : "0x";
    if (base == 2) prefix += type == 'B' ? "0B" : "0b";
    if (base == 8 && digits != "0") prefix += "0";
  }
  return Pad(prefix + digits, prefix.size(), s, '>');
}

std::string FormatFloat(double d, const Spec& s) {
  char type = s.type;
  if (type != 0 && type != 'f' && type != 'F' && type != 'e' && type != 'E' && type != 'g' &&
      type != 'G' && type != 'a' && type != 'A') {
    BadType(type, FormatArg::kFloat);
  }
  std::string body;
  const bool negative = std::signbit(d) && !std::isnan(d);
  if (type == 0 && s.precision < 0) {
    body = ShortestDouble(std::fabs(d));
  } else {
    char conv = type ? type : 'g';
    std::string f = "%";
    if (s.alt) f += '#';
    if (s.precision >= 0) f += "." + std::to_string(s.precision);
    f += conv;
    char buf[512];
    const int len = std::snprintf(buf, sizeof buf, f.c_str(), std::fabs(d));
    if (len < 0 || static_cast<size_t>(len) >= sizeof buf) {
      FormatError("format: the formatted number is too long");
    }
    body.assign(buf, static_cast<size_t>(len));
  }
  if (s.thousands) body = Thousands(body);
  const std::string prefix = SignOf(negative, s.sign);
  return Pad(prefix + body, prefix.size(), s, '>');
}

std::string FormatText(const std::string& text, const Spec& s, FormatArg::Kind kind) {
  if (s.type != 0 && s.type != 's') BadType(s.type, kind);
  std::string body = text;
  if (s.precision >= 0) {  // at most `precision` characters
    size_t chars = 0, k = 0;
    while (k < body.size()) {
      if ((static_cast<unsigned char>(body[k]) & 0xC0) != 0x80) {
        if (chars == static_cast<size_t>(s.precision)) break;
        ++chars;
      }
      ++k;
    }
    body.resize(k);
  }
  return Pad(body, 0, s, '<');
}

std::string FormatOne(const FormatArg& a, const Spec& s, bool printf_style) {
  switch (a.kind) {
    case FormatArg::kInt:
      if (printf_style && s.type == 's') BadType('s', a.kind);
      return FormatInteger(a.i, s, a.kind, printf_style);
    case FormatArg::kFloat:
      return FormatFloat(a.d, s);
    case FormatArg::kBool:
      if (s.type == 0 || s.type == 's') return FormatText(a.i ? "true" : "false", s, a.kind);
      return FormatInteger(a.i, s, a.kind, printf_style);
    case FormatArg::kText:
      return FormatText(a.text, s, a.kind);
  }
  return "";
}

int ParseNumber(const std::string& f, size_t* k) {
  int64_t v = 0;
  while (*k < f.size() && std::isdigit(static_cast<unsigned char>(f[*k]))) {
    v = v * 10 + (f[*k] - '0');
    if (v > 100000) FormatError("number is too big");
    ++*k;
  }
  return static_cast<int>(v);
}

bool IsAlign(char c) { return c == '<' || c == '>' || c == '^'; }

// {fmt}'s format-spec mini-language after the ':'.
Spec ParseFormatSpec(const std::string& f, size_t* k) {
  Spec s;
  auto at = [&](size_t j) { return j < f.size() ? f[j] : '\0'; };
  if (at(*k + 1) && IsAlign(at(*k + 1)) && at(*k) != '}') {
    s.fill = at(*k);
    s.align = at(*k + 1);
    *k += 2;
  } else if (IsAlign(at(*k))) {
    s.align = at(*k);
    ++*k;
  }
  if (at(*k) == '+' || at(*k) == '-' || at(*k) == ' ') s.sign = f[(*k)++];
  if (at(*k) == '#') {
    s.alt = true;
    ++*k;
  }
  if (at(*k) == '0') {
    s.zero = true;
    ++*k;
  }
  s.width = ParseNumber(f, k);
  if (at(*k) == ',') {
    s.thousands = true;
    ++*k;
  }
  if (at(*k) == '.') {
    ++*k;
    if (!std::isdigit(static_cast<unsigned char>(at(*k)))) FormatError("missing precision specifier");
    s.precision = ParseNumber(f, k);
  }
  if (at(*k) && at(*k) != '}') s.type = f[(*k)++];
  if (at(*k) != '}') FormatError("unknown format specifier");
  return s;
}

void CheckSize(const std::string& out) {
  if (out.size() > kMaxValueBytes) FormatError(ValueSizeError(out.size()));
}

std::string FormatFmt(const std::string& f, const std::vector<FormatArg>& args) {
  std::string out;
  int next = 0;
  bool manual = false, automatic = false;
  for (size_t k = 0; k < f.size();) {
    const char c = f[k];
    if (c == '}') {
      if (k + 1 < f.size() && f[k + 1] == '}') {
        out += '}';
        k += 2;
        continue;
      }
      FormatError("unmatched '}' in format string");
    }
    if (c != '{') {
      out += c;
      ++k;
      continue;
    }
    if (k + 1 < f.size() && f[k + 1] == '{') {
      out += '{';
      k += 2;
      continue;
    }
    ++k;
    int index;
    if (k < f.size() && std::isdigit(static_cast<unsigned char>(f[k]))) {
      if (automatic) FormatError("cannot switch from automatic to manual argument indexing");
      manual = true;
      index = ParseNumber(f, &k);
    } else {
      if (manual) FormatError("cannot switch from manual to automatic argument indexing");
      automatic = true;
      index = next++;
    }
    if (index >= static_cast<int>(args.size())) {
      FormatError("Argument index \"" + std::to_string(index) + "\" out of range");
    }
    Spec spec;
    if (k < f.size() && f[k] == ':') {
      ++k;
      spec = ParseFormatSpec(f, &k);
    }
    if (k >= f.size() || f[k] != '}') FormatError("missing '}' in format string");
    ++k;
    out += FormatOne(args[static_cast<size_t>(index)], spec, false);
    CheckSize(out);
  }
  return out;
}

std::string FormatPrintf(const std::string& f, const std::vector<FormatArg>& args) {
  std::string out;
  size_t next = 0;
  for (size_t k = 0; k < f.size();) {
    if (f[k] != '%') {
      out += f[k++];
      continue;
    }
    ++k;
    if (k < f.size() && f[k] == '%') {
      out += '%';
      ++k;
      continue;
    }
    Spec s;
    s.align = 0;
    for (; k < f.size(); ++k) {  // flags
      const char c = f[k];
      if (c == '-') s.align = '<';
      else if (c == '+') s.sign = '+';
      else if (c == ' ') { if (s.sign != '+') s.sign = ' '; }
      else if (c == '#') s.alt = true;
      else if (c == '0') s.zero = true;
      else break;
    }
    if (s.align == '<') s.zero = false;
    s.width = ParseNumber(f, &k);
    if (k < f.size() && f[k] == '.') {
      ++k;
      s.precision = ParseNumber(f, &k);
    }
    while (k < f.size() && (f[k] == 'l' || f[k] == 'h' || f[k] == 'j' || f[k] == 'z' ||
                            f[k] == 't' || f[k] == 'L')) {
      ++k;
    }
    if (k >= f.size()) FormatError("invalid format specifier");
    s.type = f[k++];
    if (next >= args.size()) {
      FormatError("Argument index \"" + std::to_string(next) + "\" out of range");
    }
    const FormatArg& a = args[next++];
    if (a.kind == FormatArg::kFloat && s.type == 's') BadType('s', a.kind);
    if (a.kind == FormatArg::kInt &&
        (s.type == 'f' || s.type == 'F' || s.type == 'e' || s.type == 'E' || s.type == 'g' ||
         s.type == 'G')) {
      BadType(s.type, a.kind);
    }
    if (s.type == 's' && a.kind != FormatArg::kText && a.kind != FormatArg::kBool) {
      BadType('s', a.kind);
    }
    if (s.type == 's') s.type = 0;
    // Right-aligned by default in printf, text included.
    if (s.align == 0 && !s.zero) s.align = '>';
    if (s.align == '>' && s.zero) s.align = 0;
    out += FormatOne(a, s, true);
    CheckSize(out);
  }
  return out;
}

template <bool kPrintf>
void FormatKernel(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  std::vector<FormatArg> args(a.size() - 1);
  ForEachValid(a, n, out, [&](size_t i) {
    for (size_t k = 1; k < a.size(); ++k) args[k - 1] = ReadArg(a[k], i);
    out->strings[i] = kPrintf ? FormatPrintf(a[0].String(i), args) : FormatFmt(a[0].String(i), args);
  });
}

}  // namespace

namespace {

void BarKernel(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  static const char* const kPartial[8] = {" ",
                                          "\xE2\x96\x8F",
                                          "\xE2\x96\x8E",
                                          "\xE2\x96\x8D",
                                          "\xE2\x96\x8C",
                                          "\xE2\x96\x8B",
                                          "\xE2\x96\x8A",
                                          "\xE2\x96\x89"};
  static const char* const kFull = "\xE2\x96\x88";
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const double x = a[0].Double(i), lo = a[1].Double(i), hi = a[2].Double(i);
    const double max_width = a.size() > 3 ? a[3].Double(i) : 80;
    if (!std::isfinite(max_width)) {
      throw QueryError(ErrorKind::kOutOfRange, "Max bar width must not be NaN or infinity");
    }
    if (max_width < 1) throw QueryError(ErrorKind::kOutOfRange, "Max bar width must be >= 1");
    if (max_width > 1000) throw QueryError(ErrorKind::kOutOfRange, "Max bar width must be <= 1000");
    double width;
    if (std::isnan(x) || std::isnan(lo) || std::isnan(hi) || x <= lo) {
      width = 0;
    } else if (x >= hi) {
      width = max_width;
    } else {
      width = max_width * (x - lo) / (hi - lo);
    }
    if (!std::isfinite(width)) {
      throw QueryError(ErrorKind::kOutOfRange, "Bar width must not be NaN or infinity");
    }
    std::string bar;
    const auto eighths = static_cast<uint32_t>(width * 8);
    size_t used = 0;
    for (uint32_t b = 0; b < eighths / 8; ++b, ++used) bar += kFull;
    if (eighths % 8) {
      bar += kPartial[eighths % 8];
      ++used;
    }
    const auto total = static_cast<size_t>(max_width);
    if (used < total) bar.append(total - used, ' ');
    out->strings[i] = std::move(bar);
  });
}

}  // namespace

void AddFormatFunctions(std::vector<ScalarFunction>* f) {
  f->insert(f->end(), {
      {"bar", {kDbl, kDbl, kDbl}, kStr, BarKernel},
      {"bar", {kDbl, kDbl, kDbl, kDbl}, kStr, BarKernel},
      {"format_bytes", {kBig}, kStr, FormatBytes<1024>},
      {"formatreadablesize", {kBig}, kStr, FormatBytes<1024>},
      {"formatreadabledecimalsize", {kBig}, kStr, FormatBytes<1000>},
      {"format", {kStr}, kStr, FormatKernel<false>, kScalarVariadicAny},
      {"printf", {kStr}, kStr, FormatKernel<true>, kScalarVariadicAny},
  });
}

}  // namespace tsl::query
