// The file rules of the public C++ API (storage/file_access_policy.h):
// Options::read_only refuses COPY ... TO, Options::enable_external_access =
// false confines reads to the database directory and cannot be undone by
// SQL, Database::CheckOutputFile refuses the database directory, and
// Result::warnings() carries COPY's rejects and a SELECT's skipped rows.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tslake/tslake.hpp"

namespace tslake {
namespace {

namespace fs = std::filesystem;

class FileAccessApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tslake_file_access_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = Database::Open((dir_ / "db").string());
    ASSERT_NE(db, nullptr);
    Connection con(*db);
    Result r = con.Query(
        "CREATE TABLE t (ts TIMESTAMP, tag VARCHAR, value DOUBLE);"
        "INSERT INTO t VALUES ('2024-01-01 00:00:00','a',1.5)");
    ASSERT_TRUE(r.ok()) << r.error_message();
    std::ofstream(dir_ / "in.csv") << "ts,tag,value\n2024-01-01 00:00:00,a,1\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string P(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(FileAccessApiTest, ReadOnlyRefusesCopyTo) {
  Options options;
  options.read_only = true;
  auto db = Database::Open(P("db"), options);
  ASSERT_NE(db, nullptr);
  Connection con(*db);
  Result r = con.Query("COPY t TO '" + P("out.parquet") + "'");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error_code(), ErrorCode::kNotSupported);
  EXPECT_NE(r.error_message().find("read-only"), std::string::npos) << r.error_message();
  EXPECT_FALSE(fs::exists(dir_ / "out.parquet"));
  EXPECT_TRUE(con.Query("SELECT count(*) FROM t").ok());
}

TEST_F(FileAccessApiTest, ExternalAccessOptionConfinesReadsAndCannotBeUndone) {
  Options options;
  options.enable_external_access = false;
  auto db = Database::Open(P("db"), options);
  ASSERT_NE(db, nullptr);
  Connection con(*db);
  Result r = con.Query("SELECT * FROM read_csv('" + P("in.csv") + "')");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error_message().find("Permission Error"), std::string::npos) << r.error_message();
  r = con.Query("SET enable_external_access = true");
  EXPECT_FALSE(r.ok());
  // A second connection to the same database is locked down too.
  Connection other(*db);
  EXPECT_FALSE(other.Query("SELECT * FROM read_csv('" + P("in.csv") + "')").ok());
  EXPECT_TRUE(other.Query("SELECT count(*) FROM t").ok());
  // Another database in the same process is not.
  auto free_db = Database::Open(P("db2"));
  ASSERT_NE(free_db, nullptr);
  Connection free_con(*free_db);
  Result ok = free_con.Query("SELECT count(*) FROM read_csv('" + P("in.csv") + "')");
  EXPECT_TRUE(ok.ok()) << ok.error_message();
}

TEST_F(FileAccessApiTest, CheckOutputFileRefusesTheDatabaseDirectory) {
  auto db = Database::Open(P("db"));
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(db->CheckOutputFile(P("out.txt")).ok());
  EXPECT_FALSE(db->CheckOutputFile(P("db/t/_log/00000000000000000009.json")).ok());
  EXPECT_FALSE(db->CheckOutputFile(P("db/new/file.txt")).ok());
  EXPECT_FALSE(db->CheckOutputFile(P("db")).ok());
  EXPECT_FALSE(db->CheckOutputFile(P("other/../db/x")).ok());
  EXPECT_TRUE(db->CheckOutputFile(P("db2/x")).ok());  // a sibling whose name starts alike
}

TEST_F(FileAccessApiTest, WarningsCarryRejectsAndSkippedRows) {
  std::ofstream(dir_ / "bad.csv") << "ts,tag,value\n2024-01-01 00:00:00,a,1\n2024-01-01 00:00:01,a,x\n";
  auto db = Database::Open(P("db"));
  ASSERT_NE(db, nullptr);
  Connection con(*db);
  Result r = con.Query("COPY t FROM '" + P("bad.csv") + "' (ON_ERROR 'continue')");
  ASSERT_TRUE(r.ok()) << r.error_message();
  ASSERT_EQ(r.warnings().size(), 1u);
  EXPECT_EQ(r.warnings()[0], "1 rows rejected -> t_rejects");
  // DuckDB's ignore_errors: the row that does not fit the sampled types is
  // skipped, and the result says so.
  r = con.Query("SELECT count(*) FROM read_csv('" + P("bad.csv") +
                "', ignore_errors => true, sample_size => 1)");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.GetInt64(0, 0), 1);
  ASSERT_EQ(r.warnings().size(), 1u);
  EXPECT_NE(r.warnings()[0].find("read_csv skipped 1 row"), std::string::npos) << r.warnings()[0];
  EXPECT_NE(r.warnings()[0].find("bad.csv line 3"), std::string::npos) << r.warnings()[0];
  // Without it the same row is an error, as in DuckDB.
  EXPECT_FALSE(con.Query("SELECT count(*) FROM read_csv('" + P("bad.csv") + "', sample_size => 1)").ok());
  r = con.Query("SELECT count(*) FROM t_rejects; SELECT count(*) FROM t");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.GetInt64(0, 0), 2);
  EXPECT_TRUE(r.warnings().empty());
}

}  // namespace
}  // namespace tslake
