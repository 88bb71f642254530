// Type OIDs and value encodings. See pg_types.h.
#include "server/pg_types.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <vector>

namespace tslake::server {

namespace {

// PostgreSQL's binary timestamps and dates count from 2000-01-01.
constexpr int64_t kPgEpochMicros = 946684800LL * 1000000;
constexpr int32_t kPgEpochDays = 10957;
constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

void PutBE(uint64_t v, int bytes, std::string* out) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t GetBE(std::string_view s) {
  uint64_t v = 0;
  for (char c : s) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

// Howard Hinnant's civil_from_days: proleptic Gregorian date of a day count.
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}

// "YYYY-MM-DD", with PostgreSQL's " BC" for years <= 0 (year 0 is 1 BC).
std::string DatePart(int64_t days, bool* bc) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  *bc = y <= 0;
  if (*bc) y = 1 - y;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

// "HH:MM:SS[.ffffff]" with trailing zeros of the fraction dropped.
std::string TimePart(int64_t micros_of_day) {
  char buf[32];
  int64_t secs = micros_of_day / 1000000, frac = micros_of_day % 1000000;
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  std::string s = buf;
  if (frac != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(frac));
    std::string f = buf;
    while (f.back() == '0') f.pop_back();
    s += f;
  }
  return s;
}

Status BadValue(int index, const std::string& what) {
  return Status(ErrorCode::kInvalidArgument,
                "Conversion Error: parameter $" + std::to_string(index) + ": " + what);
}

}  // namespace

int32_t TypeOid(Type type) {
  switch (type) {
    case Type::kBoolean: return oid::kBool;
    case Type::kInteger: return oid::kInt4;
    case Type::kBigint: return oid::kInt8;
    case Type::kDouble: return oid::kFloat8;
    case Type::kVarchar: return oid::kText;
    case Type::kTimestamp: return oid::kTimestamp;
    case Type::kTimestampTz: return oid::kTimestampTz;
    case Type::kInterval: return oid::kInterval;
    case Type::kDate: return oid::kDate;
    case Type::kDecimal: return oid::kNumeric;
    case Type::kSmallint:
    case Type::kTinyint: return oid::kInt2;  // PostgreSQL has no 1-byte integer
    case Type::kTime: return oid::kTime;
    case Type::kBlob: return oid::kBytea;
    case Type::kUuid: return oid::kUuid;
    case Type::kNull: return oid::kText;
  }
  return oid::kText;
}

int16_t TypeLength(Type type) {
  switch (type) {
    case Type::kBoolean: return 1;
    case Type::kInteger: return 4;
    case Type::kDate: return 4;
    case Type::kSmallint:
    case Type::kTinyint: return 2;
    case Type::kTime: return 8;
    case Type::kUuid: return 16;
    case Type::kBigint:
    case Type::kDouble:
    case Type::kTimestamp:
    case Type::kTimestampTz: return 8;
    case Type::kInterval: return 16;
    default: return -1;
  }
}

std::string FormatTimestamp(int64_t micros) {
  int64_t days = micros / kMicrosPerDay, rem = micros % kMicrosPerDay;
  if (rem < 0) {
    rem += kMicrosPerDay;
    --days;
  }
  bool bc;
  std::string s = DatePart(days, &bc) + " " + TimePart(rem);
  if (bc) s += " BC";
  return s;
}

std::string FormatDate(int32_t days) {
  bool bc;
  std::string s = DatePart(days, &bc);
  if (bc) s += " BC";
  return s;
}

std::string FormatDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);  // shortest exact round-trip
  return std::string(buf, res.ptr);
}

// PostgreSQL's "postgres" IntervalStyle (its EncodeInterval): the nonzero
// fields of years, months and days as "N year(s) N mon(s) N day(s)", then
// the time "[-|+]HH:MM:SS[.f]" when nonzero or when nothing else was
// printed; a field after a negative one shows a "+" when positive.
std::string FormatInterval(int64_t months, int64_t micros) {
  std::string s;
  bool before_negative = false, zero = true;
  auto part = [&](int64_t value, const char* unit) {
    if (value == 0) return;
    s += zero ? "" : " ";
    s += before_negative && value > 0 ? "+" : "";
    s += std::to_string(value) + " " + unit + (value != 1 ? "s" : "");
    before_negative = value < 0;
    zero = false;
  };
  part(months / 12, "year");
  part(months % 12, "mon");
  part(micros / kMicrosPerDay, "day");
  const int64_t rem = micros % kMicrosPerDay;  // |rem| < one day: no overflow
  if (zero || rem != 0) {
    s += zero ? "" : " ";
    s += rem < 0 ? "-" : (before_negative ? "+" : "");
    s += TimePart(rem < 0 ? -rem : rem);
  }
  return s;
}

