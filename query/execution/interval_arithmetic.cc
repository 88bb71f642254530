// Calendar INTERVAL operators. See interval_arithmetic.h.
#include "query/execution/interval_arithmetic.h"

#include <cmath>
#include <string>

#include "formats/interval.h"
#include "formats/time_zone.h"
#include "formats/timestamp.h"
#include "query/common/query_error.h"

namespace tsl::query {
namespace {

int64_t OrThrow(const Result<int64_t>& r, int position) {
  if (!r.ok()) throw QueryError(ErrorKind::kOutOfRange, r.status().message(), position);
  return *r;
}

}  // namespace

int64_t AddIntervalInZone(const TimeZone& zone, int64_t utc, int64_t iv, int sign, int position) {
  const IntervalParts p = DecodeInterval(iv);
  const int64_t days = p.micros / kMicrosPerDay;
  const int64_t rest = p.micros % kMicrosPerDay;
  const __int128 wall = zone.UtcToLocal(utc);
  if (!IsValidTimestamp(wall)) {
    throw QueryError(ErrorKind::kOutOfRange, "TIMESTAMPTZ out of range in interval arithmetic",
                     position);
  }
  int64_t local = OrThrow(AddMonthsToTimestamp(static_cast<int64_t>(wall), sign * p.months), position);
  const __int128 shifted = static_cast<__int128>(local) + static_cast<__int128>(sign) * days * kMicrosPerDay;
  if (!IsValidTimestamp(shifted)) {
    throw QueryError(ErrorKind::kOutOfRange, "TIMESTAMPTZ out of range in interval arithmetic",
                     position);
  }
  local = static_cast<int64_t>(shifted);
  const __int128 result = zone.LocalToUtc(local) + static_cast<__int128>(sign) * rest;
  if (!IsValidTimestamp(result)) {
    throw QueryError(ErrorKind::kOutOfRange,
                     "Overflow exception in date/time -> timestamp conversion: TIMESTAMPTZ out of range",
                     position);
  }
  return static_cast<int64_t>(result);
}

bool IntervalArithmetic(const BoundExpression& e, const VectorView& a, const VectorView& b,
                        size_t n, ColumnVector* out) {
  const bool add = e.op == OpCode::kAdd, sub = e.op == OpCode::kSub;
  int64_t* r = out->ints.data();
  const uint8_t* valid = out->valid.data();
  if (e.type == TypeId::kTime && (add || sub) && b.vec->type == TypeId::kInterval) {
    // TIME +/- INTERVAL wraps around midnight; months and whole days do not
    // move a time of day (DuckDB).
    for (size_t i = 0; i < n; ++i) {
      if (!valid[i]) continue;
      const int64_t delta = DecodeInterval(b.Int(i)).micros % kMicrosPerDay;
      int64_t t = (a.Int(i) + (add ? delta : -delta)) % kMicrosPerDay;
      if (t < 0) t += kMicrosPerDay;
      r[i] = t;
    }
    return true;
  }
  if (IsTimestampType(e.type) && (add || sub) && b.vec->type == TypeId::kInterval) {
    const TimeZone* zone =
        e.type == TypeId::kTimestampTz && e.zone && !e.zone->IsUtc() ? e.zone.get() : nullptr;
    // A constant interval without months (and, in a zone, without whole
    // days) is plain microseconds: the integer fast path.
    if (b.constant && !b.IsNull(0)) {
      const int64_t y = b.Int(0);
      if (!IsCalendarInterval(y) && (zone == nullptr || y / kMicrosPerDay == 0)) return false;
    }
    const int sign = add ? 1 : -1;
    for (size_t i = 0; i < n; ++i) {
      if (!valid[i]) continue;
      const int64_t x = a.Int(i), y = b.Int(i);
      r[i] = zone ? AddIntervalInZone(*zone, x, y, sign, e.position)
                  : OrThrow(AddIntervalToTimestamp(x, y, sign), e.position);
    }
    return true;
  }
  if (e.type != TypeId::kInterval) return false;
  if (b.vec->type == TypeId::kDouble) {
    // INTERVAL * f and INTERVAL / f (as * 1/f), PostgreSQL's interval_mul as
    // DuckDB has it: whole months stay months, the month fraction cascades
    // into 30-day days; division by zero is NULL.
    for (size_t i = 0; i < n; ++i) {
      if (!valid[i]) continue;
      const double y = b.Double(i);
      if (e.op == OpCode::kDiv && y == 0) {
        out->valid[i] = 0;
        continue;
      }
      const double f = e.op == OpCode::kDiv ? 1.0 / y : y;
      const IntervalParts p = DecodeInterval(a.Int(i));
      const double months = static_cast<double>(p.months) * f;
      const double micros = static_cast<double>(p.micros) * f +
                            std::nearbyint((months - std::trunc(months)) * 30 * kMicrosPerDay);
      if (!std::isfinite(months) || !std::isfinite(micros) || std::fabs(months) > 2147483647.0 ||
          std::fabs(micros) > 9.2e18) {
        throw QueryError(ErrorKind::kOutOfRange, "Overflow in INTERVAL multiplication", e.position);
      }
      r[i] = OrThrow(EncodeInterval(static_cast<__int128>(std::trunc(months)),
                                    static_cast<__int128>(std::nearbyint(micros))),
                     e.position);
    }
    return true;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!valid[i]) continue;
    const int64_t x = a.Int(i), y = b.Int(i);
    __int128 months = 0, micros = 0;
    if (sub && IsTimestampType(a.vec->type)) {  // TIMESTAMP - TIMESTAMP
      micros = static_cast<__int128>(x) - y;
    } else if (e.op == OpCode::kMul) {  // INTERVAL * BIGINT
      const IntervalParts p = DecodeInterval(x);
      months = static_cast<__int128>(p.months) * y;
      micros = static_cast<__int128>(p.micros) * y;
    } else if (add || sub) {
      const IntervalParts p = DecodeInterval(x), q = DecodeInterval(y);
      months = add ? static_cast<__int128>(p.months) + q.months : static_cast<__int128>(p.months) - q.months;
      micros = add ? static_cast<__int128>(p.micros) + q.micros : static_cast<__int128>(p.micros) - q.micros;
    } else {
      return false;
    }
    r[i] = OrThrow(EncodeInterval(months, micros), e.position);
  }
  return true;
}

void CompareIntervals(OpCode op, const VectorView& a, const VectorView& b, size_t n,
                      ColumnVector* out) {
  int64_t* r = out->ints.data();
  for (size_t i = 0; i < n; ++i) {
    const int c = IntervalCompare(a.Int(i), b.Int(i));
    bool v = false;
    switch (op) {
      case OpCode::kEq: v = c == 0; break;
      case OpCode::kNe: v = c != 0; break;
      case OpCode::kLt: v = c < 0; break;
      case OpCode::kLe: v = c <= 0; break;
      case OpCode::kGt: v = c > 0; break;
      case OpCode::kGe: v = c >= 0; break;
      default: throw QueryError(ErrorKind::kInternal, "bad interval comparison");
    }
    r[i] = v ? 1 : 0;
  }
}

}  // namespace tsl::query
