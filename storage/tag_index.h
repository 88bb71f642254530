// The catalog's tag index (formats/catalog.md, `tags` and `segments.tag_ranges`):
// per segment, each tag's time range and row count (SegmentTagRange).
// Writers compute it from the rows they encode (ComputeTagRanges, no file
// read); a re-sync or rebuild reads only the tag, ts and units columns of
// the segments the catalog does not index yet (ReadTagRanges).
// The indexed columns are the catalog's: the first VARCHAR column is the
// tag, the first TIMESTAMP column the time, and a VARCHAR column named
// `units` (any case), when the table has one, gives each tag's units.
// Thread-safety: free functions; the catalog serializes its own access.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "formats/log_action.h"
#include "storage/catalog.h"
#include "storage/env.h"
#include "storage/snapshot.h"

namespace tsl {

// Per-tag ranges of `rows` (a segment's rows, columns in `physical` schema
// order), ordered by tag (NULL tag first). Empty when the schema has no tag
// column. Costs one pass over the tag and ts columns; consecutive rows of
// one tag (sorted segments) compare one string each.
std::shared_ptr<const std::vector<SegmentTagRange>> ComputeTagRanges(const Schema& physical,
                                                                     const DataChunk& rows);

// The same figures read back from the segment file of `add` (under
// `table_dir`): only the tag, ts and units columns are decoded.
Result<std::vector<SegmentTagRange>> ReadTagRanges(Env* env, const std::string& table_dir,
                                                   const Schema& physical, const AddAction& add);

// Catalog::SyncTable with the tag index: segments the catalog already
// indexes keep their rows, the others are read from their files first.
// `only_same_table` as in Catalog::SyncTable.
Status SyncCatalogTable(Catalog* catalog, Env* env, const std::string& table_dir,
                        const std::string& table_name, const Snapshot& snapshot,
                        bool only_same_table = false);

// Fills in tag_ranges of the adds in `actions` that lack them (RESTORE
// re-adds existing files) by reading their files. `physical` is the
// table's physical schema (a metaData action in `actions` overrides it).
// False when some file could not be read: its add stays without ranges and
// the catalog records the segment as not indexed.
bool FillMissingTagRanges(Env* env, const std::string& table_dir, const Schema& physical,
                          std::vector<LogAction>* actions);
bool HasAddWithoutTagRanges(const std::vector<LogAction>& actions);

}  // namespace tsl
