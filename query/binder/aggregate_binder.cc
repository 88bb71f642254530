// Binding of aggregate call arguments: arity, the casts each aggregate
// wants (string_agg -> VARCHAR, sum(BOOLEAN) -> BIGINT, ...), constant
// parameters (quantile fraction in [0, 1], string_agg separator,
// time_weighted_avg mode) and the result type, with DuckDB's "No function
// matches" wording. See binder.h and functions/aggregate_function.h.
// Thread-safety: one Binder per statement.
#include "query/binder/binder.h"
#include "query/common/query_error.h"
#include "query/functions/aggregate_state.h"

namespace tsl::query {

void Binder::BindAggregateArguments(const ParsedExpression& expr, Context& ctx,
                                    BoundAggregate* agg, bool window_call) {
  const AggregateInfo& info = GetAggregateInfo(agg->kind);
  Context inner;
  inner.scope = ctx.scope;
  inner.clause = ctx.clause;
  inner.in_aggregate = true;
  // A windowed aggregate reads the rows entering the window stage: in an
  // aggregating SELECT those are the groups (median(sum(v)) OVER ()).
  if (window_call) inner = ctx;
  std::string modifiers;  // " ORDER BY ...", " FILTER (WHERE ...)" for the display
  for (size_t i = 0; i < expr.agg_order.size(); ++i) {
    agg->order.push_back(Bind(*expr.agg_order[i], inner));
    agg->order_desc.push_back(expr.agg_order_desc[i]);
    modifiers += (i ? ", " : " ORDER BY ") + agg->order.back()->ToString() +
                 (expr.agg_order_desc[i] ? " DESC" : "");
  }
  std::string filter_text;
  if (expr.filter) {
    Context where = inner;
    where.clause = "FILTER";
    agg->filter = ToBoolean(Bind(*expr.filter, where),
                            expr.filter->kind == ExpressionKind::kConstant &&
                                expr.filter->string_literal,
                            "FILTER clause");
    filter_text = " FILTER (WHERE " + agg->filter->ToString() + ")";
  }
  if (agg->kind == AggregateKind::kCountStar) {
    agg->type = TypeId::kBigint;
    agg->display = "count_star(" + modifiers + ")" + filter_text;
    return;
  }
  std::vector<BoundExpressionPtr> args;
  std::vector<TypeId> types;
  for (const auto& c : expr.children) {
    args.push_back(Bind(*c, inner));
    const TypeId want = AggregateArgumentType(agg->kind, args.size() - 1, args.back()->type);
    if (want != args.back()->type) args.back() = MakeBoundCast(std::move(args.back()), want);
    types.push_back(args.back()->type);
  }
  auto no_match = [&]() {
    std::string sig = expr.name + "(";
    for (size_t i = 0; i < types.size(); ++i) sig += (i ? ", " : "") + std::string(TypeName(types[i]));
    throw QueryError(ErrorKind::kBinder,
                     "No function matches the given name and argument types '" + sig +
                         ")'. You might need to add explicit type casts.",
                     expr.position);
  };
  const int n = static_cast<int>(args.size());
  if (n < info.min_args || n > info.max_args) no_match();
  std::optional<TypeId> type = AggregateReturnType(agg->kind, types);
  if (!type) no_match();
  agg->type = *type;
  if (info.constant_arg >= 0 && n > info.constant_arg) {
    const BoundExpression& c = *args[info.constant_arg];
    const int pos = expr.children[info.constant_arg]->position;
    if (c.kind != BoundKind::kConstant) {
      throw QueryError(ErrorKind::kBinder,
                       std::string(info.name) + ": argument " +
                           std::to_string(info.constant_arg + 1) +
                           " must be a constant, not an expression over the rows",
                       pos);
    }
    agg->parameter = c.value;
    if (agg->kind == AggregateKind::kQuantileCont || agg->kind == AggregateKind::kQuantileDisc ||
        agg->kind == AggregateKind::kReservoirQuantile ||
        agg->kind == AggregateKind::kApproxQuantile) {
      const double q = c.value.is_null() ? -1 : c.value.AsDouble();
      if (!(q >= 0 && q <= 1) && agg->kind == AggregateKind::kApproxQuantile) {
        throw QueryError(ErrorKind::kBinder,
                         "APPROXIMATE QUANTILE can only take parameters in range [0, 1]", pos);
      }
      if (!(q >= 0 && q <= 1)) {
        throw QueryError(ErrorKind::kBinder,
                         std::string(agg->kind == AggregateKind::kReservoirQuantile
                                         ? "RESERVOIR_QUANTILE"
                                         : "QUANTILE") +
                             " can only take parameters in the range [0, 1], got " +
                             c.value.ToString(),
                         pos);
      }
    }
    if (agg->kind == AggregateKind::kTimeWeightedAvg) {
      try {
        TimeWeightedLinear(c.value);
      } catch (QueryError& e) {
        e.SetPositionIfUnknown(pos);
        throw;
      }
    }
  }
  std::string display = std::string(info.name) + "(" + (agg->distinct ? "DISTINCT " : "");
  for (int i = 0; i < n; ++i) {
    if (i) display += ", ";
    display += i == info.constant_arg ? agg->parameter.ToString() : args[i]->ToString();
  }
  agg->display = display + modifiers + ")" + filter_text;
  agg->argument = std::move(args[0]);
  if (n >= 2 && info.constant_arg != 1) agg->second = std::move(args[1]);
}

}  // namespace tsl::query
