// Filter pushdown and column pruning through joins. See join_planner.h.
#include "query/planner/join_planner.h"

#include <algorithm>
#include <map>
#include <set>

#include "query/common/depth_guard.h"
#include "query/execution/physical_filter.h"
#include "query/execution/physical_hash_join.h"
#include "query/execution/physical_positional_join.h"
#include "query/execution/physical_projection.h"
#include "query/execution/physical_table_scan.h"
#include "query/planner/planner.h"

namespace tsl::query {
namespace {

bool HasSubquery(const BoundExpression& e) {
  if (e.kind == BoundKind::kSubquery || e.subquery) return true;
  for (const auto& c : e.children) {
    if (HasSubquery(*c)) return true;
  }
  return false;
}

// Window outputs (kWindowColumnBase + k) are not source columns.
void CollectColumns(const BoundExpression& e, int shift, std::set<int>* used) {
  if (e.kind == BoundKind::kColumnRef && e.column < kWindowColumnBase) used->insert(e.column + shift);
  for (const auto& c : e.children) CollectColumns(*c, shift, used);
}

// Column c becomes f(c).
template <typename F>
void Remap(BoundExpression* e, const F& f) {
  if (e->kind == BoundKind::kColumnRef && e->column < kWindowColumnBase) e->column = f(e->column);
  for (auto& c : e->children) Remap(c.get(), f);
}

void SplitAnd(BoundExpressionPtr e, std::vector<BoundExpressionPtr>* out) {
  if (e->kind == BoundKind::kAnd) {
    for (auto& c : e->children) SplitAnd(std::move(c), out);
  } else {
    out->push_back(std::move(e));
  }
}

BoundExpressionPtr MakeAnd(std::vector<BoundExpressionPtr> conjuncts) {
  if (conjuncts.size() == 1) return std::move(conjuncts[0]);
  auto e = std::make_unique<BoundExpression>();
  e->kind = BoundKind::kAnd;
  e->type = TypeId::kBoolean;
  e->children = std::move(conjuncts);
  return e;
}

int Width(const BoundSource& src) { return static_cast<int>(src.schema.size()); }

// A rough row count of an input, or -1 when unknown: a table's rows from
// its snapshot, a VALUES list (literal rows in the SQL text) as small, a
// subquery with LIMIT at most that, a global aggregate one row.
int64_t EstimateRows(const BoundSource& src) {
  switch (src.kind) {
    case BoundSource::Kind::kSingleRow:
      return 1;
    case BoundSource::Kind::kTable:
      return src.snapshot ? src.snapshot->total_rows() : -1;
    case BoundSource::Kind::kFunction:
      return src.name == "VALUES" ? 1000 : -1;
    case BoundSource::Kind::kSubquery: {
      const BoundSelect& q = *src.subquery;
      if (q.aggregate && q.groups.empty()) return 1;
      int64_t below = EstimateRows(q.source);
      if (q.limit && *q.limit >= 0 && (below < 0 || *q.limit < below)) below = *q.limit;
      return below;
    }
    case BoundSource::Kind::kJoin:
    case BoundSource::Kind::kSetOp:
    case BoundSource::Kind::kLateral:
    case BoundSource::Kind::kSemiJoin:
      return -1;
  }
  return -1;
}

// INNER joins build on the smaller input: the right one unless the left
// is known to be much smaller than a right input known to be large.
bool BuildOnLeft(const BoundSource& join) {
  if (join.join_type != JoinType::kInner || !join.condition) return false;
  const int64_t left = EstimateRows(*join.left);
  const int64_t right = EstimateRows(*join.right);
  return left >= 0 && right >= 0 && right > 100000 && left * 4 < right;
}

// The input (not a join) that a conjunct over global columns [lo, hi] can
// move into, or null.
BoundSource* Target(BoundSource& src, int off, int lo, int hi) {
  if (src.kind != BoundSource::Kind::kJoin) return &src;
  const int split = off + Width(*src.left);
  const JoinType t = src.join_type;
  if (hi < split) {
    const bool ok = t == JoinType::kInner || t == JoinType::kCross || t == JoinType::kLeft ||
                    t == JoinType::kAsof || t == JoinType::kAsofLeft;
    return ok ? Target(*src.left, off, lo, hi) : nullptr;
  }
  if (lo >= split) {
    const bool ok = t == JoinType::kInner || t == JoinType::kCross || t == JoinType::kRight;
    return ok ? Target(*src.right, split, lo, hi) : nullptr;
  }
  return nullptr;
}

struct Input {
  int old_off = 0, new_off = 0;
  bool prunable = false;
  std::vector<int> kept;  // the input's columns read (its schema indexes), in order
  std::vector<BoundExpressionPtr> pushed;  // global old numbering until planned
};

class JoinTreePlanner {
 public:
  JoinTreePlanner(ExecutionContext ctx,
                  const std::function<std::unique_ptr<PhysicalOperator>(BoundSource&)>& plan_side)
      : ctx_(ctx), plan_side_(plan_side) {}

