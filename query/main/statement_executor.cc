// Statement execution. See statement_executor.h.
#include "query/main/statement_executor.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "formats/timestamp.h"
#include "query/binder/binder.h"
#include "query/binder/view_catalog.h"
#include "query/common/query_error.h"
#include "query/common/query_warnings.h"
#include "query/functions/cast_function.h"
#include "query/functions/range_function.h"
#include "query/main/copy_control.h"
#include "query/main/session_transaction.h"
#include "query/main/table_constraints.h"
#include "storage/append_group.h"
#include "storage/duplicate_policy.h"
#include "storage/ingest_watermarks.h"
#include "storage/transaction.h"
#include "query/execution/expression_executor.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_profiler.h"
#include "query/execution/query_progress.h"
#include "query/parser/parser.h"
#include "query/planner/planner.h"
#include "query/main/returning_rows.h"

namespace tsl::query {
namespace {

// Aborts the writer unless the statement reached its commit.
class WriterGuard {
 public:
  explicit WriterGuard(TableWriter* writer) : writer_(writer) {}
  ~WriterGuard() {
    if (writer_) writer_->Abort();
  }
  void Release() { writer_ = nullptr; }

 private:
  TableWriter* writer_;
};

QueryResult CountResult(const std::string& type, int64_t count) {
  QueryResult r;
  r.statement_type = type;
  r.schema.fields.push_back({"Count", TypeId::kBigint});
  DataChunk chunk;
  chunk.Initialize({TypeId::kBigint});
  chunk.columns[0].AppendInt(count);
  r.chunks.push_back(std::move(chunk));
  return r;
}

// Builds a result from rows of Values (metadata statements).
QueryResult RowsResult(const std::string& type, Schema schema,
                       const std::vector<std::vector<Value>>& rows) {
  QueryResult r;
  r.statement_type = type;
  std::vector<TypeId> types;
  for (const Field& f : schema.fields) types.push_back(f.type);
  r.schema = std::move(schema);
  for (size_t begin = 0; begin < rows.size(); begin += kVectorSize) {
    DataChunk chunk;
    chunk.Initialize(types);
    for (size_t i = begin; i < std::min(rows.size(), begin + kVectorSize); ++i) {
      for (size_t c = 0; c < types.size(); ++c) chunk.columns[c].AppendValue(rows[i][c]);
    }
    r.chunks.push_back(std::move(chunk));
  }
  return r;
}

std::string MapToJson(const std::map<std::string, std::string>& m) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j.dump();
}

void CommitOrThrow(TableWriter* writer, WriterGuard* guard, const std::string& operation,
                   std::map<std::string, std::string> parameters) {
  Result<CommitResult> committed = writer->Commit(operation, std::move(parameters));
  guard->Release();  // Commit cleans up after itself on failure
  if (!committed.ok()) throw QueryError(committed.status());
}

// Casts `chunk` column by column to `types` (in place).
void CastChunk(DataChunk* chunk, const std::vector<TypeId>& types) {
  const size_t n = chunk->size();
  for (size_t c = 0; c < types.size(); ++c) {
    if (chunk->columns[c].type == types[c]) continue;
    ColumnVector out;
    CastVector(VectorView{&chunk->columns[c], false}, n, types[c], &out);
    chunk->columns[c] = std::move(out);
  }
}

// TIMESTAMP and the rest store as is; a bare NULL column becomes INTEGER.
TypeId StorableType(TypeId t, const std::string& column, int position) {
  if (t == TypeId::kNull) return TypeId::kInteger;
  return t;
}

}  // namespace

QueryResult StatementExecutor::Execute(const Statement& stmt) {
  if (session_ != nullptr) {
    if (const char* what = NonTransactional(stmt)) {
      // psycopg2 and pgJDBC with autocommit off send BEGIN before a first
      // CREATE TABLE or COPY. Before the transaction has read or written any
      // table, such a statement runs as if just before BEGIN (the
      // transaction takes each table's snapshot at first touch, so none of
      // them can tell), with a warning that ROLLBACK will not undo it.
      // After the first touch it is refused.
      if (session_->touched()) {
        throw QueryError(ErrorKind::kTransaction,
                         std::string(what) +
                             " cannot run inside a transaction that has read or written a "
                             "table: it commits on its own, so ROLLBACK could not undo it (run "
                             "it before BEGIN or after COMMIT)",
                         stmt.position);
      }
      if (ctx_.warnings != nullptr)
        ctx_.warnings->Add(std::string(what) +
                           " is not transactional: it ran and committed before the "
                           "transaction's first read or write, and ROLLBACK will not undo it");
      struct Restore {
        SessionTransaction*& slot;
        SessionTransaction* saved;
        ~Restore() { slot = saved; }
      } restore{session_, session_};
      session_ = nullptr;
      return Execute(stmt);
    }
  }
  RefuseWriteIntoMaterializedView(stmt);  // materialized_view.cc
  switch (stmt.type) {
    case StatementType::kSelect:
      return ExecuteSelect(*stmt.select);
    case StatementType::kExplain:
      return ExecuteExplain(*stmt.select, stmt.explain_analyze);
    case StatementType::kCreateTable:
      return ExecuteCreate(stmt);
    case StatementType::kDropTable:
      CheckMaterializedViewDependents(stmt);  // materialized_view.cc
      return ExecuteDrop(stmt);
    case StatementType::kSet: {  // SET / RESET / PRAGMA (execution/memory_tracker)
      if (stmt.setting == "enable_external_access" && stmt.setting_scope != 'l') {
        ApplyExternalAccess(stmt);
      } else if (stmt.setting == "auto_maintenance" && stmt.setting_scope != 'l') {
        ApplyAutoMaintenance(stmt);
      } else if (stmt.setting == "enable_progress_bar" || stmt.setting == "progress_bar_time") {
        ApplyProgressBar(stmt);
      } else {
        ApplySetting(stmt.setting, stmt.setting_value, stmt.setting_scope);
      }
      QueryResult result;
      result.statement_type = "SET";
      return result;
    }
    case StatementType::kInsert:
      return ExecuteInsert(stmt);
    case StatementType::kCopy:
      return ExecuteCopy(stmt);
    case StatementType::kDescribe:
      return ExecuteDescribe(stmt);
    case StatementType::kShowTables:
      return ExecuteShowTables(stmt);
    case StatementType::kDescribeHistory:
      return ExecuteHistory(stmt);
    case StatementType::kDelete:
      return ExecuteDelete(stmt);
    case StatementType::kUpdate:
      return ExecuteUpdate(stmt);
    case StatementType::kMerge:
      return ExecuteMerge(stmt);  // merge_executor.cc
    case StatementType::kOptimize:
      return ExecuteOptimize(stmt);
    case StatementType::kVacuum:
      return ExecuteVacuum(stmt);
    case StatementType::kRestore:
      return ExecuteRestore(stmt);
    case StatementType::kAlterTable:
      return ExecuteAlter(stmt);
    case StatementType::kCreateView:
      if (stmt.materialized) return ExecuteCreateMaterializedView(stmt);
      return ExecuteCreateView(stmt);
    case StatementType::kDropView:
      if (stmt.materialized) return ExecuteDropMaterializedView(stmt);
      return ExecuteDropView(stmt);
    case StatementType::kRefreshMaterializedView:
      return ExecuteRefreshMaterializedView(stmt);
    case StatementType::kBegin:
    case StatementType::kCommit:
    case StatementType::kRollback:
      break;  // QueryEngine runs these: they change the connection's state
    case StatementType::kPrepare:
    case StatementType::kExecute:
    case StatementType::kDeallocate:
      // The engine keeps prepared statements per connection (query_engine.cc).
      throw QueryError(ErrorKind::kInvalidInput,
                       "PREPARE, EXECUTE and DEALLOCATE cannot themselves be prepared",
                       stmt.position);
  }
  throw QueryError(ErrorKind::kInternal, "unknown statement type");
}

