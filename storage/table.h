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
#include "formats/range_decode.h"
#include "formats/segment_writer.h"
#include "storage/env.h"
#include "storage/snapshot.h"

namespace tsl {

class Catalog;

// A conjunct the scan may use to skip segments: column `column` lies in
// [lo, hi] (either bound NULL = open). Pruning is conservative; the
// executor still applies the full predicate.
struct ScanRange {
  // A constructor (not aggregate init) so `ScanRange{column, lo, hi}` needs
  // no one_of.
  ScanRange(int c = -1, Value l = Value(), Value h = Value(),
            std::shared_ptr<const std::vector<std::string>> set = nullptr)
      : column(c), lo(std::move(l)), hi(std::move(h)), one_of(std::move(set)) {}
  int column = -1;
  Value lo;
  Value hi;
  // VARCHAR only, when set: the value is also one of these strings (sorted,
  // distinct; lo and hi are the first and last). A hash join's build keys
  // pushed into the probe side's scan: segments holding none of them are
  // skipped (zone maps, the catalog's tag index) and rows with another
  // dictionary code are dropped before any other column is decoded.
  std::shared_ptr<const std::vector<std::string>> one_of;
};

struct ScanOptions {
  std::vector<int> columns;        // projection, schema indexes, in output order
  std::vector<ScanRange> ranges;   // AND of ranges, for zone-map pruning
  // Also drop the rows of a read file that lie outside a range (NULLs too),
  // before they are turned into output: a `tag = 'x'` over a segment of many
  // tags then costs a code lookup per row instead of a string. Only for a
  // caller whose own filter implies every range and still runs (a SELECT's
  // WHERE); ranges on DOUBLE columns are left to that filter (NaN order).
  bool drop_rows_outside_ranges = false;
  // When non-empty, scan only these live files (add.path), in this order:
  // DELETE reads one file at a time to rewrite it.
  std::vector<std::string> only_files = {};
  // Append a BIGINT column after the projected ones: the row's id, (index of
  // its file in snapshot->files()) << 32 | its row in that file. A top-N
  // keeps the ids of its candidate rows and fetches their other columns
  // afterwards (query/execution/physical_late_top_n.h).
  bool emit_row_ids = false;
  // With exactly one only_files entry: read only these rows of it (sorted,
  // within the file); the ranges still apply to them.
  std::vector<RowRange> only_rows = {};
  // Asked before each file that survives the ranges is opened; true skips
  // it (counted in segments_skipped). A top-N's bound, which tightens as the
  // scan goes. Called on the scan's thread; must be thread-safe when the
  // same object is shared by several scans.
  std::shared_ptr<const std::function<bool(const AddAction&)>> skip_file = nullptr;
  // A top-N's prefilter (ORDER BY <column> ... LIMIT keep, nothing between
  // the scan and the top-N dropping rows): of each file, only the rows that
  // tie or beat the file's own keep-th best value of schema column `column`
  // are produced (no other row can be among the file's best `keep`, so none
  // is among the query's). That column is decoded first and the others only
  // for those rows. INTEGER-class and DOUBLE columns (NaN greatest); ignored
  // for others, and when keep is 0.
  struct TopKey {
    int column = -1;
    bool descending = false;
    bool nulls_first = false;
    size_t keep = 0;
  };
  std::optional<TopKey> top_key = std::nullopt;
};

// What a scan did, for EXPLAIN ANALYZE. Counters add up across scans that
// share one ScanMetrics.
struct ScanMetrics {
  int64_t segments_total = 0;    // live files of the snapshot
  int64_t segments_scanned = 0;
  int64_t segments_skipped = 0;  // pruned by partition, catalog or zone maps
  int64_t bytes_total = 0;       // sum of add.size over the live files
  int64_t bytes_read = 0;        // bytes actually read from segment files
  int64_t rows_produced = 0;
  int64_t rows_dropped = 0;      // read but outside a range (drop_rows_outside_ranges)
  // Of rows_dropped, those some projected column never decoded: the scan
  // found the row ranges a tag/time range can match first (TableScan).
  int64_t rows_skipped_in_segment = 0;
  bool used_catalog = false;     // candidate files came from the catalog index
};

// What a commit reports back.
struct CommitResult {
  int64_t version = -1;
  int64_t rows_added = 0;
  int64_t files_added = 0;
  int64_t files_removed = 0;
};

// Table::Optimize's options.
struct OptimizeOptions {
  // Only files that may match these (zone maps, as a scan prunes) pick
  // their partitions; empty: every partition.
  std::vector<ScanRange> ranges;
  // A partition is compacted once it holds at least this many files under
  // the target size (background maintenance's small-file threshold).
  int64_t min_small_files = 2;
  // Added to the commit's operationParameters ({"automatic": "true"}).
  std::map<std::string, std::string> parameters;
  // Test hook: runs after the compacted rows are written, before the
  // commit (a concurrent writer can commit in between).
  std::function<void()> TEST_before_commit;
};

// VACUUM's settings and answer.
struct VacuumOptions {
  std::optional<double> retain_hours;  // default 168 (7 days)
  bool dry_run = false;
  bool force = false;  // allow retain_hours < 168
  // Applies the retention property first (ApplyRetention with its
  // defaults); off when the caller applied it its own way.
  bool apply_retention = true;
  // When files were deleted, records it as a version of its own (Delta's
  // "VACUUM END": no file actions, metrics numDeletedFiles and
  // sizeOfDeletedFiles, plus `parameters`) so DESCRIBE HISTORY shows it.
  bool record_in_history = false;
  std::map<std::string, std::string> parameters;
};
// Table::ApplyRetention's options.
struct RetentionOptions {
  // The time column, instead of the default (the partition column's
  // source, else the sort key's first TIMESTAMP, else the first one).
  std::optional<std::string> column;
  // Rewrites files that straddle the cutoff without their expired rows.
  bool rewrite_straddling = false;
  // Added to the DELETE commit's operationParameters.
  std::map<std::string, std::string> parameters;
};
// The txn app id under which retention records its horizon (micros).
constexpr char kRetentionHorizonApp[] = "tslake.retention";
struct VacuumResult {
  std::vector<std::string> files;  // paths relative to the table directory
  int64_t bytes = 0;
  bool dry_run = false;
  int64_t oldest_retained_version = 0;
};

class TableWriter;
class Transaction;
struct TableProperties;

class Table : public std::enable_shared_from_this<Table> {
 public:
  // Creates the directory and commits version 0 (protocol, metaData,
  // commitInfo "CREATE TABLE"). kAlreadyExists when `_log/` already has a
  // version 0.
  static Result<std::shared_ptr<Table>> Create(Env* env, Catalog* catalog, const std::string& dir,
                                               const std::string& name, const Schema& schema,
                                               std::map<std::string, std::string> properties);
  // As Create, but version 0 is not committed yet: the table's first
  // commit (a CREATE TABLE AS SELECT's writer) carries protocol and
  // metaData with its adds, as Delta's CTAS is one commit. Until then the
  // table has no version (other handles do not see it); GetSnapshot()
  // returns the pending state (version -1).
  static Result<std::shared_ptr<Table>> CreatePending(
      Env* env, Catalog* catalog, const std::string& dir, const std::string& name,
      const Schema& schema, std::map<std::string, std::string> properties);
  // Opens an existing table; kNotFound when `dir/_log` has no version.
  static Result<std::shared_ptr<Table>> Open(Env* env, Catalog* catalog, const std::string& dir,
                                             const std::string& name);
  ~Table();

