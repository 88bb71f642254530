// Expression binding: name resolution, DuckDB's typing rules for operators
// and functions, implicit casts, and aggregate extraction. See binder.h.
#include <algorithm>

#include "formats/decimal.h"
#include "query/binder/binder.h"
#include "query/binder/date_arithmetic.h"
#include "query/common/depth_guard.h"
#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
#include "query/execution/memory_tracker.h"
#include "query/functions/cast_function.h"
#include "query/planner/planner.h"

namespace tsl::query {
namespace {

// Quoted literals and prepared-statement parameters take the type their
// context needs (a VARCHAR parameter compares with a TIMESTAMP column).
bool IsStringLiteral(const ParsedExpression& e) {
  return (e.kind == ExpressionKind::kConstant && e.string_literal) ||
         e.kind == ExpressionKind::kParameter;
}

// Integer digits and scale of a numeric type as DuckDB's DECIMAL rules see
// it: INTEGER is DECIMAL(10,0), BIGINT DECIMAL(19,0).
void DecimalDigits(TypeId t, int* int_digits, int* scale) {
  *int_digits = DecimalIntegerDigits(t);
  *scale = IsDecimal(t) ? DecimalScale(t) : 0;
}

// The common type of two numerics at least one of which is DECIMAL:
// DOUBLE with a DOUBLE; else the DECIMAL keeping both sides' integer digits
// and scale (DuckDB's rule), or DOUBLE when that needs more than the 18
// digits of a 64-bit DECIMAL (DuckDB would use a 128-bit DECIMAL).
TypeId DecimalUnion(TypeId a, TypeId b) {
  if (a == TypeId::kDouble || b == TypeId::kDouble) return TypeId::kDouble;
  int ia, sa, ib, sb;
  DecimalDigits(a, &ia, &sa);
  DecimalDigits(b, &ib, &sb);
  const int ints = std::max(ia, ib), scale = std::max(sa, sb);
  if (ints + scale > kMaxDecimalWidth) return TypeId::kDouble;
  return DecimalType(ints + scale, scale);
}

// DuckDB's result types of DECIMAL arithmetic (an INTEGER operand is
// DECIMAL(10,0), a BIGINT DECIMAL(19,0)), capped at the 18 digits of a
// 64-bit DECIMAL, where the executor checks for overflow:
// + and -: both sides cast to DECIMAL(max integer digits + max scale + 1,
//          max scale);
// *:       DECIMAL(w1 + w2, s1 + s2) of the operands as they are (the raw
//          product is the result's raw value); DOUBLE when s1 + s2 > 18;
// %:       both sides cast to DECIMAL(max integer digits + max scale, max
//          scale);
// / and //: DOUBLE.
void BindDecimalArithmetic(OpCode* code, TypeId lt, TypeId rt, TypeId* result, TypeId* lcast,
                           TypeId* rcast) {
  int il, sl, ir, sr;
  DecimalDigits(lt, &il, &sl);
  DecimalDigits(rt, &ir, &sr);
  const int ints = std::max(il, ir), scale = std::max(sl, sr);
  switch (*code) {
    case OpCode::kAdd:
    case OpCode::kSub:
    case OpCode::kMod: {
      const int extra = *code == OpCode::kMod ? 0 : 1;
      *result = DecimalType(std::min(kMaxDecimalWidth, ints + scale + extra), scale);
      *lcast = *rcast = *result;
      return;
    }
    case OpCode::kMul:
      if (sl + sr > kMaxDecimalWidth) break;
      *result = DecimalType(std::min(kMaxDecimalWidth, il + sl + ir + sr), sl + sr);
      *lcast = lt;
      *rcast = rt;
      return;
    default:
      *code = OpCode::kDiv;
      break;
  }
  *result = *lcast = *rcast = TypeId::kDouble;
}

TypeId MaxNumeric(TypeId a, TypeId b) {
  if (a == b) return a;
  if (IsDecimal(a) || IsDecimal(b)) return DecimalUnion(a, b);
  if (a == TypeId::kDouble || b == TypeId::kDouble) return TypeId::kDouble;
  return IntegralRank(a) >= IntegralRank(b) ? a : b;
}

std::string TypeStr(TypeId t) { return std::string(TypeName(t)); }

// DATE meets TIMESTAMP as a TIMESTAMP (DuckDB's implicit promotion: the
// date's midnight), in comparisons and wherever types are unified.
// TIMESTAMP or DATE meets TIMESTAMP WITH TIME ZONE as a TIMESTAMPTZ (the
// wall time read in the session's zone), as DuckDB's implicit casts do.
// The common type of two different temporal types; kNull when there is none.
TypeId TemporalUnion(TypeId a, TypeId b) {
  auto temporal = [](TypeId t) {
    return t == TypeId::kDate || t == TypeId::kTimestamp || t == TypeId::kTimestampTz;
  };
  if (a == b || !temporal(a) || !temporal(b)) return TypeId::kNull;
  if (a == TypeId::kTimestampTz || b == TypeId::kTimestampTz) return TypeId::kTimestampTz;
  return TypeId::kTimestamp;
}

// The common type of two LIST types (their elements unified as values
// are: NULL takes the other, numbers widen, DECIMAL as DOUBLE since lists of
// DECIMAL have no type code); kNull when there is none.
TypeId CommonListType(TypeId a, TypeId b) {
  const TypeId x = ListElementType(a), y = ListElementType(b);
  if (x == y || y == TypeId::kNull) return a;
  if (x == TypeId::kNull) return b;
  if (IsNumeric(x) && IsNumeric(y)) {
    const TypeId m = MaxNumeric(x, y);
    return ListType(IsDecimal(m) ? TypeId::kDouble : m);
  }
  const TypeId t = TemporalUnion(x, y);
  return t == TypeId::kNull ? TypeId::kNull : ListType(t);
}

[[noreturn]] void ThrowNoMatch(const std::string& name, const std::vector<TypeId>& types,
                               int position) {
  std::string sig = name + "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) sig += ", ";
    sig += TypeStr(types[i]);
  }
  sig += ")";
  throw QueryError(ErrorKind::kBinder,
                   "No function matches the given name and argument types '" + sig +
                       "'. You might need to add explicit type casts.",
                   position);
}

BoundExpressionPtr MakeNode(BoundKind kind, TypeId type, int position) {
  auto e = std::make_unique<BoundExpression>();
  e->kind = kind;
  e->type = type;
  e->position = position;
  return e;
}

// TRY(e): a constant or column cannot fail, so it stays as it is.
BoundExpressionPtr MakeTry(BoundExpressionPtr child, int position) {
  if (child->kind == BoundKind::kConstant || child->kind == BoundKind::kColumnRef) return child;
  auto e = MakeNode(BoundKind::kTry, child->type, position);
  e->children.push_back(std::move(child));
  return e;
}

BoundExpressionPtr MakeOp(OpCode op, TypeId type, int position, BoundExpressionPtr a,
                          BoundExpressionPtr b = nullptr) {
  auto e = MakeNode(BoundKind::kOperator, type, position);
  e->op = op;
  e->children.push_back(std::move(a));
  if (b) e->children.push_back(std::move(b));
  return e;
}

OpCode ComparisonOp(const std::string& op) {
  if (op == "=") return OpCode::kEq;
  if (op == "<>") return OpCode::kNe;
  if (op == "<") return OpCode::kLt;
  if (op == "<=") return OpCode::kLe;
  if (op == ">") return OpCode::kGt;
  return OpCode::kGe;
}

}  // namespace

