// PhysicalHashJoin: INNER / LEFT / RIGHT / FULL / CROSS joins and DuckDB's
// ASOF [LEFT] JOIN. The right side is the build side: its chunks' equality
// keys go into a GroupHashTable (open addressing over normalized keys,
// group_hash_table.h; rows with a NULL key never match) as they stream in,
// read in place when they are plain columns, and only the build columns
// read above the join (or by the residual) are kept, moved rather than
// copied (a self-join on (tag, ts) holds no build-side tag strings); then
// each key's build rows are made contiguous in one array. Left chunks probe it; pairs pass the residual condition (the ON conjuncts that are
// not `left expr = right expr`) before they count as matches, so outer
// joins pad exactly the rows with no passing pair. ASOF takes, per left
// row, the right row with equal keys and the greatest inequality key not
// after the left one (`l.ts >= r.ts`, or strictly before for `>`), by
// binary search in per-key sorted runs. Output: left columns then right
// columns, at most kVectorSize rows a chunk, produced a vector of pairs at
// a time (a cross product of 20,000 x 20,000 rows holds the build side and
// one vector, not a left chunk's 41M pairs).
// Join filter: once the build side is known, and when a left row without a
// match produces nothing (INNER, RIGHT, ASOF), each key that is a plain
// column of a table scan under the left side (through filters) gets the
// build keys' [min, max] pushed into that scan, and for VARCHAR keys with
// at most kJoinFilterMaxStrings distinct values the set itself: segments
// and rows that cannot match are skipped before they are decoded (DuckDB's
// dynamic join filters). An empty build side of an INNER or ASOF join ends
// the join without reading the left side at all.
// Parallel probe (planner, parallel_pipeline.cc): under a parallel hash
// aggregate, an INNER/LEFT/ASOF [LEFT] join whose left side is a table scan
// (through filters) gets one probe-only copy per worker
// (CopyForProbeWorker), each over that worker's morsel scan; the copies share
// this join's build side, built on the calling thread before the workers
// start (BuildForProbeWorkers) and read-only afterwards. Each copy pushes the join
// filters into its own scan. RIGHT/FULL joins (unmatched build rows after the
// last probe) stay serial.
// Thread-safety: one thread per copy; the shared build side under build_mu_
// until built, then read-only.
#pragma once

#include <deque>
#include <exception>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "query/binder/bound_expression.h"
#include "formats/mutex.h"
#include "query/execution/group_hash_table.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"
#include "query/parser/statement.h"

namespace tsl::query {

class PhysicalTableScan;

class PhysicalHashJoin : public PhysicalOperator {
 public:
  // `condition` refers to [left columns..., right columns...]; null for a
  // cross join.
  PhysicalHashJoin(std::unique_ptr<PhysicalOperator> left, std::unique_ptr<PhysicalOperator> right,
                   JoinType type, BoundExpressionPtr condition, ExecutionContext ctx);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;
  // Output columns no operator above reads (needed[c] == 0) come out as
  // NULL columns instead of gathered copies (a dimension's key strings
  // repeated per fact row). The residual condition's columns stay.
  void SetNeededColumns(std::vector<uint8_t> needed);
  // The table scan under the left side (through filters) when this join can
  // probe on several threads (see the file comment), else null.
  PhysicalTableScan* ProbeScan();
  // A probe-only copy over `scan` (worker scan of ProbeScan()'s morsels),
  // the left side's filters copied above it, sharing this join's build
  // side; this join and the copy then end at each morsel's end.
  std::unique_ptr<PhysicalHashJoin> CopyForProbeWorker(std::unique_ptr<PhysicalOperator> scan);
  // Builds the shared build side now, on the calling thread (the parallel
  // aggregate calls it before starting its workers: the build side's plan,
  // subqueries included, then never runs on a worker thread, and no worker
  // waits for a build worker 0 has not started).
  void BuildForProbeWorkers();

 private:
  // A probe copy of `owner` over `left`.
  PhysicalHashJoin(PhysicalHashJoin* owner, std::unique_ptr<PhysicalOperator> left);
  // The build side exists (built here, or by the owner under its mutex) and
  // this copy's join filters are pushed.
  void Prepare();
  void Build();
  // Pushes the build keys' range (and small string sets) into the left
  // side's scan (see the file comment).
  void PushJoinFilters();
  // Probing `probe_` resumes where the last call stopped: StartProbe()
  // takes a new left chunk, each ProbeSome() emits at most one vector of
  // pairs (then the chunk's unmatched rows for LEFT/FULL/ASOF LEFT).
  void StartProbe();
  void ProbeSome();
  // The build rows left row `i` of probe_ pairs with (before the residual).
  std::span<const uint32_t> MatchesOf(size_t i);
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
  bool never_matches_ = false;  // a conjunct that reads no column was FALSE or NULL
  // ASOF: left_ineq_ >= / > right_ineq_.
  BoundExpressionPtr left_ineq_, right_ineq_;
  bool ineq_strict_ = false;

  // The join whose build side this one probes: itself, or (a worker's
  // probe copy) worker 0's join. The build side (built_, push_filters_,
  // build_, build_rows_, key_min_/key_max_, memory_, table_,
  // key_begin_/key_rows_, no_match_possible_, build_ineq_) is read through
  // owner_; a copy's own are unused.
  PhysicalHashJoin* owner_ = this;
  // The left side is a morsel scan: its end is a morsel's, not the input's.
  bool morsel_probe_ = false;
  bool ready_ = false;  // Prepare() done
  tsl::Mutex build_mu_;
  // A failed shared build, rethrown by the other workers.
  std::exception_ptr build_error_ GUARDED_BY(build_mu_);
  bool push_filters_ = false;  // the built keys are worth pushing into the left scan
  GroupHashTable::ProbeScratch scratch_;

  bool built_ = false;
  bool left_done_ = false;
  // The build side's rows: only the columns read above the join (or by the
  // residual); the others stay empty. build_rows_ counts the rows.
  DataChunk build_;
  size_t build_rows_ = 0;
  std::vector<int64_t> key_min_, key_max_;  // per int64 key, over rows that can match
  MemoryReservation memory_{"HASH_JOIN (build side)"};
  // Build keys -> key id; key id k's build rows are
  // key_rows_[key_begin_[k], key_begin_[k + 1]) (ASOF: sorted by the
  // inequality key).
  std::unique_ptr<GroupHashTable> table_;
  std::vector<uint32_t> key_begin_, key_rows_;
  bool no_match_possible_ = false;  // empty table: INNER/ASOF joins end early
  std::vector<int64_t> build_ineq_;                              // ASOF: the right rows' keys
  std::vector<uint8_t> right_matched_;
  // The probe cursor (see ProbeSome).
  DataChunk probe_;
  std::vector<ColumnVector> probe_keys_;  // computed keys (not plain columns)
  std::vector<uint8_t> needed_;            // per output column (SetNeededColumns)
  ColumnVector probe_ineq_;
  std::vector<uint8_t> probe_matched_;
  size_t probe_row_ = 0, probe_match_ = 0;
  std::vector<uint32_t> probe_ids_;  // per probe_ row: its key id or UINT32_MAX
  std::span<const uint32_t> probe_rows_;  // probe_row_'s matches
  bool have_probe_rows_ = false;
  uint32_t asof_match_ = 0;
  bool probing_ = false;
  // At most a few vectors: ProbeSome emits one at a time.
  std::deque<DataChunk> pending_;
  std::string explain_;
};

}  // namespace tsl::query
