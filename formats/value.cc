// Value text, casts and ordering, following DuckDB's conventions so results
// compare equal to DuckDB's output. See value.h. Thread-safety: pure.
#include "formats/value.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string_view>

#include "formats/double_order.h"
#include "formats/bool_text.h"
#include "formats/date.h"
#include "formats/decimal.h"
#include "formats/list_value.h"
#include "formats/scalar_text.h"
#include "formats/time_zone.h"
#include "formats/timestamp.h"

namespace tsl {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// DuckDB's internal names, used in its conversion messages ("to INT32").
std::string_view DuckTypeName(TypeId t) {
  switch (t) {
    case TypeId::kBoolean: return "BOOL";
    case TypeId::kInteger: return "INT32";
    case TypeId::kBigint: return "INT64";
    case TypeId::kSmallint: return "INT16";
    case TypeId::kTinyint: return "INT8";
    default: return TypeName(t);
  }
}

Status CannotConvertString(std::string_view s, TypeId target) {
  return Status::InvalidArgument("Conversion Error: Could not convert string '" + std::string(s) +
                                 "' to " + std::string(DuckTypeName(target)) + " (casting VARCHAR to " +
                                 std::string(TypeName(target)) + ")");
}

Status OutOfRange(const std::string& text, TypeId from, TypeId to) {
  return Status::InvalidArgument("Conversion Error: Type " + std::string(DuckTypeName(from)) +
                                 " with value " + text +
                                 " can't be cast because the value is out of range for the "
                                 "destination type " +
                                 std::string(DuckTypeName(to)));
}

Result<Value> MakeIntegral(int64_t v, TypeId from, const std::string& text, TypeId target) {
  if (v < IntegralMin(target) || v > IntegralMax(target)) {
    // DuckDB: text out of the range is a string conversion failure.
    if (from == TypeId::kVarchar) return CannotConvertString(text, target);
    return OutOfRange(text, from, target);
  }
  return Value::FromInt(target, v);
}

// Rounds half away from zero, as DuckDB's DOUBLE -> integer casts do.
Result<Value> DoubleToIntegral(double d, TypeId target) {
  const double r = std::round(d);
  // 2^63 is exactly representable; anything >= it (or NaN) is out of range.
  if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0))
    return OutOfRange(FormatDouble(d), TypeId::kDouble, target);
  return MakeIntegral(static_cast<int64_t>(r), TypeId::kDouble, FormatDouble(d), target);
}

Result<double> ParseDouble(std::string_view s) {
  std::string_view t = Trim(s);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  if (t.empty()) return Status::InvalidArgument("empty");
  double d = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
  if (ptr != t.data() + t.size()) return Status::InvalidArgument("trailing");
  if (ec == std::errc::result_out_of_range) {
    // from_chars reports overflow and underflow alike; strtod tells them apart.
    d = std::strtod(std::string(t).c_str(), nullptr);
  } else if (ec != std::errc()) {
    return Status::InvalidArgument("syntax");
  }
  return d;
}

Result<Value> StringToIntegral(const std::string& s, TypeId target) {
  std::string_view t = Trim(s);
  std::string_view digits = t;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (!digits.empty() && ptr == digits.data() + digits.size()) {
    if (ec == std::errc()) return MakeIntegral(v, TypeId::kVarchar, std::string(t), target);
    if (ec == std::errc::result_out_of_range) return CannotConvertString(s, target);
  }
  // DuckDB also accepts decimal text ("1.5", "1e3") and rounds it.
  if (t.find_first_of(".eE") != std::string_view::npos) {
    auto d = ParseDouble(t);
    if (d.ok() && std::isfinite(*d)) {
      auto r = DoubleToIntegral(*d, target);
      if (r.ok()) return r;
    }
  }
  return CannotConvertString(s, target);
}

Result<Value> StringToBoolean(const std::string& s) {
  // Blanks around the word are allowed here (DuckDB's cast refuses them).
  if (std::optional<bool> b = ParseBoolText(Trim(s))) return Value::Boolean(*b);
  return CannotConvertString(s, TypeId::kBoolean);
}

// Ranks for a total order over doubles: NaN is greatest (DuckDB), and
// -0.0 equals 0.0.
int CompareDoubles(double a, double b) { return DoubleLess(a, b) ? -1 : (DoubleLess(b, a) ? 1 : 0); }