BoundExpressionPtr Binder::Bind(const ParsedExpression& expr, Context& ctx) {
  DepthGuard level(&depth_, ErrorKind::kBinder, expr.position);
  try {
    if (ctx.group_keys && !ctx.in_aggregate && !ContainsAggregate(expr)) {
      Context plain;
      plain.scope = ctx.scope;
      plain.clause = ctx.clause;
      plain.aliases = ctx.aliases;
      plain.alias_count = ctx.alias_count;
      BoundExpressionPtr bound;
      try {
        bound = BindInner(expr, plain);
      } catch (const DepthLimitError&) {
        throw;  // retrying would redo the whole subtree at every level
      } catch (const QueryError&) {
        // E.g. an alias of an aggregate (HAVING n > 1): bind it below in
        // aggregate context, which reports any real error.
        return BindInner(expr, ctx);
      }
      std::string key = bound->ToString();
      for (size_t i = 0; i < ctx.group_keys->size(); ++i) {
        if ((*ctx.group_keys)[i] == key) {
          auto ref = MakeBoundColumn(static_cast<int>(i), bound->type, key);
          ref->position = expr.position;
          return ref;
        }
      }
      // A constant: a correlated column of an outer query (a value here).
      if (bound->kind == BoundKind::kConstant) return bound;
      if (expr.kind == ExpressionKind::kColumnRef) {
        const std::string& name = expr.names.back();
        throw QueryError(ErrorKind::kBinder,
                         "column \"" + name +
                             "\" must appear in the GROUP BY clause or must be part of an "
                             "aggregate function.\nEither add it to the GROUP BY list, or use "
                             "\"ANY_VALUE(" +
                             name + ")\" if the exact value of \"" + name + "\" is not important.",
                         expr.position);
      }
    }
    return BindInner(expr, ctx);
  } catch (QueryError& e) {
    e.SetPositionIfUnknown(expr.position);
    throw;
  }
}

