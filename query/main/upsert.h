// INSERT ... ON CONFLICT [(cols)] DO NOTHING | DO UPDATE SET ... [WHERE],
// INSERT OR IGNORE and INSERT OR REPLACE (issue 17), against a declared
// PRIMARY KEY or UNIQUE (main/table_constraints.h), with DuckDB 1.5's
// semantics: within the statement the first row of a key wins (later ones
// are dropped); a row whose key the table holds is dropped (NOTHING,
// IGNORE), replaces the stored row (REPLACE), or updates it (DO UPDATE:
// the SET expressions see the stored row's columns unqualified or as
// t.col, the incoming row's as excluded.col; a WHERE that is not TRUE
// leaves the stored row as it was).
// Cost: the statement's rows are buffered (memory grows with the
// statement, not the table). Stored rows are found as the uniqueness
// check finds them: per file, a scan of the key columns narrowed by zone
// maps and the tag index to the incoming keys' ranges, so new keys after
// the table's newest ts read no file. DO NOTHING / IGNORE only read keys;
// REPLACE and DO UPDATE rewrite just the files holding a conflicting row
// (Delta's copy-on-write: remove + add), all in the statement's one
// version. Thread-safety: one statement at a time.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "query/binder/binder.h"
#include "query/main/table_constraints.h"
#include "query/parser/statement.h"
#include "storage/transaction.h"

namespace tsl::query {

struct UpsertOutcome {
  int64_t inserted = 0;
  int64_t updated = 0;       // stored rows replaced or updated
  int64_t files_rewritten = 0;
  int64_t rows_copied = 0;   // unchanged rows of rewritten files
  // With RETURNING: the rows the statement inserted or changed, as written
  // (updated rows with their new values); empty otherwise.
  std::vector<DataChunk> written;
};

// Resolves `incoming` (full rows in the schema's types, DEFAULTs filled)
// against the conflict key of `stmt` and adds the outcome to `txn`, which
// reads `snapshot`. `checker` (may be null) checks every row added.
// Throws QueryError (Binder Error for a conflict target that is no key).
UpsertOutcome RunUpsert(const Statement& stmt, const std::shared_ptr<Table>& table,
                        const std::shared_ptr<const Snapshot>& snapshot, Transaction* txn,
                        Binder* binder, const TableConstraintSet& constraints,
                        std::vector<DataChunk> incoming, ConstraintChecker* checker);

}  // namespace tsl::query
