// AggregateState: the per-group state arrays and vectorized update loops
// of one aggregate call (count, sum, avg, min, max, stddev/variance with
// Welford's update as DuckDB does, first/last/any_value, arg_min/arg_max,
// median/quantile_cont/quantile_disc, bool_and/bool_or, count_if,
// approx_count_distinct (HyperLogLog), string_agg, time_weighted_avg).
// The hash aggregate maps rows to dense group ids and hands each state a
// whole chunk at a time: one virtual call per chunk, a typed loop per row.
// Combine merges two partial states (parallel aggregation).
// Thread-safety: one thread per state object.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "formats/value.h"
#include "query/functions/aggregate_function.h"
#include "query/functions/vector_view.h"

namespace tsl::query {

// A group id that makes Update() skip the row (DISTINCT duplicates).
inline constexpr uint32_t kSkipRow = UINT32_MAX;

class AggregateState {
 public:
  virtual ~AggregateState() = default;
  // Grows the state to `groups` groups (new groups are empty).
  virtual void Resize(size_t groups) = 0;
  // Adds row i of `args` to group gid[i] for i in [0, n).
  virtual void Update(const std::vector<VectorView>& args, const uint32_t* gid, size_t n) = 0;
  // Writes the results of groups [begin, end) into `out` (rows 0..).
  virtual void Finalize(size_t begin, size_t end, ColumnVector* out) = 0;
  // Merges `other` (a state of the same aggregate whose rows all come
  // after this state's in input order) into this one: other's group g
  // goes to group map[g] for g in [0, n). This state has been Resize()d to
  // cover every map[g]; `other` is left unusable. Every state merges
  // exactly, so the parallel hash aggregate, merging per-morsel partials
  // in morsel order, returns what one thread would (floating-point sums
  // and variances up to rounding: a different summation order).
  virtual void Combine(AggregateState& other, const uint32_t* map, size_t n) = 0;
  // Heap bytes the state holds beyond a fixed size per group: the values
  // median/quantiles, string_agg, time_weighted_avg and ordered aggregates
  // keep. The hash aggregate reserves them against memory_limit after each
  // chunk (execution/memory_tracker.h). O(1): states keep a running count.
  virtual int64_t MemoryBytes() const { return 0; }
};

// `arg_types` are the argument types after the binder's casts; `parameter`
// is the constant argument (quantile fraction as DOUBLE, string_agg
// separator, time_weighted_avg mode), NULL when absent.
std::unique_ptr<AggregateState> MakeAggregateState(AggregateKind kind,
                                                   const std::vector<TypeId>& arg_types,
                                                   const Value& parameter, TypeId result);

// agg(... ORDER BY keys): wraps `inner` so that each group's rows reach it
// sorted by the keys (ascending or `desc`, NULLs last, ties in input
// order). Update() takes the inner aggregate's `arg_count` arguments
// followed by the keys and only buffers them; the first Finalize() sorts
// and replays them into `inner`.
std::unique_ptr<AggregateState> MakeOrderedAggregateState(std::unique_ptr<AggregateState> inner,
                                                          size_t arg_count,
                                                          std::vector<bool> desc);

// time_weighted_avg's interpolation: 'locf' (default) or 'linear' (alias
// 'trapezoidal'), case-insensitive. Throws a QueryError for other names.
bool TimeWeightedLinear(const Value& mode);

// The row index quantile_disc picks among n sorted values, and the
// fractional position quantile_cont interpolates at, as DuckDB computes
// them (DuckDB reads a literal fraction as an exact DECIMAL, so n * q is
// rounded to the nearest integer when within 1e-9 of it).
size_t DiscreteQuantileIndex(double q, size_t n);
double ContinuousQuantilePosition(double q, size_t n);

// Whether median/quantile_cont over `arg` interpolates: not over VARCHAR,
// BOOLEAN or (median) INTERVAL, where DuckDB 1.5 picks the lower middle
// value as quantile_disc does.
bool QuantileInterpolates(AggregateKind kind, TypeId arg);

// DuckDB's InterpolateOperator, in its order of operations so results
// match to the last bit: lo*(1-d) + hi*d (l + d*(h-l) differs in the last
// bit, e.g. 79.854 against DuckDB's 79.85400000000001); a TIMESTAMP or
// INTERVAL (microseconds) is interpolated in doubles and rounded.
inline double InterpolateQuantile(double lo, double d, double hi) {
  return lo * (1.0 - d) + hi * d;
}
int64_t InterpolateQuantileMicros(int64_t lo, double d, int64_t hi);

}  // namespace tsl::query
