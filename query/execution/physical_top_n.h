// PhysicalTopN: ORDER BY ... LIMIT n [OFFSET m] without sorting the input
// (EXPLAIN: TOP_N). It emits the first n + m rows of the order (the
// PhysicalLimit above it drops the OFFSET rows and applies LIMIT).
// Each input row gets a sequence number (its position in the input, or
// (morsel, position in morsel) in parallel), and rows compare by the ORDER
// BY keys, then by that number, so ties come out in input order exactly as
// the stable sort of PhysicalOrder gives them.
// A TopNBuffer keeps candidate rows; once it has held `keep` rows it knows
// the boundary (the keep-th best row so far), and a chunk's rows are first
// compared with the boundary on the first key in one typed loop: only rows
// that beat it (or tie on that key and beat it on the rest) are copied in.
// When the buffer reaches 2 * keep rows it is cut back to the best keep
// (a partial sort), which moves the boundary up. After the first chunks
// almost every row is rejected by one comparison, so the cost is a scan.
// Parallel (planner, parallel_pipeline.h): with worker pipelines each
// worker fills its own buffer from the morsels it claims; the buffers are
// merged and cut to `keep` at the end.
// Memory: the buffers are reserved against memory_limit.
// Thread-safety: Next() from one thread; a worker's buffer is touched by
// that worker only until the workers are joined.
#pragma once

#include <memory>
#include <vector>

#include "query/binder/bound_select.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"

namespace tsl::query {

class MorselQueue;

class TopNBuffer {
 public:
  TopNBuffer(const std::vector<TypeId>& types, const std::vector<BoundOrder>& orders, size_t keep);
  // Offers the rows of `chunk`; row i has sequence number seq + i, or
  // seqs[i] when `seqs` is given (row ids: physical_late_top_n.h).
  void Sink(const DataChunk& chunk, uint64_t seq, const int64_t* seqs = nullptr);
  // True when the buffer holds `keep` rows in order, the last of them (row
  // keep - 1 of rows()) the boundary: a row that does not beat it is not in
  // the result.
  bool has_boundary() const { return has_boundary_; }
  // Establishes the boundary now when the buffer holds `keep` rows without
  // one (a cut that Sink would make only at 2 * keep or kVectorSize rows).
  void Tighten() {
    if (!has_boundary_ && keep_ > 0 && seq_.size() >= keep_) Compact();
  }
  // Moves `other`'s candidates in (a worker's buffer into the result).
  void Absorb(TopNBuffer& other);
  // Cuts to the best `keep` rows, sorted; returns their row indexes.
  const std::vector<uint32_t>& Finish();
  const std::vector<uint32_t>& index() const { return index_; }
  const std::vector<ColumnVector>& rows() const { return rows_; }

 private:
  // <0, 0, >0: row a of `x` against row b of `y` on the ORDER BY keys.
  int CompareKeys(const std::vector<ColumnVector>& x, size_t a, const std::vector<ColumnVector>& y,
                  size_t b, size_t first_key) const;
  void SortIndex();
  void Compact();

  const std::vector<BoundOrder>& orders_;
  size_t keep_;
  std::vector<ColumnVector> rows_;
  std::vector<uint64_t> seq_;
  bool has_boundary_ = false;  // rows_[keep_ - 1] is the boundary (rows_ sorted)
  std::vector<uint32_t> index_, sel_;
  std::vector<int8_t> first_cmp_;
  MemoryReservation memory_{"TOP_N"};
};

class PhysicalTopN : public PhysicalOperator {
 public:
  // `keep` = LIMIT + OFFSET rows; `workers`: the other workers' pipelines
  // over `morsels` (empty: one thread runs `child`).
  PhysicalTopN(std::unique_ptr<PhysicalOperator> child, std::vector<BoundOrder> orders, size_t keep,
               std::vector<std::unique_ptr<PhysicalOperator>> workers = {},
               std::shared_ptr<MorselQueue> morsels = nullptr);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;
  int workers() const override { return static_cast<int>(children_.size()); }

 private:
  void Consume();
  void ConsumeParallel();

  std::vector<BoundOrder> orders_;
  size_t keep_;
  std::shared_ptr<MorselQueue> morsels_;
  std::unique_ptr<TopNBuffer> result_;
  bool consumed_ = false;
  size_t emitted_ = 0;
};

}  // namespace tsl::query
