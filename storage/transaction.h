// Transaction: one optimistic-concurrency change of a table (Delta's
// OptimisticTransaction). It is opened at a read version (the snapshot the
// change was computed from), collects the actions of the change (files
// removed, rows or files added, a new metaData, a txn version), writes new
// rows as segments (partitioned, sorted by the sort key, cut at the target
// size; see PartitionedWriter) and commits them as version read_version+1.
//
// Conflict rules (Delta's "Concurrency control", WriteSerializable). When
// versions were committed after the read version, each winner is checked
// against this transaction; the commit is retried on top of the winners
// when none conflicts, else fails with kConflict naming the first
// conflicting winner's operation and version:
//   (a) a winner that changed metaData or protocol conflicts with every
//       transaction; a transaction that sets metaData conflicts with every
//       winner (schema and property changes need the latest state);
//   (b) a winner that removed a file this transaction removes conflicts
//       (DELETE vs DELETE, DELETE vs OPTIMIZE, OPTIMIZE vs OPTIMIZE);
//   (c) a winner whose txn action has this transaction's app id conflicts;
//   (d) anything else does not conflict: blind appends never conflict
//       with appends, with dataChange=false compaction or with deletes of
//       other files, and a DELETE whose removed files the winners did not
//       touch retries cleanly.
// Thread-safety: one thread per transaction. Nothing is visible to anyone
// until Commit returns OK.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "formats/log_action.h"
#include "storage/snapshot.h"
#include "storage/table.h"

namespace tsl {

class Transaction {
 public:
  // Use Table::NewTransaction.
  Transaction(std::shared_ptr<Table> table, std::shared_ptr<const Snapshot> read_snapshot);
  ~Transaction();  // aborts unless committed
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  const Snapshot& read_snapshot() const;
  int64_t read_version() const;

  // Removes `file`, a live file of the read snapshot. dataChange is taken
  // from SetDataChange (true by default). kNotFound when the read snapshot
  // has no such live file; kInvalidArgument when removed twice.
  Status RemoveFile(const AddAction& file);
  // Appends rows to be written as new segment files (kept by Commit,
  // removed by Abort). REQUIRES: chunk types equal the read snapshot's
  // schema (or the one SetMetadata set), in order; kInvalidArgument naming
  // the column otherwise.
  Status AddRows(const DataChunk& chunk);
  // As above, but may take the chunk's arrays instead of copying them.
  Status AddRows(DataChunk&& chunk);
  // Adds an already written segment file (a RESTORE re-adding an old file).
  // REQUIRES: the file is fsynced (invariant (1)). kInvalidArgument when
  // its path is added twice.
  Status AddFile(AddAction add);
  // Replaces the table's metaData (ALTER TABLE). The schema must keep
  // the physical names of existing columns (Table::AddColumn and
  // RenameColumn build such metadata) unless every live file is removed
  // (CREATE OR REPLACE TABLE, ALTER COLUMN TYPE). Rows added afterwards
  // are written under it; kInvalidArgument after the first AddRows.
  // Conflicts with every winner (a).
  Status SetMetadata(MetaDataAction metadata);
  // Records that application `app_id` committed its `version` (Delta's
  // txn action) so an idempotent writer can skip a batch already committed:
  // read_snapshot().app_versions(). kInvalidArgument when `version` is not
  // greater than the read snapshot's version for `app_id`.
  Status SetTxn(std::string app_id, int64_t version);
  // The database's segment defaults (compression); the table's
  // "compression" property overrides them. Call before AddRows.
  void SetSegmentDefaults(SegmentWriteOptions options);
  // false for rearrangements that change no data (OPTIMIZE): every add and
  // remove is written with dataChange=false. Call before adding files.
  void SetDataChange(bool data_change);
  // Cuts new segments at `rows` when that is below the table's
  // target_segment_rows (bounded-memory compaction: the writer holds up to
  // two segments of rows). Call before AddRows.
  void SetMaxSegmentRows(int64_t rows);

  // Writes the pending rows, then commits every action plus a commitInfo
  // {operation, parameters, readVersion, isBlindAppend, operationMetrics}.
  // `metrics` are merged with the ones the transaction counts itself
  // (numAddedFiles, numRemovedFiles, numOutputRows, numOutputBytes,
  // numRemovedBytes). Returns the committed version; kConflict (nothing
  // committed, files written by this transaction removed) per the rules
  // above; kIOError when the log could not be written. The transaction is
  // spent afterwards, whatever the outcome.
  Result<CommitResult> Commit(std::string operation,
                              std::map<std::string, std::string> parameters = {},
                              std::map<std::string, std::string> metrics = {});
  // Removes files written so far; commits nothing.
  void Abort();

  // For an explicit (multi-statement) transaction: writes the pending rows
  // and hands over this statement's changes instead of committing them:
  // the read snapshot's files it removed and the files it wrote (fsynced,
  // in no version; the caller now owns them: it commits them later with
  // AddFile or deletes them). The transaction is spent afterwards.
  struct Staged {
    std::vector<std::string> removed;
    std::vector<AddAction> added;
  };
  Result<Staged> Stage();

 private:
  Status AddRowsImpl(DataChunk& chunk, bool owned);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tsl
