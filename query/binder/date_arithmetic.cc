// DATE operator overloads. See date_arithmetic.h. The executor needs no
// DATE-specific kernel: days are int64s, so DATE - DATE and DATE + INTEGER
// are integer arithmetic whose DATE results ExpressionExecutor range-checks
// (formats/date.h), and the INTERVAL forms run as TIMESTAMP arithmetic.
#include "query/binder/date_arithmetic.h"

namespace tsl::query {

bool ResolveDateArithmetic(OpCode op, TypeId l, TypeId r, DateArithmetic* out) {
  const TypeId date = TypeId::kDate, ts = TypeId::kTimestamp, iv = TypeId::kInterval,
               integer = TypeId::kInteger;
  const bool add = op == OpCode::kAdd, sub = op == OpCode::kSub;
  // TINYINT and SMALLINT widen to the INTEGER of +(DATE, INTEGER).
  if (IsIntegral(l) && IntegralRank(l) < IntegralRank(integer)) l = integer;
  if (IsIntegral(r) && IntegralRank(r) < IntegralRank(integer)) r = integer;
  if (sub && l == date && r == date) {
    *out = {date, date, TypeId::kBigint};
  } else if ((add || sub) && l == date && r == integer) {
    *out = {date, integer, date};
  } else if (add && l == integer && r == date) {
    *out = {date, integer, date, /*swap=*/true};
  } else if ((add || sub) && l == date && r == iv) {
    *out = {ts, iv, ts};
  } else if (add && l == iv && r == date) {
    *out = {ts, iv, ts, /*swap=*/true};
  } else if (add && l == date && r == TypeId::kTime) {
    // DATE + TIME: the date's midnight plus the microseconds of the time.
    *out = {ts, TypeId::kTime, ts};
  } else if (add && l == TypeId::kTime && r == date) {
    *out = {ts, TypeId::kTime, ts, /*swap=*/true};
  } else if (sub && ((l == date && r == ts) || (l == ts && r == date))) {
    *out = {ts, ts, iv};
  } else {
    return false;
  }
  return true;
}

}  // namespace tsl::query