BoundExpressionPtr Binder::BindInner(const ParsedExpression& expr, Context& ctx) {
  switch (expr.kind) {
    case ExpressionKind::kConstant:
      return MakeBoundConstant(expr.value, expr.position);
    case ExpressionKind::kParameter: {
      if (!params_) {
        throw QueryError(ErrorKind::kInvalidInput,
                         "parameter $" + std::to_string(expr.parameter + 1) +
                             " has no value; run the statement through a prepared statement "
                             "and bind every parameter",
                         expr.position);
      }
      if (expr.parameter >= static_cast<int>(params_->size())) {
        throw QueryError(ErrorKind::kInvalidInput,
                         "parameter $" + std::to_string(expr.parameter + 1) + " is not bound (" +
                             std::to_string(params_->size()) + " values given)",
                         expr.position);
      }
      return MakeBoundConstant((*params_)[expr.parameter], expr.position);
    }
    case ExpressionKind::kSubquery:
    case ExpressionKind::kExists:
    case ExpressionKind::kInSubquery:
      return BindSubquery(expr, ctx);
    case ExpressionKind::kColumnRef:
      return BindColumnRef(expr, ctx);
    case ExpressionKind::kStar:
      throw QueryError(ErrorKind::kBinder, "STAR expression is not allowed here", expr.position);
    case ExpressionKind::kFunction:
      if (expr.window) return BindWindow(expr, ctx);
      if (expr.nulls_treatment != NullsTreatment::kDefault) {
        throw QueryError(ErrorKind::kParser,
                         "RESPECT/IGNORE NULLS is only supported for window functions",
                         expr.position);
      }
      if (LookupAggregate(expr.name)) return BindAggregate(expr, ctx);
      if (expr.name == "grouping" || expr.name == "grouping_id") {
        return BindGroupingFunction(expr, ctx);
      }
      return BindFunction(expr, ctx);
    case ExpressionKind::kOperator:
      return BindOperator(expr, ctx);
    case ExpressionKind::kIsNull: {
      auto e = MakeNode(BoundKind::kIsNull, TypeId::kBoolean, expr.position);
      e->negated = expr.negated;
      e->children.push_back(Bind(*expr.children[0], ctx));
      return e;
    }
    case ExpressionKind::kBetween: {
      bool lit0 = IsStringLiteral(*expr.children[0]);
      auto ge = BindComparison(OpCode::kGe, Bind(*expr.children[0], ctx), lit0,
                               Bind(*expr.children[1], ctx), IsStringLiteral(*expr.children[1]),
                               expr.position);
      auto le = BindComparison(OpCode::kLe, Bind(*expr.children[0], ctx), lit0,
                               Bind(*expr.children[2], ctx), IsStringLiteral(*expr.children[2]),
                               expr.position);
      auto both = MakeNode(BoundKind::kAnd, TypeId::kBoolean, expr.position);
      both->children.push_back(std::move(ge));
      both->children.push_back(std::move(le));
      if (!expr.negated) return both;
      auto no = MakeNode(BoundKind::kNot, TypeId::kBoolean, expr.position);
      no->children.push_back(std::move(both));
      return no;
    }
    case ExpressionKind::kIn: {
      if (IsRowValue(*expr.children[0])) return BindRowIn(expr, ctx);
      auto e = MakeNode(BoundKind::kIn, TypeId::kBoolean, expr.position);
      e->negated = expr.negated;
      std::vector<bool> literals;
      for (const auto& c : expr.children) {
        e->children.push_back(Bind(*c, ctx));
        literals.push_back(IsStringLiteral(*c));
      }
      std::vector<BoundExpressionPtr*> all;
      for (auto& c : e->children) all.push_back(&c);
      UnifyTypes(all, literals, "IN list", expr.position);
      // A long constant list becomes a hash set (one probe per row).
      constexpr size_t kHashedInList = 8;
      if (e->children.size() > kHashedInList &&
          std::all_of(e->children.begin() + 1, e->children.end(),
                      [](const BoundExpressionPtr& c) { return c->IsConstant(); })) {
        std::vector<Value> values;
        for (size_t i = 1; i < e->children.size(); ++i) values.push_back(e->children[i]->value);
        e->in_set = std::make_shared<InSet>(e->children[0]->type, values);
        e->children.resize(1);
      }
      return e;
    }
    case ExpressionKind::kLike: {
      auto e = MakeNode(BoundKind::kLike, TypeId::kBoolean, expr.position);
      e->negated = expr.negated;
      e->case_insensitive = expr.op == "ILIKE";
      for (const auto& c : expr.children) {
        BoundExpressionPtr b = Bind(*c, ctx);
        if (b->type != TypeId::kVarchar && b->type != TypeId::kNull) {
          ThrowNoMatch(e->case_insensitive ? "~~*" : "~~",
                       {e->children.empty() ? b->type : e->children[0]->type, b->type},
                       expr.position);
        }
        e->children.push_back(MakeBoundCast(std::move(b), TypeId::kVarchar));
      }
      return e;
    }
    case ExpressionKind::kTry: {
      if (ContainsAggregate(*expr.children[0]) || ContainsWindow(*expr.children[0])) {
        throw QueryError(ErrorKind::kBinder,
                         "aggregates are not allowed inside the TRY expression", expr.position);
      }
      return MakeTry(Bind(*expr.children[0], ctx), expr.position);
    }
    case ExpressionKind::kCast: {
      if (expr.try_cast) {
        // TRY_CAST is TRY(CAST(...)): bound as the cast, then wrapped.
        ParsedExpression cast;
        cast.kind = ExpressionKind::kCast;
        cast.position = expr.position;
        cast.cast_type = expr.cast_type;
        cast.children.push_back(expr.children[0]->Copy());
        return MakeTry(Bind(cast, ctx), expr.position);
      }
      BoundExpressionPtr child = Bind(*expr.children[0], ctx);
      if (!CastExists(child->type, expr.cast_type)) {
        throw QueryError(ErrorKind::kConversion,
                         "Unimplemented type for cast (" + TypeStr(child->type) + " -> " +
                             TypeStr(expr.cast_type) + ")",
                         expr.position);
      }
      if (child->kind == BoundKind::kConstant && child->type != expr.cast_type) {
        // Fold now if the value converts; otherwise keep a runtime cast so
        // the error only surfaces when a row evaluates it (a CASE branch no
        // row takes never fails), as DuckDB's constant folding does.
        try {
          return MakeBoundCast(child->Copy(), expr.cast_type);
        } catch (const QueryError&) {
          auto e = MakeNode(BoundKind::kCast, expr.cast_type, expr.position);
          e->children.push_back(std::move(child));
          return e;
        }
      }
      return MakeBoundCast(std::move(child), expr.cast_type);
    }
    case ExpressionKind::kCase: {
      auto e = MakeNode(BoundKind::kCase, TypeId::kNull, expr.position);
      size_t pairs = (expr.children.size() - (expr.has_else ? 1 : 0)) / 2;
      std::vector<BoundExpressionPtr*> results;
      std::vector<bool> literals;
      for (size_t i = 0; i < pairs; ++i) {
        const ParsedExpression& when = *expr.children[2 * i];
        BoundExpressionPtr cond;
        if (expr.case_operand) {
          cond = BindComparison(OpCode::kEq, Bind(*expr.case_operand, ctx),
                                IsStringLiteral(*expr.case_operand), Bind(when, ctx),
                                IsStringLiteral(when), when.position);
        } else {
          cond = ToBoolean(Bind(when, ctx), IsStringLiteral(when), "CASE WHEN condition");
        }
        e->children.push_back(std::move(cond));
        e->children.push_back(Bind(*expr.children[2 * i + 1], ctx));
        literals.push_back(IsStringLiteral(*expr.children[2 * i + 1]));
      }
      if (expr.has_else) {
        e->children.push_back(Bind(*expr.children.back(), ctx));
        literals.push_back(IsStringLiteral(*expr.children.back()));
      } else {
        e->children.push_back(MakeBoundConstant(Value::Null(), expr.position));
        literals.push_back(false);
      }
      for (size_t i = 0; i < pairs; ++i) results.push_back(&e->children[2 * i + 1]);
      results.push_back(&e->children.back());
      UnifyTypes(results, literals, "CASE expression", expr.position);
      e->type = e->children.back()->type;
      return e;
    }
  }
  throw QueryError(ErrorKind::kInternal, "unknown expression kind", expr.position);
}

