// Table: one Delta-style table in `<db>/<name>/`: segment files plus the
// transaction log in `_log/`. Opens snapshots (time travel), starts writers
// and scans. Thread-safety: a Table may be shared by threads; writers and
// scans are single-threaded objects. Commits from several threads or
// processes are serialized by the log's put-if-absent commit.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "formats/log_action.h"
#include "formats/segment_writer.h"
#include "storage/env.h"
#include "storage/snapshot.h"

namespace tsl {

class Catalog;

// A conjunct the scan may use to skip segments: column `column` lies in
// [lo, hi] (either bound NULL = open). Pruning is conservative; the
// executor still applies the full predicate.
struct ScanRange {
  int column = -1;
  Value lo;
  Value hi;
};

struct ScanOptions {
  std::vector<int> columns;        // projection, schema indexes, in output order
  std::vector<ScanRange> ranges;   // AND of ranges, for zone-map pruning
};

struct ScanMetrics {
  int64_t segments_total = 0;
  int64_t segments_scanned = 0;
  int64_t segments_skipped = 0;
  int64_t bytes_read = 0;
  int64_t rows_produced = 0;
};

// What a commit reports back.
struct CommitResult {
  int64_t version = -1;
  int64_t rows_added = 0;
  int64_t files_added = 0;
};

class TableWriter;

class Table : public std::enable_shared_from_this<Table> {
 public:
  // Creates the directory and commits version 0 (protocol, metaData,
  // commitInfo "CREATE TABLE"). kAlreadyExists when `_log/` already has a
  // version 0.
  static Result<std::shared_ptr<Table>> Create(Env* env, Catalog* catalog, const std::string& dir,
                                               const std::string& name, const Schema& schema,
                                               std::map<std::string, std::string> properties);
  // Opens an existing table; kNotFound when `dir/_log` has no version.
  static Result<std::shared_ptr<Table>> Open(Env* env, Catalog* catalog, const std::string& dir,
                                             const std::string& name);
  ~Table();

  const std::string& name() const;
  const std::string& dir() const;
  Env* env() const;

  // Highest committed version, read from the log (not cached).
  Result<int64_t> LatestVersion() const;
  // The snapshot at `version`, or the latest when nullopt. kNotFound for a
  // version that does not exist ("table m has versions 0 to 2").
  Result<std::shared_ptr<const Snapshot>> GetSnapshot(std::optional<int64_t> version = {}) const;
  // The latest version whose commit timestamp is <= `micros`. kNotFound
  // when `micros` precedes version 0.
  Result<std::shared_ptr<const Snapshot>> GetSnapshotAsOf(int64_t micros) const;
  // All versions' commitInfo, newest first (DESCRIBE HISTORY).
  Result<std::vector<std::pair<int64_t, CommitInfoAction>>> History() const;

  // A writer whose commit will be a blind append on top of the latest version.
  std::unique_ptr<TableWriter> NewWriter(SegmentWriteOptions options = {});

  // A scan of `snapshot` yielding DataChunks of the projected columns.
  Result<std::unique_ptr<ChunkSource>> NewScan(std::shared_ptr<const Snapshot> snapshot,
                                               ScanOptions options,
                                               ScanMetrics* metrics = nullptr) const;

  // Commits `actions` as version read_version + 1 (plus a commitInfo built
  // from `info`). Retries on a newer version when every winning commit is a
  // blind append and `info.is_blind_append`; otherwise kConflict naming the
  // winner's operation. Updates the catalog after the log commit.
  Result<CommitResult> CommitActions(int64_t read_version, std::vector<LogAction> actions,
                                     CommitInfoAction info);

 private:
  struct Impl;
  explicit Table(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Buffers appended chunks, writes them as segment files on Commit (segment
// data fsynced before the log entry), and commits one version.
class TableWriter {
 public:
  TableWriter(std::shared_ptr<Table> table, SegmentWriteOptions options);
  ~TableWriter();

  // REQUIRES: chunk types equal the table schema's, in order.
  Status Append(const DataChunk& chunk);
  int64_t pending_rows() const;

  // Writes the segments and commits them as one new version with
  // commitInfo.operation = `operation`. With zero pending rows it still
  // commits (an empty WRITE), so every statement is one version.
  Result<CommitResult> Commit(std::string operation,
                              std::map<std::string, std::string> parameters = {});
  // Drops pending rows and removes any segment files already written.
  void Abort();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tsl