int CompareInts(int64_t a, int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

// Exact comparison of an int64 with a double (no rounding of large ints).
int CompareIntDouble(int64_t i, double d) {
  if (std::isnan(d)) return -1;
  if (d >= 9223372036854775808.0) return -1;
  if (d < -9223372036854775808.0) return 1;
  const double t = std::trunc(d);
  const int64_t di = static_cast<int64_t>(t);
  if (i != di) return CompareInts(i, di);
  return t < d ? -1 : (t > d ? 1 : 0);
}

// Exact order of two numeric values at least one of which is DECIMAL.
int CompareDecimalish(const Value& a, const Value& b) {
  if (a.type() == TypeId::kDouble || b.type() == TypeId::kDouble)
    return CompareDoubles(a.CastTo(TypeId::kDouble)->double_value(),
                          b.CastTo(TypeId::kDouble)->double_value());
  const auto scale = [](const Value& v) { return IsDecimal(v.type()) ? DecimalScale(v.type()) : 0; };
  const int s = std::max(scale(a), scale(b));
  const auto widen = [&](const Value& v) {
    return static_cast<__int128>(v.int_value()) * Pow10(s - scale(v));
  };
  const __int128 x = widen(a), y = widen(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

}  // namespace

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  // Shortest round-trip digits, laid out as DuckDB (fmt "{}") does: plain
  // notation for decimal exponents in [-4, 15], otherwise d.ddde+XX.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  const size_t epos = sci.find('e');
  int exp10 = 0;
  const char* exp_begin = sci.data() + epos + 1;
  if (*exp_begin == '+') ++exp_begin;  // from_chars takes no leading '+'
  std::from_chars(exp_begin, sci.data() + sci.size(), exp10);
  std::string mant = sci.substr(0, epos);
  const bool neg = mant[0] == '-';
  if (neg) mant.erase(0, 1);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  std::string out = neg ? "-" : "";
  if (exp10 < -4 || exp10 >= 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) {
      out += '.';
      out += digits.substr(1);
    }
    char e[16];
    std::snprintf(e, sizeof e, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    out += e;
    return out;
  }
  if (exp10 < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exp10 - 1), '0');
    out += digits;
  } else if (static_cast<size_t>(exp10) + 1 >= digits.size()) {
    out += digits + std::string(static_cast<size_t>(exp10) + 1 - digits.size(), '0') + ".0";
  } else {
    out += digits.substr(0, static_cast<size_t>(exp10) + 1) + "." + digits.substr(static_cast<size_t>(exp10) + 1);
  }
  return out;
}

double Value::AsDouble() const {
  if (type_ == TypeId::kDouble) return d_;
  if (IsDecimal(type_)) return DecimalToDouble(i_, DecimalScale(type_));
  return static_cast<double>(i_);
}

std::string Value::ToString() const {
  if (null_) return "NULL";
  switch (type_) {
    case TypeId::kNull: return "NULL";
    case TypeId::kBoolean: return i_ ? "true" : "false";
    case TypeId::kInteger:
    case TypeId::kBigint:
    case TypeId::kSmallint:
    case TypeId::kTinyint: return std::to_string(i_);
    case TypeId::kTime: return FormatTime(i_);
    case TypeId::kBlob: return FormatBlob(s_);
    case TypeId::kUuid: return s_;
    case TypeId::kDouble: return FormatDouble(d_);
    case TypeId::kVarchar: return s_;
    case TypeId::kTimestamp: return FormatTimestamp(i_);
    case TypeId::kInterval: return FormatInterval(i_);
    case TypeId::kDate: return FormatDate(i_);
    // Without a session, UTC (as DuckDB's Value::ToString): "...+00".
    case TypeId::kTimestampTz: return FormatTimestampTz(i_, *TimeZone::Utc());
    default: break;
  }
  if (IsDecimal(type_)) return FormatDecimal(i_, DecimalScale(type_));
  if (IsList(type_)) return ListToText(type_, s_);
  return "?";
}

