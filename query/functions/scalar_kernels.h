// Helpers shared by the scalar function kernels (scalar_functions.cc,
// string_functions.cc, regexp_functions.cc, math_functions.cc, date_functions.cc) and the hooks
// that add each file's overloads to the function table. Internal to
// query/functions. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "formats/timestamp.h"
#include "query/common/query_error.h"
#include "query/functions/scalar_function.h"

namespace tsl::query {

inline constexpr TypeId kInt = TypeId::kInteger;
inline constexpr TypeId kBig = TypeId::kBigint;
inline constexpr TypeId kDbl = TypeId::kDouble;
inline constexpr TypeId kStr = TypeId::kVarchar;
inline constexpr TypeId kTs = TypeId::kTimestamp;
inline constexpr TypeId kIvl = TypeId::kInterval;
inline constexpr TypeId kBool = TypeId::kBoolean;
inline constexpr TypeId kTsTz = TypeId::kTimestampTz;

// The TIMESTAMP kernels' calendar arithmetic, for their TIMESTAMPTZ
// overloads (time_zone_functions.cc), which apply it to the wall time:
// date_part(part, ts), date_trunc(part, ts), strftime(ts, fmt) with what
// %z and %Z print.
int64_t ExtractTimestampPart(const std::string& part, int64_t ts);
int64_t TruncateTimestamp(const std::string& part, int64_t ts);
std::string FormatTimestampText(int64_t wall, const std::string& fmt, const std::string& offset,
                                const std::string& zone);
void AddTimeZoneFunctions(std::vector<ScalarFunction>* out);
// strptime's parser: the wall time (an offset matched by %z applied), and
// what %Z matched in *zone_name (when not null).
bool ParseTimestampWithFormat(const std::string& text, const std::string& fmt, int64_t* result,
                              std::string* zone_name);

// Applies `f(i)` to every row whose arguments are all non-NULL; other rows
// become NULL.
template <typename F>
void ForEachValid(const std::vector<VectorView>& args, size_t count, ColumnVector* out, F f) {
  for (size_t i = 0; i < count; ++i) {
    bool valid = true;
    for (const VectorView& a : args) valid = valid && !a.IsNull(i);
    if (!valid) {
      out->valid[i] = 0;
      continue;
    }
    f(i);
  }
}

// F over one DOUBLE argument, row by row: the math functions' kernel.
template <double (*F)(double)>
void UnaryDouble(const std::vector<VectorView>& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kDbl, n);
  ForEachValid(a, n, out, [&](size_t i) { out->doubles[i] = F(a[0].Double(i)); });
}

inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// A TIMESTAMP a kernel computed in 128 bits (so nothing wraps on the way),
// or an Out of Range error naming the function when it is outside the
// supported range (formats/timestamp.h).
inline int64_t TimestampOrThrow(__int128 micros, const char* function) {
  if (!IsValidTimestamp(micros)) {
    throw QueryError(ErrorKind::kOutOfRange,
                     std::string("Timestamp out of range in ") + function +
                         "(): the result is outside the supported range " + TimestampRangeText());
  }
  return static_cast<int64_t>(micros);
}

void AddStringFunctions(std::vector<ScalarFunction>* out);
void AddRegexpFunctions(std::vector<ScalarFunction>* out);
void AddMathFunctions(std::vector<ScalarFunction>* out);
void AddDateFunctions(std::vector<ScalarFunction>* out);
void AddStringDistanceFunctions(std::vector<ScalarFunction>* out);
void AddIntervalFunctions(std::vector<ScalarFunction>* out);
void AddCalendarFunctions(std::vector<ScalarFunction>* out);
void AddFormatFunctions(std::vector<ScalarFunction>* out);
void AddHashFunctions(std::vector<ScalarFunction>* out);
void AddPathFunctions(std::vector<ScalarFunction>* out);  // path_functions.cc
void AddDateTypeFunctions(std::vector<ScalarFunction>* out);  // date_type_functions.cc
void AddMoreMathFunctions(std::vector<ScalarFunction>* out);  // math_functions_more.cc
void AddCodeFunctions(std::vector<ScalarFunction>* out);      // code_functions.cc
void AddGlobFunctions(std::vector<ScalarFunction>* out);      // glob_functions.cc
void AddListFunctions(std::vector<ScalarFunction>* out);  // list_functions.cc

}  // namespace tsl::query
