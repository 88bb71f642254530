// Importer: one import of a reader's rows into a table through an
// Appender, as one table version. It goes on past bad rows (the reader's
// RejectReporter hands them over) and stores them in `<table>_rejects`
// (source, line, location, raw, reason), or with abort_on_error commits
// nothing when any row was rejected. With a batch id (app id + version,
// Delta's txn action) a re-run of a committed import commits nothing and
// says so; the rejects table carries the same batch id, so a re-run never
// duplicates rejects either.
//
// Duplicates: the table's duplicate_policy (storage/duplicate_policy.h)
// applies; keep_last commits through one Transaction (not the group
// committer) so replaced rows' files are rewritten in the same version.
//
// Crash safety: rows are only visible once the final flush commits; a
// crash or kill before that leaves the table at its previous version (and
// at most unreferenced segment files). A crash between the rejects commit
// and the data commit is completed by a re-run (the rejects are skipped by
// their batch id, the data goes in).
//
// Reading and appending overlap: the reader runs in its own thread feeding
// a small bounded queue of chunks (when `pipeline`), so parsing and
// encoding use two cores.
//
// Thread-safety: Run is safe to call from several threads for different
// imports (the table's GroupCommitter serializes their commits).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "formats/column_vector.h"
#include "formats/status.h"
#include "storage/database.h"

namespace tsl {

struct ImportProgress {
  int64_t rows = 0;
  int64_t rejects = 0;
  int64_t bytes_read = 0;   // -1 when the reader cannot tell
  int64_t bytes_total = 0;  // -1 when unknown
  double seconds = 0;
  bool done = false;
};

struct ImportOptions {
  std::string source;            // for messages and the rejects table ("x.json")
  std::string batch_app_id;      // non-empty: idempotent import
  int64_t batch_version = 0;     // the batch's version for batch_app_id
  bool abort_on_error = false;   // ON_ERROR abort: any reject commits nothing
  // Skip points at or before their tag's watermark (storage/ingest_watermarks.h);
  // every import records its watermarks after its data commit.
  bool incremental = false;
  bool pipeline = true;          // read in a second thread
  // Bytes of input consumed so far / in all, for progress (optional).
  std::function<int64_t()> bytes_read;
  int64_t bytes_total = -1;
  // Called about twice a second while importing and once when done.
  std::function<void(const ImportProgress&)> progress;
};

struct ImportSummary {
  int64_t rows = 0;
  int64_t rejects = 0;
  int64_t tags = 0;              // distinct values of a "tag" column, when there is one
  double seconds = 0;
  int64_t version = -1;          // the table version holding the rows (-1: none)
  bool already_committed = false;
  int64_t duplicates = 0;        // incoming rows dropped by duplicate_policy
  int64_t replaced = 0;          // table rows replaced (keep_last)
  int64_t skipped = 0;           // points at or before their watermark (incremental)
  // "30000000 rows, 12 rejects, 500000 tags in 21.3 s (1408450 rows/s), version 1"
  std::string ToString() const;
};

class Importer {
 public:
  // Reads `source` to its end and commits its rows into `table_name`.
  // Errors: the reader's (kInvalidArgument naming file and place), the
  // table's, or with abort_on_error kInvalidArgument "N rows were rejected
  // ...; nothing was committed" naming the first reject.
  static Result<ImportSummary> Run(Database* db, const std::string& table_name,
                                   ChunkSource* source, ImportOptions options);
};

}  // namespace tsl