Result<Value> Value::CastTo(TypeId target) const {
  if (null_) return Value::Null(target);
  if (target == type_) return *this;
  const auto unsupported = [&] {
    return Status::InvalidArgument("Conversion Error: Unimplemented type for cast (" +
                                   std::string(TypeName(type_)) + " -> " + std::string(TypeName(target)) +
                                   ")");
  };
  if (target == TypeId::kVarchar) return Value::Varchar(ToString());
  if (IsList(target) && type_ == TypeId::kVarchar) {
    Result<std::string> bytes = ParseListText(s_, target);
    if (!bytes.ok()) return bytes.status();
    return Value::List(target, std::move(*bytes));
  }
  if (IsList(target) && IsList(type_)) {  // element by element
    Result<std::vector<Value>> elements = DecodeList(type_, s_);
    if (!elements.ok()) return elements.status();
    const TypeId element = ListElementType(target);
    for (Value& e : *elements) {
      Result<Value> c = e.CastTo(element);
      if (!c.ok()) return c.status();
      e = std::move(*c);
    }
    return Value::List(target, EncodeList(target, *elements));
  }
  if (IsList(target) || IsList(type_)) return unsupported();
  if (IsDecimal(target) || IsDecimal(type_)) return CastDecimal(target);
  switch (type_) {
    case TypeId::kVarchar:
      switch (target) {
        case TypeId::kBoolean: return StringToBoolean(s_);
        case TypeId::kInteger:
        case TypeId::kBigint:
        case TypeId::kSmallint:
        case TypeId::kTinyint: return StringToIntegral(s_, target);
        case TypeId::kTime: {
          auto t = ParseTime(s_);
          if (!t.ok()) return Status::InvalidArgument("Conversion Error: " + t.status().message());
          return Value::FromInt(TypeId::kTime, *t);
        }
        case TypeId::kBlob: {
          auto b = ParseBlobText(s_);
          if (!b.ok()) return Status::InvalidArgument("Conversion Error: " + b.status().message());
          return Value::FromString(TypeId::kBlob, std::move(*b));
        }
        case TypeId::kUuid: {
          auto u = ParseUuid(s_);
          if (!u.ok()) return Status::InvalidArgument("Conversion Error: " + u.status().message());
          return Value::FromString(TypeId::kUuid, std::move(*u));
        }
        case TypeId::kDouble: {
          auto d = ParseDouble(s_);
          if (!d.ok()) return CannotConvertString(s_, target);
          return Value::Double(*d);
        }
        case TypeId::kTimestamp: {
          auto ts = ParseTimestamp(s_);
          if (!ts.ok()) return Status::InvalidArgument("Conversion Error: " + ts.status().message());
          return Value::Timestamp(*ts);
        }
        case TypeId::kInterval: {
          auto iv = ParseInterval(s_);
          if (!iv.ok()) return Status(iv.status().code(), "Conversion Error: " + iv.status().message());
          return Value::Interval(*iv);
        }
        case TypeId::kTimestampTz: {
          auto ts = ParseTimestampTz(s_, *TimeZone::Utc());
          if (!ts.ok()) return Status::InvalidArgument("Conversion Error: " + ts.status().message());
          return Value::TimestampTz(*ts);
        }
        case TypeId::kDate: {
          auto d = ParseDate(s_);
          if (!d.ok()) return Status::InvalidArgument("Conversion Error: " + d.status().message());
          return Value::Date(*d);
        }
        default: return unsupported();
      }
    case TypeId::kBoolean:
    case TypeId::kInteger:
    case TypeId::kBigint:
    case TypeId::kSmallint:
    case TypeId::kTinyint:
      switch (target) {
        case TypeId::kBoolean: return Value::Boolean(i_ != 0);
        case TypeId::kInteger:
        case TypeId::kBigint:
        case TypeId::kSmallint:
        case TypeId::kTinyint: return MakeIntegral(i_, type_, std::to_string(i_), target);
        case TypeId::kDouble: return Value::Double(static_cast<double>(i_));
        default: return unsupported();
      }
    case TypeId::kDouble:
      switch (target) {
        case TypeId::kBoolean: return Value::Boolean(d_ != 0);
        case TypeId::kInteger:
        case TypeId::kBigint:
        case TypeId::kSmallint:
        case TypeId::kTinyint: return DoubleToIntegral(d_, target);
        default: return unsupported();
      }
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      // Without a session the zone is UTC: the instant and the wall time agree.
      if (target == TypeId::kDate) return Value::Date(TimestampToDate(i_));
      if (target == TypeId::kTime) {
        const int64_t day = TimestampToDate(i_);
        return Value::FromInt(TypeId::kTime, i_ - day * kMicrosPerDay);
      }
      if (target == TypeId::kTimestamp) return Value::Timestamp(i_);
      if (target == TypeId::kTimestampTz) return Value::TimestampTz(i_);
      return unsupported();
    case TypeId::kDate:
      if (target == TypeId::kTimestamp || target == TypeId::kTimestampTz) {
        auto micros = DateToTimestamp(i_);
        if (!micros.ok()) return Status::InvalidArgument("Conversion Error: " + micros.status().message());
        return target == TypeId::kTimestamp ? Value::Timestamp(*micros) : Value::TimestampTz(*micros);
      }
      return unsupported();
    case TypeId::kInterval:
    case TypeId::kNull:
    default:
      return unsupported();
  }
  return unsupported();
}

