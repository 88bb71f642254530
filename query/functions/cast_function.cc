// Vector and value casts. See cast_function.h.
#include "query/functions/cast_function.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "formats/bool_text.h"
#include "formats/date.h"
#include "formats/decimal.h"
#include "formats/scalar_text.h"
#include "formats/timestamp.h"
#include "query/common/query_error.h"
#include "query/execution/time_zone_setting.h"

namespace tsl::query {
namespace {

// DuckDB's internal names, which its conversion errors use.
const char* InternalName(TypeId t) {
  switch (t) {
    case TypeId::kBoolean:
      return "BOOL";
    case TypeId::kInteger:
      return "INT32";
    case TypeId::kBigint:
      return "INT64";
    case TypeId::kSmallint:
      return "INT16";
    case TypeId::kTinyint:
      return "INT8";
    case TypeId::kTime:
      return "TIME";
    case TypeId::kBlob:
      return "BLOB";
    case TypeId::kUuid:
      return "UUID";
    case TypeId::kDouble:
      return "DOUBLE";
    case TypeId::kVarchar:
      return "VARCHAR";
    case TypeId::kTimestamp:
      return "TIMESTAMP";
    case TypeId::kInterval:
      return "INTERVAL";
    case TypeId::kDate:
      return "DATE";
    case TypeId::kTimestampTz:
      return "TIMESTAMP WITH TIME ZONE";
    case TypeId::kNull:
      return "NULL";
    default:
      break;
  }
  return IsDecimal(t) ? TypeName(t).data() : "?";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

[[noreturn]] void ThrowStringConversion(const std::string& s, TypeId target) {
  throw QueryError(ErrorKind::kConversion,
                   "Could not convert string '" + s + "' to " + InternalName(target));
}

[[noreturn]] void ThrowOutOfRange(TypeId from, const std::string& value, TypeId target) {
  throw QueryError(ErrorKind::kConversion,
                   std::string("Type ") + InternalName(from) + " with value " + value +
                       " can't be cast because the value is out of range for the destination "
                       "type " +
                       InternalName(target));
}

int64_t CheckIntRange(int64_t v, TypeId from, TypeId target) {
  if (v < IntegralMin(target) || v > IntegralMax(target)) {
    ThrowOutOfRange(from, std::to_string(v), target);
  }
  return v;
}

int64_t ParseInteger(const std::string& s, TypeId target) {
  std::string_view t = Trim(s);
  std::string text(t);
  if (text.empty()) ThrowStringConversion(s, target);
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (end != text.c_str() + text.size()) {
    // DuckDB accepts decimal text for integer casts and rounds it.
    double d = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !std::isfinite(d)) ThrowStringConversion(s, target);
    d = std::round(d);
    if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) ThrowStringConversion(s, target);
    v = static_cast<long long>(d);
  } else if (errno == ERANGE) {
    ThrowStringConversion(s, target);
  }
  if (v < IntegralMin(target) || v > IntegralMax(target)) ThrowStringConversion(s, target);
  return v;
}

double ParseDouble(const std::string& s) {
  std::string text(Trim(s));
  if (text.empty()) ThrowStringConversion(s, TypeId::kDouble);
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) ThrowStringConversion(s, TypeId::kDouble);
  return d;
}

bool ParseBoolean(const std::string& s) {
  // Blanks around the word are allowed, as in formats/value.cc's cast.
  if (std::optional<bool> b = ParseBoolText(Trim(s))) return *b;
  ThrowStringConversion(s, TypeId::kBoolean);
}