void EncodeText(const Result& result, int column, int64_t row, std::string* out) {
  switch (result.column_type(column)) {
    case Type::kBoolean:
      out->push_back(result.GetInt64(column, row) != 0 ? 't' : 'f');
      return;
    case Type::kInteger:
    case Type::kBigint:
    case Type::kSmallint:
    case Type::kTinyint:
      out->append(std::to_string(result.GetInt64(column, row)));
      return;
    case Type::kBlob: {  // PostgreSQL's bytea hex output: \x0aff
      static constexpr char kHex[] = "0123456789abcdef";
      out->append("\\x");
      for (unsigned char c : result.GetBlob(column, row)) {
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
      }
      return;
    }
    case Type::kTime:  // "12:00:01.5", PostgreSQL's time output too
    case Type::kUuid:
      out->append(result.GetString(column, row));
      return;
    case Type::kDouble:
      out->append(FormatDouble(result.GetDouble(column, row)));
      return;
    case Type::kTimestamp:
      out->append(FormatTimestamp(result.GetInt64(column, row)));
      return;
    case Type::kTimestampTz:
      // The session zone's ISO form with its offset ("2024-03-31
      // 04:30:00+02"), which is PostgreSQL's DateStyle ISO output too.
      out->append(result.GetString(column, row));
      return;
    case Type::kDate:
      out->append(FormatDate(result.GetDate(column, row)));
      return;
    case Type::kInterval: {
      const Result::Interval v = result.GetInterval(column, row);
      out->append(FormatInterval(v.months, v.micros));
      return;
    }
    case Type::kVarchar:
    case Type::kDecimal:  // exact text, "1.50"
    case Type::kNull:
      out->append(result.GetString(column, row));
      return;
  }
}

namespace {

// PostgreSQL's binary NUMERIC: ndigits, weight, sign, dscale, then base
// 10000 digits, from the exact text "-12.50".
void EncodeNumericBinary(const std::string& text, std::string* out) {
  const bool neg = !text.empty() && text[0] == '-';
  std::string body = neg ? text.substr(1) : text;
  const size_t point = body.find('.');
  std::string int_part = point == std::string::npos ? body : body.substr(0, point);
  std::string frac = point == std::string::npos ? "" : body.substr(point + 1);
  const int dscale = static_cast<int>(frac.size());
  while (int_part.size() % 4 != 0) int_part.insert(0, 1, '0');
  while (frac.size() % 4 != 0) frac.push_back('0');
  std::vector<int> groups;
  for (size_t i = 0; i < int_part.size(); i += 4) groups.push_back(std::stoi(int_part.substr(i, 4)));
  int weight = static_cast<int>(groups.size()) - 1;
  for (size_t i = 0; i < frac.size(); i += 4) groups.push_back(std::stoi(frac.substr(i, 4)));
  size_t lead = 0;
  while (lead < groups.size() && groups[lead] == 0) ++lead;
  groups.erase(groups.begin(), groups.begin() + static_cast<std::ptrdiff_t>(lead));
  weight -= static_cast<int>(lead);
  while (!groups.empty() && groups.back() == 0) groups.pop_back();
  if (groups.empty()) weight = 0;
  PutBE(static_cast<uint16_t>(groups.size()), 2, out);
  PutBE(static_cast<uint16_t>(static_cast<int16_t>(weight)), 2, out);
  PutBE(neg && !groups.empty() ? 0x4000 : 0x0000, 2, out);
  PutBE(static_cast<uint16_t>(dscale), 2, out);
  for (int g : groups) PutBE(static_cast<uint16_t>(g), 2, out);
}

}  // namespace

