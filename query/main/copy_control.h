// COPY's own options, which the reader never sees: ON_ERROR and BATCH_ID,
// and the rejects side channel (storage/reject_reporter.h) that stores a
// reader's bad rows in `<table>_rejects` as the ingest Importer does.
//
//   ON_ERROR 'continue' (default) | 'abort'
//       continue: rejected rows go to `<t>_rejects` (source, line, location,
//       raw, reason), the rest is loaded, and the statement's warning says
//       "N rows rejected -> <t>_rejects"; abort: the first reject fails the
//       COPY and nothing is committed. CSV is the exception, as in DuckDB:
//       without ON_ERROR a bad CSV value fails the COPY (the reader's error
//       names file, line, column and value); ON_ERROR 'continue' makes its
//       bad records rejects like every other format's.
//   BATCH_ID 'app:version' | 'auto'
//       the commit carries Delta's txn action (app id, version); a COPY whose
//       version is not newer than the app's committed one commits nothing
//       and returns 0. 'auto' derives the batch from the file: app id
//       "copy:<crc32c of the content>-<size in bytes>", version 1, so
//       re-running COPY of an unchanged file is a no-op (a changed file is a
//       new batch).
//   INCREMENTAL true | false (default)
//       skip points at or before their tag's watermark (storage/ingest_watermarks.h).
// The rejects commit comes first and carries the same batch id, so a crash
// between the two commits is completed by a re-run.
//
// Thread-safety: one COPY statement per object.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "formats/value.h"
#include "storage/database.h"
#include "storage/reject_reporter.h"
#include "storage/table.h"

namespace tsl::query {

struct CopyControl {
  bool abort_on_error = false;
  bool on_error_given = false;  // ON_ERROR was written (read_csv then rejects, see TableFunctionArgs)
  bool auto_batch = false;
  bool incremental = false;  // INCREMENTAL true: skip points at or before their tag's watermark
  std::string batch_app;  // "" = no batch id
  int64_t batch_version = -1;

  // Takes `name` when it is one of COPY's own options (false otherwise:
  // a reader option). Throws QueryError for a bad value.
  bool TakeOption(const std::string& name, const Value& v);
  // Resolves BATCH_ID 'auto' from the content of `path`.
  void ResolveAutoBatch(const std::string& path);
  bool has_batch() const { return !batch_app.empty(); }
};

// Collects one COPY's rejects into `<table>_rejects`.
class CopyRejects {
 public:
  CopyRejects(Database* db, std::string table, const CopyControl* control, SegmentWriteOptions options)
      : db_(db), table_(std::move(table)), control_(control), options_(options) {}
  ~CopyRejects();
  // Takes the reporter's rejects; throws QueryError (InvalidInput) on the
  // first one under ON_ERROR abort.
  void Take(RejectReporter* reporter);
  // Commits the rejects (if any) with the batch id. Throws on failure.
  void Commit();
  int64_t count() const { return count_; }

 private:
  Database* db_;
  std::string table_;
  const CopyControl* control_;
  SegmentWriteOptions options_;
  std::unique_ptr<TableWriter> writer_;
  bool skip_ = false;  // this batch's rejects already committed
  int64_t count_ = 0;
};

}  // namespace tsl::query
