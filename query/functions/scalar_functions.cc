// Kernels and the overload table of the scalar functions. See
// scalar_function.h.
#include <cmath>
#include <iterator>
#include <limits>
#include <string_view>
#include <utility>

#include "formats/interval.h"
#include "formats/scalar_text.h"
#include "formats/timestamp.h"
#include "query/common/query_error.h"
#include "query/functions/month_bucket.h"
#include "query/functions/cast_function.h"
#include "query/functions/scalar_function.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

// DuckDB buckets sub-month widths relative to Monday 2000-01-03.
constexpr int64_t kDefaultBucketOrigin = 946857600LL * kMicrosPerSecond;

void RowKeyKernel(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  std::vector<Value> fields(a.size());
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < a.size(); ++k) fields[k] = a[k].vec->GetValue(a[k].Index(i));
    Value key = RowKey(fields);
    if (key.is_null()) {
      out->valid[i] = 0;
    } else {
      out->strings[i] = key.string_value();
    }
  }
}

void AbsInt(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, a[0].vec->type, n);
  const int64_t min = a[0].vec->type == kInt ? std::numeric_limits<int32_t>::min()
                                             : std::numeric_limits<int64_t>::min();
  ForEachValid(a, n, out, [&](size_t i) {
    int64_t v = a[0].Int(i);
    if (v == min) {
      throw QueryError(ErrorKind::kOutOfRange, "Overflow on abs(" + std::to_string(v) + ")");
    }
    out->ints[i] = v < 0 ? -v : v;
  });
}

void AbsBig(const std::vector<VectorView>& a, size_t n, ColumnVector* out) { AbsInt(a, n, out); }

double Abs(double x) { return std::fabs(x); }
double Round0(double x) { return std::round(x); }
double Floor(double x) { return std::floor(x); }
double Ceil(double x) { return std::ceil(x); }
double Sqrt(double x) { return std::sqrt(x); }
double Ln(double x) { return std::log(x); }
double Log10(double x) { return std::log10(x); }
double Exp(double x) { return std::exp(x); }

void RoundInt(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, a[0].vec->type, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = a[0].Int(i); });
}

// round(integer, digits) keeps the integer type, as DuckDB's does:
// digits >= 0 leave the value as is, negative digits round to a multiple
// of 10^-digits, halves away from zero. A result outside the type is an
// error (DuckDB wraps around).
void RoundIntN(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  const TypeId type = a[0].vec->type;
  PrepareOutput(out, type, n);
  const __int128 lo = type == kInt ? std::numeric_limits<int32_t>::min()
                                   : std::numeric_limits<int64_t>::min();
  const __int128 hi = type == kInt ? std::numeric_limits<int32_t>::max()
                                   : std::numeric_limits<int64_t>::max();
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t v = a[0].Int(i);
    const int64_t digits = a[1].Int(i);
    if (digits >= 0) {
      out->ints[i] = v;
      return;
    }
    if (digits < -18) {  // 10^19 exceeds every BIGINT
      out->ints[i] = 0;
      return;
    }
    __int128 p = 1;
    for (int64_t d = 0; d < -digits; ++d) p *= 10;
    const __int128 x = v;
    const __int128 half = p / 2;
    const __int128 r = x >= 0 ? (x + half) / p * p : -((-x + half) / p * p);
    if (r < lo || r > hi) {
      throw QueryError(ErrorKind::kOutOfRange, "Overflow in round(" + std::to_string(v) + ", " +
                                                   std::to_string(digits) + ")");
    }
    out->ints[i] = static_cast<int64_t>(r);
  });
}

void RoundDoubleN(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    double x = a[0].Double(i);
    int64_t digits = a[1].Int(i);
    double scale = std::pow(10.0, static_cast<double>(digits));
    double r = std::round(x * scale) / scale;
    out->doubles[i] = std::isfinite(r) ? r : x;
  });
}

void Power(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->doubles[i] = std::pow(a[0].Double(i), a[1].Double(i)); });
}

void Lower(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) { out->strings[i] = ToLower(a[0].String(i)); });
}

void Upper(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    std::string s = a[0].String(i);
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out->strings[i] = std::move(s);
  });
}

// Characters, not bytes: counts UTF-8 lead bytes.
void Length(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) {
    int64_t len = 0;
    for (unsigned char c : a[0].String(i)) len += (c & 0xC0) != 0x80;
    out->ints[i] = len;
  });
}

int64_t Bucket(int64_t width, int64_t ts, int64_t origin) {
  if (width <= 0) {
    throw QueryError(ErrorKind::kOutOfRange, "Invalid bucket width: must be positive");
  }
  // In 128 bits: ts - origin and the bucket start can pass int64 at the
  // range's ends; a start outside the range is an error, not a wrapped year.
  const __int128 diff = static_cast<__int128>(ts) - origin;
  __int128 q = diff / width;
  if (diff % width != 0 && diff < 0) --q;
  return TimestampOrThrow(origin + q * width, "time_bucket");
}