// The truth value of `SET <database setting> = ...` (`reset` for RESET);
// refuses SET SESSION with DuckDB's wording and a value that is not a
// boolean.
static bool DatabaseBooleanSetting(const Statement& stmt, bool reset) {
  if (stmt.setting_scope == 's') {
    throw QueryError(ErrorKind::kInvalidInput,
                     "Setting \"" + stmt.setting + "\" cannot be set as a session variable - it "
                     "can only be set globally",
                     stmt.position);
  }
  if (!stmt.setting_value) return reset;
  Result<Value> b = Value::Varchar(*stmt.setting_value).CastTo(TypeId::kBoolean);
  if (!b.ok() || b->is_null()) {
    throw QueryError(ErrorKind::kInvalidInput,
                     stmt.setting + " takes true or false, not " + *stmt.setting_value,
                     stmt.position);
  }
  return b->bool_value();
}

// enable_external_access belongs to the database (its FileAccessPolicy),
// not to the process as memory_limit does: a gateway may lock down the
// database it hands to untrusted SQL and keep another one open.
void StatementExecutor::ApplyExternalAccess(const Statement& stmt) {
  const bool enabled = DatabaseBooleanSetting(stmt, /*reset=*/true);  // DuckDB's default
  Status st = db_->file_access()->SetExternalAccess(enabled);
  if (!st.ok()) throw QueryError(ErrorKind::kInvalidInput, st.message(), stmt.position);
}

// auto_maintenance belongs to the database: its background maintenance
// thread (shell/api/maintenance_worker.h) starts or pauses. RESET turns it
// off again (the default; Options::auto_maintenance opens a database with
// it on).
void StatementExecutor::ApplyAutoMaintenance(const Statement& stmt) {
  const bool enabled = DatabaseBooleanSetting(stmt, /*reset=*/false);
  DatabaseConfig& config = CurrentConfig();
  if (!config.on_auto_maintenance) {
    if (!enabled) return;
    throw QueryError(ErrorKind::kInvalidInput,
                     db_->read_only()
                         ? "auto_maintenance cannot be turned on: the database is open read-only"
                         : "auto_maintenance needs a database opened through the tslake API "
                           "(tslake::Database or tslake_open_ext)",
                     stmt.position);
  }
  std::string refused = config.on_auto_maintenance(enabled);
  if (!refused.empty()) throw QueryError(ErrorKind::kInvalidInput, refused, stmt.position);
}

// enable_progress_bar belongs to the connection, as DuckDB's client
// setting: off, its query progress reads -1 and the shell draws no bar.
void StatementExecutor::ApplyProgressBar(const Statement& stmt) {
  if (stmt.setting == "progress_bar_time") {
    int64_t ms = QueryProgress::kDefaultBarDelayMs;  // RESET
    if (stmt.setting_value) {
      Result<Value> v = Value::Varchar(*stmt.setting_value).CastTo(TypeId::kBigint);
      if (!v.ok() || v->is_null() || v->int_value() < 0)
        throw QueryError(ErrorKind::kInvalidInput,
                         "progress_bar_time takes a number of milliseconds (0 or more), not " +
                             *stmt.setting_value,
                         stmt.position);
      ms = v->int_value();
    }
    if (ctx_.progress != nullptr) ctx_.progress->set_bar_delay_ms(ms);
    return;
  }
  bool enabled = true;  // RESET: on (the shell's default)
  if (stmt.setting_value) {
    Result<Value> b = Value::Varchar(*stmt.setting_value).CastTo(TypeId::kBoolean);
    if (!b.ok() || b->is_null()) {
      throw QueryError(ErrorKind::kInvalidInput,
                       "enable_progress_bar takes true or false, not " + *stmt.setting_value,
                       stmt.position);
    }
    enabled = b->bool_value();
  }
  if (ctx_.progress != nullptr) ctx_.progress->set_enabled(enabled);
}

const char* StatementExecutor::NonTransactional(const Statement& stmt) {
  const char* what = nullptr;
  switch (stmt.type) {
    case StatementType::kSelect:
    case StatementType::kExplain:
    case StatementType::kInsert:
    case StatementType::kUpdate:
    case StatementType::kMerge:
    case StatementType::kDelete:
    case StatementType::kDescribe:
    case StatementType::kShowTables:
    case StatementType::kDescribeHistory:
    case StatementType::kSet:
    case StatementType::kBegin:
    case StatementType::kCommit:
    case StatementType::kRollback:
    case StatementType::kPrepare:
    case StatementType::kExecute:
    case StatementType::kDeallocate:
      return nullptr;
    case StatementType::kCreateTable: what = "CREATE TABLE"; break;
    case StatementType::kDropTable: what = "DROP TABLE"; break;
    case StatementType::kCopy: what = "COPY"; break;
    case StatementType::kOptimize: what = "OPTIMIZE"; break;
    case StatementType::kVacuum: what = "VACUUM"; break;
    case StatementType::kRestore: what = "RESTORE"; break;
    case StatementType::kAlterTable: what = "ALTER TABLE"; break;
    case StatementType::kCreateView: what = "CREATE VIEW"; break;
    case StatementType::kDropView: what = "DROP VIEW"; break;
    case StatementType::kRefreshMaterializedView: what = "REFRESH MATERIALIZED VIEW"; break;
  }
  return what != nullptr ? what : "this statement";
}

