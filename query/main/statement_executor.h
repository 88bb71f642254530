// StatementExecutor: runs one parsed statement to a QueryResult: SELECT and
// EXPLAIN through binder -> planner -> operators; CREATE/DROP TABLE, INSERT
// and COPY against storage (each data change is exactly one TableWriter
// commit, aborted on any error so a failing statement commits nothing);
// DESCRIBE, SHOW TABLES and DESCRIBE HISTORY from catalog metadata;
// DELETE, OPTIMIZE, VACUUM, RESTORE and ALTER TABLE (maintenance_executor.cc)
// as one storage Transaction or Table maintenance call each.
// Throws QueryError. Thread-safety: one statement at a time.
#pragma once

#include "query/binder/binder.h"
#include "query/execution/physical_operator.h"
#include "query/main/query_engine.h"
#include "query/parser/statement.h"

namespace tsl::query {

class SessionTransaction;

class StatementExecutor {
 public:
  StatementExecutor(Database* db, const TableFunctionRegistry* functions, ExecutionContext ctx)
      : db_(db), functions_(functions), ctx_(ctx) {}

  QueryResult Execute(const Statement& stmt);
  // A prepared statement's parameter values ($1 = (*params)[0]); they
  // must outlive Execute.
  void SetParameters(const std::vector<Value>* params) { params_ = params; }
  // The connection's open explicit transaction (null: autocommit). Reads
  // then see its view, INSERT/UPDATE/DELETE are staged in it, and
  // statements that commit on their own (DDL, COPY, maintenance) are
  // refused.
  void SetSession(SessionTransaction* session) { session_ = session; }
  // The connection's temporary tables: an in-memory Database created by
  // the first CREATE TEMP TABLE (null until then), owned by the engine and
  // gone with the connection. Names are looked up there first. Without a
  // slot, CREATE TEMP TABLE is refused.
  void SetTempDatabase(std::unique_ptr<Database>* temp) { temp_ = temp; }

  // A SELECT bound and planned but not run: a QueryStream pulls its rows
  // (query_stream.h). The operators may point into `select` and `binder`,
  // so those live as long as `root`.
  struct OpenedSelect {
    std::unique_ptr<Binder> binder;
    std::unique_ptr<BoundSelect> select;
    std::unique_ptr<PhysicalOperator> root;
    Schema schema;
  };
  OpenedSelect OpenSelect(const SelectNode& node);

  // Catches every materialized view over `source` (and views over those)
  // up with its latest version (materialized_view.cc). Run after a
  // statement or an Appender flush committed into `source`; a failure
  // becomes a warning (the source's commit stands, and the view catches
  // up on the next commit or REFRESH).
  void MaintainMaterializedViews(const std::string& source);
  // Applies `table`'s retention property (Table::ApplyRetention; on a
  // materialized view, to its time_bucket column). With rewrite_straddling
  // (VACUUM) files holding both expired and live rows are rewritten.
  // Returns the retention commit (version -1: nothing expired or a lost race).
  CommitResult ApplyRetentionPolicy(const std::string& table, bool rewrite_straddling,
                                    const std::map<std::string, std::string>& parameters = {});

 private:
  QueryResult ExecuteSelect(const SelectNode& node);
  QueryResult ExecuteExplain(const SelectNode& node, bool analyze);
  QueryResult ExecuteCreate(const Statement& stmt);
  // CREATE OR REPLACE TABLE over an existing table: one version
  // (replace_table.cc).
  QueryResult ExecuteReplaceTable(const Statement& stmt, const std::shared_ptr<Table>& table,
                                  const Schema& schema,
                                  std::map<std::string, std::string> properties,
                                  BoundSelect* select);
  QueryResult ExecuteDrop(const Statement& stmt);
  QueryResult ExecuteInsert(const Statement& stmt);
  // INSERT's rows resolved against a key (upsert.cc): one version.
  QueryResult ExecuteUpsert(const Statement& stmt, const std::shared_ptr<Table>& table,
                            Binder& binder, std::vector<DataChunk> rows);
  QueryResult ExecuteCopy(const Statement& stmt);
  QueryResult ExecuteCopyTo(const Statement& stmt);  // copy_to_executor.cc
  QueryResult ExecuteDescribe(const Statement& stmt);
  QueryResult ExecuteShowTables(const Statement& stmt);
  QueryResult ExecuteHistory(const Statement& stmt);
  // Issue 3 (maintenance_executor.cc).
  QueryResult ExecuteDelete(const Statement& stmt);
  QueryResult ExecuteUpdate(const Statement& stmt);  // issue 17 (update_executor.cc)
  QueryResult ExecuteMerge(const Statement& stmt);   // issue 17 (merge_executor.cc)
  QueryResult ExecuteOptimize(const Statement& stmt);
  QueryResult ExecuteVacuum(const Statement& stmt);
  QueryResult ExecuteRestore(const Statement& stmt);
  QueryResult ExecuteAlter(const Statement& stmt);
  // ALTER TABLE ... DROP COLUMN / ALTER COLUMN ... TYPE (alter_column.cc).
  QueryResult ExecuteDropColumn(const Statement& stmt, const std::shared_ptr<Table>& table);
  QueryResult ExecuteAlterColumnType(const Statement& stmt, const std::shared_ptr<Table>& table);
  QueryResult ExecuteCreateView(const Statement& stmt);
  QueryResult ExecuteDropView(const Statement& stmt);
  // Issue 21 (materialized_view.cc).
  QueryResult ExecuteCreateMaterializedView(const Statement& stmt);
  QueryResult ExecuteDropMaterializedView(const Statement& stmt);
  QueryResult ExecuteRefreshMaterializedView(const Statement& stmt);
  // DROP TABLE: refuses a materialized view and a table that views are
  // defined on (unless CASCADE, which drops those views first).
  void CheckMaterializedViewDependents(const Statement& stmt);
  // Refuses a statement that would write into a materialized view's own
  // table (its rows are only ever written by its refresh).
  void RefuseWriteIntoMaterializedView(const Statement& stmt);
  // ALTER TABLE t RENAME TO u: refused while a materialized view reads t
  // (its definition names t) or u names a view; then Database::RenameTable
  // of the database holding t (the temporary one for a temp table).
  void RenameTable(const Statement& stmt);
  void RefreshMaterializedView(const std::string& name, bool full);
  void RefreshMaterializedViewOnce(const std::string& name, bool full);
  void ApplyAutoMaintenance(const Statement& stmt);
  void ApplyExternalAccess(const Statement& stmt);  // SET enable_external_access
  void ApplyProgressBar(const Statement& stmt);     // SET enable_progress_bar, progress_bar_time
  // The statement's name when it cannot be part of session_'s transaction
  // (DDL, COPY, maintenance: each commits on its own); nullptr when it can.
  static const char* NonTransactional(const Statement& stmt);
  // A Binder with this statement's parameters and execution context.
  Binder NewBinder() const;

  Database* db_;
  const TableFunctionRegistry* functions_;
  ExecutionContext ctx_;
  const std::vector<Value>* params_ = nullptr;
  SessionTransaction* session_ = nullptr;
  std::unique_ptr<Database>* temp_ = nullptr;
};

}  // namespace tsl::query
