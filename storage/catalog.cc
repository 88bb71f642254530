// Catalog: SQLite statements over the schema in formats/catalog.md.
// Every multi-statement change runs in one BEGIN IMMEDIATE transaction so
// a concurrent process sees either all or none of a version.
// Thread-safety: every public method takes mu_ (one connection).
#include "storage/catalog.h"

#include "formats/mutex.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "storage/catalog_sql.h"
#include "storage/env.h"

namespace tsl {
namespace {

using catalog_sql::InTransaction;
using catalog_sql::IsDamage;
using catalog_sql::SqlError;
using catalog_sql::StepDone;
using catalog_sql::Stmt;
using catalog_sql::TagIndexWriter;

using Json = nlohmann::ordered_json;

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string SchemaJson(const Schema& schema) {
  Json fields = Json::array();
  for (const Field& f : schema.fields)
    fields.push_back(Json{{"name", f.name}, {"type", std::string(TypeName(f.type))}});
  return Dump(fields);
}

std::string PropertiesJson(const std::map<std::string, std::string>& props) {
  Json j = Json::object();
  for (const auto& [k, v] : props) j[k] = v;
  return Dump(j);
}

// `schema` is the physical schema: add stats are keyed by physical name.
// Indexed: the first TIMESTAMP column (min_ts/max_ts) and the first VARCHAR
// column (min_tag/max_tag; the tag column of historian tables).
Catalog::SegmentEntry SegmentFromAdd(const std::string& table, const Schema& schema,
                                     const AddAction& add) {
  Catalog::SegmentEntry e;
  e.table_name = table;
  e.path = add.path;
  e.rows = add.stats.num_records;
  e.bytes = add.size;
  e.stats_json = SerializeFileStats(add.stats);
  for (const auto& [k, v] : add.partition_values) {
    if (!e.partition.empty()) e.partition += "/";
    e.partition += k + "=" + v;
  }
  int ts = Catalog::IndexedTimeColumn(schema), tag = Catalog::IndexedTagColumn(schema);
  if (ts >= 0) {
    const std::string& name = schema.fields[static_cast<size_t>(ts)].name;
    auto lo = add.stats.min_values.find(name);
    auto hi = add.stats.max_values.find(name);
    if (lo != add.stats.min_values.end() && IsTimestampType(lo->second.type()) &&
        !lo->second.is_null())
      e.min_ts = lo->second.int_value();
    if (hi != add.stats.max_values.end() && IsTimestampType(hi->second.type()) &&
        !hi->second.is_null())
      e.max_ts = hi->second.int_value();
  }
  if (tag >= 0) {
    const std::string& name = schema.fields[static_cast<size_t>(tag)].name;
    auto lo = add.stats.min_values.find(name);
    auto hi = add.stats.max_values.find(name);
    if (lo != add.stats.min_values.end() && hi != add.stats.max_values.end() &&
        lo->second.type() == TypeId::kVarchar && hi->second.type() == TypeId::kVarchar &&
        !lo->second.is_null() && !hi->second.is_null()) {
      e.min_tag = lo->second.string_value();
      e.max_tag = hi->second.string_value();
    }
  }
  return e;
}

// Every statement is served by an index (tests/storage/catalog_plan_test.cc
// runs EXPLAIN QUERY PLAN on each): segments by (table_name, path), by
// time, by max_ts (latest per tag walks segments newest first), the
// unindexed ones and those with NULL tags by partial indexes; tags by
// (table_name, id) and (table_name, name).
constexpr const char* kCreateSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tables(
  name TEXT PRIMARY KEY COLLATE NOCASE,
  id TEXT NOT NULL,
  dir TEXT NOT NULL,
  schema_json TEXT NOT NULL,
  properties_json TEXT NOT NULL,
  latest_version INTEGER NOT NULL,
  stale INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS segments(
  table_name TEXT NOT NULL COLLATE NOCASE,
  path TEXT NOT NULL,
  rows INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  min_ts INTEGER,
  max_ts INTEGER,
  partition TEXT NOT NULL DEFAULT '',
  min_tag TEXT,
  max_tag TEXT,
  stats_json TEXT NOT NULL,
  tags_indexed INTEGER NOT NULL DEFAULT 0,
  null_tag_rows INTEGER NOT NULL DEFAULT 0,
  tag_ranges BLOB,
  PRIMARY KEY(table_name, path));
CREATE INDEX IF NOT EXISTS segments_by_time ON segments(table_name, min_ts, max_ts);
CREATE INDEX IF NOT EXISTS segments_by_max_ts ON segments(table_name, max_ts);
CREATE INDEX IF NOT EXISTS segments_not_indexed ON segments(table_name) WHERE tags_indexed = 0;
CREATE INDEX IF NOT EXISTS segments_with_null_tag ON segments(table_name) WHERE null_tag_rows > 0;
CREATE TABLE IF NOT EXISTS tags(
  table_name TEXT NOT NULL COLLATE NOCASE,
  id INTEGER NOT NULL,
  name TEXT NOT NULL,
  units TEXT,
  description TEXT,
  first_ts INTEGER,
  last_ts INTEGER,
  point_count INTEGER NOT NULL DEFAULT 0,
  units_ts INTEGER,
  units_path TEXT,
  PRIMARY KEY(table_name, id));
CREATE UNIQUE INDEX IF NOT EXISTS tags_by_name ON tags(table_name, name);
INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', '4');
)sql";

// Version 1 lacked partition and the tag range. The catalog is only an
// index: drop its segments and mark every table stale, and the writable
// Database::Open that follows re-syncs them from the logs.
// kCreateSchema then recreates segments in the current form.
constexpr const char* kMigrateFrom1 = R"sql(
BEGIN IMMEDIATE;
DROP TABLE IF EXISTS segments;
UPDATE tables SET stale = 1;
UPDATE meta SET value = '4' WHERE key = 'schema_version';
COMMIT;
)sql";

// Version 2 lacked the tag index: segments gain tags_indexed (0) and the
// packed figures, kCreateSchema creates `tags`, and every table is marked
// stale so the writable open re-syncs it, reading each segment's tag and
// ts columns once.
constexpr const char* kMigrateFrom2 = R"sql(
BEGIN IMMEDIATE;
ALTER TABLE segments ADD COLUMN tags_indexed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN null_tag_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN tag_ranges BLOB;
UPDATE tables SET stale = 1;
UPDATE meta SET value = '4' WHERE key = 'schema_version';
COMMIT;
)sql";

