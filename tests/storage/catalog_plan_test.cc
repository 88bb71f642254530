// Every statement the catalog prepares is served by an index (issue 23
// item 5: `SELECT DISTINCT tag_id FROM segment_tags WHERE table_name = ?
// AND path = ?` ran as a scan of all the table's rows of the
// (table_name, tag_id, max_ts) index, and flush time grew with the number
// of flushes). A workload touching every Catalog method runs with
// statement recording on; then EXPLAIN QUERY PLAN of each recorded
// statement, against the populated catalog and without ANALYZE (tslake
// never runs it), must not SCAN a table (a SCAN of an index or of a
// table-valued function is fine; statements without WHERE, which clear
// the whole catalog for a rebuild, are exempt), and a statement
// constraining a key
// column beyond table_name must SEARCH with that column.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <regex>
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

// The plan of `sql` as its detail lines.
std::vector<std::string> Plan(sqlite3* db, const std::string& sql) {
  std::vector<std::string> out;
  sqlite3_stmt* s = nullptr;
  std::string explain = "EXPLAIN QUERY PLAN " + sql;
  if (sqlite3_prepare_v2(db, explain.c_str(), -1, &s, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot explain: " << sql << ": " << sqlite3_errmsg(db);
    return out;
  }
  while (sqlite3_step(s) == SQLITE_ROW)
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 3)));
  sqlite3_finalize(s);
  return out;
}

TEST(CatalogPlanTest, EveryStatementUsesAnIndex) {
  testing::TempDir dir;
  Catalog::TEST_RecordStatements(true);
  {
    auto db = Database::Open(dir.path());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    Schema with_units{{{"ts", TypeId::kTimestamp},
                       {"tag", TypeId::kVarchar},
                       {"v", TypeId::kDouble},
                       {"units", TypeId::kVarchar}}};
    for (const char* name : {"m", "other"}) {
      auto t = (*db)->CreateTable(name, name[0] == 'm' ? MetricSchema() : with_units);
      ASSERT_TRUE(t.ok());
      for (int i = 0; i < 40; ++i) {
        DataChunk c;
        if (name[0] == 'm') {
          c = MetricChunk(T0() + i * 1'000'000'000LL, 30);
          if (i == 3) c.columns[1].valid[0] = 0;  // a NULL tag
        } else {
          c.Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble, TypeId::kVarchar});
          for (int r = 0; r < 5; ++r) {
            c.columns[0].AppendInt(T0() + i * 1000 + r);
            c.columns[1].AppendString("p" + std::to_string(r));
            c.columns[2].AppendDouble(r);
            c.columns[3].AppendString(r % 2 ? "bar" : "degC");
          }
        }
        auto w = (*t)->NewWriter();
        ASSERT_TRUE(w->Append(c).ok());
        ASSERT_TRUE(w->Commit("WRITE").ok());
      }
    }
    Catalog* cat = (*db)->catalog();
    auto m = (*db)->GetTable("m");
    ASSERT_TRUE(m.ok());
    auto snap = (*m)->GetSnapshot();
    ASSERT_TRUE(snap.ok());
    const int64_t v = (*snap)->version();
    EXPECT_TRUE(cat->LatestTagSegments("m", v)->has_value());
    EXPECT_TRUE(cat->LatestTagSegments("m", v, T0(), T0() + 5'000'000'000LL)->has_value());
    EXPECT_TRUE(cat->LatestTagSegments("m", v, std::nullopt, T0())->has_value());
    EXPECT_TRUE(cat->FindSegments("m", T0(), T0() + 1).ok());
    Catalog::SegmentQuery q;
    q.ts_lo = T0();
    q.tags = {"t1"};
    EXPECT_TRUE(cat->FindSegments("m", q).ok());
    EXPECT_TRUE(cat->ListSegments("m").ok());
    EXPECT_TRUE(cat->ListTags("m").ok());
    EXPECT_TRUE(cat->ListSegmentTags("m").ok());
    EXPECT_TRUE(cat->IndexedSegmentPaths("m").ok());
    EXPECT_TRUE(cat->CurrentVersion("m").ok());
    EXPECT_TRUE(cat->ListTables().ok());
    EXPECT_TRUE(cat->SetTagDescription("m", "t1", "inlet").ok());
    ASSERT_TRUE((*m)->Optimize().ok());
    ASSERT_TRUE((*m)->RestoreToVersion(5).ok());
    ASSERT_TRUE(cat->MarkStale("other").ok());
    ASSERT_TRUE((*db)->RebuildCatalog().ok());
    ASSERT_TRUE((*db)->DropTable("other").ok());
  }
  Catalog::TEST_RecordStatements(false);
  std::set<std::string> statements = Catalog::TEST_RecordedStatements();
  EXPECT_GE(statements.size(), 25u);

  // Plans against a catalog holding many segments of one table and rows of
  // several tables, as the planner sees it in use (no sqlite_stat1).
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir.path() + "/catalog.sqlite").c_str(), &raw, SQLITE_OPEN_READONLY,
                            nullptr),
            SQLITE_OK);
  const std::regex table_scan(R"(^SCAN (\w+)$)");
  const std::vector<std::pair<std::regex, std::string>> keys = {
      {std::regex(R"((WHERE|AND) path = \?)"), "path=?"},
      {std::regex(R"((WHERE|AND) id = \?)"), "id=?"},
      {std::regex(R"((WHERE|AND) name = \?)"), "name=?"},
  };
  for (const std::string& sql : statements) {
    std::string upper = sql.substr(0, 8);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    // Whole-catalog statements (Clear before a rebuild) visit every row
    // by design.
    // So do the open's schema check (sqlite_schema is a few rows).
    if (upper.rfind("PRAGMA", 0) == 0 || sql.find("WHERE") == std::string::npos ||
        sql.find("sqlite_schema") != std::string::npos)
      continue;
    std::vector<std::string> plan = Plan(raw, sql);
    std::string all;
    for (const std::string& d : plan) all += "  " + d + "\n";
    for (const std::string& d : plan) {
      std::smatch m;
      if (std::regex_match(d, m, table_scan) && m[1] != "json_each" && m[1] != "sqlite_schema" &&
          m[1] != "p")
        ADD_FAILURE() << "full scan of " << m[1] << " in\n  " << sql << "\n" << all;
    }
    for (const auto& [re, key] : keys) {
      if (!std::regex_search(sql, re)) continue;
      bool served = false;
      for (const std::string& d : plan)
        if (d.find(key) != std::string::npos) served = true;
      if (!served) ADD_FAILURE() << "no index on " << key << " for\n  " << sql << "\n" << all;
    }
  }
  sqlite3_close(raw);
}

}  // namespace
}  // namespace tsl
