// Database and Catalog: table naming, read-only mode, drop, catalog
// maintenance, rebuild and reconciliation with the logs.
#include "storage/database.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "formats/timestamp.h"
#include "storage/catalog.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

using testing::MetricChunk;
using testing::MetricSchema;

int64_t T0() { return *ParseTimestamp("2024-01-01"); }

void Append(const std::shared_ptr<Table>& table, int64_t start, int rows) {
  auto w = table->NewWriter();
  ASSERT_TRUE(w->Append(MetricChunk(start, rows)).ok());
  auto r = w->Commit("WRITE");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

std::unique_ptr<Database> OpenDb(const std::string& path, bool read_only = false) {
  DatabaseOptions o;
  o.read_only = read_only;
  auto db = Database::Open(path, o);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

TEST(DatabaseTest, InMemoryDatabaseCreatesWritesAndScans) {
  auto db = OpenDb(":memory:");
  ASSERT_TRUE(db);
  EXPECT_TRUE(db->in_memory());
  EXPECT_EQ(db->path(), ":memory:");
  auto t = db->CreateTable("Metrics", MetricSchema());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  Append(*t, T0(), 10);
  auto again = db->GetTable("METRICS");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->name(), "Metrics");
  EXPECT_EQ((*(*again)->GetSnapshot())->total_rows(), 10);
  EXPECT_EQ(db->ListTables(), std::vector<std::string>{"Metrics"});
}

TEST(DatabaseTest, TableNamesAreValidated) {
  auto db = OpenDb(":memory:");
  for (const char* bad : {"", "1abc", "a-b", "a b", "../x", "a.b"}) {
    auto r = db->CreateTable(bad, MetricSchema());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(db->CreateTable("_ok_1", MetricSchema()).ok());
}

TEST(DatabaseTest, CreateExistingTableIsAlreadyExistsUnlessIfNotExists) {
  auto db = OpenDb(":memory:");
  ASSERT_TRUE(db->CreateTable("m", MetricSchema()).ok());
  auto dup = db->CreateTable("M", MetricSchema());
  EXPECT_TRUE(dup.status().IsAlreadyExists()) << dup.status().ToString();
  EXPECT_TRUE(db->CreateTable("M", MetricSchema(), {}, /*if_not_exists=*/true).ok());
}

TEST(DatabaseTest, MissingTableSuggestsTheClosestName) {
  auto db = OpenDb(":memory:");
  ASSERT_TRUE(db->CreateTable("m", MetricSchema()).ok());
  ASSERT_TRUE(db->CreateTable("pressure", MetricSchema()).ok());
  auto r = db->GetTable("mm");
  ASSERT_TRUE(r.status().IsNotFound());
  EXPECT_EQ(r.status().message(), "Table \"mm\" does not exist. Did you mean \"m\"?");
  r = db->GetTable("presure");
  EXPECT_NE(r.status().message().find("Did you mean \"pressure\"?"), std::string::npos);
  r = db->GetTable("completely_unrelated");
  EXPECT_EQ(r.status().message().find("Did you mean"), std::string::npos);
}

TEST(DatabaseTest, TablesSurviveReopen) {
  testing::TempDir dir;
  std::string path = dir.path() + "/db";
  {
    auto db = OpenDb(path);
    ASSERT_TRUE(db);
    auto t = db->CreateTable("Metrics", MetricSchema(), {{"retention", "3650 days"}});
    ASSERT_TRUE(t.ok());
    Append(*t, T0(), 25);
  }
  EXPECT_TRUE(std::filesystem::exists(path + "/catalog.sqlite"));
  EXPECT_TRUE(std::filesystem::is_directory(path + "/metrics/_log"));
  auto db = OpenDb(path);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->ListTables(), std::vector<std::string>{"Metrics"});
  auto t = db->GetTable("metrics");
  ASSERT_TRUE(t.ok());
  auto snap = (*t)->GetSnapshot();
  EXPECT_EQ((*snap)->total_rows(), 25);
  EXPECT_EQ((*snap)->metadata().configuration.at("retention"), "3650 days");
}

// Opening an existing folder that is not a database (a typo for a data
// folder, a home directory) must not turn it into one by writing
// catalog.sqlite there; an empty folder and a database whose catalog was
// deleted (the logs still hold every table) open as before.
TEST(DatabaseTest, OpeningAForeignFolderIsRefusedAndWritesNothing) {
  testing::TempDir dir;
  const std::string foreign = dir.path() + "/data";
  std::filesystem::create_directories(foreign);
  { std::ofstream(foreign + "/readings.csv") << "ts,value\n"; }
  for (bool read_only : {false, true}) {
    DatabaseOptions options;
    options.read_only = read_only;
    auto db = Database::Open(foreign, options);
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(db.status().message().find("is not a tslake database"), std::string::npos);
    EXPECT_NE(db.status().message().find("readings.csv"), std::string::npos);
  }
  EXPECT_FALSE(std::filesystem::exists(foreign + "/catalog.sqlite"));

  const std::string empty = dir.path() + "/empty";
  std::filesystem::create_directories(empty);
  EXPECT_TRUE(OpenDb(empty));

  const std::string path = dir.path() + "/db";
  {
    auto db = OpenDb(path);
    ASSERT_TRUE(db);
    auto t = db->CreateTable("m", MetricSchema());
    ASSERT_TRUE(t.ok());
    Append(*t, T0(), 5);
  }
  std::filesystem::remove(path + "/catalog.sqlite");
  auto db = OpenDb(path);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->ListTables(), std::vector<std::string>{"m"});
}