Binder StatementExecutor::NewBinder() const {
  Binder binder(db_, functions_);
  binder.SetExecutionContext(ctx_);
  binder.SetParameters(params_);
  if (temp_ != nullptr && *temp_ != nullptr) binder.SetTempDatabase(temp_->get());
  if (session_) {
    SessionTransaction* session = session_;
    binder.SetSnapshotProvider([session](const std::shared_ptr<Table>& table) {
      return ValueOrThrow(session->View(table));
    });
  }
  return binder;
}

QueryResult StatementExecutor::ExecuteCreateView(const Statement& stmt) {
  QueryResult result;
  result.statement_type = "CREATE VIEW";
  if (db_->GetTable(stmt.table).ok()) {
    throw QueryError(ErrorKind::kCatalog,
                     "Table with name \"" + stmt.table +
                         "\" already exists; a view cannot have the name of a table",
                     stmt.table_position);
  }
  if (stmt.parameter_count > 0) {
    throw QueryError(ErrorKind::kBinder, "a view cannot have prepared statement parameters",
                     stmt.position);
  }
  // Bind once now so a broken view fails at CREATE, as in DuckDB, and one
  // that would read itself (a -> b -> a) is refused before it is stored.
  Binder binder = NewBinder();
  binder.SetViewBeingCreated(stmt.table);
  binder.BindSelect(*stmt.select);
  ViewCatalog(db_).Create(stmt.table, stmt.view_sql, stmt.or_replace, stmt.if_not_exists,
                          stmt.table_position);
  return result;
}

QueryResult StatementExecutor::ExecuteDropView(const Statement& stmt) {
  QueryResult result;
  result.statement_type = "DROP VIEW";
  ViewCatalog(db_).Drop(stmt.table, stmt.if_exists, stmt.table_position);
  return result;
}

StatementExecutor::OpenedSelect StatementExecutor::OpenSelect(const SelectNode& node) {
  OpenedSelect opened;
  opened.binder = std::make_unique<Binder>(NewBinder());
  opened.select = opened.binder->BindSelect(node);
  opened.schema = opened.select->output;
  opened.root = Planner(ctx_).Plan(*opened.select);
  return opened;
}

QueryResult StatementExecutor::ExecuteSelect(const SelectNode& node) {
  Binder binder = NewBinder();
  std::unique_ptr<BoundSelect> select = binder.BindSelect(node);
  QueryResult result;
  result.statement_type = "SELECT";
  result.schema = select->output;
  std::unique_ptr<PhysicalOperator> root = Planner(ctx_).Plan(*select);
  // The result reserves as it grows, so a limit holds before the rows are
  // all built; the reservation lives as long as the engine's result.
  result.memory = std::make_shared<MemoryReservation>("RESULT");
  DataChunk chunk;
  while (root->Next(&chunk)) {
    ctx_.CheckCancelled();
    result.memory->Grow(ApproxChunkBytes(chunk) + static_cast<int64_t>(sizeof(DataChunk)));
    result.chunks.push_back(std::move(chunk));
    chunk = DataChunk();
  }
  return result;
}

QueryResult StatementExecutor::ExecuteExplain(const SelectNode& node, bool analyze) {
  Binder binder = NewBinder();
  std::unique_ptr<BoundSelect> select = binder.BindSelect(node);
  std::unique_ptr<PhysicalOperator> root = Planner(ctx_).Plan(*select);
  std::string text;
  if (analyze) {
    // Run the query (results dropped), then render the counters.
    auto start = std::chrono::steady_clock::now();
    root = InstrumentTree(std::move(root));
    DataChunk chunk;
    while (root->Next(&chunk)) ctx_.CheckCancelled();
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count();
    char total[64];
    std::snprintf(total, sizeof(total), "Total Time: %.3f ms\n", ms);
    text = total + ExplainAnalyzeTree(*root);
  } else {
    text = ExplainTree(*root);
  }
  std::vector<std::vector<Value>> rows;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    rows.push_back({Value::Varchar(text.substr(start, end - start))});
    start = end + 1;
  }
  Schema schema;
  schema.fields.push_back({"physical_plan", TypeId::kVarchar});
  return RowsResult("EXPLAIN", std::move(schema), rows);
}

