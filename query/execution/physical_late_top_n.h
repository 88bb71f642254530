// PhysicalLateTopN: ORDER BY ... LIMIT n [OFFSET m] over one table scan with
// late materialization (EXPLAIN: TOP_N ... late). The planner's rule
// (query/planner/late_top_n_rule.h) gives it a key pipeline per worker: a
// scan of only the columns the WHERE and the ORDER BY keys read, plus each
// row's id (ScanOptions::emit_row_ids: segment file and row in it), then the
// WHERE, then the keys and the id. A TopNBuffer (physical_top_n.h) keeps the
// best n + m rows of that; rows compare by the keys, then by their id, which
// is their position in a serial scan, so ties come out as PhysicalTopN and
// the stable sort give them. Only then are the SELECT's columns read, for
// the kept rows only: one scan per file holding some of them, of those rows
// (ScanOptions::only_rows), and the projection is evaluated on them.
// Zone maps: when the first key is a plain column, a TopNFileBound holds the
// best boundary any worker's buffer has reached (a buffer's keep-th row: no
// row that does not beat it is in the result), and the key scans skip a
// file whose min/max of that column cannot beat it (ScanOptions::skip_file).
// The files are visited best-first by that statistic so the bound is tight
// early (ORDER BY ts DESC LIMIT 10 reads the newest file, then skips the
// rest). Skipping needs a strict bound: a file whose values tie with the
// boundary is read (its rows may win on the later keys or their ids).
// Memory: the buffers and the fetched rows are reserved against memory_limit.
// Thread-safety: Next() from one thread; TopNFileBound is shared by the
// workers' scans (a mutex).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "formats/mutex.h"
#include "query/binder/bound_expression.h"
#include "query/binder/bound_select.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_operator.h"
#include "query/execution/physical_top_n.h"
#include "storage/table.h"

namespace tsl::query {

class MorselQueue;

// The best boundary of the first ORDER BY key seen so far, and the file
// test against it. `name` is the column's physical name (file stats are
// keyed by it).
class TopNFileBound {
 public:
  TopNFileBound(std::string name, TypeId type, bool descending, bool nulls_first);
  // Row `row` of `col` is some buffer's boundary key: keeps it when it is
  // tighter than the current one. A NULL boundary bounds nothing.
  void Offer(const ColumnVector& col, size_t row);
  // True when no row of `file` can beat the boundary on this key.
  bool Skip(const AddAction& file) const;
  // `files` reordered best-first by their min (ASC) or max (DESC) of the
  // column; files without that statistic last, in their order.
  std::vector<std::string> Order(const FileList& files) const;

 private:
  std::string name_;
  TypeId type_;
  bool descending_, nulls_first_;
  mutable tsl::Mutex mu_;
  Value bound_ GUARDED_BY(mu_);  // NULL: none yet
};

class PhysicalLateTopN : public PhysicalOperator {
 public:
  // What the second phase reads: `columns` (schema indexes) of the kept
  // rows, laid out as the scan the projection was planned over.
  struct Fetch {
    std::shared_ptr<Table> table;
    std::shared_ptr<const Snapshot> snapshot;
    std::vector<int> columns;
    std::vector<TypeId> types;
    std::vector<BoundExpressionPtr> projection;
    ExecutionContext ctx;
  };
  // `keys`: the key pipeline's output holds the keys in columns 0..k-1 and
  // the row id in column k; `orders` refer to those columns. `workers`: the
  // other workers' key pipelines over `morsels` (empty: `keys` alone).
  // `bound`: null when the first key is not a plain column.
  PhysicalLateTopN(std::unique_ptr<PhysicalOperator> keys, std::vector<BoundOrder> orders,
                   size_t keep, Fetch fetch, std::shared_ptr<TopNFileBound> bound,
                   std::vector<std::unique_ptr<PhysicalOperator>> workers = {},
                   std::shared_ptr<MorselQueue> morsels = nullptr);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;
  int workers() const override { return static_cast<int>(children_.size()); }

 private:
  void Consume();
  void ConsumeParallel();
  // Offers a chunk to `buffer`, then its boundary to bound_.
  void Sink(TopNBuffer* buffer, const DataChunk& chunk);
  // Reads the fetch columns of the kept rows into ordered_, in result order.
  void FetchRows();

  std::vector<BoundOrder> orders_;
  size_t keep_;
  size_t id_column_;
  std::vector<TypeId> key_types_;
  Fetch fetch_;
  std::shared_ptr<TopNFileBound> bound_;
  std::shared_ptr<MorselQueue> morsels_;
  std::unique_ptr<TopNBuffer> result_;
  DataChunk ordered_;  // the kept rows' fetch columns, best first
  MemoryReservation memory_{"TOP_N"};
  bool consumed_ = false;
  size_t emitted_ = 0;
};

}  // namespace tsl::query