void EncodeBinary(const Result& result, int column, int64_t row, std::string* out) {
  switch (result.column_type(column)) {
    case Type::kBoolean:
      out->push_back(result.GetInt64(column, row) != 0 ? 1 : 0);
      return;
    case Type::kInteger:
      PutBE(static_cast<uint32_t>(result.GetInt64(column, row)), 4, out);
      return;
    case Type::kSmallint:
    case Type::kTinyint:
      PutBE(static_cast<uint16_t>(result.GetInt64(column, row)), 2, out);
      return;
    case Type::kTime:  // microseconds since midnight, as PostgreSQL's time
      PutBE(static_cast<uint64_t>(result.GetInt64(column, row)), 8, out);
      return;
    case Type::kBlob:
      out->append(result.GetBlob(column, row));
      return;
    case Type::kUuid: {  // 16 bytes from the canonical text
      const std::string text = result.GetString(column, row);
      int hi = -1;
      for (char c : text) {
        if (c == '-') continue;
        const int d = c <= '9' ? c - '0' : c - 'a' + 10;
        if (hi < 0) {
          hi = d;
        } else {
          out->push_back(static_cast<char>(hi * 16 + d));
          hi = -1;
        }
      }
      return;
    }
    case Type::kBigint:
      PutBE(static_cast<uint64_t>(result.GetInt64(column, row)), 8, out);
      return;
    case Type::kDouble: {
      double d = result.GetDouble(column, row);
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      PutBE(bits, 8, out);
      return;
    }
    case Type::kTimestamp:
    case Type::kTimestampTz:  // both: microseconds since 2000-01-01 (UTC for timestamptz)
      PutBE(static_cast<uint64_t>(result.GetInt64(column, row) - kPgEpochMicros), 8, out);
      return;
    case Type::kDate:
      PutBE(static_cast<uint32_t>(result.GetDate(column, row) - kPgEpochDays), 4, out);
      return;
    case Type::kDecimal:
      EncodeNumericBinary(result.GetString(column, row), out);
      return;
    case Type::kInterval: {
      // PostgreSQL's (time in us, days, months); tslake's whole days are
      // inside its micros. Days past int32 (micros-only intervals of more
      // than 5.8 million years) cannot be sent: they saturate.
      const Result::Interval v = result.GetInterval(column, row);
      const int64_t days = v.micros / kMicrosPerDay;
      const int64_t clamped = std::clamp<int64_t>(days, INT32_MIN, INT32_MAX);
      PutBE(static_cast<uint64_t>(v.micros - days * kMicrosPerDay), 8, out);
      PutBE(static_cast<uint32_t>(static_cast<int32_t>(clamped)), 4, out);
      PutBE(static_cast<uint32_t>(v.months), 4, out);
      return;
    }
    case Type::kVarchar:
    case Type::kNull:
      out->append(result.GetString(column, row));
      return;
  }
}

namespace {

// PostgreSQL's binary NUMERIC (see EncodeNumericBinary) as decimal text;
// false when malformed. NaN and infinities have no DECIMAL value.
bool DecodeNumericBinary(std::string_view v, std::string* out) {
  if (v.size() < 8) return false;
  const int ndigits = static_cast<int>(GetBE(v.substr(0, 2)));
  const int weight = static_cast<int16_t>(GetBE(v.substr(2, 2)));
  const uint64_t sign = GetBE(v.substr(4, 2));
  const int dscale = static_cast<int>(GetBE(v.substr(6, 2)));
  if ((sign != 0 && sign != 0x4000) || v.size() != 8 + 2 * static_cast<size_t>(ndigits) || dscale > 1000 ||
      weight > 1000 || weight < -1000)
    return false;
  std::vector<int> digits(static_cast<size_t>(ndigits));
  for (int k = 0; k < ndigits; ++k) {
    digits[static_cast<size_t>(k)] = static_cast<int>(GetBE(v.substr(8 + 2 * static_cast<size_t>(k), 2)));
    if (digits[static_cast<size_t>(k)] > 9999) return false;
  }
  auto group = [&](int k) { return k >= 0 && k < ndigits ? digits[static_cast<size_t>(k)] : 0; };
  std::string s = sign == 0x4000 ? "-" : "";
  // Integer part: groups 0..weight.
  if (weight < 0) {
    s += "0";
  } else {
    for (int k = 0; k <= weight; ++k) {
      char buf[8];
      std::snprintf(buf, sizeof buf, k == 0 ? "%d" : "%04d", group(k));
      s += buf;
    }
  }
  if (dscale > 0) {
    std::string frac;
    for (int k = weight + 1; static_cast<int>(frac.size()) < dscale; ++k) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%04d", group(k));
      frac += buf;
    }
    s += "." + frac.substr(0, static_cast<size_t>(dscale));
  }
  *out = std::move(s);
  return true;
}

