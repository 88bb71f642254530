// Catalog: the SQLite index of a database's tables and live segments
// (`<db>/catalog.sqlite`, schema in formats/catalog.md). It is only an
// index: the table logs are the truth and the catalog can always be rebuilt
// from them (Database::RebuildCatalog). Table updates it after each log
// commit; a failure to do so is not a commit failure, the table is marked
// stale and reconciled on the next Database::Open.
// Thread-safety: all methods are safe to call concurrently (one connection
// behind a mutex); several processes may share the file (busy_timeout,
// BEGIN IMMEDIATE transactions).
// The tag index (table `tags` and the packed `segments.tag_ranges`)
// records each tag's id, units, description, first/last ts and point
// count, and per segment each tag's ts range and rows; commits bring the figures from the writer
// (AddAction::tag_ranges), re-syncs read the files lacking them
// (storage/tag_index.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "formats/mutex.h"
#include "formats/log_action.h"
#include "storage/snapshot.h"

struct sqlite3;

namespace tsl {

class Catalog {
 public:
  // The catalog schema version this build writes (meta.schema_version).
  static constexpr int kSchemaVersion = 4;

  struct TableEntry {
    std::string name;
    std::string id;
    std::string dir;  // relative to the database directory
    std::string schema_json;
    std::string properties_json;
    int64_t latest_version = -1;
    bool stale = false;
  };

  struct SegmentEntry {
    std::string table_name;
    std::string path;
    int64_t rows = 0;
    int64_t bytes = 0;
    std::optional<int64_t> min_ts;  // first TIMESTAMP column, micros
    std::optional<int64_t> max_ts;
    std::string partition;               // "ts_day=2024-01-01", empty when unpartitioned
    std::optional<std::string> min_tag;  // the sort key's tag column, if any
    std::optional<std::string> max_tag;
    std::string stats_json;
    bool tags_indexed = false;  // its per-tag figures (tag_ranges) are present
    bool operator==(const SegmentEntry&) const = default;
  };

  // One row of `tags`: a tag of one table. The id is assigned when the
  // tag first appears and kept for the table's life (rebuilds included).
  struct TagEntry {
    int64_t id = 0;
    std::string name;
    std::optional<std::string> units;          // latest non-NULL `units` value
    std::optional<std::string> description;    // set with tslake_set_tag_description
    std::optional<int64_t> first_ts, last_ts;  // micros over live rows; NULL when none
    int64_t point_count = 0;                   // live rows (0 once all are gone)
    bool operator==(const TagEntry&) const = default;
  };

  // A tag's rows in one live segment (an entry of segments.tag_ranges).
  struct SegmentTagEntry {
    std::string path;
    std::optional<std::string> tag;  // NULL: the rows whose tag is NULL
    std::optional<int64_t> min_ts, max_ts;
    int64_t rows = 0;
    std::optional<std::string> units;
    std::optional<int64_t> units_ts;
    bool operator==(const SegmentTagEntry&) const = default;
  };

  // Tag ranges read from segment files, by add.path (SyncTable).
  using TagRangesByPath = std::map<std::string, std::vector<SegmentTagRange>>;

  // The segments a latest-per-tag query must read: for every tag (the NULL
  // tag too) one segment holding its greatest ts.
  struct LatestSegments {
    std::vector<std::string> paths;  // distinct, sorted
    int64_t tags = 0;                // tag groups (NULL included)
  };

  // Opens (creating unless read_only) the catalog at `path`, or an
  // in-memory one for ":memory:". A read-only catalog refuses every change
  // with kInvalidArgument "database opened read-only". kNotSupported when
  // the file's schema version is newer than kSchemaVersion, or older and
  // the catalog is opened read-only (a writable open upgrades it: see
  // formats/catalog.md). kCorruption when the file is damaged: SQLite
  // reports SQLITE_CORRUPT or SQLITE_NOTADB, `PRAGMA quick_check` fails
  // (run on open for files up to 8 MB), meta.schema_version is missing,
  // or a table or column of the schema is (Database::Open then moves the
  // file aside and rebuilds, or reads the logs into a private catalog).
  // Any statement that later meets damage also returns kCorruption.
  static Result<std::unique_ptr<Catalog>> Open(const std::string& path, bool read_only);
  // Renames a damaged catalog file, and its -journal, -wal and -shm when
  // present, to `path`.damaged-<UTC time>[-n] (kept for inspection); returns
  // the new name. REQUIRES: no connection of this process has it open.
  static Result<std::string> MoveAside(const std::string& path);
  // Closes the connection, moves the damaged file aside (MoveAside) and
  // opens a new, empty catalog at the same path (a private in-memory one
  // if that fails); returns where the old file went. The Catalog object
  // stays valid (Tables keep pointers to it). kInvalidArgument when
  // read-only or in memory.
  Result<std::string> ReplaceDamaged();
  // kCorruption when `PRAGMA quick_check` or the schema check fails.
  Status Verify() const;
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  bool read_only() const { return read_only_; }
  // From now on refuse every change (a read-only database's private
  // in-memory catalog, after it was filled from the logs).
  void SetReadOnly() { read_only_ = true; }
  const std::string& path() const { return path_; }

