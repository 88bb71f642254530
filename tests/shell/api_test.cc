// The public C++ API (include/tslake/tslake.hpp): open, query, typed
// access, errors, read_csv wiring, table listing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tslake/tslake.hpp"

namespace tslake {
namespace {

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tslake_api_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ApiTest, InMemoryQueryReturnsTypedValues) {
  std::string error;
  auto db = Database::Open(":memory:", {}, &error);
  ASSERT_NE(db, nullptr) << error;
  Connection con(*db);
  Result r = con.Query(
      "CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE);"
      "INSERT INTO m VALUES ('2024-01-01 00:00:00','a',1.5),('2024-01-01 00:01:00','b',NULL);"
      "SELECT ts, tag, value FROM m ORDER BY ts");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.statement_type(), "SELECT");
  ASSERT_EQ(r.column_count(), 3);
  ASSERT_EQ(r.row_count(), 2);
  EXPECT_EQ(r.column_name(1), "tag");
  EXPECT_EQ(r.column_type(0), Type::kTimestamp);
  EXPECT_EQ(r.GetInt64(0, 0), 1704067200000000);
  EXPECT_EQ(r.GetString(0, 1), "2024-01-01 00:01:00");
  EXPECT_EQ(r.GetString(1, 0), "a");
  EXPECT_DOUBLE_EQ(r.GetDouble(2, 0), 1.5);
  EXPECT_TRUE(r.IsNull(2, 1));
  EXPECT_EQ(r.GetString(2, 1), "NULL");
}

TEST_F(ApiTest, QueryEachReportsEveryStatementAndStopsAtTheFirstError) {
  auto db = Database::Open("");
  ASSERT_NE(db, nullptr);
  Connection con(*db);
  std::vector<std::string> types;
  Result r = con.QueryEach("CREATE TABLE t (v BIGINT); INSERT INTO t VALUES (1); SELECT nope FROM t; "
                           "INSERT INTO t VALUES (2);",
                           [&](const Result& each) { types.push_back(each.statement_type()); });
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error_message().find("nope"), std::string::npos);
  EXPECT_EQ(types, (std::vector<std::string>{"CREATE TABLE", "INSERT"}));
  Result count = con.Query("SELECT count(*) FROM t");
  ASSERT_TRUE(count.ok()) << count.error_message();
  EXPECT_EQ(count.GetInt64(0, 0), 1);
}

TEST_F(ApiTest, ReadCsvIsAvailableAsATableFunction) {
  std::string csv = (dir_ / "d.csv").string();
  std::ofstream(csv) << "ts;tag;value\n2024-01-01 00:00:00;a;1\n2024-01-01 00:00:01;b;2.5\n";
  auto db = Database::Open("");
  Connection con(*db);
  Result r = con.Query("SELECT tag, value FROM read_csv('" + csv + "', delim => ';') ORDER BY tag");
  ASSERT_TRUE(r.ok()) << r.error_message();
  ASSERT_EQ(r.row_count(), 2);
  EXPECT_EQ(r.column_type(1), Type::kDouble);
  EXPECT_EQ(r.GetString(1, 1), "2.5");

  Result missing = con.Query("SELECT * FROM read_csv('" + (dir_ / "nope.csv").string() + "')");
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.error_message().find("nope.csv"), std::string::npos);
  Result bad_option = con.Query("SELECT * FROM read_csv('" + csv + "', colour => 'red')");
  EXPECT_FALSE(bad_option.ok());
  EXPECT_NE(bad_option.error_message().find("colour"), std::string::npos);
}

TEST_F(ApiTest, ListsAndDescribesTablesOfADirectoryDatabase) {
  std::string path = (dir_ / "plant.db").string();
  {
    auto db = Database::Open(path);
    ASSERT_NE(db, nullptr);
    Connection con(*db);
    ASSERT_TRUE(con.Query("CREATE TABLE m (ts TIMESTAMP, v DOUBLE)").ok());
    ASSERT_TRUE(con.Query("CREATE TABLE events (ts TIMESTAMP, msg VARCHAR)").ok());
  }
  auto db = Database::Open(path);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->path(), path);
  EXPECT_EQ(db->ListTables(), (std::vector<std::string>{"events", "m"}));
  auto cols = db->DescribeTable("M");
  ASSERT_EQ(cols.size(), 2u);
  EXPECT_EQ(cols[1].name, "v");
  EXPECT_EQ(cols[1].type, Type::kDouble);
  std::string error;
  EXPECT_TRUE(db->DescribeTable("nope", &error).empty());
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(db->RebuildCatalog(), "");
}

TEST_F(ApiTest, OpenFailuresExplainThemselves) {
  std::string error;
  Options bad;
  bad.compression = "brotli";
  EXPECT_EQ(Database::Open("", bad, &error), nullptr);
  EXPECT_NE(error.find("brotli"), std::string::npos);
  Options ro;
  ro.read_only = true;
  error.clear();
  EXPECT_EQ(Database::Open((dir_ / "absent.db").string(), ro, &error), nullptr);
  EXPECT_FALSE(error.empty());
}

TEST_F(ApiTest, MovedFromResultReadsAsEmpty) {
  Result a;
  Result b = std::move(a);
  EXPECT_TRUE(a.ok());  // NOLINT(bugprone-use-after-move): documented safe state
  EXPECT_EQ(a.row_count(), 0);
  EXPECT_EQ(b.column_count(), 0);
}

TEST(ApiTypeNameTest, NamesTypesAsTheShellShowsThem) {
  EXPECT_STREQ(TypeName(Type::kBigint), "int64");
  EXPECT_STREQ(TypeName(Type::kVarchar), "varchar");
}

}  // namespace
}  // namespace tslake
