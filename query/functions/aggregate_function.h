// Aggregate functions: names (with DuckDB's aliases), arity, constant
// parameters and result types, as DuckDB types them: count/count_if ->
// BIGINT (DuckDB's HUGEINT for count_if prints the same digits), sum of
// integers -> BIGINT (DuckDB's HUGEINT; overflow of int64 is an error here),
// sum of DOUBLE -> DOUBLE, avg/stddev/variance -> DOUBLE, min/max/first/
// last/arg_min/arg_max/quantile_disc keep the argument type, median and
// quantile_cont -> DOUBLE for numbers and TIMESTAMP for timestamps (median
// of VARCHAR is discrete), bool_and/bool_or -> BOOLEAN, string_agg ->
// VARCHAR, approx_count_distinct -> BIGINT, time_weighted_avg -> DOUBLE,
// corr/covar/regr_*/skewness/kurtosis/product/entropy -> DOUBLE (regr_count
// BIGINT), bit_and/bit_or/bit_xor/mode/reservoir_quantile keep the type.
// The per-group states and update loops are in aggregate_state.h.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "formats/types.h"

namespace tsl::query {

enum class AggregateKind {
  kCountStar,
  kCount,
  kSum,
  kAvg,
  kMin,
  kMax,
  kStddevSamp,
  kStddevPop,
  kVarSamp,
  kVarPop,
  kFirst,     // first value in input order, NULL included (DuckDB's first)
  kLast,      // last value in input order, NULL included
  kAnyValue,  // first non-NULL value
  kArgMin,    // arg_min(arg, val): arg of the row with the smallest val
  kArgMax,
  kMedian,
  kQuantileCont,
  kQuantileDisc,
  kBoolAnd,
  kBoolOr,
  kCountIf,
  kApproxCountDistinct,
  kStringAgg,
  kTimeWeightedAvg,  // time_weighted_avg(value, ts [, 'locf' | 'linear'])
  // statistical_aggregates.cc: (y, x) pairs and moments, as DuckDB's
  // core_functions (rows where an argument is NULL are skipped).
  kCorr,
  kCovarPop,
  kCovarSamp,
  kRegrSlope,
  kRegrIntercept,
  kRegrR2,
  kRegrCount,
  kRegrAvgX,
  kRegrAvgY,
  kRegrSxx,
  kRegrSyy,
  kRegrSxy,
  kSkewness,
  kKurtosis,     // sample excess kurtosis (bias-corrected)
  kKurtosisPop,  // population excess kurtosis
  kProduct,
  // bit_aggregates.cc
  kBitAnd,
  kBitOr,
  kBitXor,
  // frequency_aggregates.cc: a value -> count map per group
  kMode,
  kEntropy,
  kReservoirQuantile,
  kApproxQuantile,
  // list_aggregate.cc: list(x)/array_agg(x), every value (NULLs too) in
  // input order (or the aggregate's ORDER BY) as a LIST.
  kList,
};

struct AggregateInfo {
  AggregateKind kind;
  const char* name;  // canonical name, used in result column names
  int min_args, max_args;
  // Index of an argument that must be a constant (quantile fraction,
  // string_agg separator, time_weighted_avg mode), or -1.
  int constant_arg;
};

// nullopt when `name` (lower-case) is not an aggregate. Aliases map to
// their canonical function: mean -> avg, stddev -> stddev_samp, variance ->
// var_samp, max_by -> arg_max, min_by -> arg_min, quantile -> quantile_disc,
// listagg/group_concat -> string_agg, arbitrary -> first.
std::optional<AggregateKind> LookupAggregate(const std::string& name);
const AggregateInfo& GetAggregateInfo(AggregateKind kind);

// Result type for arguments of `args` types (after the binder's casts), or
// nullopt when the aggregate does not accept them (sum of VARCHAR).
std::optional<TypeId> AggregateReturnType(AggregateKind kind, const std::vector<TypeId>& args);
// The type each argument is cast to before the aggregate sees it, given
// the argument's own type (string_agg casts to VARCHAR, sum of BOOLEAN to
// BIGINT, time_weighted_avg's value to DOUBLE); `arg` unchanged otherwise.
TypeId AggregateArgumentType(AggregateKind kind, size_t index, TypeId arg);
const char* AggregateName(AggregateKind kind);

// Every aggregate name and alias, for "Did you mean" suggestions and
// completion.
std::vector<std::string> AggregateFunctionNames();

}  // namespace tsl::query
