// Factories of the aggregate states that live in their own files, one per
// family: statistical_aggregates.cc (corr, covar_*, regr_*, skewness,
// kurtosis, product), bit_aggregates.cc (bit_and/bit_or/bit_xor) and
// frequency_aggregates.cc (mode, entropy, reservoir_quantile).
// MakeAggregateState (aggregate_state.cc) dispatches to them. Internal to
// query/functions. Thread-safety: pure functions.
#pragma once

#include <memory>
#include <vector>

#include "formats/value.h"
#include "query/functions/aggregate_state.h"

namespace tsl::query {

std::unique_ptr<AggregateState> MakeStatisticalAggregateState(AggregateKind kind);
std::unique_ptr<AggregateState> MakeBitAggregateState(AggregateKind kind, TypeId arg);
std::unique_ptr<AggregateState> MakeFrequencyAggregateState(AggregateKind kind, TypeId arg,
                                                            const Value& parameter);
// list(x)/array_agg(x) producing `result` (a LIST type): list_aggregate.cc.
std::unique_ptr<AggregateState> MakeListAggregateState(TypeId result);

}  // namespace tsl::query
