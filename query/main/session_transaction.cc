// SessionTransaction: staged changes per table, committed at COMMIT. See
// session_transaction.h.
#include "query/main/session_transaction.h"

#include <algorithm>
#include <set>

#include "storage/env.h"

namespace tsl::query {

SessionTransaction::~SessionTransaction() {
  if (!finished_) Rollback();
}

Result<SessionTransaction::TableState*> SessionTransaction::State(
    const std::shared_ptr<Table>& table) {
  auto it = tables_.find(table->dir());
  // A table dropped and re-created since (another Table object at the same
  // directory) is a new table: its old state no longer applies, and COMMIT
  // will find the conflict.
  if (it != tables_.end()) return &it->second;
  ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snap, table->GetSnapshot());
  TableState state;
  state.table = table;
  state.base = snap;
  state.view = snap;
  return &tables_.emplace(table->dir(), std::move(state)).first->second;
}

Result<std::shared_ptr<const Snapshot>> SessionTransaction::View(
    const std::shared_ptr<Table>& table) {
  ASSIGN_OR_RETURN(TableState * state, State(table));
  return state->view;
}

Result<std::unique_ptr<Transaction>> SessionTransaction::NewStatementTransaction(
    const std::shared_ptr<Table>& table) {
  ASSIGN_OR_RETURN(TableState * state, State(table));
  return std::make_unique<Transaction>(state->table, state->view);
}

void SessionTransaction::DeleteStaged(const TableState& state, const std::string& path) {
  // Best effort: a file left behind is an orphan that VACUUM removes.
  (void)state.table->env()->RemoveFile(JoinPath(state.table->dir(), path));
}

void SessionTransaction::Absorb(const std::shared_ptr<Table>& table, Transaction::Staged staged,
                                const std::string& operation) {
  Result<TableState*> found = State(table);
  if (!found.ok()) {  // cannot happen after NewStatementTransaction; never leak the files
    for (const AddAction& a : staged.added) {
      (void)table->env()->RemoveFile(JoinPath(table->dir(), a.path));
    }
    return;
  }
  TableState& state = **found;
  // A removed file is either one of the snapshot's (recorded for COMMIT)
  // or one this transaction staged earlier (dropped and deleted now).
  for (const std::string& path : staged.removed) {
    auto own = std::find_if(state.added.begin(), state.added.end(),
                            [&](const AddAction& a) { return a.path == path; });
    if (own != state.added.end()) {
      DeleteStaged(state, path);
      state.added.erase(own);
    } else {
      state.removed.push_back(path);
    }
  }
  for (AddAction& a : staged.added) state.added.push_back(std::move(a));
  state.operations.push_back(operation);
  state.view = Snapshot::Uncommitted(*state.base, state.removed, state.added);
}

Status SessionTransaction::Commit() {
  finished_ = true;
  std::vector<std::string> committed;
  Status failure;
  for (auto& entry : tables_) {
    // Not a structured binding: the lambda below captures `state`, which
    // clang before 16 refuses for a binding (./run thread-safety uses clang).
    TableState& state = entry.second;
    if (!failure.ok()) break;
    if (state.removed.empty() && state.added.empty()) continue;
    Status st = [&]() -> Status {
      ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                       state.table->NewTransaction(state.base->version()));
      for (const AddAction& f : state.base->files()) {
        if (std::find(state.removed.begin(), state.removed.end(), f.path) != state.removed.end()) {
          RETURN_IF_ERROR(txn->RemoveFile(f));
        }
      }
      for (const AddAction& a : state.added) RETURN_IF_ERROR(txn->AddFile(a));
      // One statement keeps its name in DESCRIBE HISTORY; several are one
      // TRANSACTION entry listing them.
      std::string operation = state.operations.size() == 1 ? state.operations[0] : "TRANSACTION";
      std::map<std::string, std::string> parameters;
      if (state.operations.size() > 1) {
        std::string list;
        for (const std::string& op : state.operations) list += (list.empty() ? "" : ",") + op;
        parameters["statements"] = list;
      }
      return txn->Commit(operation, std::move(parameters)).status();
    }();
    if (st.ok()) {
      committed.push_back(state.table->name());
      state.added.clear();  // the table's now
      continue;
    }
    const StatusCode code = st.code();
    if (code != StatusCode::kConflict && code != StatusCode::kInvalidArgument &&
        code != StatusCode::kNotSupported && code != StatusCode::kNotFound &&
        !state.added.empty()) {
      // A failure at or past the log's commit point may have left the
      // version visible: keep the files unless the table shows it did not.
      Result<std::shared_ptr<const Snapshot>> now = state.table->GetSnapshot();
      bool visible = !now.ok();
      if (now.ok()) {
        for (const AddAction& f : (*now)->files()) visible |= f.path == state.added.front().path;
      }
      if (visible) state.added.clear();
    }
    failure = st;
    if (!committed.empty()) {
      std::string names;
      for (const std::string& n : committed) names += (names.empty() ? "" : ", ") + n;
      failure = st.WithContext("COMMIT: table \"" + state.table->name() +
                               "\" was not committed, but the transaction's changes to " +
                               names + " were");
    }
  }
  Rollback();  // deletes what was not committed
  return failure;
}

void SessionTransaction::Rollback() {
  finished_ = true;
  for (auto& [dir, state] : tables_) {
    for (const AddAction& a : state.added) DeleteStaged(state, a.path);
    state.added.clear();
  }
  tables_.clear();
}

bool AbortsTransaction(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kParser:
    case ErrorKind::kBinder:
    case ErrorKind::kCatalog:
    case ErrorKind::kNotImplemented:
    case ErrorKind::kTransaction:
      return false;
    default:
      return true;
  }
}

}  // namespace tsl::query
