// Group commit of small blind appends (autocommit INSERTs) across threads:
// the statements of several connections that reach their commit while
// another commit of the same table is in flight become one version, so N
// concurrent one-row INSERTs cost one segment file, one log entry and one
// fsync round instead of N, and they never race each other optimistically.
//
// Design (LevelDB's writer queue, no collection window): CommitAppend
// enqueues the caller's rows and waits. The entry at the head of the
// table's queue is the leader: it takes every entry queued at that moment
// (up to 1M rows), adds their rows to one Transaction and
// commits it; the others sleep until their leader is done. Then every
// member gets the same result (the version, or the error: nothing of the
// group is committed then) and the next head leads the next group. A
// caller alone commits at once, exactly as TableWriter::Commit would, so a
// single writer's INSERTs stay one version each.
//
// History: a version of one statement looks as before (operation WRITE,
// parameters {mode: Append}); a group's version also carries the parameter
// `statements` = its number of statements (DESCRIBE HISTORY shows it), and
// its rows are those statements' rows in queue order.
//
// A member whose rows no longer fit the table (a concurrent ALTER changed
// the schema while it waited) gets kConflict (retry it) alone; the rest of
// its group commits. Retention (Table::ApplyRetention) runs once per group
// as after TableWriter::Commit.
//
// Thread-safety: CommitAppend may be called from any thread; the queue is
// per table directory and process.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "formats/segment_writer.h"
#include "storage/table.h"

namespace tsl {

// Commits `rows` (chunks of the table's schema, already checked) as a blind
// append, grouped with concurrent callers' rows on the same table. Returns
// once the version holding them is durable (CommitResult of the group's
// commit; rows_added is the whole group's).
Result<CommitResult> CommitAppend(const std::shared_ptr<Table>& table, SegmentWriteOptions options,
                                  std::vector<DataChunk> rows);

}  // namespace tsl