// Version 3 kept one segment_tags row per (segment, tag) with two indexes
// (10x the data for flushes of one row per tag); version 4 packs them into
// segments.tag_ranges. The rows are dropped and the segments re-indexed
// from their files by the re-sync of the stale tables (tags rows, their
// ids and descriptions, stay).
constexpr const char* kMigrateFrom3 = R"sql(
BEGIN IMMEDIATE;
DROP TABLE IF EXISTS segment_tags;
ALTER TABLE segments ADD COLUMN null_tag_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN tag_ranges BLOB;
UPDATE segments SET tags_indexed = 0;
ALTER TABLE tags ADD COLUMN units_ts INTEGER;
ALTER TABLE tags ADD COLUMN units_path TEXT;
UPDATE tables SET stale = 1;
UPDATE meta SET value = '4' WHERE key = 'schema_version';
COMMIT;
)sql";

const char* MigrationFrom(int version) {
  return version <= 1 ? kMigrateFrom1 : version == 2 ? kMigrateFrom2 : kMigrateFrom3;
}

std::string ParentOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

constexpr const char* kSegmentColumns =
    "table_name, path, rows, bytes, min_ts, max_ts, partition, min_tag, max_tag, stats_json, "
    "tags_indexed";

}  // namespace

Catalog::Catalog(sqlite3* db, std::string path, bool read_only)
    : db_(db), path_(std::move(path)), read_only_(read_only) {}

Catalog::~Catalog() { sqlite3_close_v2(db_); }