QueryResult StatementExecutor::ExecuteCreate(const Statement& stmt) {
  QueryResult result;
  result.statement_type = "CREATE TABLE";
  // CREATE TEMP TABLE: into the connection's in-memory database, never on
  // disk, gone when the connection closes.
  Database* target = db_;
  if (stmt.temporary) {
    if (temp_ == nullptr) {
      throw QueryError(ErrorKind::kNotImplemented,
                       "CREATE TEMPORARY TABLE needs a connection to belong to", stmt.position);
    }
    if (*temp_ == nullptr) {
      DatabaseOptions options;
      options.segment_options = db_->options().segment_options;
      *temp_ = ValueOrThrow(Database::Open(":memory:", options));
    }
    target = temp_->get();
  }
  Binder binder = NewBinder();
  std::unique_ptr<BoundSelect> select;
  Schema schema;
  if (stmt.select) {
    select = binder.BindSelect(*stmt.select);
    for (const Field& f : select->output.fields) {
      schema.fields.push_back({f.name, StorableType(f.type, f.name, stmt.select->position)});
    }
  } else {
    for (const ColumnDefinition& c : stmt.columns) {
      if (schema.FindField(c.name) >= 0) {
        throw QueryError(ErrorKind::kCatalog, "Column with name " + c.name + " already exists!",
                         c.position);
      }
      schema.fields.push_back({c.name, StorableType(c.type, c.name, c.position)});
    }
  }
  std::set<std::string> names;
  for (const Field& f : schema.fields) {
    if (!names.insert(ToLower(f.name)).second) {
      throw QueryError(ErrorKind::kCatalog, "Column with name " + f.name + " already exists!",
                       stmt.position);
    }
  }
  if (stmt.if_not_exists && target->GetTable(stmt.table).ok()) return result;
  // Constraints are table properties only CREATE TABLE's clauses set
  // (main/table_constraints.h).
  std::map<std::string, std::string> properties = stmt.properties;
  for (const auto& [key, value] : properties) {
    if (IsConstraintProperty(key)) {
      throw QueryError(ErrorKind::kInvalidInput,
                       "table property \"" + key +
                           "\" is set by CREATE TABLE's constraint clauses (PRIMARY KEY, UNIQUE, "
                           "NOT NULL, CHECK, DEFAULT), not by WITH",
                       stmt.table_position);
    }
  }
  AddConstraintProperties(stmt.table, stmt.constraints, schema, &binder, &properties);
  if (stmt.or_replace) {  // an existing table gets a new version (replace_table.cc)
    if (!stmt.temporary && ViewCatalog(db_).Get(stmt.table).has_value()) {
      throw QueryError(ErrorKind::kCatalog,
                       "Existing object " + stmt.table +
                           " is of type View, trying to replace with type Table",
                       stmt.table_position);
    }
    Result<std::shared_ptr<Table>> existing = target->GetTable(stmt.table);
    if (existing.ok()) {
      return ExecuteReplaceTable(stmt, *existing, schema, std::move(properties), select.get());
    }
  }
  Result<std::shared_ptr<Table>> created =
      target->CreateTable(stmt.table, schema, properties, stmt.if_not_exists,
                       /*pending=*/select != nullptr);  // CTAS: one commit
  if (!created.ok()) {
    if (created.status().IsAlreadyExists()) {
      throw QueryError(ErrorKind::kCatalog,
                       "Table with name \"" + stmt.table + "\" already exists!",
                       stmt.table_position)
          .WithCode(StatusCode::kAlreadyExists);
    }
    if (created.status().code() == StatusCode::kInvalidArgument) {
      throw QueryError(ErrorKind::kCatalog, created.status().message(), stmt.table_position);
    }
    throw QueryError(created.status());
  }
  if (!select) return result;

  // CREATE TABLE AS: fill the new table; on failure drop it again so the
  // statement leaves nothing behind.
  std::shared_ptr<Table> table = *created;
  try {
    std::unique_ptr<PhysicalOperator> root = Planner(ctx_).Plan(*select);
    std::unique_ptr<TableWriter> writer = table->NewWriter(db_->options().segment_options);
    WriterGuard guard(writer.get());
    std::vector<TypeId> types;
    for (const Field& f : schema.fields) types.push_back(f.type);
    DataChunk chunk;
    while (root->Next(&chunk)) {
      ctx_.CheckCancelled();
      CastChunk(&chunk, types);
      ThrowIfError(writer->Append(chunk));
    }
    CommitOrThrow(writer.get(), &guard, "CREATE TABLE AS SELECT", {});
  } catch (...) {
    (void)target->DropTable(stmt.table, /*if_exists=*/true);
    throw;
  }
  return result;
}

QueryResult StatementExecutor::ExecuteDrop(const Statement& stmt) {
  QueryResult result;
  result.statement_type = "DROP TABLE";
  // A temporary table of the name goes first, as DuckDB resolves it first.
  if (temp_ != nullptr && *temp_ != nullptr && (*temp_)->GetTable(stmt.table).ok()) {
    ThrowIfError((*temp_)->DropTable(stmt.table, false));
    return result;
  }
  Status st = db_->DropTable(stmt.table, stmt.if_exists);
  if (st.IsNotFound()) {
    NewBinder().GetTable(stmt.table, stmt.table_position);  // throws with a hint
  }
  ThrowIfError(st);
  return result;
}

