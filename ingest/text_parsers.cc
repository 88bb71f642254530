// Strict text parsers for ingest readers. See text_parsers.h.
#include "ingest/text_parsers.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "formats/timestamp.h"

namespace tsl {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsLower(std::string_view text, std::string_view lower_word) {
  if (text.size() != lower_word.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (LowerAscii(text[i]) != lower_word[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

bool ParseInt64Text(std::string_view text, int64_t* out) {
  text = TrimBlanks(text);
  // from_chars takes '-' but not '+'; a lone sign is not a number.
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') return false;
  }
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

bool ParseDoubleText(std::string_view text, double* out) {
  text = TrimBlanks(text);
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') return false;
  }
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out, std::chars_format::general);
  // Out-of-range values (1e999) are errors rather than a silent inf.
  return ec == std::errc() && ptr == end;
}

bool LooksLikeBooleanWord(std::string_view text) {
  text = TrimBlanks(text);
  return EqualsLower(text, "true") || EqualsLower(text, "false");
}

bool ParseBooleanText(std::string_view text, bool* out) {
  text = TrimBlanks(text);
  if (EqualsLower(text, "true") || EqualsLower(text, "t") || EqualsLower(text, "yes") ||
      EqualsLower(text, "y") || text == "1") {
    *out = true;
    return true;
  }
  if (EqualsLower(text, "false") || EqualsLower(text, "f") || EqualsLower(text, "no") ||
      EqualsLower(text, "n") || text == "0") {
    *out = false;
    return true;
  }
  return false;
}

bool ParseTimestampText(std::string_view text, int64_t* out) {
  text = TrimBlanks(text);
  // Every accepted form starts with YYYY-MM-DD; skip the full parser (and
  // its error Status allocation) for anything else.
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || text[0] < '0' || text[0] > '9')
    return false;
  Result<int64_t> r = ParseTimestamp(text);
  if (!r.ok()) return false;
  *out = *r;
  return true;
}

bool ParseEpochUnitName(std::string_view name, EpochUnit* unit) {
  name = TrimBlanks(name);
  if (EqualsLower(name, "auto")) *unit = EpochUnit::kAuto;
  else if (EqualsLower(name, "s")) *unit = EpochUnit::kSeconds;
  else if (EqualsLower(name, "ms")) *unit = EpochUnit::kMillis;
  else if (EqualsLower(name, "us")) *unit = EpochUnit::kMicros;
  else if (EqualsLower(name, "ns")) *unit = EpochUnit::kNanos;
  else return false;
  return true;
}

bool ParseTimestampOrEpoch(std::string_view text, EpochUnit unit, int64_t* out) {
  text = TrimBlanks(text);
  if (ParseTimestampText(text, out)) return true;
  int64_t v;
  double d = 0;
  const bool integral = ParseInt64Text(text, &v);
  if (!integral) {
    if (!ParseDoubleText(text, &d) || !std::isfinite(d)) return false;
  } else {
    d = static_cast<double>(v);
  }
  if (unit == EpochUnit::kAuto) {
    const double a = std::fabs(d);
    unit = a < 1e11 ? EpochUnit::kSeconds
                    : a < 1e14 ? EpochUnit::kMillis
                               : a < 1e17 ? EpochUnit::kMicros : EpochUnit::kNanos;
  }
  if (!integral) {
    double micros = d;
    switch (unit) {
      case EpochUnit::kSeconds: micros = d * 1e6; break;
      case EpochUnit::kMillis: micros = d * 1e3; break;
      case EpochUnit::kMicros: break;
      default: micros = d / 1e3; break;
    }
    if (!(std::fabs(micros) < 9.2e18)) return false;
    *out = static_cast<int64_t>(std::floor(micros));
    return true;
  }
  int64_t mul = 1;
  switch (unit) {
    case EpochUnit::kSeconds: mul = 1000000; break;
    case EpochUnit::kMillis: mul = 1000; break;
    case EpochUnit::kMicros: break;
    default: {
      int64_t q = v / 1000;
      if (v % 1000 < 0) --q;
      *out = q;
      return true;
    }
  }
  if (v > std::numeric_limits<int64_t>::max() / mul || v < std::numeric_limits<int64_t>::min() / mul)
    return false;
  *out = v * mul;
  return true;
}

bool AppendParsedValue(std::string_view text, TypeId type, ColumnVector* column) {
  switch (type) {
    case TypeId::kVarchar:
      column->AppendString(std::string(text));
      return true;
    case TypeId::kBoolean: {
      bool b;
      if (!ParseBooleanText(text, &b)) return false;
      column->AppendInt(b ? 1 : 0);
      return true;
    }
    case TypeId::kInteger: {
      int64_t v;
      if (!ParseInt64Text(text, &v) || v < std::numeric_limits<int32_t>::min() ||
          v > std::numeric_limits<int32_t>::max())
        return false;
      column->AppendInt(v);
      return true;
    }
    case TypeId::kBigint: {
      int64_t v;
      if (!ParseInt64Text(text, &v)) return false;
      column->AppendInt(v);
      return true;
    }
    case TypeId::kDouble: {
      double d;
      if (!ParseDoubleText(text, &d)) return false;
      column->AppendDouble(d);
      return true;
    }
    case TypeId::kTimestamp: {
      int64_t micros;
      if (!ParseTimestampText(text, &micros)) return false;
      column->AppendInt(micros);
      return true;
    }
    case TypeId::kInterval: {
      Result<int64_t> r = ParseInterval(TrimBlanks(text));
      if (!r.ok()) return false;
      column->AppendInt(*r);
      return true;
    }
    case TypeId::kNull:
      return false;
  }
  return false;
}

}  // namespace tsl
