// PIVOT / UNPIVOT (TableRef kind kPivot, parser/pivot_parser.cc), bound by
// rewriting into a SELECT over the source (`ref.subquery`, SELECT * FROM
// the source) as DuckDB's binder does:
//   PIVOT: SELECT groups..., agg(...) FILTER (WHERE on1 = v1 AND ...) AS
//     "v1_..." ... FROM src GROUP BY groups, one aggregate per combination
//     of the ON columns' values (first column major) and USING aggregate.
//     Without IN lists the values are the distinct non-NULL values of each
//     ON expression, read from the source first (ascending). Without
//     GROUP BY the groups are the source's columns that neither ON nor
//     USING reads. Columns are named by the values joined with `_`, then
//     `_alias` (or `_agg(x)`) when USING has an alias or several items.
//   UNPIVOT: SELECT others..., CASE k WHEN 0 THEN 'c0' ... END AS name,
//     CASE k WHEN 0 THEN c0 ... END AS value FROM src CROSS JOIN (VALUES
//     (0), (1), ...) WHERE value IS NOT NULL (unless INCLUDE NULLS): each
//     source row becomes one row per column, in column order.
// Thread-safety: Binder is per statement.
#include <set>

#include "query/binder/binder.h"
#include "query/common/query_error.h"
#include "query/functions/aggregate_function.h"
#include "query/planner/planner.h"

namespace tsl::query {
namespace {

// At most this many pivot columns (DuckDB's pivot_limit is 100000; each
// is an aggregate here).
constexpr size_t kMaxPivotColumns = 10000;

// The aggregate calls of a USING expression (`round(avg(v), 1)` has one,
// avg(v)), outermost first; an aggregate's own arguments are not searched.
// The pivot's condition goes into these calls' FILTER, not onto the
// expression around them (a FILTER on round() would be ignored).
void CollectAggregateCalls(ParsedExpression* e, std::vector<ParsedExpression*>* out) {
  if (e->kind == ExpressionKind::kFunction && !e->window && LookupAggregate(e->name)) {
    out->push_back(e);
    return;
  }
  if (e->case_operand) CollectAggregateCalls(e->case_operand.get(), out);
  for (auto& c : e->children) CollectAggregateCalls(c.get(), out);
}

ParsedExpressionPtr Column(const std::string& name, int position) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kColumnRef;
  e->names = {name};
  e->position = position;
  return e;
}

ParsedExpressionPtr Operator(const char* op, ParsedExpressionPtr a, ParsedExpressionPtr b) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kOperator;
  e->op = op;
  e->position = a->position;
  e->children.push_back(std::move(a));
  e->children.push_back(std::move(b));
  return e;
}

// Every column name `e` reads (lower-case).
void CollectColumnNames(const ParsedExpression& e, std::set<std::string>* out) {
  if (e.kind == ExpressionKind::kColumnRef && !e.names.empty()) out->insert(ToLower(e.names.back()));
  for (const auto& c : e.children) CollectColumnNames(*c, out);
  if (e.case_operand) CollectColumnNames(*e.case_operand, out);
  if (e.filter) CollectColumnNames(*e.filter, out);
  for (const auto& o : e.agg_order) CollectColumnNames(*o, out);
}

// CASE k WHEN 0 THEN arms[0] WHEN 1 THEN arms[1] ... END.
ParsedExpressionPtr CaseOnIndex(const std::string& index, std::vector<ParsedExpressionPtr> arms,
                                int position) {
  auto e = std::make_unique<ParsedExpression>();
  e->kind = ExpressionKind::kCase;
  e->position = position;
  e->case_operand = Column(index, position);
  for (size_t i = 0; i < arms.size(); ++i) {
    e->children.push_back(MakeConstant(Value::Integer(static_cast<int32_t>(i)), position));
    e->children.push_back(std::move(arms[i]));
  }
  return e;
}

}  // namespace