int64_t DoubleToInt(double d, TypeId target) {
  // DuckDB rounds a DOUBLE to the nearest integer, ties to even
  // (CAST(2.5 AS BIGINT) = 2, 3.5 -> 4, -2.5 -> -2; a DECIMAL rounds half
  // away from zero, elsewhere). Below 2^52 in magnitude that is done
  // inline: the truncating conversion is one instruction and d - t is
  // exact there, while a libm call per row was 4% of
  // `GROUP BY epoch(ts)::BIGINT % 10` over 5M rows. Above it every double
  // is an integer already.
  if (std::fabs(d) < 4503599627370496.0) {
    int64_t t = static_cast<int64_t>(d);
    const double frac = d - static_cast<double>(t);
    if (frac > 0.5 || (frac == 0.5 && (t & 1) != 0)) ++t;
    else if (frac < -0.5 || (frac == -0.5 && (t & 1) != 0)) --t;
    // INTEGER, SMALLINT and TINYINT have narrower ranges (BIGINT's holds
    // every value here).
    if (target != TypeId::kBigint && (t < IntegralMin(target) || t > IntegralMax(target))) {
      ThrowOutOfRange(TypeId::kDouble, FormatDouble(d), target);
    }
    return t;
  }
  double r = std::nearbyint(d);
  if (!std::isfinite(r) || r < -9223372036854775808.0 || r >= 9223372036854775808.0) {
    ThrowOutOfRange(TypeId::kDouble, FormatDouble(d), target);
  }
  int64_t v = static_cast<int64_t>(r);
  if (v < IntegralMin(target) || v > IntegralMax(target)) {
    ThrowOutOfRange(TypeId::kDouble, FormatDouble(d), target);
  }
  return v;
}

std::string IntToString(TypeId type, int64_t v) {
  switch (type) {
    case TypeId::kBoolean:
      return v ? "true" : "false";
    case TypeId::kTimestamp:
      return FormatTimestamp(v);
    case TypeId::kInterval:
      return FormatInterval(v);
    case TypeId::kDate:
      return FormatDate(v);
    case TypeId::kTime:
      return FormatTime(v);
    default:
      return std::to_string(v);
  }
}

}  // namespace

void PrepareOutput(ColumnVector* out, TypeId type, size_t count) {
  out->type = type;
  out->ints.clear();
  out->doubles.clear();
  out->strings.clear();
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64:
      out->ints.resize(count);
      break;
    case PhysicalClass::kDouble:
      out->doubles.resize(count);
      break;
    case PhysicalClass::kString:
      out->strings.resize(count);
      break;
  }
  out->valid.assign(count, 1);
}

bool CastExists(TypeId from, TypeId to) {
  // LIST(A) -> LIST(B) element by element; text both ways (list_value.h).
  if (IsList(from) && IsList(to)) return CastExists(ListElementType(from), ListElementType(to));
  if (IsList(from) || IsList(to)) {
    return to == TypeId::kVarchar || from == TypeId::kVarchar || from == TypeId::kNull;
  }
  if (from == to || from == TypeId::kNull || to == TypeId::kVarchar || from == TypeId::kVarchar) {
    return to != TypeId::kNull;
  }
  auto scalar = [](TypeId t) {
    return t == TypeId::kBoolean || IsIntegral(t) || t == TypeId::kDouble || IsDecimal(t);
  };
  // TIMESTAMP -> TIME: the time of day (TIMESTAMPTZ: in the session's zone).
  if (to == TypeId::kTime) return IsTimestampType(from);
  // UUID <-> BLOB: its 16 bytes.
  if ((from == TypeId::kUuid && to == TypeId::kBlob) || (from == TypeId::kBlob && to == TypeId::kUuid))
    return true;
  auto temporal = [](TypeId t) {
    return t == TypeId::kDate || t == TypeId::kTimestamp || t == TypeId::kTimestampTz;
  };
  if (temporal(from) && temporal(to)) return true;
  return scalar(from) && scalar(to);
}

bool ImplicitCastAllowed(TypeId from, TypeId to) {
  if (from == to || from == TypeId::kNull) return true;
  if (IsList(from) && IsList(to)) {
    return ImplicitCastAllowed(ListElementType(from), ListElementType(to));
  }
  // DuckDB: integers widen to a DECIMAL with room for their digits
  // (INTEGER is DECIMAL(10,0), BIGINT DECIMAL(19,0): more than 18 digits, so
  // no 64-bit DECIMAL holds every BIGINT); a DECIMAL widens to a DECIMAL
  // keeping its integer digits and scale, and to DOUBLE.
  // TINYINT is DECIMAL(3,0), SMALLINT DECIMAL(5,0).
  if (IsDecimal(to) && ((IsIntegral(from) && from != TypeId::kBigint) || IsDecimal(from))) {
    const int int_digits = DecimalIntegerDigits(from);
    const int scale = IsDecimal(from) ? DecimalScale(from) : 0;
    return DecimalWidth(to) - DecimalScale(to) >= int_digits && DecimalScale(to) >= scale;
  }
  if (IsDecimal(from)) return to == TypeId::kDouble;
  // TINYINT -> SMALLINT -> INTEGER -> BIGINT -> DOUBLE.
  if (IsIntegral(from) && from != TypeId::kBigint) {
    return (IsIntegral(to) && IntegralRank(to) > IntegralRank(from)) || to == TypeId::kDouble;
  }
  if (from == TypeId::kBigint) return to == TypeId::kDouble;
  // DuckDB's implicit DATE -> TIMESTAMP (comparisons, functions taking a
  // TIMESTAMP): the date's midnight.
  if (from == TypeId::kDate) return to == TypeId::kTimestamp || to == TypeId::kTimestampTz;
  // TIMESTAMP -> TIMESTAMPTZ: the wall time in the session's zone. Never the
  // reverse (DuckDB has no implicit TIMESTAMPTZ -> TIMESTAMP).
  if (from == TypeId::kTimestamp) return to == TypeId::kTimestampTz;
  return false;
}

