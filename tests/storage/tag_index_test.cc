// The catalog's tag index (tags, segment_tags): kept in step with commits
// (append, OPTIMIZE, RESTORE, retention), equal to a rebuild from the
// segment files, units from a `units` column, and the upgrade of a
// version 2 catalog.
#include "storage/tag_index.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <set>

#include "formats/timestamp.h"
#include "storage/catalog.h"
#include "storage/database.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

using testing::MetricChunk;
using testing::MetricSchema;

int64_t T0() { return *ParseTimestamp("2024-01-01"); }

void Append(const std::shared_ptr<Table>& table, DataChunk chunk) {
  auto w = table->NewWriter();
  ASSERT_TRUE(w->Append(chunk).ok());
  auto r = w->Commit("WRITE");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

std::unique_ptr<Database> OpenDb(const std::string& path) {
  auto db = Database::Open(path);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

// What the tags rows must say, computed from the live rows themselves.
struct Expected {
  int64_t first = INT64_MAX, last = INT64_MIN, count = 0;
};
std::map<std::string, Expected> ExpectedFromRows(Table& table) {
  std::map<std::string, Expected> out;
  auto snap = table.GetSnapshot();
  EXPECT_TRUE(snap.ok());
  ScanOptions o;
  auto scan = table.NewScan(*snap, o);
  EXPECT_TRUE(scan.ok());
  DataChunk c;
  while (true) {
    auto more = (*scan)->Next(&c);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    for (size_t i = 0; i < c.size(); ++i) {
      Expected& e = out[c.columns[1].strings[i]];
      e.first = std::min(e.first, c.columns[0].ints[i]);
      e.last = std::max(e.last, c.columns[0].ints[i]);
      ++e.count;
    }
  }
  return out;
}

void ExpectTagsMatchRows(Database& db, Table& table) {
  auto tags = db.catalog()->ListTags(table.name());
  ASSERT_TRUE(tags.ok()) << tags.status().ToString();
  std::map<std::string, Expected> want = ExpectedFromRows(table);
  size_t live = 0;
  for (const Catalog::TagEntry& t : *tags) {
    auto it = want.find(t.name);
    if (it == want.end()) {
      EXPECT_EQ(t.point_count, 0) << t.name;  // a tag whose rows are all gone keeps its id
      EXPECT_FALSE(t.last_ts.has_value()) << t.name;
      continue;
    }
    ++live;
    EXPECT_EQ(t.point_count, it->second.count) << t.name;
    EXPECT_EQ(t.first_ts, it->second.first) << t.name;
    EXPECT_EQ(t.last_ts, it->second.last) << t.name;
  }
  EXPECT_EQ(live, want.size());
  // segment_tags covers exactly the live segments, and they are all indexed.
  auto snap = table.GetSnapshot();
  ASSERT_TRUE(snap.ok());
  std::set<std::string> paths;
  for (const AddAction& a : (*snap)->files()) paths.insert(a.path);
  auto indexed = db.catalog()->IndexedSegmentPaths(table.name());
  ASSERT_TRUE(indexed.ok());
  EXPECT_EQ(*indexed, paths);
  auto seg = db.catalog()->ListSegmentTags(table.name());
  ASSERT_TRUE(seg.ok());
  std::set<std::string> seg_paths;
  for (const auto& s : *seg) seg_paths.insert(s.path);
  EXPECT_EQ(seg_paths, paths);
}

TEST(TagIndexTest, KeptInStepWithCommitsAndEqualToARebuild) {
  testing::TempDir dir;
  auto db = OpenDb(dir.path());
  ASSERT_TRUE(db);
  auto t = db->CreateTable("m", MetricSchema());
  ASSERT_TRUE(t.ok());
  Append(*t, MetricChunk(T0(), 10));                     // t0, t1, t2
  Append(*t, MetricChunk(T0() + 100 * 1000000, 4, 50));  // later rows
  ExpectTagsMatchRows(*db, **t);
  auto first = *db->catalog()->ListTags("m");
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].name, "t0");
  EXPECT_EQ(first[0].point_count, 4 + 2);
  EXPECT_EQ(first[0].last_ts, T0() + 103 * 1000000);

  // A new tag gets the next id; old ids stay.
  DataChunk extra = MetricChunk(T0() + 200 * 1000000, 1);
  extra.columns[1].strings[0] = "a-new";
  Append(*t, std::move(extra));
  auto tags = *db->catalog()->ListTags("m");
  ASSERT_EQ(tags.size(), 4u);
  EXPECT_EQ(tags[0].name, "a-new");
  EXPECT_EQ(tags[0].id, 4);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(tags[i + 1], first[i]);
  EXPECT_EQ(tags[1].id, first[0].id);

  ASSERT_TRUE((*t)->Optimize().ok());  // removes three files, adds one
  ExpectTagsMatchRows(*db, **t);
  EXPECT_EQ((*db->catalog()->ListTags("m"))[0].id, 4);

  ASSERT_TRUE((*t)->RestoreToVersion(1).ok());  // back to the first append only
  ExpectTagsMatchRows(*db, **t);
  auto restored = *db->catalog()->ListTags("m");
  ASSERT_EQ(restored.size(), 4u);
  EXPECT_EQ(restored[0].name, "a-new");
  EXPECT_EQ(restored[0].point_count, 0);
  EXPECT_EQ(restored[1].point_count, 4);

  Append(*t, MetricChunk(T0() + 300 * 1000000, 5));
  ExpectTagsMatchRows(*db, **t);
  auto tags_before = *db->catalog()->ListTags("m");
  auto segs_before = *db->catalog()->ListSegmentTags("m");

  // The rebuild reads the segment files and finds the writer's figures.
  ASSERT_TRUE(db->RebuildCatalog().ok());
  EXPECT_EQ(*db->catalog()->ListTags("m"), tags_before);
  EXPECT_EQ(*db->catalog()->ListSegmentTags("m"), segs_before);

  // Without the catalog file the figures come back (ids renumbered).
  db.reset();
  std::filesystem::remove(dir.path() + "/catalog.sqlite");
  db = OpenDb(dir.path());
  ASSERT_TRUE(db);
  EXPECT_EQ(*db->catalog()->ListSegmentTags("m"), segs_before);
  auto again = *db->catalog()->ListTags("m");
  ASSERT_EQ(again.size(), 3u);  // a-new no longer has rows anywhere
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(again[i].name, tags_before[i + 1].name);
    EXPECT_EQ(again[i].point_count, tags_before[i + 1].point_count);
    EXPECT_EQ(again[i].last_ts, tags_before[i + 1].last_ts);
  }
}