TEST(DatabaseTest, CatalogTracksCommits) {
  auto db = OpenDb(":memory:");
  auto t = *db->CreateTable("m", MetricSchema());
  Append(t, T0(), 10);
  Append(t, T0() + kMicrosPerDay, 10);
  auto entry = db->catalog()->GetTable("M");
  ASSERT_TRUE(entry.ok() && entry->has_value());
  EXPECT_EQ((*entry)->latest_version, 2);
  EXPECT_FALSE((*entry)->stale);
  auto segs = db->catalog()->ListSegments("m");
  ASSERT_TRUE(segs.ok());
  ASSERT_EQ(segs->size(), 2u);
  for (const auto& s : *segs) {
    EXPECT_EQ(s.rows, 10);
    ASSERT_TRUE(s.min_ts.has_value());
    EXPECT_LE(*s.min_ts, *s.max_ts);
  }
  auto day2 = db->catalog()->FindSegments("m", T0() + kMicrosPerDay, T0() + kMicrosPerDay + 1);
  ASSERT_TRUE(day2.ok());
  EXPECT_EQ(day2->size(), 1u);
}

TEST(DatabaseTest, CatalogRebuiltEqualsOriginal) {
  testing::TempDir dir;
  auto db = OpenDb(dir.path());
  ASSERT_TRUE(db);
  for (const char* name : {"a", "B", "c"}) {
    std::map<std::string, std::string> props;
    if (name[0] == 'B') props["partition_by"] = "day(ts)";
    auto t = db->CreateTable(name, MetricSchema(), props);
    ASSERT_TRUE(t.ok());
    for (int i = 0; i < 3; ++i) Append(*t, T0() + i * kMicrosPerDay, 5 + i);
    if (name[0] == 'c') {  // history with removes, compaction and a rename
      ASSERT_TRUE((*t)->Optimize().ok());
      ASSERT_TRUE((*t)->RenameColumn("ts", "time").ok());
      Append(*t, T0(), 2);
    }
  }
  Catalog* cat = db->catalog();
  auto tables_before = *cat->ListTables();
  std::vector<std::vector<Catalog::SegmentEntry>> segs_before;
  for (const auto& e : tables_before) segs_before.push_back(*cat->ListSegments(e.name));

  ASSERT_TRUE(db->RebuildCatalog().ok());
  auto tables_after = *cat->ListTables();
  ASSERT_EQ(tables_after.size(), tables_before.size());
  for (size_t i = 0; i < tables_before.size(); ++i) {
    EXPECT_EQ(tables_after[i].name, tables_before[i].name);
    EXPECT_EQ(tables_after[i].id, tables_before[i].id);
    EXPECT_EQ(tables_after[i].dir, tables_before[i].dir);
    EXPECT_EQ(tables_after[i].schema_json, tables_before[i].schema_json);
    EXPECT_EQ(tables_after[i].properties_json, tables_before[i].properties_json);
    EXPECT_EQ(tables_after[i].latest_version, tables_before[i].latest_version);
    EXPECT_EQ(*cat->ListSegments(tables_before[i].name), segs_before[i]);
    for (const auto& seg : segs_before[i]) {
      EXPECT_TRUE(seg.min_ts.has_value()) << seg.path;  // physical names resolved
      EXPECT_TRUE(seg.min_tag.has_value()) << seg.path;
    }
  }
  ASSERT_EQ(tables_before[1].name, "B");  // ordered by name, case-insensitively
  ASSERT_EQ(segs_before[1].size(), 3u);
  EXPECT_EQ(segs_before[1][0].partition.rfind("ts_day=2024-01-0", 0), 0u);

  // Deleting the catalog file and reopening rebuilds the same rows.
  db.reset();
  std::filesystem::remove(dir.path() + "/catalog.sqlite");
  db = OpenDb(dir.path());
  ASSERT_TRUE(db);
  auto tables_reopened = *db->catalog()->ListTables();
  ASSERT_EQ(tables_reopened.size(), tables_before.size());
  for (size_t i = 0; i < tables_before.size(); ++i) {
    EXPECT_EQ(tables_reopened[i].name, tables_before[i].name);
    EXPECT_EQ(tables_reopened[i].latest_version, tables_before[i].latest_version);
    EXPECT_EQ(*db->catalog()->ListSegments(tables_before[i].name), segs_before[i]);
  }
}

