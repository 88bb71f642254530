// read_parquet('file.parquet' | 'dir/*.parquet' | 'dir/*/*.parquet' | 'dir'):
// the rows of one or more Parquet files (formats/parquet_reader.h) as a
// table function. A glob may use * ? [..] in any path component, and a
// component `**` matches zero or more directories (DuckDB's); a
// directory means every *.parquet below it (Hive partition directories
// included, hidden and _-prefixed entries such as _delta_log skipped).
// Files are read in sorted path order and must share one schema
// (kInvalidArgument naming both files otherwise). Option
// filename => true adds a VARCHAR column "filename".
// Thread-safety: the factory is stateless; each source is used by one thread.
#pragma once

#include <string>
#include <vector>

#include "query/functions/table_function.h"

namespace tsl::query {

Result<std::unique_ptr<ChunkSource>> MakeReadParquet(const TableFunctionArgs& args);

// The files a read_parquet path names, sorted; kNotFound when none.
Result<std::vector<std::string>> ExpandParquetPaths(const std::string& pattern);

}  // namespace tsl::query
