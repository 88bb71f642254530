// StatementExecutor's half for ALTER TABLE ... DROP COLUMN and ALTER COLUMN
// ... [SET DATA] TYPE ... [USING expr] (issue 17), with DuckDB's errors.
//
// DROP COLUMN rewrites no data: tsl::DropColumn (storage/drop_column.h) drops the column from the
// metaData only (Delta's column mapping in name mode); old segments keep the
// bytes, which the new schema no longer maps, until VACUUM removes the files
// a later rewrite replaced. Dropping a column of a 100M-row table is one
// small log entry instead of rewriting every segment, and VERSION AS OF an
// older version still reads the column. Constraints that name the column
// follow DuckDB: a PRIMARY KEY / UNIQUE column is refused, a CHECK over the
// column alone and its NOT NULL / DEFAULT go with it, a CHECK over other
// columns too is refused.
//
// ALTER COLUMN TYPE rewrites every file (a segment's column is encoded for
// its type): one Transaction that sets the new metaData, removes each live
// file and adds its rows with the column cast (or computed by USING, bound
// over the table's row). A value that does not convert fails the statement
// with the cast's error and commits nothing. Operation "CHANGE COLUMN".
// Thread-safety: one statement at a time.
#include <algorithm>
#include <cstring>
#include <set>

#include "query/binder/binder.h"
#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
#include "query/main/statement_executor.h"
#include "query/main/table_constraints.h"
#include "query/parser/parser.h"
#include "storage/drop_column.h"
#include "storage/table_properties.h"
#include "storage/transaction.h"