  std::unique_ptr<PhysicalOperator> Run(BoundSelect& s, const std::vector<BoundExpression*>& exprs) {
    BoundSource& root = s.source;
    bool prune = true;
    for (BoundExpression* e : exprs) prune = prune && !HasSubquery(*e);
    // Move single-input conjuncts of WHERE to their input.
    std::vector<BoundExpressionPtr> rest;
    if (s.where) {
      std::vector<BoundExpressionPtr> conjuncts;
      SplitAnd(std::move(s.where), &conjuncts);
      for (auto& c : conjuncts) {
        std::set<int> cols;
        CollectColumns(*c, 0, &cols);
        BoundSource* target = nullptr;
        if (HasSubquery(*c)) {
          prune = false;
        } else if (!cols.empty()) {
          target = Target(root, 0, *cols.begin(), *cols.rbegin());
        }
        if (target) {
          pending_[target].push_back(std::move(c));
        } else {
          rest.push_back(std::move(c));
        }
      }
      if (!rest.empty()) s.where = MakeAnd(std::move(rest));
    }
    // Every column read above the inputs (old global numbering).
    std::set<int> used;
    for (BoundExpression* e : exprs) CollectColumns(*e, 0, &used);
    if (s.where) CollectColumns(*s.where, 0, &used);
    for (auto& [src, conjuncts] : pending_) {
      for (auto& c : conjuncts) CollectColumns(*c, 0, &used);
    }
    CollectConditionColumns(root, 0, &used);
    int next = 0;
    Layout(root, 0, prune, used, &next);
    // Remap what reads the join's output.
    auto global = [&](int c) { return map_[c]; };
    for (BoundExpression* e : exprs) Remap(e, global);
    if (s.where) Remap(s.where.get(), global);
    // The columns read above the join tree (new numbering).
    std::set<int> need;
    for (BoundExpression* e : exprs) CollectColumns(*e, 0, &need);
    if (s.where) CollectColumns(*s.where, 0, &need);
    return Build(root, need);
  }

 private:
  void CollectConditionColumns(const BoundSource& src, int off, std::set<int>* used) {
    if (src.kind != BoundSource::Kind::kJoin) return;
    if (src.condition) CollectColumns(*src.condition, off, used);
    CollectConditionColumns(*src.left, off, used);
    CollectConditionColumns(*src.right, off + Width(*src.left), used);
  }

  // Assigns the inputs' kept columns and new offsets (in order) and fills
  // map_ (old global column -> new global column).
  void Layout(BoundSource& src, int off, bool prune, const std::set<int>& used, int* next) {
    CheckStackDepth(ErrorKind::kInvalidInput);
    if (src.kind == BoundSource::Kind::kJoin) {
      Input& node = joins_[&src];
      node.old_off = off;
      node.new_off = *next;
      Layout(*src.left, off, prune, used, next);
      Layout(*src.right, off + Width(*src.left), prune, used, next);
      return;
    }
    Input& in = inputs_[&src];
    in.old_off = off;
    in.new_off = *next;
    const int w = Width(src);
    in.prunable = prune && (src.kind == BoundSource::Kind::kTable ||
                            src.kind == BoundSource::Kind::kFunction);
    for (int c = 0; c < w; ++c) {
      if (!in.prunable || used.count(off + c)) in.kept.push_back(c);
    }
    // A count(*) over the join still needs one column to carry rows.
    if (in.kept.empty() && w > 0) in.kept.push_back(0);
    if (map_.size() < static_cast<size_t>(off + w)) map_.resize(off + w, -1);
    for (size_t i = 0; i < in.kept.size(); ++i) map_[off + in.kept[i]] = *next + static_cast<int>(i);
    *next += static_cast<int>(in.kept.size());
    auto it = pending_.find(&src);
    if (it != pending_.end()) in.pushed = std::move(it->second);
  }

