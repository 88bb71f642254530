// Subqueries in expressions: scalar (SELECT ...), [NOT] EXISTS and
// x [NOT] IN (SELECT ...). An uncorrelated one runs once while binding and
// becomes a constant (IN: a hash set probed once per row). A correlated one
// (it names a column of the enclosing query) becomes a kSubquery node whose
// CorrelatedSubquery binds, plans and runs the subquery once per distinct
// value of the outer columns it uses, with those columns substituted as
// constants, and caches the result per key; scan filter pushdown then sees
// `p2.tag = 'x'`. See binder.h.
// Thread-safety: Binder is per statement; CorrelatedSubquery::Evaluate may
// be called from several threads (the cache is under a mutex).
#include <unordered_map>

#include "query/binder/binder.h"

#include "formats/mutex.h"
#include "query/common/query_error.h"
#include "query/execution/memory_tracker.h"
#include "query/functions/cast_function.h"
#include "query/planner/planner.h"

namespace tsl::query {
namespace {

bool IsStringLiteral(const ParsedExpression& e) {
  return (e.kind == ExpressionKind::kConstant && e.string_literal) ||
         e.kind == ExpressionKind::kParameter;
}

// What a subquery produced: its only row's value (scalar), whether it had
// a row (EXISTS), or its values (IN).
struct SubqueryResult {
  Value scalar;
  bool any = false;
  int64_t rows = 0;  // decorrelated scalar: rows of the key (more than 1 is an error)
  std::shared_ptr<const InSet> set;
  // Quantified comparisons (x > ALL (...)): the least and greatest non-NULL
  // value (NULL when there is none) and whether a NULL came.
  Value min, max;
  bool has_null = false;
};

// Fills r's min/max/has_null from `values` (all of one type or NULL).
void Summarize(const std::vector<Value>& values, SubqueryResult* r) {
  for (const Value& v : values) {
    if (v.is_null()) {
      r->has_null = true;
      continue;
    }
    if (r->min.is_null() || v.Compare(r->min) < 0) r->min = v;
    if (r->max.is_null() || v.Compare(r->max) > 0) r->max = v;
  }
}

// Whether `a op b` holds, for two non-NULL values of one type.
bool CompareHolds(const std::string& op, const Value& a, const Value& b) {
  const int c = a.Compare(b);
  if (op == "<") return c < 0;
  if (op == "<=") return c <= 0;
  if (op == ">") return c > 0;
  if (op == ">=") return c >= 0;
  if (op == "=") return c == 0;
  return c != 0;  // "<>"
}

// x op ANY|ALL (values), by SQL's three-valued rules, from the values'
// summary: ANY is true when some value makes `x op v` true, ALL false when
// some value makes it false (only the least or greatest can decide either);
// otherwise a NULL among the values (or x NULL) makes the answer NULL.
// No values: ANY false, ALL true, even for a NULL x.
Value QuantifiedCompare(const std::string& op, bool all, const Value& x, const SubqueryResult& r) {
  if (!r.any) return Value::Boolean(all);
  if (x.is_null()) return Value::Null(TypeId::kBoolean);
  bool decided = false;
  if (!r.min.is_null()) {
    if (!all) {
      // Some v with x op v: for < / <= the greatest is the best candidate,
      // for > / >= the least, for <> either extreme that differs from x.
      if (op == "<" || op == "<=") decided = CompareHolds(op, x, r.max);
      else if (op == ">" || op == ">=") decided = CompareHolds(op, x, r.min);
      else decided = CompareHolds("<>", x, r.min) || CompareHolds("<>", x, r.max);  // <>
    } else {
      // Some v with NOT (x op v).
      if (op == "<" || op == "<=") decided = !CompareHolds(op, x, r.min);
      else if (op == ">" || op == ">=") decided = !CompareHolds(op, x, r.max);
      else decided = CompareHolds("<>", x, r.min) || CompareHolds("<>", x, r.max);  // =
    }
  }
  if (decided) return Value::Boolean(!all);
  if (r.has_null) return Value::Null(TypeId::kBoolean);
  return Value::Boolean(all);
}

// Runs a planned subquery of `kind`; IN values are cast to `in_type`.
SubqueryResult RunSubquery(PhysicalOperator* root, ExpressionKind kind, TypeId type,
                           TypeId in_type, int position, const ExecutionContext& ctx) {
  SubqueryResult r;
  DataChunk chunk;
  if (kind == ExpressionKind::kExists) {
    r.any = root->Next(&chunk);
    return r;
  }
  if (kind == ExpressionKind::kSubquery) {
    r.scalar = Value::Null(type);
    int64_t rows = 0;
    while (root->Next(&chunk)) {
      ctx.CheckCancelled();
      rows += static_cast<int64_t>(chunk.size());
      if (rows > 1) {
        throw QueryError(ErrorKind::kInvalidInput,
                         "More than one row returned by a subquery used as an expression - "
                         "scalar subqueries can only return a single row.",
                         position);
      }
      r.scalar = chunk.columns[0].GetValue(0);
    }
    r.any = rows > 0;
    return r;
  }
  std::vector<Value> values;
  while (root->Next(&chunk)) {
    ctx.CheckCancelled();
    for (size_t i = 0; i < chunk.size(); ++i) {
      Value v = chunk.columns[0].GetValue(i);
      if (!v.is_null() && v.type() != in_type) v = CastValue(v, in_type);
      values.push_back(std::move(v));
    }
  }
  r.any = !values.empty();
  Summarize(values, &r);
  r.set = std::make_shared<InSet>(in_type, values);
  return r;
}

}  // namespace

// An uncorrelated quantified comparison: the subquery's values were read
// once at bind time; each row's x is compared with their summary.
class QuantifiedOverValues : public SubqueryEvaluator {
 public:
  QuantifiedOverValues(std::string op, bool all, TypeId in_type, SubqueryResult r,
                       std::string text)
      : op_(std::move(op)), all_(all), in_type_(in_type), r_(std::move(r)), text_(std::move(text)) {}
  Value Evaluate(const std::vector<Value>&, const Value& probe) override {
    Value x = probe;
    if (!x.is_null() && x.type() != in_type_) x = CastValue(x, in_type_);
    return QuantifiedCompare(op_, all_, x, r_);
  }
  bool HasProbe() const override { return true; }
  std::string ToString() const override {
    return op_ + (all_ ? " ALL(" : " ANY(") + text_ + ")";
  }

