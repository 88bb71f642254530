// Logical -> physical planning with projection and range pushdown. See
// planner.h.
#include "query/planner/planner.h"

#include <algorithm>
#include <set>

#include "query/common/depth_guard.h"
#include "query/execution/physical_distinct.h"
#include "query/execution/physical_distinct_on.h"
#include "query/execution/physical_filter.h"
#include "query/execution/physical_gapfill.h"
#include "query/execution/physical_hash_join.h"
#include "query/execution/physical_hash_aggregate.h"
#include "query/execution/physical_lateral_join.h"
#include "query/execution/physical_latest_per_tag.h"
#include "query/execution/physical_limit.h"
#include "query/execution/physical_positional_join.h"
#include "query/execution/physical_semi_join.h"
#include "query/execution/physical_limit_percent.h"
#include "query/execution/parallel_pipeline.h"
#include "query/execution/physical_order.h"
#include "query/execution/physical_projection.h"
#include "query/execution/physical_set_operation.h"
#include "query/execution/physical_table_scan.h"
#include "query/execution/physical_top_n.h"
#include "query/execution/physical_window.h"
#include "query/planner/grouping_sets_plan.h"
#include "query/planner/join_planner.h"
#include "query/planner/late_top_n_rule.h"
#include "query/planner/latest_per_tag_rule.h"

