// The late top-N rule. See late_top_n_rule.h.
#include "query/planner/late_top_n_rule.h"

#include <set>

#include "query/execution/parallel_pipeline.h"
#include "query/execution/physical_filter.h"
#include "query/execution/physical_late_top_n.h"
#include "query/execution/physical_projection.h"
#include "query/execution/physical_table_scan.h"

namespace tsl::query {
namespace {

constexpr size_t kLateTopNMaxBoundedRows = 10000;

bool HasSubquery(const BoundExpression* e) {
  if (e == nullptr) return false;
  if (e->kind == BoundKind::kSubquery || e->subquery) return true;
  for (const auto& c : e->children) {
    if (HasSubquery(c.get())) return true;
  }
  return false;
}

void Collect(const BoundExpression& e, std::set<int>* used) {
  if (e.kind == BoundKind::kColumnRef) used->insert(e.column);
  for (const auto& c : e.children) Collect(*c, used);
}

void Remap(BoundExpression* e, const std::vector<int>& map) {
  if (e->kind == BoundKind::kColumnRef) e->column = map[static_cast<size_t>(e->column)];
  for (auto& c : e->children) Remap(c.get(), map);
}

}  // namespace

std::unique_ptr<PhysicalOperator> TryPlanLateTopN(BoundSelect& s, PhysicalOperator* source,
                                                  size_t keep) {
  auto* scan = dynamic_cast<PhysicalTableScan*>(source);
  if (scan == nullptr || s.source.kind != BoundSource::Kind::kTable || s.aggregate ||
      !s.windows.empty() || s.qualify || s.gapfill || s.distinct || s.latest_column >= 0 ||
      !s.distinct_on.empty() || s.limit_percent || s.order.empty() || keep == 0) {
    return nullptr;
  }
  const ScanOptions& options = scan->options();
  if (!options.only_files.empty() || options.emit_row_ids || options.columns.empty()) {
    return nullptr;
  }
  if (HasSubquery(s.where.get())) return nullptr;
  for (const auto& p : s.projection) {
    if (HasSubquery(p.get())) return nullptr;
  }
  // The key pipeline's columns: the WHERE's and the keys'.
  std::set<int> used;
  if (s.where) Collect(*s.where, &used);
  for (const BoundOrder& o : s.order) Collect(*s.projection[static_cast<size_t>(o.column)], &used);
  if (used.empty()) return nullptr;
  const size_t width = scan->types().size();
  for (int c : used) {
    if (c < 0 || static_cast<size_t>(c) >= width) return nullptr;  // not a scan column
  }
  const BoundExpression& first = *s.projection[static_cast<size_t>(s.order[0].column)];
  const Snapshot& snapshot = scan->snapshot();
  std::shared_ptr<TopNFileBound> bound;
  if (first.kind == BoundKind::kColumnRef && snapshot.files().size() > 1) {
    const int schema_column = options.columns[static_cast<size_t>(first.column)];
    const Field& physical = snapshot.physical_schema().fields[static_cast<size_t>(schema_column)];
    bound = std::make_shared<TopNFileBound>(physical.name, first.type, s.order[0].descending,
                                            s.order[0].nulls_first);
  }
  const bool fewer_columns = used.size() < width;
  if (!fewer_columns && !(bound && keep <= kLateTopNMaxBoundedRows)) return nullptr;

  std::vector<int> map(width, -1);
  ScanOptions key_options;
  std::vector<TypeId> key_scan_types;
  for (int c : used) {
    map[static_cast<size_t>(c)] = static_cast<int>(key_options.columns.size());
    key_options.columns.push_back(options.columns[static_cast<size_t>(c)]);
    key_scan_types.push_back(scan->types()[static_cast<size_t>(c)]);
  }
  key_scan_types.push_back(TypeId::kBigint);
  key_options.ranges = options.ranges;
  key_options.drop_rows_outside_ranges = options.drop_rows_outside_ranges;
  key_options.emit_row_ids = true;
  if (bound) {
    // Best files first, so that the bound is tight after the first ones.
    key_options.only_files = bound->Order(snapshot.files());
    std::shared_ptr<TopNFileBound> b = bound;
    key_options.skip_file = std::make_shared<const std::function<bool(const AddAction&)>>(
        [b](const AddAction& f) { return b->Skip(f); });
  }
  // Without a WHERE every scanned row reaches the buffer, so a file's rows
  // behind its own keep-th best first key cannot win: the scan drops them
  // before decoding the other key columns (ScanOptions::top_key).
  if (!s.where && first.kind == BoundKind::kColumnRef &&
      PhysicalClassOf(first.type) != PhysicalClass::kString) {
    key_options.top_key = ScanOptions::TopKey{options.columns[static_cast<size_t>(first.column)],
                                              s.order[0].descending, s.order[0].nulls_first, keep};
  }
  std::unique_ptr<PhysicalOperator> key_scan =
      scan->Replacement(std::move(key_options), std::move(key_scan_types));

  // The key pipeline: scan -> WHERE -> (keys..., row id).
  std::vector<BoundExpressionPtr> key_exprs;
  std::vector<BoundOrder> orders;
  for (const BoundOrder& o : s.order) {
    BoundExpressionPtr k = s.projection[static_cast<size_t>(o.column)]->Copy();
    Remap(k.get(), map);
    orders.push_back({static_cast<int>(key_exprs.size()), o.descending, o.nulls_first});
    key_exprs.push_back(std::move(k));
  }
  key_exprs.push_back(MakeBoundColumn(static_cast<int>(used.size()), TypeId::kBigint));
  BoundExpressionPtr where;
  if (s.where) {
    where = s.where->Copy();
    Remap(where.get(), map);
  }
  WorkerScans workers = SplitScanForWorkers(key_scan.get(), s);
  const auto pipeline = [&](std::unique_ptr<PhysicalOperator> op) {
    if (where) op = std::make_unique<PhysicalFilter>(std::move(op), where->Copy());
    std::vector<BoundExpressionPtr> exprs;
    for (const auto& k : key_exprs) exprs.push_back(k->Copy());
    return std::make_unique<PhysicalProjection>(std::move(op), std::move(exprs));
  };
  std::unique_ptr<PhysicalOperator> keys = pipeline(std::move(key_scan));
  for (auto& w : workers.scans) w = pipeline(std::move(w));

  PhysicalLateTopN::Fetch fetch;
  fetch.table = scan->table();
  fetch.snapshot = scan->snapshot_ptr();
  fetch.columns = options.columns;
  fetch.types = scan->types();
  fetch.projection = std::move(s.projection);
  fetch.ctx = scan->context();
  s.projection.clear();
  s.where.reset();  // the key pipelines apply it
  return std::make_unique<PhysicalLateTopN>(std::move(keys), std::move(orders), keep,
                                            std::move(fetch), std::move(bound),
                                            std::move(workers.scans), std::move(workers.morsels));
}

}  // namespace tsl::query