 private:
  std::string op_;
  bool all_;
  TypeId in_type_;
  SubqueryResult r_;
  std::string text_;
};

// Binds and runs one correlated subquery per distinct outer key.
class CorrelatedSubquery : public SubqueryEvaluator {
 public:
  CorrelatedSubquery(const Binder& outer, const ParsedExpression& expr,
                     std::vector<Binder::ScopeColumn> columns, TypeId type, TypeId in_type)
      : db_(outer.db_),
        functions_(outer.functions_),
        ctx_(outer.exec_ctx_),
        select_(expr.subquery),
        kind_(expr.kind),
        negated_(expr.negated),
        op_(expr.op),
        quantifier_all_(expr.quantifier_all),
        position_(expr.position),
        text_(expr.subquery_text),
        columns_(std::move(columns)),
        type_(type),
        in_type_(in_type) {
    if (outer.params_) params_ = *outer.params_;
    // The CTEs in scope, copied: a view's parse tree is gone after binding.
    for (const Binder::CteScope& c : outer.ctes_) ctes_.push_back(*c.cte);
  }

  bool HasProbe() const override { return kind_ == ExpressionKind::kInSubquery; }

  std::string ToString() const override {
    std::string out = kind_ == ExpressionKind::kExists      ? (negated_ ? "NOT EXISTS" : "EXISTS")
                      : !op_.empty()                         ? op_ + (quantifier_all_ ? " ALL" : " ANY")
                      : kind_ == ExpressionKind::kInSubquery ? (negated_ ? "NOT IN" : "IN")
                                                             : "SUBQUERY";
    return out + (batch_node_ ? " decorrelated(" : " correlated(") + text_ + ")";
  }

  // Runs `node` (Binder::Decorrelate's rewrite) once, on first use, for
  // all keys; `key_columns[i]` is the key index of its output column i.
  void SetDecorrelated(std::shared_ptr<const SelectNode> node, std::vector<size_t> key_columns) {
    batch_node_ = std::move(node);
    batch_keys_ = std::move(key_columns);
  }