// Casts to or from DECIMAL (formats/decimal.h); `type_` differs from
// `target` and neither is VARCHAR-bound output.
Result<Value> Value::CastDecimal(TypeId target) const {
  const auto wrap = [](const Status& s) {
    return Status::InvalidArgument("Conversion Error: " + s.message());
  };
  if (IsDecimal(target)) {
    Result<int64_t> raw = Status::InvalidArgument("");
    if (type_ == TypeId::kVarchar) {
      raw = ParseDecimal(s_, target);
    } else if (type_ == TypeId::kDouble) {
      raw = DoubleToDecimal(d_, target);
    } else if (IsDecimal(type_)) {
      raw = RescaleDecimal(i_, type_, target);
    } else if (IsIntegral(type_) || type_ == TypeId::kBoolean) {
      raw = IntegerToDecimal(i_, target);
    } else {
      return Status::InvalidArgument("Conversion Error: Unimplemented type for cast (" +
                                     std::string(TypeName(type_)) + " -> " +
                                     std::string(TypeName(target)) + ")");
    }
    if (!raw.ok()) return wrap(raw.status());
    return Value::FromInt(target, *raw);
  }
  const int scale = DecimalScale(type_);
  switch (target) {
    case TypeId::kBoolean: return Value::Boolean(i_ != 0);
    case TypeId::kDouble: return Value::Double(DecimalToDouble(i_, scale));
    case TypeId::kInteger:
    case TypeId::kBigint:
    case TypeId::kSmallint:
    case TypeId::kTinyint: {
      const int64_t v = DecimalToInteger(i_, scale);
      return MakeIntegral(v, type_, ToString(), target);
    }
    default:
      return Status::InvalidArgument("Conversion Error: Unimplemented type for cast (" +
                                     std::string(TypeName(type_)) + " -> " +
                                     std::string(TypeName(target)) + ")");
  }
}

int Value::Compare(const Value& other) const {
  if (null_ || other.null_) return null_ == other.null_ ? 0 : (null_ ? -1 : 1);
  const bool a_num = IsNumeric(type_) || type_ == TypeId::kBoolean;
  const bool b_num = IsNumeric(other.type_) || other.type_ == TypeId::kBoolean;
  if (a_num && b_num && (IsDecimal(type_) || IsDecimal(other.type_))) {
    return CompareDecimalish(*this, other);
  }
  if (a_num && b_num) {
    const bool ad = type_ == TypeId::kDouble, bd = other.type_ == TypeId::kDouble;
    if (ad && bd) return CompareDoubles(d_, other.d_);
    if (ad) return -CompareIntDouble(other.i_, d_);
    if (bd) return CompareIntDouble(i_, other.d_);
    return CompareInts(i_, other.i_);
  }
  if (IsList(type_) && type_ == other.type_) return CompareLists(type_, s_, other.s_);
  if (PhysicalClassOf(type_) == PhysicalClass::kString && type_ == other.type_) {
    const int c = s_.compare(other.s_);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (type_ == other.type_) return CompareInts(i_, other.i_);
  // Different type classes: order by type so the order stays total.
  return type_ < other.type_ ? -1 : 1;
}

}  // namespace tsl