QueryResult StatementExecutor::ExecuteInsert(const Statement& stmt) {
  Binder binder = NewBinder();
  std::shared_ptr<Table> table = binder.GetTable(stmt.table, stmt.table_position);
  std::shared_ptr<const Snapshot> snapshot =
      session_ ? ValueOrThrow(session_->View(table)) : ValueOrThrow(table->GetSnapshot());
  const Schema& schema = snapshot->schema();
  std::vector<TypeId> types;
  for (const Field& f : schema.fields) types.push_back(f.type);
  // Declared constraints: DEFAULTs fill the columns not supplied, and every
  // chunk is checked before the writer takes it.
  const TableConstraintSet constraints =
      TableConstraintSet::FromProperties(snapshot->metadata().configuration, schema);
  std::vector<Value> defaults;
  if (!constraints.defaults.empty()) defaults = EvaluateDefaults(constraints, schema, &binder);
  // ON CONFLICT / OR REPLACE / OR IGNORE: the rows are buffered and
  // resolved at the end (main/upsert.h), which checks them itself.
  const bool upsert = stmt.on_conflict != OnConflictAction::kNone;
  // INSERT ... RETURNING: the list over the inserted rows (as UPDATE's);
  // with ON CONFLICT / OR REPLACE, ExecuteUpsert's (upsert.cc).
  std::vector<std::string> returning_names;
  std::vector<BoundExpressionPtr> returning;
  QueryResult returned;
  if (!stmt.returning.empty() && !upsert) {
    returning = binder.BindRowList(stmt.returning, {{table->name(), schema.fields}}, "RETURNING",
                                   &returning_names);
    returned.statement_type = "INSERT";
    for (size_t i = 0; i < returning.size(); ++i)
      returned.schema.fields.push_back({returning_names[i], returning[i]->type});
  }
  std::vector<DataChunk> pending;
  std::unique_ptr<ConstraintChecker> checker;
  if (constraints.HasChecks() && !upsert) {
    checker = std::make_unique<ConstraintChecker>(table, snapshot, constraints, &binder);
  }

  // target[i] = schema index of the i-th supplied column.
  // The supplied columns: the column list, or with BY NAME the SELECT's
  // output names (bound first); DEFAULT VALUES supplies none.
  std::vector<std::string> names = stmt.insert_columns;
  std::vector<int> positions = stmt.insert_column_positions;
  std::unique_ptr<BoundSelect> select;
  if (stmt.select) select = binder.BindSelect(*stmt.select);
  if (stmt.insert_by_name && select) {
    names.clear();
    positions.clear();
    for (const Field& f : select->output.fields) {
      names.push_back(f.name);
      positions.push_back(stmt.select->position);
    }
  }
  std::vector<int> target;
  if (stmt.insert_default_values) {
    // no supplied columns: one row of NULLs
  } else if (names.empty()) {
    for (size_t i = 0; i < schema.size(); ++i) target.push_back(static_cast<int>(i));
  } else {
    for (size_t i = 0; i < names.size(); ++i) {
      int idx = schema.FindField(names[i]);
      if (idx < 0) {
        throw QueryError(ErrorKind::kBinder,
                         "Table \"" + table->name() + "\" does not have a column with name \"" +
                             names[i] + "\"",
                         positions[i]);
      }
      if (std::find(target.begin(), target.end(), idx) != target.end()) {
        throw QueryError(ErrorKind::kBinder, "Duplicate column name \"" + names[i] + "\" in INSERT",
                         positions[i]);
      }
      target.push_back(idx);
    }
  }
  auto count_error = [&](size_t supplied, int position) {
    return QueryError(ErrorKind::kBinder,
                      "table " + table->name() + " has " + std::to_string(target.size()) +
                          " columns but " + std::to_string(supplied) + " values were supplied",
                      position);
  };

  std::unique_ptr<TableWriter> writer = table->NewWriter(db_->options().segment_options);
  WriterGuard guard(writer.get());
  int64_t rows = 0;
  // An autocommit INSERT of a few rows commits through the table's group
  // commit (storage/append_group.h): concurrent connections' INSERTs then
  // share one version. Past kGroupRows rows (or with constraints to check
  // against the snapshot, or inside BEGIN) the writer takes them as usual.
  constexpr int64_t kGroupRows = 64 * 1024;
  bool group = session_ == nullptr && !upsert && checker == nullptr;
  std::vector<DataChunk> grouped;
  // Spreads the supplied columns over the full schema (NULL for the rest).
  auto append = [&](std::vector<ColumnVector>& supplied, size_t n) {
    DataChunk chunk;
    chunk.Initialize(types);
    for (size_t c = 0; c < types.size(); ++c) chunk.columns[c].Resize(n);
    for (size_t i = 0; i < target.size(); ++i) {
      if (supplied[i].type == types[target[i]] && !supplied[i].dictionary_form) {
        // Already the column's type: moved, not copied (a 64 MiB value was
        // copied here and again by the writer).
        chunk.columns[target[i]] = std::move(supplied[i]);
        continue;
      }
      ColumnVector cast;
      CastVector(VectorView{&supplied[i], false}, n, types[target[i]], &cast);
      chunk.columns[target[i]] = std::move(cast);
    }
    for (size_t c = 0; c < defaults.size(); ++c) {
      if (defaults[c].is_null() ||
          std::find(target.begin(), target.end(), static_cast<int>(c)) != target.end()) {
        continue;
      }
      ColumnVector filled(types[c]);
      for (size_t r = 0; r < n; ++r) filled.AppendValue(defaults[c]);
      chunk.columns[c] = std::move(filled);
    }
    if (upsert) {
      pending.push_back(std::move(chunk));
      return;
    }
    if (checker) checker->Check(chunk);
    if (!returning.empty()) {
      returned.chunks.push_back(EvaluateReturning(returning, chunk, n));
    }
    rows += static_cast<int64_t>(n);
    if (group) {
      grouped.push_back(std::move(chunk));
      if (rows <= kGroupRows) return;
      group = false;  // too big to wait for others: the writer streams it
      for (DataChunk& c : grouped) ThrowIfError(writer->Append(std::move(c)));
      grouped.clear();
      return;
    }
    ThrowIfError(writer->Append(std::move(chunk)));
  };

  if (stmt.insert_default_values) {
    std::vector<ColumnVector> supplied;
    append(supplied, 1);
  } else if (select) {
    if (select->output.size() != target.size()) {
      throw count_error(select->output.size(), stmt.select->position);
    }
    std::unique_ptr<PhysicalOperator> root = Planner(ctx_).Plan(*select);
    DataChunk chunk;
    while (root->Next(&chunk)) {
      ctx_.CheckCancelled();
      append(chunk.columns, chunk.size());
    }
  } else {
    for (size_t begin = 0; begin < stmt.values.size(); begin += kVectorSize) {
      const size_t end = std::min(stmt.values.size(), begin + kVectorSize);
      std::vector<ColumnVector> supplied;
      for (int t : target) supplied.emplace_back(types[t]);
      for (size_t r = begin; r < end; ++r) {
        const auto& row = stmt.values[r];
        if (row.size() != target.size()) {
          throw count_error(row.size(), row.empty() || !row[0] ? stmt.position : row[0]->position);
        }
        for (size_t i = 0; i < row.size(); ++i) {
          if (!row[i]) {  // DEFAULT: the column's, else NULL
            const size_t c = static_cast<size_t>(target[i]);
            supplied[i].AppendValue(defaults.empty() ? Value::Null(types[c]) : defaults[c]);
            continue;
          }
          try {
            Value v = CastValue(binder.EvaluateConstant(*row[i]), types[target[i]]);
            supplied[i].AppendValue(v);
          } catch (QueryError& e) {
            e.SetPositionIfUnknown(row[i]->position);
            throw;
          }
        }
      }
      append(supplied, end - begin);
    }
  }
  if (upsert) return ExecuteUpsert(stmt, table, binder, std::move(pending));
  if (session_) {  // BEGIN ... COMMIT: staged, committed by COMMIT
    Transaction* txn = ValueOrThrow(writer->transaction());
    session_->Absorb(table, ValueOrThrow(txn->Stage()), "WRITE");
    return returning.empty() ? CountResult("INSERT", rows) : std::move(returned);
  }
  if (group && rows > 0) {
    Result<CommitResult> committed =
        CommitAppend(table, db_->options().segment_options, std::move(grouped));
    if (!committed.ok()) throw QueryError(committed.status());
  } else {
    CommitOrThrow(writer.get(), &guard, "WRITE", {{"mode", "Append"}});
  }
  return returning.empty() ? CountResult("INSERT", rows) : std::move(returned);
}

