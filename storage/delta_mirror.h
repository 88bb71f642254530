// DeltaMirror: exports a tslake table as a Delta Lake table (Parquet data
// files plus `_delta_log/`) that Spark, Databricks, Trino and DuckDB read
// without a connector, and keeps it up to date incrementally.
//
// Mapping (README "Delta Lake mirror"): every live segment file of the
// source becomes one Parquet file at the same relative path with
// ".parquet" for ".tsl" (so `ts_day=2024-01-01/<uuid>.tsl` ->
// `ts_day=2024-01-01/<uuid>.parquet`, Hive-style partition directories
// kept). An export compares the source snapshot's live files with the
// mirror's replayed live files: source files not yet mirrored become
// `add`s, mirrored files whose segment is no longer live (DELETE,
// OPTIMIZE, retention, RESTORE) become `remove`s. Each export is one
// Delta version carrying `txn {appId: source table id, version: source
// version}`; an export with nothing to ship commits nothing.
//
// Crash safety, in order: (1) each Parquet file is written under a temp
// name, fsynced and renamed, its directory fsynced; (2) the version's JSON
// is written to a temp file in `_delta_log/` and fsynced; (3) it is
// hard-linked to `<version, 20 digits>.json` (put-if-absent: a concurrent
// exporter gets kConflict) and `_delta_log/` fsynced. A crash before (3)
// leaves only unreferenced files, which the next export overwrites.
// Thread-safety: one export per mirror directory at a time (a second
// concurrent one fails with kConflict at step 3).
#pragma once

#include <cstdint>
#include <string>

#include "formats/parquet_writer.h"
#include "storage/env.h"
#include "storage/table.h"

namespace tsl {

struct DeltaExportOptions {
  // false: `dir` must not hold a Delta table yet (kAlreadyExists otherwise).
  // true: create it, or append the changes since the last export.
  bool incremental = false;
  ParquetWriteOptions parquet;
};

struct DeltaExportResult {
  int64_t mirror_version = -1;  // the Delta version written; -1 = nothing to ship
  int64_t source_version = -1;  // the source version now mirrored
  int64_t files_added = 0;
  int64_t files_removed = 0;
  int64_t rows_added = 0;
};

// Exports the latest snapshot of `table` into `dir` (created when missing).
// Errors: kAlreadyExists (existing mirror without incremental),
// kInvalidArgument (the mirror belongs to another table, or a column was
// renamed/retyped since the last export), kConflict (another exporter
// committed the same Delta version first), kIOError, kCorruption (an
// unreadable `_delta_log`).
Result<DeltaExportResult> ExportDeltaMirror(const Table& table, Env* env, const std::string& dir,
                                            const DeltaExportOptions& options);

}  // namespace tsl
