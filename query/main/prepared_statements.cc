// SQL-level prepared statements. See prepared_statements.h.
#include "query/main/prepared_statements.h"

#include <algorithm>

#include "query/binder/binder.h"
#include "query/common/query_error.h"

namespace tsl::query {
namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

[[noreturn]] void ThrowMissing(const std::vector<std::string>& missing, int position) {
  throw QueryError(ErrorKind::kInvalidInput,
                   "Values were not provided for the following prepared statement parameters: " +
                       JoinNames(missing),
                   position);
}

[[noreturn]] void ThrowExcess(const std::vector<std::string>& excess, int position) {
  throw QueryError(ErrorKind::kInvalidInput,
                   "Parameter argument/count mismatch, identifiers of the excess parameters: " +
                       JoinNames(excess),
                   position);
}

}  // namespace

QueryResult PreparedStatements::Apply(const Statement& stmt) {
  QueryResult result;
  if (stmt.type == StatementType::kPrepare) {
    entries_[stmt.table] = Entry{stmt.prepared, stmt.prepared_sql};
    result.statement_type = "PREPARE";
  } else {
    entries_.erase(stmt.table);
    result.statement_type = "DEALLOCATE";
  }
  return result;
}

const PreparedStatements::Entry& PreparedStatements::Find(const Statement& execute) const {
  auto it = entries_.find(execute.table);
  if (it == entries_.end()) {
    throw QueryError(ErrorKind::kBinder,
                     "Prepared statement \"" + execute.table + "\" does not exist",
                     execute.table_position);
  }
  return it->second;
}

std::vector<Value> PreparedStatements::Values(const Statement& execute, const Entry& entry,
                                              Database* db,
                                              const TableFunctionRegistry* functions) const {
  const Statement& prepared = *entry.statement;
  const int count = prepared.parameter_count;
  Binder binder(db, functions);
  std::vector<std::optional<Value>> values(static_cast<size_t>(count));
  std::vector<std::string> excess;
  const std::vector<std::string>& names = prepared.parameter_names;
  size_t positional = 0;
  for (const auto& [name, expr] : execute.execute_args) {
    size_t index;
    if (!name.empty()) {
      auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end()) {
        excess.push_back(name);
        continue;
      }
      index = static_cast<size_t>(it - names.begin());
    } else {
      index = positional++;
      if (!names.empty() || index >= values.size()) {
        excess.push_back(std::to_string(index + 1));
        continue;
      }
    }
    values[index] = binder.EvaluateConstant(*expr);
  }
  std::vector<std::string> missing;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i]) missing.push_back(names.empty() ? std::to_string(i + 1) : names[i]);
  }
  if (!missing.empty()) ThrowMissing(missing, execute.position);
  if (!excess.empty()) ThrowExcess(excess, execute.position);
  std::vector<Value> out;
  for (auto& v : values) out.push_back(std::move(*v));
  return out;
}

}  // namespace tsl::query
