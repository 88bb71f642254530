// Scalar functions that produce or need a DATE (formats/date.h):
// current_date, make_date(y, m, d), date(x) (DuckDB's function form of
// CAST(x AS DATE)) and time_bucket(INTERVAL, DATE), which
// DuckDB types as DATE. Functions that only read a date (date_part, year(),
// date_trunc, date_diff, strftime, epoch, ...) take it through the implicit
// DATE -> TIMESTAMP cast (its midnight), as DuckDB's overload resolution
// does, and return what they return for that timestamp (date_trunc on a DATE
// is a TIMESTAMP in DuckDB 1.5 too). Thread-safety: pure kernels.
#include <string>

#include "formats/date.h"
#include "query/execution/time_zone_setting.h"
#include "query/functions/cast_function.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

using Args = std::vector<VectorView>;
constexpr TypeId kDate = TypeId::kDate;

// The day in the session's TimeZone (the appended argument), as DuckDB's
// current_date with ICU.
void CurrentDate(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDate, n);
  int64_t now = StatementClock();
  if (!a.empty() && !a[0].IsNull(0)) now = static_cast<int64_t>(FindTimeZoneOrThrow(a[0].String(0))->UtcToLocal(now));
  const int64_t today = TimestampToDate(now);
  for (size_t i = 0; i < n; ++i) out->ints[i] = today;
}

void MakeDate(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDate, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t y = a[0].Int(i), m = a[1].Int(i), d = a[2].Int(i);
    // DuckDB's message and check: the fields must form a real day in range.
    const auto fail = [&] {
      throw QueryError(ErrorKind::kConversion, "Date out of range: " + std::to_string(y) + "-" +
                                                   std::to_string(m) + "-" + std::to_string(d));
    };
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < -100000000 || y > 100000000) fail();
    // Validate the day of the month by a round trip through the calendar.
    const int64_t days = DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    int64_t ry;
    unsigned rm, rd;
    CivilFromDays(days, &ry, &rm, &rd);
    if (ry != y || rm != m || rd != d || !IsValidDate(days)) fail();
    out->ints[i] = days;
  });
}

// date(x): DuckDB reads DATE(x) as CAST(x AS DATE).
void DateOf(const Args& a, size_t n, ColumnVector* out) { CastVector(a[0], n, kDate, out); }

// time_bucket(width, date): the TIMESTAMP overload's bucket of the date's
// midnight, as a DATE (DuckDB's time_bucket(INTERVAL, DATE) -> DATE).
void TimeBucketDate(const Args& a, size_t n, ColumnVector* out) {
  bool exists = false;
  const ScalarFunction* ts_bucket =
      FindScalarFunction("time_bucket", {kIvl, kTs}, {false, false}, &exists);
  if (!ts_bucket) throw QueryError(ErrorKind::kInternal, "time_bucket(INTERVAL, TIMESTAMP) missing");
  ColumnVector midnight;
  CastVector(a[1], n, kTs, &midnight);
  ColumnVector buckets;
  ts_bucket->kernel({a[0], VectorView{&midnight, false}}, n, &buckets);
  CastVector(VectorView{&buckets, false}, n, kDate, out);
}

}  // namespace

void AddDateTypeFunctions(std::vector<ScalarFunction>* f) {
  f->insert(f->end(), {
      {"current_date", {}, kDate, CurrentDate, kScalarFoldAtBind | kScalarSessionZone},
      {"today", {}, kDate, CurrentDate, kScalarFoldAtBind | kScalarSessionZone},
      {"make_date", {kBig, kBig, kBig}, kDate, MakeDate},
      {"date", {kStr}, kDate, DateOf},
      {"date", {kTs}, kDate, DateOf},
      {"time_bucket", {kIvl, kDate}, kDate, TimeBucketDate},
  });
}

}  // namespace tsl::query
