// PhysicalOperator: a pull-based, vectorized operator. Next() fills a
// DataChunk of up to kVectorSize rows and returns false at the end (DuckDB's
// operators, in the simpler Volcano-with-vectors form). Errors are
// QueryErrors. ExecutionContext carries the cancel flag every source checks
// once per batch. Thread-safety: an operator tree is run by one thread,
// except the worker pipelines below a parallel hash aggregate (one each).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "formats/column_vector.h"

namespace tsl::query {

class QueryWarnings;
class QueryProgress;

struct ExecutionContext {
  const std::atomic<bool>* cancelled = nullptr;
  // Where operators note what the user should know besides the rows (rows
  // a table function skipped); null: nobody listens.
  QueryWarnings* warnings = nullptr;
  // Where scans count what they will read and have read (the progress bar,
  // execution/query_progress.h); null: nobody listens.
  QueryProgress* progress = nullptr;
  // Throws QueryError(kInterrupt) when the statement was cancelled.
  void CheckCancelled() const;
};

class PhysicalOperator {
 public:
  explicit PhysicalOperator(std::vector<TypeId> types) : types_(std::move(types)) {}
  virtual ~PhysicalOperator() = default;

  const std::vector<TypeId>& types() const { return types_; }
  // Fills `out` (reset first) with the next batch; false at end of stream.
  // A batch returned with true has at least one row.
  virtual bool Next(DataChunk* out) = 0;
  // One EXPLAIN line for this operator, e.g. "FILTER (#1 > 10)".
  virtual std::string Explain() const = 0;
  // > 1 for an operator whose children are identical per-worker copies of
  // one pipeline (the parallel hash aggregate): EXPLAIN shows the first.
  virtual int workers() const { return 1; }

  void AddChild(std::unique_ptr<PhysicalOperator> child) { children_.push_back(std::move(child)); }
  const std::vector<std::unique_ptr<PhysicalOperator>>& children() const { return children_; }
  // For decorators (EXPLAIN ANALYZE's PhysicalProfiler) that replace a
  // child in place. Operators reach children only through children_, so a
  // replaced child is used from then on.
  std::vector<std::unique_ptr<PhysicalOperator>>& mutable_children() { return children_; }

 protected:
  PhysicalOperator* child() const { return children_[0].get(); }
  std::vector<TypeId> types_;
  std::vector<std::unique_ptr<PhysicalOperator>> children_;
};

// Renders the tree, one operator a line, children indented.
std::string ExplainTree(const PhysicalOperator& root);

}  // namespace tsl::query
