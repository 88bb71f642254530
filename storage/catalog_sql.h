// Internal to the catalog (catalog.cc, catalog_tags.cc): the SQLite
// statement wrapper, transactions, and TagIndexWriter, which keeps the tag
// index (tags, segment_tags; formats/catalog.md) in step inside a commit's
// or re-sync's transaction. Not for other code: use Catalog.
// Thread-safety: callers hold Catalog::mu_ (one connection).
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "formats/log_action.h"
#include "formats/status.h"

namespace tsl::catalog_sql {

// A prepared statement that finalizes itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
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
  std::optional<int64_t> OptInt(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_int64(stmt_, col);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on error.
template <typename F>
inline Status InTransaction(sqlite3* db, const std::string& path, F&& body) {
  auto exec = [&](const char* sql) -> Status {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return Status::IOError("catalog " + path + ": " + msg);
    }
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
    return Status::IOError("catalog " + path + ": " + what + ": " + sqlite3_errmsg(db));
  return Status::OK();
}

// Writes segment_tags rows for one table, assigning tag ids as tags first
// appear; remembers the ids touched so their figures can be recomputed.
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
        add_row_(db,
                 "INSERT INTO segment_tags(table_name, path, tag_id, min_ts, max_ts, rows, units, "
                 "units_ts) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        ids_of_(db, "SELECT DISTINCT tag_id FROM segment_tags WHERE table_name = ?1 AND path = ?2"),
        remove_(db, "DELETE FROM segment_tags WHERE table_name = ?1 AND path = ?2") {}

  Status Add(const std::string& segment, const std::vector<SegmentTagRange>& ranges) {
    for (const SegmentTagRange& r : ranges) {
      std::optional<int64_t> id;
      if (r.tag) {
        ASSIGN_OR_RETURN(id, IdOf(*r.tag));
      }
      if (id) {
        Added& a = added_[*id];
        if (r.min_ts) a.min_ts = a.min_ts ? std::min(*a.min_ts, *r.min_ts) : *r.min_ts;
        if (r.max_ts) a.max_ts = a.max_ts ? std::max(*a.max_ts, *r.max_ts) : *r.max_ts;
        a.rows += r.rows;
        a.units = a.units || r.units.has_value();
      }
      add_row_.Reset();
      add_row_.Bind(1, table_);
      add_row_.Bind(2, segment);
      add_row_.Bind(3, id);
      add_row_.Bind(4, r.min_ts);
      add_row_.Bind(5, r.max_ts);
      add_row_.Bind(6, r.rows);
      add_row_.Bind(7, r.units);
      add_row_.Bind(8, r.units_ts);
      RETURN_IF_ERROR(StepDone(add_row_, db_, path_, "index tags of segment " + segment));
    }
    return Status::OK();
  }

  Status Remove(const std::string& segment) {
    ids_of_.Reset();
    ids_of_.Bind(1, table_);
    ids_of_.Bind(2, segment);
    int rc;
    while ((rc = ids_of_.Step()) == SQLITE_ROW) touched_.insert(ids_of_.OptInt(0));
    if (rc != SQLITE_DONE) return Fail("read tags of segment " + segment);
    remove_.Reset();
    remove_.Bind(1, table_);
    remove_.Bind(2, segment);
    return StepDone(remove_, db_, path_, "remove tags of segment " + segment);
  }

  // Brings first_ts, last_ts, point_count and units of the touched tags up
  // to date: a tag that lost rows is recomputed from all its segment_tags
  // rows; one that only gained rows is updated from the added figures (a
  // commit costs its own rows, not the table's).
  Status Refresh() {
    Stmt full(db_, kRefreshOne);
    for (const std::optional<int64_t>& id : touched_) {
      if (!id) continue;
      full.Reset();
      full.Bind(1, table_);
      full.Bind(2, *id);
      RETURN_IF_ERROR(StepDone(full, db_, path_, "update tag figures"));
    }
    Stmt add(db_, kAddFigures);
    Stmt units(db_, kRefreshUnits);
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
      RETURN_IF_ERROR(StepDone(units, db_, path_, "update tag units"));
    }
    touched_.clear();
    added_.clear();
    return Status::OK();
  }

  // The figures of every tag of the table.
  static Status RefreshAll(sqlite3* db, const std::string& path, const std::string& table) {
    Stmt s(db, kRefreshAll);
    s.Bind(1, table);
    return StepDone(s, db, path, "update tag figures of " + table);
  }

 private:
  // SQLite's min(a, b) is NULL when either is: coalesce keeps the other.
  static constexpr const char* kAddFigures =
      "UPDATE tags SET first_ts = coalesce(min(first_ts, ?3), first_ts, ?3), last_ts = "
      "coalesce(max(last_ts, ?4), last_ts, ?4), point_count = point_count + ?5 "
      "WHERE table_name = ?1 AND id = ?2";
  static constexpr const char* kRefreshUnits =
      "UPDATE tags SET units = (SELECT units FROM segment_tags WHERE table_name = ?1 AND tag_id = "
      "?2 AND units IS NOT NULL ORDER BY units_ts DESC, path DESC LIMIT 1) "
      "WHERE table_name = ?1 AND id = ?2";
  static constexpr const char* kRefreshOne =
      "UPDATE tags SET (first_ts, last_ts, point_count) = (SELECT min(min_ts), max(max_ts), "
      "coalesce(sum(rows), 0) FROM segment_tags WHERE table_name = ?1 AND tag_id = ?2), "
      "units = (SELECT units FROM segment_tags WHERE table_name = ?1 AND tag_id = ?2 AND units "
      "IS NOT NULL ORDER BY units_ts DESC, path DESC LIMIT 1) WHERE table_name = ?1 AND id = ?2";
  static constexpr const char* kRefreshAll =
      "UPDATE tags SET (first_ts, last_ts, point_count) = (SELECT min(st.min_ts), max(st.max_ts), "
      "coalesce(sum(st.rows), 0) FROM segment_tags AS st WHERE st.table_name = ?1 AND st.tag_id = "
      "tags.id), units = (SELECT st.units FROM segment_tags AS st WHERE st.table_name = ?1 AND "
      "st.tag_id = tags.id AND st.units IS NOT NULL ORDER BY st.units_ts DESC, st.path DESC "
      "LIMIT 1) WHERE table_name = ?1";

  Status Fail(const std::string& what) const {
    return Status::IOError("catalog " + path_ + ": " + what + ": " + sqlite3_errmsg(db_));
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
  Stmt find_, add_tag_, add_row_, ids_of_, remove_;
  struct Added {
    std::optional<int64_t> min_ts, max_ts;
    int64_t rows = 0;
    bool units = false;
  };
  std::map<std::string, int64_t> cache_;
  std::set<std::optional<int64_t>> touched_;  // lost rows: recompute
  std::map<int64_t, Added> added_;            // gained rows
};

}  // namespace tsl::catalog_sql
