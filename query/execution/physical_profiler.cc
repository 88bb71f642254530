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

// `copies`: one operator, or the same operator of every worker's pipeline
// (a parallel aggregate's children), whose counters are summed.
void Render(const std::vector<const PhysicalOperator*>& copies, int depth, std::string* out) {
  out->append(static_cast<size_t>(depth) * 2, ' ');
  std::vector<const PhysicalProfiler*> profiled;
  for (const PhysicalOperator* c : copies) {
    if (auto* p = dynamic_cast<const PhysicalProfiler*>(c)) profiled.push_back(p);
  }
  out->append(profiled.size() == copies.size() ? PhysicalProfiler::ExplainSum(profiled)
                                               : copies[0]->Explain());
  out->push_back('\n');
  const PhysicalOperator* first = copies[0];
  if (auto* p = dynamic_cast<const PhysicalProfiler*>(first)) first = &p->inner();
  if (first->workers() > 1) {
    // One line per operator of the worker pipeline, summed over workers.
    std::vector<const PhysicalOperator*> next;
    for (const PhysicalOperator* c : copies) {
      const PhysicalOperator* s = c;
      if (auto* p = dynamic_cast<const PhysicalProfiler*>(c)) s = &p->inner();
      for (const auto& child : s->children()) next.push_back(child.get());
    }
    Render(next, depth + 1, out);
    return;
  }
  for (size_t i = 0; i < first->children().size(); ++i) {
    std::vector<const PhysicalOperator*> next;
    for (const PhysicalOperator* c : copies) {
      const PhysicalOperator* s = c;
      if (auto* p = dynamic_cast<const PhysicalProfiler*>(c)) s = &p->inner();
      // A parallel join's probe copies have no build child (worker 0's
      // join holds it).
      if (i < s->children().size()) next.push_back(s->children()[i].get());
    }
    Render(next, depth + 1, out);
  }
}

}  // namespace

std::string ExplainAnalyzeTree(const PhysicalOperator& root) {
  std::string out;
  Render({&root}, 0, &out);
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

std::string PhysicalProfiler::Explain() const { return ExplainSum({this}); }

std::string PhysicalProfiler::ExplainSum(const std::vector<const PhysicalProfiler*>& copies) {
  int64_t own = 0, rows = 0, chunks = 0;
  ScanMetrics m;
  bool is_scan = false;
  for (const PhysicalProfiler* p : copies) {
    own += p->nanos_;
    rows += p->rows_;
    chunks += p->chunks_;
    // Children ran inside this Next(); of a parallel aggregate's worker
    // pipelines only the first runs on the calling thread (the others
    // overlap it), so only its time is subtracted.
    const auto& kids = p->inner_->children();
    const size_t on_caller = p->inner_->workers() > 1 ? 1 : kids.size();
    for (size_t i = 0; i < on_caller; ++i) {
      if (auto* cp = dynamic_cast<const PhysicalProfiler*>(kids[i].get())) {
        own -= cp->inclusive_nanos();
      }
    }
    if (auto* scan = dynamic_cast<const PhysicalTableScan*>(p->inner_.get())) {
      is_scan = true;
      const ScanMetrics& s = scan->metrics();
      m.segments_scanned += s.segments_scanned;
      m.segments_skipped += s.segments_skipped;
      m.segments_total += s.segments_total;
      m.bytes_read += s.bytes_read;
      m.bytes_total += s.bytes_total;
      m.rows_dropped += s.rows_dropped;
      m.rows_skipped_in_segment += s.rows_skipped_in_segment;
      m.used_catalog = m.used_catalog || s.used_catalog;
    }
  }
  const PhysicalOperator& inner = *copies[0]->inner_;
  std::string line = inner.Explain() + "  [rows=" + std::to_string(rows) +
                     " chunks=" + std::to_string(chunks) + " time=" + Millis(own < 0 ? 0 : own);
  if (copies.size() > 1) line += " workers=" + std::to_string(copies.size());
  if (is_scan) {
    line += " segments_scanned=" + std::to_string(m.segments_scanned) +
            " segments_skipped=" + std::to_string(m.segments_skipped) +
            " segments_total=" + std::to_string(m.segments_total) +
            " bytes_read=" + std::to_string(m.bytes_read) +
            " bytes_total=" + std::to_string(m.bytes_total) +
            " catalog_index=" + (m.used_catalog ? "yes" : "no") +
            " rows_dropped=" + std::to_string(m.rows_dropped) +
            " rows_skipped_in_segment=" + std::to_string(m.rows_skipped_in_segment);
  }
  return line + "]";
}

std::unique_ptr<PhysicalOperator> InstrumentTree(std::unique_ptr<PhysicalOperator> root) {
  for (auto& child : root->mutable_children()) child = InstrumentTree(std::move(child));
  return std::make_unique<PhysicalProfiler>(std::move(root));
}

}  // namespace tsl::query
