// Binding of window function calls: name -> WindowFunction, argument and
// result types, PARTITION BY / ORDER BY keys, and the frame (offsets are
// constants; RANGE offsets need one numeric or TIMESTAMP ORDER BY key and
// are converted to the key's unit). See binder.h and bound_window.h.
// Thread-safety: one Binder per statement.
#include <cmath>

#include "formats/decimal.h"
#include "formats/interval.h"
#include "query/binder/binder.h"
#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
#include "query/execution/order_settings.h"
#include "query/functions/aggregate_function.h"
#include "query/functions/cast_function.h"

namespace tsl::query {
namespace {

struct WindowName {
  const char* name;
  WindowFunction function;
  int min_args, max_args;
};

constexpr WindowName kWindowNames[] = {
    {"row_number", WindowFunction::kRowNumber, 0, 0},
    {"rank", WindowFunction::kRank, 0, 0},
    {"dense_rank", WindowFunction::kDenseRank, 0, 0},
    {"lag", WindowFunction::kLag, 1, 3},
    {"lead", WindowFunction::kLead, 1, 3},
    {"first_value", WindowFunction::kFirstValue, 1, 1},
    {"first", WindowFunction::kFirstValue, 1, 1},
    {"last_value", WindowFunction::kLastValue, 1, 1},
    {"last", WindowFunction::kLastValue, 1, 1},
    {"count", WindowFunction::kCount, 1, 1},
    {"sum", WindowFunction::kSum, 1, 1},
    {"avg", WindowFunction::kAvg, 1, 1},
    {"mean", WindowFunction::kAvg, 1, 1},
    {"min", WindowFunction::kMin, 1, 1},
    {"max", WindowFunction::kMax, 1, 1},
    {"stddev", WindowFunction::kStddevSamp, 1, 1},
    {"stddev_samp", WindowFunction::kStddevSamp, 1, 1},
    {"stddev_pop", WindowFunction::kStddevPop, 1, 1},
    {"variance", WindowFunction::kVarSamp, 1, 1},
    {"var_samp", WindowFunction::kVarSamp, 1, 1},
    {"var_pop", WindowFunction::kVarPop, 1, 1},
    {"delta", WindowFunction::kDelta, 1, 1},
    {"rate", WindowFunction::kRate, 1, 2},
    {"ntile", WindowFunction::kNtile, 1, 1},
    {"percent_rank", WindowFunction::kPercentRank, 0, 0},
    {"cume_dist", WindowFunction::kCumeDist, 0, 0},
    {"nth_value", WindowFunction::kNthValue, 2, 2},
};

// The functions that take IGNORE NULLS / RESPECT NULLS.
bool TakesNullsTreatment(WindowFunction f) {
  return f == WindowFunction::kLag || f == WindowFunction::kLead ||
         f == WindowFunction::kFirstValue || f == WindowFunction::kLastValue ||
         f == WindowFunction::kNthValue;
}

BoundFrameBound::Kind FrameKind(WindowFrameBound::Kind k) {
  switch (k) {
    case WindowFrameBound::Kind::kUnboundedPreceding:
      return BoundFrameBound::Kind::kUnboundedPreceding;
    case WindowFrameBound::Kind::kPreceding:
      return BoundFrameBound::Kind::kPreceding;
    case WindowFrameBound::Kind::kCurrentRow:
      return BoundFrameBound::Kind::kCurrentRow;
    case WindowFrameBound::Kind::kFollowing:
      return BoundFrameBound::Kind::kFollowing;
    case WindowFrameBound::Kind::kUnboundedFollowing:
      return BoundFrameBound::Kind::kUnboundedFollowing;
  }
  return BoundFrameBound::Kind::kCurrentRow;
}

// agg(x) FILTER (WHERE f) OVER (...) as agg(CASE WHEN f THEN x END) OVER
// (...): every window aggregate but first/last skips NULL inputs, so a row
// failing f (or with f NULL) counts exactly as a row that is not there.
// count(*) counts CASE WHEN f THEN 1 END; constant parameters (a quantile
// fraction, a separator) stay as they are.
ParsedExpressionPtr FilterAsCase(const ParsedExpression& expr, const WindowName* found,
                                 bool generic) {
  const bool aggregate = generic || (found && found->function >= WindowFunction::kCountStar &&
                                     found->function <= WindowFunction::kAggregate);
  if (!aggregate) {
    throw QueryError(ErrorKind::kParser,
                     "FILTER is not implemented for non-aggregate window functions!",
                     expr.position);
  }
  int constant_arg = -1;
  if (generic) {
    const AggregateKind kind = *LookupAggregate(expr.name);
    if (kind == AggregateKind::kFirst || kind == AggregateKind::kLast) {
      throw QueryError(ErrorKind::kNotImplemented,
                       "FILTER on " + expr.name + " as a window function is not supported",
                       expr.position);
    }
    constant_arg = GetAggregateInfo(kind).constant_arg;
  }
  auto when = [&](ParsedExpressionPtr value) {
    auto c = std::make_unique<ParsedExpression>();
    c->kind = ExpressionKind::kCase;
    c->position = value->position;
    c->children.push_back(expr.filter->Copy());
    c->children.push_back(std::move(value));
    return c;
  };
  ParsedExpressionPtr out = expr.Copy();
  out->filter = nullptr;
  if (out->star || out->children.empty()) {  // count(*)
    out->star = false;
    out->children.clear();
    out->children.push_back(when(MakeConstant(Value::Integer(1), expr.position)));
    return out;
  }
  for (size_t i = 0; i < out->children.size(); ++i) {
    if (static_cast<int>(i) == constant_arg) continue;
    out->children[i] = when(std::move(out->children[i]));
  }
  return out;
}

}  // namespace

BoundExpressionPtr Binder::BindWindow(const ParsedExpression& expr, Context& ctx) {
  if (!ctx.windows) {
    if (ctx.in_aggregate) {
      throw QueryError(ErrorKind::kBinder,
                       "aggregate function calls cannot contain window function calls",
                       expr.position);
    }
    const std::string clause = ctx.clause;
    throw QueryError(ErrorKind::kBinder,
                     clause + " clause cannot contain window functions!" +
                         (clause == "WHERE" ? " (window functions are not allowed in WHERE; "
                                              "filter on them with QUALIFY)"
                                            : ""),
                     expr.position);
  }
  // count_star() and count() are DuckDB's spellings of count(*) (the generic
  // aggregate path below has no argument to bind for them: it crashed).
  if ((expr.name == "count_star" || expr.name == "count") && expr.children.empty() &&
      !expr.star && !expr.distinct) {
    ParsedExpressionPtr star = expr.Copy();
    star->name = "count";
    star->star = true;
    return BindWindow(*star, ctx);
  }
  const WindowName* found = nullptr;
  for (const WindowName& w : kWindowNames) {
    if (expr.name == w.name) found = &w;
  }
  // Aggregates without a dedicated window kernel above, and DISTINCT counts.
  const bool generic = (!found || (expr.distinct && found->function == WindowFunction::kCount)) &&
                       LookupAggregate(expr.name) && !expr.star;
  if (expr.filter) return BindWindow(*FilterAsCase(expr, found, generic), ctx);
  if (!found && !generic) {
    std::vector<std::string> names;
    for (const WindowName& w : kWindowNames) names.push_back(w.name);
    for (std::string& n : AggregateFunctionNames()) names.push_back(std::move(n));
    std::string message = "Window function with name " + expr.name + " does not exist!";
    if (auto hint = ClosestMatch(expr.name, names)) message += " Did you mean \"" + *hint + "\"?";
    throw QueryError(ErrorKind::kCatalog, message, expr.position);
  }
  if (expr.distinct && !(generic && (*LookupAggregate(expr.name) == AggregateKind::kCount))) {
    throw QueryError(ErrorKind::kNotImplemented,
                     "DISTINCT in window functions is only supported for count(DISTINCT x)",
                     expr.position);
  }
  BoundWindow w;
  Context inner = ctx;
  inner.windows = nullptr;  // no window inside a window
  if (generic) {
    BoundAggregate agg;
    agg.kind = *LookupAggregate(expr.name);
    agg.distinct = expr.distinct;
    BindAggregateArguments(expr, inner, &agg, /*window_call=*/true);
    w.function = WindowFunction::kAggregate;
    w.aggregate = agg.kind;
    w.parameter = agg.parameter;
    w.distinct = agg.distinct;
    w.type = agg.type;
    w.arguments.push_back(std::move(agg.argument));
    if (agg.second) w.arguments.push_back(std::move(agg.second));
  } else {
    w.function = found->function;
  }
  if (expr.nulls_treatment != NullsTreatment::kDefault) {
    // first/last are aggregates in DuckDB; first_value/last_value are not.
    const bool value_function = !generic && TakesNullsTreatment(w.function) &&
                                expr.name != "first" && expr.name != "last";
    if (!value_function) {
      throw QueryError(ErrorKind::kParser,
                       "RESPECT/IGNORE NULLS is not supported for windowed aggregates",
                       expr.position);
    }
    w.ignore_nulls = expr.nulls_treatment == NullsTreatment::kIgnore;
  }
  if (generic) {
  } else if (expr.star) {
    if (w.function != WindowFunction::kCount) {
      throw QueryError(ErrorKind::kBinder, expr.name + "(*) is not a window function",
                       expr.position);
    }
    w.function = WindowFunction::kCountStar;
  } else if (static_cast<int>(expr.children.size()) < found->min_args ||
             static_cast<int>(expr.children.size()) > found->max_args) {
    throw QueryError(ErrorKind::kBinder,
                     "window function " + expr.name + " takes " + std::to_string(found->min_args) +
                         (found->max_args != found->min_args
                              ? " to " + std::to_string(found->max_args)
                              : std::string()) +
                         " arguments, got " + std::to_string(expr.children.size()),
                     expr.position);
  }
  if (!generic) {
    for (const auto& c : expr.children) w.arguments.push_back(Bind(*c, inner));
  }
  const TypeId arg = w.arguments.empty() ? TypeId::kBigint : w.arguments[0]->type;
  auto need_numeric = [&]() {
    if (!IsNumeric(arg) && arg != TypeId::kNull) {
      throw QueryError(ErrorKind::kBinder,
                       "No function matches the given name and argument types '" + expr.name +
                           "(" + std::string(TypeName(arg)) + ")'",
                       expr.position);
    }
  };
  switch (w.function) {
    case WindowFunction::kRowNumber:
    case WindowFunction::kRank:
    case WindowFunction::kDenseRank:
    case WindowFunction::kCountStar:
    case WindowFunction::kCount:
      w.type = TypeId::kBigint;
      break;
    case WindowFunction::kPercentRank:
    case WindowFunction::kCumeDist:
      w.type = TypeId::kDouble;
      break;
    case WindowFunction::kNtile:
      if (!IsIntegral(arg) && arg != TypeId::kNull) {
        throw QueryError(ErrorKind::kBinder,
                         "No function matches the given name and argument types 'ntile(" +
                             std::string(TypeName(arg)) + ")'",
                         expr.position);
      }
      w.type = TypeId::kBigint;
      w.arguments[0] = MakeBoundCast(std::move(w.arguments[0]), TypeId::kBigint);
      break;
    case WindowFunction::kNthValue: {
      w.type = arg == TypeId::kNull ? TypeId::kInteger : arg;
      const TypeId n = w.arguments[1]->type;
      if (!IsIntegral(n) && n != TypeId::kNull) {
        throw QueryError(ErrorKind::kBinder,
                         "nth_value: the position must be an integer, got " +
                             std::string(TypeName(n)),
                         expr.children[1]->position);
      }
      w.arguments[1] = MakeBoundCast(std::move(w.arguments[1]), TypeId::kBigint);
      break;
    }
    case WindowFunction::kLag:
    case WindowFunction::kLead: {
      w.type = arg == TypeId::kNull ? TypeId::kInteger : arg;
      if (w.arguments.size() >= 2) {
        // As DuckDB: the offset may vary by row, a NULL offset gives NULL,
        // and a negative one looks the other way.
        const TypeId off_type = w.arguments[1]->type;
        if (!IsIntegral(off_type) && off_type != TypeId::kNull) {
          throw QueryError(ErrorKind::kBinder,
                           expr.name + " offset must be an integer, got " +
                               std::string(TypeName(off_type)),
                           expr.children[1]->position);
        }
        Value off = ReadsRow(*w.arguments[1]) ? Value::Null(TypeId::kBigint)
                                               : ExpressionExecutor::EvaluateScalar(*w.arguments[1]);
        if (off.is_null()) {
          w.per_row_offset = true;
          w.arguments[1] = MakeBoundCast(std::move(w.arguments[1]), TypeId::kBigint);
        } else {
          w.lag_offset = off.int_value();
        }
      }
      if (w.arguments.size() == 3) {
        w.arguments[2] = MakeBoundCast(std::move(w.arguments[2]), w.type);
      }
      break;
    }
    case WindowFunction::kFirstValue:
    case WindowFunction::kLastValue:
    case WindowFunction::kMin:
    case WindowFunction::kMax:
      w.type = arg == TypeId::kNull ? TypeId::kInteger : arg;
      break;
    case WindowFunction::kSum:
      need_numeric();
      w.type = arg == TypeId::kDouble ? TypeId::kDouble : TypeId::kBigint;
      if (IsDecimal(arg)) {
        // The scaled integers are summed exactly, as the aggregate's sum:
        // DECIMAL(18, s) (DuckDB's is DECIMAL(38, s)).
        w.type = DecimalType(kMaxDecimalWidth, DecimalScale(arg));
        w.arguments[0] = MakeBoundCast(std::move(w.arguments[0]), w.type);
      }
      break;
    case WindowFunction::kAggregate:
      break;
    case WindowFunction::kDelta:
      need_numeric();
      w.type = arg == TypeId::kDouble ? TypeId::kDouble : TypeId::kBigint;
      w.arguments[0] = MakeBoundCast(std::move(w.arguments[0]), w.type);
      break;
    case WindowFunction::kRate:
      need_numeric();
      w.type = TypeId::kDouble;
      w.arguments[0] = MakeBoundCast(std::move(w.arguments[0]), TypeId::kDouble);
      if (w.arguments.size() == 2 && !IsTimestampType(w.arguments[1]->type)) {
        throw QueryError(ErrorKind::kBinder,
                         "rate(value, ts): ts must be a TIMESTAMP, got " +
                             std::string(TypeName(w.arguments[1]->type)),
                         expr.children[1]->position);
      }
      break;
    default:
      need_numeric();
      w.type = TypeId::kDouble;
      // avg/var/stddev of a DECIMAL read its value, not its scaled integer.
      if (IsDecimal(arg)) {
        w.arguments[0] = MakeBoundCast(std::move(w.arguments[0]), TypeId::kDouble);
      }
      break;
  }
  const WindowSpec& spec = *expr.window;
  if (!spec.base.empty()) {  // the parser resolves the names of its own SELECT
    throw QueryError(ErrorKind::kParser, "window \"" + spec.base + "\" does not exist",
                     spec.position);
  }
  for (const auto& p : spec.partitions) w.partitions.push_back(Bind(*p, inner));
  for (const auto& o : spec.orders) {
    w.orders.push_back(Bind(*o.expr, inner));
    w.descending.push_back(ResolveDescending(o.descending, o.direction_given));
    w.nulls_first.push_back(ResolveNullsFirst(o.nulls_first, w.descending.back()));
  }
  if (w.function == WindowFunction::kRate && w.arguments.size() == 1) {
    if (w.orders.empty() || !IsTimestampType(w.orders[0]->type)) {
      throw QueryError(ErrorKind::kBinder,
                       "rate(value) takes the time from the window's first ORDER BY key, which "
                       "must be a TIMESTAMP; or pass it: rate(value, ts)",
                       expr.position);
    }
    w.arguments.push_back(w.orders[0]->Copy());
  }
  if (spec.has_frame) {
    w.exclude = static_cast<BoundWindow::Exclude>(spec.exclude);
    w.rows = spec.rows;
    w.groups = spec.groups;
    w.start.kind = FrameKind(spec.start.kind);
    w.end.kind = FrameKind(spec.end.kind);
    if (w.start.kind == BoundFrameBound::Kind::kUnboundedFollowing ||
        w.end.kind == BoundFrameBound::Kind::kUnboundedPreceding) {
      throw QueryError(ErrorKind::kParser, "frame start cannot be UNBOUNDED FOLLOWING and frame "
                                           "end cannot be UNBOUNDED PRECEDING",
                       expr.position);
    }
    for (auto [bound, parsed] : {std::pair{&w.start, &spec.start}, std::pair{&w.end, &spec.end}}) {
      if (!parsed->offset) continue;
      const int pos = parsed->offset->position;
      BoundExpressionPtr offset = Bind(*parsed->offset, inner);
      if (ReadsRow(*offset)) {
        throw QueryError(ErrorKind::kNotImplemented,
                         "frame offset must be a constant; an offset that varies by row is not "
                         "supported",
                         pos);
      }
      Value v = ExpressionExecutor::EvaluateScalar(*offset);
      if (v.is_null()) throw QueryError(ErrorKind::kBinder, "frame offset cannot be NULL", pos);
      if (w.rows || w.groups) {
        if (!IsIntegral(v.type()) || v.int_value() < 0) {
          throw QueryError(ErrorKind::kBinder,
                           std::string(w.rows ? "ROWS" : "GROUPS") +
                               " frame offset must be a non-negative integer",
                           pos);
        }
        bound->offset = static_cast<double>(v.int_value());
        continue;
      }
      if (w.orders.size() != 1) {
        throw QueryError(ErrorKind::kBinder,
                         "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY "
                         "column",
                         pos);
      }
      const TypeId key = w.orders[0]->type;
      if (IsTimestampType(key)) {
        if (v.type() != TypeId::kInterval) {
          throw QueryError(ErrorKind::kBinder,
                           "RANGE offset over a TIMESTAMP key must be an INTERVAL, got " +
                               std::string(TypeName(v.type())),
                           pos);
        }
        if (!v.is_null() && IsCalendarInterval(v.int_value())) {
          throw QueryError(ErrorKind::kNotImplemented,
                           "RANGE frame offset INTERVAL '" + v.ToString() +
                               "' has months, whose length varies; a RANGE frame needs a fixed "
                               "length such as INTERVAL '30 days'",
                           pos);
        }
      } else if (!IsNumeric(key) || !IsNumeric(v.type())) {
        throw QueryError(ErrorKind::kBinder,
                         "RANGE offset needs a numeric or TIMESTAMP ORDER BY key, got " +
                             std::string(TypeName(key)) + " and offset " +
                             std::string(TypeName(v.type())),
                         pos);
      }
      if (IsDecimal(key)) {  // the frame would compare the key's scaled integers
        throw QueryError(ErrorKind::kNotImplemented,
                         "RANGE frame offsets over a DECIMAL ORDER BY key are not supported yet "
                         "(cast the key to DOUBLE)",
                         pos);
      }
      double off = v.AsDouble();  // a DECIMAL offset (1.5) by its value
      if (off < 0 || std::isnan(off)) {
        throw QueryError(ErrorKind::kBinder, "frame offset cannot be negative", pos);
      }
      bound->offset = off;
    }
  } else if (w.orders.empty()) {
    w.start.kind = BoundFrameBound::Kind::kUnboundedPreceding;
    w.end.kind = BoundFrameBound::Kind::kUnboundedFollowing;
  }
  if (!expr.agg_order.empty()) {
    // f(x ORDER BY y) OVER (...): the frame's rows in y's order (DuckDB);
    // for the functions that read a frame. lead/lag/rank/... take it as a
    // secondary ordering in DuckDB, which is not implemented.
    if (!IsFramedWindowFunction(w.function)) {
      throw QueryError(ErrorKind::kNotImplemented,
                       "ORDER BY inside " + expr.name +
                           "() OVER (...) is not supported; use the window's ORDER BY",
                       expr.position);
    }
    for (size_t i = 0; i < expr.agg_order.size(); ++i) {
      w.arguments.push_back(Bind(*expr.agg_order[i], inner));
      w.argument_order_desc.push_back(expr.agg_order_desc[i]);
    }
  }
  w.display = expr.ToString();
  const int index = static_cast<int>(ctx.windows->size());
  const TypeId type = w.type;
  ctx.windows->push_back(std::move(w));
  return MakeBoundColumn(kWindowColumnBase + index, type, expr.ToString());
}

}  // namespace tsl::query

namespace tsl::query {

bool IsFramedWindowFunction(WindowFunction f) {
  switch (f) {
    case WindowFunction::kRowNumber:
    case WindowFunction::kRank:
    case WindowFunction::kDenseRank:
    case WindowFunction::kLag:
    case WindowFunction::kLead:
    case WindowFunction::kDelta:
    case WindowFunction::kRate:
    case WindowFunction::kNtile:
    case WindowFunction::kPercentRank:
    case WindowFunction::kCumeDist:
      return false;
    default:
      return true;
  }
}

std::vector<std::string> WindowFunctionNames() {
  std::vector<std::string> names;
  for (const WindowName& w : kWindowNames) names.push_back(w.name);
  return names;
}

}  // namespace tsl::query