namespace {

Status ExecSql(sqlite3* db, const std::string& path, const char* sql, const std::string& what) {
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqlError(db, sqlite3_extended_errcode(db), path, what);
  return Status::OK();
}

// The columns of every table kCreateSchema makes, as "table.column type
// notnull pk" lines, read from `db`.
Result<std::set<std::string>> SchemaColumns(sqlite3* db, const std::string& path) {
  Stmt s(db,
         "SELECT m.name, p.name, p.type, p.\"notnull\", p.pk FROM sqlite_schema AS m, "
         "pragma_table_info(m.name) AS p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'");
  if (!s.prepared()) return SqlError(db, sqlite3_extended_errcode(db), path, "read the schema");
  std::set<std::string> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW)
    out.insert(s.Text(0) + "." + s.Text(1) + " " + s.Text(2) + " " + std::to_string(s.Int(3)) +
               " " + std::to_string(s.Int(4)));
  if (rc != SQLITE_DONE) return SqlError(db, sqlite3_extended_errcode(db), path, "read the schema");
  return out;
}

// kCorruption unless every table and column of the current schema is in
// `db` as kCreateSchema declares it (a file another program wrote, or one
// edited by hand, is damage too).
Status CheckSchema(sqlite3* db, const std::string& path) {
  static const std::set<std::string> want = [] {
    sqlite3* ref = nullptr;
    sqlite3_open(":memory:", &ref);
    sqlite3_exec(ref, kCreateSchema, nullptr, nullptr, nullptr);
    Result<std::set<std::string>> cols = SchemaColumns(ref, ":memory:");
    sqlite3_close(ref);
    return cols.ok() ? *cols : std::set<std::string>();
  }();
  ASSIGN_OR_RETURN(std::set<std::string> have, SchemaColumns(db, path));
  for (const std::string& c : want)
    if (!have.count(c))
      return Status::Corruption("catalog " + path + " is damaged (it lacks the column " + c +
                                " of tslake's schema); it is only an index of the table logs: "
                                "a writable open or tslake --rebuild-catalog moves it aside and "
                                "rebuilds it");
  return Status::OK();
}

// Catalogs up to this size get `PRAGMA quick_check` on open (about 7 ms
// of CPU per MB read cold, 1 ms warm for 1.5 MB); bigger ones are trusted
// until a statement reports damage.
constexpr int64_t kQuickCheckMaxBytes = 8LL << 20;

Status QuickCheck(sqlite3* db, const std::string& path) {
  Stmt s(db, "PRAGMA quick_check(1)");
  if (!s.prepared()) return SqlError(db, sqlite3_extended_errcode(db), path, "quick_check");
  int rc = s.Step();
  if (rc != SQLITE_ROW) return SqlError(db, sqlite3_extended_errcode(db), path, "quick_check");
  if (s.Text(0) != "ok")
    return Status::Corruption("catalog " + path + " is damaged (quick_check: " + s.Text(0) +
                              "); it is only an index of the table logs: a writable open or "
                              "tslake --rebuild-catalog moves it aside and rebuilds it");
  return Status::OK();
}