bool CastNeedsTimeZone(TypeId from, TypeId to) {
  if (from == to) return false;
  auto other = [](TypeId t) {
    return t == TypeId::kVarchar || t == TypeId::kTimestamp || t == TypeId::kDate;
  };
  return (from == TypeId::kTimestampTz && (other(to) || to == TypeId::kTime)) ||
         (to == TypeId::kTimestampTz && other(from));
}

namespace {

[[noreturn]] void ThrowTzOutOfRange(TypeId from, const std::string& value, TypeId target) {
  throw QueryError(ErrorKind::kConversion,
                   std::string("Type ") + InternalName(from) + " with value " + value +
                       " can't be cast because the value is out of range for the destination "
                       "type " + InternalName(target) + " (supported: " + TimestampRangeText() + ")");
}

// One value to TIMESTAMPTZ (`from` is VARCHAR, TIMESTAMP or DATE) or from
// TIMESTAMPTZ to TIMESTAMP or DATE, in `zone`.
int64_t ZonedCast(const VectorView& in, size_t i, TypeId from, TypeId target, const TimeZone& zone) {
  if (target == TypeId::kTimestampTz) {
    if (from == TypeId::kVarchar) {
      Result<int64_t> r = ParseTimestampTz(in.String(i), zone);
      // DuckDB: a Conversion Error, also for an unknown zone in the text.
      if (!r.ok()) throw QueryError(ErrorKind::kConversion, r.status().message());
      return *r;
    }
    int64_t local = in.Int(i);
    if (from == TypeId::kDate) {
      Result<int64_t> micros = DateToTimestamp(local);
      if (!micros.ok()) throw QueryError(ErrorKind::kConversion, micros.status().message());
      local = *micros;
    }
    const __int128 utc = zone.LocalToUtc(local);
    if (!IsValidTimestamp(utc)) ThrowTzOutOfRange(from, IntToString(from, in.Int(i)), target);
    return static_cast<int64_t>(utc);
  }
  // From TIMESTAMPTZ: the wall time.
  const __int128 local = zone.UtcToLocal(in.Int(i));
  if (!IsValidTimestamp(local)) ThrowTzOutOfRange(from, FormatTimestampTz(in.Int(i), zone), target);
  const int64_t wall = static_cast<int64_t>(local);
  if (target == TypeId::kTime) return wall - TimestampToDate(wall) * kMicrosPerDay;
  return target == TypeId::kDate ? TimestampToDate(wall) : wall;
}

}  // namespace

