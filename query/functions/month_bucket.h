// time_bucket over calendar months (DuckDB's "width convertible to months"):
// buckets of N months counted from an origin month (2000-01 by default; an
// origin timestamp contributes only its year and month, as DuckDB).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

namespace tsl::query {

// Months since 1970-01 of DuckDB's default origin, 2000-01-01.
constexpr int64_t kDefaultOriginMonths = 360;

// The first instant of ts's bucket for a width with months (an INTERVAL
// word, formats/interval.h); throws DuckDB's errors for a width that mixes
// months with days or time, or is not positive.
int64_t MonthBucket(int64_t width, int64_t ts, int64_t origin_months, const char* function);

// Throws a clear error when `width` carries months but `function` only
// takes fixed-length widths (`what`: "a window frame offset", ...).
void RequireFixedInterval(int64_t width, const char* what);

}  // namespace tsl::query
