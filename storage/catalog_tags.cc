// Catalog: the tag index's queries (tags, segments.tag_ranges; see
// formats/catalog.md). The writes are TagIndexWriter's (catalog_sql.h).
// Thread-safety: every public method takes mu_ (one connection).
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "storage/catalog.h"

#include "formats/mutex.h"
#include "storage/catalog_sql.h"
#include "storage/catalog_tag_ranges.h"

namespace tsl {

using catalog_sql::StepDone;
using catalog_sql::Stmt;

Result<std::vector<Catalog::TagEntry>> Catalog::ListTags(const std::string& table_name) const {
  tsl::MutexLock l(mu_);
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
  tsl::MutexLock l(mu_);
  std::map<int64_t, std::string> names;
  {
    Stmt s(db_, "SELECT id, name FROM tags WHERE table_name = ?1");
    if (!s.prepared()) return Error("list segment tags");
    s.Bind(1, table_name);
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) names.emplace(s.Int(0), s.Text(1));
    if (rc != SQLITE_DONE) return Error("list segment tags of " + table_name);
  }
  Stmt s(db_,
         "SELECT path, tag_ranges FROM segments WHERE table_name = ?1 AND tags_indexed = 1 "
         "ORDER BY path");
  if (!s.prepared()) return Error("list segment tags");
  s.Bind(1, table_name);
  std::vector<SegmentTagEntry> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    ASSIGN_OR_RETURN(std::vector<PackedTagRange> ranges, UnpackTagRanges(s.Blob(1)));
    const size_t first = out.size();
    for (PackedTagRange& r : ranges) {
      SegmentTagEntry e;
      e.path = s.Text(0);
      if (r.tag_id) {
        auto it = names.find(*r.tag_id);
        if (it != names.end()) e.tag = it->second;
      }
      e.min_ts = r.min_ts;
      e.max_ts = r.max_ts;
      e.rows = r.rows;
      e.units = std::move(r.units);
      e.units_ts = r.units_ts;
      out.push_back(std::move(e));
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
              [](const SegmentTagEntry& x, const SegmentTagEntry& y) { return x.tag < y.tag; });
  }
  if (rc != SQLITE_DONE) return Error("list segment tags of " + table_name);
  return out;
}