namespace {

int64_t OrThrow(const Result<int64_t>& r) {
  if (!r.ok()) throw QueryError(ErrorKind::kConversion, r.status().message());
  return *r;
}

// Casts to or from DECIMAL (formats/decimal.h); `out` is prepared.
void CastDecimalVector(const VectorView& in, size_t count, TypeId from, TypeId target,
                       ColumnVector* out) {
  const PhysicalClass src = PhysicalClassOf(from);
  for (size_t i = 0; i < count; ++i) {
    if (!out->valid[i]) continue;
    if (IsDecimal(target)) {
      if (src == PhysicalClass::kString) {
        out->ints[i] = OrThrow(ParseDecimal(in.String(i), target));
      } else if (src == PhysicalClass::kDouble) {
        out->ints[i] = OrThrow(DoubleToDecimal(in.Double(i), target));
      } else if (IsDecimal(from)) {
        out->ints[i] = OrThrow(RescaleDecimal(in.Int(i), from, target));
      } else {
        out->ints[i] = OrThrow(IntegerToDecimal(in.Int(i), target));
      }
      continue;
    }
    const int64_t raw = in.Int(i);
    const int scale = DecimalScale(from);
    switch (target) {
      case TypeId::kVarchar:
        out->strings[i] = FormatDecimal(raw, scale);
        break;
      case TypeId::kDouble:
        out->doubles[i] = DecimalToDouble(raw, scale);
        break;
      case TypeId::kBoolean:
        out->ints[i] = raw != 0;
        break;
      case TypeId::kInteger:
      case TypeId::kBigint:
      case TypeId::kSmallint:
      case TypeId::kTinyint: {
        const int64_t v = DecimalToInteger(raw, scale);
        if (v < IntegralMin(target) || v > IntegralMax(target))
          ThrowOutOfRange(from, FormatDecimal(raw, scale), target);
        out->ints[i] = v;
        break;
      }
      default:
        throw QueryError(ErrorKind::kConversion, std::string("Unimplemented type for cast (") +
                                                     std::string(TypeName(from)) + " -> " +
                                                     std::string(TypeName(target)) + ")");
    }
  }
}

}  // namespace

