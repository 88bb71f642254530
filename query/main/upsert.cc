// INSERT ... ON CONFLICT / OR REPLACE / OR IGNORE (see upsert.h).
// Thread-safety: one statement at a time.
#include "query/main/upsert.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
#include "query/main/session_transaction.h"
#include "query/main/statement_executor.h"
#include "query/main/returning_rows.h"

namespace tsl::query {
namespace {

void ThrowIfNotOk(const Status& status) {
  if (!status.ok()) throw QueryError(status);
}

// The conflict key's columns: the ON CONFLICT list (which must be a
// declared key, in any order), else the primary key, else the only UNIQUE.
std::vector<int> ConflictKey(const Statement& stmt, const Schema& schema,
                             const TableConstraintSet& constraints) {
  std::vector<std::vector<int>> keys;
  if (!constraints.primary_key.empty()) keys.push_back(constraints.primary_key);
  for (const auto& u : constraints.unique) keys.push_back(u);
  if (stmt.conflict_columns.empty()) {
    if (keys.empty()) {
      throw QueryError(ErrorKind::kBinder,
                       "There are no UNIQUE/PRIMARY KEY constraints that refer to this table, "
                       "specify ON CONFLICT columns manually",
                       stmt.conflict_position);
    }
    if (constraints.primary_key.empty() && keys.size() > 1) {
      throw QueryError(ErrorKind::kBinder,
                       "Conflict target has to be provided for a DO UPDATE operation when the "
                       "table has multiple UNIQUE/PRIMARY KEY constraints",
                       stmt.conflict_position);
    }
    return keys[0];
  }
  std::set<int> wanted;
  for (const std::string& name : stmt.conflict_columns) {
    const int idx = schema.FindField(name);
    if (idx < 0) {
      throw QueryError(ErrorKind::kBinder,
                       "Referenced column \"" + name + "\" not found in table!",
                       stmt.conflict_position);
    }
    wanted.insert(idx);
  }
  for (const auto& k : keys) {
    if (std::set<int>(k.begin(), k.end()) == wanted) return k;
  }
  throw QueryError(ErrorKind::kBinder,
                   "The specified columns as conflict target are not referenced by a "
                   "UNIQUE/PRIMARY KEY CONSTRAINT or INDEX",
                   stmt.conflict_position);
}

bool KeyHasNull(const DataChunk& rows, const std::vector<int>& cols, size_t r) {
  for (int c : cols)
    if (rows.columns[static_cast<size_t>(c)].IsNull(r)) return true;
  return false;
}

}  // namespace

UpsertOutcome RunUpsert(const Statement& stmt, const std::shared_ptr<Table>& table,
                        const std::shared_ptr<const Snapshot>& snapshot, Transaction* txn,
                        Binder* binder, const TableConstraintSet& constraints,
                        std::vector<DataChunk> incoming, ConstraintChecker* checker) {
  const Schema& schema = snapshot->schema();
  const size_t ncols = schema.size();
  std::vector<TypeId> types;
  for (const Field& f : schema.fields) types.push_back(f.type);
  const std::vector<int> key = ConflictKey(stmt, schema, constraints);
  UpsertOutcome outcome;

  // DO UPDATE's SET list and WHERE, over (stored row, excluded row).
  std::vector<int> set_index;
  std::vector<BoundExpressionPtr> set_values;
  BoundExpressionPtr where;
  if (stmt.on_conflict == OnConflictAction::kUpdate) {
    std::vector<Binder::RowScopeTable> scope = {
        {table->name(), schema.fields}, {"excluded", schema.fields, /*qualified_only=*/true}};
    std::vector<Value> defaults;
    if (!constraints.defaults.empty()) defaults = EvaluateDefaults(constraints, schema, binder);
    for (size_t i = 0; i < stmt.set_columns.size(); ++i) {
      const auto& [name, position] = stmt.set_columns[i];
      const int idx = schema.FindField(name);
      if (idx < 0) {
        throw QueryError(ErrorKind::kBinder,
                         "Referenced update column " + name + " not found in table!", position);
      }
      // A key column may be SET (DuckDB 1.5 allows it): the checker then
      // refuses a new key that collides with another row.
      set_index.push_back(idx);
      const TypeId type = types[static_cast<size_t>(idx)];
      if (!stmt.set_values[i]) {
        set_values.push_back(MakeBoundConstant(
            defaults.empty() ? Value::Null(type) : defaults[static_cast<size_t>(idx)]));
        continue;
      }
      BoundExpressionPtr e = binder->BindRowExpression(*stmt.set_values[i], scope, "UPDATE");
      if (e->type != type) e = MakeBoundCast(std::move(e), type);
      set_values.push_back(std::move(e));
    }
    if (stmt.where) {
      where = binder->BindRowExpression(*stmt.where, scope, "WHERE");
      if (where->type != TypeId::kBoolean) where = MakeBoundCast(std::move(where), TypeId::kBoolean);
    }
  }

  // The statement's rows in one chunk; the first row of a key wins.
  DataChunk in;
  in.Initialize(types);
  for (DataChunk& c : incoming) {
    for (size_t i = 0; i < ncols; ++i) {
      c.columns[i].MaterializeStrings();
      in.columns[i].AppendRange(c.columns[i], 0, c.size());
    }
  }
  incoming.clear();
  std::unordered_map<std::string, uint32_t> row_of;  // key -> row of `in`
  std::vector<uint8_t> drop(in.size(), 0);
  for (uint32_t r = 0; r < in.size(); ++r) {
    if (KeyHasNull(in, key, r)) continue;
    if (!row_of.emplace(EncodeKey(in, key, r), r).second) drop[r] = 1;
  }

  // Stored rows with one of the keys, file by file.
  ScanOptions key_scan;
  key_scan.columns = key;
  key_scan.drop_rows_outside_ranges = true;
  {
    std::vector<Value> lo(key.size()), hi(key.size());
    std::vector<std::set<std::string>> strings(key.size());
    for (const auto& [k, r] : row_of) {
      for (size_t i = 0; i < key.size(); ++i) {
        const ColumnVector& v = in.columns[static_cast<size_t>(key[i])];
        if (PhysicalClassOf(v.type) == PhysicalClass::kString) {
          strings[i].insert(v.strings[r]);
        } else if (PhysicalClassOf(v.type) == PhysicalClass::kInt64) {
          if (lo[i].is_null() || v.ints[r] < lo[i].int_value()) lo[i] = v.GetValue(r);
          if (hi[i].is_null() || v.ints[r] > hi[i].int_value()) hi[i] = v.GetValue(r);
        }
      }
    }
    for (size_t i = 0; i < key.size(); ++i) {
      if (!strings[i].empty()) {
        auto set = std::make_shared<std::vector<std::string>>(strings[i].begin(), strings[i].end());
        key_scan.ranges.emplace_back(key[i], Value::Varchar(set->front()),
                                     Value::Varchar(set->back()), set);
      } else if (!lo[i].is_null()) {
        key_scan.ranges.emplace_back(key[i], lo[i], hi[i]);
      }
    }
  }
  std::vector<int> local;
  for (size_t i = 0; i < key.size(); ++i) local.push_back(static_cast<int>(i));
  const bool rewrite = stmt.on_conflict == OnConflictAction::kUpdate ||
                       stmt.on_conflict == OnConflictAction::kReplace;
  std::vector<uint32_t> taken_rows;  // incoming rows that matched a stored row
  std::vector<DataChunk> added;      // new and updated rows the version adds
  std::vector<DataChunk> kept_rows;  // stored rows of rewritten files, unchanged
  if (!row_of.empty()) {
    for (const AddAction& file : snapshot->files()) {
      ScanOptions options = key_scan;
      options.only_files = {file.path};
      std::unique_ptr<ChunkSource> scan;
      {
        Result<std::unique_ptr<ChunkSource>> opened = table->NewScan(snapshot, std::move(options));
        if (!opened.ok()) throw QueryError(opened.status());
        scan = std::move(opened).value();
      }
      bool hit = false;
      DataChunk chunk;
      while (true) {
        Result<bool> more = scan->Next(&chunk);
        if (!more.ok()) throw QueryError(more.status());
        if (!*more) break;
        for (ColumnVector& c : chunk.columns) c.MaterializeStrings();
        for (size_t r = 0; r < chunk.size(); ++r) {
          if (KeyHasNull(chunk, local, r)) continue;
          auto it = row_of.find(EncodeKey(chunk, local, r));
          if (it == row_of.end()) continue;
          hit = true;
          if (!rewrite) drop[it->second] = 1;  // DO NOTHING / IGNORE
        }
      }
      if (!hit || !rewrite) continue;

      // REPLACE / DO UPDATE: rewrite the file without its conflicting rows
      // (plus, for DO UPDATE, their updated versions).
      ScanOptions whole;
      for (size_t i = 0; i < ncols; ++i) whole.columns.push_back(static_cast<int>(i));
      whole.only_files = {file.path};
      Result<std::unique_ptr<ChunkSource>> opened = table->NewScan(snapshot, std::move(whole));
      if (!opened.ok()) throw QueryError(opened.status());
      std::unique_ptr<ChunkSource> all = std::move(opened).value();
      std::vector<DataChunk> file_rows;
      while (true) {
        chunk.Initialize(types);
        Result<bool> more = all->Next(&chunk);
        if (!more.ok()) throw QueryError(more.status());
        if (!*more) break;
        for (ColumnVector& c : chunk.columns) c.MaterializeStrings();
        std::vector<uint32_t> keep, stored, excluded;
        for (uint32_t r = 0; r < chunk.size(); ++r) {
          auto it = KeyHasNull(chunk, key, r) ? row_of.end() : row_of.find(EncodeKey(chunk, key, r));
          if (it == row_of.end() || drop[it->second]) {
            keep.push_back(r);
            continue;
          }
          stored.push_back(r);
          excluded.push_back(it->second);
        }
        if (!stored.empty()) {
          for (uint32_t x : excluded) drop[x] = 1;  // the incoming row is spent
          if (stmt.on_conflict == OnConflictAction::kReplace) {
            DataChunk replacement;
            replacement.Initialize(types);
            for (size_t c = 0; c < ncols; ++c)
              replacement.columns[c].AppendSelection(in.columns[c], excluded);
            outcome.updated += static_cast<int64_t>(stored.size());
            file_rows.push_back(std::move(replacement));
          } else {
            DataChunk pairs;
            std::vector<TypeId> pair_types = types;
            pair_types.insert(pair_types.end(), types.begin(), types.end());
            pairs.Initialize(pair_types);
            for (size_t c = 0; c < ncols; ++c) {
              pairs.columns[c].AppendSelection(chunk.columns[c], stored);
              pairs.columns[ncols + c].AppendSelection(in.columns[c], excluded);
            }
            std::vector<uint32_t> sel;
            if (where) {
              ExpressionExecutor::Select(*where, pairs, stored.size(), &sel);
            } else {
              for (uint32_t i = 0; i < stored.size(); ++i) sel.push_back(i);
            }
            // Rows the WHERE leaves alone stay as stored.
            std::vector<uint8_t> chosen(stored.size(), 0);
            for (uint32_t i : sel) chosen[i] = 1;
            for (uint32_t i = 0; i < stored.size(); ++i)
              if (!chosen[i]) keep.push_back(stored[i]);
            std::sort(keep.begin(), keep.end());
            if (!sel.empty()) {
              DataChunk updated;
              updated.Initialize(types);
              for (size_t c = 0; c < ncols; ++c) {
                std::vector<uint32_t> from;
                for (uint32_t i : sel) from.push_back(stored[i]);
                updated.columns[c].AppendSelection(chunk.columns[c], from);
              }
              DataChunk chosen_pairs;
              chosen_pairs.Initialize(pair_types);
              for (size_t c = 0; c < pair_types.size(); ++c)
                chosen_pairs.columns[c].AppendSelection(pairs.columns[c], sel);
              for (size_t i = 0; i < set_index.size(); ++i) {
                ColumnVector v;
                ExpressionExecutor::Execute(*set_values[i], chosen_pairs, sel.size(), &v);
                v.type = types[static_cast<size_t>(set_index[i])];
                updated.columns[static_cast<size_t>(set_index[i])] = std::move(v);
              }
              outcome.updated += static_cast<int64_t>(sel.size());
              file_rows.push_back(std::move(updated));
            }
          }
        }
        DataChunk kept;
        kept.Initialize(types);
        for (size_t c = 0; c < ncols; ++c) kept.columns[c].AppendSelection(chunk.columns[c], keep);
        outcome.rows_copied += static_cast<int64_t>(keep.size());
        if (kept.size() > 0) kept_rows.push_back(std::move(kept));
      }
      ThrowIfNotOk(txn->RemoveFile(file));
      if (checker) checker->ExcludeFile(file.path);
      ++outcome.files_rewritten;
      for (DataChunk& c : file_rows) added.push_back(std::move(c));
    }
  }
  // The incoming rows that are inserted.
  std::vector<uint32_t> insert;
  for (uint32_t r = 0; r < in.size(); ++r)
    if (!drop[r]) insert.push_back(r);
  outcome.inserted = static_cast<int64_t>(insert.size());
  if (!insert.empty()) {
    DataChunk rows;
    rows.Initialize(types);
    for (size_t c = 0; c < ncols; ++c) rows.columns[c].AppendSelection(in.columns[c], insert);
    added.push_back(std::move(rows));
  }
  if (checker) {
    checker->set_defer_table_lookups(true);
    for (const DataChunk& c : kept_rows) checker->AddKept(c);
    for (const DataChunk& c : added) {
      for (size_t begin = 0; begin < c.size(); begin += kVectorSize) {
        const size_t end = std::min(c.size(), begin + kVectorSize);
        DataChunk part;
        part.Initialize(types);
        for (size_t i = 0; i < ncols; ++i) part.columns[i].AppendRange(c.columns[i], begin, end);
        checker->Check(part);
      }
    }
    checker->FinishDeferred();
  }
  for (DataChunk& c : kept_rows) ThrowIfNotOk(txn->AddRows(std::move(c)));
  for (DataChunk& c : added) {
    if (!stmt.returning.empty()) outcome.written.push_back(c);
    ThrowIfNotOk(txn->AddRows(std::move(c)));
  }
  return outcome;
}

// StatementExecutor's half: a Transaction as UPDATE's (the session's
// statement transaction inside BEGIN ... COMMIT), one version named WRITE
// when only rows were added and MERGE when stored rows changed, none when
// nothing changed.

QueryResult StatementExecutor::ExecuteUpsert(const Statement& stmt,
                                             const std::shared_ptr<Table>& table, Binder& binder,
                                             std::vector<DataChunk> rows) {
  auto or_throw = [&](auto result) {
    if (!result.ok()) throw QueryError(result.status());
    return std::move(result).value();
  };
  std::unique_ptr<Transaction> txn = session_ ? or_throw(session_->NewStatementTransaction(table))
                                              : or_throw(table->NewTransaction());
  txn->SetSegmentDefaults(db_->options().segment_options);
  std::shared_ptr<const Snapshot> snapshot =
      session_ ? or_throw(session_->View(table)) : or_throw(table->GetSnapshot(txn->read_version()));
  const TableConstraintSet constraints =
      TableConstraintSet::FromProperties(snapshot->metadata().configuration, snapshot->schema());
  std::unique_ptr<ConstraintChecker> checker;
  if (constraints.HasChecks()) {
    checker = std::make_unique<ConstraintChecker>(table, snapshot, constraints, &binder);
  }
  // RETURNING: the list over the rows inserted or updated (new values), as
  // DuckDB returns them; rows left alone (DO NOTHING, a WHERE that is not
  // TRUE) are not returned.
  std::vector<BoundExpressionPtr> returning;
  QueryResult returned;
  if (!stmt.returning.empty()) {
    std::vector<std::string> names;
    returning = binder.BindRowList(stmt.returning, {{table->name(), snapshot->schema().fields}},
                                   "RETURNING", &names);
    returned.statement_type = "INSERT";
    for (size_t i = 0; i < returning.size(); ++i) {
      returned.schema.fields.push_back({names[i], returning[i]->type});
    }
  }
  UpsertOutcome outcome = RunUpsert(stmt, table, snapshot, txn.get(), &binder, constraints,
                                    std::move(rows), checker.get());
  if (outcome.inserted == 0 && outcome.updated == 0) {  // nothing changed
    txn->Abort();
  } else {
    const char* operation = outcome.files_rewritten > 0 ? "MERGE" : "WRITE";
    if (session_) {
      session_->Absorb(table, or_throw(txn->Stage()), operation);
    } else {
      std::map<std::string, std::string> parameters = {{"mode", "Upsert"}};
      std::map<std::string, std::string> metrics = {
          {"numTargetRowsInserted", std::to_string(outcome.inserted)},
          {"numTargetRowsUpdated", std::to_string(outcome.updated)},
          {"numTargetRowsCopied", std::to_string(outcome.rows_copied)},
          {"numTargetFilesRemoved", std::to_string(outcome.files_rewritten)}};
      Result<CommitResult> committed =
          txn->Commit(operation, std::move(parameters), std::move(metrics));
      if (!committed.ok()) throw QueryError(committed.status());
    }
  }
  if (!returning.empty()) {
    for (const DataChunk& rows : outcome.written) {
      returned.chunks.push_back(EvaluateReturning(returning, rows, rows.size()));
    }
    return returned;
  }
  QueryResult result;
  result.statement_type = "INSERT";
  result.schema.fields = {{"Count", TypeId::kBigint}};
  DataChunk count;
  count.Initialize({TypeId::kBigint});
  count.columns[0].AppendInt(outcome.inserted + outcome.updated);
  result.chunks.push_back(std::move(count));
  return result;
}

}  // namespace tsl::query