// Opens and initializes the connection: the checks, the schema (created
// or upgraded when writable). On error the connection is closed.
Result<sqlite3*> OpenConnection(const std::string& path, bool read_only, bool verify) {
  const bool memory = path == ":memory:";
  int flags = SQLITE_OPEN_NOMUTEX;  // Catalog::mu_ serializes use of the connection
  // An in-memory catalog is private, so even a read-only database builds
  // one (nothing reaches disk); read_only_ still refuses table changes.
  flags |=
      (read_only && !memory) ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status st = SqlError(db, rc, path, "open");
    sqlite3_close_v2(db);
    return st;
  }
  Status st = [&]() -> Status {
    sqlite3_busy_timeout(db, 10000);
    if (verify && !memory) {
      int64_t size = 0;
      if (FILE* f = std::fopen(path.c_str(), "rb")) {
        std::fseek(f, 0, SEEK_END);
        size = std::ftell(f);
        std::fclose(f);
      }
      if (size <= kQuickCheckMaxBytes) RETURN_IF_ERROR(QuickCheck(db, path));
    }
    const bool writable = !read_only || memory;
    if (writable) {
      RETURN_IF_ERROR(ExecSql(db, path, "PRAGMA synchronous=NORMAL", "set synchronous"));
      // A new (or empty) file gets the schema; anything else is upgraded
      // first, since the current schema's indexes name newer columns.
      Stmt any(db, "SELECT count(*) FROM sqlite_schema");
      if (!any.prepared() || any.Step() != SQLITE_ROW)
        return SqlError(db, sqlite3_extended_errcode(db), path, "read the schema");
      if (any.Int(0) == 0) RETURN_IF_ERROR(ExecSql(db, path, kCreateSchema, "create the schema"));
    }
    int version = 0;
    {
      Stmt s(db, "SELECT value FROM meta WHERE key = 'schema_version'");
      int step = s.prepared() ? s.Step() : sqlite3_extended_errcode(db);
      if (step != SQLITE_ROW && IsDamage(sqlite3_extended_errcode(db)))
        return SqlError(db, sqlite3_extended_errcode(db), path, "read the schema version");
      if (step != SQLITE_ROW)
        return Status::Corruption("catalog " + path +
                                  " has no tslake schema (meta.schema_version); it is only an "
                                  "index of the table logs: a writable open or tslake "
                                  "--rebuild-catalog moves it aside and rebuilds it");
      version = std::atoi(s.Text(0).c_str());
    }
    if (version > Catalog::kSchemaVersion)
      return Status::NotSupported("catalog " + path + " has schema version " +
                                  std::to_string(version) + " but this tslake supports up to " +
                                  std::to_string(Catalog::kSchemaVersion) + "; use a newer tslake");
    if (version < Catalog::kSchemaVersion) {
      if (read_only && !memory)
        return Status::NotSupported("catalog " + path + " has the older schema version " +
                                    std::to_string(version) + " (read-only: not upgraded)");
      Status up = ExecSql(db, path, MigrationFrom(version), "upgrading the schema");
      if (!up.ok()) {
        (void)sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        return up;
      }
    }
    // Recreates what is missing (an index); fails on a table whose
    // columns are not tslake's, which the schema check then names.
    if (writable && !ExecSql(db, path, kCreateSchema, "create the schema").ok()) {
      Status schema = CheckSchema(db, path);
      return schema.ok() ? ExecSql(db, path, kCreateSchema, "create the schema") : schema;
    }
    return CheckSchema(db, path);
  }();
  if (!st.ok()) {
    sqlite3_close_v2(db);
    return st;
  }
  return db;
}

}  // namespace

Result<std::unique_ptr<Catalog>> Catalog::Open(const std::string& path, bool read_only) {
  ASSIGN_OR_RETURN(sqlite3 * db, OpenConnection(path, read_only, /*verify=*/true));
  return std::unique_ptr<Catalog>(new Catalog(db, path, read_only));
}

Result<std::string> Catalog::MoveAside(const std::string& path) {
  // catalog.sqlite.damaged-20261207T033000Z, -2, -3, ... if taken.
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  Env* env = Env::Default();
  std::string aside = path + ".damaged-" + stamp;
  for (int i = 2; env->FileExists(aside); ++i)
    aside = path + ".damaged-" + stamp + "-" + std::to_string(i);
  // The journal or WAL first: a -journal left beside a new catalog.sqlite
  // would be "rolled back" into it.
  for (const char* suffix : {"-journal", "-wal", "-shm"}) {
    if (env->FileExists(path + suffix))
      RETURN_IF_ERROR(env->RenameFile(path + suffix, aside + suffix));
  }
  if (env->FileExists(path)) RETURN_IF_ERROR(env->RenameFile(path, aside));
  RETURN_IF_ERROR(env->SyncDir(ParentOf(path)));
  return aside;
}

Result<std::string> Catalog::ReplaceDamaged() {
  RETURN_IF_ERROR(RefuseIfReadOnly());
  tsl::MutexLock l(mu_);
  if (path_ == ":memory:")
    return Status::InvalidArgument("an in-memory catalog is never moved aside");
  sqlite3_close_v2(db_);
  db_ = nullptr;
  Result<std::string> aside = MoveAside(path_);
  // Even when the move failed, a connection is needed: reopen what is there.
  Result<sqlite3*> db = OpenConnection(path_, false, /*verify=*/false);
  if (!db.ok()) {
    Result<sqlite3*> mem = OpenConnection(":memory:", false, false);
    if (!mem.ok()) return mem.status();
    db_ = *mem;  // a private catalog until the next open
    return aside.ok() ? db.status() : aside.status();
  }
  db_ = *db;
  return aside;
}

Status Catalog::Verify() const {
  tsl::MutexLock l(mu_);
  RETURN_IF_ERROR(QuickCheck(db_, path_));
  return CheckSchema(db_, path_);
}

