// Calendar names and numbers of a TIMESTAMP, as DuckDB spells them:
// dayname (English, "Sunday"), monthname ("January") and yearweek (ISO
// year * 100 + ISO week) and last_day (a DATE). The other parts (isodow, week, ...) are
// date_part's, in scalar_functions.cc. Thread-safety: pure functions.
#include "formats/timestamp.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

using Args = std::vector<VectorView>;

constexpr const char* kDayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};
constexpr const char* kMonthNames[] = {"January", "February", "March",     "April",
                                       "May",     "June",     "July",      "August",
                                       "September", "October", "November", "December"};

void DayName(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t days = FloorDiv(a[0].Int(i), kMicrosPerDay);
    out->strings[i] = kDayNames[((days + 4) % 7 + 7) % 7];  // 1970-01-01 was a Thursday
  });
}

void MonthName(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ForEachValid(a, n, out, [&](size_t i) {
    int64_t y;
    unsigned m, d;
    CivilFromDays(FloorDiv(a[0].Int(i), kMicrosPerDay), &y, &m, &d);
    out->strings[i] = kMonthNames[m - 1];
  });
}

void YearWeek(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t days = FloorDiv(a[0].Int(i), kMicrosPerDay);
    const int64_t isodow = ((days + 3) % 7 + 7) % 7 + 1;
    const int64_t thursday = days - (isodow - 1) + 3;  // the ISO week's year is its Thursday's
    int64_t y;
    unsigned m, d;
    CivilFromDays(thursday, &y, &m, &d);
    const int64_t week = (thursday - DaysFromCivil(y, 1, 1)) / 7 + 1;
    out->ints[i] = y * 100 + (y < 0 ? -week : week);
  });
}

// last_day: the month's last day, a DATE (DuckDB's, for DATE and TIMESTAMP).
void LastDay(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, TypeId::kDate, n);
  ForEachValid(a, n, out, [&](size_t i) {
    int64_t y;
    unsigned m, d;
    CivilFromDays(FloorDiv(a[0].Int(i), kMicrosPerDay), &y, &m, &d);
    // The day before the first of the next month.
    out->ints[i] = (m == 12 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, m + 1, 1)) - 1;
  });
}

}  // namespace

void AddCalendarFunctions(std::vector<ScalarFunction>* f) {
  f->insert(f->end(), {
      {"dayname", {kTs}, kStr, DayName},
      {"monthname", {kTs}, kStr, MonthName},
      {"yearweek", {kTs}, kBig, YearWeek},
      {"last_day", {kTs}, TypeId::kDate, LastDay},
  });
}

}  // namespace tsl::query
