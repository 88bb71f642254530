// TransactionLog: the `_log/` directory of one table (format in
// formats/log.md): lists versions, reads a version's actions, and commits a
// new version with put-if-absent semantics. The commit invariants are listed
// at the top of transaction_log.cc.
// Thread-safety: stateless apart from the paths; safe from any number of
// threads and processes. Concurrent Commits of one version: exactly one
// succeeds, the others get kConflict.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "formats/log_action.h"
#include "storage/env.h"

namespace tsl {

class TransactionLog {
 public:
  // `table_dir` holds the segment files; the log is `table_dir/_log`.
  TransactionLog(Env* env, std::string table_dir);

  const std::string& log_dir() const { return log_dir_; }
  // "00000000000000000003.json"
  static std::string VersionFileName(int64_t version);
  std::string VersionPath(int64_t version) const;
  // Parses a version file name; -1 when `name` is not one (temp files,
  // future checkpoint files ...).
  static int64_t ParseVersionFileName(std::string_view name);

  // Committed versions in ascending order; empty when there is no `_log/`.
  // kCorruption when the versions have a gap (a version file was lost).
  Result<std::vector<int64_t>> ListVersions() const;
  // Highest committed version, -1 when there is none.
  Result<int64_t> LatestVersion() const;
  // True when `version` has been committed (one stat call).
  bool VersionExists(int64_t version) const;
  // The actions of `version`. kNotFound when it does not exist; kCorruption
  // (naming the file and line) when its checksum or JSON is bad.
  Result<std::vector<LogAction>> ReadVersion(int64_t version) const;

  // Makes `actions` version `version`, durably. kConflict when the version
  // already exists (another writer won); kIOError otherwise. An error whose
  // message contains "may be committed" means the version file was linked
  // and is visible, so the caller must not remove the files it references.
  // REQUIRES: version >= 0; `actions` non-empty; every file an add names is
  // already fsynced and its directory synced (invariant 1).
  // With `table_id` (the metaData id of the table the writer read), the
  // commit is refused with kConflict when the log at this path now belongs
  // to another table (dropped and re-created since), checked after the
  // temp file is written so that a drop after the check makes the link
  // fail (invariant (12)). kCorruption, nothing linked, when `version` is
  // below a version or checkpoint that already exists (a lost log file:
  // invariant (5)).
  Status Commit(int64_t version, const std::vector<LogAction>& actions,
                const std::string& table_id = {}) const;

  // The metaData id version 0 records (its id never changes: ALTER TABLE
  // keeps it); "" when version 0 no longer exists (log retention). Reads
  // a prefix of the file holding the metaData line.
  Result<std::string> TableIdOfVersionZero() const;

  // Checksum line helpers (exposed for tests and the spec's examples).
  static std::string AppendChecksumLine(std::string content);
  // Verifies and strips the checksum line; kCorruption naming `file_name`.
  static Result<std::string_view> VerifyChecksumLine(std::string_view content,
                                                     std::string_view file_name);

 private:
  // The checks between writing the temp file and linking it (invariants
  // (5) and (12)); REQUIRES: version > 0.
  Status CheckBeforeLink(int64_t version, const std::string& table_id) const;

  Env* env_;
  std::string table_dir_;
  std::string log_dir_;
};

}  // namespace tsl
