// Connection::Progress() (and tslake_query_progress): read from another
// thread while a COPY or a table scan runs, it moves from 0 to 100 and is
// -1 when no statement runs or SET enable_progress_bar = false (issue 22's
// progress bar reads it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "tslake/tslake.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

class QueryProgressTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tslake_progress_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::string error;
    db_ = Database::Open((dir_ / "db").string(), {}, &error);
    ASSERT_NE(db_, nullptr) << error;
    con_ = std::make_unique<Connection>(*db_);
  }
  void TearDown() override {
    con_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A CSV of `rows` sensor rows.
  std::string WriteCsv(int rows) {
    std::string path = (dir_ / "in.csv").string();
    std::ofstream out(path);
    out << "ts,tag,value\n";
    for (int i = 0; i < rows; ++i)
      out << "2024-01-01 00:00:" << (i % 60 < 10 ? "0" : "") << i % 60 << ",tag" << i % 97 << ","
          << i * 0.5 << "\n";
    return path;
  }

  // Runs `sql` on a thread and reads Progress() in a loop until it ends.
  std::vector<double> Readings(const std::string& sql, std::string* error) {
    std::atomic<bool> done{false};
    std::thread runner([&] {
      Result r = con_->Query(sql);
      if (!r.ok()) *error = r.error_message();
      done = true;
    });
    std::vector<double> seen;
    while (!done) {
      seen.push_back(con_->Progress().percentage);
      std::this_thread::yield();
    }
    runner.join();
    return seen;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
};

// Every reading is -1 (not started, or finished) or 0..100, never going
// back, and some lie strictly between.
void ExpectMovesForward(const std::vector<double>& seen) {
  double last = -1;
  bool between = false;
  for (double p : seen) {
    if (p < 0) continue;
    EXPECT_LE(p, 100.0);
    EXPECT_GE(p, last);
    last = p;
    between |= p > 0 && p < 100;
  }
  EXPECT_TRUE(between) << seen.size() << " readings, last " << last;
}

TEST_F(QueryProgressTest, IdleConnectionHasNoProgress) {
  EXPECT_EQ(con_->Progress().percentage, -1);
  ASSERT_TRUE(con_->Query("SELECT 42").ok());
  EXPECT_EQ(con_->Progress().percentage, -1);  // reset when the statement ended
}

TEST_F(QueryProgressTest, CopyReportsTheBytesReadOfTheFile) {
  std::string csv = WriteCsv(400000);
  std::string error;
  std::vector<double> seen = Readings("COPY m FROM '" + csv + "'", &error);
  ASSERT_EQ(error, "");
  ExpectMovesForward(seen);
  EXPECT_EQ(con_->Progress().percentage, -1);
  // The total is the file's size in bytes.
  Result r = con_->Query("SELECT count(*) FROM m");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.GetInt64(0, 0), 400000);
}

TEST_F(QueryProgressTest, LineProtocolCopyReportsBytesToo) {
  std::string path = (dir_ / "in.lp").string();
  {
    std::ofstream out(path);
    for (int i = 0; i < 300000; ++i)
      out << "cpu,host=h" << i % 50 << " usage=" << i * 0.25 << " " << 1700000000000000000LL + i * 1000000000LL
          << "\n";
  }
  ASSERT_TRUE(con_->Query("CREATE TABLE lp (ts TIMESTAMP, tag VARCHAR, value DOUBLE)").ok());
  std::string error;
  ExpectMovesForward(Readings("COPY lp FROM '" + path + "' (FORMAT line)", &error));
  ASSERT_EQ(error, "");
}

TEST_F(QueryProgressTest, TableScanReportsRowsRead) {
  std::string csv = WriteCsv(400000);
  ASSERT_TRUE(con_->Query("COPY m FROM '" + csv + "'").ok());
  std::string error;
  std::vector<double> seen = Readings(
      "SELECT count(*) FROM m a, (SELECT value FROM m WHERE value < 20) b WHERE a.value < b.value",
      &error);
  ASSERT_EQ(error, "");
  ExpectMovesForward(seen);
}

TEST_F(QueryProgressTest, DisabledBySetting) {
  std::string csv = WriteCsv(200000);
  ASSERT_TRUE(con_->Query("SET enable_progress_bar = false").ok());
  std::string error;
  for (double p : Readings("COPY m FROM '" + csv + "'", &error)) EXPECT_EQ(p, -1);
  ASSERT_EQ(error, "");
  ASSERT_TRUE(con_->Query("RESET enable_progress_bar").ok());
  ExpectMovesForward(Readings("COPY m FROM '" + csv + "'", &error));
}

TEST_F(QueryProgressTest, CApiReadsTheSameProgress) {
  tslake_query_progress_type none = tslake_query_progress(nullptr);
  EXPECT_EQ(none.percentage, -1);
  tslake_database* db = nullptr;
  tslake_connection* con = nullptr;
  ASSERT_EQ(tslake_open(nullptr, nullptr, &db, nullptr), TSLAKE_OK);
  ASSERT_EQ(tslake_connect(db, &con), TSLAKE_OK);
  tslake_query_progress_type idle = tslake_query_progress(con);
  EXPECT_EQ(idle.percentage, -1);
  EXPECT_EQ(idle.total_rows_to_process, 0u);
  EXPECT_EQ(tslake_disconnect(con), TSLAKE_OK);
  EXPECT_EQ(tslake_close(db), TSLAKE_OK);
}

}  // namespace
}  // namespace tslake
