// Time-series verbs of the binder: QuestDB's SAMPLE BY and TimescaleDB's
// time_bucket_gapfill with locf() / interpolate(). Both become the
// engine's own plan shape: GROUP BY time_bucket(interval, ts) plus an
// optional gap-filling step after the projection (BoundGapfill, run by
// PhysicalGapfill). See binder.h and README "Time-series SQL".
#include <algorithm>

#include "formats/interval.h"
#include "query/binder/binder.h"
#include "query/common/query_error.h"
#include "query/functions/cast_function.h"

namespace tsl::query {
namespace {

bool IsFunction(const ParsedExpression& e, const char* name) {
  return e.kind == ExpressionKind::kFunction && !e.window && e.name == name;
}

ParsedExpressionPtr MakeTimeBucket(const ParsedExpression& interval, const ParsedExpression& ts,
                                   int position) {
  auto f = std::make_unique<ParsedExpression>();
  f->kind = ExpressionKind::kFunction;
  f->name = "time_bucket";
  f->position = position;
  f->children.push_back(interval.Copy());
  f->children.push_back(ts.Copy());
  return f;
}

// Same column, whatever the qualification ("ts" and "m.ts").
bool SameColumn(const ParsedExpression& a, const ParsedExpression& b) {
  if (a.kind == ExpressionKind::kColumnRef && b.kind == ExpressionKind::kColumnRef) {
    if (!EqualsIgnoreCase(a.names.back(), b.names.back())) return false;
    return a.names.size() == 1 || b.names.size() == 1 || EqualsIgnoreCase(a.names[0], b.names[0]);
  }
  return a.ToString() == b.ToString();
}

}  // namespace

Binder::TimeSeriesPlan Binder::RewriteTimeSeries(const SelectNode& node,
                                                 const std::vector<ScopeColumn>& scope,
                                                 std::vector<ParsedExpressionPtr>* items,
                                                 std::vector<ParsedExpressionPtr>* group_by) {
  TimeSeriesPlan plan;
  auto interval_micros = [&](const ParsedExpression& e, const char* what) {
    Value v = EvaluateConstant(e);
    if (v.type() != TypeId::kInterval) v = CastValue(v, TypeId::kInterval);
    if (!v.is_null() && IsCalendarInterval(v.int_value())) {
      throw QueryError(ErrorKind::kNotImplemented,
                       std::string(what) + " needs a fixed-length interval; INTERVAL '" +
                           v.ToString() + "' has months, whose length varies",
                       e.position);
    }
    if (v.is_null() || v.int_value() <= 0) {
      throw QueryError(ErrorKind::kBinder,
                       std::string(what) + " needs a positive interval such as INTERVAL '1 hour'",
                       e.position);
    }
    return v.int_value();
  };
  auto timestamp_value = [&](const ParsedExpression& e) -> std::optional<int64_t> {
    Value v = CastValue(EvaluateConstant(e), TypeId::kTimestamp);
    if (v.is_null()) return std::nullopt;
    return v.int_value();
  };

  if (node.sample_by) {
    if (!group_by->empty() || node.group_by_all) {
      throw QueryError(ErrorKind::kBinder,
                       "SAMPLE BY cannot be combined with GROUP BY: SAMPLE BY groups by the "
                       "time bucket and every non-aggregate column of the select list",
                       node.sample_by->position);
    }
    if (node.latest_on) {
      throw QueryError(ErrorKind::kBinder, "SAMPLE BY cannot be combined with LATEST ON",
                       node.sample_by->position);
    }
    const int64_t width = interval_micros(*node.sample_by, "SAMPLE BY");
    // The time column: a TIMESTAMP column of the select list, else the
    // source's first TIMESTAMP column.
    auto is_ts_column = [&](const ParsedExpression& e) {
      if (e.kind != ExpressionKind::kColumnRef) return false;
      for (const ScopeColumn& c : scope) {
        if (EqualsIgnoreCase(c.name, e.names.back()) &&
            (e.names.size() == 1 || EqualsIgnoreCase(c.table, e.names[0]))) {
          return IsTimestampType(c.type);
        }
      }
      return false;
    };
    ParsedExpressionPtr ts;
    for (const auto& item : *items) {
      if (is_ts_column(*item)) {
        ts = item->Copy();
        ts->alias.clear();
        break;
      }
    }
    if (!ts) {
      for (const ScopeColumn& c : scope) {
        if (!IsTimestampType(c.type)) continue;
        ts = std::make_unique<ParsedExpression>();
        ts->kind = ExpressionKind::kColumnRef;
        ts->names = {c.table, c.name};
        ts->position = node.sample_by->position;
        break;
      }
    }
    if (!ts) {
      throw QueryError(ErrorKind::kBinder,
                       "SAMPLE BY needs a TIMESTAMP column in the FROM clause to bucket",
                       node.sample_by->position);
    }
    ParsedExpressionPtr bucket = MakeTimeBucket(*node.sample_by, *ts, node.sample_by->position);
    BoundGapfill fill;
    fill.interval_micros = width;
    int bucket_item = -1;
    std::vector<ParsedExpressionPtr> keys;
    for (size_t i = 0; i < items->size(); ++i) {
      ParsedExpressionPtr& item = (*items)[i];
      if (item->kind == ExpressionKind::kColumnRef && SameColumn(*item, *ts)) {
        std::string alias = item->alias.empty() ? item->names.back() : item->alias;
        item = bucket->Copy();
        item->alias = alias;
        if (bucket_item < 0) bucket_item = static_cast<int>(i);
        fill.fills.push_back(BoundGapfill::Fill::kBucket);
      } else if (ContainsAggregate(*item)) {
        BoundGapfill::Fill f = BoundGapfill::Fill::kNull;
        if (node.sample_fill == "prev") f = BoundGapfill::Fill::kLocf;
        if (node.sample_fill == "linear") f = BoundGapfill::Fill::kInterpolate;
        if (node.sample_fill == "value") f = BoundGapfill::Fill::kValue;
        fill.fills.push_back(f);
      } else {
        fill.fills.push_back(BoundGapfill::Fill::kKey);
        keys.push_back(item->Copy());
      }
    }
    plan.groups.push_back(bucket->Copy());
    for (auto& k : keys) plan.groups.push_back(k->Copy());
    // The implied order is ascending, NULLs last, whatever default_order
    // and default_null_order say.
    OrderByItem by_time;
    by_time.expr = bucket->Copy();
    by_time.direction_given = true;
    by_time.nulls_first = false;
    plan.order.push_back(std::move(by_time));
    for (auto& k : keys) {
      OrderByItem item;
      item.expr = std::move(k);
      item.direction_given = true;
      item.nulls_first = false;
      plan.order.push_back(std::move(item));
    }
    if (node.sample_fill != "none") {
      if (bucket_item < 0) {
        throw QueryError(ErrorKind::kBinder,
                         "SAMPLE BY ... FILL needs the time column in the select list",
                         node.sample_by->position);
      }
      fill.bucket_column = bucket_item;
      fill.finish_inclusive = true;  // from the first to the last bucket with data
      if (node.sample_fill == "value") {
        Value v = EvaluateConstant(*node.sample_fill_value);
        fill.values.assign(fill.fills.size(), v);
      }
      plan.gapfill = std::move(fill);
    }
    return plan;
  }

  // time_bucket_gapfill(interval, ts[, start, finish]) in the select list
  // or GROUP BY.
  const ParsedExpression* gapfill = nullptr;
  for (const auto& item : *items) {
    if (IsFunction(*item, "time_bucket_gapfill")) gapfill = item.get();
  }
  for (const auto& g : *group_by) {
    if (!gapfill && IsFunction(*g, "time_bucket_gapfill")) gapfill = g.get();
  }
  bool any_fill = false;
  for (const auto& item : *items) {
    any_fill = any_fill || IsFunction(*item, "locf") || IsFunction(*item, "interpolate");
  }
  if (!gapfill) {
    if (any_fill) {
      throw QueryError(ErrorKind::kBinder,
                       "locf() and interpolate() need a time_bucket_gapfill(...) in GROUP BY",
                       node.position);
    }
    return plan;
  }
  ParsedExpressionPtr call = gapfill->Copy();
  call->alias.clear();
  if (call->children.size() < 2 || call->children.size() > 4) {
    throw QueryError(ErrorKind::kBinder,
                     "time_bucket_gapfill takes (interval, ts[, start, finish]), got " +
                         std::to_string(call->children.size()) + " arguments",
                     call->position);
  }
  const std::string key = call->ToString();
  BoundGapfill fill;
  fill.interval_micros = interval_micros(*call->children[0], "time_bucket_gapfill");
  if (call->children.size() > 2) fill.start = timestamp_value(*call->children[2]);
  if (call->children.size() > 3) fill.finish = timestamp_value(*call->children[3]);
  const ParsedExpression& ts = *call->children[1];
  // Bounds from the WHERE clause's conjuncts on the time column.
  std::vector<const ParsedExpression*> conjuncts;
  if (node.where) conjuncts.push_back(node.where.get());
  for (size_t i = 0; i < conjuncts.size(); ++i) {
    const ParsedExpression& c = *conjuncts[i];
    if (c.kind == ExpressionKind::kOperator && c.op == "AND") {
      for (const auto& child : c.children) conjuncts.push_back(child.get());
      continue;
    }
    auto constant = [&](const ParsedExpression& e) -> std::optional<int64_t> {
      try {
        return timestamp_value(e);
      } catch (const QueryError&) {
        return std::nullopt;
      }
    };
    if (c.kind == ExpressionKind::kBetween && !c.negated && SameColumn(*c.children[0], ts)) {
      if (!fill.start) fill.start = constant(*c.children[1]);
      if (!fill.finish) {
        fill.finish = constant(*c.children[2]);
        fill.finish_inclusive = true;
      }
      continue;
    }
    if (c.kind != ExpressionKind::kOperator || c.children.size() != 2) continue;
    std::string op = c.op;
    const ParsedExpression* other = nullptr;
    if (SameColumn(*c.children[0], ts)) {
      other = c.children[1].get();
    } else if (SameColumn(*c.children[1], ts)) {
      other = c.children[0].get();
      op = op == "<" ? ">" : op == "<=" ? ">=" : op == ">" ? "<" : op == ">=" ? "<=" : op;
    }
    if (!other) continue;
    if ((op == ">=" || op == ">") && !fill.start) fill.start = constant(*other);
    if ((op == "<" || op == "<=") && !fill.finish) {
      fill.finish = constant(*other);
      fill.finish_inclusive = op == "<=";
    }
  }
  if (!fill.start || !fill.finish) {
    throw QueryError(ErrorKind::kBinder,
                     std::string("time_bucket_gapfill could not infer the ") +
                         (!fill.start ? "start" : "finish") +
                         " of the range from the WHERE clause; bound the time column there "
                         "(ts >= ... AND ts < ...) or pass them: time_bucket_gapfill(interval, "
                         "ts, start, finish)",
                     call->position);
  }
  ParsedExpressionPtr bucket = MakeTimeBucket(*call->children[0], ts, call->position);
  auto replace = [&](ParsedExpressionPtr& e) {
    if (IsFunction(*e, "time_bucket_gapfill") && [&] {
          ParsedExpressionPtr c = e->Copy();
          c->alias.clear();
          return c->ToString() == key;
        }()) {
      std::string alias = e->alias.empty() ? e->ToString() : e->alias;
      e = bucket->Copy();
      e->alias = alias;
      return true;
    }
    return false;
  };
  bool in_group = node.group_by_all;
  for (auto& g : *group_by) in_group = replace(g) || in_group;
  // GROUP BY 1 or an alias names a select item, which is replaced below.
  for (const auto& g : *group_by) {
    in_group = in_group || g->kind == ExpressionKind::kConstant || g->kind == ExpressionKind::kColumnRef;
  }
  if (!in_group) {
    throw QueryError(ErrorKind::kBinder, "time_bucket_gapfill must be in the GROUP BY clause",
                     call->position);
  }
  int bucket_item = -1;
  for (size_t i = 0; i < items->size(); ++i) {
    ParsedExpressionPtr& item = (*items)[i];
    if (replace(item)) {
      if (bucket_item < 0) bucket_item = static_cast<int>(i);
      fill.fills.push_back(BoundGapfill::Fill::kBucket);
    } else if (IsFunction(*item, "locf") || IsFunction(*item, "interpolate")) {
      if (item->children.size() != 1) {
        throw QueryError(ErrorKind::kBinder, item->name + "() takes one argument",
                         item->position);
      }
      const bool locf = item->name == "locf";
      std::string alias = item->alias.empty() ? item->ToString() : item->alias;
      ParsedExpressionPtr inner = item->children[0]->Copy();
      item = std::move(inner);
      item->alias = alias;
      fill.fills.push_back(locf ? BoundGapfill::Fill::kLocf : BoundGapfill::Fill::kInterpolate);
    } else if (ContainsAggregate(*item)) {
      fill.fills.push_back(BoundGapfill::Fill::kNull);
    } else {
      fill.fills.push_back(BoundGapfill::Fill::kKey);
    }
  }
  if (bucket_item < 0) {
    throw QueryError(ErrorKind::kBinder,
                     "time_bucket_gapfill must also appear in the select list (it names the "
                     "bucket of each filled row)",
                     call->position);
  }
  fill.bucket_column = bucket_item;
  plan.gapfill = std::move(fill);
  return plan;
}

}  // namespace tsl::query
