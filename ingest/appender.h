// Appender: the one way rows get into a table from ingest (every reader's
// import, the C++ API for streaming writers). Append a row or a column
// batch; Flush makes everything appended since the last flush one durable
// commit (possibly shared with other appenders' flushes through the table's
// GroupCommitter).
//
// Memory: rows are buffered in a DataChunk until a segment's worth (the
// table's target_segment_rows), then handed to a PartitionedWriter (the table's partitioning, sort key and segment
// size) that writes and fsyncs segments in the appender's own thread, so a
// bulk import holds at most a few segments' rows and several appenders
// encode in parallel. A flush with only a few rows hands them to the
// committer, which merges them with other flushes into shared segments.
//
// Idempotency: with an app_id, every flush carries a batch id (app_id,
// sequence number). Open reads the last committed sequence number of that
// app id from the table's log (last_committed_sequence()); Flush() uses the
// next one, or Flush(seq) the caller's. Re-running a batch whose sequence
// number already committed commits nothing and reports already_committed.
//
// Thread-safety: one Appender per thread; any number of Appenders may write
// to one table at once, in one process or several.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "formats/value.h"
#include "ingest/group_committer.h"
#include "ingest/row_validator.h"
#include "storage/table.h"

namespace tsl {

struct AppenderOptions {
  // Non-empty: flushes carry batch ids (txn app id) and are idempotent.
  std::string app_id;
  // Rows per segment file; 0 = the table's target_segment_rows.
  int64_t rows_per_segment = 0;
  // commitInfo operation of this appender's commits.
  std::string operation = "APPEND";
};

class Appender {
 public:
  // Buffered rows below this are merged by the committer at flush time;
  // above it they stream into this appender's own segments.
  // An enumerator: a static data member odr-used in a Debug build becomes a
  // gnu_unique symbol that objcopy cannot make local in libtslake.a.
  enum : int64_t { kMergeRows = 64 * 1024 };

  // kNotFound / storage errors when the table's log cannot be read.
  static Result<std::unique_ptr<Appender>> Open(std::shared_ptr<GroupCommitter> committer,
                                                AppenderOptions options = {});
  // Shortcut: the table's shared committer with default options.
  static Result<std::unique_ptr<Appender>> Open(const std::shared_ptr<Table>& table,
                                                AppenderOptions options = {});
  ~Appender();  // drops unflushed rows (and files written for them)
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;

  const Schema& schema() const { return schema_; }

  // One row, values in schema order; each is converted to its column's type
  // when the conversion keeps the value exactly (ConvertExactly: BIGINT 2
  // to DOUBLE, VARCHAR to TIMESTAMP...) and checked by the RowValidator
  // (timestamp range, partition key, UTF-8), so a flush never fails for a
  // row's content. kInvalidArgument naming the column for a wrong count,
  // type or value; the row is then not appended (earlier rows stay).
  Status AppendRow(const std::vector<Value>& row);
  // A column batch with the schema's types, in order, every value checked
  // as AppendRow's (kInvalidArgument naming the row and column: nothing of
  // the batch is appended). The rvalue overload moves strings instead of
  // copying them.
  Status AppendChunk(const DataChunk& chunk);
  Status AppendChunk(DataChunk&& chunk);

  // Commits every row appended since the last flush as (part of) one
  // version and returns once that version is durable. With an app id the
  // flush's batch id is last_committed_sequence() + 1. A flush with no rows
  // commits nothing (no version, even with an app id) and returns version
  // -1. A failed flush's rows are in no version and dropped, and it
  // consumes no sequence number: the caller appends them again and retries
  // with the same sequence.
  Result<FlushResult> Flush();
  // As Flush() with an explicit batch sequence number (REQUIRES app_id).
  Result<FlushResult> Flush(int64_t sequence);
  // Drops unflushed rows and files.
  void Discard();

  // Two-step flush for callers that must not block appends while a commit
  // runs (the C/C++ API's deferred commits): Detach takes everything
  // appended since the last flush out of the appender (cheap: moves the
  // buffer and this appender's segment writer) and the appender is at once
  // ready for new rows; CommitDetached then encodes what is left, fsyncs
  // and commits it without touching the appender (any thread); Committed
  // records the result's batch id back in the appender. Detach's sequence
  // -1 means the next one (as Flush()): after every sequence committed or
  // handed to a detached flush. Several detached flushes may be
  // outstanding; the caller commits them in order and, when one fails,
  // drops the later ones and calls DetachFailed, so no sequence is skipped.
  struct DetachedFlush {
    std::shared_ptr<GroupCommitter> committer;
    std::unique_ptr<PartitionedWriter> writer;  // null when no segment was cut yet
    DataChunk rows;
    std::optional<TxnAction> txn;
    std::string operation;
  };
  Result<DetachedFlush> Detach(int64_t sequence = -1);
  static Result<FlushResult> CommitDetached(DetachedFlush flush);
  void Committed(const std::optional<TxnAction>& txn, const FlushResult& result);
  // Forgets the sequences handed to detached flushes that did not commit.
  void DetachFailed() { reserved_sequence_ = last_sequence_; }

  int64_t pending_rows() const;
  // The newest sequence number committed for app_id (-1: none yet).
  int64_t last_committed_sequence() const { return last_sequence_; }
  // The newest sequence handed to a detached flush, committed or not.
  int64_t reserved_sequence() const { return std::max(last_sequence_, reserved_sequence_); }

 private:
  Appender(std::shared_ptr<GroupCommitter> committer, AppenderOptions options,
           std::shared_ptr<const Snapshot> snapshot, int64_t last_sequence);
  // Moves buffered rows into the writer once past kMergeRows.
  Status AfterAppend();
  Status EnsureWriter();
  // Detach + CommitDetached + Committed; `sequence` -1: the next one.
  Result<FlushResult> FlushNow(int64_t sequence);

  std::shared_ptr<GroupCommitter> committer_;
  AppenderOptions options_;
  std::shared_ptr<const Snapshot> snapshot_;  // layout (schema, properties) at Open
  Schema schema_;
  std::vector<TypeId> types_;
  DataChunk buffer_;                            // rows not yet handed to writer_
  std::unique_ptr<PartitionedWriter> writer_;   // this appender's own segments
  int64_t last_sequence_ = -1;
  // Highest sequence handed to a detached flush (committed or not).
  int64_t reserved_sequence_ = -1;
  RowValidator validator_;
  int64_t handoff_rows_ = 0;  // rows buffered before handing them to writer_
};

}  // namespace tsl
