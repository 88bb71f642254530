// TransactionLog: how a version becomes durable (format in formats/log.md).
//
// Commit invariants. Each is asserted where marked [A] or enforced by the
// code path named.
//   (1) Every segment file an `add` names is fully written, fsynced, and its
//       table directory fsynced before the log entry naming it is linked.
//       [A] TableWriter::Commit checks its segments are synced; in debug
//       builds Table::CommitActions checks each added file exists.
//   (2) A log entry is complete and fsynced under a private temp name
//       (`_log/.tmp-<uuid>.json`) before it becomes visible under its final
//       name. [A] debug builds re-read the temp file and compare.
//   (3) A version is acknowledged (Commit returns OK) only after the `_log`
//       directory is fsynced, so the new name survives a crash.
//   (4) A version file is never overwritten or modified: the only way to
//       create one is LinkFile, which is put-if-absent (EEXIST ->
//       kConflict). Nothing here opens a version file for writing, renames
//       onto one, or truncates one.
//   (5) Versions are contiguous: version N is committed only by a writer
//       that read version N-1, so a gap means a lost file (kCorruption).
//   (6) Every version file ends with a checksum line over all bytes before
//       it; a torn, truncated or bit-flipped file is kCorruption, never data.
//   (7) Readers ignore temp files: a crash at any point leaves either no new
//       version or a complete one, plus at most an orphan temp file.
// Checkpoints (storage/checkpoint.cc) and log retention (Table, table.cc):
//   (8) A checkpoint is only a copy of state the JSON versions already hold
//       durably: it is written after its version is acknowledged, and JSON
//       versions below it are deleted by log retention only after that
//       checkpoint has been read back and verified, oldest first, so a
//       crash mid-cleanup leaves a contiguous suffix of versions.
//       [A] CleanupLog calls Checkpoint::Read before any RemoveFile.
//   (9) A checkpoint is visible under its final name only complete: written
//       and fsynced under `_log/.tmp-<uuid>.checkpoint`, renamed, then
//       `_log/` fsynced. Readers verify its checksum line, header version
//       and file count; a damaged one is kCorruption and the reader falls
//       back to an older checkpoint or to JSON replay, never trusting it.
//       [A] Checkpoint::Read; tests/storage/checkpoint_test.cc.
//  (10) `_last_checkpoint` is a hint: it only moves forward, is replaced by
//       rename, and readers use it only as "try this checkpoint first".
//  (11) A segment file is deleted only by VACUUM, and only when no version
//       in the retention window lists it and it was last modified before
//       the window (table_maintenance.cc).
//
// State of one commit attempt (function making each transition):
//
//   [actions] --SerializeActions+AppendChecksumLine--> [bytes]
//   [bytes] --WriteFileSync(tmp)--> [tmp durable, invisible]          (2)
//   [tmp durable] --LinkFile(tmp, final)--> [visible]                 (4)
//                 \--AlreadyExists--> RemoveFile(tmp) --> kConflict
//   [visible] --RemoveFile(tmp), SyncDir(_log)--> [durable, acked]    (3)
//
// Thread-safety: see transaction_log.h.
#include "storage/transaction_log.h"

#include <algorithm>
#include <cassert>
#include <cstdio>

#include "formats/checksum.h"
#include "storage/unique_id.h"

namespace tsl {
namespace {

constexpr size_t kVersionDigits = 20;
constexpr std::string_view kVersionSuffix = ".json";
constexpr std::string_view kChecksumPrefix = "{\"checksum\":{\"crc32c\":\"";

std::string ChecksumLine(std::string_view content) {
  char buf[80];
  std::snprintf(buf, sizeof(buf), "{\"checksum\":{\"crc32c\":\"%08x\",\"bytes\":%zu}}\n",
                Crc32c(content), content.size());
  return buf;
}

}  // namespace

TransactionLog::TransactionLog(Env* env, std::string table_dir)
    : env_(env), table_dir_(std::move(table_dir)), log_dir_(JoinPath(table_dir_, "_log")) {}

std::string TransactionLog::VersionFileName(int64_t version) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%020lld.json", static_cast<long long>(version));
  return buf;
}

std::string TransactionLog::VersionPath(int64_t version) const {
  return JoinPath(log_dir_, VersionFileName(version));
}

