// GroupCommitter: the one committer per table (per process) behind every
// Appender. Many appenders' flushes arriving within a short window become
// one table version, so 50 writers flushing every second make a few commits
// a second rather than 50.
//
// Design (LevelDB's writer queue plus a collection window):
//   - Commit() enqueues the flush and waits. The flush at the head of the
//     queue is the leader; the others sleep until a leader has committed
//     them.
//   - When more than one appender is attached, the leader waits until its
//     own flush is `window` old (others arrive meanwhile), then takes every
//     queued flush (up to max_group_rows), merges their small row batches
//     into segment files (partitioned and sorted per the table's
//     properties, as the appenders' own files are), adds the files the
//     appenders already wrote themselves, and commits them all, with one `txn` action per app
//     id, as one version through Table::CommitActions.
//   - It then marks every flush in the group done with the same result and
//     wakes the next head, which becomes the next leader.
// With one attached appender (a bulk import) there is no window.
//
// Durability promise: Commit() returns OK only after the version holding
// the flush's rows is committed, i.e. its segments and log entry are
// fsynced (storage/transaction_log.cc, invariants (1)-(3)). An error means
// the rows are in no version; files written for them are removed unless the
// version is found to have landed.
//
// Idempotency: a flush may carry a batch id (app id + version, Delta's
// `txn` action). A flush whose app id already has a committed version >= its
// version commits nothing and reports already_committed; its files are
// removed. Storage refuses to retry a commit on top of a concurrent version
// carrying one of its app ids (Transaction's rule (c)); the leader then
// re-checks the batch ids and retries, so a batch never lands twice.
//
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "formats/log_action.h"
#include "formats/segment_writer.h"
#include "storage/partitioned_writer.h"
#include "storage/table.h"

namespace tsl {

struct GroupCommitOptions {
  // How long a leader collects other flushes when several appenders are
  // attached. Bounds the added flush latency.
  std::chrono::microseconds window{20000};
  // A group is closed once its buffered rows reach this many.
  int64_t max_group_rows = 1 << 20;
  SegmentWriteOptions segment_options;
};

// One appender's flush handed to the committer.
struct FlushBatch {
  std::vector<AddAction> written;  // files the appender wrote (fsynced, dirs synced, not committed)
  DataChunk rows;                  // small residual rows to merge into the group's segment
  std::optional<TxnAction> txn;    // batch id for idempotency
  std::string operation = "APPEND";
};

struct FlushResult {
  int64_t version = -1;            // the version holding the rows; -1 when nothing committed
  int64_t rows = 0;                // rows of this flush
  bool already_committed = false;  // the batch id had committed before: nothing written
  int64_t group_flushes = 0;       // flushes that shared the commit
};

struct GroupCommitStats {
  int64_t commits = 0;
  int64_t flushes = 0;
  int64_t rows = 0;
  int64_t skipped_batches = 0;  // already committed batch ids
};

class GroupCommitter {
 public:
  // The process-wide committer for `table`'s directory, created on first
  // use with `options` (later callers share it and its options).
  static std::shared_ptr<GroupCommitter> ForTable(const std::shared_ptr<Table>& table,
                                                  GroupCommitOptions options = {});
  GroupCommitter(std::shared_ptr<Table> table, GroupCommitOptions options);
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  const std::shared_ptr<Table>& table() const;
  const GroupCommitOptions& options() const;

  // Appenders register while open, so the leader knows whether to wait.
  void Attach();
  void Detach();

  // Commits `batch` (alone or with others' flushes) and returns once it is
  // durable. kInvalidArgument when the rows do not match the table schema;
  // storage's errors otherwise.
  Result<FlushResult> Commit(FlushBatch batch);

  GroupCommitStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A PartitionedWriter laid out per `snapshot`'s table properties (partition
// spec, sort key, segment size; `defaults` for the compression), so the
// Appender's files look like every other writer's.
Result<std::unique_ptr<PartitionedWriter>> NewLayoutWriter(const Table& table,
                                                           const Snapshot& snapshot,
                                                           SegmentWriteOptions defaults,
                                                           int64_t rows_per_segment = 0);

}  // namespace tsl
