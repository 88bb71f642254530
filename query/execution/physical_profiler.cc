// EXPLAIN ANALYZE instrumentation. See physical_profiler.h.
#include "query/execution/physical_profiler.h"

#include <chrono>
#include <cstdio>

#include "query/execution/physical_table_scan.h"

namespace tsl::query {
namespace {

std::string Millis(int64_t nanos) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f ms", static_cast<double>(nanos) / 1e6);
  return buf;
}

void Render(const PhysicalOperator& op, int depth, std::string* out) {
  out->append(static_cast<size_t>(depth) * 2, ' ');
  out->append(op.Explain());
  out->push_back('\n');
  const PhysicalOperator* structural = &op;
  if (auto* p = dynamic_cast<const PhysicalProfiler*>(&op)) structural = &p->inner();
  for (const auto& c : structural->children()) Render(*c, depth + 1, out);
}

}  // namespace

std::string ExplainAnalyzeTree(const PhysicalOperator& root) {
  std::string out;
  Render(root, 0, &out);
  return out;
}

PhysicalProfiler::PhysicalProfiler(std::unique_ptr<PhysicalOperator> inner)
    : PhysicalOperator(inner->types()), inner_(std::move(inner)) {}

bool PhysicalProfiler::Next(DataChunk* out) {
  auto start = std::chrono::steady_clock::now();
  bool more = inner_->Next(out);
  nanos_ += std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::steady_clock::now() - start)
                .count();
  if (more) {
    rows_ += static_cast<int64_t>(out->size());
    ++chunks_;
  }
  return more;
}

std::string PhysicalProfiler::Explain() const {
  int64_t own = nanos_;
  for (const auto& c : inner_->children()) {
    if (auto* p = dynamic_cast<const PhysicalProfiler*>(c.get())) own -= p->inclusive_nanos();
  }
  std::string line = inner_->Explain() + "  [rows=" + std::to_string(rows_) +
                     " chunks=" + std::to_string(chunks_) + " time=" + Millis(own < 0 ? 0 : own);
  if (auto* scan = dynamic_cast<const PhysicalTableScan*>(inner_.get())) {
    const ScanMetrics& m = scan->metrics();
    line += " segments_scanned=" + std::to_string(m.segments_scanned) +
            " segments_skipped=" + std::to_string(m.segments_skipped) +
            " segments_total=" + std::to_string(m.segments_total) +
            " bytes_read=" + std::to_string(m.bytes_read) +
            " bytes_total=" + std::to_string(m.bytes_total) +
            " catalog_index=" + (m.used_catalog ? "yes" : "no") +
            " rows_dropped=" + std::to_string(m.rows_dropped);
  }
  return line + "]";
}

std::unique_ptr<PhysicalOperator> InstrumentTree(std::unique_ptr<PhysicalOperator> root) {
  for (auto& child : root->mutable_children()) child = InstrumentTree(std::move(child));
  return std::make_unique<PhysicalProfiler>(std::move(root));
}

}  // namespace tsl::query
