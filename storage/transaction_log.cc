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
//       A gap is an error on read and on commit, never an older table or a
//       re-used number: a Table handle lists `_log/` once when it first
//       reads the log (Table::Impl::CheckLogOnce: no gap between the oldest
//       and newest JSON version, the newest checkpoint's JSON present, and
//       a checkpoint replacing any versions below the oldest), and Commit
//       refuses version N when version N+1 or a checkpoint at or above N
//       already exists. [A] tests/storage/log_safety_test.cc.
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
//  (12) A writer commits only into the table it read: Commit compares the
//       writer's table id with version 0's metaData id after the temp file
//       is written and before linking it. A DROP TABLE renames the whole
//       table directory away, so a drop after the check takes the temp
//       file with it and the link fails; a drop and re-create before the
//       check is seen by it. Either way kConflict, never a version of the
//       new table naming the old table's segments. Only version 0 creates
//       `_log/`, and a missing version 0 with no checkpoint is a re-create
//       in progress: both kConflict too, so a writer never starts a log
//       that a re-create of the same name then adopts.
//  (13) A checkpoint is cross-checked against the log where that is cheap:
//       its add count must equal `_last_checkpoint`'s numOfAddFiles when
//       that names it (Checkpoint::ReadInto); a mismatch makes it damaged
//       under (9), so readers prefer the JSON versions. `tslake check`
//       replays the JSON versions a checkpoint summarizes, where they still
//       exist, and compares the live file sets (TableChecker).
//  (14) Log and segment files reached through a symbolic link are refused
//       (lstat before open): the table directory holds only what tslake
//       wrote, and a link could lead out of the database.
//
// State of one commit attempt (function making each transition):
//
//   [actions] --SerializeActions+AppendChecksumLine--> [bytes]
//   [bytes] --WriteFileSync(tmp)--> [tmp durable, invisible]          (2)
//   [tmp durable] --TableIdOfVersionZero() != writer's--> RemoveFile(tmp)
//                 --> kConflict "dropped and re-created"              (12)
//   [tmp durable] --VersionExists(N+1) or checkpoint >= N--> RemoveFile(tmp)
//                 --> kCorruption "lost log file"                     (5)
//   [tmp durable] --LinkFile(tmp, final)--> [visible]                 (4)
//                 \--AlreadyExists--> RemoveFile(tmp) --> kConflict
//                 \--tmp gone (table dropped)--> kConflict           (12)
//   [visible] --RemoveFile(tmp), SyncDir(_log)--> [durable, acked]    (3)
//
// Thread-safety: see transaction_log.h.
#include "storage/transaction_log.h"

#include <algorithm>
#include <cassert>
#include <cstdio>

#include "formats/checksum.h"
#include "storage/checkpoint.h"
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
  if (env_->IsSymlink(path))  // (14)
    return Status::Corruption(path + " is a symbolic link; tslake never creates links in a " +
                              "table's log, so the file is refused");
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

Result<std::string> TransactionLog::TableIdOfVersionZero() const {
  const std::string path = VersionPath(0);
  if (!env_->FileExists(path)) return std::string();  // removed by log retention
  // The metaData is among the first lines (protocol, metaData, then adds
  // of a CREATE TABLE AS): read a prefix rather than a large version 0.
  constexpr size_t kPrefixBytes = 64 << 10;
  ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, env_->NewRandomAccessFile(path));
  const uint64_t size = file->Size();
  std::string prefix;
  RETURN_IF_ERROR(file->Read(0, static_cast<size_t>(std::min<uint64_t>(size, kPrefixBytes)),
                             &prefix));
  for (int attempt = 0; attempt < 2; ++attempt) {
    size_t end = prefix.rfind('\n');
    if (end != std::string::npos) {
      Result<std::vector<LogAction>> actions =
          ParseLogFile(std::string_view(prefix).substr(0, end + 1), path);
      if (actions.ok())
        for (const LogAction& a : *actions)
          if (const auto* m = std::get_if<MetaDataAction>(&a)) return m->id;
    }
    if (prefix.size() == size) break;
    RETURN_IF_ERROR(file->Read(0, static_cast<size_t>(size), &prefix));  // a huge first line
  }
  ASSIGN_OR_RETURN(std::vector<LogAction> actions, ReadVersion(0));
  for (const LogAction& a : actions)
    if (const auto* m = std::get_if<MetaDataAction>(&a)) return m->id;
  return Status::Corruption(path + ": version 0 has no metaData action");
}