Status Catalog::Error(const std::string& what) const {
  return SqlError(db_, sqlite3_extended_errcode(db_), path_, what);
}

Status Catalog::RefuseIfReadOnly() const {
  if (read_only_) return Status::InvalidArgument("database opened read-only");
  return Status::OK();
}

Result<std::vector<Catalog::TableEntry>> Catalog::ListTables() const {
  tsl::MutexLock l(mu_);
  Stmt s(db_,
         "SELECT name, id, dir, schema_json, properties_json, latest_version, stale "
         "FROM tables ORDER BY name");
  if (!s.prepared()) return Error("list tables");
  std::vector<TableEntry> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW)
    out.push_back(
        TableEntry{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Int(5), s.Int(6) != 0});
  if (rc != SQLITE_DONE) return Error("list tables");
  return out;
}

Result<std::optional<Catalog::TableEntry>> Catalog::GetTable(const std::string& name) const {
  tsl::MutexLock l(mu_);
  Stmt s(db_,
         "SELECT name, id, dir, schema_json, properties_json, latest_version, stale "
         "FROM tables WHERE name = ?1");
  if (!s.prepared()) return Error("get table");
  s.Bind(1, name);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return std::optional<TableEntry>();
  if (rc != SQLITE_ROW) return Error("get table " + name);
  return std::optional<TableEntry>(
      TableEntry{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Int(5), s.Int(6) != 0});
}

namespace {
Result<std::vector<Catalog::SegmentEntry>> ReadSegments(Stmt& s, sqlite3* db,
                                                        const std::string& path) {
  std::vector<Catalog::SegmentEntry> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    Catalog::SegmentEntry e;
    e.table_name = s.Text(0);
    e.path = s.Text(1);
    e.rows = s.Int(2);
    e.bytes = s.Int(3);
    e.min_ts = s.OptInt(4);
    e.max_ts = s.OptInt(5);
    e.partition = s.Text(6);
    e.min_tag = s.OptText(7);
    e.max_tag = s.OptText(8);
    e.stats_json = s.Text(9);
    e.tags_indexed = s.Int(10) != 0;
    out.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) return SqlError(db, sqlite3_extended_errcode(db), path, "list segments");
  return out;
}
}  // namespace

Result<std::vector<Catalog::SegmentEntry>> Catalog::ListSegments(
    const std::string& table_name) const {
  tsl::MutexLock l(mu_);
  std::string sql = std::string("SELECT ") + kSegmentColumns +
                    " FROM segments WHERE table_name = ?1 ORDER BY path";
  Stmt s(db_, sql.c_str());
  if (!s.prepared()) return Error("list segments");
  s.Bind(1, table_name);
  return ReadSegments(s, db_, path_);
}

Result<std::vector<Catalog::SegmentEntry>> Catalog::FindSegments(const std::string& table_name,
                                                                 int64_t lo, int64_t hi) const {
  tsl::MutexLock l(mu_);
  std::string sql = std::string("SELECT ") + kSegmentColumns +
                    " FROM segments WHERE table_name = ?1 AND "
                    "(min_ts IS NULL OR max_ts IS NULL OR (min_ts <= ?3 AND max_ts >= ?2)) "
                    "ORDER BY path";
  Stmt s(db_, sql.c_str());
  if (!s.prepared()) return Error("find segments");
  s.Bind(1, table_name);
  s.Bind(2, lo);
  s.Bind(3, hi);
  return ReadSegments(s, db_, path_);
}

Result<std::vector<Catalog::SegmentEntry>> Catalog::FindSegments(const std::string& table_name,
                                                                 const SegmentQuery& q) const {
  tsl::MutexLock l(mu_);
  // One statement; the (table_name, min_ts, max_ts) index narrows by time.
  std::string sql = std::string("SELECT ") + kSegmentColumns +
                    " FROM segments WHERE table_name = ?1"
                    " AND (?2 IS NULL OR max_ts IS NULL OR max_ts >= ?2)"
                    " AND (?3 IS NULL OR min_ts IS NULL OR min_ts <= ?3)";
  if (!q.tags.empty()) {
    sql +=
        " AND (min_tag IS NULL OR max_tag IS NULL OR EXISTS (SELECT 1 FROM json_each(?4) AS t"
        " WHERE t.value BETWEEN min_tag AND max_tag))";
  }
  sql += " ORDER BY path";
  Stmt s(db_, sql.c_str());
  if (!s.prepared()) return Error("find segments");
  s.Bind(1, table_name);
  s.Bind(2, q.ts_lo);
  s.Bind(3, q.ts_hi);
  if (!q.tags.empty()) {
    Json tags = Json::array();
    for (const std::string& t : q.tags) tags.push_back(t);
    s.Bind(4, Dump(tags));
  }
  return ReadSegments(s, db_, path_);
}