  Value Evaluate(const std::vector<Value>& keys, const Value& probe) override {
    std::string key = EncodeKey(keys);
    std::shared_ptr<const SubqueryResult> r;
    bool decorrelated = false;
    {
      tsl::MutexLock lock(mu_);
      if (batch_node_ && !batch_done_) {
        batch_done_ = true;
        batch_active_ = RunDecorrelated();
      }
      decorrelated = batch_active_;
      auto it = cache_.find(key);
      if (it != cache_.end()) r = it->second;
      if (!r && decorrelated && empty_) r = empty_;
    }
    if (!r) {
      // Run outside the lock (a parallel plan inside must not wait on it).
      // Decorrelated, a key not in the result is the subquery over no rows.
      std::vector<Value> nulls(keys.size());
      r = std::make_shared<const SubqueryResult>(Run(decorrelated ? nulls : keys));
      tsl::MutexLock lock(mu_);
      if (decorrelated) {
        empty_ = r;
      } else {
        cache_.emplace(key, r);
      }
    }
    if (kind_ == ExpressionKind::kSubquery && r->rows > 1) {
      throw QueryError(ErrorKind::kInvalidInput,
                       "More than one row returned by a subquery used as an expression - "
                       "scalar subqueries can only return a single row.",
                       position_);
    }
    switch (kind_) {
      case ExpressionKind::kExists:
        return Value::Boolean(r->any != negated_);
      case ExpressionKind::kInSubquery: {
        if (!r->any) return Value::Boolean(negated_);  // empty: FALSE / TRUE, even for NULL
        Value x = probe;
        if (!x.is_null() && x.type() != in_type_) x = CastValue(x, in_type_);
        if (!op_.empty()) return QuantifiedCompare(op_, quantifier_all_, x, *r);
        int found = r->set->Probe(x);
        if (found < 0) return Value::Null(TypeId::kBoolean);
        return Value::Boolean((found == 1) != negated_);
      }
      default:
        return r->scalar;
    }
  }

 private:
  SubqueryResult Run(const std::vector<Value>& keys) {
    Binder binder(db_, functions_);
    binder.SetExecutionContext(ctx_);
    binder.SetParameters(&params_);
    for (const CommonTableExpression& c : ctes_) binder.ctes_.push_back({&c, false});
    for (size_t i = 0; i < keys.size(); ++i) {
      Value v = keys[i];
      if (v.is_null()) v = Value::Null(columns_[i].type);
      binder.substitutions_.push_back({columns_[i], std::move(v)});
    }
    std::unique_ptr<BoundSelect> sub = binder.BindSelect(*select_);
    std::unique_ptr<PhysicalOperator> root = Planner(ctx_).Plan(*sub);
    return RunSubquery(root.get(), kind_, type_, in_type_, position_, ctx_);
  }

  static std::string EncodeKey(const std::vector<Value>& keys) {
    std::string key;
    for (const Value& k : keys) {
      key += k.is_null() ? std::string("\x01N") : "\x02" + k.ToString();
      key += '\x1f';
    }
    return key;
  }

  // Fills cache_ from one run of the decorrelated query; false (and
  // nothing cached) when its key types differ from the outer columns'.
  bool RunDecorrelated() REQUIRES(mu_) {
    Binder binder(db_, functions_);
    binder.SetExecutionContext(ctx_);
    binder.SetParameters(&params_);
    for (const CommonTableExpression& c : ctes_) binder.ctes_.push_back({&c, false});
    std::unique_ptr<BoundSelect> sub = binder.BindSelect(*batch_node_);
    auto integer = [](TypeId t) { return t == TypeId::kInteger || t == TypeId::kBigint; };
    for (size_t i = 0; i < batch_keys_.size(); ++i) {
      const TypeId inner = sub->output.fields[i].type, outer = columns_[batch_keys_[i]].type;
      if (inner != outer && !(integer(inner) && integer(outer))) return false;
    }
    std::unique_ptr<PhysicalOperator> root = Planner(ctx_).Plan(*sub);
    std::unordered_map<std::string, SubqueryResult> results;
    std::unordered_map<std::string, std::vector<Value>> in_values;
    std::vector<Value> keys(columns_.size());
    const size_t value_column = batch_keys_.size();
    DataChunk chunk;
    while (root->Next(&chunk)) {
      ctx_.CheckCancelled();
      for (size_t row = 0; row < chunk.size(); ++row) {
        bool null_key = false;
        for (size_t i = 0; i < batch_keys_.size(); ++i) {
          keys[batch_keys_[i]] = chunk.columns[i].GetValue(row);
          null_key = null_key || keys[batch_keys_[i]].is_null();
        }
        if (null_key) continue;  // `inner = outer` is never true for NULL
        std::string key = EncodeKey(keys);
        auto [it, added] = results.try_emplace(key);
        if (added) memory_.Grow(static_cast<int64_t>(key.size()) + 96);
        SubqueryResult& r = it->second;
        r.any = true;
        ++r.rows;
        if (kind_ == ExpressionKind::kSubquery) {
          r.scalar = chunk.columns[value_column].GetValue(row);
        } else if (kind_ == ExpressionKind::kInSubquery) {
          Value v = chunk.columns[value_column].GetValue(row);
          if (!v.is_null() && v.type() != in_type_) v = CastValue(v, in_type_);
          memory_.Grow(32);
          in_values[key].push_back(std::move(v));
        }
      }
    }
    for (auto& [key, r] : results) {
      if (kind_ == ExpressionKind::kInSubquery) {
        Summarize(in_values[key], &r);
        r.set = std::make_shared<InSet>(in_type_, in_values[key]);
      }
      cache_.emplace(key, std::make_shared<const SubqueryResult>(std::move(r)));
    }
    return true;
  }