BoundExpressionPtr Binder::BindColumnRef(const ParsedExpression& expr, Context& ctx) {
  const std::string& column = expr.names.back();
  const std::string* table = expr.names.size() > 1 ? &expr.names[0] : nullptr;
  bool table_seen = false;
  std::vector<std::string> candidates;
  if (!table) {
    // A USING key is the column its name means, whatever else shares it.
    for (size_t i = 0; i < ctx.scope->size(); ++i) {
      const ScopeColumn& c = (*ctx.scope)[i];
      if (c.using_key && !c.using_hidden && EqualsIgnoreCase(c.name, column)) {
        return BindScopeColumn(*ctx.scope, i, false, expr.position);
      }
    }
  }
  for (size_t i = 0; i < ctx.scope->size(); ++i) {
    const ScopeColumn& c = (*ctx.scope)[i];
    if (table && !EqualsIgnoreCase(*table, c.table)) continue;
    if (!table && c.using_hidden) continue;
    table_seen = true;
    candidates.push_back(c.name);
    if (EqualsIgnoreCase(c.name, column)) {
      if (!table) {
        for (size_t j = i + 1; j < ctx.scope->size(); ++j) {
          const ScopeColumn& d = (*ctx.scope)[j];
          if (d.using_hidden) continue;
          if (EqualsIgnoreCase(d.name, column) && !EqualsIgnoreCase(d.table, c.table)) {
            throw QueryError(ErrorKind::kBinder,
                             "Ambiguous reference to column name \"" + column + "\" (use: \"" +
                                 c.table + "." + c.name + "\" or \"" + d.table + "." + d.name +
                                 "\")",
                             expr.position);
          }
        }
      }
      auto ref = MakeBoundColumn(static_cast<int>(i), c.type, c.name);
      ref->position = expr.position;
      return ref;
    }
  }
  if (!table && ctx.aliases) {
    const size_t visible = std::min(ctx.aliases->size(), ctx.alias_count);
    for (size_t k = 0; k < visible; ++k) {
      const auto& item = (*ctx.aliases)[k];
      if (item->alias.empty() || !EqualsIgnoreCase(item->alias, column)) continue;
      if (ContainsAggregate(*item) && !ctx.select) {
        throw QueryError(ErrorKind::kBinder,
                         std::string(ctx.clause) + " clause cannot contain aggregates!",
                         expr.position);
      }
      Context inner = ctx;
      inner.alias_count = k;  // an alias sees only the items before it
      return Bind(*item, inner);
    }
    for (size_t k = visible; k < ctx.aliases->size(); ++k) {
      if (EqualsIgnoreCase((*ctx.aliases)[k]->alias, column)) {
        throw QueryError(ErrorKind::kBinder,
                         "Column \"" + column +
                             "\" referenced that exists in the SELECT clause - but this column "
                             "cannot be referenced before it is defined",
                         expr.position);
      }
    }
  }
  if (BoundExpressionPtr outer = BindOuterColumn(expr)) return outer;
  if (table && !table_seen) {
    throw QueryError(ErrorKind::kBinder, "Referenced table \"" + *table + "\" not found!",
                     expr.position);
  }
  if (!table && ctx.scope->empty() && outer_scopes_.empty()) {
    throw QueryError(ErrorKind::kBinder,
                     "Referenced column \"" + column +
                         "\" was not found because the FROM clause is missing",
                     expr.position);
  }
  std::string message = "Referenced column \"" + column + "\" not found in FROM clause!";
  if (auto hint = ClosestMatch(column, candidates)) message += " Did you mean \"" + *hint + "\"?";
  throw QueryError(ErrorKind::kBinder, message, expr.position);
}

BoundExpressionPtr Binder::BindAggregate(const ParsedExpression& expr, Context& ctx) {
  if (ctx.in_aggregate) {
    throw QueryError(ErrorKind::kBinder, "aggregate function calls cannot be nested",
                     expr.position);
  }
  if (!ctx.select) {
    throw QueryError(ErrorKind::kBinder,
                     std::string("aggregate functions are not allowed in ") +
                         (*ctx.clause ? ctx.clause : "this context"),
                     expr.position);
  }
  BoundAggregate agg;
  agg.kind = *LookupAggregate(expr.name);
  agg.distinct = expr.distinct;
  if (expr.star || (agg.kind == AggregateKind::kCount && expr.children.empty())) {
    agg.kind = AggregateKind::kCountStar;
  }
  BindAggregateArguments(expr, ctx, &agg);
  if (agg.kind == AggregateKind::kCountStar) agg.type = TypeId::kBigint;
  BoundSelect* select = ctx.select;
  size_t index = 0;
  while (index < select->aggregates.size() && select->aggregates[index].display != agg.display) {
    ++index;
  }
  TypeId type = agg.type;
  if (index == select->aggregates.size()) select->aggregates.push_back(std::move(agg));
  auto ref =
      MakeBoundColumn(static_cast<int>(select->groups.size() + index), type, expr.ToString());
  ref->position = expr.position;
  return ref;
}

namespace {

[[noreturn]] void ThrowUnknownFunction(const ParsedExpression& expr) {
  std::string message = "Scalar Function with name " + expr.name + " does not exist!";
  std::vector<std::string> names = ScalarFunctionNames();
  for (std::string& n : AggregateFunctionNames()) names.push_back(std::move(n));
  for (const char* n : {"coalesce", "nullif", "typeof"}) names.push_back(n);
  if (auto hint = ClosestMatch(expr.name, names)) message += "\nDid you mean \"" + *hint + "\"?";
  throw QueryError(ErrorKind::kCatalog, message, expr.position);
}

}  // namespace

