// PhysicalTableScan: reads a table snapshot through Table::NewScan with the
// projection and zone-map ranges the planner pushed down. The scan is
// opened on the first Next(), so EXPLAIN never touches segment files.
// As one worker of a parallel aggregate (AttachMorsels), it reads only the
// segment file its worker claimed last from the shared MorselQueue and
// returns false at that file's end; the worker claims the next one and
// pulls again. Thread-safety: one thread (each worker has its own copy).
#pragma once

#include <memory>

#include "query/execution/physical_operator.h"
#include "query/execution/query_progress.h"
#include "storage/table.h"

namespace tsl::query {

class MorselQueue;

class PhysicalTableScan : public PhysicalOperator {
 public:
  PhysicalTableScan(std::shared_ptr<Table> table, std::shared_ptr<const Snapshot> snapshot,
                    ScanOptions options, std::vector<TypeId> types, ExecutionContext ctx);
  bool Next(DataChunk* out) override;
  std::string Explain() const override;
  const ScanMetrics& metrics() const { return metrics_; }
  const Snapshot& snapshot() const { return *snapshot_; }
  const ScanOptions& options() const { return options_; }
  // Makes this scan worker `worker`'s reader of `morsels`.
  void AttachMorsels(std::shared_ptr<MorselQueue> morsels, int worker);
  // A hash join's filter on this scan's rows (physical_hash_join.h), added
  // before the scan opens; the scan then also drops the rows outside every
  // range. False (nothing added) once opened, or for a scan whose ranges
  // are for pruning only.
  bool AddJoinFilter(ScanRange range);
  // The same scan for another worker of the same queue.
  std::unique_ptr<PhysicalTableScan> CopyForWorker(int worker) const;
  // A scan of the same table and snapshot with other options and types,
  // replacing this one in the plan: its rows are already in the query
  // progress's total (this scan counted them), so it only adds what it reads.
  std::unique_ptr<PhysicalTableScan> Replacement(ScanOptions options,
                                                 std::vector<TypeId> types) const;
  const std::shared_ptr<Table>& table() const { return table_; }
  const std::shared_ptr<const Snapshot>& snapshot_ptr() const { return snapshot_; }
  ExecutionContext context() const { return ctx_; }

 private:
  std::shared_ptr<Table> table_;
  std::shared_ptr<const Snapshot> snapshot_;
  ScanOptions options_;
  ExecutionContext ctx_;
  ScanMetrics metrics_;
  std::unique_ptr<ChunkSource> source_;
  std::shared_ptr<MorselQueue> morsels_;  // null: the whole snapshot
  int worker_ = 0;
  int64_t open_morsel_ = -1;
  bool morsel_done_ = false;
  // Progress (execution/query_progress.h): the original scan adds the rows
  // of the files it covers when constructed (a worker copy does not); every
  // copy adds the rows it returns, and tops up to the file's (or scan's)
  // rows when one ends, so pruned segments and filtered rows count as read.
  void CountTotalRows();
  void TopUpProgress(int64_t rows_expected);
  int64_t rows_returned_ = 0;  // since the last top-up
};

// PhysicalSourceScan: streams an already-open ChunkSource (a table
// function such as read_csv), keeping only `columns` (schema indexes). A
// source that rejects rows (RejectReporter: a value that does not convert)
// skips them; the scan counts them and, when it ends, leaves one warning
// with the count and the first reason (ExecutionContext::warnings), so a
// SELECT never drops rows silently.
class PhysicalSourceScan : public PhysicalOperator {
 public:
  PhysicalSourceScan(std::unique_ptr<ChunkSource> source, std::string name,
                     std::vector<int> columns, ExecutionContext ctx);
  ~PhysicalSourceScan() override;
  bool Next(DataChunk* out) override;
  std::string Explain() const override;

 private:
  // Takes the source's rejects (so they do not pile up in memory) and
  // counts them.
  void CollectRejects();
  void ReportRejects();

  std::unique_ptr<ChunkSource> source_;
  std::string name_;
  std::vector<int> columns_;
  ExecutionContext ctx_;
  // The reader's bytes in the query progress, from the first Next().
  std::unique_ptr<ReadProgressFollower> progress_;
  DataChunk buffer_;
  int64_t rejected_ = 0;
  std::string first_reject_;  // "file line N: reason"
  bool reported_ = false;
};

// PhysicalChunkScan: emits one precomputed chunk (e.g. count(*) answered
// from the snapshot's row counts without reading segments).
class PhysicalChunkScan : public PhysicalOperator {
 public:
  PhysicalChunkScan(DataChunk chunk, std::string explain);
  bool Next(DataChunk* out) override;
  std::string Explain() const override { return explain_; }

 private:
  DataChunk chunk_;
  std::string explain_;
  bool done_ = false;
};

// PhysicalSingleRow: one row with one BOOLEAN column (SELECT without FROM).
class PhysicalSingleRow : public PhysicalOperator {
 public:
  PhysicalSingleRow() : PhysicalOperator({TypeId::kBoolean}) {}
  bool Next(DataChunk* out) override;
  std::string Explain() const override { return "DUMMY_SCAN"; }

 private:
  bool done_ = false;
};

}  // namespace tsl::query