Status BadCopyValue(Type type, size_t bytes) {
  return Status(ErrorCode::kInvalidArgument, "binary COPY value of " + std::to_string(bytes) +
                                                 " bytes is not a valid " + TypeName(type));
}

}  // namespace

Status AppendBinaryCopyValue(Appender* appender, Type type, std::string_view v) {
  switch (type) {
    case Type::kBoolean:
      if (v.size() != 1) break;
      return appender->AppendBool(v[0] != 0);
    case Type::kInteger:
    case Type::kBigint:
    case Type::kSmallint:
    case Type::kTinyint:
      if (v.size() == 2) return appender->AppendInt64(static_cast<int16_t>(GetBE(v)));
      if (v.size() == 4) return appender->AppendInt64(static_cast<int32_t>(GetBE(v)));
      if (v.size() == 8) return appender->AppendInt64(static_cast<int64_t>(GetBE(v)));
      break;
    case Type::kDouble: {
      if (v.size() == 4) {
        const uint32_t bits = static_cast<uint32_t>(GetBE(v));
        float f;
        std::memcpy(&f, &bits, 4);
        return appender->AppendDouble(f);
      }
      if (v.size() != 8) break;
      const uint64_t bits = GetBE(v);
      double d;
      std::memcpy(&d, &bits, 8);
      return appender->AppendDouble(d);
    }
    case Type::kTimestamp:
    case Type::kTimestampTz: {
      if (v.size() != 8) break;
      const int64_t t = static_cast<int64_t>(GetBE(v));
      if (t > INT64_MAX - kPgEpochMicros) break;  // PostgreSQL's 'infinity'
      return appender->AppendTimestamp(t + kPgEpochMicros);
    }
    case Type::kDate: {
      if (v.size() != 4) break;
      const int32_t d = static_cast<int32_t>(GetBE(v));
      if (d == INT32_MAX || d == INT32_MIN) break;  // 'infinity', '-infinity'
      return appender->AppendString(FormatDate(static_cast<int32_t>(static_cast<int64_t>(d) + kPgEpochDays)));
    }
    case Type::kInterval: {
      if (v.size() != 16) break;
      const int64_t micros = static_cast<int64_t>(GetBE(v.substr(0, 8)));
      const int64_t days = static_cast<int32_t>(GetBE(v.substr(8, 4)));
      const int64_t months = static_cast<int32_t>(GetBE(v.substr(12, 4)));
      if (std::abs(days) > INT64_MAX / kMicrosPerDay / 2 || std::abs(micros) > INT64_MAX / 2) break;
      return appender->AppendString(FormatInterval(months, micros + days * kMicrosPerDay));
    }
    case Type::kDecimal: {
      std::string text;
      if (!DecodeNumericBinary(v, &text)) break;
      return appender->AppendString(text);
    }
    case Type::kBlob: {  // raw bytes as DuckDB's \xHH text, which the cast reads back
      static constexpr char kHex[] = "0123456789ABCDEF";
      std::string text;
      for (unsigned char c : v) {
        text += "\\x";
        text.push_back(kHex[c >> 4]);
        text.push_back(kHex[c & 15]);
      }
      return appender->AppendString(text);
    }
    case Type::kUuid: {
      if (v.size() != 16) break;
      static constexpr char kHex[] = "0123456789abcdef";
      std::string text;
      for (size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
        text.push_back(kHex[static_cast<unsigned char>(v[i]) >> 4]);
        text.push_back(kHex[static_cast<unsigned char>(v[i]) & 15]);
      }
      return appender->AppendString(text);
    }
    case Type::kTime: {
      if (v.size() != 8) break;
      const int64_t t = static_cast<int64_t>(GetBE(v));
      if (t < 0 || t > 86400LL * 1000000) break;
      return appender->AppendString(TimePart(t));
    }
    case Type::kVarchar:
    case Type::kNull:
      return appender->AppendString(v);
  }
  return BadCopyValue(type, v.size());
}

