// Catalog: the tag index's queries (tags, segment_tags; see
// formats/catalog.md). The writes are TagIndexWriter's (catalog_sql.h).
// Thread-safety: every public method takes mu_ (one connection).
#include <cstdint>
#include <set>

#include "storage/catalog.h"
#include "storage/catalog_sql.h"

namespace tsl {

using catalog_sql::StepDone;
using catalog_sql::Stmt;

Result<std::vector<Catalog::TagEntry>> Catalog::ListTags(const std::string& table_name) const {
  std::lock_guard<std::mutex> l(mu_);
  Stmt s(db_,
         "SELECT id, name, units, description, first_ts, last_ts, point_count FROM tags "
         "WHERE table_name = ?1 ORDER BY name");
  if (!s.prepared()) return Error("list tags");
  s.Bind(1, table_name);
  std::vector<TagEntry> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW)
    out.push_back(TagEntry{s.Int(0), s.Text(1), s.OptText(2), s.OptText(3), s.OptInt(4),
                           s.OptInt(5), s.Int(6)});
  if (rc != SQLITE_DONE) return Error("list tags of " + table_name);
  return out;
}

Result<std::vector<Catalog::SegmentTagEntry>> Catalog::ListSegmentTags(
    const std::string& table_name) const {
  std::lock_guard<std::mutex> l(mu_);
  Stmt s(db_,
         "SELECT st.path, t.name, st.min_ts, st.max_ts, st.rows, st.units, st.units_ts "
         "FROM segment_tags AS st LEFT JOIN tags AS t ON t.table_name = st.table_name AND "
         "t.id = st.tag_id WHERE st.table_name = ?1 ORDER BY st.path, t.name");
  if (!s.prepared()) return Error("list segment tags");
  s.Bind(1, table_name);
  std::vector<SegmentTagEntry> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW)
    out.push_back(SegmentTagEntry{s.Text(0), s.OptText(1), s.OptInt(2), s.OptInt(3), s.Int(4),
                                  s.OptText(5), s.OptInt(6)});
  if (rc != SQLITE_DONE) return Error("list segment tags of " + table_name);
  return out;
}

Result<std::set<std::string>> Catalog::IndexedSegmentPaths(const std::string& table_name) const {
  std::lock_guard<std::mutex> l(mu_);
  Stmt s(db_, "SELECT path FROM segments WHERE table_name = ?1 AND tags_indexed = 1");
  if (!s.prepared()) return Error("list indexed segments");
  s.Bind(1, table_name);
  std::set<std::string> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) out.insert(s.Text(0));
  if (rc != SQLITE_DONE) return Error("list indexed segments of " + table_name);
  return out;
}

Result<std::optional<Catalog::LatestSegments>> Catalog::LatestTagSegments(
    const std::string& table_name, int64_t version, std::optional<int64_t> lo,
    std::optional<int64_t> hi) const {
  std::lock_guard<std::mutex> l(mu_);
  std::optional<LatestSegments> out;
  // A deferred read transaction: the three reads see one catalog state.
  Status st = [&]() -> Status {
    char* err = nullptr;
    if (sqlite3_exec(db_, "BEGIN", nullptr, nullptr, &err) != SQLITE_OK) {
      sqlite3_free(err);
      return Error("begin read");
    }
    Status body = [&]() -> Status {
      {
        Stmt s(db_, "SELECT latest_version, stale FROM tables WHERE name = ?1");
        s.Bind(1, table_name);
        int rc = s.Step();
        if (rc == SQLITE_DONE) return Status::OK();
        if (rc != SQLITE_ROW) return Error("read version of " + table_name);
        if (s.Int(0) != version || s.Int(1) != 0) return Status::OK();
      }
      {
        Stmt s(db_, "SELECT count(*) FROM segments WHERE table_name = ?1 AND tags_indexed = 0");
        s.Bind(1, table_name);
        if (s.Step() != SQLITE_ROW) return Error("count unindexed segments of " + table_name);
        if (s.Int(0) != 0) return Status::OK();
      }
      LatestSegments found;
      std::set<std::string> paths;
      int rc;
      if (!lo && !hi) {
        // SQLite takes a bare column of a max() aggregate from the row
        // holding the maximum (any row when every max_ts is NULL).
        Stmt s(db_,
               "SELECT path, max(max_ts) FROM segment_tags WHERE table_name = ?1 GROUP BY tag_id");
        if (!s.prepared()) return Error("find latest segments");
        s.Bind(1, table_name);
        while ((rc = s.Step()) == SQLITE_ROW) {
          paths.insert(s.Text(0));
          ++found.tags;
        }
        if (rc != SQLITE_DONE) return Error("find latest segments of " + table_name);
      } else {
        // Per tag, the segments whose [min_ts, max_ts] overlaps [lo, hi].
        // A segment surely holds rows at min_ts and max_ts, so the newest
        // row in range is at least `known`, the greatest of those inside
        // the range; a segment whose range ends (clipped to hi) below
        // `known` cannot hold it. Without any known row, every overlapping
        // segment is read.
        const int64_t l = lo.value_or(INT64_MIN), h = hi.value_or(INT64_MAX);
        Stmt s(db_,
               "SELECT tag_id, path, min_ts, max_ts FROM segment_tags WHERE table_name = ?1 AND "
               "max_ts >= ?2 AND min_ts <= ?3 ORDER BY tag_id");
        if (!s.prepared()) return Error("find latest segments");
        s.Bind(1, table_name);
        s.Bind(2, l);
        s.Bind(3, h);
        struct Row {
          std::string path;
          int64_t min_ts, max_ts;
        };
        std::vector<Row> group;
        std::optional<int64_t> group_id;
        auto flush = [&]() {
          if (group.empty()) return;
          std::optional<int64_t> known;
          for (const Row& r : group) {
            for (int64_t t : {r.min_ts, r.max_ts})
              if (t >= l && t <= h && (!known || t > *known)) known = t;
          }
          for (const Row& r : group)
            if (!known || std::min(r.max_ts, h) >= *known) paths.insert(r.path);
          ++found.tags;
          group.clear();
        };
        while ((rc = s.Step()) == SQLITE_ROW) {
          std::optional<int64_t> id = s.OptInt(0);
          if (!group.empty() && id != group_id) flush();
          group_id = id;
          group.push_back(Row{s.Text(1), s.Int(2), s.Int(3)});
        }
        if (rc != SQLITE_DONE) return Error("find latest segments of " + table_name);
        flush();
      }
      found.paths.assign(paths.begin(), paths.end());
      out = std::move(found);
      return Status::OK();
    }();
    (void)sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    return body;
  }();
  RETURN_IF_ERROR(st);
  return out;
}

Status Catalog::SetTagDescription(const std::string& table_name, const std::string& tag,
                                  const std::optional<std::string>& description) {
  RETURN_IF_ERROR(RefuseIfReadOnly());
  std::lock_guard<std::mutex> l(mu_);
  Stmt s(db_, "UPDATE tags SET description = ?3 WHERE table_name = ?1 AND name = ?2");
  s.Bind(1, table_name);
  s.Bind(2, tag);
  s.Bind(3, description);
  RETURN_IF_ERROR(StepDone(s, db_, path_, "set description of tag " + tag));
  if (sqlite3_changes(db_) == 0)
    return Status::NotFound("table \"" + table_name + "\" has no tag \"" + tag +
                            "\" (see tslake_tags('" + table_name + "'))");
  return Status::OK();
}

}  // namespace tsl
