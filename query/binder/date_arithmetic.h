// DuckDB's arithmetic operators over DATE, as overloads the binder picks
// from: DATE - DATE -> BIGINT (days), DATE +/- INTEGER -> DATE,
// INTEGER + DATE -> DATE, DATE +/- INTERVAL and INTERVAL + DATE ->
// TIMESTAMP (the date's midnight plus the interval), DATE + TIME and
// TIME + DATE -> TIMESTAMP, DATE - TIMESTAMP and
// TIMESTAMP - DATE -> INTERVAL. Nothing else (DuckDB has no DATE + BIGINT,
// no DATE * n, and a string literal beside a DATE is ambiguous there).
// Thread-safety: pure function.
#pragma once

#include "formats/types.h"
#include "query/binder/bound_expression.h"

namespace tsl::query {

struct DateArithmetic {
  TypeId left_cast;   // the type each operand is cast to
  TypeId right_cast;
  TypeId result;
  bool swap = false;  // operands are exchanged first (INTEGER + DATE)
};

// REQUIRES: left or right is DATE. False when DuckDB has no such operator;
// `left`/`right` are the operand types (after NULL took its side's type).
bool ResolveDateArithmetic(OpCode op, TypeId left, TypeId right, DateArithmetic* out);

}  // namespace tsl::query