  // `need`: the columns (new global numbering) read above `src`.
  std::unique_ptr<PhysicalOperator> Build(BoundSource& src, const std::set<int>& need) {
    CheckStackDepth(ErrorKind::kInvalidInput);
    if (src.kind == BoundSource::Kind::kJoin) {
      const Input& node = joins_[&src];
      if (src.condition) {
        Remap(src.condition.get(),
              [&](int c) { return map_[c + node.old_off] - node.new_off; });
      }
      // The inputs' rows feed this join's condition too.
      std::set<int> below = need;
      if (src.condition) CollectColumns(*src.condition, node.new_off, &below);
      auto left = Build(*src.left, below);
      auto right = Build(*src.right, below);
      const int lw = static_cast<int>(left->types().size());
      const int rw = static_cast<int>(right->types().size());
      // Output columns nobody above reads are not gathered (NULL columns).
      std::vector<uint8_t> needed(lw + rw, 0);
      for (int i = 0; i < lw + rw; ++i) needed[i] = need.count(node.new_off + i) ? 1 : 0;
      if (src.join_type == JoinType::kPositional) {
        return std::make_unique<PhysicalPositionalJoin>(std::move(left), std::move(right));
      }
      if (!BuildOnLeft(src)) {
        auto join = std::make_unique<PhysicalHashJoin>(
            std::move(left), std::move(right), src.join_type, std::move(src.condition), ctx_);
        join->SetNeededColumns(std::move(needed));
        return join;
      }
      // Swapped: the join produces [right..., left...]; a projection puts
      // the columns back in the order everything above expects.
      Remap(src.condition.get(), [&](int c) { return c < lw ? c + rw : c - lw; });
      std::vector<uint8_t> swapped(needed.begin() + lw, needed.end());
      swapped.insert(swapped.end(), needed.begin(), needed.begin() + lw);
      std::vector<TypeId> types = left->types();
      for (TypeId t : right->types()) types.push_back(t);
      auto join = std::make_unique<PhysicalHashJoin>(
          std::move(right), std::move(left), src.join_type, std::move(src.condition), ctx_);
      join->SetNeededColumns(std::move(swapped));
      std::vector<BoundExpressionPtr> order;
      for (int i = 0; i < lw + rw; ++i) {
        order.push_back(MakeBoundColumn(i < lw ? i + rw : i - lw, types[i]));
      }
      return std::make_unique<PhysicalProjection>(std::move(join), std::move(order));
    }
    Input& in = inputs_[&src];
    // The pushed conjuncts in the input's schema numbering.
    BoundExpressionPtr filter;
    if (!in.pushed.empty()) {
      filter = MakeAnd(std::move(in.pushed));
      Remap(filter.get(), [&](int c) { return c - in.old_off; });
    }
    std::unique_ptr<PhysicalOperator> op;
    if (src.kind == BoundSource::Kind::kTable) {
      ScanOptions options;
      options.columns = in.kept;
      if (filter) {
        options.ranges = ExtractScanRanges(*filter);
        // The filter above the scan implies every range and still runs.
        options.drop_rows_outside_ranges = true;
      }
      std::vector<TypeId> types;
      for (int c : in.kept) types.push_back(src.schema.fields[c].type);
      op = std::make_unique<PhysicalTableScan>(src.table, src.snapshot, std::move(options),
                                               std::move(types), ctx_);
    } else if (src.kind == BoundSource::Kind::kFunction) {
      op = std::make_unique<PhysicalSourceScan>(std::move(src.function_source), src.name, in.kept,
                                                ctx_);
    } else {
      op = plan_side_(src);
    }
    if (filter) {
      if (in.prunable) {
        std::vector<int> local(Width(src), -1);
        for (size_t i = 0; i < in.kept.size(); ++i) local[in.kept[i]] = static_cast<int>(i);
        Remap(filter.get(), [&](int c) { return local[c]; });
      }
      op = std::make_unique<PhysicalFilter>(std::move(op), std::move(filter));
    }
    return op;
  }

  ExecutionContext ctx_;
  const std::function<std::unique_ptr<PhysicalOperator>(BoundSource&)>& plan_side_;
  std::map<const BoundSource*, std::vector<BoundExpressionPtr>> pending_;
  std::map<const BoundSource*, Input> inputs_, joins_;
  std::vector<int> map_;
};

}  // namespace

std::unique_ptr<PhysicalOperator> PlanJoinTree(
    BoundSelect& s, const std::vector<BoundExpression*>& exprs, ExecutionContext ctx,
    const std::function<std::unique_ptr<PhysicalOperator>(BoundSource&)>& plan_side) {
  return JoinTreePlanner(ctx, plan_side).Run(s, exprs);
}

}  // namespace tsl::query
