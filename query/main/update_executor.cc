// StatementExecutor's half for UPDATE (issue 17): one storage Transaction,
// Delta's copy-on-write. For each live file the WHERE clause's zone-map
// coverage (file_coverage.h) skips files no row of which can match; the
// others are read whole, and a file with at least one updated row is
// removed and replaced by its unchanged rows plus the updated ones (the
// writer re-partitions and re-sorts them, so updating the partition column
// moves rows between partitions). All of it commits as one version
// ("UPDATE" in DESCRIBE HISTORY with numUpdatedRows), or none when no row
// matched. A concurrent DELETE/UPDATE/OPTIMIZE that removed one of the same
// files is a kConflict (transaction.h rule (b)), never a lost update.
//
// UPDATE ... FROM source: the source runs once and is materialized; each
// target row is paired with the source rows (all of them, or only those
// sharing the key of a `target.col = source.col` conjunct, through a hash
// table) and the WHERE clause is evaluated over the pairs, 2,048 at a
// time. As DuckDB does, a target row matched by several source rows takes
// the first match's values (source order), while the count and RETURNING
// report every matching pair.
// Thread-safety: one statement at a time.
#include <set>
#include <unordered_map>

#include "query/binder/binder.h"
#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
#include "query/main/file_coverage.h"
#include "query/main/session_transaction.h"
#include "query/main/table_constraints.h"
#include "query/main/statement_executor.h"
#include "storage/transaction.h"

