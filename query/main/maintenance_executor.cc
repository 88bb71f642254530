// StatementExecutor's half for issue 3's statements: DELETE [USING]
// [RETURNING] (built on storage's Transaction: per live file, zone maps
// decide remove / keep / rewrite, all in one commit; USING pairs rows with
// the source through source_match.h), OPTIMIZE, VACUUM, RESTORE and ALTER TABLE
// (thin wrappers over Table's maintenance calls). See statement_executor.h.
// Thread-safety: one statement at a time; concurrent writers are handled by
// the transaction's conflict rules (kConflict reaches the caller).
#include <nlohmann/json.hpp>

#include "formats/timestamp.h"
#include "query/binder/binder.h"
#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
#include "query/functions/cast_function.h"
#include "query/main/alter_constraint.h"
#include "query/main/file_coverage.h"
#include "query/main/session_transaction.h"
#include "query/main/source_match.h"
#include "query/main/statement_executor.h"
#include "query/main/table_constraints.h"
#include "query/planner/planner.h"
#include "query/main/returning_rows.h"
#include "storage/transaction.h"

namespace tsl::query {
namespace {

// A storage Status as a user-facing error at `position`: bad arguments and
// unknown names are the user's (Catalog / Invalid Input), the rest passes
// through with its code (kConflict, kIOError, ...).
[[noreturn]] void ThrowStorage(const Status& status, int position) {
  if (status.IsNotFound()) throw QueryError(ErrorKind::kCatalog, status.message(), position);
  if (status.code() == StatusCode::kInvalidArgument) {
    throw QueryError(ErrorKind::kInvalidInput, status.message(), position);
  }
  throw QueryError(status);
}

template <typename T>
T OrThrow(Result<T> result, int position) {
  if (!result.ok()) ThrowStorage(result.status(), position);
  return std::move(result).value();
}

QueryResult SingleRow(const std::string& type, std::vector<std::pair<std::string, Value>> row) {
  QueryResult r;
  r.statement_type = type;
  DataChunk chunk;
  std::vector<TypeId> types;
  for (const auto& [name, v] : row) {
    r.schema.fields.push_back({name, v.type()});
    types.push_back(v.type());
  }
  chunk.Initialize(types);
  for (size_t c = 0; c < row.size(); ++c) chunk.columns[c].AppendValue(row[c].second);
  r.chunks.push_back(std::move(chunk));
  return r;
}

}  // namespace

QueryResult StatementExecutor::ExecuteDelete(const Statement& stmt) {
  Binder binder = NewBinder();
  std::shared_ptr<Table> table = binder.GetTable(stmt.table, stmt.table_position);
  // Autocommit: a transaction at the latest version; inside BEGIN ...
  // COMMIT: one over the session's view, staged rather than committed.
  std::unique_ptr<Transaction> txn =
      session_ ? OrThrow(session_->NewStatementTransaction(table), stmt.table_position)
               : OrThrow(table->NewTransaction(), stmt.table_position);
  txn->SetSegmentDefaults(db_->options().segment_options);
  std::shared_ptr<const Snapshot> snapshot =
      session_ ? OrThrow(session_->View(table), stmt.table_position)
               : OrThrow(table->GetSnapshot(txn->read_version()), stmt.table_position);
  const Schema& schema = snapshot->schema();
  const std::string target_name = stmt.table_alias.empty() ? table->name() : stmt.table_alias;
  std::vector<TypeId> types;
  ScanOptions all_columns;
  for (size_t i = 0; i < schema.size(); ++i) {
    types.push_back(schema.fields[i].type);
    all_columns.columns.push_back(static_cast<int>(i));
  }

  // DELETE ... USING: the source runs once; a target row is deleted when
  // some source row makes the WHERE clause true (DuckDB's semantics: each
  // row counts once however many source rows match it).
  std::vector<Binder::RowScopeTable> scope = {{target_name, schema.fields}};
  std::unique_ptr<SourceMatcher> matcher;
  DataChunk source;
  if (stmt.update_from) {
    QueryResult from = ExecuteSelect(*stmt.update_from);
    std::vector<TypeId> source_types;
    for (const Field& f : from.schema.fields) source_types.push_back(f.type);
    source.Initialize(source_types);
    for (DataChunk& c : from.chunks) {
      for (size_t i = 0; i < source_types.size(); ++i) {
        c.columns[i].MaterializeStrings();
        source.columns[i].AppendRange(c.columns[i], 0, c.size());
      }
    }
    const TableRef& ref = stmt.update_from->from;
    std::string source_name = ref.alias;
    if (source_name.empty() &&
        (ref.kind == TableRef::Kind::kBaseTable || ref.kind == TableRef::Kind::kTableFunction)) {
      source_name = ref.name;
    }
    scope.push_back({source_name, from.schema.fields});
  }
  BoundExpressionPtr predicate;
  if (stmt.where) {
    if (stmt.update_from) {
      predicate = binder.BindRowExpression(*stmt.where, scope, "WHERE");
      if (predicate->type != TypeId::kBoolean) {
        predicate = MakeBoundCast(std::move(predicate), TypeId::kBoolean);
      }
    } else {
      predicate = binder.BindTablePredicate(*stmt.where, target_name, schema, "DELETE");
    }
  }
  if (stmt.update_from) {
    matcher = std::make_unique<SourceMatcher>(std::move(source), predicate.get(), types, &ctx_);
  }
  // RETURNING: the list over the deleted rows (the target's columns only,
  // as DuckDB).
  std::vector<std::string> returning_names;
  std::vector<BoundExpressionPtr> returning;
  QueryResult returned;
  returned.statement_type = "DELETE";
  if (!stmt.returning.empty()) {
    returning = binder.BindRowList(stmt.returning, {scope[0]}, "RETURNING", &returning_names);
    for (size_t i = 0; i < returning.size(); ++i)
      returned.schema.fields.push_back({returning_names[i], returning[i]->type});
  }
  // A file every row of which matches is removed unread, unless the rows
  // are needed (RETURNING) or matching needs the source.
  const bool whole_files = !matcher && returning.empty();

  int64_t deleted = 0, rewritten = 0, removed_whole = 0;
  std::vector<uint32_t> sel, keep;
  std::vector<uint8_t> hit;
  for (const AddAction& file : snapshot->files()) {
    ctx_.CheckCancelled();
    if (matcher && matcher->source_rows() == 0) break;
    Coverage cov = predicate ? FileCoverage(*predicate, snapshot->physical_schema(), file)
                             : (file.stats.num_records >= 0 ? Coverage::kAll : Coverage::kSome);
    if (cov == Coverage::kNone) continue;
    if (cov == Coverage::kAll && whole_files) {
      ThrowIfError(txn->RemoveFile(file));
      deleted += file.stats.num_records;
      ++removed_whole;
      continue;
    }
    // Some rows may match: read the file, keep the rows where the predicate
    // is not TRUE (FALSE or NULL), and replace the file by the survivors.
    ScanOptions options = all_columns;
    options.only_files = {file.path};
    std::unique_ptr<ChunkSource> scan =
        OrThrow(table->NewScan(snapshot, std::move(options)), stmt.table_position);
    std::vector<DataChunk> survivors;
    int64_t matched = 0;
    DataChunk chunk;
    while (true) {
      ctx_.CheckCancelled();
      chunk.Initialize(types);
      Result<bool> more = scan->Next(&chunk);
      if (!more.ok()) throw QueryError(more.status());
      if (!*more) break;
      const size_t n = chunk.size();
      if (n == 0) continue;
      sel.clear();
      if (matcher) {
        for (ColumnVector& c : chunk.columns) c.MaterializeStrings();
        hit.assign(n, 0);
        matcher->Match(chunk, [&](const DataChunk&, const std::vector<uint32_t>& target,
                                  const std::vector<uint32_t>&) {
          for (uint32_t i : target) hit[i] = 1;
        });
        for (uint32_t i = 0; i < n; ++i) {
          if (hit[i]) sel.push_back(i);
        }
      } else if (predicate) {
        ExpressionExecutor::Select(*predicate, chunk, n, &sel);
      } else {
        for (uint32_t i = 0; i < n; ++i) sel.push_back(i);
      }
      matched += static_cast<int64_t>(sel.size());
      if (!returning.empty() && !sel.empty()) {
        DataChunk gone;
        gone.Initialize(types);
        for (size_t c = 0; c < types.size(); ++c) gone.columns[c].AppendSelection(chunk.columns[c], sel);
        returned.chunks.push_back(EvaluateReturning(returning, gone, sel.size()));
      }
      if (sel.size() == n) continue;
      if (sel.empty()) {
        survivors.push_back(std::move(chunk));
        chunk = DataChunk();
        continue;
      }
      keep.clear();
      size_t s = 0;
      for (uint32_t i = 0; i < n; ++i) {
        if (s < sel.size() && sel[s] == i) {
          ++s;
        } else {
          keep.push_back(i);
        }
      }
      DataChunk kept;
      kept.Initialize(types);
      for (size_t c = 0; c < types.size(); ++c) {
        kept.columns[c].AppendSelection(chunk.columns[c], keep);
      }
      survivors.push_back(std::move(kept));
    }
    if (matched == 0) continue;  // nothing to delete in this file: keep it
    ThrowIfError(txn->RemoveFile(file));
    for (const DataChunk& c : survivors) ThrowIfError(txn->AddRows(c));
    deleted += matched;
    ++rewritten;
  }
  auto result = [&](int64_t count) {
    if (!returning.empty()) return std::move(returned);
    return SingleRow("DELETE", {{"Count", Value::Bigint(count)}});
  };
  if (deleted == 0) {
    // Nothing matched: no version (a no-op DELETE changes nothing).
    txn->Abort();
    return result(0);
  }
  std::map<std::string, std::string> parameters;
  parameters["predicate"] = stmt.where ? stmt.where->ToString() : "true";
  if (stmt.update_from) parameters["using"] = "true";
  std::map<std::string, std::string> metrics = {
      {"numDeletedRows", std::to_string(deleted)},
      {"numRewrittenFiles", std::to_string(rewritten)},
      {"numWholeFilesRemoved", std::to_string(removed_whole)}};
  if (session_) {
    session_->Absorb(table, OrThrow(txn->Stage(), stmt.position), "DELETE");
  } else {
    OrThrow(txn->Commit("DELETE", std::move(parameters), std::move(metrics)), stmt.position);
  }
  return result(deleted);
}

QueryResult StatementExecutor::ExecuteOptimize(const Statement& stmt) {
  Binder binder = NewBinder();
  std::shared_ptr<Table> table = binder.GetTable(stmt.table, stmt.table_position);
  std::vector<ScanRange> ranges;
  if (stmt.where) {
    std::shared_ptr<const Snapshot> snapshot =
        OrThrow(table->GetSnapshot(), stmt.table_position);
    BoundExpressionPtr predicate =
        binder.BindTablePredicate(*stmt.where, table->name(), snapshot->schema(), "OPTIMIZE");
    std::vector<const BoundExpression*> conjuncts;
    Conjuncts(*predicate, &conjuncts);
    ranges = ExtractScanRanges(*predicate);
    if (ranges.size() != conjuncts.size()) {
      // OPTIMIZE picks partitions, it filters no rows: every conjunct must
      // be a range the zone maps can decide.
      throw QueryError(ErrorKind::kInvalidInput,
                       "OPTIMIZE ... WHERE accepts only conjunctions of `column <op> constant` "
                       "(=, <, <=, >, >=), got " + stmt.where->ToString(),
                       stmt.where->position);
    }
  }
  CommitResult r = OrThrow(table->Optimize(ranges), stmt.position);
  return SingleRow("OPTIMIZE", {{"version", r.version < 0 ? Value::Null(TypeId::kBigint)
                                                          : Value::Bigint(r.version)},
                                {"files_removed", Value::Bigint(r.files_removed)},
                                {"files_added", Value::Bigint(r.files_added)}});
}

QueryResult StatementExecutor::ExecuteVacuum(const Statement& stmt) {
  std::shared_ptr<Table> table = NewBinder().GetTable(stmt.table, stmt.table_position);
  VacuumOptions options;
  options.retain_hours = stmt.retain_hours;
  options.dry_run = stmt.dry_run;
  options.force = stmt.force;
  if (!stmt.dry_run) {
    // Retention first, as Table::Vacuum would apply it, but rewriting the
    // files that straddle the cutoff and, for a materialized view, on its
    // time_bucket column (materialized_view.cc).
    options.apply_retention = false;
    ApplyRetentionPolicy(table->name(), /*rewrite_straddling=*/true);
  }
  VacuumResult r = OrThrow(table->Vacuum(options), stmt.position);
  if (!stmt.dry_run) {
    return SingleRow("VACUUM", {{"files_deleted", Value::Bigint(static_cast<int64_t>(
                                                      r.files.size()))},
                                {"bytes_deleted", Value::Bigint(r.bytes)}});
  }
  // DRY RUN lists what it would delete, as Delta does.
  QueryResult result;
  result.statement_type = "VACUUM";
  result.schema.fields.push_back({"path", TypeId::kVarchar});
  for (size_t begin = 0; begin < r.files.size(); begin += kVectorSize) {
    DataChunk chunk;
    chunk.Initialize({TypeId::kVarchar});
    for (size_t i = begin; i < std::min(r.files.size(), begin + kVectorSize); ++i) {
      chunk.columns[0].AppendString(r.files[i]);
    }
    result.chunks.push_back(std::move(chunk));
  }
  return result;
}

QueryResult StatementExecutor::ExecuteRestore(const Statement& stmt) {
  Binder binder = NewBinder();
  std::shared_ptr<Table> table = binder.GetTable(stmt.table, stmt.table_position);
  CommitResult r;
  if (stmt.restore_version) {
    r = OrThrow(table->RestoreToVersion(*stmt.restore_version), stmt.table_position);
  } else {
    Value ts = CastValue(binder.EvaluateConstant(*stmt.restore_timestamp), TypeId::kTimestamp);
    if (ts.is_null()) {
      throw QueryError(ErrorKind::kBinder, "RESTORE ... TIMESTAMP AS OF needs a timestamp, not NULL",
                       stmt.restore_timestamp->position);
    }
    r = OrThrow(table->RestoreToTimestamp(ts.int_value()), stmt.restore_timestamp->position);
  }
  return SingleRow("RESTORE", {{"version", r.version < 0 ? Value::Null(TypeId::kBigint)
                                                         : Value::Bigint(r.version)},
                               {"files_removed", Value::Bigint(r.files_removed)},
                               {"files_restored", Value::Bigint(r.files_added)}});
}

QueryResult StatementExecutor::ExecuteAlter(const Statement& stmt) {
  std::shared_ptr<Table> table = NewBinder().GetTable(stmt.table, stmt.table_position);
  QueryResult result;
  result.statement_type = "ALTER TABLE";
  switch (stmt.alter) {
    case AlterKind::kAddColumn: {
      if (stmt.if_not_exists) {  // ADD COLUMN IF NOT EXISTS: a taken name is no error
        std::shared_ptr<const Snapshot> snapshot = OrThrow(table->GetSnapshot(), stmt.position);
        if (snapshot->schema().FindField(stmt.alter_column.name) >= 0) break;
      }
      OrThrow(table->AddColumn({stmt.alter_column.name, stmt.alter_column.type}),
              stmt.alter_column.position);
      break;
    }
    case AlterKind::kRenameColumn: {
      // A constraint names its columns: renaming one would orphan it.
      std::shared_ptr<const Snapshot> snapshot = OrThrow(table->GetSnapshot(), stmt.position);
      const Schema& schema = snapshot->schema();
      const int idx = schema.FindField(stmt.alter_column.name);
      if (idx >= 0 && TableConstraintSet::FromProperties(snapshot->metadata().configuration, schema)
                          .ConstrainedColumns()
                          .count(idx)) {
        throw QueryError(ErrorKind::kNotImplemented,
                         "cannot rename column \"" + stmt.alter_column.name +
                             "\": a constraint of the table depends on it",
                         stmt.alter_column.position);
      }
      OrThrow(table->RenameColumn(stmt.alter_column.name, stmt.rename_to),
              stmt.alter_column.position);
      break;
    }
    case AlterKind::kRenameTable:
      RenameTable(stmt);  // materialized_view.cc: checks its dependents
      break;
    case AlterKind::kDropColumn:
      return ExecuteDropColumn(stmt, table);  // alter_column.cc
    case AlterKind::kAlterColumnType:
      return ExecuteAlterColumnType(stmt, table);  // alter_column.cc
    case AlterKind::kSetNotNull:
    case AlterKind::kDropNotNull:
    case AlterKind::kSetDefault:
    case AlterKind::kDropDefault: {
      Binder binder = NewBinder();
      return ExecuteAlterConstraint(stmt, table, &binder);  // alter_constraint.cc
    }
    case AlterKind::kSetProperties:
      if (!stmt.constraints.empty()) {  // ADD PRIMARY KEY (...) and the like
        Binder binder = NewBinder();
        return ExecuteAddConstraint(stmt, table, &binder);  // alter_constraint.cc
      }
      for (const auto& [key, value] : stmt.property_changes) {
        if (IsConstraintProperty(key)) {
          throw QueryError(ErrorKind::kInvalidInput,
                           "table property \"" + key +
                               "\" is set by CREATE TABLE's constraint clauses, not by ALTER TABLE",
                           stmt.position);
        }
      }
      OrThrow(table->SetProperties(stmt.property_changes), stmt.position);
      break;
  }
  return result;
}

}  // namespace tsl::query