  Database* db_;
  const TableFunctionRegistry* functions_;
  ExecutionContext ctx_;
  std::shared_ptr<const SelectNode> select_;
  std::shared_ptr<const SelectNode> batch_node_;
  std::vector<size_t> batch_keys_;
  bool batch_done_ GUARDED_BY(mu_) = false;
  bool batch_active_ GUARDED_BY(mu_) = false;
  std::shared_ptr<const SubqueryResult> empty_ GUARDED_BY(mu_);
  MemoryReservation memory_{"CORRELATED SUBQUERY (decorrelated)"};
  ExpressionKind kind_;
  bool negated_;
  std::string op_;  // a quantified comparison's operator (kInSubquery), else empty
  bool quantifier_all_;
  int position_;
  std::string text_;
  std::vector<Binder::ScopeColumn> columns_;
  TypeId type_;     // scalar: the result type
  TypeId in_type_;  // IN: the type probe and values compare in
  std::vector<Value> params_;
  std::vector<CommonTableExpression> ctes_;
  tsl::Mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const SubqueryResult>> cache_ GUARDED_BY(mu_);
};

BoundExpressionPtr Binder::BindOuterColumn(const ParsedExpression& expr) {
  const std::string& column = expr.names.back();
  const std::string* table = expr.names.size() > 1 ? &expr.names[0] : nullptr;
  auto matches = [&](const ScopeColumn& c) {
    return (!table || EqualsIgnoreCase(*table, c.table)) && EqualsIgnoreCase(c.name, column);
  };
  // The nearest enclosing query first.
  for (size_t level = outer_scopes_.size(); level-- > 0;) {
    const std::vector<ScopeColumn>* outer = outer_scopes_[level];
    if (!outer) continue;
    for (const ScopeColumn& c : *outer) {
      if (!matches(c)) continue;
      CorrelationFrame& frame = frames_[level];
      bool known = false;
      for (const CorrelatedColumn& k : frame.own) {
        known = known || (k.column.table == c.table && k.column.name == c.name);
      }
      if (!known) frame.own.push_back({c, &expr, expr.names, expr.position});
      frame.refs.push_back({c, &expr, {}, expr.position});
      for (size_t inner = level + 1; inner < frames_.size(); ++inner) {
        frames_[inner].refers_above = true;
      }
      // A stand-in while the subquery is bound to learn its shape.
      auto e = MakeBoundConstant(Value::Null(c.type), expr.position);
      e->type = c.type;
      return e;
    }
  }
  for (const Substitution& s : substitutions_) {
    if (!matches(s.column)) continue;
    auto e = MakeBoundConstant(s.value, expr.position);
    e->type = s.column.type;
    return e;
  }
  return nullptr;
}

BoundExpressionPtr Binder::BindSubquery(const ParsedExpression& expr, Context& ctx) {
  std::unique_ptr<BoundSelect> sub;
  outer_scopes_.push_back(ctx.scope);
  frames_.emplace_back();
  try {
    sub = BindSelect(*expr.subquery);
  } catch (...) {
    outer_scopes_.pop_back();
    frames_.pop_back();
    throw;
  }
  outer_scopes_.pop_back();
  CorrelationFrame frame = std::move(frames_.back());
  frames_.pop_back();
  if (expr.kind == ExpressionKind::kInSubquery && IsRowValue(*expr.children[0])) {
    if (!frame.own.empty() || frame.refers_above) {
      throw QueryError(ErrorKind::kNotImplemented,
                       "a row value IN a correlated subquery is not supported yet", expr.position);
    }
    return BindRowInSubquery(expr, ctx, std::move(sub));
  }
  if (expr.kind != ExpressionKind::kExists && sub->visible != 1) {
    throw QueryError(ErrorKind::kBinder,
                     "Subquery returns " + std::to_string(sub->visible) +
                         " columns - expected 1",
                     expr.position);
  }
  const TypeId sub_type = expr.kind == ExpressionKind::kExists ? TypeId::kBoolean
                                                                : sub->output.fields[0].type;
  if (frame.refers_above) {
    // Inside a correlated subquery being bound only for its shape: it is
    // bound again, with the outer values, before it runs.
    if (expr.kind == ExpressionKind::kInSubquery) Bind(*expr.children[0], ctx);
    TypeId t = expr.kind == ExpressionKind::kSubquery ? sub_type : TypeId::kBoolean;
    auto e = MakeBoundConstant(Value::Null(t), expr.position);
    e->type = t;
    return e;
  }
  if (!frame.own.empty()) return BindCorrelated(expr, ctx, *sub, std::move(frame.own));

  std::unique_ptr<PhysicalOperator> root = Planner(exec_ctx_).Plan(*sub);
  if (expr.kind != ExpressionKind::kInSubquery) {
    SubqueryResult r =
        RunSubquery(root.get(), expr.kind, sub_type, sub_type, expr.position, exec_ctx_);
    if (expr.kind == ExpressionKind::kExists) {
      return MakeBoundConstant(Value::Boolean(r.any != expr.negated), expr.position);
    }
    auto e = MakeBoundConstant(r.scalar, expr.position);
    e->type = sub_type;
    return e;
  }
  // IN (SELECT ...): the values in a hash set, probed per row.
  BoundExpressionPtr left = Bind(*expr.children[0], ctx);
  std::vector<BoundExpressionPtr> pair;
  pair.push_back(std::move(left));
  pair.push_back(MakeBoundConstant(Value::Null(sub_type), expr.position));
  pair.back()->type = sub_type;
  UnifyTypes({&pair[0], &pair[1]}, {IsStringLiteral(*expr.children[0]), false}, "IN subquery",
             expr.position);
  const TypeId in_type = pair[1]->type;
  SubqueryResult r =
      RunSubquery(root.get(), expr.kind, sub_type, in_type, expr.position, exec_ctx_);
  if (!expr.op.empty()) {
    // x > ALL (SELECT ...) and the like: the subquery ran; each row
    // compares x with the values' summary.
    auto e = std::make_unique<BoundExpression>();
    e->kind = BoundKind::kSubquery;
    e->type = TypeId::kBoolean;
    e->position = expr.position;
    e->children.push_back(std::move(pair[0]));
    e->subquery = std::make_shared<QuantifiedOverValues>(
        expr.op, expr.quantifier_all, in_type, std::move(r), expr.subquery_text);
    return e;
  }
  if (!r.any) {
    // Nothing to compare with: IN is false and NOT IN true, even for NULL.
    return MakeBoundConstant(Value::Boolean(expr.negated), expr.position);
  }
  auto e = std::make_unique<BoundExpression>();
  e->kind = BoundKind::kIn;
  e->type = TypeId::kBoolean;
  e->position = expr.position;
  e->negated = expr.negated;
  e->in_set = r.set;
  e->children.push_back(std::move(pair[0]));
  return e;
}

// (a, b) IN (SELECT x, y ...): DuckDB compares STRUCTs there with IN's
// NULL rules on the whole row: TRUE when some row equals it field for
// field, else NULL when the probe or some row has a NULL field, else FALSE
// (FALSE / TRUE for NOT IN over no rows). So each row becomes one key,
// NULL when a field is, and the probe the same key ($row_key below): the
// one-column IN set gives exactly those answers.
BoundExpressionPtr Binder::BindRowInSubquery(const ParsedExpression& expr, Context& ctx,
                                             std::unique_ptr<BoundSelect> sub) {
  const ParsedExpression& row = *expr.children[0];
  if (!expr.op.empty()) {
    throw QueryError(ErrorKind::kNotImplemented,
                     "a row value with " + expr.op + " ANY/ALL is not supported", expr.position);
  }
  if (sub->visible != row.children.size()) {
    throw QueryError(ErrorKind::kBinder,
                     "Subquery returns " + std::to_string(sub->visible) + " columns - expected " +
                         std::to_string(row.children.size()),
                     expr.position);
  }
  std::vector<BoundExpressionPtr> fields;
  std::vector<TypeId> types;
  for (size_t i = 0; i < row.children.size(); ++i) {
    std::vector<BoundExpressionPtr> pair;
    pair.push_back(Bind(*row.children[i], ctx));
    pair.push_back(MakeBoundConstant(Value::Null(sub->output.fields[i].type), expr.position));
    pair.back()->type = sub->output.fields[i].type;
    UnifyTypes({&pair[0], &pair[1]}, {IsStringLiteral(*row.children[i]), false}, "IN subquery",
               expr.position);
    types.push_back(pair[1]->type);
    fields.push_back(std::move(pair[0]));
  }
  std::unique_ptr<PhysicalOperator> root = Planner(exec_ctx_).Plan(*sub);
  std::vector<Value> keys;
  std::vector<Value> values(types.size());
  DataChunk chunk;
  while (root->Next(&chunk)) {
    exec_ctx_.CheckCancelled();
    for (size_t r = 0; r < chunk.size(); ++r) {
      for (size_t i = 0; i < types.size(); ++i) {
        values[i] = chunk.columns[i].GetValue(r);
        if (!values[i].is_null() && values[i].type() != types[i]) {
          values[i] = CastValue(values[i], types[i]);
        }
      }
      keys.push_back(RowKey(values));
    }
  }
  if (keys.empty()) return MakeBoundConstant(Value::Boolean(expr.negated), expr.position);
  bool exists = false;
  const ScalarFunction* f = FindScalarFunction("$row_key", types, {}, &exists);
  if (!f) throw QueryError(ErrorKind::kInternal, "$row_key is not registered", expr.position);
  auto probe = std::make_unique<BoundExpression>();
  probe->kind = BoundKind::kFunction;
  probe->type = TypeId::kVarchar;
  probe->position = expr.position;
  probe->function = f;
  probe->name = f->name;
  probe->children = std::move(fields);
  auto e = std::make_unique<BoundExpression>();
  e->kind = BoundKind::kIn;
  e->type = TypeId::kBoolean;
  e->position = expr.position;
  e->negated = expr.negated;
  e->in_set = std::make_shared<InSet>(TypeId::kVarchar, keys);
  e->children.push_back(std::move(probe));
  return e;
}

BoundExpressionPtr Binder::BindCorrelated(const ParsedExpression& expr, Context& ctx,
                                          const BoundSelect& sub,
                                          std::vector<CorrelatedColumn> columns) {
  const TypeId sub_type = expr.kind == ExpressionKind::kExists ? TypeId::kBoolean
                                                                : sub.output.fields[0].type;
  auto e = std::make_unique<BoundExpression>();
  e->kind = BoundKind::kSubquery;
  e->type = expr.kind == ExpressionKind::kSubquery ? sub_type : TypeId::kBoolean;
  e->position = expr.position;
  e->negated = expr.negated;
  TypeId in_type = sub_type;
  if (expr.kind == ExpressionKind::kInSubquery) {
    std::vector<BoundExpressionPtr> pair;
    pair.push_back(Bind(*expr.children[0], ctx));
    pair.push_back(MakeBoundConstant(Value::Null(sub_type), expr.position));
    pair.back()->type = sub_type;
    UnifyTypes({&pair[0], &pair[1]}, {IsStringLiteral(*expr.children[0]), false},
               "IN subquery", expr.position);
    in_type = pair[1]->type;
    e->children.push_back(std::move(pair[0]));
  }
  std::vector<ScopeColumn> scope_columns;
  for (const CorrelatedColumn& c : columns) {
    ParsedExpression ref;
    ref.kind = ExpressionKind::kColumnRef;
    ref.names = c.names;
    ref.position = c.position;
    e->children.push_back(Bind(ref, ctx));
    scope_columns.push_back(c.column);
  }
  auto evaluator = std::make_shared<CorrelatedSubquery>(*this, expr, std::move(scope_columns),
                                                       sub_type, in_type);
  std::vector<size_t> key_columns;
  if (std::shared_ptr<SelectNode> node = Decorrelate(expr, ctx, columns, &key_columns)) {
    evaluator->SetDecorrelated(std::move(node), std::move(key_columns));
  }
  e->subquery = std::move(evaluator);
  return e;
}

}  // namespace tsl::query