TEST(DatabaseTest, OpenReconcilesACatalogBehindTheLog) {
  testing::TempDir dir;
  {
    auto db = OpenDb(dir.path());
    auto t = *db->CreateTable("m", MetricSchema());
    Append(t, T0(), 4);
  }
  {
    // A commit made without the catalog (as if its update had failed).
    auto t = Table::Open(Env::Default(), nullptr, dir.path() + "/m", "m");
    ASSERT_TRUE(t.ok());
    Append(*t, T0(), 6);
  }
  auto db = OpenDb(dir.path());
  auto entry = *db->catalog()->GetTable("m");
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->latest_version, 2);
  EXPECT_EQ(db->catalog()->ListSegments("m")->size(), 2u);
}

TEST(DatabaseTest, ReadOnlyDatabaseRefusesWrites) {
  testing::TempDir dir;
  {
    auto db = OpenDb(dir.path());
    auto t = *db->CreateTable("m", MetricSchema());
    Append(t, T0(), 3);
  }
  auto before = std::filesystem::last_write_time(dir.path() + "/catalog.sqlite");
  auto db = OpenDb(dir.path(), /*read_only=*/true);
  ASSERT_TRUE(db);
  EXPECT_TRUE(db->read_only());
  auto create = db->CreateTable("n", MetricSchema());
  EXPECT_EQ(create.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(create.status().message(), "database opened read-only");
  EXPECT_EQ(db->DropTable("m").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(db->RebuildCatalog().code(), StatusCode::kInvalidArgument);
  auto t = db->GetTable("m");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*(*t)->GetSnapshot())->total_rows(), 3);  // reads work
  auto w = (*t)->NewWriter();
  // Refused before a byte is written: Append and Commit both say so.
  EXPECT_EQ(w->Append(MetricChunk(T0(), 1)).code(), StatusCode::kInvalidArgument);
  auto commit = w->Commit("WRITE");
  EXPECT_EQ(commit.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*(*t)->LatestVersion(), 1);
  // No segment file was left behind by the refused write.
  size_t files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path() + "/m")) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
  EXPECT_EQ(std::filesystem::last_write_time(dir.path() + "/catalog.sqlite"), before);
}

TEST(DatabaseTest, ReadOnlyOpenOfMissingDirectoryIsNotFound) {
  testing::TempDir dir;
  DatabaseOptions o;
  o.read_only = true;
  auto db = Database::Open(dir.path() + "/nope", o);
  EXPECT_TRUE(db.status().IsNotFound()) << db.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/nope"));
}

TEST(DatabaseTest, ReadOnlyWithoutCatalogFileStillListsTables) {
  testing::TempDir dir;
  {
    auto db = OpenDb(dir.path());
    ASSERT_TRUE(db->CreateTable("m", MetricSchema()).ok());
  }
  std::filesystem::remove(dir.path() + "/catalog.sqlite");
  auto db = OpenDb(dir.path(), true);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->ListTables(), std::vector<std::string>{"m"});
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/catalog.sqlite"));
}

