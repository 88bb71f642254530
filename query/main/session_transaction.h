// SessionTransaction: a connection's explicit transaction (BEGIN ...
// COMMIT / ROLLBACK / ABORT), kept by QueryEngine between scripts.
//
// Each table gets a snapshot the first time the transaction touches it
// (read or write: Postgres's REPEATABLE READ takes its snapshot at the
// first statement, per table here because each table has its own log).
// A data-changing statement inside the transaction (INSERT, UPDATE,
// DELETE) runs on a storage Transaction over the table's current view and
// is staged instead of committed (Transaction::Stage): its segment files
// are written and fsynced, the files it removed recorded; the view is then
// the snapshot with those changes (Snapshot::Uncommitted), so later
// statements read the transaction's own writes and nobody else sees them.
// COMMIT commits each changed table as one version (RemoveFile of the
// snapshot's files, AddFile of the staged ones) at the version it read, so
// storage's conflict rules apply: a concurrent DELETE/UPDATE/OPTIMIZE of a
// file this transaction removed is a kConflict. ROLLBACK, a failed COMMIT
// and closing the connection delete the staged files.
//
// Across tables a COMMIT is not atomic: tables commit one after the other
// (each its own log), and a conflict on a later table leaves the earlier
// ones committed; the error names them. A transaction over one table
// commits all or nothing.
// Thread-safety: one statement at a time (the owning connection's).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "query/common/query_error.h"
#include "storage/snapshot.h"
#include "storage/table.h"
#include "storage/transaction.h"

namespace tsl::query {

class SessionTransaction {
 public:
  SessionTransaction() = default;
  ~SessionTransaction();  // rolls back unless committed
  SessionTransaction(const SessionTransaction&) = delete;
  SessionTransaction& operator=(const SessionTransaction&) = delete;

  // What statements in the transaction read of `table`: its snapshot at
  // first touch plus the transaction's changes.
  Result<std::shared_ptr<const Snapshot>> View(const std::shared_ptr<Table>& table);
  // A storage transaction over View(table), for one statement; its changes
  // go to Absorb, never to Commit.
  Result<std::unique_ptr<Transaction>> NewStatementTransaction(const std::shared_ptr<Table>& table);
  // Takes one statement's staged changes (`operation` for the commit's
  // history entry, `rows` the rows it changed).
  void Absorb(const std::shared_ptr<Table>& table, Transaction::Staged staged,
              const std::string& operation);

  // Commits every changed table; on an error nothing more is committed and
  // the staged files of tables not committed are deleted.
  Status Commit();
  // Deletes every staged file; nothing is committed.
  void Rollback();

  // A statement failed while running (DuckDB's rule: parser, binder and
  // catalog errors do not count, AbortsTransaction below): every statement
  // but COMMIT and ROLLBACK now fails, and COMMIT rolls back.
  bool aborted() const { return *aborted_; }
  // Whether any statement of the transaction has read or written a table.
  bool touched() const { return !tables_.empty(); }
  void MarkAborted() { *aborted_ = true; }
  // The same flag for a SELECT's stream, whose rows (and errors) come
  // after the engine returned; it may outlive the transaction harmlessly.
  std::shared_ptr<bool> aborted_flag() const { return aborted_; }

 private:
  struct TableState {
    std::shared_ptr<Table> table;
    std::shared_ptr<const Snapshot> base;  // committed snapshot at first touch
    std::shared_ptr<const Snapshot> view;  // base + the changes below
    std::vector<std::string> removed;      // base files removed
    std::vector<AddAction> added;          // staged files, in no version
    std::vector<std::string> operations;   // statements, in order
  };
  Result<TableState*> State(const std::shared_ptr<Table>& table);
  static void DeleteStaged(const TableState& state, const std::string& path);

  std::map<std::string, TableState> tables_;  // by table directory
  bool finished_ = false;
  std::shared_ptr<bool> aborted_ = std::make_shared<bool>(false);
};

// Whether an error of `kind` inside a transaction aborts it: errors raised
// while a statement runs do; parser, binder, catalog, not-implemented and
// transaction-misuse errors (raised before anything ran) do not.
bool AbortsTransaction(ErrorKind kind);

}  // namespace tsl::query
