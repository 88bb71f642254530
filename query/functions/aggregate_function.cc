// Aggregate names and typing. See aggregate_function.h.
#include "query/functions/aggregate_function.h"

#include <iterator>

#include "formats/decimal.h"

namespace tsl::query {
namespace {

using K = AggregateKind;

// Indexed by AggregateKind.
constexpr AggregateInfo kAggregates[] = {
    {K::kCountStar, "count_star", 0, 0, -1},
    {K::kCount, "count", 1, 1, -1},
    {K::kSum, "sum", 1, 1, -1},
    {K::kAvg, "avg", 1, 1, -1},
    {K::kMin, "min", 1, 1, -1},
    {K::kMax, "max", 1, 1, -1},
    {K::kStddevSamp, "stddev_samp", 1, 1, -1},
    {K::kStddevPop, "stddev_pop", 1, 1, -1},
    {K::kVarSamp, "var_samp", 1, 1, -1},
    {K::kVarPop, "var_pop", 1, 1, -1},
    {K::kFirst, "first", 1, 1, -1},
    {K::kLast, "last", 1, 1, -1},
    {K::kAnyValue, "any_value", 1, 1, -1},
    {K::kArgMin, "arg_min", 2, 2, -1},
    {K::kArgMax, "arg_max", 2, 2, -1},
    {K::kMedian, "median", 1, 1, -1},
    {K::kQuantileCont, "quantile_cont", 2, 2, 1},
    {K::kQuantileDisc, "quantile_disc", 2, 2, 1},
    {K::kBoolAnd, "bool_and", 1, 1, -1},
    {K::kBoolOr, "bool_or", 1, 1, -1},
    {K::kCountIf, "count_if", 1, 1, -1},
    {K::kApproxCountDistinct, "approx_count_distinct", 1, 1, -1},
    {K::kStringAgg, "string_agg", 1, 2, 1},
    {K::kTimeWeightedAvg, "time_weighted_avg", 2, 3, 2},
    {K::kCorr, "corr", 2, 2, -1},
    {K::kCovarPop, "covar_pop", 2, 2, -1},
    {K::kCovarSamp, "covar_samp", 2, 2, -1},
    {K::kRegrSlope, "regr_slope", 2, 2, -1},
    {K::kRegrIntercept, "regr_intercept", 2, 2, -1},
    {K::kRegrR2, "regr_r2", 2, 2, -1},
    {K::kRegrCount, "regr_count", 2, 2, -1},
    {K::kRegrAvgX, "regr_avgx", 2, 2, -1},
    {K::kRegrAvgY, "regr_avgy", 2, 2, -1},
    {K::kRegrSxx, "regr_sxx", 2, 2, -1},
    {K::kRegrSyy, "regr_syy", 2, 2, -1},
    {K::kRegrSxy, "regr_sxy", 2, 2, -1},
    {K::kSkewness, "skewness", 1, 1, -1},
    {K::kKurtosis, "kurtosis", 1, 1, -1},
    {K::kKurtosisPop, "kurtosis_pop", 1, 1, -1},
    {K::kProduct, "product", 1, 1, -1},
    {K::kBitAnd, "bit_and", 1, 1, -1},
    {K::kBitOr, "bit_or", 1, 1, -1},
    {K::kBitXor, "bit_xor", 1, 1, -1},
    {K::kMode, "mode", 1, 1, -1},
    {K::kEntropy, "entropy", 1, 1, -1},
    {K::kReservoirQuantile, "reservoir_quantile", 2, 2, 1},
    {K::kApproxQuantile, "approx_quantile", 2, 2, 1},
    {K::kList, "list", 1, 1, -1},
};

static_assert(std::size(kAggregates) == static_cast<size_t>(K::kList) + 1,
              "kAggregates is indexed by AggregateKind");

struct Alias {
  const char* name;
  AggregateKind kind;
};

constexpr Alias kAliases[] = {
    {"mean", K::kAvg},           {"stddev", K::kStddevSamp},   {"variance", K::kVarSamp},
    {"max_by", K::kArgMax},      {"min_by", K::kArgMin},       {"argmax", K::kArgMax},
    {"argmin", K::kArgMin},      {"quantile", K::kQuantileDisc}, {"listagg", K::kStringAgg},
    {"group_concat", K::kStringAgg}, {"arbitrary", K::kFirst}, {"countif", K::kCountIf},
    {"array_agg", K::kList},
};

bool Orderable(TypeId t) { return t != TypeId::kNull && !IsList(t); }

}  // namespace

std::optional<AggregateKind> LookupAggregate(const std::string& name) {
  for (const AggregateInfo& a : kAggregates) {
    if (name == a.name) return a.kind;
  }
  for (const Alias& a : kAliases) {
    if (name == a.name) return a.kind;
  }
  return std::nullopt;
}

const AggregateInfo& GetAggregateInfo(AggregateKind kind) {
  return kAggregates[static_cast<size_t>(kind)];
}

const char* AggregateName(AggregateKind kind) { return GetAggregateInfo(kind).name; }

std::vector<std::string> AggregateFunctionNames() {
  std::vector<std::string> names;
  for (const AggregateInfo& a : kAggregates) {
    if (a.kind != K::kCountStar) names.push_back(a.name);
  }
  for (const Alias& a : kAliases) names.push_back(a.name);
  return names;
}

TypeId AggregateArgumentType(AggregateKind kind, size_t index, TypeId arg) {
  switch (kind) {
    case K::kSum:
      return arg == TypeId::kBoolean ? TypeId::kBigint : arg;
    case K::kStringAgg:
      return TypeId::kVarchar;
    case K::kList:  // LIST(DECIMAL) has no type code (types.h)
      return IsDecimal(arg) ? TypeId::kDouble : arg;
    case K::kBoolAnd:
    case K::kBoolOr:
    case K::kCountIf:
      return arg == TypeId::kNull ? TypeId::kBoolean : arg;
    case K::kTimeWeightedAvg:
      if (index == 0 && (IsNumeric(arg) || arg == TypeId::kNull)) return TypeId::kDouble;
      if (index == 1 && arg == TypeId::kNull) return TypeId::kTimestamp;
      if (index == 2) return TypeId::kVarchar;
      return arg;
    case K::kQuantileCont:
    case K::kQuantileDisc:
    case K::kReservoirQuantile:
    case K::kApproxQuantile:
      if (index == 1 && (IsNumeric(arg) || arg == TypeId::kNull)) return TypeId::kDouble;
      // quantile_cont interpolates over doubles, as median: a DECIMAL is
      // read as its value (it interpolated the scaled integers: 835.0
      // for 8.35).
      if (index == 0 && kind == K::kQuantileCont && IsDecimal(arg)) return TypeId::kDouble;
      return arg == TypeId::kNull ? TypeId::kInteger : arg;
    case K::kCorr:
    case K::kCovarPop:
    case K::kCovarSamp:
    case K::kRegrSlope:
    case K::kRegrIntercept:
    case K::kRegrR2:
    case K::kRegrCount:
    case K::kRegrAvgX:
    case K::kRegrAvgY:
    case K::kRegrSxx:
    case K::kRegrSyy:
    case K::kRegrSxy:
    case K::kSkewness:
    case K::kKurtosis:
    case K::kKurtosisPop:
    case K::kProduct:
      return IsNumeric(arg) || arg == TypeId::kNull ? TypeId::kDouble : arg;
    case K::kStddevSamp:
    case K::kStddevPop:
    case K::kVarSamp:
    case K::kVarPop:
    case K::kMedian:
      // Computed over doubles; a DECIMAL argument is read as DOUBLE.
      if (IsDecimal(arg)) return TypeId::kDouble;
      return arg == TypeId::kNull ? TypeId::kInteger : arg;
    default:
      return arg == TypeId::kNull && kind != K::kCount ? TypeId::kInteger : arg;
  }
}

std::optional<TypeId> AggregateReturnType(AggregateKind kind, const std::vector<TypeId>& args) {
  const TypeId arg = args.empty() ? TypeId::kNull : args[0];
  switch (kind) {
    case K::kCountStar:
    case K::kCount:
    case K::kApproxCountDistinct:
      return TypeId::kBigint;
    case K::kCountIf:
      if (arg == TypeId::kBoolean) return TypeId::kBigint;
      return std::nullopt;
    case K::kSum:
      if (IsIntegral(arg) || arg == TypeId::kBoolean || arg == TypeId::kNull) {
        return TypeId::kBigint;
      }
      if (arg == TypeId::kDouble) return TypeId::kDouble;
      if (arg == TypeId::kInterval) return TypeId::kInterval;
      // DuckDB: DECIMAL(38,s); tslake's widest DECIMAL is 18 digits
      // (formats/decimal.h), and a sum beyond it is an overflow error.
      if (IsDecimal(arg)) return DecimalType(kMaxDecimalWidth, DecimalScale(arg));
      return std::nullopt;
    case K::kAvg:
    case K::kStddevSamp:
    case K::kStddevPop:
    case K::kVarSamp:
    case K::kVarPop:
      if (IsNumeric(arg) || arg == TypeId::kNull) return TypeId::kDouble;
      return std::nullopt;
    case K::kMin:
    case K::kMax:
      // The min/max states order string-class values by their bytes, which
      // is not a LIST's order (list_value.h): refused rather than wrong.
      if (IsList(arg)) return std::nullopt;
      return arg == TypeId::kNull ? TypeId::kInteger : arg;
    case K::kFirst:
    case K::kLast:
    case K::kAnyValue:
      return arg == TypeId::kNull ? TypeId::kInteger : arg;
    case K::kArgMin:
    case K::kArgMax:
      if (args.size() != 2 || !Orderable(args[1])) return std::nullopt;
      return arg == TypeId::kNull ? TypeId::kInteger : arg;
    case K::kMedian:
    case K::kQuantileCont:
      if (IsNumeric(arg) || arg == TypeId::kNull) return TypeId::kDouble;
      if (IsTimestampType(arg)) return arg;
      // DuckDB 1.5: median of these is discrete; quantile_cont rejects them.
      if (kind == K::kMedian && (arg == TypeId::kVarchar || arg == TypeId::kBoolean ||
                                 arg == TypeId::kInterval)) {
        return arg;
      }
      return std::nullopt;
    case K::kQuantileDisc:
      return arg == TypeId::kNull ? TypeId::kInteger : arg;
    case K::kBoolAnd:
    case K::kBoolOr:
      if (arg == TypeId::kBoolean) return TypeId::kBoolean;
      return std::nullopt;
    case K::kStringAgg:
      return TypeId::kVarchar;
    case K::kTimeWeightedAvg:
      if (arg != TypeId::kDouble || args.size() < 2 || !IsTimestampType(args[1])) {
        return std::nullopt;
      }
      return TypeId::kDouble;
    case K::kCorr:
    case K::kCovarPop:
    case K::kCovarSamp:
    case K::kRegrSlope:
    case K::kRegrIntercept:
    case K::kRegrR2:
    case K::kRegrCount:
    case K::kRegrAvgX:
    case K::kRegrAvgY:
    case K::kRegrSxx:
    case K::kRegrSyy:
    case K::kRegrSxy:
      if (args.size() != 2 || args[0] != TypeId::kDouble || args[1] != TypeId::kDouble) {
        return std::nullopt;
      }
      return kind == K::kRegrCount ? TypeId::kBigint : TypeId::kDouble;
    case K::kSkewness:
    case K::kKurtosis:
    case K::kKurtosisPop:
    case K::kProduct:
      if (arg != TypeId::kDouble) return std::nullopt;
      return TypeId::kDouble;
    case K::kBitAnd:
    case K::kBitOr:
    case K::kBitXor:
      if (IsIntegral(arg)) return arg;
      if (arg == TypeId::kNull) return TypeId::kInteger;
      return std::nullopt;
    case K::kMode:
      return arg == TypeId::kNull ? TypeId::kInteger : arg;
    case K::kEntropy:
      return TypeId::kDouble;
    case K::kReservoirQuantile:
      if (IsNumeric(arg) || arg == TypeId::kNull) return arg == TypeId::kNull ? TypeId::kInteger : arg;
      return std::nullopt;
    case K::kApproxQuantile:
      if (IsNumeric(arg) || arg == TypeId::kNull) return arg == TypeId::kNull ? TypeId::kInteger : arg;
      if (arg == TypeId::kTimestamp || arg == TypeId::kDate) return arg;
      return std::nullopt;
    case K::kList:  // DECIMAL arrives as DOUBLE (AggregateArgumentType)
      if (!CanBeListElement(arg)) return std::nullopt;
      return ListType(arg);
  }
  return std::nullopt;
}

}  // namespace tsl::query
