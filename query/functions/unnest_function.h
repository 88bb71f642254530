// unnest(list) in FROM: one row per element of a constant (or, through a
// LATERAL join, per-row) LIST, in order, NULL elements included; a NULL or
// empty list gives no rows. The column is named "unnest" as in DuckDB.
// Thread-safety: the factory is stateless; each source has one user.
#pragma once

#include "query/functions/table_function.h"

namespace tsl::query {

Result<std::unique_ptr<ChunkSource>> MakeUnnest(const TableFunctionArgs& args);

}  // namespace tsl::query
