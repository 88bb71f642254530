// Operators on calendar INTERVALs (formats/interval.h): TIMESTAMP and
// TIMESTAMPTZ +/- INTERVAL with months (clamped to the month's end, as
// DuckDB), INTERVAL +/- INTERVAL and INTERVAL * BIGINT component-wise, and
// the normalized comparison of INTERVALs. ExpressionExecutor hands these
// operators here; micros-only operands take the same paths and give what
// plain int64 arithmetic gave. Thread-safety: pure functions.
#pragma once

#include <cstddef>

#include "query/binder/bound_expression.h"
#include "query/functions/vector_view.h"

namespace tsl::query {

// True when `e` (kAdd/kSub/kMul over int64 operands) involves an INTERVAL
// and was computed into `out` (validity already merged); false: the caller's
// integer arithmetic applies.
bool IntervalArithmetic(const BoundExpression& e, const VectorView& a, const VectorView& b,
                        size_t n, ColumnVector* out);

// tstz + sign * iv in `zone`: DuckDB's ICU order, months then the whole
// days of the micros on the local calendar, then the rest as elapsed time.
// Throws kOutOfRange past the TIMESTAMP range.
int64_t AddIntervalInZone(const TimeZone& zone, int64_t utc, int64_t iv, int sign, int position);

// Comparison of two INTERVAL vectors by DuckDB's normalization (30 days = 1
// month): kEq..kGe into out->ints as 0/1.
void CompareIntervals(OpCode op, const VectorView& a, const VectorView& b, size_t n,
                      ColumnVector* out);

}  // namespace tsl::query