TEST(DatabaseTest, DropTableRemovesDirectory) {
  testing::TempDir dir;
  auto db = OpenDb(dir.path());
  auto t = *db->CreateTable("m", MetricSchema());
  Append(t, T0(), 3);
  ASSERT_TRUE(std::filesystem::exists(dir.path() + "/m"));
  ASSERT_TRUE(db->DropTable("M").ok());
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/m"));
  for (auto& e : std::filesystem::directory_iterator(dir.path()))
    EXPECT_EQ(e.path().filename().string().rfind(".dropped-", 0), std::string::npos);
  EXPECT_TRUE(db->GetTable("m").status().IsNotFound());
  EXPECT_FALSE(db->catalog()->GetTable("m")->has_value());
  EXPECT_TRUE(db->catalog()->ListSegments("m")->empty());
  EXPECT_TRUE(db->DropTable("m").IsNotFound());
  EXPECT_TRUE(db->DropTable("m", /*if_exists=*/true).ok());
  // The name is free again.
  EXPECT_TRUE(db->CreateTable("m", MetricSchema()).ok());
}

TEST(DatabaseTest, InterruptedDropIsCleanedUpOnOpen) {
  testing::TempDir dir;
  {
    auto db = OpenDb(dir.path());
    ASSERT_TRUE(db->CreateTable("m", MetricSchema()).ok());
  }
  std::filesystem::rename(dir.path() + "/m", dir.path() + "/.dropped-crash");
  auto db = OpenDb(dir.path());
  EXPECT_TRUE(db->ListTables().empty());
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/.dropped-crash"));
  EXPECT_FALSE(db->catalog()->GetTable("m")->has_value());
}

TEST(DatabaseTest, TableWithCorruptLogIsReportedNotHidden) {
  testing::TempDir dir;
  {
    auto db = OpenDb(dir.path());
    ASSERT_TRUE(db->CreateTable("m", MetricSchema()).ok());
    ASSERT_TRUE(db->CreateTable("ok", MetricSchema()).ok());
  }
  std::string v0 = dir.path() + "/m/_log/00000000000000000000.json";
  ASSERT_TRUE(WriteFileSync(Env::Default(), v0, "{\"protocol\":").ok());
  auto db = OpenDb(dir.path());
  ASSERT_TRUE(db);
  EXPECT_EQ(db->ListTables(), (std::vector<std::string>{"m", "ok"}));
  // Whether the damage is found on open (catalog out of date) or on first
  // use (catalog current), reading the table reports it.
  auto t = db->GetTable("m");
  Status st = t.ok() ? (*t)->GetSnapshot().status() : t.status();
  EXPECT_TRUE(st.IsCorruption()) << st.ToString();
  EXPECT_NE(st.message().find("00000000000000000000.json"), std::string::npos);
  EXPECT_TRUE(db->GetTable("ok").ok());
}

TEST(DatabaseTest, TableCreatedByAnotherHandleIsFound) {
  testing::TempDir dir;
  auto a = OpenDb(dir.path());
  auto b = OpenDb(dir.path());
  ASSERT_TRUE(a->CreateTable("m", MetricSchema()).ok());
  auto t = b->GetTable("m");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  Append(*t, T0(), 2);
  EXPECT_EQ((*(*a->GetTable("m"))->GetSnapshot())->total_rows(), 2);
}

}  // namespace
}  // namespace tsl

namespace tsl {
namespace {

TEST(DatabaseTest, CreateThatNeverCommittedIsNotATable) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() + "/m/_log");
  auto db = OpenDb(dir.path());
  ASSERT_TRUE(db);
  EXPECT_TRUE(db->ListTables().empty());
  EXPECT_TRUE(db->GetTable("m").status().IsNotFound());
  EXPECT_TRUE(db->CreateTable("m", MetricSchema()).ok());
}

}  // namespace
}  // namespace tsl

namespace tsl {
namespace {

TEST(DatabaseTest, CatalogKeepsUpWithConcurrentAppends) {
  testing::TempDir dir;
  auto db = OpenDb(dir.path());
  ASSERT_TRUE(db);
  auto table = *db->CreateTable("m", MetricSchema());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 4; ++i) {
        auto w = table->NewWriter();
        EXPECT_TRUE(w->Append(MetricChunk(T0() + t * kMicrosPerHour, 3)).ok());
        auto r = w->Commit("WRITE");
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        EXPECT_TRUE(db->GetTable("m").ok());
        EXPECT_EQ(db->ListTables().size(), 1u);
      }
    });
  for (auto& th : threads) th.join();
  auto snap = *table->GetSnapshot();
  EXPECT_EQ(snap->version(), 32);
  auto entry = *db->catalog()->GetTable("m");
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->latest_version, 32);
  EXPECT_EQ(db->catalog()->ListSegments("m")->size(), snap->files().size());
}

}  // namespace
}  // namespace tsl