Status TransactionLog::Commit(int64_t version, const std::vector<LogAction>& actions,
                              const std::string& table_id) const {
  assert(version >= 0 && "REQUIRES: version >= 0");
  assert(!actions.empty() && "REQUIRES: actions non-empty");
  // Only version 0 creates `_log/`. A later version whose directory is
  // gone belongs to a table dropped under the writer (12): creating the
  // directory here would start a log with no version 0 that a re-create of
  // the same name then adopts.
  if (version == 0) {
    RETURN_IF_ERROR(env_->CreateDirIfMissing(log_dir_));
  } else if (!env_->IsDirectory(log_dir_)) {
    return Status::Conflict("the table in " + table_dir_ +
                            " was dropped while this statement committed; nothing was committed");
  }
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
    // A DROP TABLE may rename the directory away at any moment (12), so a
    // temp file that cannot be read back is not a broken invariant.
    Result<std::string> back = env_->ReadFileToString(tmp);
    assert((!back.ok() || *back == content) && "invariant (2): temp log entry complete");
  }
#endif
  if (version > 0) {
    st = CheckBeforeLink(version, table_id);
    if (!st.ok()) {
      (void)env_->RemoveFile(tmp);
      return st;
    }
  }
  st = env_->LinkFile(tmp, final_path);  // (4) put-if-absent: the commit point
  // A temp file that vanished was renamed away with its table directory by
  // a DROP TABLE after the check (12): nothing was linked.
  const bool tmp_gone = !st.ok() && !st.IsAlreadyExists() && !env_->FileExists(tmp);
  // The temp name is only a staging name; a failure to remove it leaves an
  // orphan that readers ignore (7).
  (void)env_->RemoveFile(tmp);
  if (st.IsAlreadyExists())
    return Status::Conflict("version " + std::to_string(version) + " of " + table_dir_ +
                            " was committed concurrently by another writer");
  if (tmp_gone)
    return Status::Conflict("the table in " + table_dir_ +
                            " was dropped while this statement committed; nothing was committed");
  if (!st.ok()) return st;
  st = env_->SyncDir(log_dir_);  // (3)
  if (!st.ok())
    return st.WithContext("version " + std::to_string(version) +
                          " may be committed but is not known to be durable");
  return Status::OK();
}

Status TransactionLog::CheckBeforeLink(int64_t version, const std::string& table_id) const {
  if (!table_id.empty()) {  // (12)
    ASSIGN_OR_RETURN(std::string now, TableIdOfVersionZero());
    // No version 0 is log retention only where a checkpoint replaces it;
    // otherwise this is a re-created table whose version 0 is not linked
    // yet (or a log emptied under the writer): not the table it read.
    bool replaced = false;
    if (now.empty()) {
      Result<std::vector<int64_t>> checkpoints = Checkpoint::List(env_, log_dir_);
      replaced = Checkpoint::ReadLast(env_, log_dir_).has_value() ||
                 (checkpoints.ok() && !checkpoints->empty());
    }
    if (now.empty() && !replaced)
      return Status::Conflict("the table in " + table_dir_ +
                              " was dropped or re-created since this statement read it (its "
                              "version 0 is gone and no checkpoint replaces it); nothing was "
                              "committed; retry the statement");
    if (!now.empty() && now != table_id)
      return Status::Conflict("the table in " + table_dir_ +
                              " was dropped and re-created since this statement read it "
                              "(table id " + table_id + ", now " + now +
                              "); nothing was committed; retry the statement");
  }
  // (5) Never take a number below one that exists: the writer read version
  // N-1 as the latest, so N+1 (or a checkpoint at N or above) without N
  // means N's file was lost after it was committed. The order of the reads
  // matters: whatever the hint or N+1 shows existed before N was looked
  // at, so a version N committed concurrently is never taken for a gap.
  std::optional<int64_t> checkpoint = Checkpoint::ReadLast(env_, log_dir_);
  const bool next_exists = VersionExists(version + 1);
  if (VersionExists(version)) return Status::OK();  // the link reports the conflict
  if (next_exists || (checkpoint && *checkpoint >= version))
    return Status::Corruption(
        table_dir_ + ": version " + std::to_string(version) + " is missing from the log but " +
        (next_exists ? "version " + std::to_string(version + 1)
                     : "checkpoint " + std::to_string(*checkpoint)) +
        " exists (a lost log file); refusing to commit over the gap. Restore the file from a "
        "backup; tslake check lists the damage");
  return Status::OK();
}

}  // namespace tsl
