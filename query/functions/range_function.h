// Built-in table functions that need no layer above query/: DuckDB's
// range(stop) / range(start, stop[, step]) (stop excluded) and
// generate_series (stop included), over BIGINT or TIMESTAMP with an
// INTERVAL step. The column is named "range" / "generate_series" as in
// DuckDB. Thread-safety: the factories are stateless; each source is used
// by one thread.
#pragma once

#include <string>

#include "query/functions/table_function.h"

namespace tsl::query {

// The built-in factory called `name` (case-insensitive), or nullptr.
const TableFunctionFactory* FindBuiltinTableFunction(const std::string& name);
// Names of the built-ins, for "Did you mean" hints.
std::vector<std::string> BuiltinTableFunctionNames();

}  // namespace tsl::query
