// Internal to the catalog (catalog.cc, catalog_tags.cc): the SQLite
// statement wrapper, transactions, and TagIndexWriter, which keeps the tag
// index (tags, segments.tag_ranges; formats/catalog.md) in step inside a commit's
// or re-sync's transaction. Not for other code: use Catalog.
// Thread-safety: callers hold Catalog::mu_ (one connection).
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "formats/log_action.h"
#include "formats/status.h"
#include "formats/thread_annotations.h"
#include "storage/catalog_tag_ranges.h"

namespace tsl::catalog_sql {

// Catalog::TEST_RecordStatements: every SQL text prepared while on is kept
// (catalog.cc), so a test can EXPLAIN QUERY PLAN each one.
bool RecordingStatements();
void RecordStatement(const char* sql);

// A prepared statement that finalizes itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
    if (RecordingStatements()) RecordStatement(sql);
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool prepared() const { return rc_ == SQLITE_OK; }
  void Bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void Bind(int i, std::optional<int64_t> v) {
    if (v) {
      sqlite3_bind_int64(stmt_, i, *v);
    } else {
      sqlite3_bind_null(stmt_, i);
    }
  }
  int Step() { return sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::optional<std::string> OptText(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return Text(col);
  }
  void Bind(int i, const std::optional<std::string>& v) {
    if (v) {
      Bind(i, *v);
    } else {
      sqlite3_bind_null(stmt_, i);
    }
  }
  std::string_view Blob(int col) const {
    const void* b = sqlite3_column_blob(stmt_, col);
    return b ? std::string_view(static_cast<const char*>(b),
                                static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
  }
  void BindBlob(int i, const std::string& b) {
    sqlite3_bind_blob(stmt_, i, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
  }
  std::optional<int64_t> OptInt(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_int64(stmt_, col);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

// SQLITE_CORRUPT and SQLITE_NOTADB mean the file is damaged (or not a
// catalog at all): kCorruption, and the database moves it aside and
// rebuilds it from the logs. Anything else (a full disk, a lock held too
// long) is kIOError.
inline bool IsDamage(int rc) {
  rc &= 0xff;
  return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

inline Status SqlError(sqlite3* db, int rc, const std::string& path, const std::string& what) {
  std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (IsDamage(rc))
    return Status::Corruption("catalog " + path + " is damaged (" + what + ": " + msg +
                              "); it is only an index of the table logs: a writable open or "
                              "tslake --rebuild-catalog moves it aside and rebuilds it");
  // SQLite's "database or disk is full" is the disk's ENOSPC seen by it.
  return Status::FromErrno(StatusCode::kIOError, "catalog " + path + ": " + what + ": " + msg,
                           (rc & 0xff) == SQLITE_FULL ? ENOSPC : 0);
}

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on error.
// Not analyzed: `body` runs under whatever lock the caller holds, and says
// so with its own REQUIRES.
template <typename F>
inline Status InTransaction(sqlite3* db, const std::string& path, F&& body) NO_THREAD_SAFETY_ANALYSIS {
  auto exec = [&](const char* sql) -> Status {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      return SqlError(db, sqlite3_extended_errcode(db), path, sql);
    return Status::OK();
  };
  RETURN_IF_ERROR(exec("BEGIN IMMEDIATE"));
  Status st = body();
  if (st.ok()) st = exec("COMMIT");
  if (!st.ok()) (void)exec("ROLLBACK");
  return st;
}

inline Status StepDone(Stmt& s, sqlite3* db, const std::string& path, const std::string& what) {
  if (!s.prepared() || s.Step() != SQLITE_DONE)
    return SqlError(db, sqlite3_extended_errcode(db), path, what);
  return Status::OK();
}

// Keeps the tag index of one table in step: packs a segment's per-tag
// figures into its `segments.tag_ranges` (assigning tag ids as tags first
// appear) and brings the `tags` rows' figures up to date. A commit costs
// its own rows: only tags that lost rows (a removed segment) are
// recomputed, from the packed figures of the table's live segments.
// Statements are prepared once per commit. REQUIRES: inside a transaction.
class TagIndexWriter {
 public:
  TagIndexWriter(sqlite3* db, std::string path, std::string table)
      : db_(db),
        path_(std::move(path)),
        table_(std::move(table)),
        find_(db, "SELECT id FROM tags WHERE table_name = ?1 AND name = ?2"),
        add_tag_(db,
                 "INSERT INTO tags(table_name, id, name) VALUES(?1, (SELECT coalesce(max(id), 0) "
                 "+ 1 FROM tags WHERE table_name = ?1), ?2) RETURNING id"),
        ranges_of_(db,
                   "SELECT tag_ranges FROM segments WHERE table_name = ?1 AND path = ?2 AND "
                   "tags_indexed = 1") {}

  // The packed figures of `segment` (what segments.tag_ranges stores) and
  // the rows it has whose tag is NULL.
  struct Packed {
    std::string blob;
    int64_t null_tag_rows = 0;
  };
  Result<Packed> Add(const std::string& segment, const std::vector<SegmentTagRange>& ranges) {
    std::vector<PackedTagRange> packed;
    packed.reserve(ranges.size());
    Packed out;
    for (const SegmentTagRange& r : ranges) {
      PackedTagRange p;
      if (r.tag) {
        ASSIGN_OR_RETURN(int64_t id, IdOf(*r.tag));
        p.tag_id = id;
        Added& a = added_[id];
        if (r.min_ts) a.min_ts = a.min_ts ? std::min(*a.min_ts, *r.min_ts) : *r.min_ts;
        if (r.max_ts) a.max_ts = a.max_ts ? std::max(*a.max_ts, *r.max_ts) : *r.max_ts;
        a.rows += r.rows;
        if (r.units &&
            (!a.units || UnitsKey(r.units_ts, segment) > UnitsKey(a.units_ts, a.units_path))) {
          a.units = r.units;
          a.units_ts = r.units_ts;
          a.units_path = segment;
        }
      } else {
        out.null_tag_rows += r.rows;
      }
      p.min_ts = r.min_ts;
      p.max_ts = r.max_ts;
      p.rows = r.rows;
      p.units = r.units;
      p.units_ts = r.units_ts;
      packed.push_back(std::move(p));
    }
    // The writer orders by tag name; the blob by id (NULL first).
    std::sort(packed.begin(), packed.end(),
              [](const PackedTagRange& x, const PackedTagRange& y) { return x.tag_id < y.tag_id; });
    out.blob = PackTagRanges(packed);
    return out;
  }

  // Before `segment`'s row is deleted or replaced: its tags lost rows.
  Status Remove(const std::string& segment) {
    ranges_of_.Reset();
    ranges_of_.Bind(1, table_);
    ranges_of_.Bind(2, segment);
    int rc = ranges_of_.Step();
    if (rc == SQLITE_DONE) return Status::OK();
    if (rc != SQLITE_ROW) return Fail("read tags of segment " + segment);
    ASSIGN_OR_RETURN(std::vector<PackedTagRange> ranges, UnpackTagRanges(ranges_of_.Blob(0)));
    for (const PackedTagRange& r : ranges)
      if (r.tag_id) touched_.insert(*r.tag_id);
    return Status::OK();
  }

  // Brings first_ts, last_ts, point_count and units of the touched tags up
  // to date: a tag that lost rows is recomputed from the live segments'
  // figures; one that only gained rows is updated from the added figures.
  // REQUIRES: the segments rows are already changed.
  Status Refresh() {
    if (!touched_.empty()) RETURN_IF_ERROR(Recompute(&touched_));
    Stmt add(db_, kAddFigures);
    Stmt units(db_, kAddUnits);
    for (const auto& [id, a] : added_) {
      if (touched_.count(id)) continue;
      add.Reset();
      add.Bind(1, table_);
      add.Bind(2, id);
      add.Bind(3, a.min_ts);
      add.Bind(4, a.max_ts);
      add.Bind(5, a.rows);
      RETURN_IF_ERROR(StepDone(add, db_, path_, "update tag figures"));
      if (!a.units) continue;
      units.Reset();
      units.Bind(1, table_);
      units.Bind(2, id);
      units.Bind(3, a.units);
      units.Bind(4, a.units_ts);
      units.Bind(5, a.units_path);
      RETURN_IF_ERROR(StepDone(units, db_, path_, "update tag units"));
    }
    touched_.clear();
    added_.clear();
    return Status::OK();
  }

  // The figures of every tag of the table.
  Status RefreshAll() {
    added_.clear();
    touched_.clear();
    return Recompute(nullptr);
  }

 private:
  // SQLite's min(a, b) is NULL when either is: coalesce keeps the other.
  static constexpr const char* kAddFigures =
      "UPDATE tags SET first_ts = coalesce(min(first_ts, ?3), first_ts, ?3), last_ts = "
      "coalesce(max(last_ts, ?4), last_ts, ?4), point_count = point_count + ?5 "
      "WHERE table_name = ?1 AND id = ?2";
  // The latest units by (ts, segment path), a NULL ts lowest.
  static constexpr const char* kAddUnits =
      "UPDATE tags SET units = ?3, units_ts = ?4, units_path = ?5 WHERE table_name = ?1 AND "
      "id = ?2 AND (units IS NULL OR (coalesce(?4, -9223372036854775808), ?5) > "
      "(coalesce(units_ts, -9223372036854775808), units_path))";
  static constexpr const char* kSetFigures =
      "UPDATE tags SET first_ts = ?3, last_ts = ?4, point_count = ?5, units = ?6, units_ts = ?7, "
      "units_path = ?8 WHERE table_name = ?1 AND id = ?2";

  static std::pair<int64_t, std::string> UnitsKey(std::optional<int64_t> ts,
                                                  const std::string& path) {
    return {ts.value_or(INT64_MIN), path};
  }

  struct Added {
    std::optional<int64_t> min_ts, max_ts;
    int64_t rows = 0;
    std::optional<std::string> units;
    std::optional<int64_t> units_ts;
    std::string units_path;
  };

  // Recomputes the tags in `ids` (all of the table's when null) from the
  // packed figures of its live segments: one pass over them.
  Status Recompute(const std::set<int64_t>* ids) {
    std::map<int64_t, Added> figures;
    Stmt s(db_, "SELECT path, tag_ranges FROM segments WHERE table_name = ?1 AND tags_indexed = 1");
    s.Bind(1, table_);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      const std::string path = s.Text(0);
      ASSIGN_OR_RETURN(std::vector<PackedTagRange> ranges, UnpackTagRanges(s.Blob(1)));
      for (const PackedTagRange& r : ranges) {
        if (!r.tag_id || (ids != nullptr && !ids->count(*r.tag_id))) continue;
        Added& a = figures[*r.tag_id];
        if (r.min_ts) a.min_ts = a.min_ts ? std::min(*a.min_ts, *r.min_ts) : *r.min_ts;
        if (r.max_ts) a.max_ts = a.max_ts ? std::max(*a.max_ts, *r.max_ts) : *r.max_ts;
        a.rows += r.rows;
        if (r.units &&
            (!a.units || UnitsKey(r.units_ts, path) > UnitsKey(a.units_ts, a.units_path))) {
          a.units = r.units;
          a.units_ts = r.units_ts;
          a.units_path = path;
        }
      }
    }
    if (rc != SQLITE_DONE) return Fail("read the tag index of " + table_);
    std::vector<int64_t> all;
    if (ids == nullptr) {
      Stmt t(db_, "SELECT id FROM tags WHERE table_name = ?1");
      t.Bind(1, table_);
      while ((rc = t.Step()) == SQLITE_ROW) all.push_back(t.Int(0));
      if (rc != SQLITE_DONE) return Fail("list tags of " + table_);
    } else {
      all.assign(ids->begin(), ids->end());
    }
    Stmt set(db_, kSetFigures);
    for (int64_t id : all) {
      auto it = figures.find(id);
      const Added none;
      const Added& a = it == figures.end() ? none : it->second;
      set.Reset();
      set.Bind(1, table_);
      set.Bind(2, id);
      set.Bind(3, a.min_ts);
      set.Bind(4, a.max_ts);
      set.Bind(5, a.rows);
      set.Bind(6, a.units);
      set.Bind(7, a.units ? a.units_ts : std::nullopt);
      set.Bind(8, a.units ? std::optional<std::string>(a.units_path) : std::nullopt);
      RETURN_IF_ERROR(StepDone(set, db_, path_, "update tag figures"));
    }
    return Status::OK();
  }

  Status Fail(const std::string& what) const {
    return SqlError(db_, sqlite3_extended_errcode(db_), path_, what);
  }

  Result<int64_t> IdOf(const std::string& tag) {
    auto it = cache_.find(tag);
    if (it != cache_.end()) return it->second;
    find_.Reset();
    find_.Bind(1, table_);
    find_.Bind(2, tag);
    int rc = find_.Step();
    int64_t id;
    if (rc == SQLITE_ROW) {
      id = find_.Int(0);
    } else if (rc == SQLITE_DONE) {
      add_tag_.Reset();
      add_tag_.Bind(1, table_);
      add_tag_.Bind(2, tag);
      if (add_tag_.Step() != SQLITE_ROW) return Fail("add tag " + tag);
      id = add_tag_.Int(0);
      add_tag_.Reset();
    } else {
      return Fail("find tag " + tag);
    }
    cache_.emplace(tag, id);
    return id;
  }

  sqlite3* db_;
  std::string path_;
  std::string table_;
  Stmt find_, add_tag_, ranges_of_;
  std::map<std::string, int64_t> cache_;
  std::set<int64_t> touched_;       // lost rows: recompute
  std::map<int64_t, Added> added_;  // gained rows
};

}  // namespace tsl::catalog_sql
