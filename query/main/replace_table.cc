// StatementExecutor's half for CREATE OR REPLACE TABLE [AS SELECT] over an
// existing table (issue 17). DuckDB drops the old table and creates a new
// one; here, as Delta's REPLACE TABLE does, the table keeps its log and the
// replacement is one new version: a metaData action with the new schema
// and properties (constraints included), a remove of every live file, and
// the AS SELECT rows written under the new schema. So `VERSION AS OF` still
// reads the old table, DESCRIBE HISTORY shows "CREATE OR REPLACE TABLE
// [AS SELECT]", and a concurrent writer conflicts (the metaData rule, (a)
// of storage/transaction.h) instead of writing into a table that changed
// shape. A table that materialized views read, or a materialized view
// itself, is refused, as DROP TABLE refuses it without CASCADE.
// Thread-safety: one statement at a time.
#include "query/common/query_error.h"
#include "query/functions/cast_function.h"
#include "query/main/statement_executor.h"
#include "query/planner/planner.h"
#include "storage/database.h"
#include "storage/table_properties.h"
#include "storage/transaction.h"

namespace tsl::query {
namespace {

// The property keys a materialized view stores (main/materialized_view.cc);
// read here only to refuse replacing one or its source.
constexpr const char* kViewSourceKey = "materialized_view.source";

template <typename T>
T OrThrowAt(Result<T> result, int position) {
  if (!result.ok()) {
    const Status& st = result.status();
    if (st.code() == StatusCode::kInvalidArgument) {
      throw QueryError(ErrorKind::kCatalog, st.message(), position);
    }
    throw QueryError(st);
  }
  return std::move(result).value();
}

void ThrowAt(const Status& st, int position) {
  if (st.ok()) return;
  if (st.code() == StatusCode::kInvalidArgument) {
    throw QueryError(ErrorKind::kCatalog, st.message(), position);
  }
  throw QueryError(st);
}

}  // namespace

QueryResult StatementExecutor::ExecuteReplaceTable(const Statement& stmt,
                                                   const std::shared_ptr<Table>& table,
                                                   const Schema& schema,
                                                   std::map<std::string, std::string> properties,
                                                   BoundSelect* select) {
  QueryResult result;
  result.statement_type = "CREATE TABLE";
  std::unique_ptr<Transaction> txn = OrThrowAt(table->NewTransaction(), stmt.table_position);
  txn->SetSegmentDefaults(db_->options().segment_options);
  const Snapshot& old = txn->read_snapshot();
  if (old.metadata().configuration.count(kViewSourceKey)) {
    throw QueryError(ErrorKind::kCatalog,
                     "Existing object " + stmt.table +
                         " is of type Materialized View, trying to replace with type Table",
                     stmt.table_position);
  }
  for (const std::string& name : stmt.temporary ? std::vector<std::string>{} : db_->ListTables()) {
    Result<std::shared_ptr<Table>> other = db_->GetTable(name);
    if (!other.ok()) continue;
    Result<std::shared_ptr<const Snapshot>> s = (*other)->GetSnapshot();
    if (!s.ok()) continue;
    auto it = (*s)->metadata().configuration.find(kViewSourceKey);
    if (it != (*s)->metadata().configuration.end() && EqualsIgnoreCase(it->second, table->name())) {
      throw QueryError(ErrorKind::kCatalog,
                       "Cannot replace table \"" + stmt.table +
                           "\" because materialized view " + name +
                           " depends on it; drop the view first",
                       stmt.table_position);
    }
  }
  for (const auto& [key, value] : properties) {
    Status known = CheckPropertyKnown(key);
    if (!known.ok()) ThrowAt(known.WithContext("CREATE TABLE \"" + stmt.table + "\""), stmt.table_position);
  }
  TableProperties props = OrThrowAt(TableProperties::Parse(properties, schema), stmt.table_position);

  // The new metaData keeps the table's id (it is the same table, one
  // version on) and gets fresh physical names: no live file remains.
  MetaDataAction meta = old.metadata();
  meta.schema = schema;
  meta.physical_names.clear();
  meta.configuration = std::move(properties);
  meta.partition_columns.clear();
  if (props.partition.partitioned()) {
    meta.partition_columns.push_back(props.partition.partition_column());
    meta.configuration["partition_by"] = props.partition.ToString();
  }
  ThrowAt(txn->SetMetadata(std::move(meta)), stmt.table_position);
  int64_t removed_rows = 0;
  for (const AddAction& file : old.files()) {
    ThrowIfError(txn->RemoveFile(file));
    if (file.stats.num_records > 0) removed_rows += file.stats.num_records;
  }
  int64_t rows = 0;
  if (select) {
    std::unique_ptr<PhysicalOperator> root = Planner(ctx_).Plan(*select);
    std::vector<TypeId> types;
    for (const Field& f : schema.fields) types.push_back(f.type);
    DataChunk chunk;
    while (root->Next(&chunk)) {
      ctx_.CheckCancelled();
      const size_t n = chunk.size();
      for (size_t c = 0; c < types.size(); ++c) {
        if (chunk.columns[c].type == types[c]) continue;
        ColumnVector cast;
        CastVector(VectorView{&chunk.columns[c], false}, n, types[c], &cast);
        chunk.columns[c] = std::move(cast);
      }
      rows += static_cast<int64_t>(n);
      ThrowIfError(txn->AddRows(std::move(chunk)));
      chunk = DataChunk();
    }
  }
  std::map<std::string, std::string> parameters = {{"isManaged", "true"}};
  std::map<std::string, std::string> metrics = {{"numReplacedRows", std::to_string(removed_rows)}};
  OrThrowAt(txn->Commit(select ? "CREATE OR REPLACE TABLE AS SELECT" : "CREATE OR REPLACE TABLE",
                        std::move(parameters), std::move(metrics)),
            stmt.position);
  return result;
}

}  // namespace tsl::query
