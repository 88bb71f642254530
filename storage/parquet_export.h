// Writing Parquet files through the Env (formats/parquet.md): one file
// from any ChunkSource, and a table's live segments as one Parquet file
// each (the layout `COPY t TO 'dir' (FORMAT parquet)` and the Delta mirror
// share). Crash safety: each file is written under a temporary name in
// its directory, fsynced, renamed into place, and the directory fsynced,
// so a reader never sees a half-written file under the final name.
// Thread-safety: stateless functions; each call owns its files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "formats/parquet_writer.h"
#include "storage/env.h"
#include "storage/table.h"

namespace tsl {

struct ParquetFileInfo {
  std::string path;  // as written (absolute or relative to the caller's base)
  int64_t size = 0;  // bytes
  int64_t rows = 0;
  std::vector<ParquetColumnStats> stats;  // per column of the schema
};

// Drains `source` into a Parquet file at `path` (temporary name, fsync,
// rename, fsync of the directory, which must exist). On error the
// temporary file is removed and `path` is untouched.
Result<ParquetFileInfo> WriteParquetFile(Env* env, const std::string& path, ChunkSource* source,
                                         const ParquetWriteOptions& options);

// The Parquet file name of a segment path: "ts_day=2024-01-01/ab12.tsl" ->
// "ts_day=2024-01-01/ab12.parquet".
std::string ParquetPathForSegment(const std::string& segment_path);

// Creates `dir` and every missing parent directory.
Status CreateDirs(Env* env, const std::string& dir);

// Writes every live file of `snapshot` as `dir/<ParquetPathForSegment>`
// (Hive-style partition directories kept), with the table's logical
// column names. Returns the files in snapshot order; `info.path` is
// relative to `dir`.
Result<std::vector<ParquetFileInfo>> ExportSegmentsAsParquet(
    const Table& table, std::shared_ptr<const Snapshot> snapshot,
    const std::vector<const AddAction*>& files, Env* env, const std::string& dir,
    const ParquetWriteOptions& options);

}  // namespace tsl