Status BindParameter(PreparedStatement* statement, int index, int32_t type_oid, int16_t format,
                     const std::optional<std::string>& value) {
  if (!value) return statement->BindNull(index);
  const std::string& v = *value;
  if (format == 0) {
    switch (type_oid) {
      case oid::kInt2:
      case oid::kInt4:
      case oid::kInt8:
      case oid::kOid: {
        int64_t n = 0;
        auto res = std::from_chars(v.data(), v.data() + v.size(), n);
        if (res.ec != std::errc() || res.ptr != v.data() + v.size())
          return BadValue(index, "invalid input syntax for type integer: \"" + v + "\"");
        return statement->BindInt64(index, n);
      }
      case oid::kFloat4:
      case oid::kFloat8: {
        if (v == "NaN") return statement->BindDouble(index, std::nan(""));
        if (v == "Infinity" || v == "-Infinity")
          return statement->BindDouble(index, v[0] == '-' ? -HUGE_VAL : HUGE_VAL);
        double d = 0;
        auto res = std::from_chars(v.data(), v.data() + v.size(), d);
        if (res.ec != std::errc() || res.ptr != v.data() + v.size())
          return BadValue(index, "invalid input syntax for type double precision: \"" + v + "\"");
        return statement->BindDouble(index, d);
      }
      case oid::kBool: {
        if (v == "t" || v == "true" || v == "TRUE" || v == "1") return statement->BindBool(index, true);
        if (v == "f" || v == "false" || v == "FALSE" || v == "0") return statement->BindBool(index, false);
        return BadValue(index, "invalid input syntax for type boolean: \"" + v + "\"");
      }
      default:
        // Unspecified, text and the time types: the engine casts the text
        // to what the parameter's use needs, as PostgreSQL's unknown type.
        return statement->BindString(index, v);
    }
  }
  // Binary: the bytes only make sense with a known type and its size.
  auto need = [&](size_t n) { return v.size() == n; };
  switch (type_oid) {
    case oid::kBool:
      if (!need(1)) break;
      return statement->BindBool(index, v[0] != 0);
    case oid::kInt2:
      if (!need(2)) break;
      return statement->BindInt64(index, static_cast<int16_t>(GetBE(v)));
    case oid::kInt4:
    case oid::kOid:
      if (!need(4)) break;
      return statement->BindInt64(index, static_cast<int32_t>(GetBE(v)));
    case oid::kInt8:
      if (!need(8)) break;
      return statement->BindInt64(index, static_cast<int64_t>(GetBE(v)));
    case oid::kFloat4: {
      if (!need(4)) break;
      uint32_t bits = static_cast<uint32_t>(GetBE(v));
      float f;
      std::memcpy(&f, &bits, 4);
      return statement->BindDouble(index, f);
    }
    case oid::kFloat8: {
      if (!need(8)) break;
      uint64_t bits = GetBE(v);
      double d;
      std::memcpy(&d, &bits, 8);
      return statement->BindDouble(index, d);
    }
    case oid::kTimestamp:
    case oid::kTimestampTz: {
      if (!need(8)) break;
      int64_t t = static_cast<int64_t>(GetBE(v));
      if (t > INT64_MAX - kPgEpochMicros) break;
      return statement->BindTimestamp(index, t + kPgEpochMicros);
    }
    case oid::kDate: {
      if (!need(4)) break;
      int32_t d = static_cast<int32_t>(GetBE(v));
      return statement->BindString(index, FormatDate(static_cast<int32_t>(
                                              static_cast<int64_t>(d) + kPgEpochDays)));
    }
    case oid::kText:
    case oid::kVarchar:
    case oid::kBpchar:
    case oid::kUnknown:
      return statement->BindString(index, v);
    default:
      return BadValue(index, "binary format is not supported for parameter type OID " +
                                 std::to_string(type_oid) + " (send it in text format)");
  }
  return BadValue(index, "binary value of " + std::to_string(v.size()) +
                             " bytes does not match type OID " + std::to_string(type_oid));
}

}  // namespace tslake::server
