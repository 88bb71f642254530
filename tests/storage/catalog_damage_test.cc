// A damaged catalog.sqlite (truncated, garbled, not a database, a schema
// that is not tslake's) never locks the user out: the catalog is a cache
// of the logs, so a writable open moves it aside as
// catalog.sqlite.damaged-<time> (with its -journal/-wal/-shm) and rebuilds
// it, a read-only open reads every table without writing anything, and
// RebuildCatalog / repair work (issue 15 item 5).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "formats/timestamp.h"
#include "storage/catalog.h"
#include "storage/database.h"
#include "storage/table_checker.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

namespace fs = std::filesystem;
using testing::MetricChunk;
using testing::MetricSchema;

int64_t T0() { return *ParseTimestamp("2024-01-01"); }

// Two tables, 30 + 12 rows in three commits, and a catalog of some pages.
void Fill(const std::string& dir) {
  auto db = Database::Open(dir);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  for (const char* name : {"m", "n"}) {
    auto t = (*db)->CreateTable(name, MetricSchema());
    ASSERT_TRUE(t.ok());
    for (int i = 0; i < (name[0] == 'm' ? 3 : 1); ++i) {
      auto w = (*t)->NewWriter();
      ASSERT_TRUE(w->Append(MetricChunk(T0() + i * 100'000'000LL, name[0] == 'm' ? 10 : 12)).ok());
      ASSERT_TRUE(w->Commit("WRITE").ok());
    }
  }
}

int64_t CountRows(Database& db, const std::string& name, bool with_range = false) {
  auto t = db.GetTable(name);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  if (!t.ok()) return -1;
  auto snap = (*t)->GetSnapshot();
  EXPECT_TRUE(snap.ok());
  ScanOptions o;
  if (with_range) {
    // A range on ts: the scan asks the catalog index first.
    o.ranges.push_back(
        ScanRange{0, Value::Timestamp(T0()), Value::Timestamp(T0() + 150'000'000LL)});
  }
  auto scan = (*t)->NewScan(*snap, o);
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  if (!scan.ok()) return -1;
  int64_t n = 0;
  DataChunk c;
  while (true) {
    auto more = (*scan)->Next(&c);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    n += static_cast<int64_t>(c.size());
  }
  return n;
}