  const std::string& name() const;
  const std::string& dir() const;
  // The database's catalog (nullable): the planner's latest-per-tag rule
  // reads its tag index.
  Catalog* catalog() const;
  Env* env() const;

  // Highest committed version, read from the log (not cached).
  Result<int64_t> LatestVersion() const;
  // True when another handle or process dropped this table since its
  // latest snapshot was cached (the log is gone or version 0 names another
  // table id). Costs two stats when nothing moved; the database then
  // reopens the name instead of serving a handle that can only conflict.
  bool DroppedOnDisk() const;
  // The snapshot at `version`, or the latest when nullopt. kNotFound for a
  // version that does not exist ("table m has versions 0 to 2").
  Result<std::shared_ptr<const Snapshot>> GetSnapshot(std::optional<int64_t> version = {}) const;
  // The latest version whose commit timestamp is <= `micros`. kNotFound
  // when `micros` precedes version 0.
  Result<std::shared_ptr<const Snapshot>> GetSnapshotAsOf(int64_t micros) const;
  // The commitInfo of every version still in the log (log retention
  // removes old ones), newest first; only the newest `limit` when set
  // (DESCRIBE HISTORY t LIMIT n reads just those files).
  Result<std::vector<std::pair<int64_t, CommitInfoAction>>> History(
      std::optional<int64_t> limit = std::nullopt) const;

  // A writer whose commit will be a blind append on top of the latest version.
  // `options` are the database's defaults; the table's "compression"
  // property overrides them.
  std::unique_ptr<TableWriter> NewWriter(SegmentWriteOptions options = {});
  // A transaction reading `read_version` (the latest when nullopt); see
  // transaction.h for what it can do and its conflict rules.
  Result<std::unique_ptr<Transaction>> NewTransaction(std::optional<int64_t> read_version = {});
  // The typed properties of `snapshot` (the latest when null).
  Result<TableProperties> Properties(const Snapshot* snapshot = nullptr) const;

  // ---- Maintenance (table_maintenance.cc). Each is one commit, or none
  // (version -1 in the result) when there is nothing to do.

