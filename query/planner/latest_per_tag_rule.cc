// The latest-per-tag rule: see latest_per_tag_rule.h.
#include "query/planner/latest_per_tag_rule.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <set>

#include "storage/catalog.h"

namespace tsl::query {
namespace {

bool IsColumn(const BoundExpressionPtr& e, int column) {
  return e != nullptr && e->kind == BoundKind::kColumnRef && e->column == column;
}

// True when `e` is a deterministic expression over the tag column only:
// it then keeps or drops all rows of a tag alike, so each kept tag's
// newest row is still in its newest segment.
bool TagOnlyPredicate(const BoundExpression& e, int tag_col) {
  switch (e.kind) {
    case BoundKind::kColumnRef:
      return e.column == tag_col;
    case BoundKind::kConstant:
    case BoundKind::kCast:
    case BoundKind::kOperator:
    case BoundKind::kAnd:
    case BoundKind::kOr:
    case BoundKind::kNot:
    case BoundKind::kIsNull:
    case BoundKind::kLike:
    case BoundKind::kCase:
    case BoundKind::kCoalesce:
    case BoundKind::kTry:
      break;
    case BoundKind::kIn:
      if (e.subquery != nullptr) return false;
      break;
    case BoundKind::kFunction:  // volatile functions (random()) would not be per tag
    case BoundKind::kSubquery:
      return false;
  }
  for (const auto& c : e.children)
    if (!TagOnlyPredicate(*c, tag_col)) return false;
  return true;
}

// An inclusive ts range (micros) from WHERE conjuncts on the ts column.
struct TsRange {
  std::optional<int64_t> lo, hi;
};

// True when every conjunct of `e` is a tag-only predicate or `ts <op>
// constant` (which narrows `range`); the scan's filter still applies them.
bool SplitWhere(const BoundExpression& e, int tag_col, int ts_col, TsRange* range) {
  if (e.kind == BoundKind::kAnd) {
    for (const auto& c : e.children)
      if (!SplitWhere(*c, tag_col, ts_col, range)) return false;
    return true;
  }
  if (TagOnlyPredicate(e, tag_col)) return true;
  if (e.kind != BoundKind::kOperator || e.children.size() != 2) return false;
  const BoundExpression* col = e.children[0].get();
  const BoundExpression* val = e.children[1].get();
  OpCode op = e.op;
  if (col->kind == BoundKind::kConstant) {
    std::swap(col, val);  // 5 < ts is ts > 5
    if (op == OpCode::kLt) {
      op = OpCode::kGt;
    } else if (op == OpCode::kLe) {
      op = OpCode::kGe;
    } else if (op == OpCode::kGt) {
      op = OpCode::kLt;
    } else if (op == OpCode::kGe) {
      op = OpCode::kLe;
    }
  }
  if (col->kind != BoundKind::kColumnRef || col->column != ts_col ||
      val->kind != BoundKind::kConstant || val->value.is_null() ||
      val->value.type() != TypeId::kTimestamp)
    return false;
  const int64_t v = val->value.int_value();
  auto raise_lo = [&](int64_t x) { range->lo = range->lo ? std::max(*range->lo, x) : x; };
  auto lower_hi = [&](int64_t x) { range->hi = range->hi ? std::min(*range->hi, x) : x; };
  switch (op) {
    case OpCode::kEq:
      raise_lo(v);
      lower_hi(v);
      return true;
    case OpCode::kGt:
      if (v == INT64_MAX) return false;
      raise_lo(v + 1);
      return true;
    case OpCode::kGe:
      raise_lo(v);
      return true;
    case OpCode::kLt:
      if (v == INT64_MIN) return false;
      lower_hi(v - 1);
      return true;
    case OpCode::kLe:
      lower_hi(v);
      return true;
    default:
      return false;
  }
}

// True when every live file's stats say column `col` has no NULL.
bool NoNulls(const Snapshot& snap, int col) {
  const std::string& name = snap.physical_schema().fields[static_cast<size_t>(col)].name;
  for (const AddAction& f : snap.files()) {
    if (f.stats.num_records < 0) return false;
    auto it = f.stats.null_count.find(name);
    if (it == f.stats.null_count.end() || it->second != 0) return false;
  }
  return true;
}

// The projection column is a plain reference to `column`.
bool ProjectsColumn(const BoundSelect& s, int index, int column) {
  return index >= 0 && static_cast<size_t>(index) < s.projection.size() &&
         IsColumn(s.projection[static_cast<size_t>(index)], column);
}

// "GROUP BY", "LATEST ON", "DISTINCT ON", or empty when `s` has none of the
// forms (schema indexes as bound, before the planner remaps them).
std::string MatchForm(const BoundSelect& s, const Snapshot& snap, int tag_col, int ts_col,
                      TsRange* range) {
  if (!s.windows.empty() || s.qualify || s.gapfill) return "";
  if (s.where && !SplitWhere(*s.where, tag_col, ts_col, range)) return "";
  if (s.aggregate) {
    if (s.groups.size() != 1 || !IsColumn(s.groups[0], tag_col) || s.aggregates.empty()) return "";
    bool ts_checked = false;
    for (const BoundAggregate& a : s.aggregates) {
      if (a.filter || a.distinct) return "";
      switch (a.kind) {
        case AggregateKind::kMax:
          if (!IsColumn(a.argument, ts_col) || !a.order.empty()) return "";
          break;
        case AggregateKind::kArgMax:
          // arg_max skips rows whose argument is NULL: the newest row with
          // a value could then lie in an older segment.
          // (arg_max(ts, ts) skips only the NULL ts rows max(ts) skips too.)
          if (!a.argument || a.argument->kind != BoundKind::kColumnRef ||
              !IsColumn(a.second, ts_col) || !a.order.empty() ||
              (a.argument->column != ts_col && !NoNulls(snap, a.argument->column)))
            return "";
          break;
        case AggregateKind::kLast:
        case AggregateKind::kFirst:
          // last(x ORDER BY ts) / first(x ORDER BY ts DESC): the newest row,
          // unless NULL ts rows sort after it.
          if (a.order.size() != 1 || !IsColumn(a.order[0], ts_col) ||
              a.order_desc[0] != (a.kind == AggregateKind::kFirst))
            return "";
          if (!ts_checked && !NoNulls(snap, ts_col)) return "";
          ts_checked = true;
          break;
        default:
          return "";
      }
    }
    return "GROUP BY";
  }
  if (s.distinct_on.size() != 1 || !ProjectsColumn(s, s.distinct_on[0], tag_col)) return "";
  if (s.latest_column >= 0) {
    if (!ProjectsColumn(s, s.latest_column, ts_col) || !NoNulls(snap, ts_col)) return "";
    return "LATEST ON";
  }
  // DISTINCT ON (tag) ... ORDER BY tag, ts DESC: a third key would break
  // ties among equal ts, which may lie in segments the rule skips.
  if (s.order.size() != 2 || s.order[0].column != s.distinct_on[0] ||
      !ProjectsColumn(s, s.order[1].column, ts_col) || !s.order[1].descending ||
      !NoNulls(snap, ts_col))
    return "";
  return "DISTINCT ON";
}

}  // namespace

std::optional<LatestPerTagPlan> MatchLatestPerTag(const BoundSelect& s) {
  // For A/B measurements of the same binary (bench): the normal plan.
  static const bool disabled = std::getenv("TSLAKE_DISABLE_LATEST_PER_TAG") != nullptr;
  if (disabled) return std::nullopt;
  const BoundSource& src = s.source;
  if (src.kind != BoundSource::Kind::kTable || src.table == nullptr || src.snapshot == nullptr)
    return std::nullopt;
  Catalog* catalog = src.table->catalog();
  if (catalog == nullptr) return std::nullopt;
  const Snapshot& snap = *src.snapshot;
  const int tag_col = Catalog::IndexedTagColumn(snap.physical_schema());
  const int ts_col = Catalog::IndexedTimeColumn(snap.physical_schema());
  if (tag_col < 0 || ts_col < 0 || snap.physical_schema().size() != src.schema.size())
    return std::nullopt;
  if (snap.uncommitted()) return std::nullopt;  // a transaction's view: not in the catalog
  TsRange range;
  std::string form = MatchForm(s, snap, tag_col, ts_col, &range);
  if (form.empty()) return std::nullopt;
  if (range.lo && range.hi && *range.lo > *range.hi)
    return std::nullopt;  // no row: nothing to save
  Result<std::optional<Catalog::LatestSegments>> found =
      catalog->LatestTagSegments(src.table->name(), snap.version(), range.lo, range.hi);
  if (!found.ok() || !found->has_value()) return std::nullopt;
  const std::set<std::string> wanted((*found)->paths.begin(), (*found)->paths.end());
  LatestPerTagPlan plan;
  plan.form = std::move(form);
  plan.tags = (*found)->tags;
  for (const AddAction& f : snap.files()) {
    ++plan.segments_total;
    if (wanted.count(f.path)) plan.files.push_back(f.path);
  }
  // The index lists only live segments when current; anything else means
  // it does not describe this snapshot after all.
  if (plan.files.size() != wanted.size()) return std::nullopt;
  // No segment to read (an empty table or range): the normal plan is as cheap.
  if (plan.files.empty()) return std::nullopt;
  return plan;
}

}  // namespace tsl::query