namespace tsl::query {
namespace {

// Window outputs (kWindowColumnBase + k) are not source columns.
void CollectColumns(const BoundExpression& e, std::set<int>* used) {
  if (e.kind == BoundKind::kColumnRef && e.column < kWindowColumnBase) used->insert(e.column);
  for (const auto& c : e.children) CollectColumns(*c, used);
}

void RemapColumns(BoundExpression* e, const std::vector<int>& map) {
  if (e->kind == BoundKind::kColumnRef && e->column < kWindowColumnBase) e->column = map[e->column];
  for (auto& c : e->children) RemapColumns(c.get(), map);
}

// Points window references at the window operator's appended columns.
void ResolveWindowColumns(BoundExpression* e, int width) {
  if (e->kind == BoundKind::kColumnRef && e->column >= kWindowColumnBase) {
    e->column = width + (e->column - kWindowColumnBase);
  }
  for (auto& c : e->children) ResolveWindowColumns(c.get(), width);
}

// The expressions evaluated directly on the source's rows.
std::vector<BoundExpression*> SourceLevelExpressions(BoundSelect& s) {
  std::vector<BoundExpression*> out;
  if (s.where) out.push_back(s.where.get());
  if (s.aggregate) {
    for (auto& g : s.groups) out.push_back(g.get());
    for (auto& a : s.aggregates) {
      if (a.argument) out.push_back(a.argument.get());
      if (a.second) out.push_back(a.second.get());
      for (auto& o : a.order) out.push_back(o.get());
      if (a.filter) out.push_back(a.filter.get());
    }
    // The windows, QUALIFY and the projection read the aggregate's output.
    return out;
  }
  for (auto& p : s.projection) out.push_back(p.get());
  if (s.qualify) out.push_back(s.qualify.get());
  for (BoundWindow& w : s.windows) {
    for (auto& e : w.arguments) out.push_back(e.get());
    for (auto& e : w.partitions) out.push_back(e.get());
    for (auto& e : w.orders) out.push_back(e.get());
  }
  return out;
}

void AddRange(const BoundExpression& conjunct, std::vector<ScanRange>* ranges) {
  if (conjunct.kind == BoundKind::kAnd) {
    for (const auto& c : conjunct.children) AddRange(*c, ranges);
    return;
  }
  if (conjunct.kind != BoundKind::kOperator || conjunct.children.size() != 2) return;
  OpCode op = conjunct.op;
  if (op != OpCode::kEq && op != OpCode::kLt && op != OpCode::kLe && op != OpCode::kGt &&
      op != OpCode::kGe) {
    return;
  }
  const BoundExpression* col = conjunct.children[0].get();
  const BoundExpression* val = conjunct.children[1].get();
  if (col->kind == BoundKind::kConstant && val->kind == BoundKind::kColumnRef) {
    std::swap(col, val);
    // Mirror the operator: 5 < x is x > 5.
    if (op == OpCode::kLt)
      op = OpCode::kGt;
    else if (op == OpCode::kLe)
      op = OpCode::kGe;
    else if (op == OpCode::kGt)
      op = OpCode::kLt;
    else if (op == OpCode::kGe)
      op = OpCode::kLe;
  }
  if (col->kind != BoundKind::kColumnRef || val->kind != BoundKind::kConstant ||
      val->value.is_null() || val->type != col->type) {
    return;
  }
  // INTERVALs compare normalized (1 month = 30 days) but zone maps hold the
  // packed word's order (formats/interval.h): no pruning on them.
  if (col->type == TypeId::kInterval) return;
  ScanRange r;
  r.column = col->column;
  r.lo = Value::Null(col->type);
  r.hi = Value::Null(col->type);
  if (op == OpCode::kEq || op == OpCode::kGt || op == OpCode::kGe) r.lo = val->value;
  if (op == OpCode::kEq || op == OpCode::kLt || op == OpCode::kLe) r.hi = val->value;
  ranges->push_back(std::move(r));
}

}  // namespace

std::vector<ScanRange> ExtractScanRanges(const BoundExpression& predicate) {
  std::vector<ScanRange> ranges;
  AddRange(predicate, &ranges);
  return ranges;
}

std::unique_ptr<PhysicalOperator> Planner::PlanSource(BoundSelect& s) {
  BoundSource& src = s.source;
  if (src.kind == BoundSource::Kind::kSingleRow) return std::make_unique<PhysicalSingleRow>();
  if (src.kind == BoundSource::Kind::kSubquery) return Plan(*src.subquery);
  if (src.kind == BoundSource::Kind::kSetOp || src.kind == BoundSource::Kind::kLateral ||
      src.kind == BoundSource::Kind::kSemiJoin) {
    return PlanJoinSide(src);
  }
  if (src.kind == BoundSource::Kind::kJoin) {
    // WHERE conjuncts move into the join's inputs, unread columns are not
    // scanned (join_planner.h).
    std::vector<BoundExpression*> exprs = SourceLevelExpressions(s);
    exprs.erase(std::remove(exprs.begin(), exprs.end(), s.where.get()), exprs.end());
    return PlanJoinTree(s, exprs, ctx_, [this](BoundSource& side) { return PlanJoinSide(side); });
  }

  // Projection pushdown: read only referenced columns, renumbered densely.
  std::vector<BoundExpression*> exprs = SourceLevelExpressions(s);
  std::set<int> used;
  for (BoundExpression* e : exprs) CollectColumns(*e, &used);
  // A count(*) still needs one column to carry the row count.
  if (used.empty()) used.insert(0);
  std::vector<int> columns(used.begin(), used.end());
  std::vector<int> map(src.schema.size(), -1);
  for (size_t i = 0; i < columns.size(); ++i) map[columns[i]] = static_cast<int>(i);

  std::unique_ptr<PhysicalOperator> scan;
  if (src.kind == BoundSource::Kind::kTable) {
    ScanOptions options;
    options.columns = columns;
    if (s.where) {
      options.ranges = ExtractScanRanges(*s.where);
      // The WHERE above the scan implies every range and still runs.
      options.drop_rows_outside_ranges = true;
    }
    std::vector<TypeId> types;
    for (int c : columns) types.push_back(src.schema.fields[c].type);
    // Latest per tag: read only the segments holding each tag's newest row.
    std::optional<LatestPerTagPlan> latest = MatchLatestPerTag(s);
    if (latest) options.only_files = latest->files;
    scan = std::make_unique<PhysicalTableScan>(src.table, src.snapshot, std::move(options),
                                               std::move(types), ctx_);
    if (latest) {
      scan = std::make_unique<PhysicalLatestPerTag>(std::move(scan), latest->form,
                                                    latest->files.size(), latest->segments_total,
                                                    latest->tags);
    }
  } else {
    scan = std::make_unique<PhysicalSourceScan>(std::move(src.function_source), src.name, columns,
                                                ctx_);
  }
  for (BoundExpression* e : exprs) RemapColumns(e, map);
  return scan;
}

// A source producing every column of its schema, in order (join inputs:
// expressions over a join use the combined schema's indexes as they are).
std::unique_ptr<PhysicalOperator> Planner::PlanJoinSide(BoundSource& src) {
  CheckStackDepth(ErrorKind::kInvalidInput);
  switch (src.kind) {
    case BoundSource::Kind::kSingleRow:
      return std::make_unique<PhysicalSingleRow>();
    case BoundSource::Kind::kSubquery:
      return Plan(*src.subquery);
    case BoundSource::Kind::kSetOp: {
      std::vector<std::unique_ptr<PhysicalOperator>> inputs;
      inputs.push_back(Plan(*src.subquery));
      for (auto& rest : src.setop_rest) inputs.push_back(Plan(*rest));
      return std::make_unique<PhysicalSetOperation>(std::move(inputs), src.setop, src.name);
    }
    case BoundSource::Kind::kLateral: {
      std::vector<TypeId> right_types;
      for (const Field& f : src.right->schema.fields) right_types.push_back(f.type);
      return std::make_unique<PhysicalLateralJoin>(PlanJoinSide(*src.left), std::move(right_types),
                                                   src.lateral, std::move(src.lateral_keys),
                                                   src.join_type, std::move(src.condition), ctx_);
    }
    case BoundSource::Kind::kSemiJoin:
      return std::make_unique<PhysicalSemiJoin>(PlanJoinSide(*src.left), PlanJoinSide(*src.right),
                                                src.semi == SemiJoin::kAnti,
                                                std::move(src.condition), ctx_);
    case BoundSource::Kind::kJoin: {
      auto left = PlanJoinSide(*src.left);
      auto right = PlanJoinSide(*src.right);
      if (src.join_type == JoinType::kPositional) {
        return std::make_unique<PhysicalPositionalJoin>(std::move(left), std::move(right));
      }
      return std::make_unique<PhysicalHashJoin>(std::move(left), std::move(right), src.join_type,
                                                std::move(src.condition), ctx_);
    }
    case BoundSource::Kind::kTable: {
      ScanOptions options;
      std::vector<TypeId> types;
      for (size_t i = 0; i < src.schema.size(); ++i) {
        options.columns.push_back(static_cast<int>(i));
        types.push_back(src.schema.fields[i].type);
      }
      return std::make_unique<PhysicalTableScan>(src.table, src.snapshot, std::move(options),
                                                 std::move(types), ctx_);
    }
    case BoundSource::Kind::kFunction: {
      std::vector<int> columns;
      for (size_t i = 0; i < src.schema.size(); ++i) columns.push_back(static_cast<int>(i));
      return std::make_unique<PhysicalSourceScan>(std::move(src.function_source), src.name,
                                                  columns, ctx_);
    }
  }
  return nullptr;
}

// SELECT count(*) FROM t (no WHERE, no GROUP BY): the snapshot's file
// statistics already hold the answer, so no segment is read.
std::unique_ptr<PhysicalOperator> TryCountFromMetadata(const BoundSelect& s) {
  if (!s.aggregate || s.where || !s.groups.empty() || s.aggregates.empty() ||
      s.source.kind != BoundSource::Kind::kTable) {
    return nullptr;
  }
  for (const BoundAggregate& a : s.aggregates) {
    if (a.kind != AggregateKind::kCountStar || a.filter) return nullptr;
  }
  DataChunk chunk;
  chunk.Initialize(std::vector<TypeId>(s.aggregates.size(), TypeId::kBigint));
  for (ColumnVector& c : chunk.columns) c.AppendInt(s.source.snapshot->total_rows());
  return std::make_unique<PhysicalChunkScan>(
      std::move(chunk), "METADATA_COUNT " + s.source.name + " (version " +
                            std::to_string(s.source.snapshot->version()) + ")");
}

std::unique_ptr<PhysicalOperator> Planner::Plan(BoundSelect& s) {
  // The binder bounds the nesting; this keeps a small stack from
  // overflowing on what the limit allows (query/common/depth_guard.h).
  CheckStackDepth(ErrorKind::kInvalidInput);
  // With the metadata count, `op` already produces the aggregate's output.
  std::unique_ptr<PhysicalOperator> op = TryCountFromMetadata(s);
  const bool from_metadata = op != nullptr;
  if (!from_metadata) op = PlanSource(s);
  // threads > 1: one scan -> filter pipeline per worker (parallel_pipeline.h).
  WorkerScans workers;
  // ORDER BY ... LIMIT n [OFFSET m] keeps n + m rows; when that sum does
  // not fit int64 the limit is no bound at all, so the sort keeps
  // everything. DISTINCT ON picks its rows after the sort: no bound.
  const bool distinct_on = !s.distinct_on.empty() && s.latest_column < 0;
  std::optional<size_t> keep;
  int64_t top_n;
  if (!s.order.empty() && s.limit && !distinct_on &&
      !__builtin_add_overflow(*s.limit, s.offset, &top_n)) {
    keep = static_cast<size_t>(top_n);
  }
  // Up to this many rows a bounded buffer beats a sort (physical_top_n.h);
  // past it, the sort's compaction keeps memory at O(n) all the same.
  constexpr size_t kTopNMaxRows = 100000;
  const bool use_top_n = keep && *keep <= kTopNMaxRows;
  const size_t total = s.projection.size();
  std::vector<TypeId> types;
  for (const auto& p : s.projection) types.push_back(p->type);
  // Over a plain table scan: read the keys first, the other columns of the
  // kept rows only (late_top_n_rule.h).
  std::unique_ptr<PhysicalOperator> late;
  if (use_top_n && !from_metadata) late = TryPlanLateTopN(s, op.get(), *keep);
  const bool late_top_n = late != nullptr;  // it took s.where and s.projection
  if (late) {
    op = std::move(late);
  } else if (s.aggregate && !from_metadata && s.grouping_sets.empty()) {
    workers = SplitScanForWorkers(op.get(), s);
  } else if (use_top_n && !from_metadata && !s.gapfill && !s.distinct && s.latest_column < 0 &&
             s.distinct_on.empty()) {
    workers = SplitScanForWorkers(op.get(), s);
  }
  if (s.where) {
    for (auto& w : workers.scans) {
      w = std::make_unique<PhysicalFilter>(std::move(w), s.where->Copy());
    }
    op = std::make_unique<PhysicalFilter>(std::move(op), std::move(s.where));
  }
  if (s.aggregate && !from_metadata && !s.grouping_sets.empty()) {
    op = PlanGroupingSetAggregate(std::move(op), s);
  } else if (s.aggregate && !from_metadata) {
    op = std::make_unique<PhysicalHashAggregate>(std::move(op), std::move(s.groups),
                                                 std::move(s.aggregates), std::move(workers.scans),
                                                 std::move(workers.morsels));
  }
  if (s.having) op = std::make_unique<PhysicalFilter>(std::move(op), std::move(s.having));
  if (!s.windows.empty()) {
    const int width = static_cast<int>(op->types().size());
    op = std::make_unique<PhysicalWindow>(std::move(op), std::move(s.windows), ctx_);
    for (auto& p : s.projection) ResolveWindowColumns(p.get(), width);
    if (s.qualify) ResolveWindowColumns(s.qualify.get(), width);
  }
  if (s.qualify) op = std::make_unique<PhysicalFilter>(std::move(op), std::move(s.qualify));
  for (auto& w : workers.scans) {  // left to the top-N
    std::vector<BoundExpressionPtr> copies;
    for (const auto& p : s.projection) copies.push_back(p->Copy());
    w = std::make_unique<PhysicalProjection>(std::move(w), std::move(copies));
  }
  if (!late_top_n) op = std::make_unique<PhysicalProjection>(std::move(op), std::move(s.projection));
  if (s.gapfill) op = std::make_unique<PhysicalGapfill>(std::move(op), std::move(*s.gapfill), ctx_);
  if (s.distinct) op = std::make_unique<PhysicalDistinct>(std::move(op));
  // LATEST ON picks its rows before the ORDER BY; DISTINCT ON after it.
  if (s.latest_column >= 0) {
    op = std::make_unique<PhysicalDistinctOn>(std::move(op), s.distinct_on, s.latest_column);
  }
  if (late_top_n) {
    // op is already the top-N
  } else if (use_top_n) {
    op = std::make_unique<PhysicalTopN>(std::move(op), s.order, *keep, std::move(workers.scans),
                                        std::move(workers.morsels));
  } else if (!s.order.empty()) {
    op = std::make_unique<PhysicalOrder>(std::move(op), s.order, keep);
  }
  if (distinct_on) op = std::make_unique<PhysicalDistinctOn>(std::move(op), s.distinct_on, -1);
  if (s.limit_percent) {
    op = std::make_unique<PhysicalLimitPercent>(std::move(op), *s.limit_percent, s.offset);
  } else if (s.limit || s.offset > 0) {
    op = std::make_unique<PhysicalLimit>(std::move(op), s.limit, s.offset);
  }
  if (s.visible < total) {
    std::vector<BoundExpressionPtr> keep;
    for (size_t i = 0; i < s.visible; ++i)
      keep.push_back(MakeBoundColumn(static_cast<int>(i), types[i]));
    op = std::make_unique<PhysicalProjection>(std::move(op), std::move(keep));
  }
  return op;
}

}  // namespace tsl::query
