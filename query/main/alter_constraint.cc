// ALTER COLUMN ... SET/DROP NOT NULL and SET/DROP DEFAULT: see
// alter_constraint.h. Thread-safety: one statement at a time.
#include "query/main/alter_constraint.h"

#include <cstring>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "query/common/query_error.h"
#include "query/main/table_constraints.h"
#include "storage/transaction.h"

namespace tsl::query {
namespace {

constexpr const char* kNotNullKey = "constraint.not_null";
constexpr const char* kDefaultPrefix = "constraint.default.";

template <typename T>
T OrThrowAt(Result<T> result, int position) {
  if (!result.ok()) {
    const Status& st = result.status();
    if (st.IsNotFound()) throw QueryError(ErrorKind::kCatalog, st.message(), position);
    throw QueryError(st);
  }
  return std::move(result).value();
}

std::vector<std::string> SplitNames(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    if (end > start) out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

// True when some row of `column` in `snapshot` is NULL. Files whose
// statistics say the column has no NULL are not read.
bool HasNull(Table* table, const std::shared_ptr<const Snapshot>& snapshot, int column,
             int position) {
  ScanOptions options;
  options.columns = {column};
  std::unique_ptr<ChunkSource> scan = OrThrowAt(table->NewScan(snapshot, std::move(options)), position);
  DataChunk chunk;
  const TypeId type = snapshot->schema().fields[static_cast<size_t>(column)].type;
  while (true) {
    chunk.Initialize({type});
    Result<bool> more = scan->Next(&chunk);
    if (!more.ok()) throw QueryError(more.status());
    if (!*more) return false;
    const ColumnVector& v = chunk.columns[0];
    for (size_t i = 0; i < chunk.size(); ++i) {
      if (v.IsNull(i)) return true;
    }
  }
}

}  // namespace

QueryResult ExecuteAlterConstraint(const Statement& stmt, const std::shared_ptr<Table>& table,
                                   Binder* binder) {
  QueryResult result;
  result.statement_type = "ALTER TABLE";
  const int position = stmt.alter_column.position;
  std::unique_ptr<Transaction> txn = OrThrowAt(table->NewTransaction(), stmt.table_position);
  std::shared_ptr<const Snapshot> snapshot =
      OrThrowAt(table->GetSnapshot(txn->read_version()), stmt.table_position);
  const Schema& schema = snapshot->schema();
  const int idx = schema.FindField(stmt.alter_column.name);
  if (idx < 0) {
    std::vector<std::string> names;
    for (const Field& f : schema.fields) names.push_back(f.name);
    std::string message = "Table \"" + table->name() + "\" does not have a column with name \"" +
                          stmt.alter_column.name + "\"";
    if (auto hint = ClosestMatch(stmt.alter_column.name, names)) {
      message += "\n\nDid you mean: \"" + *hint + "\"";
    }
    throw QueryError(ErrorKind::kBinder, message, position);
  }
  const std::string& column = schema.fields[static_cast<size_t>(idx)].name;
  const std::string lower = ToLower(column);
  MetaDataAction meta = snapshot->metadata();
  std::map<std::string, std::string>& config = meta.configuration;
  const TableConstraintSet constraints = TableConstraintSet::FromProperties(config, schema);
  std::vector<std::string> not_null;
  if (auto it = config.find(kNotNullKey); it != config.end()) not_null = SplitNames(it->second);
  bool is_not_null = false;
  for (const std::string& n : not_null) is_not_null = is_not_null || ToLower(n) == lower;
  // The stored DEFAULT key of the column (written with the column's name
  // as CREATE TABLE spelled it).
  std::string default_key;
  for (const auto& [key, value] : config) {
    if (key.rfind(kDefaultPrefix, 0) == 0 &&
        ToLower(key.substr(std::strlen(kDefaultPrefix))) == lower) {
      default_key = key;
    }
  }

  std::string change;
  bool changed = false;
  switch (stmt.alter) {
    case AlterKind::kSetNotNull:
      change = "SET NOT NULL";
      if (is_not_null) break;
      if (column.find(',') != std::string::npos) {
        throw QueryError(ErrorKind::kNotImplemented,
                         "a constraint on a column whose name holds a comma (\"" + column + "\")",
                         position);
      }
      if (HasNull(table.get(), snapshot, idx, position)) {
        throw QueryError(ErrorKind::kConstraint,
                         "NOT NULL constraint failed: " + table->name() + "." + column, position);
      }
      not_null.push_back(column);
      config[kNotNullKey] = JoinNames(not_null);
      changed = true;
      break;
    case AlterKind::kDropNotNull: {
      change = "DROP NOT NULL";
      // A primary key's columns stay NOT NULL: the key implies it.
      bool in_key = false;
      for (int k : constraints.primary_key) in_key = in_key || k == idx;
      if (!is_not_null || in_key) break;
      std::vector<std::string> kept;
      for (const std::string& n : not_null) {
        if (ToLower(n) != lower) kept.push_back(n);
      }
      if (kept.empty()) {
        config.erase(kNotNullKey);
      } else {
        config[kNotNullKey] = JoinNames(kept);
      }
      changed = true;
      break;
    }
    case AlterKind::kSetDefault: {
      // Validated and stored as CREATE TABLE's DEFAULT clause is.
      std::map<std::string, std::string> added;
      AddConstraintProperties(table->name(), stmt.constraints, schema, binder, &added);
      if (!default_key.empty()) config.erase(default_key);
      for (auto& [key, value] : added) {
        change = "SET DEFAULT " + value;
        config[key] = value;
      }
      changed = true;
      break;
    }
    case AlterKind::kDropDefault:
      change = "DROP DEFAULT";
      if (default_key.empty()) break;
      config.erase(default_key);
      changed = true;
      break;
    default:
      throw QueryError(ErrorKind::kInternal, "ExecuteAlterConstraint: not a constraint change",
                       stmt.position);
  }
  if (!changed) {
    txn->Abort();
    return result;
  }
  ThrowIfError(txn->SetMetadata(std::move(meta)));
  OrThrowAt(txn->Commit("CHANGE COLUMN", {{"column", column}, {"change", change}}),
            stmt.position);
  return result;
}

QueryResult ExecuteAddConstraint(const Statement& stmt, const std::shared_ptr<Table>& table,
                                 Binder* binder) {
  QueryResult result;
  result.statement_type = "ALTER TABLE";
  const ConstraintDefinition& c = stmt.constraints.front();
  if (stmt.constraints.size() != 1 || c.kind != ConstraintDefinition::Kind::kPrimaryKey) {
    throw QueryError(ErrorKind::kNotImplemented, "No support for that ALTER TABLE option yet!",
                     c.position);
  }
  std::unique_ptr<Transaction> txn = OrThrowAt(table->NewTransaction(), stmt.table_position);
  std::shared_ptr<const Snapshot> snapshot =
      OrThrowAt(table->GetSnapshot(txn->read_version()), stmt.table_position);
  const Schema& schema = snapshot->schema();
  MetaDataAction meta = snapshot->metadata();
  std::map<std::string, std::string>& config = meta.configuration;
  // The key's properties as CREATE TABLE writes them (columns checked).
  std::map<std::string, std::string> added;
  AddConstraintProperties(table->name(), stmt.constraints, schema, binder, &added);
  const std::string key_list = added["constraint.primary_key"];
  if (auto existing = config.find("constraint.primary_key"); existing != config.end()) {
    std::string names;
    for (const std::string& n : SplitNames(existing->second)) names += (names.empty() ? "" : ", ") + n;
    throw QueryError(ErrorKind::kCatalog,
                     "table \"" + table->name() + "\" can have only one primary key: PRIMARY KEY(" +
                         names + ")",
                     c.position);
  }
  std::vector<int> key;
  std::string index_name = "PRIMARY_" + table->name();
  for (const std::string& name : SplitNames(key_list)) {
    key.push_back(schema.FindField(name));
    index_name += "_" + name;
  }
  // The stored rows: no NULL key column, no key twice.
  {
    ScanOptions options;
    options.columns = key;
    std::unique_ptr<ChunkSource> scan =
        OrThrowAt(table->NewScan(snapshot, std::move(options)), stmt.table_position);
    std::vector<TypeId> types;
    std::vector<int> local;
    for (size_t i = 0; i < key.size(); ++i) {
      types.push_back(schema.fields[static_cast<size_t>(key[i])].type);
      local.push_back(static_cast<int>(i));
    }
    std::unordered_set<std::string> seen;
    DataChunk chunk;
    while (true) {
      chunk.Initialize(types);
      Result<bool> more = scan->Next(&chunk);
      if (!more.ok()) throw QueryError(more.status());
      if (!*more) break;
      for (ColumnVector& v : chunk.columns) v.MaterializeStrings();
      for (size_t r = 0; r < chunk.size(); ++r) {
        for (const ColumnVector& v : chunk.columns) {
          if (v.IsNull(r)) {
            throw QueryError(ErrorKind::kConstraint, "NOT NULL constraint failed: " + index_name,
                             c.position);
          }
        }
        if (!seen.insert(EncodeKey(chunk, local, r)).second) {
          throw QueryError(ErrorKind::kConstraint, "Data contains duplicates on indexed column(s)",
                           c.position);
        }
      }
    }
  }
  config["constraint.primary_key"] = key_list;
  // The key's columns join the NOT NULL list.
  std::vector<std::string> not_null;
  if (auto it = config.find(kNotNullKey); it != config.end()) not_null = SplitNames(it->second);
  for (const std::string& name : SplitNames(key_list)) {
    bool present = false;
    for (const std::string& n : not_null) present = present || ToLower(n) == ToLower(name);
    if (!present) not_null.push_back(name);
  }
  config[kNotNullKey] = JoinNames(not_null);
  ThrowIfError(txn->SetMetadata(std::move(meta)));
  OrThrowAt(txn->Commit("ADD CONSTRAINT", {{"name", "PRIMARY KEY"}, {"expr", key_list}}),
            stmt.position);
  return result;
}

}  // namespace tsl::query
