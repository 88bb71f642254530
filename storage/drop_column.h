// DropColumn: ALTER TABLE ... DROP COLUMN by metadata only (Delta's column
// mapping, name mode), implemented beside the other ALTER TABLE calls in
// table_maintenance.cc. Thread-safety: as Table's maintenance calls (one
// Transaction; a concurrent commit is a kConflict per transaction.h (a)).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "storage/table.h"

namespace tsl {

// Drops `column` from `table`'s schema without rewriting a file: old
// segments keep the column's data under its physical name, which the new
// schema no longer maps (so VERSION AS OF an older version still reads
// it), and the table switches to delta.columnMapping.mode = name so a
// column added later never reuses that physical name (Table::AddColumn).
// `property_changes` (constraints that named the column) are applied in the
// same commit ("DROP COLUMNS"). kNotFound for an unknown column;
// kInvalidArgument for the last column or the partition column.
Result<CommitResult> DropColumn(
    Table* table, const std::string& column,
    const std::map<std::string, std::optional<std::string>>& property_changes = {});

}  // namespace tsl
