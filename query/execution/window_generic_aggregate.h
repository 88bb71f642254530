// Framed window evaluation through an aggregate's own AggregateState, for
// the aggregates without a dedicated window kernel (window_framed_aggregate.h):
// corr, covar_*, regr_*, skewness, kurtosis, product, bit_*, mode, entropy,
// reservoir_quantile. While a frame keeps its start and grows (running
// and whole-partition frames) the state is only extended, so those cost
// O(m) per partition; a frame whose start moves is recomputed, O(frame).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "formats/column_vector.h"
#include "query/binder/bound_window.h"

namespace tsl::query {

// Whether ComputeGenericFramedAggregate handles `kind` (its state's
// Finalize leaves the state usable, so a growing frame can continue).
bool HasGenericWindowAggregate(AggregateKind kind);

// Same contract as ComputeFramedAggregate (window_framed_aggregate.h).
void ComputeGenericFramedAggregate(const BoundWindow& w,
                                   const std::vector<const ColumnVector*>& args,
                                   const uint32_t* rows, size_t m, const std::vector<uint32_t>& s,
                                   const std::vector<uint32_t>& e, ColumnVector* out);

}  // namespace tsl::query