QueryResult StatementExecutor::ExecuteCopy(const Statement& stmt) {
  if (stmt.copy_to) return ExecuteCopyTo(stmt);
  Binder binder = NewBinder();
  // COPY into a table that does not exist creates it from the file, as the
  // shell's .import does: the columns and types the reader sniffs (as
  // SELECT * FROM read_<format>(...)), created and filled in one version
  // (a pending table, as CREATE TABLE AS). A view's name is not "missing".
  const bool create = db_->GetTable(stmt.table).status().IsNotFound() &&
                      !(temp_ != nullptr && *temp_ != nullptr &&
                        (*temp_)->GetTable(stmt.table).ok()) &&
                      !ViewCatalog(db_).Get(stmt.table).has_value();
  std::shared_ptr<Table> table;
  std::shared_ptr<const Snapshot> snapshot;
  if (!create) {
    table = binder.GetTable(stmt.table, stmt.table_position);
    snapshot = ValueOrThrow(table->GetSnapshot());
  }

  std::string format = "csv";
  TableFunctionArgs args;
  args.positional.push_back(Value::Varchar(stmt.copy_path));
  if (snapshot) args.target_schema = snapshot->schema();
  args.dictionary_strings = true;  // the writer takes VARCHAR as dictionary + codes
  std::map<std::string, std::string> parameters = {{"path", stmt.copy_path}};
  CopyControl control;  // ON_ERROR, BATCH_ID (query/main/copy_control.h)
  for (const auto& [name, expr] : stmt.copy_options) {
    Value v = binder.EvaluateConstant(*expr);
    if (control.TakeOption(name, v)) {
      parameters[name] = v.ToString();
      continue;
    }
    if (name == "format") {
      format = ToLower(v.is_null() ? "" : v.ToString());
      continue;
    }
    args.named[name] = v;
    parameters[name] = v.ToString();
  }
  parameters["format"] = format;
  args.reject_bad_rows = control.on_error_given;
  const std::string function = "read_" + format;
  const TableFunctionFactory* factory = functions_ ? functions_->Find(function) : nullptr;
  if (!factory) factory = FindBuiltinTableFunction(function);  // read_parquet
  if (!factory) {
    throw QueryError(ErrorKind::kCatalog, "Copy Function with name " + format + " does not exist!",
                     stmt.position);
  }
  Result<std::unique_ptr<ChunkSource>> opened = (*factory)(args);
  if (!opened.ok()) {
    if (opened.status().code() == StatusCode::kInvalidArgument) {
      throw QueryError(ErrorKind::kInvalidInput, opened.status().message());
    }
    throw QueryError(opened.status());
  }
  std::unique_ptr<ChunkSource> source = std::move(opened).value();
  // Drops the table this COPY created unless it commits (disarmed below).
  struct DropCreatedTable {
    Database* db;
    std::string name;
    bool armed = false;
    ~DropCreatedTable() {
      if (armed) (void)db->DropTable(name, /*if_exists=*/true);
    }
  } drop_created{db_, stmt.table};
  if (create) {
    Schema sniffed;
    for (const Field& f : source->schema().fields)
      sniffed.fields.push_back({f.name, StorableType(f.type, f.name, stmt.position)});
    Result<std::shared_ptr<Table>> made =
        db_->CreateTable(stmt.table, sniffed, {}, /*if_not_exists=*/false, /*pending=*/true);
    if (!made.ok()) {
      if (made.status().code() == StatusCode::kInvalidArgument)
        throw QueryError(ErrorKind::kCatalog, made.status().message(), stmt.table_position);
      throw QueryError(made.status());
    }
    drop_created.armed = true;
    table = *made;
    snapshot = ValueOrThrow(table->GetSnapshot());
  }
  const Schema& schema = snapshot->schema();
  if (control.auto_batch) control.ResolveAutoBatch(stmt.copy_path);
  if (control.has_batch()) {
    auto it = snapshot->app_versions().find(control.batch_app);
    if (it != snapshot->app_versions().end() && it->second >= control.batch_version)
      return CountResult("COPY", 0);  // this batch already committed
    parameters["batch_id"] = control.batch_app + ":" + std::to_string(control.batch_version);
  }
  CopyRejects rejects(db_, table->name(), &control, db_->options().segment_options);
  RejectReporter* reporter = dynamic_cast<RejectReporter*>(source.get());
  if (source->schema().size() != schema.size()) {
    throw QueryError(ErrorKind::kInvalidInput, stmt.copy_path + ": has " +
                                                   std::to_string(source->schema().size()) +
                                                   " columns but table " + table->name() + " has " +
                                                   std::to_string(schema.size()));
  }
  std::vector<TypeId> types;
  for (const Field& f : schema.fields) types.push_back(f.type);

  std::unique_ptr<TableWriter> writer = table->NewWriter(db_->options().segment_options);
  WriterGuard guard(writer.get());
  // duplicate_policy (storage/duplicate_policy.h), on the writer's snapshot.
  Transaction* txn = ValueOrThrow(writer->transaction());
  std::unique_ptr<Deduplicator> dedup = ValueOrThrow(Deduplicator::Make(
      table, std::shared_ptr<const Snapshot>(std::shared_ptr<const Snapshot>(), &txn->read_snapshot())));
  // Watermarks (storage/ingest_watermarks.h): INCREMENTAL skips points at
  // or before their tag's; every COPY records its own after committing.
  WatermarkTracker watermarks(control.incremental || WatermarksEnabled(*snapshot) ? schema : Schema());
  int wm_tag = -1, wm_ts = -1;
  std::unordered_map<std::string, int64_t> known;
  if (control.incremental && FindTagTimeColumns(schema, &wm_tag, &wm_ts))
    known = ValueOrThrow(LoadTagWatermarks(db_, table->name()));
  // Declared constraints (main/table_constraints.h): checked on what the
  // duplicate policy keeps. A column the file lacks gets no DEFAULT: COPY
  // supplies every column.
  const TableConstraintSet constraints =
      TableConstraintSet::FromProperties(snapshot->metadata().configuration, schema);
  std::unique_ptr<ConstraintChecker> checker;
  if (constraints.HasChecks()) {
    checker = std::make_unique<ConstraintChecker>(table, snapshot, constraints, &binder);
  }
  // Dedup, watermarks and constraints read VARCHAR values as strings.
  const bool needs_strings =
      dedup != nullptr || watermarks.active() || !known.empty() || checker != nullptr;
  int64_t rows = 0;
  DataChunk chunk;
  // The file's bytes read against its size: COPY's progress bar.
  ReadProgressFollower progress(ctx_.progress, dynamic_cast<const ReadProgress*>(source.get()));
  while (true) {
    ctx_.CheckCancelled();
    chunk.Initialize(types);
    Result<bool> more = source->Next(&chunk);
    progress.Update();
    if (!more.ok()) {
      if (more.status().code() == StatusCode::kInvalidArgument) {
        throw QueryError(ErrorKind::kInvalidInput, more.status().message());
      }
      throw QueryError(more.status());
    }
    rejects.Take(reporter);
    if (!*more) break;
    if (chunk.size() == 0) continue;
    if (needs_strings)
      for (ColumnVector& c : chunk.columns) c.MaterializeStrings();
    CastChunk(&chunk, types);
    if (!known.empty()) DropAtOrBeforeWatermark(known, wm_tag, wm_ts, &chunk);
    if (dedup && dedup->policy() == DuplicatePolicy::kKeepLast) watermarks.Add(chunk);
    if (dedup) {
      ThrowIfError(dedup->Add(&chunk));
      if (chunk.size() == 0) continue;
    }
    if (checker) checker->Check(chunk);
    watermarks.Add(chunk);
    rows += static_cast<int64_t>(chunk.size());
    ThrowIfError(writer->Append(std::move(chunk)));  // its arrays move into the segment buffer
  }
  if (dedup && dedup->policy() == DuplicatePolicy::kKeepLast) {
    ThrowIfError(dedup->Finish(txn));  // buffered rows, and rewrites of replaced rows' files
    rows += dedup->added();
  }
  if (dedup && dedup->dropped() > 0) parameters["duplicates_dropped"] = std::to_string(dedup->dropped());
  if (dedup && dedup->replaced() > 0) parameters["rows_replaced"] = std::to_string(dedup->replaced());
  if (control.has_batch())
    ThrowIfError(writer->SetTxn(control.batch_app, control.batch_version));
  // Rejects first: a crash between the commits is completed by a re-run.
  rejects.Commit();
  if (rejects.count() > 0) parameters["rejects"] = std::to_string(rejects.count());
  Result<CommitResult> committed = writer->Commit("COPY", std::move(parameters));
  guard.Release();  // Commit cleans up after itself on failure
  if (!committed.ok()) throw QueryError(committed.status());
  drop_created.armed = false;
  // After the data: a failure here leaves the watermark behind the data
  // (an incremental re-run re-reads, never skips), so it does not fail COPY.
  (void)watermarks.Commit(db_, table->name(), stmt.copy_path, committed->version);
  // ON_ERROR 'continue' loads the rest; the user must still hear of the
  // rows that were not loaded and where they went.
  if (rejects.count() > 0 && ctx_.warnings != nullptr) {
    ctx_.warnings->Add(std::to_string(rejects.count()) + " rows rejected -> " + table->name() +
                       "_rejects");
  }
  return CountResult("COPY", rows);
}