BoundExpressionPtr Binder::BindFunction(const ParsedExpression& expr, Context& ctx) {
  if (expr.star) {
    throw QueryError(ErrorKind::kBinder, "STAR expression is not allowed in " + expr.name + "()",
                     expr.position);
  }
  // An unknown name is reported before the arguments bind, so that
  // avrg(value) under GROUP BY says "Did you mean "avg"?" (as DuckDB does)
  // rather than that value must appear in the GROUP BY clause.
  if ((expr.name == "if" || expr.name == "iif") && expr.children.size() == 3 && !expr.window) {
    // DuckDB's if(c, a, b): CASE WHEN c THEN a ELSE b END.
    ParsedExpression rewritten;
    rewritten.kind = ExpressionKind::kCase;
    rewritten.position = expr.position;
    rewritten.has_else = true;
    for (const auto& c : expr.children) rewritten.children.push_back(c->Copy());
    return Bind(rewritten, ctx);
  }
  if (IsRowValue(expr)) {
    throw QueryError(ErrorKind::kNotImplemented,
                     "a row value (a, b, ...) or row(...) is supported only in comparisons and IN: "
                     "tslake has no STRUCT type",
                     expr.position);
  }
  bool known = false;
  FindScalarFunction(expr.name, {}, {}, &known);
  for (const char* n : {"coalesce", "ifnull", "nullif", "typeof", "current_setting"}) {
    known = known || expr.name == n;
  }
  if (!known) ThrowUnknownFunction(expr);
  if (expr.distinct || expr.filter || !expr.agg_order.empty()) {
    // Ignoring them would answer as if they were not written.
    throw QueryError(ErrorKind::kInvalidInput,
                     "Function \"" + expr.name +
                         "\" is a Scalar Function. \"DISTINCT\", \"FILTER\", and \"ORDER BY\" "
                         "are only applicable to aggregate functions.",
                     expr.position);
  }
  std::vector<BoundExpressionPtr> args;
  std::vector<bool> literals;
  for (const auto& c : expr.children) {
    args.push_back(Bind(*c, ctx));
    literals.push_back(IsStringLiteral(*c));
  }
  if (expr.name == "current_setting" && args.size() == 1 && args[0]->IsConstant() &&
      args[0]->type == TypeId::kVarchar && !args[0]->value.is_null()) {
    // The value now, as DuckDB folds it ("1.8 GiB" for memory_limit).
    return MakeBoundConstant(Value::Varchar(CurrentSetting(args[0]->value.string_value())),
                             expr.position);
  }
  if (expr.name == "typeof" && args.size() == 1) {  // folded, as DuckDB does
    const TypeId t = args[0]->type;
    return MakeBoundConstant(
        Value::Varchar(t == TypeId::kNull ? "\"NULL\"" : std::string(TypeName(t))), expr.position);
  }
  if (expr.name == "coalesce" || expr.name == "ifnull") {
    if (args.empty() || (expr.name == "ifnull" && args.size() != 2)) {
      ThrowNoMatch(expr.name, {}, expr.position);
    }
    auto e = MakeNode(BoundKind::kCoalesce, TypeId::kNull, expr.position);
    e->children = std::move(args);
    std::vector<BoundExpressionPtr*> all;
    for (auto& c : e->children) all.push_back(&c);
    UnifyTypes(all, literals, "COALESCE", expr.position);
    e->type = e->children[0]->type;
    return e;
  }
  if (expr.name == "nullif" && args.size() == 2) {
    BoundExpressionPtr value = args[0]->Copy();
    auto cond = BindComparison(OpCode::kEq, std::move(args[0]), literals[0], std::move(args[1]),
                               literals[1], expr.position);
    auto e = MakeNode(BoundKind::kCase, value->type, expr.position);
    e->children.push_back(std::move(cond));
    e->children.push_back(MakeBoundConstant(Value::Null(value->type), expr.position));
    e->children.push_back(std::move(value));
    return e;
  }
  std::string name = expr.name;
  if ((name == "date_part" || name == "datepart") && args.size() == 2 && args[0]->IsConstant() &&
      args[0]->type == TypeId::kVarchar && !args[0]->value.is_null() &&
      EqualsIgnoreCase(args[0]->value.string_value(), "epoch")) {
    // DuckDB types date_part by its part: 'epoch' (also EXTRACT(epoch FROM x))
    // is epoch(x), DOUBLE seconds with the fraction, where the other parts
    // are BIGINT.
    args.erase(args.begin());
    literals.erase(literals.begin());
    name = "epoch";
  }
  std::vector<TypeId> types;
  for (const auto& a : args) types.push_back(a->type);
  bool name_exists = false;
  if ((name == "strptime" || name == "try_strptime") && args.size() == 2 &&
      args[1]->IsConstant() && args[1]->type == TypeId::kVarchar && !args[1]->value.is_null() &&
      FormatHasZone(args[1]->value.string_value())) {
    name += "_tz";  // DuckDB types strptime by its format: %z/%Z give a TIMESTAMPTZ
  }
  const ScalarFunction* f = FindScalarFunction(name, types, literals, &name_exists);
  if (!f) {
    if (name_exists) ThrowNoMatch(expr.name, types, expr.position);
    ThrowUnknownFunction(expr);
  }
  auto e = MakeNode(BoundKind::kFunction, f->return_type, expr.position);
  e->function = f;
  e->name = f->name;
  for (size_t i = 0; i < args.size(); ++i) {
    const TypeId to = f->ArgType(i, args[i]->type);
    e->children.push_back(MakeBoundCast(std::move(args[i]), to));
  }
  if (f->flags & kScalarSessionZone) {
    e->children.push_back(
        MakeBoundConstant(Value::Varchar(CurrentTimeZone()->name()), expr.position));
  }
  if (f->flags & kScalarFoldAtBind) {
    return MakeBoundConstant(ExpressionExecutor::EvaluateScalar(*e), expr.position);
  }
  return e;
}