Result<int64_t> Catalog::CurrentVersion(const std::string& table_name,
                                        const std::string& table_id) const {
  tsl::MutexLock l(mu_);
  Stmt s(db_, "SELECT latest_version, stale, id FROM tables WHERE name = ?1");
  if (!s.prepared()) return Error("read version of " + table_name);
  s.Bind(1, table_name);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return int64_t{-1};
  if (rc != SQLITE_ROW) return Error("read version of " + table_name);
  if (!table_id.empty() && s.Text(2) != table_id) return int64_t{-1};
  return s.Int(1) != 0 ? int64_t{-1} : s.Int(0);
}

int Catalog::IndexedTimeColumn(const Schema& schema) {
  for (size_t i = 0; i < schema.size(); ++i)
    if (IsTimestampType(schema.fields[i].type)) return static_cast<int>(i);
  return -1;
}

int Catalog::IndexedTagColumn(const Schema& schema) {
  for (size_t i = 0; i < schema.size(); ++i)
    if (schema.fields[i].type == TypeId::kVarchar) return static_cast<int>(i);
  return -1;
}

namespace {

Status UpsertTable(sqlite3* db, const std::string& path, const std::string& name,
                   const std::string& dir, const MetaDataAction& m, int64_t version) {
  Stmt s(db,
         "INSERT INTO tables(name, id, dir, schema_json, properties_json, latest_version, stale) "
         "VALUES(?1, ?2, ?3, ?4, ?5, ?6, 0) ON CONFLICT(name) DO UPDATE SET id = ?2, dir = ?3, "
         "schema_json = ?4, properties_json = ?5, latest_version = ?6, stale = 0");
  s.Bind(1, name);
  s.Bind(2, m.id);
  s.Bind(3, dir);
  s.Bind(4, SchemaJson(m.schema));
  s.Bind(5, PropertiesJson(m.configuration));
  s.Bind(6, version);
  return StepDone(s, db, path, "update table " + name);
}

// `packed`: the segment's tag index (TagIndexWriter::Add), when indexed.
Status InsertSegment(sqlite3* db, const std::string& path, const Catalog::SegmentEntry& e,
                     const TagIndexWriter::Packed* packed) {
  Stmt s(db,
         "INSERT OR REPLACE INTO segments(table_name, path, rows, bytes, min_ts, max_ts, "
         "partition, min_tag, max_tag, stats_json, tags_indexed, null_tag_rows, tag_ranges) "
         "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  s.Bind(1, e.table_name);
  s.Bind(2, e.path);
  s.Bind(3, e.rows);
  s.Bind(4, e.bytes);
  s.Bind(5, e.min_ts);
  s.Bind(6, e.max_ts);
  s.Bind(7, e.partition);
  s.Bind(8, e.min_tag);
  s.Bind(9, e.max_tag);
  s.Bind(10, e.stats_json);
  s.Bind(11, int64_t{e.tags_indexed ? 1 : 0});
  s.Bind(12, packed != nullptr ? packed->null_tag_rows : int64_t{0});
  if (packed != nullptr) s.BindBlob(13, packed->blob);
  return StepDone(s, db, path, "insert segment " + e.path);
}

}  // namespace

Result<bool> Catalog::ApplyCommit(const std::string& table_name, const std::string& dir,
                                  const Schema& schema, int64_t version,
                                  const std::vector<LogAction>& actions,
                                  const std::string& table_id) {
  RETURN_IF_ERROR(RefuseIfReadOnly());
  tsl::MutexLock l(mu_);
  bool applied = false;
  Status st = InTransaction(db_, path_, [&]() REQUIRES(mu_) -> Status {
    int64_t current = -1;
    {
      Stmt s(db_, "SELECT latest_version, id FROM tables WHERE name = ?1");
      s.Bind(1, table_name);
      int rc = s.Step();
      if (rc == SQLITE_ROW) {
        current = s.Int(0);
        if (!table_id.empty() && s.Text(1) != table_id) {
          applied = true;  // the row of a re-created table of this name
          return Status::OK();
        }
      } else if (rc != SQLITE_DONE) {
        return Error("read version of " + table_name);
      }
    }
    if (current >= version) {
      applied = true;  // already there (another thread synced past us)
      return Status::OK();
    }
    if (current != version - 1) return Status::OK();  // gap: caller syncs
    Schema effective = schema;
    bool has_metadata = false;
    for (const LogAction& a : actions) {
      if (const auto* m = std::get_if<MetaDataAction>(&a)) {
        effective = PhysicalSchema(*m);
        has_metadata = true;
        RETURN_IF_ERROR(UpsertTable(db_, path_, table_name, dir, *m, version));
      }
    }
    if (current < 0 && !has_metadata) return Status::OK();  // no row to update: sync
    TagIndexWriter tags(db_, path_, table_name);
    // Removes first: a commit may remove and re-add one path (RESTORE).
    for (const LogAction& a : actions) {
      if (const auto* rm = std::get_if<RemoveAction>(&a)) {
        RETURN_IF_ERROR(tags.Remove(rm->path));
        Stmt s(db_, "DELETE FROM segments WHERE table_name = ?1 AND path = ?2");
        s.Bind(1, table_name);
        s.Bind(2, rm->path);
        RETURN_IF_ERROR(StepDone(s, db_, path_, "delete segment " + rm->path));
      }
    }
    for (const LogAction& a : actions) {
      if (const auto* add = std::get_if<AddAction>(&a)) {
        SegmentEntry e = SegmentFromAdd(table_name, effective, *add);
        RETURN_IF_ERROR(tags.Remove(add->path));  // a re-added path replaces its figures
        std::optional<TagIndexWriter::Packed> packed;
        if (add->tag_ranges != nullptr) {
          ASSIGN_OR_RETURN(packed, tags.Add(add->path, *add->tag_ranges));
          e.tags_indexed = true;
        }
        RETURN_IF_ERROR(InsertSegment(db_, path_, e, packed ? &*packed : nullptr));
      }
    }
    RETURN_IF_ERROR(tags.Refresh());
    Stmt s(db_, "UPDATE tables SET latest_version = ?2 WHERE name = ?1");
    s.Bind(1, table_name);
    s.Bind(2, version);
    RETURN_IF_ERROR(StepDone(s, db_, path_, "update version of " + table_name));
    applied = true;
    return Status::OK();
  });
  RETURN_IF_ERROR(st);
  return applied;
}

Status Catalog::SyncTable(const std::string& table_name, const std::string& dir,
                          const Snapshot& snapshot, const TagRangesByPath* ranges,
                          bool only_same_table) {
  RETURN_IF_ERROR(RefuseIfReadOnly());
  tsl::MutexLock l(mu_);
  return InTransaction(db_, path_, [&]() REQUIRES(mu_) -> Status {
    {
      Stmt s(db_, "SELECT latest_version, stale, id FROM tables WHERE name = ?1");
      s.Bind(1, table_name);
      int rc = s.Step();
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Error("read version of " + table_name);
      if (only_same_table && (rc != SQLITE_ROW || s.Text(2) != snapshot.metadata().id))
        return Status::OK();
      if (rc == SQLITE_ROW && s.Int(0) > snapshot.version() && s.Int(1) == 0)
        return Status::OK();  // someone recorded a newer version meanwhile
    }
    // Segment files never change, so indexed live segments keep their
    // packed figures (tag ids are stable: tags rows are never deleted here).
    std::map<std::string, TagIndexWriter::Packed> indexed;
    {
      Stmt s(db_,
             "SELECT path, null_tag_rows, tag_ranges FROM segments WHERE table_name = ?1 AND "
             "tags_indexed = 1");
      s.Bind(1, table_name);
      int rc;
      while ((rc = s.Step()) == SQLITE_ROW)
        indexed[s.Text(0)] = TagIndexWriter::Packed{std::string(s.Blob(2)), s.Int(1)};
      if (rc != SQLITE_DONE) return Error("list indexed segments of " + table_name);
    }
    {
      Stmt s(db_, "DELETE FROM segments WHERE table_name = ?1");
      s.Bind(1, table_name);
      RETURN_IF_ERROR(StepDone(s, db_, path_, "clear segments of " + table_name));
    }
    RETURN_IF_ERROR(
        UpsertTable(db_, path_, table_name, dir, snapshot.metadata(), snapshot.version()));
    TagIndexWriter tags(db_, path_, table_name);
    for (const AddAction& add : snapshot.files()) {
      SegmentEntry e = SegmentFromAdd(table_name, snapshot.physical_schema(), add);
      // Snapshots hold no writer ranges (snapshot.cc): unindexed segments'
      // figures come from `ranges`, read from their files by the caller.
      const std::vector<SegmentTagRange>* r = nullptr;
      if (ranges != nullptr) {
        auto it = ranges->find(add.path);
        if (it != ranges->end()) r = &it->second;
      }
      std::optional<TagIndexWriter::Packed> packed;
      if (auto it = indexed.find(add.path); it != indexed.end()) {
        packed = std::move(it->second);
      } else if (r != nullptr) {
        ASSIGN_OR_RETURN(packed, tags.Add(add.path, *r));
      }
      e.tags_indexed = packed.has_value();
      RETURN_IF_ERROR(InsertSegment(db_, path_, e, packed ? &*packed : nullptr));
    }
    return tags.RefreshAll();
  });
}

Status Catalog::MarkStale(const std::string& table_name) {
  RETURN_IF_ERROR(RefuseIfReadOnly());
  tsl::MutexLock l(mu_);
  Stmt s(db_, "UPDATE tables SET stale = 1 WHERE name = ?1");
  s.Bind(1, table_name);
  return StepDone(s, db_, path_, "mark " + table_name + " stale");
}

Status Catalog::DropTable(const std::string& table_name) {
  RETURN_IF_ERROR(RefuseIfReadOnly());
  tsl::MutexLock l(mu_);
  return InTransaction(db_, path_, [&]() REQUIRES(mu_) -> Status {
    Stmt a(db_, "DELETE FROM segments WHERE table_name = ?1");
    a.Bind(1, table_name);
    RETURN_IF_ERROR(StepDone(a, db_, path_, "drop segments of " + table_name));
    Stmt d(db_, "DELETE FROM tags WHERE table_name = ?1");
    d.Bind(1, table_name);
    RETURN_IF_ERROR(StepDone(d, db_, path_, "drop tags of " + table_name));
    Stmt b(db_, "DELETE FROM tables WHERE name = ?1");
    b.Bind(1, table_name);
    return StepDone(b, db_, path_, "drop table " + table_name);
  });
}

Status Catalog::Clear() {
  RETURN_IF_ERROR(RefuseIfReadOnly());
  tsl::MutexLock l(mu_);
  return InTransaction(db_, path_, [&]() REQUIRES(mu_) -> Status {
    Stmt a(db_, "DELETE FROM segments");
    RETURN_IF_ERROR(StepDone(a, db_, path_, "clear segments"));
    Stmt d(db_,
           "UPDATE tags SET first_ts = NULL, last_ts = NULL, point_count = 0, units = NULL, "
           "units_ts = NULL, units_path = NULL");
    RETURN_IF_ERROR(StepDone(d, db_, path_, "reset tags"));
    Stmt b(db_, "DELETE FROM tables");
    return StepDone(b, db_, path_, "clear tables");
  });
}

namespace catalog_sql {
namespace {
std::atomic<bool> recording{false};
tsl::Mutex recorded_mu;
std::set<std::string>& Recorded() {
  static std::set<std::string> statements GUARDED_BY(recorded_mu);
  return statements;
}
}  // namespace
bool RecordingStatements() { return recording.load(std::memory_order_relaxed); }
void RecordStatement(const char* sql) {
  tsl::MutexLock l(recorded_mu);
  Recorded().insert(sql);
}
}  // namespace catalog_sql

void Catalog::TEST_RecordStatements(bool on) { catalog_sql::recording = on; }

std::set<std::string> Catalog::TEST_RecordedStatements() {
  tsl::MutexLock l(catalog_sql::recorded_mu);
  return catalog_sql::Recorded();
}

}  // namespace tsl