namespace {

std::string QuoteLiteral(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string QuoteIdentifier(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// SUMMARIZE's query over the CTE __summarize (the summarized rows): one
// UNION ALL branch per column with DuckDB's columns and types: min, max,
// avg, std and the quartiles as VARCHAR (avg and quartiles for numbers and
// timestamps, std for numbers, else NULL), approx_unique and count
// BIGINT, null_percentage DECIMAL(9,2) (NULL over no rows).
std::string SummarizeQuery(const Schema& columns) {
  std::string sql = "WITH __summarize AS (SELECT 1) ";
  for (size_t i = 0; i < columns.fields.size(); ++i) {
    const Field& f = columns.fields[i];
    const std::string c = QuoteIdentifier(f.name);
    const bool numeric = IsNumeric(f.type);
    const bool ordered = numeric || IsTimestampType(f.type) || f.type == TypeId::kDate;
    auto text = [&](const std::string& e, bool when) {
      return when ? "CAST(" + e + " AS VARCHAR)" : std::string("CAST(NULL AS VARCHAR)");
    };
    auto quartile = [&](const char* q) {
      return text("approx_quantile(" + c + ", " + q + ")", ordered);
    };
    if (i > 0) sql += " UNION ALL ";
    sql += "SELECT " + QuoteLiteral(f.name) + " AS column_name, " +
           QuoteLiteral(std::string(TypeName(f.type))) + " AS column_type, " +
           text("min(" + c + ")", true) + " AS min, " + text("max(" + c + ")", true) +
           " AS max, approx_count_distinct(" + c + ") AS approx_unique, " +
           text("avg(" + c + ")", ordered) + " AS avg, " + text("stddev_samp(" + c + ")", numeric) +
           " AS std, " + quartile("0.25") + " AS q25, " + quartile("0.5") + " AS q50, " +
           quartile("0.75") + " AS q75, count(*) AS count, CASE WHEN count(*) = 0 THEN NULL ELSE "
           "CAST(100.0 - count(" + c + ") * 100.0 / count(*) AS DECIMAL(9,2)) END AS "
           "null_percentage FROM __summarize";
  }
  return sql;
}

}  // namespace

QueryResult StatementExecutor::ExecuteDescribe(const Statement& stmt) {
  if (stmt.summarize) {
    // The statement outlives the query run below: its SELECT is lent, not copied.
    std::shared_ptr<const SelectNode> source(std::shared_ptr<const SelectNode>(),
                                             stmt.select.get());
    if (!source) {  // SUMMARIZE t: SELECT * FROM t
      auto node = std::make_shared<SelectNode>();
      node->position = stmt.table_position;
      auto star = std::make_unique<ParsedExpression>();
      star->kind = ExpressionKind::kStar;
      node->select_list.push_back(std::move(star));
      node->from.kind = TableRef::Kind::kBaseTable;
      node->from.name = stmt.table;
      node->from.position = stmt.table_position;
      source = node;
    }
    const Schema columns = NewBinder().BindSelect(*source)->output;
    std::vector<std::unique_ptr<Statement>> parsed = Parser(SummarizeQuery(columns)).ParseScript();
    auto* summary = const_cast<SelectNode*>(parsed.at(0)->select.get());
    summary->ctes.at(0).query = source;
    return ExecuteSelect(*summary);
  }
  // A view: the columns of its query.
  Schema columns;
  TableConstraintSet constraints;  // a view's columns have none
  if (stmt.select) {
    columns = NewBinder().BindSelect(*stmt.select)->output;
  } else if (!db_->GetTable(stmt.table).ok() && ViewCatalog(db_).Get(stmt.table)) {
    SelectNode node;
    node.position = stmt.table_position;
    auto star = std::make_unique<ParsedExpression>();
    star->kind = ExpressionKind::kStar;
    node.select_list.push_back(std::move(star));
    node.from.kind = TableRef::Kind::kBaseTable;
    node.from.name = stmt.table;
    node.from.position = stmt.table_position;
    columns = NewBinder().BindSelect(node)->output;
  } else {
    std::shared_ptr<Table> table = NewBinder().GetTable(stmt.table, stmt.table_position);
    std::shared_ptr<const Snapshot> snapshot = ValueOrThrow(table->GetSnapshot());
    columns = snapshot->schema();
    constraints = TableConstraintSet::FromProperties(snapshot->metadata().configuration, columns);
  }
  Schema schema;
  for (const char* name : {"column_name", "column_type", "null", "key", "default", "extra"}) {
    schema.fields.push_back({name, TypeId::kVarchar});
  }
  // DuckDB's columns: null is NO for NOT NULL and key columns, key is PRI
  // for a primary key's columns and UNI for a UNIQUE constraint's, default
  // the DEFAULT expression as SQL.
  auto contains = [](const std::vector<int>& v, int i) {
    return std::find(v.begin(), v.end(), i) != v.end();
  };
  const Value null_text = Value::Null(TypeId::kVarchar);
  std::vector<std::vector<Value>> rows;
  for (size_t i = 0; i < columns.fields.size(); ++i) {
    const Field& f = columns.fields[i];
    const int column = static_cast<int>(i);
    Value key = null_text;
    if (contains(constraints.primary_key, column)) {
      key = Value::Varchar("PRI");
    } else {
      for (const std::vector<int>& unique : constraints.unique)
        if (contains(unique, column)) key = Value::Varchar("UNI");
    }
    Value default_sql = null_text;
    auto d = constraints.defaults.find(column);
    if (d != constraints.defaults.end()) default_sql = Value::Varchar(DefaultAsSql(d->second));
    rows.push_back({Value::Varchar(f.name), Value::Varchar(std::string(TypeName(f.type))),
                    Value::Varchar(contains(constraints.not_null, column) ? "NO" : "YES"),
                    key, default_sql, null_text});
  }
  return RowsResult("DESCRIBE", std::move(schema), rows);
}

QueryResult StatementExecutor::ExecuteShowTables(const Statement& stmt) {
  std::vector<std::string> names = db_->ListTables();
  std::vector<std::vector<Value>> rows;
  Schema schema;
  if (!stmt.show_all) {
    // SHOW TABLES lists views too, as DuckDB's does.
    for (const auto& [view, sql] : ViewCatalog(db_).List()) names.push_back(view);
    std::sort(names.begin(), names.end());
    schema.fields.push_back({"name", TypeId::kVarchar});
    for (const std::string& n : names) rows.push_back({Value::Varchar(n)});
    return RowsResult("SHOW", std::move(schema), rows);
  }
  std::sort(names.begin(), names.end());
  for (const char* name : {"database", "schema", "name", "column_names", "column_types"}) {
    schema.fields.push_back({name, TypeId::kVarchar});
  }
  schema.fields.push_back({"temporary", TypeId::kBoolean});
  std::string database = "memory";
  if (!db_->in_memory()) {
    std::string path = db_->path();
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    database = path.substr(path.find_last_of('/') + 1);
    if (size_t dot = database.find('.'); dot != std::string::npos && dot > 0) {
      database = database.substr(0, dot);
    }
  }
  for (const std::string& n : names) {
    Result<std::shared_ptr<Table>> table = db_->GetTable(n);
    if (!table.ok()) continue;
    std::shared_ptr<const Snapshot> snapshot = ValueOrThrow((*table)->GetSnapshot());
    std::string cols = "[", types = "[";
    for (size_t i = 0; i < snapshot->schema().size(); ++i) {
      const Field& f = snapshot->schema().fields[i];
      if (i) {
        cols += ", ";
        types += ", ";
      }
      cols += f.name;
      types += std::string(TypeName(f.type));
    }
    rows.push_back({Value::Varchar(database), Value::Varchar("main"), Value::Varchar(n),
                    Value::Varchar(cols + "]"), Value::Varchar(types + "]"),
                    Value::Boolean(false)});
  }
  return RowsResult("SHOW", std::move(schema), rows);
}

QueryResult StatementExecutor::ExecuteHistory(const Statement& stmt) {
  std::shared_ptr<Table> table = NewBinder().GetTable(stmt.table, stmt.table_position);
  auto history = ValueOrThrow(table->History());
  Schema schema;
  schema.fields = {{"version", TypeId::kBigint},          {"timestamp", TypeId::kTimestamp},
                   {"operation", TypeId::kVarchar},       {"operationParameters", TypeId::kVarchar},
                   {"readVersion", TypeId::kBigint},      {"isBlindAppend", TypeId::kBoolean},
                   {"operationMetrics", TypeId::kVarchar}};
  std::vector<std::vector<Value>> rows;
  for (const auto& [version, info] : history) {
    if (stmt.history_limit && static_cast<int64_t>(rows.size()) >= *stmt.history_limit) break;
    rows.push_back(
        {Value::Bigint(version), Value::Timestamp(info.timestamp * 1000),
         Value::Varchar(info.operation), Value::Varchar(MapToJson(info.operation_parameters)),
         info.read_version ? Value::Bigint(*info.read_version) : Value::Null(TypeId::kBigint),
         Value::Boolean(info.is_blind_append), Value::Varchar(MapToJson(info.operation_metrics))});
  }
  return RowsResult("DESCRIBE HISTORY", std::move(schema), rows);
}

}  // namespace tsl::query