BoundExpressionPtr Binder::BindOperatorFunction(const std::string& op,
                                                std::vector<BoundExpressionPtr> args,
                                                const std::vector<bool>& literals, int position) {
  std::vector<TypeId> types;
  for (const auto& a : args) types.push_back(a->type);
  bool name_exists = false;
  const ScalarFunction* f = FindScalarFunction(op, types, literals, &name_exists);
  if (!f) ThrowNoMatch(op, types, position);
  auto e = MakeNode(BoundKind::kFunction, f->return_type, position);
  e->function = f;
  e->name = f->name;
  for (size_t i = 0; i < args.size(); ++i) {
    const TypeId to = f->ArgType(i, args[i]->type);
    e->children.push_back(MakeBoundCast(std::move(args[i]), to));
  }
  return e;
}

BoundExpressionPtr Binder::BindOperator(const ParsedExpression& expr, Context& ctx) {
  const std::string& op = expr.op;
  if (expr.children.size() == 2 && (IsRowValue(*expr.children[0]) || IsRowValue(*expr.children[1])) &&
      (op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=")) {
    return BindRowComparison(expr, ctx);
  }
  if (expr.children.size() > 2 && ctx.group_keys && !ctx.in_aggregate && op != "AND" &&
      op != "OR") {
    // Under GROUP BY a prefix of the chain (a + b of a + b + c) may be a
    // group key, which only a node of its own can match: bind the nested
    // binary form DuckDB parses (its depth counts against the limit).
    // DuckDB's AND/OR are n-ary, so no prefix of them matches there either.
    ParsedExpressionPtr nested = expr.children[0]->Copy();
    for (size_t i = 1; i < expr.children.size(); ++i) {
      auto node = std::make_unique<ParsedExpression>();
      node->kind = ExpressionKind::kOperator;
      node->op = op;
      node->position = expr.position;
      node->children.push_back(std::move(nested));
      node->children.push_back(expr.children[i]->Copy());
      nested = std::move(node);
    }
    return Bind(*nested, ctx);
  }
  if (op == "AND" || op == "OR") {
    auto e =
        MakeNode(op == "AND" ? BoundKind::kAnd : BoundKind::kOr, TypeId::kBoolean, expr.position);
    for (const auto& c : expr.children) {
      BoundExpressionPtr b = ToBoolean(Bind(*c, ctx), IsStringLiteral(*c), op.c_str());
      if (b->kind == e->kind) {  // flatten a AND b AND c
        for (auto& g : b->children) e->children.push_back(std::move(g));
      } else {
        e->children.push_back(std::move(b));
      }
    }
    return e;
  }
  if (op == "NOT") {
    auto e = MakeNode(BoundKind::kNot, TypeId::kBoolean, expr.position);
    e->children.push_back(
        ToBoolean(Bind(*expr.children[0], ctx), IsStringLiteral(*expr.children[0]), "NOT"));
    return e;
  }
  if (op == "NEG") {
    BoundExpressionPtr child = Bind(*expr.children[0], ctx);
    TypeId t = child->type == TypeId::kNull ? TypeId::kInteger : child->type;
    if (!IsNumeric(t) && t != TypeId::kInterval) ThrowNoMatch("-", {t}, expr.position);
    return MakeOp(OpCode::kNeg, t, expr.position, MakeBoundCast(std::move(child), t));
  }
  if (op == "&" || op == "|" || op == "<<" || op == ">>" || op == "~") {
    // DuckDB's bitwise operators are functions of those names
    // (math_functions_more.cc): a chain folds left to right.
    BoundExpressionPtr acc = Bind(*expr.children[0], ctx);
    bool acc_literal = IsStringLiteral(*expr.children[0]);
    if (op == "~") {
      std::vector<BoundExpressionPtr> args;
      args.push_back(std::move(acc));
      return BindOperatorFunction(op, std::move(args), {acc_literal}, expr.position);
    }
    for (size_t i = 1; i < expr.children.size(); ++i) {
      std::vector<BoundExpressionPtr> args;
      args.push_back(std::move(acc));
      args.push_back(Bind(*expr.children[i], ctx));
      acc = BindOperatorFunction(op, std::move(args), {acc_literal, IsStringLiteral(*expr.children[i])},
                                 expr.position);
      acc_literal = false;
    }
    return acc;
  }
  // A chain (a + b + c, the parser's n-ary node) folds left to right with
  // DuckDB's typing at every step; while a step keeps the operator and the
  // type and inserts no cast, its right side joins the node of the step
  // before, so the bound tree stays as flat as the parsed one (the
  // executor folds it the same way: ExpressionExecutor's chain).
  const bool comparison =
      op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=";
  BoundExpressionPtr acc = Bind(*expr.children[0], ctx);
  bool acc_literal = IsStringLiteral(*expr.children[0]);
  for (size_t i = 1; i < expr.children.size(); ++i) {
    const ParsedExpression& c = *expr.children[i];
    BoundExpressionPtr right = Bind(c, ctx);
    // DuckDB's integer literals take a narrower integer type they fit:
    // TINYINT + 1 is TINYINT, s = 5 compares as SMALLINT.
    NarrowIntegerLiteral(c, acc->type, &right);
    if (i == 1) NarrowIntegerLiteral(*expr.children[0], right->type, &acc);
    BoundExpression* before = acc.get();
    BoundExpressionPtr step =
        comparison ? BindComparison(ComparisonOp(op), std::move(acc), acc_literal,
                                    std::move(right), IsStringLiteral(c), expr.position)
                   : BindArithmetic(op, std::move(acc), acc_literal, std::move(right),
                                    IsStringLiteral(c), expr.position);
    if (!comparison && step->kind == BoundKind::kOperator && step->children.size() == 2 &&
        step->children[0].get() == before && before->kind == BoundKind::kOperator &&
        before->op == step->op && before->type == step->type && before->children.size() >= 2) {
      before->children.push_back(std::move(step->children[1]));
      acc = std::move(step->children[0]);
    } else {
      acc = std::move(step);
    }
    acc_literal = false;
  }
  return acc;
}

void Binder::NarrowIntegerLiteral(const ParsedExpression& parsed, TypeId other,
                                  BoundExpressionPtr* bound) {
  if (parsed.kind != ExpressionKind::kConstant || parsed.string_literal ||
      !IsIntegral(parsed.value.type()) || parsed.value.is_null())
    return;
  if (!IsIntegral(other) || IntegralRank(other) >= IntegralRank(parsed.value.type())) return;
  const int64_t v = parsed.value.int_value();
  if (v < IntegralMin(other) || v > IntegralMax(other)) return;
  *bound = MakeBoundCast(std::move(*bound), other);
}

BoundExpressionPtr Binder::BindComparison(OpCode op, BoundExpressionPtr left, bool left_literal,
                                          BoundExpressionPtr right, bool right_literal,
                                          int position) {
  TypeId lt = left->type, rt = right->type;
  TypeId target = lt;
  if (lt == rt) {
    target = lt == TypeId::kNull ? TypeId::kInteger : lt;
  } else if (lt == TypeId::kNull) {
    target = rt;
  } else if (rt == TypeId::kNull) {
    target = lt;
  } else if (IsNumeric(lt) && IsNumeric(rt)) {
    target = MaxNumeric(lt, rt);
  } else if (TemporalUnion(lt, rt) != TypeId::kNull) {
    target = TemporalUnion(lt, rt);
  } else if (IsList(lt) && IsList(rt) && CommonListType(lt, rt) != TypeId::kNull) {
    target = CommonListType(lt, rt);
  } else if (left_literal && lt == TypeId::kVarchar) {
    target = rt;
  } else if (right_literal && rt == TypeId::kVarchar) {
    target = lt;
  } else {
    throw QueryError(ErrorKind::kBinder,
                     "Cannot compare values of type " + TypeStr(lt) + " and type " + TypeStr(rt) +
                         " - an explicit cast is required",
                     position);
  }
  return MakeOp(op, TypeId::kBoolean, position, MakeComparisonCast(std::move(left), target),
                MakeComparisonCast(std::move(right), target));
}

BoundExpressionPtr Binder::BindArithmetic(const std::string& op, BoundExpressionPtr left,
                                          bool left_literal, BoundExpressionPtr right,
                                          bool right_literal, int position) {
  if (op == "||" && (IsList(left->type) || IsList(right->type))) {
    // list || list: list_concat, NULL when either side is (DuckDB).
    const TypeId lt = left->type == TypeId::kNull ? right->type : left->type;
    const TypeId rt = right->type == TypeId::kNull ? left->type : right->type;
    const TypeId common = IsList(lt) && IsList(rt) ? CommonListType(lt, rt) : TypeId::kNull;
    if (common == TypeId::kNull) ThrowNoMatch("||", {left->type, right->type}, position);
    bool exists = false;
    const ScalarFunction* f =
        FindScalarFunction("$list_concat_operator", {common, common}, {false, false}, &exists);
    if (!f) ThrowNoMatch("||", {left->type, right->type}, position);
    auto e = MakeNode(BoundKind::kFunction, common, position);
    e->function = f;
    e->name = "list_concat";
    e->children.push_back(MakeBoundCast(std::move(left), common));
    e->children.push_back(MakeBoundCast(std::move(right), common));
    return e;
  }
  if (op == "||") {
    // BLOB || BLOB concatenates the bytes (a NULL or quoted literal side
    // is read as a BLOB); BLOB || VARCHAR is text concatenation (DuckDB).
    const auto blobish = [](const BoundExpressionPtr& e, bool literal) {
      return e->type == TypeId::kBlob || e->type == TypeId::kNull ||
             (literal && e->type == TypeId::kVarchar);
    };
    if ((left->type == TypeId::kBlob || right->type == TypeId::kBlob) &&
        blobish(left, left_literal) && blobish(right, right_literal)) {
      return MakeOp(OpCode::kConcat, TypeId::kBlob, position,
                    MakeBoundCast(std::move(left), TypeId::kBlob),
                    MakeBoundCast(std::move(right), TypeId::kBlob));
    }
    return MakeOp(OpCode::kConcat, TypeId::kVarchar, position,
                  MakeBoundCast(std::move(left), TypeId::kVarchar),
                  MakeBoundCast(std::move(right), TypeId::kVarchar));
  }
  TypeId lt = left->type, rt = right->type;
  // NULL and quoted literals take the other side's type.
  if (lt == TypeId::kNull && rt == TypeId::kNull) lt = rt = TypeId::kInteger;
  if (lt == TypeId::kNull || (left_literal && lt == TypeId::kVarchar && rt != TypeId::kVarchar)) {
    lt = (rt == TypeId::kInterval && left_literal) ? TypeId::kTimestamp : rt;
    if (rt == TypeId::kTimestampTz && left_literal) lt = TypeId::kTimestampTz;
    if (rt == TypeId::kDate) lt = left->type == TypeId::kNull ? TypeId::kInteger : left->type;
  }
  if (rt == TypeId::kNull || (right_literal && rt == TypeId::kVarchar && lt != TypeId::kVarchar)) {
    rt = IsTimestampType(lt) || lt == TypeId::kTime ? TypeId::kInterval : lt;
    // DATE + NULL is +(DATE, INTEGER) in DuckDB; DATE - 'text' is ambiguous
    // there (no match here).
    if (lt == TypeId::kDate) rt = right->type == TypeId::kNull ? TypeId::kInteger : right->type;
  }
  OpCode code = op == "+"    ? OpCode::kAdd
                : op == "-"  ? OpCode::kSub
                : op == "*"  ? OpCode::kMul
                : op == "/"  ? OpCode::kDiv
                : op == "//" ? OpCode::kIntDiv
                             : OpCode::kMod;
  TypeId result;
  TypeId lcast = lt, rcast = rt;
  TypeId ts = TypeId::kTimestamp;
  const TypeId iv = TypeId::kInterval;
  // TIMESTAMPTZ arithmetic is TIMESTAMP's on the UTC instant (a TIMESTAMP
  // or DATE operand becomes a TIMESTAMPTZ in the session's zone first).
  if ((lt == TypeId::kTimestampTz || rt == TypeId::kTimestampTz) &&
      (lt == TypeId::kTimestampTz || lt == iv || lt == TypeId::kTimestamp || lt == TypeId::kDate) &&
      (rt == TypeId::kTimestampTz || rt == iv || rt == TypeId::kTimestamp || rt == TypeId::kDate) &&
      (code == OpCode::kAdd || code == OpCode::kSub) && !(lt == iv && rt == iv)) {
    ts = TypeId::kTimestampTz;
    if (lt != iv) lt = lcast = ts;
    if (rt != iv) rt = rcast = ts;
  }
  if (IsNumeric(lt) && IsNumeric(rt) && (IsDecimal(lt) || IsDecimal(rt)) &&
      lt != TypeId::kDouble && rt != TypeId::kDouble) {
    BindDecimalArithmetic(&code, lt, rt, &result, &lcast, &rcast);
  } else if (IsNumeric(lt) && IsNumeric(rt)) {
    result = code == OpCode::kDiv ? TypeId::kDouble : MaxNumeric(lt, rt);
    lcast = rcast = result;
  } else if (lt == TypeId::kDate || rt == TypeId::kDate) {
    DateArithmetic d;
    if (!ResolveDateArithmetic(code, lt, rt, &d)) ThrowNoMatch(op, {left->type, right->type}, position);
    if (d.swap) std::swap(left, right);
    lcast = d.left_cast;
    rcast = d.right_cast;
    result = d.result;
  } else if ((code == OpCode::kAdd || code == OpCode::kSub) && lt == TypeId::kTime && rt == iv) {
    result = TypeId::kTime;  // wraps around midnight (execution/interval_arithmetic.h)
  } else if (code == OpCode::kAdd && lt == iv && rt == TypeId::kTime) {
    result = TypeId::kTime;
    std::swap(left, right);
    std::swap(lcast, rcast);
  } else if (code == OpCode::kAdd && lt == ts && rt == iv) {
    result = ts;
  } else if (code == OpCode::kAdd && lt == iv && rt == ts) {
    result = ts;
    std::swap(left, right);
    std::swap(lcast, rcast);
  } else if (code == OpCode::kSub && lt == ts && rt == iv) {
    result = ts;
  } else if (code == OpCode::kSub && lt == ts && rt == ts) {
    result = iv;
  } else if ((code == OpCode::kAdd || code == OpCode::kSub) && lt == iv && rt == iv) {
    result = iv;
  } else if (code == OpCode::kMul && lt == iv && IsIntegral(rt)) {
    result = iv;
    rcast = TypeId::kBigint;
  } else if (code == OpCode::kMul && IsIntegral(lt) && rt == iv) {
    result = iv;
    std::swap(left, right);
    lcast = iv;
    rcast = TypeId::kBigint;
  } else if ((code == OpCode::kMul || code == OpCode::kDiv) && lt == iv && IsNumeric(rt)) {
    // INTERVAL * DOUBLE, INTERVAL / number (execution/interval_arithmetic.h)
    result = iv;
    rcast = TypeId::kDouble;
  } else if (code == OpCode::kMul && rt == iv && (lt == TypeId::kDouble || IsDecimal(lt))) {
    // DOUBLE or DECIMAL * INTERVAL (`2.5 * INTERVAL '1 month'`: 2.5 is a DECIMAL)
    result = iv;
    std::swap(left, right);
    lcast = iv;
    rcast = TypeId::kDouble;
  } else {
    ThrowNoMatch(op, {left->type, right->type}, position);
  }
  BoundExpressionPtr bound = MakeOp(code, result, position, MakeBoundCast(std::move(left), lcast),
                                    MakeBoundCast(std::move(right), rcast));
  // TIMESTAMPTZ +/- INTERVAL: months and days on the session zone's calendar
  // (execution/interval_arithmetic.h).
  if (result == TypeId::kTimestampTz) bound->zone = CurrentTimeZone();
  return bound;
}

BoundExpressionPtr Binder::ToBoolean(BoundExpressionPtr e, bool literal, const char* what) {
  if (e->type == TypeId::kBoolean) return e;
  if (e->type == TypeId::kNull || (literal && e->type == TypeId::kVarchar) || IsIntegral(e->type)) {
    return MakeBoundCast(std::move(e), TypeId::kBoolean);
  }
  throw QueryError(ErrorKind::kBinder,
                   std::string(what) + " must be a BOOLEAN expression, got " + TypeStr(e->type),
                   e->position);
}

void Binder::UnifyTypes(std::vector<BoundExpressionPtr*> exprs, const std::vector<bool>& literals,
                        const char* what, int position) {
  TypeId target = TypeId::kNull;
  bool any_literal = false;
  for (size_t i = 0; i < exprs.size(); ++i) {
    TypeId t = (*exprs[i])->type;
    if (t == TypeId::kNull) continue;
    if (literals[i] && t == TypeId::kVarchar) {
      any_literal = true;
      continue;
    }
    if (target == TypeId::kNull || target == t) {
      target = t;
    } else if (IsNumeric(target) && IsNumeric(t)) {
      target = MaxNumeric(target, t);
    } else if (TemporalUnion(target, t) != TypeId::kNull) {
      target = TemporalUnion(target, t);
    } else if (IsList(target) && IsList(t) && CommonListType(target, t) != TypeId::kNull) {
      target = CommonListType(target, t);
    } else {
      throw QueryError(ErrorKind::kBinder,
                       std::string("Cannot mix values of type ") + TypeStr(target) + " and " +
                           TypeStr(t) + " in " + what + " - an explicit cast is required",
                       (*exprs[i])->position >= 0 ? (*exprs[i])->position : position);
    }
  }
  if (target == TypeId::kNull && any_literal) target = TypeId::kVarchar;
  if (target == TypeId::kNull) return;
  for (BoundExpressionPtr* e : exprs) *e = MakeBoundCast(std::move(*e), target);
}

}  // namespace tsl::query