TEST(TagIndexTest, NullTagsAndTimestampsAreIndexed) {
  testing::TempDir dir;
  auto db = OpenDb(dir.path());
  auto t = db->CreateTable("m", MetricSchema());
  ASSERT_TRUE(t.ok());
  DataChunk c = MetricChunk(T0(), 6);
  c.columns[1].valid[0] = 0;  // NULL tag
  c.columns[1].strings[0].clear();
  c.columns[0].valid[1] = 0;  // t1 has a NULL ts row
  c.columns[0].ints[1] = 0;
  Append(*t, std::move(c));
  auto seg = *db->catalog()->ListSegmentTags("m");
  ASSERT_EQ(seg.size(), 4u);
  EXPECT_FALSE(seg[0].tag.has_value());
  EXPECT_EQ(seg[0].rows, 1);
  EXPECT_EQ(seg[0].max_ts, T0());
  EXPECT_EQ(seg[2].tag, "t1");
  EXPECT_EQ(seg[2].rows, 2);
  EXPECT_EQ(seg[2].min_ts, T0() + 4 * 1000000);  // the NULL ts row counts, but not in the range
  auto tags = *db->catalog()->ListTags("m");
  ASSERT_EQ(tags.size(), 3u);  // the NULL tag has no dictionary entry
  auto latest = db->catalog()->LatestTagSegments("m", 1);
  ASSERT_TRUE(latest.ok());
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ((*latest)->tags, 4);
  EXPECT_EQ((*latest)->paths.size(), 1u);
  // Another version than the catalog's: no answer.
  EXPECT_FALSE(db->catalog()->LatestTagSegments("m", 0)->has_value());
}

TEST(TagIndexTest, UnitsAreTheLatestNonNullValue) {
  testing::TempDir dir;
  auto db = OpenDb(dir.path());
  Schema schema{{{"ts", TypeId::kTimestamp},
                 {"tag", TypeId::kVarchar},
                 {"v", TypeId::kDouble},
                 {"Units", TypeId::kVarchar}}};
  auto t = db->CreateTable("pi", schema);
  ASSERT_TRUE(t.ok());
  auto chunk = [&](int64_t ts, const char* tag, const char* units) {
    DataChunk c;
    c.Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble, TypeId::kVarchar});
    c.columns[0].AppendInt(ts);
    c.columns[1].AppendString(tag);
    c.columns[2].AppendDouble(1);
    if (units) {
      c.columns[3].AppendString(units);
    } else {
      c.columns[3].AppendNull();
    }
    return c;
  };
  Append(*t, chunk(T0() + 10, "a", "degC"));
  Append(*t, chunk(T0() + 5, "a", "K"));       // older: not the latest
  Append(*t, chunk(T0() + 20, "a", nullptr));  // newer but NULL
  Append(*t, chunk(T0(), "b", "bar"));
  auto tags = *db->catalog()->ListTags("pi");
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0].units, "degC");
  EXPECT_EQ(tags[1].units, "bar");
  EXPECT_TRUE(db->catalog()->SetTagDescription("pi", "a", "inlet").ok());
  EXPECT_EQ(db->catalog()->SetTagDescription("pi", "zz", "x").code(), StatusCode::kNotFound);
  ASSERT_TRUE(db->RebuildCatalog().ok());
  auto rebuilt = *db->catalog()->ListTags("pi");
  EXPECT_EQ(rebuilt[0].units, "degC");
  EXPECT_EQ(rebuilt[0].description, "inlet");  // kept: tags rows survive a rebuild
}