Result<std::set<std::string>> Catalog::IndexedSegmentPaths(const std::string& table_name) const {
  tsl::MutexLock l(mu_);
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
  tsl::MutexLock l(mu_);
  std::optional<LatestSegments> out;
  // A deferred read transaction: the three reads see one catalog state.
  Status st = [&]() REQUIRES(mu_) -> Status {
    char* err = nullptr;
    if (sqlite3_exec(db_, "BEGIN", nullptr, nullptr, &err) != SQLITE_OK) {
      sqlite3_free(err);
      return Error("begin read");
    }
    Status body = [&]() REQUIRES(mu_) -> Status {
      {
        Stmt s(db_, "SELECT latest_version, stale FROM tables WHERE name = ?1");
        s.Bind(1, table_name);
        int rc = s.Step();
        if (rc == SQLITE_DONE) return Status::OK();
        if (rc != SQLITE_ROW) return Error("read version of " + table_name);
        if (s.Int(0) != version || s.Int(1) != 0) return Status::OK();
      }
      {
        Stmt s(db_,
               "SELECT EXISTS(SELECT 1 FROM segments WHERE table_name = ?1 AND tags_indexed = 0)");
        s.Bind(1, table_name);
        if (s.Step() != SQLITE_ROW) return Error("count unindexed segments of " + table_name);
        if (s.Int(0) != 0) return Status::OK();
      }
      LatestSegments found;
      std::set<std::string> paths;
      int rc;
      if (!lo && !hi) {
        // Every tag group's segment with its greatest ts. Segments are
        // walked newest first (by max_ts, NULL last); the walk stops once
        // every group the table has (tags with rows, plus the NULL tag if
        // some segment has NULL tags) was seen and no later segment can
        // hold a greater ts: after a flush of every tag that is the first
        // segment, whatever the table's age.
        int64_t groups = 0;
        {
          Stmt s(db_,
                 "SELECT (SELECT count(*) FROM tags WHERE table_name = ?1 AND point_count > 0) + "
                 "EXISTS(SELECT 1 FROM segments WHERE table_name = ?1 AND null_tag_rows > 0)");
          s.Bind(1, table_name);
          if (s.Step() != SQLITE_ROW) return Error("count tags of " + table_name);
          groups = s.Int(0);
        }
        struct Best {
          std::optional<int64_t> max_ts;
          std::string path;
        };
        std::map<std::optional<int64_t>, Best> best;  // by tag id, nullopt: the NULL tag
        auto take = [&](std::string_view blob, const std::string& path) -> Status {
          ASSIGN_OR_RETURN(std::vector<PackedTagRange> ranges, UnpackTagRanges(blob));
          for (const PackedTagRange& r : ranges) {
            auto [it, inserted] = best.try_emplace(r.tag_id, Best{r.max_ts, path});
            if (!inserted && r.max_ts && (!it->second.max_ts || *r.max_ts > *it->second.max_ts))
              it->second = Best{r.max_ts, path};
          }
          return Status::OK();
        };
        // Segments without a max_ts in their stats first (normally none),
        // so that stopping early never skips one.
        {
          Stmt s(db_,
                 "SELECT path, tag_ranges FROM segments WHERE table_name = ?1 AND max_ts IS NULL");
          if (!s.prepared()) return Error("find latest segments");
          s.Bind(1, table_name);
          while ((rc = s.Step()) == SQLITE_ROW) RETURN_IF_ERROR(take(s.Blob(1), s.Text(0)));
          if (rc != SQLITE_DONE) return Error("find latest segments of " + table_name);
        }
        Stmt s(db_,
               "SELECT path, max_ts, tag_ranges FROM segments WHERE table_name = ?1 AND "
               "max_ts IS NOT NULL ORDER BY max_ts DESC");
        if (!s.prepared()) return Error("find latest segments");
        s.Bind(1, table_name);
        while ((rc = s.Step()) == SQLITE_ROW) {
          const int64_t seg_max = s.Int(1);
          if (static_cast<int64_t>(best.size()) >= groups) {
            bool can_improve = false;
            for (const auto& [id, b] : best)
              if (!b.max_ts || *b.max_ts < seg_max) can_improve = true;
            if (!can_improve) break;
          }
          RETURN_IF_ERROR(take(s.Blob(2), s.Text(0)));
        }
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
          return Error("find latest segments of " + table_name);
        for (const auto& [id, b] : best) paths.insert(b.path);
        found.tags = static_cast<int64_t>(best.size());
      } else {
        // Per tag, the segments whose [min_ts, max_ts] overlaps [lo, hi].
        // A segment surely holds rows at min_ts and max_ts, so the newest
        // row in range is at least `known`, the greatest of those inside
        // the range; a segment whose range ends (clipped to hi) below
        // `known` cannot hold it. Without any known row, every overlapping
        // segment is read.
        const int64_t l = lo.value_or(INT64_MIN), h = hi.value_or(INT64_MAX);
        Stmt s(db_,
               "SELECT path, tag_ranges FROM segments WHERE table_name = ?1 AND min_ts <= ?3 "
               "AND max_ts >= ?2");
        if (!s.prepared()) return Error("find latest segments");
        s.Bind(1, table_name);
        s.Bind(2, l);
        s.Bind(3, h);
        struct Row {
          std::string path;
          int64_t min_ts, max_ts;
        };
        std::map<std::optional<int64_t>, std::vector<Row>> groups;
        while ((rc = s.Step()) == SQLITE_ROW) {
          ASSIGN_OR_RETURN(std::vector<PackedTagRange> ranges, UnpackTagRanges(s.Blob(1)));
          std::string path = s.Text(0);
          for (const PackedTagRange& r : ranges)
            if (r.min_ts && r.max_ts && *r.max_ts >= l && *r.min_ts <= h)
              groups[r.tag_id].push_back(Row{path, *r.min_ts, *r.max_ts});
        }
        if (rc != SQLITE_DONE) return Error("find latest segments of " + table_name);
        for (const auto& [id, group] : groups) {
          std::optional<int64_t> known;
          for (const Row& r : group) {
            for (int64_t t : {r.min_ts, r.max_ts})
              if (t >= l && t <= h && (!known || t > *known)) known = t;
          }
          for (const Row& r : group)
            if (!known || std::min(r.max_ts, h) >= *known) paths.insert(r.path);
          ++found.tags;
        }
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
  tsl::MutexLock l(mu_);
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