void TimeBucket(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTs, n);
  ForEachValid(a, n, out, [&](size_t i) {
    int64_t origin = a.size() > 2 ? a[2].Int(i) : kDefaultBucketOrigin;
    if (IsCalendarInterval(a[0].Int(i))) {  // month widths: month_bucket.h
      out->ints[i] = MonthBucket(a[0].Int(i), a[1].Int(i),
                                 a.size() > 2 ? MonthIndexOf(origin) : kDefaultOriginMonths,
                                 "time_bucket");
      return;
    }
    out->ints[i] = Bucket(a[0].Int(i), a[1].Int(i), origin);
  });
}

int64_t TruncTimestamp(const std::string& part_in, int64_t ts) {
  std::string part = ToLower(part_in);
  if (!part.empty() && part.back() == 's' && part != "s") part.pop_back();
  const int64_t days = FloorDiv(ts, kMicrosPerDay);
  // Day-based starts are computed in 128 bits and range-checked: the start
  // of the week or year of the earliest supported day lies before it.
  auto at_day = [](int64_t d) {
    return TimestampOrThrow(static_cast<__int128>(d) * kMicrosPerDay, "date_trunc");
  };
  if (part == "microsecond" || part == "us") return ts;
  if (part == "millisecond" || part == "ms") return FloorDiv(ts, 1000) * 1000;
  if (part == "second" || part == "sec") return FloorDiv(ts, kMicrosPerSecond) * kMicrosPerSecond;
  if (part == "minute" || part == "min") return FloorDiv(ts, kMicrosPerMinute) * kMicrosPerMinute;
  if (part == "hour" || part == "h") return FloorDiv(ts, kMicrosPerHour) * kMicrosPerHour;
  if (part == "day" || part == "d") return at_day(days);
  if (part == "week") {  // ISO weeks start on Monday; 1970-01-01 was a Thursday
    return at_day(days - ((days + 3) % 7 + 7) % 7);
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  if (part == "month") return at_day(DaysFromCivil(y, m, 1));
  if (part == "quarter") return at_day(DaysFromCivil(y, (m - 1) / 3 * 3 + 1, 1));
  if (part == "year") return at_day(DaysFromCivil(y, 1, 1));
  if (part == "decade") return at_day(DaysFromCivil(y - ((y % 10) + 10) % 10, 1, 1));
  throw QueryError(ErrorKind::kNotImplemented, "Specifier type \"" + part_in + "\" not recognized");
}

void DateTrunc(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTs, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->ints[i] = TruncTimestamp(a[0].String(i), a[1].Int(i)); });
}

int64_t ExtractPart(const std::string& part_in, int64_t ts) {
  std::string part = ToLower(part_in);
  int64_t days = FloorDiv(ts, kMicrosPerDay);
  int64_t time = ts - days * kMicrosPerDay;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  if (part == "year" || part == "years") return y;
  if (part == "month" || part == "months") return m;
  if (part == "day" || part == "days") return d;
  if (part == "hour" || part == "hours") return time / kMicrosPerHour;
  if (part == "minute" || part == "minutes") return time / kMicrosPerMinute % 60;
  if (part == "second" || part == "seconds") return time / kMicrosPerSecond % 60;
  if (part == "quarter") return (m - 1) / 3 + 1;
  if (part == "dow") return ((days + 4) % 7 + 7) % 7;  // Sunday = 0
  if (part == "isodow") return ((days + 3) % 7 + 7) % 7 + 1;
  if (part == "doy") return days - DaysFromCivil(y, 1, 1) + 1;
  if (part == "epoch") return FloorDiv(ts, kMicrosPerSecond);
  if (part == "millisecond" || part == "milliseconds" || part == "ms") {
    return time / kMicrosPerSecond % 60 * 1000 + time % kMicrosPerSecond / 1000;
  }
  if (part == "microsecond" || part == "microseconds" || part == "us") {
    return time % kMicrosPerMinute;
  }
  if (part == "nanosecond" || part == "nanoseconds" || part == "ns") {
    return time % kMicrosPerMinute * 1000;  // microsecond precision
  }
  if (part == "dayofweek" || part == "weekday") return ((days + 4) % 7 + 7) % 7;
  if (part == "dayofyear") return days - DaysFromCivil(y, 1, 1) + 1;
  if (part == "decade") return FloorDiv(y, 10);
  if (part == "century") return y > 0 ? (y - 1) / 100 + 1 : -((-y) / 100 + 1);
  if (part == "millennium") return y > 0 ? (y - 1) / 1000 + 1 : -((-y) / 1000 + 1);
  if (part == "week" || part == "weeks" || part == "weekofyear" || part == "isoyear" ||
      part == "yearweek") {
    const int64_t isodow = ((days + 3) % 7 + 7) % 7 + 1;
    const int64_t thursday = days - (isodow - 1) + 3;
    int64_t iy;
    unsigned im, id;
    CivilFromDays(thursday, &iy, &im, &id);
    const int64_t week = (thursday - DaysFromCivil(iy, 1, 1)) / 7 + 1;
    if (part == "isoyear") return iy;
    if (part == "yearweek") return iy * 100 + week;
    return week;
  }
  throw QueryError(ErrorKind::kNotImplemented, "Specifier type \"" + part_in + "\" not recognized");
}