int64_t TransactionLog::ParseVersionFileName(std::string_view name) {
  if (name.size() != kVersionDigits + kVersionSuffix.size()) return -1;
  if (name.substr(kVersionDigits) != kVersionSuffix) return -1;
  int64_t v = 0;
  for (size_t i = 0; i < kVersionDigits; ++i) {
    char c = name[i];
    if (c < '0' || c > '9') return -1;
    if (v > (INT64_MAX - (c - '0')) / 10) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

Result<std::vector<int64_t>> TransactionLog::ListVersions() const {
  std::vector<int64_t> versions;
  if (!env_->IsDirectory(log_dir_)) return versions;
  ASSIGN_OR_RETURN(std::vector<std::string> names, env_->GetChildren(log_dir_));
  for (const std::string& n : names) {
    int64_t v = ParseVersionFileName(n);
    if (v >= 0) versions.push_back(v);  // (7) temp and unknown files ignored
  }
  std::sort(versions.begin(), versions.end());
  for (size_t i = 1; i < versions.size(); ++i) {
    if (versions[i] != versions[i - 1] + 1)  // (5)
      return Status::Corruption(log_dir_ + ": version " + std::to_string(versions[i - 1] + 1) +
                                " is missing (found " + std::to_string(versions[i - 1]) +
                                " and " + std::to_string(versions[i]) + ")");
  }
  return versions;
}

Result<int64_t> TransactionLog::LatestVersion() const {
  ASSIGN_OR_RETURN(std::vector<int64_t> versions, ListVersions());
  return versions.empty() ? int64_t{-1} : versions.back();
}

bool TransactionLog::VersionExists(int64_t version) const {
  return env_->FileExists(VersionPath(version));
}

Result<std::vector<LogAction>> TransactionLog::ReadVersion(int64_t version) const {
  std::string path = VersionPath(version);
  if (!env_->FileExists(path))
    return Status::NotFound("version " + std::to_string(version) + " does not exist (" + path +
                            ")");
  ASSIGN_OR_RETURN(std::string content, env_->ReadFileToString(path));
  ASSIGN_OR_RETURN(std::string_view body, VerifyChecksumLine(content, path));
  return ParseLogFile(body, path);
}

std::string TransactionLog::AppendChecksumLine(std::string content) {
  content += ChecksumLine(content);
  return content;
}

Result<std::string_view> TransactionLog::VerifyChecksumLine(std::string_view content,
                                                            std::string_view file_name) {
  std::string where(file_name);
  if (content.empty()) return Status::Corruption(where + ": empty log file");
  if (content.back() != '\n')
    return Status::Corruption(where + ": last line is incomplete (file truncated?)");
  size_t start = content.rfind('\n', content.size() - 2);
  start = start == std::string_view::npos ? 0 : start + 1;
  std::string_view body = content.substr(0, start);
  std::string_view last = content.substr(start);
  size_t line_no = static_cast<size_t>(std::count(body.begin(), body.end(), '\n')) + 1;
  if (last.substr(0, kChecksumPrefix.size()) != kChecksumPrefix)
    return Status::Corruption(where + " line " + std::to_string(line_no) +
                              ": expected the checksum line (file truncated?)");
  if (last != ChecksumLine(body))
    return Status::Corruption(where + " line " + std::to_string(line_no) +
                              ": checksum mismatch, the log file is damaged");
  return body;
}

Status TransactionLog::Commit(int64_t version, const std::vector<LogAction>& actions) const {
  assert(version >= 0 && "REQUIRES: version >= 0");
  assert(!actions.empty() && "REQUIRES: actions non-empty");
  RETURN_IF_ERROR(env_->CreateDirIfMissing(log_dir_));
  std::string content = AppendChecksumLine(SerializeActions(actions));  // (6)
  std::string tmp = JoinPath(log_dir_, ".tmp-" + NewUniqueId() + ".json");
  std::string final_path = VersionPath(version);

  Status st = WriteFileSync(env_, tmp, content);  // (2)
  if (!st.ok()) {
    (void)env_->RemoveFile(tmp);
    return st;
  }
#ifndef NDEBUG
  {
    Result<std::string> back = env_->ReadFileToString(tmp);
    assert(back.ok() && *back == content && "invariant (2): temp log entry complete");
  }
#endif
  st = env_->LinkFile(tmp, final_path);  // (4) put-if-absent: the commit point
  // The temp name is only a staging name; a failure to remove it leaves an
  // orphan that readers ignore (7).
  (void)env_->RemoveFile(tmp);
  if (st.IsAlreadyExists())
    return Status::Conflict("version " + std::to_string(version) + " of " + table_dir_ +
                            " was committed concurrently by another writer");
  if (!st.ok()) return st;
  st = env_->SyncDir(log_dir_);  // (3)
  if (!st.ok())
    return st.WithContext("version " + std::to_string(version) +
                          " may be committed but is not known to be durable");
  return Status::OK();
}

}  // namespace tsl