  // Compacts the live files of each partition that has more than one file
  // (or files under half the target size) into segments of the target
  // size, re-sorted by the sort key; dataChange=false, so it never
  // conflicts with appends. Only partitions with a file that may match
  // `ranges` (zone maps, as a scan prunes) are touched. Operation
  // "OPTIMIZE"; kConflict when a concurrent DELETE/OPTIMIZE removed one of
  // its files first.
  Result<CommitResult> Optimize(const std::vector<ScanRange>& ranges = {});
  Result<CommitResult> Optimize(const OptimizeOptions& options);
  // Deletes files that no version inside the retention window needs (the
  // window's oldest version, every later one, and the latest), plus
  // orphans (in no retained version, modified before the window) in the
  // table directory and its partition directories. Applies the retention
  // property first. kInvalidArgument when retain_hours < 168 and !force.
  // With dry_run, lists what it would delete and deletes nothing.
  Result<VacuumResult> Vacuum(VacuumOptions options = {});
  // A new commit making the live files those of `version` (history kept).
  // kNotFound for an unknown version or one whose files were vacuumed.
  Result<CommitResult> RestoreToVersion(int64_t version);
  Result<CommitResult> RestoreToTimestamp(int64_t micros);
  // Removes every live file whose rows are all older than the cutoff
  // now - retention (whole partitions and segments), and with
  // options.rewrite_straddling also the older rows of files that straddle
  // the cutoff (the file is rewritten with its other rows). Operation
  // "DELETE" with parameter predicate = "retention: <column> < '<cutoff>'".
  // The commit records the cutoff as the txn action (kRetentionHorizonApp,
  // cutoff micros) when it is later than the one recorded: the horizon
  // below which rows may be gone, which materialized views read so that
  // they keep the buckets retention removed from their source (issue 21).
  // No-op without the property. Run after each TableWriter commit and by
  // Vacuum (unless switched off there).
  Result<CommitResult> ApplyRetention(const RetentionOptions& options = {});

  // ---- Schema and property changes (ALTER TABLE). One metaData commit
  // each; they conflict with every concurrent commit.

  // kInvalidArgument when the name is taken or the type cannot be stored.
  // Old segments read the new column as NULL.
  Result<CommitResult> AddColumn(const Field& field);
  // Renames by metadata only: the column keeps its physical name, so old
  // segments (whose footers hold that name) and stats still map.
  // kNotFound for an unknown column, kInvalidArgument for a taken name.
  Result<CommitResult> RenameColumn(const std::string& from, const std::string& to);
  // Records a rename of the whole table (Database::RenameTable, after the
  // directory moved) as a metaData commit: metaData.name becomes `to`,
  // operation RENAME TABLE with oldName/newName.
  Result<CommitResult> RecordRename(const std::string& from, const std::string& to);
  // Sets (value) or removes (nullopt) properties; validated with
  // TableProperties::Parse before anything is written. Changing
  // partition_by applies to new data only.
  Result<CommitResult> SetProperties(
      const std::map<std::string, std::optional<std::string>>& changes);

  // A scan of `snapshot` yielding DataChunks of the projected columns.
  Result<std::unique_ptr<ChunkSource>> NewScan(std::shared_ptr<const Snapshot> snapshot,
                                               ScanOptions options,
                                               ScanMetrics* metrics = nullptr) const;

  // Commits `actions` as version read_version + 1 (plus a commitInfo built
  // from `info`), retrying on top of winners per Transaction's conflict
  // rules; kConflict naming the winner's operation and version otherwise.
  // Updates the catalog after the log commit, then writes a checkpoint when
  // the version is a multiple of checkpoint_interval (and cleans the log
  // per log_retention). Prefer Transaction, which builds the actions.
  Result<CommitResult> CommitActions(int64_t read_version, std::vector<LogAction> actions,
                                     CommitInfoAction info);
  // Writes the checkpoint of `version` now (normally automatic).
  Status WriteCheckpoint(int64_t version);

 private:
  struct Impl;
  explicit Table(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A blind append: a Transaction that only adds rows. Buffers appended
// chunks, writes them as segment files (partitioned and sorted per the
// table's properties; fsynced before the log entry), and commits one version.
class TableWriter {
 public:
  TableWriter(std::shared_ptr<Table> table, SegmentWriteOptions options);
  ~TableWriter();

  // REQUIRES: chunk types equal the table schema's, in order.
  Status Append(const DataChunk& chunk);
  // As above, but may take the chunk's arrays instead of copying them.
  Status Append(DataChunk&& chunk);
  int64_t pending_rows() const;
  // Makes the commit carry Delta's txn action (app_id, version): see
  // Transaction::SetTxn (kInvalidArgument when not newer than committed).
  Status SetTxn(std::string app_id, int64_t version);
  // The transaction the commit will be (opened if needed), for changes
  // beyond appends in the same commit (duplicate_policy keep_last removes
  // files). Errors: the transaction could not be opened.
  Result<Transaction*> transaction();

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
