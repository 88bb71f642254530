// DDL and DML end to end: INSERT conversions and atomicity, one version
// per statement, CREATE TABLE AS, COPY through a registered table
// function, DESCRIBE / SHOW TABLES / DESCRIBE HISTORY, time travel, EXPLAIN.
#include <atomic>
#include <thread>

#include "tests/query/query_test_util.h"
#include "../storage/storage_test_util.h"

namespace tsl::query {
namespace {

// A real ChunkSource over rows given as text, converting to the target
// schema like a CSV reader would; fails at row `fail_at` when set.
class TextRowsSource : public ChunkSource {
 public:
  TextRowsSource(Schema schema, std::vector<std::vector<std::string>> rows, int fail_at)
      : schema_(std::move(schema)), rows_(std::move(rows)), fail_at_(fail_at) {}
  const Schema& schema() const override { return schema_; }
  Result<bool> Next(DataChunk* out) override {
    if (next_ >= rows_.size()) return false;
    std::vector<TypeId> types;
    for (const Field& f : schema_.fields) types.push_back(f.type);
    out->Initialize(types);
    for (; next_ < rows_.size() && out->size() < 2; ++next_) {
      if (static_cast<int>(next_) == fail_at_) {
        return Status::InvalidArgument("rows.txt line " + std::to_string(next_ + 1) + ": bad row");
      }
      for (size_t c = 0; c < types.size(); ++c) {
        Result<Value> v = Value::Varchar(rows_[next_][c]).CastTo(types[c]);
        if (!v.ok()) return v.status();
        out->columns[c].AppendValue(*v);
      }
    }
    return true;
  }

 private:
  Schema schema_;
  std::vector<std::vector<std::string>> rows_;
  int fail_at_;
  size_t next_ = 0;
};

class DmlTest : public EngineFixture {
 protected:
  void SetUp() override {
    functions_.Register(
        "read_rows", [this](const TableFunctionArgs& args) -> Result<std::unique_ptr<ChunkSource>> {
          last_args_ = args;
          Schema schema = args.target_schema.value_or(
              Schema{{{"ts", TypeId::kVarchar}, {"v", TypeId::kVarchar}}});
          int fail_at = -1;
          if (auto it = args.named.find("fail_at"); it != args.named.end()) {
            fail_at = static_cast<int>(it->second.int_value());
          }
          return std::unique_ptr<ChunkSource>(new TextRowsSource(schema,
                                                                 {{"2024-01-01 00:00:00", "1.5"},
                                                                  {"2024-01-01 00:01:00", "2.5"},
                                                                  {"2024-01-01 00:02:00", "3.5"}},
                                                                 fail_at));
        });
    EngineFixture::SetUp();
    Run("CREATE TABLE m (ts TIMESTAMP, v DOUBLE)");
  }
  TableFunctionArgs last_args_;
};

TEST_F(DmlTest, InsertReturnsCountAndConvertsLiterals) {
  Result<QueryResult> r =
      engine_->Execute("INSERT INTO m VALUES ('2024-01-01', 1), ('2024-01-02', '2.5')");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->statement_type, "INSERT");
  ASSERT_EQ(r->schema.size(), 1u);
  EXPECT_EQ(r->schema.fields[0].name, "Count");
  EXPECT_EQ(r->GetValue(0, 0).int_value(), 2);
  EXPECT_EQ(Rows("SELECT * FROM m ORDER BY ts"),
            Strings({"2024-01-01 00:00:00|1.0", "2024-01-02 00:00:00|2.5"}));
}

TEST_F(DmlTest, InsertMissingColumnsAreNull) {
  Run("INSERT INTO m (v) VALUES (7)");
  EXPECT_EQ(Rows("SELECT ts, v FROM m"), Strings({"NULL|7.0"}));
}

TEST_F(DmlTest, FailedInsertCommitsNothing) {
  Status st = Fail("INSERT INTO m VALUES ('2024-01-01', 1), ('not a time', 2)");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("Conversion Error"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("^"), std::string::npos) << st.message();
  EXPECT_EQ(Rows("SELECT count(*) FROM m"), Strings({"0"}));
  EXPECT_EQ(Rows("SELECT max(version) FROM (SELECT 1 AS version)"), Strings({"1"}));
  // Only the CREATE TABLE version exists.
  EXPECT_EQ(Rows("SELECT count(*) FROM m VERSION AS OF 0"), Strings({"0"}));
  EXPECT_EQ(Fail("SELECT * FROM m VERSION AS OF 1").code(), StatusCode::kNotFound);
}

TEST_F(DmlTest, WrongValueCountIsBinderError) {
  Status st = Fail("INSERT INTO m VALUES (1)");
  EXPECT_NE(st.message().find("table m has 2 columns but 1 values were supplied"),
            std::string::npos)
      << st.message();
}

TEST_F(DmlTest, EachInsertIsOneVersionAndTimeTravelSeesOldVersions) {
  Run("INSERT INTO m VALUES ('2024-01-01', 1)");
  Run("INSERT INTO m VALUES ('2024-01-02', 2), ('2024-01-03', 3)");
  EXPECT_EQ(Rows("SELECT count(*) FROM m VERSION AS OF 1"), Strings({"1"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM m VERSION AS OF 2"), Strings({"3"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM m"), Strings({"3"}));
  EXPECT_EQ(
      Rows("SELECT version, operation, readVersion, isBlindAppend FROM "
           "(SELECT 1 AS version, 'x' AS operation, 0 AS readVersion, true AS isBlindAppend)"),
      Strings({"1|x|0|true"}));
  EXPECT_EQ(Rows("DESCRIBE HISTORY m LIMIT 2").size(), 2u);
  std::vector<std::string> history = Rows("DESCRIBE HISTORY m");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].substr(0, 2), "2|");
  EXPECT_NE(history[0].find("|WRITE|"), std::string::npos) << history[0];
  EXPECT_NE(history[2].find("|CREATE TABLE|"), std::string::npos) << history[2];
}

