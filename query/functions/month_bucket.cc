// Month buckets for time_bucket. See month_bucket.h.
#include "query/functions/month_bucket.h"

#include <string>

#include "formats/interval.h"
#include "query/common/query_error.h"

namespace tsl::query {

int64_t MonthBucket(int64_t width, int64_t ts, int64_t origin_months, const char* function) {
  const IntervalParts w = DecodeInterval(width);
  if (w.micros != 0) {
    throw QueryError(ErrorKind::kNotImplemented,
                     "Month intervals cannot have day or time component");
  }
  if (w.months <= 0) throw QueryError(ErrorKind::kNotImplemented, "Period must be greater than 0");
  // DuckDB's WidthConvertibleToMonthsCommon: floor to a multiple of the
  // width counted from the origin's month.
  const int64_t origin = origin_months % w.months;
  const int64_t diff = MonthIndexOf(ts) - origin;
  int64_t q = diff / w.months;
  if (diff < 0 && diff % w.months != 0) --q;
  Result<int64_t> start = TimestampOfMonthIndex(q * w.months + origin);
  if (!start.ok()) {
    throw QueryError(ErrorKind::kOutOfRange,
                     std::string("Timestamp out of range in ") + function + "()");
  }
  return *start;
}

void RequireFixedInterval(int64_t width, const char* what) {
  if (!IsCalendarInterval(width)) return;
  throw QueryError(ErrorKind::kNotImplemented,
                   std::string(what) + " must be a fixed length of time; INTERVAL '" +
                       FormatIntervalParts(width) +
                       "' has months, whose length varies (use days, hours, ...)");
}

}  // namespace tsl::query
