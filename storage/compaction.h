// CompactSmallFiles: OPTIMIZE's compaction (Table::Optimize) with an
// optional cap on the rows of each segment it writes, so background
// maintenance (shell/api/maintenance_worker.h) holds at most about two
// segments of that size in memory however many small files it merges, and
// stays near the database's memory_limit. Thread-safety: as Table.
#pragma once

#include <cstdint>

#include "formats/status.h"
#include "storage/table.h"

namespace tsl {

// Table::Optimize(options) when max_segment_rows is 0. Otherwise new
// segments are cut at min(max_segment_rows, target_segment_rows) rows and
// a file counts as small below half of that.
Result<CommitResult> CompactSmallFiles(Table& table, const OptimizeOptions& options,
                                       int64_t max_segment_rows);

}  // namespace tsl
