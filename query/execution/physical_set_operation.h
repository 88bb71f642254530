// Operators of the statement surface beyond the core pipeline:
// - PhysicalSetOperation: UNION [ALL], INTERSECT [ALL], EXCEPT [ALL] with
//   SQL's set semantics (NULLs compare equal; the ALL forms count copies).
//   UNION ALL streams; the others hash rows (serialized keys); INTERSECT
//   and EXCEPT hash the right input first, then stream the left. UNION
//   [ALL] takes any number of inputs (a chain of thousands is one
//   operator, not a nest), INTERSECT and EXCEPT exactly two.
// - PhysicalDistinctOn: DISTINCT ON (keys) keeps each key's first row in
//   input order (the planner sorts first); with a `latest` column (QuestDB
//   LATEST ON) it keeps each key's row with the greatest value there
//   (NULLs never win; ties: the first), in first-appearance order.
// - PhysicalGapfill: time_bucket_gapfill / SAMPLE BY ... FILL: materializes
//   its (aggregated, so small) input, and per group of the key columns
//   emits one row per bucket of [start, finish), adding rows for missing
//   buckets filled with NULL, LOCF, linear interpolation or a constant.
// Thread-safety: an operator tree is run by one thread.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "query/binder/bound_select.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalSetOperation : public PhysicalOperator {
 public:
  PhysicalSetOperation(std::vector<std::unique_ptr<PhysicalOperator>> inputs, SetOpKind kind,
                       std::string name);
  bool Next(DataChunk* out) override;
  std::string Explain() const override { return name_; }

 private:
  void BuildRight();
  SetOpKind kind_;
  std::string name_;
  size_t current_ = 0;  // UNION [ALL]: the input being read
  bool right_built_ = false;
  std::unordered_set<std::string> seen_;
  std::unordered_map<std::string, int64_t> right_counts_;
  DataChunk input_;
  std::vector<uint32_t> sel_;
  MemoryReservation memory_{"SET OPERATION"};  // seen_ and right_counts_
};

class PhysicalDistinctOn : public PhysicalOperator {
 public:
  PhysicalDistinctOn(std::unique_ptr<PhysicalOperator> child, std::vector<int> keys,
                     int latest_column);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  void CollectLatest();
  std::vector<int> keys_;
  int latest_ = -1;
  std::unordered_set<std::string> seen_;
  DataChunk input_;
  std::vector<uint32_t> sel_;
  MemoryReservation memory_{"DISTINCT ON"};  // seen_, or LATEST ON's rows
  // LATEST ON: every row, and each key's best row in key order.
  bool collected_ = false;
  std::vector<ColumnVector> rows_;
  std::vector<uint32_t> best_;
  size_t emitted_ = 0;
};

class PhysicalGapfill : public PhysicalOperator {
 public:
  PhysicalGapfill(std::unique_ptr<PhysicalOperator> child, BoundGapfill spec, ExecutionContext ctx);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  void Fill();
  // Charges the rows held so far to memory_limit and checks for a cancel,
  // every few thousand rows: a fill over a century of 1-hour buckets fails
  // with an Out of Memory Error or stops on Interrupt, never grows unbounded.
  void Account(size_t input_rows);
  BoundGapfill spec_;
  ExecutionContext ctx_;
  bool filled_ = false;
  std::vector<std::vector<Value>> out_rows_;
  size_t emitted_ = 0;
  size_t accounted_rows_ = 0;
  MemoryReservation memory_{"gap filling"};
};

}  // namespace tsl::query