void CastVector(const VectorView& in, size_t count, TypeId target, ColumnVector* out,
                const TimeZone* zone) {
  const TypeId from = in.vec->type;
  PrepareOutput(out, target, count);
  for (size_t i = 0; i < count; ++i) out->valid[i] = in.IsNull(i) ? 0 : 1;
  if (from == TypeId::kNull) return;
  if (!CastExists(from, target)) {
    throw QueryError(ErrorKind::kConversion, std::string("Unimplemented type for cast (") +
                                                 std::string(TypeName(from)) + " -> " +
                                                 std::string(TypeName(target)) + ")");
  }
  const PhysicalClass src = PhysicalClassOf(from);
  if (IsList(from) || IsList(target)) {  // row by row through Value (list_value.h)
    for (size_t i = 0; i < count; ++i) {
      if (!out->valid[i]) continue;
      Result<Value> v = Value::FromString(from, in.String(i)).CastTo(target);
      if (!v.ok()) {
        std::string m = v.status().message();
        if (m.rfind("Conversion Error: ", 0) == 0) m = m.substr(18);
        throw QueryError(ErrorKind::kConversion, m);
      }
      out->strings[i] = v->string_value();
    }
    return;
  }
  if (IsDecimal(from) || IsDecimal(target)) {
    CastDecimalVector(in, count, from, target, out);
    return;
  }
  if (CastNeedsTimeZone(from, target)) {
    TimeZonePtr session;
    if (zone == nullptr) {
      session = CurrentTimeZone();
      zone = session.get();
    }
    for (size_t i = 0; i < count; ++i) {
      if (!out->valid[i]) continue;
      if (target == TypeId::kVarchar) {
        out->strings[i] = FormatTimestampTz(in.Int(i), *zone);
      } else {
        out->ints[i] = ZonedCast(in, i, from, target, *zone);
      }
    }
    return;
  }
  for (size_t i = 0; i < count; ++i) {
    if (!out->valid[i]) continue;
    switch (target) {
      case TypeId::kVarchar:
        if (from == TypeId::kBlob) {
          out->strings[i] = FormatBlob(in.String(i));
        } else if (src == PhysicalClass::kString) {
          out->strings[i] = in.String(i);
        } else if (src == PhysicalClass::kDouble) {
          out->strings[i] = FormatDouble(in.Double(i));
        } else {
          out->strings[i] = IntToString(from, in.Int(i));
        }
        break;
      case TypeId::kDouble:
        if (src == PhysicalClass::kString) {
          out->doubles[i] = ParseDouble(in.String(i));
        } else if (src == PhysicalClass::kDouble) {
          out->doubles[i] = in.Double(i);
        } else {
          out->doubles[i] = static_cast<double>(in.Int(i));
        }
        break;
      case TypeId::kBoolean:
        if (src == PhysicalClass::kString) {
          out->ints[i] = ParseBoolean(in.String(i));
        } else if (src == PhysicalClass::kDouble) {
          out->ints[i] = in.Double(i) != 0;
        } else {
          out->ints[i] = in.Int(i) != 0;
        }
        break;
      case TypeId::kInteger:
      case TypeId::kBigint:
      case TypeId::kSmallint:
      case TypeId::kTinyint:
        if (src == PhysicalClass::kString) {
          out->ints[i] = ParseInteger(in.String(i), target);
        } else if (src == PhysicalClass::kDouble) {
          out->ints[i] = DoubleToInt(in.Double(i), target);
        } else {
          out->ints[i] = CheckIntRange(in.Int(i), from, target);
        }
        break;
      case TypeId::kDate: {
        if (src != PhysicalClass::kString) {  // TIMESTAMP -> DATE: its day
          out->ints[i] = from == TypeId::kDate ? in.Int(i) : TimestampToDate(in.Int(i));
          break;
        }
        Result<int64_t> d = ParseDate(in.String(i));
        if (!d.ok()) throw QueryError(ErrorKind::kConversion, d.status().message());
        out->ints[i] = *d;
        break;
      }
      case TypeId::kTimestamp:
        if (from == TypeId::kDate) {
          Result<int64_t> micros = DateToTimestamp(in.Int(i));
          if (!micros.ok()) throw QueryError(ErrorKind::kConversion, micros.status().message());
          out->ints[i] = *micros;
          break;
        }
        [[fallthrough]];
      case TypeId::kInterval: {
        if (src != PhysicalClass::kString) {
          if (target == TypeId::kTimestamp && !IsValidTimestamp(in.Int(i)))
            ThrowOutOfRange(from, std::to_string(in.Int(i)), target);
          out->ints[i] = in.Int(i);
          break;
        }
        Result<int64_t> r = target == TypeId::kTimestamp ? ParseTimestamp(in.String(i))
                                                         : ParseInterval(in.String(i));
        if (!r.ok() && target == TypeId::kTimestamp &&
            r.status().message().find("timestamp field value out of range") != std::string::npos) {
          // DuckDB's wording, plus the range itself.
          throw QueryError(ErrorKind::kConversion,
                           "timestamp field value out of range: \"" + in.String(i) +
                               "\" (supported: " + TimestampRangeText() + ")");
        }
        if (!r.ok()) ThrowStringConversion(in.String(i), target);
        out->ints[i] = *r;
        break;
      }
      case TypeId::kTimestampTz:  // from TIMESTAMPTZ itself only (zoned casts above)
        out->ints[i] = in.Int(i);
        break;
      case TypeId::kTime: {
        if (src != PhysicalClass::kString) {  // TIMESTAMP -> TIME: its time of day
          out->ints[i] = from == TypeId::kTime
                             ? in.Int(i)
                             : in.Int(i) - TimestampToDate(in.Int(i)) * kMicrosPerDay;
          break;
        }
        Result<int64_t> t = ParseTime(in.String(i));
        if (!t.ok()) throw QueryError(ErrorKind::kConversion, t.status().message());
        out->ints[i] = *t;
        break;
      }
      case TypeId::kBlob: {  // from VARCHAR (BLOB itself: same bytes)
        if (from == TypeId::kBlob) {
          out->strings[i] = in.String(i);
          break;
        }
        if (from == TypeId::kUuid) {
          out->strings[i] = UuidToBytes(in.String(i));
          break;
        }
        Result<std::string> b = ParseBlobText(in.String(i));
        if (!b.ok()) throw QueryError(ErrorKind::kConversion, b.status().message());
        out->strings[i] = std::move(*b);
        break;
      }
      case TypeId::kUuid: {
        if (from == TypeId::kUuid) {
          out->strings[i] = in.String(i);
          break;
        }
        Result<std::string> u =
            from == TypeId::kBlob ? UuidFromBytes(in.String(i)) : ParseUuid(in.String(i));
        if (!u.ok()) throw QueryError(ErrorKind::kConversion, u.status().message());
        out->strings[i] = std::move(*u);
        break;
      }
      case TypeId::kNull:
      default:
        break;
    }
  }
}

Value CastValue(const Value& v, TypeId target, const TimeZone* zone) {
  if (v.type() == target) return v;
  if (v.is_null()) return Value::Null(target);
  ColumnVector in(v.type());
  in.AppendValue(v);
  ColumnVector out;
  CastVector(VectorView{&in, false}, 1, target, &out, zone);
  return out.GetValue(0);
}

}  // namespace tsl::query