void DatePart(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out,
               [&](size_t i) { out->ints[i] = ExtractPart(a[0].String(i), a[1].Int(i)); });
}

// year(ts), month(ts), ...: date_part with a fixed part.
constexpr const char* kPartFunctions[] = {"year",      "month",     "day",     "hour",
                                          "minute",    "second",    "quarter", "dayofweek",
                                          "dayofyear", "week",      "isodow",  "millisecond",
                                          "microsecond", "dayofmonth", "weekofyear", "isoyear",
                                          "weekday",   "nanosecond"};

template <size_t kPart>
void PartOf(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  const char* part = kPartFunctions[kPart];
  if (std::string_view(part) == "dayofmonth") part = "day";
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = ExtractPart(part, a[0].Int(i)); });
}

template <size_t... I>
void AddPartFunctions(std::vector<ScalarFunction>* f, std::index_sequence<I...>) {
  (f->push_back({kPartFunctions[I], {kTs}, kBig, PartOf<I>}), ...);
}

// octet_length(BLOB): its bytes.
void BlobLength(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = static_cast<int64_t>(a[0].String(i).size()); });
}

// gen_random_uuid() / uuid(): a random version-4 UUID per row.
void RandomUuid(const std::vector<VectorView>&, size_t n, ColumnVector* out) {
  PrepareOutput(out, TypeId::kUuid, n);
  for (size_t i = 0; i < n; ++i) out->strings[i] = GenerateUuid();
}

void EpochMs(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) { out->ints[i] = a[0].Int(i) / 1000; });  // truncates, as DuckDB
}

void Epoch(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    out->doubles[i] = static_cast<double>(a[0].Int(i)) / kMicrosPerSecond;
  });
}

// julian(ts): the Julian day number with the time of day as a fraction,
// computed as DuckDB does (time / day + day number).
void Julian(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t ts = a[0].Int(i);
    const int64_t days = FloorDiv(ts, kMicrosPerDay);
    double r = static_cast<double>(ts - days * kMicrosPerDay);
    r /= static_cast<double>(kMicrosPerDay);
    r += static_cast<double>(days + 2440588);
    out->doubles[i] = r;
  });
}