namespace tsl::query {
namespace {

template <typename T>
T OrThrowAt(Result<T> result, int position) {
  if (!result.ok()) {
    const Status& status = result.status();
    if (status.IsNotFound()) throw QueryError(ErrorKind::kCatalog, status.message(), position);
    throw QueryError(status);
  }
  return std::move(result).value();
}

void ThrowIfNotOk(const Status& status) {
  if (!status.ok()) throw QueryError(status);
}

// The name an UPDATE ... FROM source's columns are qualified with: its
// alias, else its table (or function) name; a join's columns stay
// unqualified.
std::string SourceName(const TableRef& ref) {
  if (!ref.alias.empty()) return ref.alias;
  if (ref.kind == TableRef::Kind::kBaseTable || ref.kind == TableRef::Kind::kTableFunction) {
    return ref.name;
  }
  return "";
}

// A `target.col = source.col` conjunct of the WHERE clause whose key can
// be hashed exactly (integers, timestamps, dates, strings; not DOUBLE, where
// -0.0 = 0.0): the target and source column indexes (the latter relative
// to the source), or {-1, -1}.
std::pair<int, int> HashableEquiKey(const BoundExpression* predicate, size_t target_columns) {
  if (!predicate) return {-1, -1};
  std::vector<const BoundExpression*> conjuncts;
  Conjuncts(*predicate, &conjuncts);
  for (const BoundExpression* c : conjuncts) {
    if (c->kind != BoundKind::kOperator || c->op != OpCode::kEq || c->children.size() != 2) {
      continue;
    }
    const BoundExpression* a = c->children[0].get();
    const BoundExpression* b = c->children[1].get();
    if (a->kind != BoundKind::kColumnRef || b->kind != BoundKind::kColumnRef) continue;
    if (a->type != b->type || PhysicalClassOf(a->type) == PhysicalClass::kDouble) continue;
    const auto t = static_cast<size_t>(target_columns);
    if (static_cast<size_t>(a->column) >= t) std::swap(a, b);
    if (static_cast<size_t>(a->column) < t && static_cast<size_t>(b->column) >= t) {
      return {a->column, b->column - static_cast<int>(t)};
    }
  }
  return {-1, -1};
}

// The hash key of row `row` of `col` (REQUIRES: not NULL, strings not in
// dictionary form).
std::string KeyOf(const ColumnVector& col, size_t row) {
  if (PhysicalClassOf(col.type) == PhysicalClass::kString) return col.strings[row];
  const int64_t v = col.ints[row];
  return std::string(reinterpret_cast<const char*>(&v), sizeof v);
}

}  // namespace

QueryResult StatementExecutor::ExecuteUpdate(const Statement& stmt) {
  Binder binder = NewBinder();
  std::shared_ptr<Table> table = binder.GetTable(stmt.table, stmt.table_position);
  // Autocommit: a transaction at the latest version; inside BEGIN ...
  // COMMIT: one over the session's view, staged rather than committed.
  std::unique_ptr<Transaction> txn =
      session_ ? OrThrowAt(session_->NewStatementTransaction(table), stmt.table_position)
               : OrThrowAt(table->NewTransaction(), stmt.table_position);
  txn->SetSegmentDefaults(db_->options().segment_options);
  std::shared_ptr<const Snapshot> snapshot =
      session_ ? OrThrowAt(session_->View(table), stmt.table_position)
               : OrThrowAt(table->GetSnapshot(txn->read_version()), stmt.table_position);
  const Schema& schema = snapshot->schema();
  const size_t ncols = schema.size();

  // SET columns: each once, each a column of the table.
  std::vector<int> set_index;
  std::vector<std::string> names;
  for (const Field& f : schema.fields) names.push_back(f.name);
  for (const auto& [name, position] : stmt.set_columns) {
    int found = -1;
    for (size_t i = 0; i < ncols; ++i) {
      if (EqualsIgnoreCase(schema.fields[i].name, name)) found = static_cast<int>(i);
    }
    if (found < 0) {
      std::string message = "Referenced update column " + name + " not found in table!";
      if (auto hint = ClosestMatch(name, names)) message += " Did you mean \"" + *hint + "\"?";
      throw QueryError(ErrorKind::kBinder, message, position);
    }
    for (int done : set_index) {
      if (done == found) {
        throw QueryError(ErrorKind::kBinder,
                         "Multiple assignments to same column \"" + name + "\"", position);
      }
    }
    set_index.push_back(found);
  }

  // The FROM source, run once and kept as one chunk of m rows.
  std::vector<Binder::RowScopeTable> scope = {
      {stmt.table_alias.empty() ? table->name() : stmt.table_alias, schema.fields}};
  DataChunk source;
  size_t source_rows = 0;
  if (stmt.update_from) {
    QueryResult from = ExecuteSelect(*stmt.update_from);
    std::vector<TypeId> types;
    for (const Field& f : from.schema.fields) types.push_back(f.type);
    source.Initialize(types);
    for (DataChunk& c : from.chunks) {
      for (size_t i = 0; i < types.size(); ++i) {
        c.columns[i].MaterializeStrings();
        source.columns[i].AppendRange(c.columns[i], 0, c.size());
      }
    }
    source_rows = source.size();
    scope.push_back({SourceName(stmt.update_from->from), from.schema.fields});
  }
  const bool has_from = stmt.update_from != nullptr;

  BoundExpressionPtr predicate;
  if (stmt.where) {
    if (ContainsAggregate(*stmt.where)) {
      throw QueryError(ErrorKind::kBinder, "UPDATE WHERE clause cannot contain aggregates!",
                       stmt.where->position);
    }
    predicate = binder.BindRowExpression(*stmt.where, scope, "WHERE");
    if (predicate->type != TypeId::kBoolean) {
      predicate = MakeBoundCast(std::move(predicate), TypeId::kBoolean);
    }
  }
  // Declared constraints (main/table_constraints.h): every rewritten row
  // is checked; keys only when a SET column belongs to one (otherwise no
  // key changes), and against the table only after every removed file is
  // known.
  TableConstraintSet constraints =
      TableConstraintSet::FromProperties(snapshot->metadata().configuration, schema);
  {
    std::set<int> keyed(constraints.primary_key.begin(), constraints.primary_key.end());
    for (const auto& u : constraints.unique) keyed.insert(u.begin(), u.end());
    bool touches_key = false;
    for (int c : set_index) touches_key |= keyed.count(c) > 0;
    if (!touches_key) {
      constraints.primary_key.clear();
      constraints.unique.clear();
    }
  }
  std::vector<Value> defaults;
  if (!constraints.defaults.empty()) defaults = EvaluateDefaults(constraints, schema, &binder);
  std::unique_ptr<ConstraintChecker> checker;
  if (constraints.HasChecks()) {
    checker = std::make_unique<ConstraintChecker>(table, snapshot, constraints, &binder);
    checker->set_defer_table_lookups(true);
  }
  std::vector<BoundExpressionPtr> set_values;
  for (size_t i = 0; i < set_index.size(); ++i) {
    const TypeId type = schema.fields[set_index[i]].type;
    if (!stmt.set_values[i]) {  // DEFAULT: the column's, else NULL
      set_values.push_back(MakeBoundConstant(
          defaults.empty() ? Value::Null(type) : defaults[static_cast<size_t>(set_index[i])]));
      continue;
    }
    BoundExpressionPtr e = binder.BindRowExpression(*stmt.set_values[i], scope, "UPDATE");
    if (e->type != type) e = MakeBoundCast(std::move(e), type);
    set_values.push_back(std::move(e));
  }
  std::vector<std::string> returning_names;
  std::vector<BoundExpressionPtr> returning;
  if (!stmt.returning.empty()) {
    returning = binder.BindRowList(stmt.returning, {scope[0]}, "RETURNING", &returning_names);
  }

  // UPDATE ... FROM: the source rows by key, when the WHERE clause has a
  // hashable `target.col = source.col`.
  const auto [target_key, source_key] = HashableEquiKey(predicate.get(), ncols);
  std::unordered_map<std::string, std::vector<uint32_t>> by_key;
  if (has_from && target_key >= 0) {
    const ColumnVector& col = source.columns[source_key];
    for (uint32_t j = 0; j < source_rows; ++j) {
      if (!col.IsNull(j)) by_key[KeyOf(col, j)].push_back(j);
    }
  }

  std::vector<TypeId> types;
  ScanOptions all_columns;
  for (size_t i = 0; i < ncols; ++i) {
    types.push_back(schema.fields[i].type);
    all_columns.columns.push_back(static_cast<int>(i));
  }
  std::vector<TypeId> pair_types = types;
  for (const ColumnVector& c : source.columns) pair_types.push_back(c.type);

  QueryResult result;
  result.statement_type = "UPDATE";
  std::vector<TypeId> returning_types;
  for (size_t i = 0; i < returning.size(); ++i) {
    result.schema.fields.push_back({returning_names[i], returning[i]->type});
    returning_types.push_back(returning[i]->type);
  }

  int64_t pairs_matched = 0, rows_updated = 0, rows_copied = 0, files_rewritten = 0;
  std::vector<uint32_t> sel, pair_target, pair_source, matched_target, matched_source;
  std::vector<uint32_t> first_target, first_pair, keep;
  std::vector<uint8_t> updated;
  DataChunk chunk, pairs;

  // The updated rows of the pairs (matched_target[i], matched_source[i]) of
  // target chunk `in`: stored for each target row's first pair, returned
  // for all of them.
  std::vector<DataChunk> new_rows;
  auto emit = [&](const DataChunk& in, uint32_t* last_target) {
    const size_t k = matched_target.size();
    if (k == 0) return;
    DataChunk input;
    input.Initialize(has_from ? pair_types : types);
    for (size_t c = 0; c < ncols; ++c) input.columns[c].AppendSelection(in.columns[c], matched_target);
    for (size_t c = 0; c < source.column_count(); ++c) {
      input.columns[ncols + c].AppendSelection(source.columns[c], matched_source);
    }
    DataChunk out;
    out.columns.resize(ncols);
    for (size_t c = 0; c < ncols; ++c) out.columns[c] = input.columns[c];
    for (size_t i = 0; i < set_index.size(); ++i) {
      ColumnVector v;
      ExpressionExecutor::Execute(*set_values[i], input, k, &v);
      v.type = types[set_index[i]];
      out.columns[set_index[i]] = std::move(v);
    }
    pairs_matched += static_cast<int64_t>(k);
    if (!returning.empty()) {
      DataChunk ret;
      ret.Initialize(returning_types);
      for (size_t i = 0; i < returning.size(); ++i) {
        ColumnVector v;
        ExpressionExecutor::Execute(*returning[i], out, k, &v);
        v.type = returning_types[i];
        ret.columns[i] = std::move(v);
      }
      result.chunks.push_back(std::move(ret));
    }
    first_pair.clear();
    for (uint32_t i = 0; i < k; ++i) {
      if (matched_target[i] != *last_target) {
        first_pair.push_back(i);
        *last_target = matched_target[i];
        updated[matched_target[i]] = 1;
      }
    }
    if (first_pair.size() == k) {
      new_rows.push_back(std::move(out));
    } else if (!first_pair.empty()) {
      DataChunk firsts;
      firsts.Initialize(types);
      for (size_t c = 0; c < ncols; ++c) {
        firsts.columns[c].AppendSelection(out.columns[c], first_pair);
      }
      new_rows.push_back(std::move(firsts));
    }
  };
  // Evaluates the WHERE clause over the pending pairs and emits the matches.
  auto flush_pairs = [&](const DataChunk& in, uint32_t* last_target) {
    const size_t k = pair_target.size();
    if (k == 0) return;
    pairs.Initialize(pair_types);
    for (size_t c = 0; c < ncols; ++c) pairs.columns[c].AppendSelection(in.columns[c], pair_target);
    for (size_t c = 0; c < source.column_count(); ++c) {
      pairs.columns[ncols + c].AppendSelection(source.columns[c], pair_source);
    }
    sel.clear();
    if (predicate) {
      ExpressionExecutor::Select(*predicate, pairs, k, &sel);
    } else {
      for (uint32_t i = 0; i < k; ++i) sel.push_back(i);
    }
    matched_target.clear();
    matched_source.clear();
    for (uint32_t i : sel) {
      matched_target.push_back(pair_target[i]);
      matched_source.push_back(pair_source[i]);
    }
    pair_target.clear();
    pair_source.clear();
    emit(in, last_target);
  };

  for (const AddAction& file : snapshot->files()) {
    ctx_.CheckCancelled();
    if (predicate && FileCoverage(*predicate, snapshot->physical_schema(), file) ==
                         Coverage::kNone) {
      continue;
    }
    if (has_from && source_rows == 0) break;
    ScanOptions options = all_columns;
    options.only_files = {file.path};
    std::unique_ptr<ChunkSource> scan =
        OrThrowAt(table->NewScan(snapshot, std::move(options)), stmt.table_position);
    std::vector<DataChunk> kept;
    new_rows.clear();
    int64_t file_updated = 0;
    while (true) {
      ctx_.CheckCancelled();
      chunk.Initialize(types);
      Result<bool> more = scan->Next(&chunk);
      if (!more.ok()) throw QueryError(more.status());
      if (!*more) break;
      const size_t n = chunk.size();
      if (n == 0) continue;
      for (ColumnVector& c : chunk.columns) c.MaterializeStrings();
      updated.assign(n, 0);
      uint32_t last_target = UINT32_MAX;
      matched_target.clear();
      matched_source.clear();
      if (!has_from) {
        if (predicate) {
          ExpressionExecutor::Select(*predicate, chunk, n, &matched_target);
        } else {
          for (uint32_t i = 0; i < n; ++i) matched_target.push_back(i);
        }
        emit(chunk, &last_target);
      } else {
        // Pair each row with its candidate source rows, in source order.
        for (uint32_t i = 0; i < n; ++i) {
          const std::vector<uint32_t>* candidates = nullptr;
          if (target_key >= 0) {
            const ColumnVector& col = chunk.columns[target_key];
            if (col.IsNull(i)) continue;
            auto it = by_key.find(KeyOf(col, i));
            if (it == by_key.end()) continue;
            candidates = &it->second;
          }
          const size_t m = candidates ? candidates->size() : source_rows;
          for (size_t j = 0; j < m; ++j) {
            pair_target.push_back(i);
            pair_source.push_back(candidates ? (*candidates)[j] : static_cast<uint32_t>(j));
            if (pair_target.size() == kVectorSize) {
              ctx_.CheckCancelled();
              flush_pairs(chunk, &last_target);
            }
          }
        }
        flush_pairs(chunk, &last_target);
      }
      keep.clear();
      for (uint32_t i = 0; i < n; ++i) {
        if (!updated[i]) keep.push_back(i);
      }
      file_updated += static_cast<int64_t>(n - keep.size());
      if (keep.empty()) continue;
      if (keep.size() == n) {
        kept.push_back(std::move(chunk));
        chunk = DataChunk();
        continue;
      }
      DataChunk k;
      k.Initialize(types);
      for (size_t c = 0; c < ncols; ++c) k.columns[c].AppendSelection(chunk.columns[c], keep);
      kept.push_back(std::move(k));
    }
    if (file_updated == 0) continue;  // no row of this file changes: keep it
    ThrowIfNotOk(txn->RemoveFile(file));
    if (checker) {
      checker->ExcludeFile(file.path);
      for (const DataChunk& c : kept) checker->AddKept(c);
      for (const DataChunk& c : new_rows) checker->Check(c);
    }
    for (DataChunk& c : kept) {
      rows_copied += static_cast<int64_t>(c.size());
      ThrowIfNotOk(txn->AddRows(std::move(c)));
    }
    for (DataChunk& c : new_rows) ThrowIfNotOk(txn->AddRows(std::move(c)));
    new_rows.clear();
    rows_updated += file_updated;
    ++files_rewritten;
  }

  if (rows_updated == 0) {
    txn->Abort();  // nothing matched: no version
  } else {
    if (checker) checker->FinishDeferred();
    std::map<std::string, std::string> parameters;
    parameters["predicate"] = stmt.where ? stmt.where->ToString() : "true";
    std::map<std::string, std::string> metrics = {
        {"numUpdatedRows", std::to_string(rows_updated)},
        {"numCopiedRows", std::to_string(rows_copied)},
        {"numRewrittenFiles", std::to_string(files_rewritten)}};
    if (session_) {
      session_->Absorb(table, OrThrowAt(txn->Stage(), stmt.position), "UPDATE");
    } else {
      OrThrowAt(txn->Commit("UPDATE", std::move(parameters), std::move(metrics)), stmt.position);
    }
  }
  if (!returning.empty()) return result;
  result.schema.fields = {{"Count", TypeId::kBigint}};
  DataChunk count;
  count.Initialize({TypeId::kBigint});
  count.columns[0].AppendInt(pairs_matched);
  result.chunks.push_back(std::move(count));
  return result;
}

}  // namespace tsl::query
