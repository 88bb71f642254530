// SELECT-level binding: FROM sources, star expansion, WHERE, GROUP BY,
// HAVING, ORDER BY, LIMIT. See binder.h.
#include "query/binder/binder.h"

#include <algorithm>

#include "formats/decimal.h"
#include "formats/timestamp.h"
#include "query/common/depth_guard.h"
#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
#include "query/execution/order_settings.h"
#include "query/functions/aggregate_function.h"
#include "query/functions/cast_function.h"
#include "query/functions/range_function.h"
#include "query/binder/view_catalog.h"
#include "query/parser/parser.h"
#include "query/planner/planner.h"

namespace tsl::query {
namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

bool IsIntegerConstant(const ParsedExpression& e) {
  return e.kind == ExpressionKind::kConstant && !e.value.is_null() &&
         (e.value.type() == TypeId::kInteger || e.value.type() == TypeId::kBigint);
}

std::string OutputName(const ParsedExpression& e) {
  if (!e.alias.empty()) return e.alias;
  if (e.kind == ExpressionKind::kColumnRef) return e.names.back();
  return e.ToString();
}

}  // namespace

std::optional<std::string> ClosestMatch(const std::string& name,
                                        const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(3, name.size() / 2) + 1;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

bool ContainsWindow(const ParsedExpression& expr) {
  if (expr.window) return true;
  if (expr.case_operand && ContainsWindow(*expr.case_operand)) return true;
  for (const auto& c : expr.children) {
    if (ContainsWindow(*c)) return true;
  }
  return false;
}

bool ContainsAggregate(const ParsedExpression& expr) {
  if (expr.kind == ExpressionKind::kFunction && !expr.window && LookupAggregate(expr.name)) {
    return true;
  }
  if (expr.case_operand && ContainsAggregate(*expr.case_operand)) return true;
  for (const auto& c : expr.children) {
    if (ContainsAggregate(*c)) return true;
  }
  if (expr.filter && ContainsAggregate(*expr.filter)) return true;
  // rank() OVER (ORDER BY sum(v)) aggregates: its window runs over groups.
  if (expr.window) {
    for (const auto& p : expr.window->partitions) {
      if (ContainsAggregate(*p)) return true;
    }
    for (const auto& o : expr.window->orders) {
      if (ContainsAggregate(*o.expr)) return true;
    }
  }
  return false;
}

bool ReferencesColumnsOutsideAggregates(const ParsedExpression& expr) {
  if (expr.kind == ExpressionKind::kColumnRef) return true;
  if (expr.kind == ExpressionKind::kFunction && !expr.window && LookupAggregate(expr.name)) {
    return false;
  }
  if (expr.case_operand && ReferencesColumnsOutsideAggregates(*expr.case_operand)) return true;
  for (const auto& c : expr.children) {
    if (ReferencesColumnsOutsideAggregates(*c)) return true;
  }
  if (expr.filter && ReferencesColumnsOutsideAggregates(*expr.filter)) return true;
  if (expr.window) {
    for (const auto& p : expr.window->partitions) {
      if (ReferencesColumnsOutsideAggregates(*p)) return true;
    }
    for (const auto& o : expr.window->orders) {
      if (ReferencesColumnsOutsideAggregates(*o.expr)) return true;
    }
  }
  return false;
}

Binder::Binder(Database* db, const TableFunctionRegistry* functions)
    : db_(db), functions_(functions) {
  StartStatementClock();  // now() is one value per statement
}

std::shared_ptr<Table> Binder::GetTable(const std::string& name, int position) {
  if (temp_ != nullptr) {
    Result<std::shared_ptr<Table>> temp = temp_->GetTable(name);
    if (temp.ok()) return *temp;
  }
  Result<std::shared_ptr<Table>> table = db_->GetTable(name);
  if (table.ok()) return *table;
  if (!table.status().IsNotFound()) throw QueryError(table.status());
  std::string message = "Table with name " + name + " does not exist!";
  if (auto hint = ClosestMatch(name, db_->ListTables())) {
    message += " Did you mean \"" + *hint + "\"?";
  }
  throw QueryError(ErrorKind::kCatalog, message, position);
}

BoundExpressionPtr Binder::BindConstantExpression(const ParsedExpression& expr) {
  static const std::vector<ScopeColumn> kEmpty;
  Context ctx;
  ctx.scope = &kEmpty;
  ctx.clause = "VALUES";
  return Bind(expr, ctx);
}

Value Binder::EvaluateConstant(const ParsedExpression& expr) {
  BoundExpressionPtr bound = BindConstantExpression(expr);
  return ExpressionExecutor::EvaluateScalar(*bound);
}

int64_t Binder::BindLimit(const ParsedExpression& expr, const char* what) {
  Value v = EvaluateConstant(expr);
  if (v.is_null()) return -1;
  if (!IsIntegral(v.type()))
    v = [&] {
      try {
        return CastValue(v, TypeId::kBigint);
      } catch (const QueryError&) {
        throw QueryError(ErrorKind::kBinder,
                         std::string(what) + " must be an integer, got " + v.ToString(),
                         expr.position);
      }
    }();
  if (v.int_value() < 0) {
    throw QueryError(ErrorKind::kBinder, std::string(what) + " cannot be negative", expr.position);
  }
  return v.int_value();
}

BoundExpressionPtr Binder::BindTablePredicate(const ParsedExpression& expr,
                                              const std::string& table, const Schema& schema,
                                              const char* clause) {
  if (ContainsAggregate(expr)) {
    throw QueryError(ErrorKind::kBinder,
                     std::string(clause) + " WHERE clause cannot contain aggregates!",
                     expr.position);
  }
  std::vector<ScopeColumn> scope;
  for (const Field& f : schema.fields) scope.push_back({table, f.name, f.type, false, false, {}});
  Context ctx;
  ctx.scope = &scope;
  ctx.clause = "WHERE";
  return ToBoolean(Bind(expr, ctx), false, "WHERE clause");
}

void Binder::BindSource(const TableRef& ref, BoundSource* source, std::vector<ScopeColumn>* scope) {
  switch (ref.kind) {
    case TableRef::Kind::kNone:
      source->kind = BoundSource::Kind::kSingleRow;
      return;
    case TableRef::Kind::kBaseTable: {
      // A CTE of an enclosing WITH shadows a table of the same name.
      if (!ref.version_as_of && !ref.timestamp_as_of) {
        for (size_t i = ctes_.size(); i-- > 0;) {
          if (!EqualsIgnoreCase(ctes_[i].cte->name, ref.name)) continue;
          if (ctes_[i].working) {
            ++ctes_[i].working_reads;
            BindWorkingTable(*ctes_[i].working, source);
            source->name = ref.name;
            break;
          }
          if (ctes_[i].binding) {
            throw QueryError(ErrorKind::kBinder,
                             "Circular reference to CTE \"" + ref.name +
                                 "\", use WITH RECURSIVE to use recursive CTEs.",
                             ref.position);
          }
          if (IsRecursiveUnion(i)) {
            BindRecursiveCte(i, ref, source);
            break;
          }
          ctes_[i].binding = true;
          // Bind the body with only the CTEs defined before it visible.
          std::vector<CteScope> outer(ctes_.begin(), ctes_.begin() + static_cast<long>(i) + 1);
          std::swap(outer, ctes_);
          try {
            source->subquery = BindSelect(*ctes_[i].cte->query);
          } catch (...) {
            std::swap(outer, ctes_);
            ctes_[i].binding = false;
            throw;
          }
          std::swap(outer, ctes_);
          ctes_[i].binding = false;
          source->kind = BoundSource::Kind::kSubquery;
          source->schema = source->subquery->output;
          source->name = ref.name;
          // WITH v(a, b): names beyond the query's columns are ignored, as
          // DuckDB does.
          const auto& renames = ctes_[i].cte->column_aliases;
          for (size_t k = 0; k < renames.size() && k < source->schema.size(); ++k) {
            source->schema.fields[k].name = renames[k];
          }
          break;
        }
        if (source->kind == BoundSource::Kind::kSubquery ||
            source->kind == BoundSource::Kind::kFunction) {
          break;
        }
      }
      if (!ref.version_as_of && !ref.timestamp_as_of) {
        Result<std::shared_ptr<Table>> found = db_->GetTable(ref.name);
        const bool temp = temp_ != nullptr && temp_->GetTable(ref.name).ok();
        if (!temp && !found.ok() && found.status().IsNotFound() && BindView(ref, source)) break;
      }
      source->kind = BoundSource::Kind::kTable;
      source->table = GetTable(ref.name, ref.position);
      source->name = source->table->name();
      if (ref.version_as_of) {
        auto snap = source->table->GetSnapshot(*ref.version_as_of);
        if (!snap.ok()) {
          throw QueryError(snap.status().IsNotFound() ? ErrorKind::kCatalog : ErrorKind::kStorage,
                           snap.status().message(), ref.position);
        }
        source->snapshot = *snap;
      } else if (ref.timestamp_as_of) {
        Value ts = CastValue(EvaluateConstant(*ref.timestamp_as_of), TypeId::kTimestamp);
        if (ts.is_null()) {
          throw QueryError(ErrorKind::kBinder, "TIMESTAMP AS OF needs a timestamp, not NULL",
                           ref.timestamp_as_of->position);
        }
        auto snap = source->table->GetSnapshotAsOf(ts.int_value());
        if (!snap.ok()) {
          throw QueryError(snap.status().IsNotFound() ? ErrorKind::kCatalog : ErrorKind::kStorage,
                           snap.status().message(), ref.timestamp_as_of->position);
        }
        source->snapshot = *snap;
      } else {
        source->snapshot = snapshot_provider_ ? snapshot_provider_(source->table)
                                              : ValueOrThrow(source->table->GetSnapshot());
      }
      source->schema = source->snapshot->schema();
      break;
    }
    case TableRef::Kind::kTableFunction: {
      source->kind = BoundSource::Kind::kFunction;
      source->name = ref.name;
      const TableFunctionFactory* factory = functions_ ? functions_->Find(ref.name) : nullptr;
      if (!factory) factory = FindBuiltinTableFunction(ref.name);
      if (!factory) {
        std::string message = "Table Function with name " + ref.name + " does not exist!";
        std::vector<std::string> names = BuiltinTableFunctionNames();
        if (functions_) {
          for (std::string& n : functions_->Names()) names.push_back(std::move(n));
        }
        if (auto hint = ClosestMatch(ref.name, names)) {
          message += " Did you mean \"" + *hint + "\"?";
        }
        throw QueryError(ErrorKind::kCatalog, message, ref.position);
      }
      TableFunctionArgs args;
      for (const auto& a : ref.args) args.positional.push_back(EvaluateConstant(*a));
      for (const auto& [name, a] : ref.named_args) args.named[name] = EvaluateConstant(*a);
      Result<std::unique_ptr<ChunkSource>> opened = (*factory)(args);
      if (!opened.ok()) {
        if (opened.status().code() == StatusCode::kInvalidArgument) {
          throw QueryError(ErrorKind::kInvalidInput, opened.status().message(), ref.position);
        }
        throw QueryError(opened.status());
      }
      source->function_source = std::move(opened).value();
      source->schema = source->function_source->schema();
      break;
    }
    case TableRef::Kind::kJoin: {
      source->kind = BoundSource::Kind::kJoin;
      source->name = "join";
      source->join_type = ref.join_type;
      source->left = std::make_unique<BoundSource>();
      source->right = std::make_unique<BoundSource>();
      std::vector<ScopeColumn> joined;
      BindSource(*ref.left, source->left.get(), &joined);
      const size_t left_columns = joined.size();
      if (!BindLateralJoin(ref, source, &joined)) {
        BindSource(*ref.right, source->right.get(), &joined);
      }
      if (ref.join_type == JoinType::kPositional && source->kind == BoundSource::Kind::kLateral) {
        throw QueryError(ErrorKind::kBinder, "POSITIONAL JOIN cannot join a LATERAL subquery",
                         ref.position);
      }
      if (ref.natural || !ref.using_columns.empty()) {
        source->condition = BindJoinUsing(ref, left_columns, &joined);
      }
      for (const auto& side : {source->left.get(), source->right.get()}) {
        for (const Field& f : side->schema.fields) source->schema.fields.push_back(f);
      }
      if (ref.on) {
        if (ContainsAggregate(*ref.on)) {
          throw QueryError(ErrorKind::kBinder, "JOIN condition cannot contain aggregates!",
                           ref.on->position);
        }
        Context on;
        on.scope = &joined;
        on.clause = "JOIN condition";
        source->condition = ToBoolean(Bind(*ref.on, on), false, "JOIN condition");
      }
      if (ref.semi != SemiJoin::kNone) {
        if (source->kind == BoundSource::Kind::kLateral) {
          throw QueryError(ErrorKind::kBinder, "SEMI/ANTI JOIN cannot join a LATERAL subquery",
                           ref.position);
        }
        // Only the left side's columns come out (and are in scope above).
        source->kind = BoundSource::Kind::kSemiJoin;
        source->semi = ref.semi;
        source->schema.fields.resize(source->left->schema.size());
        joined.resize(left_columns);
      }
      for (ScopeColumn& c : joined) scope->push_back(std::move(c));
      return;  // the sides' aliases are already in scope
    }
    case TableRef::Kind::kSubquery: {
      source->kind = BoundSource::Kind::kSubquery;
      source->subquery = BindSelect(*ref.subquery);
      source->schema = source->subquery->output;
      source->name = "subquery";
      break;
    }
    case TableRef::Kind::kValues:
      BindValues(ref, source);
      break;
    case TableRef::Kind::kPivot:
      BindPivot(ref, source);
      break;
    case TableRef::Kind::kSetOp: {
      source->kind = BoundSource::Kind::kSetOp;
      source->setop = ref.setop;
      static const char* kNames[] = {"UNION", "UNION ALL", "INTERSECT", "INTERSECT ALL",
                                     "EXCEPT", "EXCEPT ALL"};
      source->name = kNames[static_cast<int>(ref.setop)];
      // Inputs after the first are named "right" in errors, as for two.
      std::vector<std::unique_ptr<BoundSelect>> inputs;
      for (const auto& input : ref.setop_inputs) {
        inputs.push_back(BindSelect(*input));
        const BoundSelect& left = *inputs.front();
        const BoundSelect& right = *inputs.back();
        if (left.visible != right.visible) {
          throw QueryError(ErrorKind::kBinder,
                           "Set operations can only apply to expressions with the same number of "
                           "result columns (" + std::to_string(left.visible) + " on the left of " +
                               source->name + ", " + std::to_string(right.visible) +
                               " on the right)",
                           ref.position);
        }
      }
      // Column i's type: the inputs' types combined left to right.
      for (size_t i = 0; i < inputs.front()->visible; ++i) {
        TypeId t = TypeId::kNull;
        for (const auto& input : inputs) {
          const TypeId rt = input->output.fields[i].type;
          const TypeId lt = t;
          if (&input == &inputs.front() || lt == rt) {
            t = rt;
          } else if (lt == TypeId::kNull) {
            t = rt;
          } else if (rt == TypeId::kNull) {
            t = lt;
          } else if (IsNumeric(lt) && IsNumeric(rt) && (IsDecimal(lt) || IsDecimal(rt))) {
            // DuckDB's DECIMAL union (expression_binder's MaxNumeric): both
            // sides' integer digits and scale, DOUBLE past 18 digits.
            const auto scale = [](TypeId x) { return IsDecimal(x) ? DecimalScale(x) : 0; };
            const int digits = std::max(DecimalIntegerDigits(lt), DecimalIntegerDigits(rt)),
                      s = std::max(scale(lt), scale(rt));
            t = lt == TypeId::kDouble || rt == TypeId::kDouble || digits + s > kMaxDecimalWidth
                    ? TypeId::kDouble
                    : DecimalType(digits + s, s);
          } else if (IsNumeric(lt) && IsNumeric(rt)) {
            t = (lt == TypeId::kDouble || rt == TypeId::kDouble) ? TypeId::kDouble
                : IntegralRank(lt) >= IntegralRank(rt)              ? lt
                                                                    : rt;
          } else {
            t = TypeId::kVarchar;
          }
        }
        for (auto& side : inputs) {
          if (side->output.fields[i].type == t) continue;
          side->projection[i] = MakeBoundCast(std::move(side->projection[i]), t);
          side->output.fields[i].type = t;
        }
        source->schema.fields.push_back({inputs.front()->output.fields[i].name, t});
      }
      source->subquery = std::move(inputs.front());
      for (size_t k = 1; k < inputs.size(); ++k) source->setop_rest.push_back(std::move(inputs[k]));
      break;
    }
  }
  std::string alias = !ref.alias.empty() ? ref.alias : ref.name;
  // `AS r(a, b)` renames the first columns.
  if (ref.column_aliases.size() > source->schema.size()) {
    throw QueryError(ErrorKind::kBinder,
                     "table \"" + alias + "\" has " + std::to_string(source->schema.size()) +
                         " columns available but " + std::to_string(ref.column_aliases.size()) +
                         " columns specified",
                     ref.position);
  }
  for (size_t i = 0; i < ref.column_aliases.size(); ++i) {
    source->schema.fields[i].name = ref.column_aliases[i];
  }
  // A materialized view's aggregate states (main/materialized_view.cc) are
  // reached only as view.__state_...: `*` and bare names skip them.
  const bool view_states = source->kind == BoundSource::Kind::kTable && source->snapshot &&
                           source->snapshot->metadata().configuration.count(
                               "materialized_view.source") > 0;
  for (const Field& f : source->schema.fields) {
    const bool hidden = view_states && f.name.rfind("__state_", 0) == 0;
    scope->push_back({alias, f.name, f.type, false, hidden, {}});
  }
}

bool Binder::BindView(const TableRef& ref, BoundSource* source) {
  std::optional<std::string> sql = ViewCatalog(db_).Get(ref.name);
  if (!sql) return false;
  DepthGuard level(&depth_, ErrorKind::kBinder, ref.position);
  for (size_t i = 0; i < view_path_.size(); ++i) {
    if (!EqualsIgnoreCase(view_path_[i], ref.name)) continue;
    std::string path;
    for (size_t j = i; j < view_path_.size(); ++j) path += view_path_[j] + " -> ";
    // A reference inside a stored view's text has no place in the user's
    // statement: the enclosing reference that is in it sets the caret.
    throw DepthLimitError(ErrorKind::kBinder,
                          "infinite recursion detected: attempting to recursively bind view \"" +
                              ref.name + "\" (" + path + ref.name + ")",
                          view_path_.size() == statement_views_ ? ref.position : -1);
  }
  std::vector<std::unique_ptr<Statement>> statements;
  try {
    statements = Parser(*sql).ParseScript();
  } catch (const QueryError& e) {
    throw QueryError(ErrorKind::kBinder,
                     "view \"" + ref.name + "\" cannot be parsed: " + e.message() +
                         " (recreate it with CREATE OR REPLACE VIEW)",
                     ref.position);
  }
  if (statements.size() != 1 || !statements[0]->select) {
    throw QueryError(ErrorKind::kBinder, "view \"" + ref.name + "\" is not a single query",
                     ref.position);
  }
  // The view sees the database, not the CTEs of the query naming it.
  std::vector<CteScope> saved;
  std::swap(saved, ctes_);
  std::vector<const std::vector<ScopeColumn>*> saved_outer;
  std::swap(saved_outer, outer_scopes_);
  std::vector<CorrelationFrame> saved_frames;
  std::swap(saved_frames, frames_);
  std::vector<Substitution> saved_substitutions;
  std::swap(saved_substitutions, substitutions_);
  view_path_.push_back(ref.name);
  struct Restore {
    Binder* b;
    std::vector<CteScope>* ctes;
    std::vector<const std::vector<ScopeColumn>*>* outer;
    std::vector<CorrelationFrame>* frames;
    std::vector<Substitution>* substitutions;
    ~Restore() {
      std::swap(*ctes, b->ctes_);
      std::swap(*outer, b->outer_scopes_);
      std::swap(*frames, b->frames_);
      std::swap(*substitutions, b->substitutions_);
      b->view_path_.pop_back();
    }
  } restore{this, &saved, &saved_outer, &saved_frames, &saved_substitutions};
  try {
    source->subquery = BindSelect(*statements[0]->select);
  } catch (DepthLimitError& e) {
    // A cycle or the depth limit: it already names what is wrong. The
    // caret goes under the reference in the user's statement.
    if (view_path_.size() == statement_views_ + 1) e.SetPositionIfUnknown(ref.position);
    throw;
  } catch (const QueryError& e) {
    throw QueryError(e.kind(),
                     "view \"" + ref.name + "\" no longer binds: " + e.message() +
                         " (recreate it with CREATE OR REPLACE VIEW or DROP VIEW)",
                     ref.position);
  }
  source->kind = BoundSource::Kind::kSubquery;
  source->schema = source->subquery->output;
  source->name = ref.name;
  return true;
}

std::unique_ptr<BoundSelect> Binder::BindSelect(const SelectNode& node) {
  DepthGuard level(&depth_, ErrorKind::kBinder, node.position);
  const size_t cte_depth = ctes_.size();
  for (const CommonTableExpression& c : node.ctes) ctes_.push_back({&c, false});
  struct PopCtes {
    std::vector<CteScope>* ctes;
    size_t depth;
    ~PopCtes() { ctes->resize(depth); }
  } pop{&ctes_, cte_depth};
  auto select = std::make_unique<BoundSelect>();
  std::vector<ScopeColumn> scope;
  const bool unnest = BindSelectUnnest(node, &select->source, &scope);
  if (!unnest) BindSource(node.from, &select->source, &scope);

  // `*`, `t.*` (with EXCLUDE / REPLACE) and COLUMNS(...) become one item
  // per column (star_expansion.cc).
  std::vector<ParsedExpressionPtr> items = ExpandSelectList(node.select_list, scope);
  if (unnest) ReplaceSelectUnnest(&items);

  // SAMPLE BY and time_bucket_gapfill rewrite items and groups.
  std::vector<ParsedExpressionPtr> group_by;
  for (const auto& g : node.group_by) group_by.push_back(g->Copy());
  TimeSeriesPlan time_series = RewriteTimeSeries(node, scope, &items, &group_by);
  for (auto& g : time_series.groups) group_by.push_back(std::move(g));

  Context plain;
  plain.scope = &scope;
  plain.aliases = &items;
  if (node.where) {
    if (ContainsAggregate(*node.where)) {
      throw QueryError(ErrorKind::kBinder, "WHERE clause cannot contain aggregates!",
                       node.where->position);
    }
    plain.clause = "WHERE";
    select->where = ToBoolean(Bind(*node.where, plain), false, "WHERE clause");
  }

  bool aggregate = !group_by.empty() || node.group_by_all || (node.having != nullptr) ||
                   !node.grouping_sets.empty();
  for (const auto& e : items) aggregate = aggregate || ContainsAggregate(*e);
  for (const auto& o : node.order_by) aggregate = aggregate || (o.expr && ContainsAggregate(*o.expr));
  select->aggregate = aggregate;
  if (aggregate && node.latest_on) {
    throw QueryError(ErrorKind::kBinder,
                     "LATEST ON cannot be combined with GROUP BY or aggregates; aggregate in "
                     "an outer query over the LATEST ON subquery",
                     node.latest_on->position);
  }

  std::vector<std::string> group_keys;
  Context ctx = plain;
  ctx.clause = "SELECT";
  if (aggregate) {
    std::vector<ParsedExpressionPtr> group_exprs;
    if (node.group_by_all) {
      for (const auto& e : items) {
        if (ContainsWindow(*e)) {
          // As DuckDB: a window over aggregates (or constants) is computed
          // after the grouping; one over the rows' columns cannot be a group.
          if (ReferencesColumnsOutsideAggregates(*e)) {
            throw QueryError(ErrorKind::kBinder, "Cannot group on a window clause", e->position);
          }
          continue;
        }
        if (!ContainsAggregate(*e)) group_exprs.push_back(e->Copy());
      }
      if (node.qualify) {
        throw QueryError(ErrorKind::kBinder,
                         "Combining QUALIFY with GROUP BY ALL is not supported yet",
                         node.qualify->position);
      }
    }
    for (const auto& g : group_by) {
      if (IsIntegerConstant(*g)) {
        int64_t k = g->value.int_value();
        if (k < 1 || k > static_cast<int64_t>(items.size())) {
          throw QueryError(ErrorKind::kBinder,
                           "GROUP BY term out of range - should be between 1 and " +
                               std::to_string(items.size()),
                           g->position);
        }
        group_exprs.push_back(items[k - 1]->Copy());
        continue;
      }
      if (g->kind == ExpressionKind::kColumnRef && g->names.size() == 1) {
        bool in_scope = std::any_of(scope.begin(), scope.end(), [&](const ScopeColumn& c) {
          return EqualsIgnoreCase(c.name, g->names[0]);
        });
        if (!in_scope) {
          for (const auto& e : items) {
            if (!e->alias.empty() && EqualsIgnoreCase(e->alias, g->names[0])) {
              if (ContainsAggregate(*e)) {
                throw QueryError(ErrorKind::kBinder, "GROUP BY clause cannot contain aggregates!",
                                 g->position);
              }
              group_exprs.push_back(e->Copy());
              in_scope = true;
              break;
            }
          }
          if (in_scope) continue;
        }
      }
      if (ContainsAggregate(*g)) {
        throw QueryError(ErrorKind::kBinder, "GROUP BY clause cannot contain aggregates!",
                         g->position);
      }
      group_exprs.push_back(g->Copy());
    }
    Context group_ctx = plain;
    group_ctx.clause = "GROUP BY";
    std::vector<int> group_of_expr;  // the bound group each of group_exprs became
    for (const auto& g : group_exprs) {
      BoundExpressionPtr bound = Bind(*g, group_ctx);
      std::string key = bound->ToString();
      auto found = std::find(group_keys.begin(), group_keys.end(), key);
      group_of_expr.push_back(static_cast<int>(found - group_keys.begin()));
      if (found != group_keys.end()) continue;
      group_keys.push_back(key);
      select->groups.push_back(std::move(bound));
    }
    if (!node.grouping_sets.empty()) {
      BindGroupingSets(node, group_of_expr, time_series.groups.size(), select.get(), &group_keys);
    }
    ctx.select = select.get();
    ctx.group_keys = &group_keys;
  }

  std::vector<std::string> names;
  ctx.aliases = nullptr;
  // With aggregation the windows are bound like the other select items
  // (group keys and aggregates become columns of the aggregate's output)
  // and run after the aggregation and HAVING, over the groups.
  ctx.windows = &select->windows;
  // Lateral column aliases: an item may name an earlier item's alias
  // when no column of FROM has that name.
  ctx.aliases = &items;
  for (size_t i = 0; i < items.size(); ++i) {
    ctx.alias_count = i;
    select->projection.push_back(Bind(*items[i], ctx));
    names.push_back(OutputName(*items[i]));
  }
  ctx.aliases = nullptr;
  ctx.alias_count = static_cast<size_t>(-1);
  select->visible = select->projection.size();

  if (node.having) {
    Context having = ctx;
    having.windows = nullptr;
    having.clause = "HAVING";
    having.aliases = &items;
    select->having = ToBoolean(Bind(*node.having, having), false, "HAVING clause");
  }

  if (node.qualify) {
    if (ContainsAggregate(*node.qualify) && !aggregate) {
      throw QueryError(ErrorKind::kBinder, "QUALIFY clause cannot contain aggregates!",
                       node.qualify->position);
    }
    Context qualify = ctx;
    qualify.clause = "QUALIFY";
    qualify.aliases = &items;
    select->qualify = ToBoolean(Bind(*node.qualify, qualify), false, "QUALIFY clause");
  }

  // The ORDER BY items: as written; ORDER BY ALL (every column in order);
  // SAMPLE BY's time order; LATEST ON's time order.
  std::vector<OrderByItem> implied_order;
  const std::vector<OrderByItem>* order_items = &node.order_by;
  if (node.order_by_all) {
    for (size_t i = 0; i < select->visible; ++i) {
      OrderByItem item;
      item.expr = MakeConstant(Value::Bigint(static_cast<int64_t>(i + 1)), node.position);
      item.descending = node.order_by[0].descending;
      item.direction_given = node.order_by[0].direction_given;
      item.nulls_first = node.order_by[0].nulls_first;
      implied_order.push_back(std::move(item));
    }
    order_items = &implied_order;
  } else if (node.order_by.empty() && !time_series.order.empty()) {
    order_items = &time_series.order;
  } else if (node.order_by.empty() && node.latest_on) {
    OrderByItem item;
    item.expr = node.latest_on->Copy();
    item.direction_given = true;  // ascending, NULLs last, whatever the settings say
    item.nulls_first = false;
    implied_order.push_back(std::move(item));
    order_items = &implied_order;
  }

  // An expression as a projection column: an ordinal, a select alias, an
  // expression equal to a select item, or a new hidden column.
  auto projection_column = [&](const ParsedExpression& e, const char* clause) -> int {
    if (IsIntegerConstant(e)) {
      int64_t k = e.value.int_value();
      if (k < 1 || k > static_cast<int64_t>(select->visible)) {
        throw QueryError(ErrorKind::kBinder,
                         std::string(clause) + " term out of range - should be between 1 and " +
                             std::to_string(select->visible),
                         e.position);
      }
      return static_cast<int>(k - 1);
    }
    if (e.kind == ExpressionKind::kColumnRef && e.names.size() == 1) {
      for (size_t i = 0; i < items.size(); ++i) {
        if (!items[i]->alias.empty() && EqualsIgnoreCase(items[i]->alias, e.names[0])) {
          return static_cast<int>(i);
        }
      }
    }
    Context expr_ctx = ctx;
    expr_ctx.clause = clause;
    BoundExpressionPtr bound = Bind(e, expr_ctx);
    std::string key = bound->ToString();
    for (size_t i = 0; i < select->projection.size(); ++i) {
      if (select->projection[i]->ToString() == key) return static_cast<int>(i);
    }
    if (node.distinct) {
      throw QueryError(ErrorKind::kBinder,
                       "For SELECT DISTINCT, ORDER BY expressions must appear in select list!",
                       e.position);
    }
    select->projection.push_back(std::move(bound));
    return static_cast<int>(select->projection.size() - 1);
  };
  for (const auto& e : node.distinct_on) {
    if (ContainsAggregate(*e) && !aggregate) {
      throw QueryError(ErrorKind::kBinder, "DISTINCT ON cannot contain aggregates!", e->position);
    }
    select->distinct_on.push_back(projection_column(*e, "DISTINCT ON"));
  }
  if (node.latest_on) {
    if (aggregate) {
      throw QueryError(ErrorKind::kBinder,
                       "LATEST ON cannot be combined with GROUP BY or aggregates; aggregate in "
                       "an outer query over the LATEST ON subquery",
                       node.latest_on->position);
    }
    if (!node.distinct_on.empty()) {
      throw QueryError(ErrorKind::kBinder, "LATEST ON cannot be combined with DISTINCT ON",
                       node.latest_on->position);
    }
    select->latest_column = projection_column(*node.latest_on, "LATEST ON");
    for (const auto& e : node.latest_partition) {
      select->distinct_on.push_back(projection_column(*e, "PARTITION BY"));
    }
  }

  // ORDER BY: ordinal, select alias, an expression equal to a select item,
  // or a new hidden projection column.
  for (const OrderByItem& item : *order_items) {
    BoundOrder order;
    order.descending = ResolveDescending(item.descending, item.direction_given);
    order.nulls_first = ResolveNullsFirst(item.nulls_first, order.descending);
    const ParsedExpression& e = *item.expr;
    int index = -1;
    if (IsIntegerConstant(e)) {
      int64_t k = e.value.int_value();
      if (k < 1 || k > static_cast<int64_t>(select->visible)) {
        throw QueryError(
            ErrorKind::kBinder,
            "ORDER term out of range - should be between 1 and " + std::to_string(select->visible),
            e.position);
      }
      index = static_cast<int>(k - 1);
    } else if (e.kind == ExpressionKind::kColumnRef && e.names.size() == 1) {
      for (size_t i = 0; i < items.size(); ++i) {
        if (!items[i]->alias.empty() && EqualsIgnoreCase(items[i]->alias, e.names[0])) {
          index = static_cast<int>(i);
          break;
        }
      }
    }
    if (index < 0) {
      Context order_ctx = ctx;
      order_ctx.clause = "ORDER BY";
      order_ctx.aliases = &items;  // ORDER BY abs(dev), dev a select alias
      BoundExpressionPtr bound = Bind(e, order_ctx);
      std::string key = bound->ToString();
      for (size_t i = 0; i < select->projection.size(); ++i) {
        if (select->projection[i]->ToString() == key) {
          index = static_cast<int>(i);
          break;
        }
      }
      if (index < 0) {
        if (node.distinct) {
          throw QueryError(ErrorKind::kBinder,
                           "For SELECT DISTINCT, ORDER BY expressions must appear in select list!",
                           e.position);
        }
        index = static_cast<int>(select->projection.size());
        select->projection.push_back(std::move(bound));
      }
    }
    order.column = index;
    select->order.push_back(order);
  }

  select->distinct = node.distinct;
  if (time_series.gapfill) {
    select->gapfill = std::move(time_series.gapfill);
    select->gapfill->fills.resize(select->projection.size(), BoundGapfill::Fill::kNull);
    select->gapfill->values.resize(select->projection.size());
  }
  if (node.limit && node.limit_percent) {
    Value v = EvaluateConstant(*node.limit);
    if (!v.is_null()) {
      if (v.type() == TypeId::kVarchar || v.type() == TypeId::kBoolean) {
        throw QueryError(ErrorKind::kBinder, "LIMIT percentage must be a number",
                         node.limit->position);
      }
      const double p = CastValue(v, TypeId::kDouble).double_value();
      if (!(p >= 0 && p <= 100)) {
        throw QueryError(ErrorKind::kOutOfRange,
                         "Limit percent out of range, should be between 0% and 100%",
                         node.limit->position);
      }
      select->limit_percent = p;
    }
  } else if (node.limit) {
    int64_t limit = BindLimit(*node.limit, "LIMIT");
    if (limit >= 0) select->limit = limit;
  }
  if (node.offset) select->offset = std::max<int64_t>(0, BindLimit(*node.offset, "OFFSET"));

  for (size_t i = 0; i < select->visible; ++i) {
    select->output.fields.push_back({names[i], select->projection[i]->type});
  }
  return select;
}

}  // namespace tsl::query