const std::vector<ScalarFunction>& Functions() {
  static const std::vector<ScalarFunction> kFunctions = {
      {"abs", {kInt}, kInt, AbsInt},
      {"abs", {kBig}, kBig, AbsBig},
      {"abs", {kDbl}, kDbl, UnaryDouble<Abs>},
      {"round", {kInt}, kInt, RoundInt},
      {"round", {kBig}, kBig, RoundInt},
      {"round", {kDbl}, kDbl, UnaryDouble<Round0>},
      {"round", {kInt, kInt}, kInt, RoundIntN},
      {"round", {kBig, kInt}, kBig, RoundIntN},
      {"round", {kDbl, kInt}, kDbl, RoundDoubleN},
      {"floor", {kDbl}, kDbl, UnaryDouble<Floor>},
      {"ceil", {kDbl}, kDbl, UnaryDouble<Ceil>},
      {"ceiling", {kDbl}, kDbl, UnaryDouble<Ceil>},
      {"sqrt", {kDbl}, kDbl, UnaryDouble<Sqrt>},
      {"ln", {kDbl}, kDbl, UnaryDouble<Ln>},
      {"log10", {kDbl}, kDbl, UnaryDouble<Log10>},
      {"exp", {kDbl}, kDbl, UnaryDouble<Exp>},
      {"power", {kDbl, kDbl}, kDbl, Power},
      {"pow", {kDbl, kDbl}, kDbl, Power},
      {"lower", {kStr}, kStr, Lower},
      {"lcase", {kStr}, kStr, Lower},
      {"upper", {kStr}, kStr, Upper},
      {"ucase", {kStr}, kStr, Upper},
      {"length", {kStr}, kBig, Length},
      {"len", {kStr}, kBig, Length},
      {"time_bucket", {kIvl, kTs}, kTs, TimeBucket},
      {"time_bucket", {kIvl, kTs, kTs}, kTs, TimeBucket},
      {"date_trunc", {kStr, kTs}, kTs, DateTrunc},
      {"datetrunc", {kStr, kTs}, kTs, DateTrunc},
      {"date_part", {kStr, kTs}, kBig, DatePart},
      {"datepart", {kStr, kTs}, kBig, DatePart},
      // TIME: microseconds since midnight read as a time on 1970-01-01.
      {"date_part", {kStr, TypeId::kTime}, kBig, DatePart},
      {"datepart", {kStr, TypeId::kTime}, kBig, DatePart},
      {"hour", {TypeId::kTime}, kBig, PartOf<3>},
      {"minute", {TypeId::kTime}, kBig, PartOf<4>},
      {"second", {TypeId::kTime}, kBig, PartOf<5>},
      {"millisecond", {TypeId::kTime}, kBig, PartOf<11>},
      {"microsecond", {TypeId::kTime}, kBig, PartOf<12>},
      {"octet_length", {TypeId::kBlob}, kBig, BlobLength},
      {"gen_random_uuid", {}, TypeId::kUuid, RandomUuid, kScalarVolatile},
      {"uuid", {}, TypeId::kUuid, RandomUuid, kScalarVolatile},
      {"epoch_ms", {kTs}, kBig, EpochMs},
      {"epoch", {kTs}, kDbl, Epoch},
      {"julian", {kTs}, kDbl, Julian},
  };
  static const std::vector<ScalarFunction> kAll = [] {
    std::vector<ScalarFunction> all = kFunctions;
    AddStringFunctions(&all);
    AddRegexpFunctions(&all);
    AddMathFunctions(&all);
    AddDateFunctions(&all);
    AddStringDistanceFunctions(&all);
    AddIntervalFunctions(&all);
    AddCalendarFunctions(&all);
    AddFormatFunctions(&all);
    AddHashFunctions(&all);
    AddPathFunctions(&all);
    AddDateTypeFunctions(&all);
    AddTimeZoneFunctions(&all);
    AddMoreMathFunctions(&all);
    AddCodeFunctions(&all);
    AddGlobFunctions(&all);
    AddListFunctions(&all);
    AddPartFunctions(&all, std::make_index_sequence<std::size(kPartFunctions)>());
    all.push_back({"$row_key", {}, kStr, RowKeyKernel, kScalarVariadicAny});
    return all;
  }();
  return kAll;
}

}  // namespace

Value RowKey(const std::vector<Value>& fields) {
  std::string key;
  for (const Value& v : fields) {
    if (v.is_null()) return Value::Null(TypeId::kVarchar);
    const std::string text = v.ToString();
    key += std::to_string(text.size());
    key += ':';
    key += text;
  }
  return Value::Varchar(std::move(key));
}

const ScalarFunction* FindScalarFunction(const std::string& name,
                                         const std::vector<TypeId>& arg_types,
                                         const std::vector<bool>& string_literals,
                                         bool* name_exists) {
  *name_exists = false;
  const ScalarFunction* best = nullptr;
  int best_cost = std::numeric_limits<int>::max();
  for (const ScalarFunction& f : Functions()) {
    if (name != f.name) continue;
    *name_exists = true;
    const bool variadic = f.flags & (kScalarVariadic | kScalarVariadicAny);
    if (variadic ? arg_types.size() < f.arg_types.size()
                 : f.arg_types.size() != arg_types.size()) {
      continue;
    }
    int cost = 0;
    for (size_t i = 0; i < arg_types.size() && cost >= 0; ++i) {
      TypeId from = arg_types[i];
      TypeId to = f.ArgType(i, from);
      if (from == to) continue;
      bool literal = i < string_literals.size() && string_literals[i];
      if (from == TypeId::kNull) {
        cost += 1;
      } else if (ImplicitCastAllowed(from, to)) {
        cost += (to == TypeId::kDouble ? 3 : 2);
      } else if (literal && from == TypeId::kVarchar) {
        cost += 5;
      } else if ((f.flags & kScalarAnyToVarchar) && to == TypeId::kVarchar &&
                 CastExists(from, to)) {
        cost += 4;
      } else {
        cost = -1;
      }
    }
    if (cost >= 0 && cost < best_cost) {
      best_cost = cost;
      best = &f;
    }
  }
  return best;
}

std::vector<std::string> ScalarFunctionNames() {
  std::vector<std::string> names;
  for (const ScalarFunction& f : Functions()) names.push_back(f.name);
  return names;
}

const std::vector<ScalarFunction>& ScalarFunctionOverloads() { return Functions(); }

int64_t ExtractTimestampPart(const std::string& part, int64_t ts) { return ExtractPart(part, ts); }
int64_t TruncateTimestamp(const std::string& part, int64_t ts) { return TruncTimestamp(part, ts); }

}  // namespace tsl::query
