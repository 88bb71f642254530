// Aggregate functions (count(*), count, sum, avg, min, max) and their
// result types, as DuckDB types them: count -> BIGINT, sum of integers ->
// BIGINT here (DuckDB's HUGEINT prints the same digits; overflow of int64
// is an error), sum of DOUBLE -> DOUBLE, avg -> DOUBLE, min/max keep the
// argument type. The state and update loops live in the hash aggregate
// operator (execution/). Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "formats/types.h"

namespace tsl::query {

enum class AggregateKind { kCountStar, kCount, kSum, kAvg, kMin, kMax };

// nullopt when `name` is not an aggregate.
std::optional<AggregateKind> LookupAggregate(const std::string& name);
// Result type for an argument of `arg`; nullopt when the aggregate does not
// accept that type (sum of VARCHAR).
std::optional<TypeId> AggregateReturnType(AggregateKind kind, TypeId arg);
const char* AggregateName(AggregateKind kind);

}  // namespace tsl::query
