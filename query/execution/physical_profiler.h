// PhysicalProfiler: EXPLAIN ANALYZE's decorator. Wraps one operator,
// forwards Next() and counts the rows and chunks it produced and the wall
// time spent inside it (inclusive of its children; the explain line shows
// the exclusive time, children's time subtracted). For a table scan it
// also shows storage's ScanMetrics: segments scanned/skipped of the total,
// bytes read of the table's bytes. InstrumentTree wraps every operator of a
// tree. A parallel aggregate's worker pipelines are profiled each on its
// own and rendered as one, summed. Thread-safety: one thread, like the
// operator it wraps.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalProfiler : public PhysicalOperator {
 public:
  explicit PhysicalProfiler(std::unique_ptr<PhysicalOperator> inner);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;
  // The explain line of the same operator in several worker pipelines:
  // rows, chunks, time and scan metrics summed (time is then CPU time
  // across workers), with workers=N.
  static std::string ExplainSum(const std::vector<const PhysicalProfiler*>& copies);
  int64_t rows() const { return rows_; }
  int64_t inclusive_nanos() const { return nanos_; }
  const PhysicalOperator& inner() const { return *inner_; }
  // For a hash join reaching the scan below it (join filters).
  PhysicalOperator* mutable_inner() { return inner_.get(); }

 private:
  std::unique_ptr<PhysicalOperator> inner_;
  int64_t rows_ = 0;
  int64_t chunks_ = 0;
  int64_t nanos_ = 0;
};

// Wraps every operator of `root` (children first) in a PhysicalProfiler.
std::unique_ptr<PhysicalOperator> InstrumentTree(std::unique_ptr<PhysicalOperator> root);

// Renders an instrumented tree after it ran: one line per operator with
// its counters, children indented.
std::string ExplainAnalyzeTree(const PhysicalOperator& root);

}  // namespace tsl::query