TEST(TagIndexTest, VersionTwoCatalogIsUpgradedAndReindexed) {
  testing::TempDir dir;
  std::vector<Catalog::TagEntry> tags_before;
  std::vector<Catalog::SegmentTagEntry> segs_before;
  {
    auto db = OpenDb(dir.path());
    auto t = db->CreateTable("m", MetricSchema());
    ASSERT_TRUE(t.ok());
    Append(*t, MetricChunk(T0(), 9));
    Append(*t, MetricChunk(T0() + 60 * 1000000, 9));
    tags_before = *db->catalog()->ListTags("m");
    segs_before = *db->catalog()->ListSegmentTags("m");
  }
  // Turn the file into what a version 2 tslake wrote.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() + "/catalog.sqlite").c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw,
                         "DROP TABLE tags; DROP TABLE IF EXISTS segment_tags; "
                         "DROP INDEX IF EXISTS segments_not_indexed; "
                         "DROP INDEX IF EXISTS segments_with_null_tag; "
                         "ALTER TABLE segments DROP COLUMN tags_indexed; "
                         "ALTER TABLE segments DROP COLUMN null_tag_rows; "
                         "ALTER TABLE segments DROP COLUMN tag_ranges; "
                         "UPDATE meta SET value = '2' WHERE key = 'schema_version'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(raw);
  sqlite3_close(raw);
  auto db = OpenDb(dir.path());
  ASSERT_TRUE(db);
  EXPECT_EQ(*db->catalog()->ListTags("m"), tags_before);
  EXPECT_EQ(*db->catalog()->ListSegmentTags("m"), segs_before);
  auto t = db->GetTable("m");
  ASSERT_TRUE(t.ok());
  ExpectTagsMatchRows(*db, **t);
  EXPECT_TRUE(db->catalog()->LatestTagSegments("m", 2)->has_value());
}

// Version 3 kept one segment_tags row per (segment, tag); version 4 packs
// them into segments.tag_ranges. A version 3 file is upgraded by a
// writable open and re-indexed from the segment files, keeping tag ids and
// descriptions.
TEST(TagIndexTest, VersionThreeCatalogIsUpgradedAndReindexed) {
  testing::TempDir dir;
  std::vector<Catalog::TagEntry> tags_before;
  std::vector<Catalog::SegmentTagEntry> segs_before;
  {
    auto db = OpenDb(dir.path());
    auto t = db->CreateTable("m", MetricSchema());
    ASSERT_TRUE(t.ok());
    Append(*t, MetricChunk(T0(), 9));
    Append(*t, MetricChunk(T0() + 60 * 1000000, 9));
    ASSERT_TRUE(db->catalog()->SetTagDescription("m", "t1", "inlet").ok());
    tags_before = *db->catalog()->ListTags("m");
    segs_before = *db->catalog()->ListSegmentTags("m");
  }
  // What a version 3 tslake wrote (its segment_tags rows do not matter:
  // the upgrade drops them).
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() + "/catalog.sqlite").c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw,
                         "DROP INDEX segments_not_indexed; DROP INDEX segments_with_null_tag; "
                         "DROP INDEX segments_by_max_ts; "
                         "ALTER TABLE segments DROP COLUMN null_tag_rows; "
                         "ALTER TABLE segments DROP COLUMN tag_ranges; "
                         "ALTER TABLE tags DROP COLUMN units_ts; "
                         "ALTER TABLE tags DROP COLUMN units_path; "
                         "CREATE TABLE segment_tags(table_name TEXT NOT NULL COLLATE NOCASE, "
                         "path TEXT NOT NULL, tag_id INTEGER, min_ts INTEGER, max_ts INTEGER, "
                         "rows INTEGER NOT NULL, units TEXT, units_ts INTEGER); "
                         "UPDATE meta SET value = '3' WHERE key = 'schema_version'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(raw);
  sqlite3_close(raw);
  auto db = OpenDb(dir.path());
  ASSERT_TRUE(db);
  EXPECT_TRUE(db->Notices().empty()) << db->Notices()[0];
  EXPECT_EQ(*db->catalog()->ListTags("m"), tags_before);
  EXPECT_EQ(*db->catalog()->ListSegmentTags("m"), segs_before);
  auto t = db->GetTable("m");
  ASSERT_TRUE(t.ok());
  ExpectTagsMatchRows(*db, **t);
  EXPECT_TRUE(db->catalog()->LatestTagSegments("m", 2)->has_value());
}

}  // namespace
}  // namespace tsl