  Result<std::vector<TableEntry>> ListTables() const;
  // nullopt when the catalog has no row for `name` (case-insensitive).
  Result<std::optional<TableEntry>> GetTable(const std::string& name) const;
  // Live segments of `table_name` ordered by path.
  Result<std::vector<SegmentEntry>> ListSegments(const std::string& table_name) const;
  // Segments whose [min_ts, max_ts] overlaps [lo, hi] (micros, inclusive),
  // plus those without a time range. Uses the (table_name, min_ts, max_ts)
  // index.
  Result<std::vector<SegmentEntry>> FindSegments(const std::string& table_name, int64_t lo,
                                                 int64_t hi) const;
  // Candidate segments for a time range and/or a tag set, with one indexed
  // query: a segment qualifies unless its stats prove it has no row with
  // ts in [ts_lo, ts_hi] and (when `tags` is non-empty) a tag in `tags`.
  // Segments without a time or tag range always qualify.
  struct SegmentQuery {
    std::optional<int64_t> ts_lo;  // micros, inclusive
    std::optional<int64_t> ts_hi;
    std::vector<std::string> tags;
  };
  Result<std::vector<SegmentEntry>> FindSegments(const std::string& table_name,
                                                 const SegmentQuery& query) const;
  // The version the catalog reflects for `table_name` (-1 when it has no
  // row or the row is stale): NewScan uses the index only when it equals
  // the snapshot's version. With `table_id`, a row of another table of the
  // same name (dropped and re-created by another process) also gives -1.
  Result<int64_t> CurrentVersion(const std::string& table_name,
                                 const std::string& table_id = "") const;
  // The schema columns the segments table indexes: the first TIMESTAMP
  // column (min_ts/max_ts) and the first VARCHAR column (min_tag/max_tag),
  // of the physical schema; -1 when there is none.
  static int IndexedTimeColumn(const Schema& schema);
  static int IndexedTagColumn(const Schema& schema);

  // Applies one committed version in one SQLite transaction: metaData
  // upserts the table row, adds insert segments, removes delete them, and
  // latest_version becomes `version`. Returns false, changing nothing, when
  // the catalog is not at version-1 for this table (another thread or
  // process is ahead or behind): the caller then calls SyncTable.
  // Returns true (no-op) when the catalog already has `version`.
  // `schema` is the table's schema before this version (a metaData action
  // in `actions` overrides it); its first TIMESTAMP column gives min_ts/max_ts.
  // With `table_id`, a row of another table id (the name was dropped and
  // re-created meanwhile) is left alone and true is returned: that row
  // belongs to the new table.
  Result<bool> ApplyCommit(const std::string& table_name, const std::string& dir,
                           const Schema& schema, int64_t version,
                           const std::vector<LogAction>& actions,
                           const std::string& table_id = "");
  // Adds carrying tag_ranges get their packed figures (others are recorded
  // as not indexed) and the touched tags' figures are recomputed.
  // Replaces the table row and all its segments with `snapshot`'s state,
  // unless the catalog already records a newer version. Clears `stale`.
  // Segments already indexed keep their packed figures; the others are
  // indexed from their add's tag_ranges or from `ranges` when there.
  // With `only_same_table`, nothing changes unless a row of the snapshot's
  // table id exists (a committer catching up never creates the row of a
  // table dropped under it, nor overwrites the re-created one's).
  Status SyncTable(const std::string& table_name, const std::string& dir, const Snapshot& snapshot,
                   const TagRangesByPath* ranges = nullptr, bool only_same_table = false);
  // Tags of `table_name` ordered by name.
  Result<std::vector<TagEntry>> ListTags(const std::string& table_name) const;
  // Its segments' per-tag figures, unpacked, ordered by path, then tag
  // name (NULL first).
  Result<std::vector<SegmentTagEntry>> ListSegmentTags(const std::string& table_name) const;
  // Paths of the live segments whose tag ranges are indexed.
  Result<std::set<std::string>> IndexedSegmentPaths(const std::string& table_name) const;
  // The segments holding each tag's greatest ts, read in one SQLite read
  // transaction; nullopt when the index cannot answer for `version`: the
  // table row is missing, stale or at another version, or some live
  // segment is not indexed. With `lo`/`hi` (micros, inclusive): each
  // tag's greatest ts inside [lo, hi], over the segments that may hold it
  // (tags without rows in the range are left out).
  Result<std::optional<LatestSegments>> LatestTagSegments(
      const std::string& table_name, int64_t version, std::optional<int64_t> lo = std::nullopt,
      std::optional<int64_t> hi = std::nullopt) const;
  // Sets (or with nullopt clears) a tag's description; kNotFound when the
  // table has no such tag.
  Status SetTagDescription(const std::string& table_name, const std::string& tag,
                           const std::optional<std::string>& description);

  // Records that the table's rows may lag its log (reconciled on open).
  Status MarkStale(const std::string& table_name);
  // Deletes the table row, its segments and its tags.
  Status DropTable(const std::string& table_name);
  // Test hooks: while on, every SQL text a catalog prepares is recorded
  // (process-wide), so tests/storage/catalog_plan_test.cc can check that
  // an index serves each one.
  static void TEST_RecordStatements(bool on);
  static std::set<std::string> TEST_RecordedStatements();

  // Deletes every table and segment row (before a rebuild);
  // `tags` rows stay so ids survive the rebuild, their figures are reset.
  Status Clear();

 private:
  Catalog(sqlite3* db, std::string path, bool read_only);
  Status RefuseIfReadOnly() const;
  Status Error(const std::string& what) const REQUIRES(mu_);

  mutable tsl::Mutex mu_;
  sqlite3* db_ GUARDED_BY(mu_);
  std::string path_;
  std::atomic<bool> read_only_;
};

}  // namespace tsl
