// PreparedStatements: one connection's SQL-level prepared statements
// (`PREPARE name AS stmt`, `EXECUTE name(args)`, `DEALLOCATE name`,
// parsed in parser/prepared_parser.cc), as DuckDB keeps them per
// connection. A statement is parsed once at PREPARE and bound and planned
// at every EXECUTE with the values given, as QueryEngine::ExecutePrepared
// does for the API's prepared statements. Thread-safety: one connection's
// engine, one statement at a time.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "formats/value.h"
#include "query/functions/table_function.h"
#include "query/main/query_engine.h"
#include "query/parser/statement.h"
#include "storage/database.h"

namespace tsl::query {

class PreparedStatements {
 public:
  struct Entry {
    std::shared_ptr<const Statement> statement;
    std::string sql;  // the text the statement's positions point into
  };
  // PREPARE (replacing one of the same name, as DuckDB does) or DEALLOCATE
  // (a name that does not exist is no error, as in DuckDB).
  QueryResult Apply(const Statement& stmt);
  // EXECUTE's statement; Binder Error when no such name was prepared.
  const Entry& Find(const Statement& execute) const;
  // EXECUTE's values as $1, $2, ... (named ones in the order the prepared
  // statement first used them); Invalid Input Error, worded as DuckDB's,
  // when some are missing or left over.
  std::vector<Value> Values(const Statement& execute, const Entry& entry, Database* db,
                            const TableFunctionRegistry* functions) const;

 private:
  std::map<std::string, Entry> entries_;
};

}  // namespace tsl::query
