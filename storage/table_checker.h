// TableChecker: `tslake check DBDIR` and `tslake repair DBDIR`.
//
// Check reads everything and changes nothing. Per table it verifies
//   - log continuity: versions 0..N all present (or, after log retention,
//     a checkpoint just before the first one kept), each file's checksum line
//     and JSON valid, each version applying cleanly on the one before
//     (paths relative and inside the table, removes of live files only,
//     a protocol this build can read);
//   - checkpoint agreement: each checkpoint reads cleanly and holds exactly
//     the state replaying the JSON versions up to it gives;
//   - every live segment: not reached through a symbolic link (reported,
//     never followed), present, its size equal to the add's, its footer and
//     every column block's checksum valid, the footer's table id and
//     segment id (format 1.1) those of the table and the file's name, its
//     row count equal to the add's numRecords, and per column the add's
//     statistics (min, max, null count) and the footer's zone map equal to
//     the decoded data's;
//   - folders: a table folder holding segments without `_log`, or a
//     catalog table whose folder or `_log` is gone, is a problem;
//   - catalog agreement: `catalog.sqlite` has the table at the log's
//     latest version, not marked stale, with exactly the live segments
//     (path, rows, bytes). A catalog *behind* the log (a writer died
//     between its log commit and its catalog update, or a catalog update
//     failed) is a warning, not a problem: the catalog is only an index and
//     the next writable open brings it up to date. A catalog *ahead* of the
//     log, or disagreeing at the same version, is a problem;
// and lists orphans: files in a table directory that no version's add
// names (segments of an interrupted write, temp files of a failed commit).
// Orphans are not problems: a crash may leave them by design (invariant 7).
//
// Repair moves each checkpoint that disagrees with the log's replay aside
// (`<name>.untrusted`, which readers ignore, so they prefer the log),
// rebuilds the catalog from the logs (Database::RebuildCatalog), then
// checks again and lists the orphans. It never deletes a file, and never
// rewrites a log version or a segment: damage to those is reported for
// restoring from a backup (docs/RELIABILITY.md lists each finding).
//
// Thread-safety: stateless; safe from any thread. Check may run beside
// writers, but then may report a version committed during the check as a
// catalog disagreement.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "storage/env.h"
#include "storage/snapshot.h"

namespace tsl {

struct CheckProblem {
  std::string file;  // the file (or directory) at fault
  std::string what;  // what is wrong with it
};

struct CheckReport {
  std::vector<CheckProblem> problems;
  // Legal after a crash and fixed by the next writable open (or repair).
  std::vector<CheckProblem> warnings;
  std::vector<std::string> orphans;  // paths no version references
  // Checkpoints that read cleanly but disagree with the replay of the JSON
  // versions they summarize (readers could trust them): repair moves them
  // aside so readers replay the log.
  std::vector<std::string> untrusted_checkpoints;
  int64_t tables_checked = 0;
  int64_t versions_checked = 0;
  int64_t checkpoints_checked = 0;
  int64_t segments_checked = 0;
  int64_t bytes_verified = 0;

  bool ok() const { return problems.empty(); }
  // One line per problem and orphan, then a summary line.
  std::string ToString() const;
};

class TableChecker {
 public:
  // Checks every table of the database directory `db_dir` and its catalog.
  // Problems go into the report; the Status is an error only when `db_dir`
  // itself cannot be listed (kNotFound when it does not exist).
  static Result<CheckReport> CheckDatabase(Env* env, const std::string& db_dir);

  // Checks one table directory (log, checkpoints, segments, orphans; no
  // catalog). Sets *latest (when given) to the replayed latest snapshot,
  // null when the log does not replay.
  static void CheckTable(Env* env, const std::string& table_dir, CheckReport* report,
                         std::shared_ptr<const Snapshot>* latest = nullptr);

  // Moves untrusted checkpoints aside, rebuilds `db_dir/catalog.sqlite`
  // from the logs, then checks. Deletes nothing. kNotFound when `db_dir`
  // does not exist.
  static Result<CheckReport> RepairDatabase(const std::string& db_dir);
};

}  // namespace tsl