std::set<std::string> Listing(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

std::set<std::string> DamagedCopies(const std::string& dir) {
  std::set<std::string> out;
  for (const std::string& f : Listing(dir))
    if (f.rfind("catalog.sqlite.damaged-", 0) == 0) out.insert(f);
  return out;
}

void Truncate(const std::string& file, uintmax_t size) { fs::resize_file(file, size); }

void Garble(const std::string& file) {
  // Overwrite everything after the 100-byte header and first page header:
  // the header still says "SQLite format 3", the b-trees are garbage.
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  auto size = static_cast<int64_t>(fs::file_size(file));
  for (int64_t at = 4096 + 7; at < size; at += 13) {
    f.seekp(at);
    f.put(static_cast<char>(at * 31));
  }
}

enum class Damage { kTruncated, kGarbled, kNotADatabase, kEmptyFile, kForeignSchema };

void Apply(Damage d, const std::string& catalog) {
  switch (d) {
    case Damage::kTruncated:
      Truncate(catalog, fs::file_size(catalog) / 2 + 100);
      break;
    case Damage::kGarbled:
      Garble(catalog);
      break;
    case Damage::kNotADatabase: {
      std::ofstream f(catalog, std::ios::trunc);
      f << "this is not an SQLite database, only some text that happens to be here\n";
      break;
    }
    case Damage::kEmptyFile:
      Truncate(catalog, 0);
      break;
    case Damage::kForeignSchema: {
      sqlite3* raw = nullptr;
      ASSERT_EQ(sqlite3_open(catalog.c_str(), &raw), SQLITE_OK);
      ASSERT_EQ(sqlite3_exec(raw, "DROP TABLE segments; CREATE TABLE segments(x)", nullptr, nullptr,
                             nullptr),
                SQLITE_OK)
          << sqlite3_errmsg(raw);
      sqlite3_close(raw);
      break;
    }
  }
}

class CatalogDamageTest : public ::testing::TestWithParam<Damage> {};

TEST_P(CatalogDamageTest, WritableOpenMovesItAsideAndRebuilds) {
  testing::TempDir dir;
  Fill(dir.path());
  const std::string catalog = dir.path() + "/catalog.sqlite";
  Apply(GetParam(), catalog);
  auto db = Database::Open(dir.path());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ(CountRows(**db, "m"), 30);
  EXPECT_EQ(CountRows(**db, "m", /*with_range=*/true), 20);
  EXPECT_EQ(CountRows(**db, "n"), 12);
  // The rebuilt catalog is current, so the index serves scans again.
  EXPECT_EQ(*(*db)->catalog()->CurrentVersion("m"), 3);
  EXPECT_EQ((*db)->catalog()->ListSegments("m")->size(), 3u);
  if (GetParam() != Damage::kEmptyFile) {  // an empty file is a new catalog, not damage
    EXPECT_EQ(DamagedCopies(dir.path()).size(), 1u);
    EXPECT_FALSE((*db)->Notices().empty());
  }
  // Writes work and the next open finds a sound catalog.
  auto t = (*db)->GetTable("m");
  auto w = (*t)->NewWriter();
  ASSERT_TRUE(w->Append(MetricChunk(T0() + 500'000'000LL, 4)).ok());
  ASSERT_TRUE(w->Commit("WRITE").ok());
  db->reset();
  auto again = Database::Open(dir.path());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(CountRows(**again, "m"), 34);
  EXPECT_EQ(*(*again)->catalog()->CurrentVersion("m"), 4);
  EXPECT_LE(DamagedCopies(dir.path()).size(), 1u);
}

TEST_P(CatalogDamageTest, ReadOnlyOpenReadsEveryTableAndWritesNothing) {
  testing::TempDir dir;
  Fill(dir.path());
  const std::string catalog = dir.path() + "/catalog.sqlite";
  Apply(GetParam(), catalog);
  std::set<std::string> before = Listing(dir.path());
  auto size_before = fs::file_size(catalog);
  DatabaseOptions o;
  o.read_only = true;
  auto db = Database::Open(dir.path(), o);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ((*db)->ListTables(), (std::vector<std::string>{"m", "n"}));
  EXPECT_EQ(CountRows(**db, "m"), 30);
  EXPECT_EQ(CountRows(**db, "m", /*with_range=*/true), 20);
  EXPECT_EQ(CountRows(**db, "n"), 12);
  // The tag index answers from the private catalog built from the logs.
  EXPECT_EQ((*db)->catalog()->ListTags("m")->size(), 3u);
  db->reset();
  EXPECT_EQ(Listing(dir.path()), before);
  EXPECT_EQ(fs::file_size(catalog), size_before);
}

TEST_P(CatalogDamageTest, RebuildAndRepairWork) {
  testing::TempDir dir;
  Fill(dir.path());
  Apply(GetParam(), dir.path() + "/catalog.sqlite");
  auto report = TableChecker::RepairDatabase(dir.path());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto check = TableChecker::CheckDatabase(Env::Default(), dir.path());
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  EXPECT_TRUE(check->problems.empty()) << check->ToString();
  auto db = Database::Open(dir.path());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE((*db)->RebuildCatalog().ok());
  EXPECT_EQ(CountRows(**db, "m"), 30);
}

INSTANTIATE_TEST_SUITE_P(All, CatalogDamageTest,
                         ::testing::Values(Damage::kTruncated, Damage::kGarbled,
                                           Damage::kNotADatabase, Damage::kEmptyFile,
                                           Damage::kForeignSchema),
                         [](const ::testing::TestParamInfo<Damage>& i) {
                           switch (i.param) {
                             case Damage::kTruncated:
                               return std::string("Truncated");
                             case Damage::kGarbled:
                               return std::string("Garbled");
                             case Damage::kNotADatabase:
                               return std::string("NotADatabase");
                             case Damage::kEmptyFile:
                               return std::string("EmptyFile");
                             case Damage::kForeignSchema:
                               return std::string("ForeignSchema");
                           }
                           return std::string();
                         });

// Damage found while the database is open (a statement fails with
// SQLITE_CORRUPT) does not fail the query: scans fall back to the logs.
TEST(CatalogDamageTest2, DamageAfterOpenDoesNotFailReads) {
  testing::TempDir dir;
  Fill(dir.path());
  auto db = Database::Open(dir.path());
  ASSERT_TRUE(db.ok());
  Garble(dir.path() + "/catalog.sqlite");
  EXPECT_EQ(CountRows(**db, "m", /*with_range=*/true), 20);
  EXPECT_EQ(CountRows(**db, "n"), 12);
  ASSERT_TRUE((*db)->RebuildCatalog().ok());
  EXPECT_EQ(*(*db)->catalog()->CurrentVersion("m"), 3);
  EXPECT_EQ(CountRows(**db, "m", /*with_range=*/true), 20);
}

}  // namespace
}  // namespace tsl