void Binder::BindPivot(const TableRef& ref, BoundSource* source) {
  const PivotSpec& spec = *ref.pivot;
  const int position = spec.position;
  // The source's columns, from binding it once.
  std::vector<std::string> names;
  const std::unique_ptr<BoundSelect> shape = BindSelect(*ref.subquery);
  for (const Field& f : shape->output.fields) names.push_back(f.name);
  auto from_source = [&] {
    TableRef from;
    from.kind = TableRef::Kind::kSubquery;
    from.position = position;
    from.subquery = ref.subquery;
    return from;
  };
  auto node = std::make_shared<SelectNode>();
  node->position = position;

  if (spec.unpivot) {
    std::set<std::string> unpivoted;
    std::vector<std::string> columns;  // as the source spells them
    for (const std::string& c : spec.columns) {
      bool found = false;
      for (const std::string& n : names) {
        if (!EqualsIgnoreCase(n, c)) continue;
        columns.push_back(n);
        found = true;
        break;
      }
      if (!found) {
        throw QueryError(ErrorKind::kBinder,
                         "Column \"" + c +
                             "\" referenced in UNPIVOT but no matching entry was found in the table",
                         position);
      }
      unpivoted.insert(ToLower(c));
    }
    std::set<std::string> kept;
    for (const std::string& n : names) {
      if (unpivoted.count(ToLower(n))) continue;
      auto item = Column(n, position);
      item->alias = n;
      node->select_list.push_back(std::move(item));
      kept.insert(ToLower(n));
    }
    // The new columns do not take a kept column's name: name -> name_1.
    auto fresh = [&](std::string n) {
      while (kept.count(ToLower(n))) n += "_1";
      kept.insert(ToLower(n));
      return n;
    };
    const std::string index = "__unpivot_index";
    std::vector<ParsedExpressionPtr> labels, values;
    for (size_t i = 0; i < columns.size(); ++i) {
      const std::string& label = spec.column_names[i].empty() ? columns[i] : spec.column_names[i];
      labels.push_back(MakeConstant(Value::Varchar(label), position));
      values.push_back(Column(columns[i], position));
    }
    auto name = CaseOnIndex(index, std::move(labels), position);
    name->alias = fresh(spec.name_column);
    auto value = CaseOnIndex(index, std::move(values), position);
    if (!spec.include_nulls) {
      auto not_null = std::make_unique<ParsedExpression>();
      not_null->kind = ExpressionKind::kIsNull;
      not_null->negated = true;
      not_null->position = position;
      not_null->children.push_back(value->Copy());
      node->where = std::move(not_null);
    }
    value->alias = fresh(spec.value_column);
    node->select_list.push_back(std::move(name));
    node->select_list.push_back(std::move(value));
    TableRef indexes;
    indexes.kind = TableRef::Kind::kValues;
    indexes.position = position;
    indexes.alias = "__unpivot";
    indexes.column_aliases = {index};
    for (size_t i = 0; i < columns.size(); ++i) {
      std::vector<ParsedExpressionPtr> row;
      row.push_back(MakeConstant(Value::Integer(static_cast<int32_t>(i)), position));
      indexes.values.push_back(std::move(row));
    }
    node->from.kind = TableRef::Kind::kJoin;
    node->from.position = position;
    node->from.join_type = JoinType::kCross;
    node->from.left = std::make_unique<TableRef>(from_source());
    node->from.right = std::make_unique<TableRef>(std::move(indexes));
  } else {
    // Each ON expression's values and their names.
    struct OnValues {
      std::vector<Value> values;
      std::vector<std::string> names;
    };
    std::vector<OnValues> on_values;
    size_t combinations = 1;
    for (const PivotSpec::OnColumn& on : spec.on) {
      OnValues v;
      if (!on.in.empty()) {
        for (size_t i = 0; i < on.in.size(); ++i) {
          Value value = EvaluateConstant(*on.in[i]);
          v.names.push_back(!on.in_names[i].empty() ? on.in_names[i]
                            : value.is_null()        ? std::string("NULL")
                                                     : value.ToString());
          v.values.push_back(std::move(value));
        }
      } else {
        // SELECT DISTINCT expr FROM src ORDER BY 1, read now.
        SelectNode distinct;
        distinct.position = position;
        distinct.distinct = true;
        distinct.select_list.push_back(on.expr->Copy());
        distinct.from = from_source();
        OrderByItem order;
        order.expr = MakeConstant(Value::Integer(1), position);
        distinct.order_by.push_back(std::move(order));
        std::unique_ptr<BoundSelect> bound = BindSelect(distinct);
        std::unique_ptr<PhysicalOperator> root = Planner(exec_ctx_).Plan(*bound);
        DataChunk chunk;
        while (root->Next(&chunk)) {
          exec_ctx_.CheckCancelled();
          for (size_t r = 0; r < chunk.size(); ++r) {
            Value value = chunk.columns[0].GetValue(r);
            if (value.is_null()) continue;
            v.names.push_back(value.ToString());
            v.values.push_back(std::move(value));
          }
          if (v.values.size() > kMaxPivotColumns) break;
        }
      }
      combinations *= std::max<size_t>(v.values.size(), 1);
      if (v.values.size() > kMaxPivotColumns || combinations > kMaxPivotColumns) {
        throw QueryError(ErrorKind::kInvalidInput,
                         "Pivot column limit of " + std::to_string(kMaxPivotColumns) +
                             " exceeded",
                         on.expr->position);
      }
      on_values.push_back(std::move(v));
    }
    std::vector<ParsedExpressionPtr> aggregates;
    for (const auto& a : spec.aggregates) aggregates.push_back(a->Copy());
    if (aggregates.empty()) {
      auto count = std::make_unique<ParsedExpression>();
      count->kind = ExpressionKind::kFunction;
      count->name = "count";
      count->star = true;
      count->position = position;
      aggregates.push_back(std::move(count));
    }
    for (const auto& a : aggregates) {
      if (a->window) {
        throw QueryError(ErrorKind::kBinder, "Pivot expression cannot contain window functions",
                         a->position);
      }
      // DuckDB's rule: exactly one aggregate per USING item, and columns
      // only inside it (each pivot column filters that aggregate's rows).
      std::vector<ParsedExpression*> calls;
      CollectAggregateCalls(a.get(), &calls);
      if (calls.size() != 1) {
        throw QueryError(ErrorKind::kBinder,
                         calls.empty()
                             ? std::string("Pivot expression must contain exactly one aggregate, "
                                           "but no aggregates were found")
                             : "Pivot expression must contain exactly one aggregate, but " +
                                   std::to_string(calls.size()) + " were found",
                         a->position);
      }
      if (ReferencesColumnsOutsideAggregates(*a)) {
        throw QueryError(ErrorKind::kBinder,
                         "Columns can only be referenced within the aggregate of a PIVOT "
                         "expression",
                         a->position);
      }
    }
    // The groups: as written, or every column nothing above reads.
    std::vector<ParsedExpressionPtr> groups;
    if (!spec.group_by.empty()) {
      for (const auto& g : spec.group_by) groups.push_back(g->Copy());
    } else {
      std::set<std::string> used;
      for (const auto& on : spec.on) CollectColumnNames(*on.expr, &used);
      for (const auto& a : aggregates) CollectColumnNames(*a, &used);
      for (const std::string& n : names) {
        if (!used.count(ToLower(n))) groups.push_back(Column(n, position));
      }
    }
    for (const auto& g : groups) {
      node->select_list.push_back(g->Copy());
      node->group_by.push_back(g->Copy());
    }
    // One aggregate per combination of values (the first ON column
    // varies slowest) and USING item.
    std::vector<size_t> pick(on_values.size(), 0);
    bool empty = false;
    for (const OnValues& v : on_values) empty = empty || v.values.empty();
    while (!empty) {
      std::string label;
      ParsedExpressionPtr condition;
      for (size_t k = 0; k < on_values.size(); ++k) {
        label += (k ? "_" : "") + on_values[k].names[pick[k]];
        auto eq = Operator("=", spec.on[k].expr->Copy(),
                           MakeConstant(on_values[k].values[pick[k]], position));
        condition = condition ? Operator("AND", std::move(condition), std::move(eq)) : std::move(eq);
      }
      for (const auto& a : aggregates) {
        auto item = a->Copy();
        if (condition) {
          std::vector<ParsedExpression*> calls;
          CollectAggregateCalls(item.get(), &calls);
          ParsedExpression* call = calls.front();
          call->filter = call->filter
                             ? Operator("AND", std::move(call->filter), condition->Copy())
                             : condition->Copy();
        }
        std::string suffix = !a->alias.empty() ? a->alias : a->ToString();
        if (label.empty()) {
          item->alias = suffix;
        } else if (aggregates.size() == 1 && a->alias.empty()) {
          item->alias = label;
        } else {
          item->alias = label + "_" + suffix;
        }
        node->select_list.push_back(std::move(item));
      }
      // Next combination, last ON column fastest.
      size_t k = on_values.size();
      while (k > 0) {
        --k;
        if (++pick[k] < on_values[k].values.size()) break;
        pick[k] = 0;
        if (k == 0) empty = true;
      }
      if (on_values.empty()) break;
    }
    node->from = from_source();
  }
  source->kind = BoundSource::Kind::kSubquery;
  source->subquery = BindSelect(*node);
  source->schema = source->subquery->output;
  source->name = spec.unpivot ? "unpivot" : "pivot";
}

}  // namespace tsl::query
