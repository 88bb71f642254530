// Aggregate names and typing. See aggregate_function.h.
#include "query/functions/aggregate_function.h"

namespace tsl::query {

std::optional<AggregateKind> LookupAggregate(const std::string& name) {
  if (name == "count") return AggregateKind::kCount;
  if (name == "count_star") return AggregateKind::kCountStar;
  if (name == "sum") return AggregateKind::kSum;
  if (name == "avg" || name == "mean") return AggregateKind::kAvg;
  if (name == "min") return AggregateKind::kMin;
  if (name == "max") return AggregateKind::kMax;
  return std::nullopt;
}

std::optional<TypeId> AggregateReturnType(AggregateKind kind, TypeId arg) {
  switch (kind) {
    case AggregateKind::kCountStar:
    case AggregateKind::kCount:
      return TypeId::kBigint;
    case AggregateKind::kSum:
      if (IsIntegral(arg) || arg == TypeId::kBoolean) return TypeId::kBigint;
      if (arg == TypeId::kDouble) return TypeId::kDouble;
      if (arg == TypeId::kNull) return TypeId::kBigint;
      if (arg == TypeId::kInterval) return TypeId::kInterval;
      return std::nullopt;
    case AggregateKind::kAvg:
      if (IsNumeric(arg) || arg == TypeId::kNull) return TypeId::kDouble;
      return std::nullopt;
    case AggregateKind::kMin:
    case AggregateKind::kMax:
      return arg == TypeId::kNull ? TypeId::kInteger : arg;
  }
  return std::nullopt;
}

const char* AggregateName(AggregateKind kind) {
  switch (kind) {
    case AggregateKind::kCountStar:
      return "count_star";
    case AggregateKind::kCount:
      return "count";
    case AggregateKind::kSum:
      return "sum";
    case AggregateKind::kAvg:
      return "avg";
    case AggregateKind::kMin:
      return "min";
    case AggregateKind::kMax:
      return "max";
  }
  return "?";
}

}  // namespace tsl::query
