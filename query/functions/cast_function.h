// Casts between tslake's SQL types with DuckDB's rules, over whole vectors
// and for single values (constant folding). VARCHAR parses; DOUBLE ->
// INTEGER/BIGINT rounds half away from zero; out-of-range is a Conversion
// Error naming the value and both types ("Could not convert string 'abc'
// to DOUBLE"). Thread-safety: pure functions.
#pragma once

#include <cstddef>

#include "formats/time_zone.h"
#include "formats/value.h"
#include "query/functions/vector_view.h"

namespace tsl::query {

// True when an explicit CAST from `from` to `to` exists.
bool CastExists(TypeId from, TypeId to);
// True when DuckDB would insert this cast implicitly (numeric widening,
// integer -> DOUBLE, NULL -> anything).
bool ImplicitCastAllowed(TypeId from, TypeId to);

// True when the cast reads or writes a wall time of TIMESTAMP WITH TIME
// ZONE, so it needs the session's zone: VARCHAR, TIMESTAMP or DATE to and
// from TIMESTAMPTZ.
bool CastNeedsTimeZone(TypeId from, TypeId to);

// Casts `count` rows of `in` to `target` into `out`. Throws
// QueryError(kConversion) at the first value that does not convert.
// `zone` is the session zone for casts that need one (null: the current
// database's, execution/time_zone_setting.h).
void CastVector(const VectorView& in, size_t count, TypeId target, ColumnVector* out,
                const TimeZone* zone = nullptr);

// One value; throws like CastVector.
Value CastValue(const Value& v, TypeId target, const TimeZone* zone = nullptr);

}  // namespace tsl::query