namespace tsl::query {
namespace {

template <typename T>
T OrThrowAt(Result<T> result, int position) {
  if (!result.ok()) {
    const Status& st = result.status();
    if (st.IsNotFound()) throw QueryError(ErrorKind::kCatalog, st.message(), position);
    if (st.code() == StatusCode::kInvalidArgument) {
      throw QueryError(ErrorKind::kCatalog, st.message(), position);
    }
    throw QueryError(st);
  }
  return std::move(result).value();
}

// DuckDB's error for a column the table lacks, with its hint.
[[noreturn]] void ThrowNoColumn(const std::string& table, const std::string& column,
                                const Schema& schema, int position) {
  std::vector<std::string> names;
  for (const Field& f : schema.fields) names.push_back(f.name);
  std::string message =
      "Table \"" + table + "\" does not have a column with name \"" + column + "\"";
  if (auto hint = ClosestMatch(column, names)) message += "\n\nDid you mean: \"" + *hint + "\"";
  throw QueryError(ErrorKind::kBinder, message, position);
}

// The lower-cased column names an expression reads.
void ColumnsRead(const ParsedExpression& e, std::set<std::string>* out) {
  if (e.kind == ExpressionKind::kColumnRef && !e.names.empty()) out->insert(ToLower(e.names.back()));
  for (const auto& c : e.children) {
    if (c) ColumnsRead(*c, out);
  }
  if (e.case_operand) ColumnsRead(*e.case_operand, out);
}

std::string JoinNames(const std::vector<int>& columns, const Schema& schema) {
  std::string out;
  for (int c : columns) {
    if (!out.empty()) out += ", ";
    out += schema.fields[static_cast<size_t>(c)].name;
  }
  return out;
}

}  // namespace

QueryResult StatementExecutor::ExecuteDropColumn(const Statement& stmt,
                                                 const std::shared_ptr<Table>& table) {
  QueryResult result;
  result.statement_type = "ALTER TABLE";
  std::shared_ptr<const Snapshot> snapshot = OrThrowAt(table->GetSnapshot(), stmt.position);
  const Schema& schema = snapshot->schema();
  const std::string& column = stmt.alter_column.name;
  const int position = stmt.alter_column.position;
  const int idx = schema.FindField(column);
  if (idx < 0) {
    if (stmt.if_exists) return result;
    ThrowNoColumn(table->name(), column, schema, position);
  }
  const auto& configuration = snapshot->metadata().configuration;
  const TableConstraintSet constraints = TableConstraintSet::FromProperties(configuration, schema);
  std::vector<std::vector<int>> keys = constraints.unique;
  if (!constraints.primary_key.empty()) keys.insert(keys.begin(), constraints.primary_key);
  for (const std::vector<int>& key : keys) {
    if (std::find(key.begin(), key.end(), idx) == key.end()) continue;
    if (key.size() == 1) {
      throw QueryError(ErrorKind::kCatalog,
                       "Cannot drop column \"" + column +
                           "\" because there is a UNIQUE constraint that depends on it",
                       position);
    }
    throw QueryError(ErrorKind::kCatalog,
                     "Cannot drop column \"" + column +
                         "\" because it is referenced in unique constraint UNIQUE(" +
                         JoinNames(key, schema) + ")",
                     position);
  }
  // The constraint properties that name the column change in the same
  // commit (their keys and lists are those of table_constraints.h).
  std::map<std::string, std::optional<std::string>> changes;
  const std::string lower = ToLower(schema.fields[static_cast<size_t>(idx)].name);
  for (const auto& [key, value] : configuration) {
    if (key == "constraint.not_null") {
      std::string kept;
      size_t start = 0;
      while (start <= value.size()) {
        size_t end = value.find(',', start);
        if (end == std::string::npos) end = value.size();
        std::string name = value.substr(start, end - start);
        if (!name.empty() && ToLower(name) != lower) kept += (kept.empty() ? "" : ",") + name;
        start = end + 1;
      }
      if (kept != value) changes[key] = kept.empty() ? std::nullopt : std::optional(kept);
    } else if (key.rfind("constraint.default.", 0) == 0) {
      if (ToLower(key.substr(std::strlen("constraint.default."))) == lower) changes[key] = std::nullopt;
    } else if (key.rfind("constraint.check.", 0) == 0) {
      std::set<std::string> read;
      Parser parser(value);
      ColumnsRead(*parser.ParseSingleExpression(), &read);
      if (!read.count(lower)) continue;
      if (read.size() > 1) {
        throw QueryError(ErrorKind::kCatalog,
                         "Cannot drop column \"" + column +
                             "\" because there is a CHECK constraint that depends on it",
                         position);
      }
      changes[key] = std::nullopt;
    }
  }
  OrThrowAt(DropColumn(table.get(), schema.fields[static_cast<size_t>(idx)].name, changes), position);
  return result;
}

QueryResult StatementExecutor::ExecuteAlterColumnType(const Statement& stmt,
                                                      const std::shared_ptr<Table>& table) {
  QueryResult result;
  result.statement_type = "ALTER TABLE";
  std::unique_ptr<Transaction> txn = OrThrowAt(table->NewTransaction(), stmt.position);
  txn->SetSegmentDefaults(db_->options().segment_options);
  const Snapshot& snapshot = txn->read_snapshot();
  const Schema& schema = snapshot.schema();
  const std::string& column = stmt.alter_column.name;
  const int position = stmt.alter_column.position;
  const int idx = schema.FindField(column);
  if (idx < 0) ThrowNoColumn(table->name(), column, schema, position);
  const TypeId to = stmt.alter_column.type;
  const TableConstraintSet constraints =
      TableConstraintSet::FromProperties(snapshot.metadata().configuration, schema);
  {
    std::set<int> keyed(constraints.primary_key.begin(), constraints.primary_key.end());
    for (const auto& u : constraints.unique) keyed.insert(u.begin(), u.end());
    if (keyed.count(idx)) {
      throw QueryError(ErrorKind::kBinder,
                       "Cannot change the type of a column that has a UNIQUE or PRIMARY KEY "
                       "constraint specified",
                       position);
    }
  }
  Binder binder = NewBinder();
  // The new value of each row: USING's expression over the old row, or the
  // column cast.
  BoundExpressionPtr value;
  if (stmt.alter_using) {
    try {
      value = binder.BindRowExpression(*stmt.alter_using, {{table->name(), schema.fields}},
                                       "ALTER COLUMN");
    } catch (QueryError& e) {
      // DuckDB's wording for a USING that names no column of the table.
      const std::string& m = e.message();
      const std::string marker = "Referenced column \"";
      const size_t at = m.find(marker);
      if (at != std::string::npos) {
        const size_t end = m.find('"', at + marker.size());
        throw QueryError(ErrorKind::kBinder,
                         "Table does not contain column " +
                             m.substr(at + marker.size(), end - at - marker.size()) +
                             " referenced in alter statement!",
                         stmt.alter_using->position);
      }
      throw;
    }
  } else {
    auto ref = std::make_unique<BoundExpression>();
    ref->kind = BoundKind::kColumnRef;
    ref->column = idx;
    ref->type = schema.fields[static_cast<size_t>(idx)].type;
    value = std::move(ref);
  }
  if (value->type != to) value = MakeBoundCast(std::move(value), to);

  MetaDataAction meta = snapshot.metadata();
  if (meta.schema.fields[static_cast<size_t>(idx)].type == to && !stmt.alter_using) {
    return result;  // the same type: nothing to do, no version
  }
  meta.schema.fields[static_cast<size_t>(idx)].type = to;
  if (meta.physical_names.empty()) {
    for (const Field& f : snapshot.physical_schema().fields) meta.physical_names.push_back(f.name);
  }
  Result<TableProperties> props = TableProperties::Parse(meta.configuration, meta.schema);
  if (!props.ok()) throw QueryError(ErrorKind::kBinder, props.status().message(), position);
  if (props->partition.partitioned() && props->partition.column_index() == idx) {
    throw QueryError(ErrorKind::kBinder,
                     "Cannot change the type of column \"" + column +
                         "\": it partitions the table",
                     position);
  }
  ThrowIfError(txn->SetMetadata(std::move(meta)));

  std::vector<TypeId> types;
  ScanOptions all_columns;
  for (size_t i = 0; i < schema.size(); ++i) {
    types.push_back(schema.fields[i].type);
    all_columns.columns.push_back(static_cast<int>(i));
  }
  std::shared_ptr<const Snapshot> read =
      OrThrowAt(table->GetSnapshot(txn->read_version()), stmt.position);
  int64_t rows = 0;
  for (const AddAction& file : read->files()) {
    ctx_.CheckCancelled();
    ThrowIfError(txn->RemoveFile(file));
    ScanOptions options = all_columns;
    options.only_files = {file.path};
    std::unique_ptr<ChunkSource> scan = OrThrowAt(table->NewScan(read, std::move(options)), stmt.position);
    while (true) {
      ctx_.CheckCancelled();
      DataChunk chunk;
      chunk.Initialize(types);
      Result<bool> more = scan->Next(&chunk);
      if (!more.ok()) throw QueryError(more.status());
      if (!*more) break;
      const size_t n = chunk.size();
      if (n == 0) continue;
      ColumnVector converted;
      ExpressionExecutor::Execute(*value, chunk, n, &converted);
      converted.type = to;
      chunk.columns[static_cast<size_t>(idx)] = std::move(converted);
      rows += static_cast<int64_t>(n);
      ThrowIfError(txn->AddRows(std::move(chunk)));
    }
  }
  std::map<std::string, std::string> parameters = {
      {"column", column}, {"type", std::string(TypeName(to))}};
  if (stmt.alter_using) parameters["using"] = stmt.alter_using->ToString();
  OrThrowAt(txn->Commit("CHANGE COLUMN", std::move(parameters),
                        {{"numRewrittenRows", std::to_string(rows)}}),
            stmt.position);
  return result;
}

}  // namespace tsl::query
