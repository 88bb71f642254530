// PhysicalHashJoin: INNER / LEFT / RIGHT / FULL / CROSS joins and DuckDB's
// ASOF [LEFT] JOIN. The right side is the build side: materialized, its
// equality keys hashed (rows with a NULL key never match). Left chunks
// probe it; pairs pass the residual condition (the ON conjuncts that are
// not `left expr = right expr`) before they count as matches, so outer
// joins pad exactly the rows with no passing pair. ASOF takes, per left
// row, the right row with equal keys and the greatest inequality key not
// after the left one (`l.ts >= r.ts`, or strictly before for `>`), by
// binary search in per-key sorted runs. Output: left columns then right
// columns, at most kVectorSize rows a chunk, produced a vector of pairs at
// a time (a cross product of 20,000 x 20,000 rows holds the build side and
// one vector, not a left chunk's 41M pairs). Thread-safety: one thread.
#pragma once

#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "query/binder/bound_expression.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"
#include "query/parser/statement.h"

namespace tsl::query {

class PhysicalHashJoin : public PhysicalOperator {
 public:
  // `condition` refers to [left columns..., right columns...]; null for a
  // cross join.
  PhysicalHashJoin(std::unique_ptr<PhysicalOperator> left, std::unique_ptr<PhysicalOperator> right,
                   JoinType type, BoundExpressionPtr condition, ExecutionContext ctx);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  void Build();
  // Probing `probe_` resumes where the last call stopped: StartProbe()
  // takes a new left chunk, each ProbeSome() emits at most one vector of
  // pairs (then the chunk's unmatched rows for LEFT/FULL/ASOF LEFT).
  void StartProbe();
  void ProbeSome();
  // The build rows left row `i` of probe_ pairs with (before the residual).
  const std::vector<uint32_t>* MatchesOf(size_t i);
  // Pairs [begin, end) as one chunk: li[k] == UINT32_MAX or right_null[k]
  // pads that side with NULLs.
  DataChunk Gather(const DataChunk& left, const std::vector<uint32_t>& li,
                   const std::vector<uint32_t>& ri, const std::vector<uint8_t>& right_null,
                   size_t begin, size_t end) const;
  void EmitPairs(const DataChunk& left, const std::vector<uint32_t>& li,
                 const std::vector<uint32_t>& ri, const std::vector<uint8_t>& right_null);
  void EmitUnmatchedRight();

  JoinType type_;
  BoundExpressionPtr condition_;
  ExecutionContext ctx_;
  size_t left_width_ = 0;
  std::vector<BoundExpressionPtr> left_keys_, right_keys_;  // right keys over build columns
  std::vector<BoundExpressionPtr> residual_;                // over the joined columns
  // ASOF: left_ineq_ >= / > right_ineq_.
  BoundExpressionPtr left_ineq_, right_ineq_;
  bool ineq_strict_ = false;

  bool built_ = false;
  bool left_done_ = false;
  DataChunk build_;
  MemoryReservation memory_{"HASH_JOIN (build side)"};
  std::unordered_map<std::string, std::vector<uint32_t>> table_;  // ASOF: sorted by inequality key
  std::vector<int64_t> build_ineq_;                              // ASOF: the right rows' keys
  std::vector<uint8_t> right_matched_;
  // The probe cursor (see ProbeSome).
  DataChunk probe_;
  std::vector<ColumnVector> probe_keys_;
  ColumnVector probe_ineq_;
  std::vector<uint8_t> probe_matched_;
  size_t probe_row_ = 0, probe_match_ = 0;
  const std::vector<uint32_t>* probe_rows_ = nullptr;  // probe_row_'s matches
  std::vector<uint32_t> asof_match_;
  std::string key_;
  bool probing_ = false;
  // At most a few vectors: ProbeSome emits one at a time.
  std::deque<DataChunk> pending_;
  std::string explain_;
};

}  // namespace tsl::query