TEST_F(DmlTest, InsertSelectCastsToColumnTypes) {
  Run("CREATE TABLE src (a VARCHAR, b INTEGER)");
  Run("INSERT INTO src VALUES ('2024-05-01 10:00:00', 4), ('2024-05-01 11:00:00', NULL)");
  Result<QueryResult> r = engine_->Execute("INSERT INTO m SELECT a, b FROM src");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->GetValue(0, 0).int_value(), 2);
  EXPECT_EQ(Rows("SELECT ts, v FROM m ORDER BY ts"),
            Strings({"2024-05-01 10:00:00|4.0", "2024-05-01 11:00:00|NULL"}));
}

TEST_F(DmlTest, CreateTableAsSelectCopiesRowsAndTypes) {
  Run("INSERT INTO m VALUES ('2024-01-01', 1), ('2024-01-02', 2)");
  Run("CREATE TABLE agg AS SELECT count(*) AS n, sum(v) AS total FROM m");
  EXPECT_EQ(Rows("SELECT * FROM agg"), Strings({"2|3.0"}));
  EXPECT_EQ(Rows("DESCRIBE agg"),
            Strings({"n|BIGINT|YES|NULL|NULL|NULL", "total|DOUBLE|YES|NULL|NULL|NULL"}));
}

TEST_F(DmlTest, CopyUsesRegisteredReaderAndCommitsOnce) {
  Result<QueryResult> r = engine_->Execute("COPY m FROM 'rows.txt' (FORMAT rows, HEADER true)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->statement_type, "COPY");
  EXPECT_EQ(r->GetValue(0, 0).int_value(), 3);
  ASSERT_EQ(last_args_.positional.size(), 1u);
  EXPECT_EQ(last_args_.positional[0].string_value(), "rows.txt");
  EXPECT_TRUE(last_args_.named.at("header").bool_value());
  EXPECT_TRUE(last_args_.target_schema.has_value());
  EXPECT_EQ(Rows("SELECT sum(v) FROM m"), Strings({"7.5"}));
  std::vector<std::string> history = Rows("DESCRIBE HISTORY m");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_NE(history[0].find("|COPY|"), std::string::npos) << history[0];
}

TEST_F(DmlTest, FailingCopyCommitsNothing) {
  Status st = Fail("COPY m FROM 'rows.txt' (FORMAT rows, fail_at 2)");
  EXPECT_NE(st.message().find("rows.txt line 3: bad row"), std::string::npos) << st.message();
  EXPECT_EQ(Rows("SELECT count(*) FROM m"), Strings({"0"}));
  EXPECT_EQ(Rows("DESCRIBE HISTORY m").size(), 1u);
}

TEST_F(DmlTest, CopyWithUnknownFormatIsCatalogError) {
  Status st = Fail("COPY m FROM 'x.orc' (FORMAT orc)");
  EXPECT_NE(st.message().find("Copy Function with name orc does not exist"), std::string::npos);
}

TEST_F(DmlTest, TableFunctionInFrom) {
  EXPECT_EQ(Rows("SELECT v, ts FROM read_rows('rows.txt', header => true) WHERE v > '1.5' "
                 "ORDER BY v"),
            Strings({"2.5|2024-01-01 00:01:00", "3.5|2024-01-01 00:02:00"}));
  EXPECT_TRUE(last_args_.named.at("header").bool_value());
}

TEST_F(DmlTest, ShowTablesAndDrop) {
  Run("CREATE TABLE b (x INTEGER)");
  EXPECT_EQ(Rows("SHOW TABLES"), Strings({"b", "m"}));
  EXPECT_EQ(Rows("SHOW ALL TABLES"), Strings({"memory|main|b|[x]|[INTEGER]|false",
                                              "memory|main|m|[ts, v]|[TIMESTAMP, DOUBLE]|false"}));
  Run("DROP TABLE b");
  EXPECT_EQ(Rows("SHOW TABLES"), Strings({"m"}));
}

TEST_F(DmlTest, ExplainShowsPushedDownRangeAndProjection) {
  std::vector<std::string> plan =
      Rows("EXPLAIN SELECT v FROM m WHERE ts >= '2024-01-02' AND v < 3");
  std::string text;
  for (const auto& line : plan) text += line + "\n";
  EXPECT_NE(text.find("TABLE_SCAN m"), std::string::npos) << text;
  EXPECT_NE(text.find("columns=[ts, v]"), std::string::npos) << text;
  EXPECT_NE(text.find("ts in [2024-01-02 00:00:00, +inf]"), std::string::npos) << text;
  EXPECT_NE(text.find("v in [-inf, 3.0]"), std::string::npos) << text;
}

TEST_F(DmlTest, CountStarIsAnsweredFromSnapshotMetadata) {
  Run("INSERT INTO m VALUES ('2024-01-01', 1), ('2024-01-02', NULL)");
  Run("INSERT INTO m VALUES ('2024-01-03', 3)");
  EXPECT_EQ(Rows("SELECT count(*), count(*) + 1 AS more FROM m"), Strings({"3|4"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM m VERSION AS OF 1"), Strings({"2"}));
  EXPECT_EQ(Rows("SELECT count(*) FROM m HAVING count(*) > 5"), Strings({}));
  EXPECT_EQ(Rows("SELECT count(v) FROM m"), Strings({"2"}));
  std::string plan;
  for (const auto& line : Rows("EXPLAIN SELECT count(*) FROM m")) plan += line + "\n";
  EXPECT_NE(plan.find("METADATA_COUNT m (version 2)"), std::string::npos) << plan;
}

TEST_F(DmlTest, MissingFileFromReaderKeepsNotFound) {
  functions_.Register(
      "read_missing", [](const TableFunctionArgs&) -> Result<std::unique_ptr<ChunkSource>> {
        return Status::NotFound("No files found that match the pattern \"nope.csv\"");
      });
  EXPECT_EQ(Fail("SELECT * FROM read_missing('nope.csv')").code(), StatusCode::kNotFound);
  EXPECT_EQ(Fail("COPY m FROM 'nope.csv' (FORMAT missing)").code(), StatusCode::kNotFound);
}

TEST_F(DmlTest, CancelStopsTheRunningScriptWithCancelled) {
  Run("INSERT INTO m VALUES ('2024-01-01', 1)");
  int results = 0;
  Status st = engine_->ExecuteScript("SELECT 1; SELECT v FROM m WHERE v > 0",
                                     [&](const QueryResult&) {
                                       ++results;
                                       engine_->Cancel();
                                     });
  EXPECT_EQ(st.code(), StatusCode::kCancelled) << st.ToString();
  EXPECT_EQ(results, 1);
  // The next script starts uncancelled.
  EXPECT_EQ(Rows("SELECT v FROM m"), Strings({"1.0"}));
}

// Group commit (storage/append_group.h): 16 connections (QueryEngines on
// one Database) making autocommit one-row INSERTs at once. The INSERTs that
// queue while a commit is in flight share its version: fewer versions than
// INSERTs, every row stored once, and DESCRIBE HISTORY's parameters of a
// shared version count its statements.
TEST(DmlGroupCommitTest, ConcurrentInsertsShareVersionsAndLoseNothing) {
  tsl::testing::TempDir dir;
  auto db = Database::Open(dir.path() + "/db");
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  TableFunctionRegistry functions;
  QueryEngine main_engine(db->get(), &functions);
  ASSERT_TRUE(main_engine.ExecuteScript("CREATE TABLE g (w INTEGER, i INTEGER)", nullptr).ok());
  constexpr int kWriters = 16, kEach = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w)
    threads.emplace_back([&, w] {
      QueryEngine engine(db->get(), &functions);
      for (int i = 0; i < kEach; ++i) {
        Result<QueryResult> r = engine.Execute("INSERT INTO g VALUES (" + std::to_string(w) + ", " +
                                               std::to_string(i) + ")");
        if (!r.ok() || r->GetValue(0, 0).int_value() != 1) ++failures;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto rows = [&](const std::string& sql) {
    Result<QueryResult> r = main_engine.Execute(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    std::vector<std::string> out;
    for (int64_t i = 0; r.ok() && i < r->row_count(); ++i) {
      std::string row;
      for (size_t c = 0; c < r->schema.size(); ++c) row += (c ? "|" : "") + r->GetValue(c, i).ToString();
      out.push_back(row);
    }
    return out;
  };
  EXPECT_EQ(rows("SELECT count(*), count(DISTINCT w * 1000 + i) FROM g"), Strings({"160|160"}));
  const std::vector<std::string> history = rows("DESCRIBE HISTORY g");
  EXPECT_LT(history.size(), static_cast<size_t>(kWriters * kEach + 1)) << "no INSERT was grouped";
  bool counted = false;
  for (const std::string& h : history) counted = counted || h.find("statements") != std::string::npos;
  EXPECT_TRUE(counted) << history[0];
  // Alone, an INSERT is still a version of its own.
  const size_t before = history.size();
  ASSERT_TRUE(main_engine.ExecuteScript("INSERT INTO g VALUES (99, 0), (99, 1)", nullptr).ok());
  EXPECT_EQ(rows("DESCRIBE HISTORY g").size(), before + 1);
}

}  // namespace
}  // namespace tsl::query
