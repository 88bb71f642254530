// Importer behaviour: one version per import with a summary (rows,
// rejects, tags), rejects stored in <t>_rejects, ON_ERROR abort commits
// nothing, a batch id makes a re-run a no-op for both tables, an import
// killed with SIGKILL leaves the previous version and a re-run completes
// without duplicates, and the progress line's format.
#include "ingest/importer.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>

#include "ingest/piwebapi_generator.h"
#include "ingest/piwebapi_reader.h"
#include "ingest/progress_printer.h"
#include "tests/ingest/ingest_test_util.h"

namespace tsl {
namespace {

class ImporterTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    db_.reset();
    auto db = Database::Open(dir_.path() + "/db");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    if (db_->ListTables().empty()) {
      ASSERT_TRUE(db_->CreateTable("pi", PiWebApiReader::NativeSchema()).ok());
    }
  }
  Result<ImportSummary> Import(const std::string& file, ImportOptions opts = {}) {
    auto reader = PiWebApiReader::Open(file, {});
    if (!reader.ok()) return reader.status();
    opts.source = file;
    return Importer::Run(db_.get(), "pi", reader->get(), opts);
  }
  int64_t Rows(const std::string& table) {
    auto t = db_->GetTable(table);
    if (!t.ok()) return -1;
    return static_cast<int64_t>(testing::ReadTable(**t).size());
  }

  testing::IngestTempDir dir_;
  std::unique_ptr<Database> db_;
};

std::string Generate(const std::string& path, int64_t tags, int64_t points, int64_t bad_every) {
  PiGeneratorOptions g;
  g.tags = tags;
  g.points_per_tag = points;
  g.bad_timestamp_every = bad_every;
  auto s = WritePiStreamsetsJson(path, g);
  EXPECT_TRUE(s.ok());
  return path;
}

TEST_F(ImporterTest, ImportIsOneVersionAndReportsRowsRejectsAndTags) {
  std::string file = Generate(dir_.path() + "/a.json", 30, 100, 500);  // 6 bad timestamps
  // A slow machine (an emulator, a sanitizer build) may see periodic
  // reports before the final one; exactly one says done, and it is last.
  int64_t done_calls = 0;
  bool last_was_done = false;
  ImportOptions opts;
  opts.progress = [&](const ImportProgress& p) {
    done_calls += p.done ? 1 : 0;
    last_was_done = p.done;
  };
  auto s = Import(file, opts);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->rows, 2994);
  EXPECT_EQ(s->rejects, 6);
  EXPECT_EQ(s->tags, 30);
  EXPECT_EQ(s->version, 1);
  EXPECT_EQ(done_calls, 1);
  EXPECT_TRUE(last_was_done);
  EXPECT_NE(s->ToString().find("2994 rows, 6 rejects, 30 tags"), std::string::npos) << s->ToString();
  EXPECT_EQ(Rows("pi"), 2994);
  EXPECT_EQ(Rows("pi_rejects"), 6);
  auto rejects = testing::ReadTable(**db_->GetTable("pi_rejects"));
  EXPECT_EQ(rejects.columns[0].strings[0], file);
  EXPECT_EQ(rejects.columns[2].strings[0], "$.Items[4].Items[99]");
  EXPECT_NE(rejects.columns[3].strings[0].find("2024-13-45"), std::string::npos);
  EXPECT_NE(rejects.columns[4].strings[0].find("not a valid TIMESTAMP"), std::string::npos);
}

TEST_F(ImporterTest, OnErrorAbortCommitsNothingAndNamesTheFirstBadRow) {
  std::string file = Generate(dir_.path() + "/a.json", 30, 100, 500);
  ImportOptions opts;
  opts.abort_on_error = true;
  auto s = Import(file, opts);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("$.Items[4].Items[99]"), std::string::npos)
      << s.status().message();
  EXPECT_NE(s.status().message().find("nothing was committed"), std::string::npos);
  EXPECT_EQ(*(*db_->GetTable("pi"))->LatestVersion(), 0);
  EXPECT_FALSE(db_->GetTable("pi_rejects").ok());
}

TEST_F(ImporterTest, RerunWithTheSameBatchIdIsANoOpForRowsAndRejects) {
  std::string file = Generate(dir_.path() + "/a.json", 10, 100, 300);
  ImportOptions opts;
  opts.batch_app_id = "pi-export";
  opts.batch_version = 20240101;
  auto first = Import(file, opts);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->already_committed);
  auto again = Import(file, opts);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_committed);
  EXPECT_NE(again->ToString().find("already committed"), std::string::npos);
  EXPECT_EQ(Rows("pi"), first->rows);
  EXPECT_EQ(Rows("pi_rejects"), first->rejects);
  // The next batch of the same app goes in.
  opts.batch_version = 20240102;
  auto next = Import(file, opts);
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->already_committed);
  EXPECT_EQ(Rows("pi"), 2 * first->rows);
}

TEST_F(ImporterTest, KilledImportLeavesThePreviousVersionAndRerunCompletesOnce) {
  std::string file = Generate(dir_.path() + "/big.json", 2000, 200, 0);  // 400,000 points
  const int64_t expected = 400000;
  ImportOptions opts;
  opts.batch_app_id = "nightly";
  opts.batch_version = 1;
  for (int delay_ms : {50, 300}) {
    db_.reset();
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto db = Database::Open(dir_.path() + "/db");
      if (!db.ok()) ::_exit(2);
      auto reader = PiWebApiReader::Open(file, {});
      if (!reader.ok()) ::_exit(3);
      auto s = Importer::Run(db->get(), "pi", reader->get(), opts);
      ::_exit(s.ok() ? 0 : 1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    Reopen();
    // Either nothing of the batch or all of it: never a part.
    int64_t rows = Rows("pi");
    EXPECT_TRUE(rows == 0 || rows == expected) << rows;
    if (rows == 0) {
      EXPECT_EQ(*(*db_->GetTable("pi"))->LatestVersion(), 0);
    }
  }
  auto s = Import(file, opts);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(Rows("pi"), expected);
  auto again = Import(file, opts);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_committed);
  DataChunk all = testing::ReadTable(**db_->GetTable("pi"));
  std::set<std::pair<std::string, int64_t>> keys;
  for (size_t i = 0; i < all.size(); ++i) keys.emplace(all.columns[0].strings[i], all.columns[1].ints[i]);
  EXPECT_EQ(static_cast<int64_t>(keys.size()), expected);
}

TEST(ProgressPrinterTest, LineShowsRowsRateShareAndEta) {
  ImportProgress p;
  p.rows = 1000000;
  p.rejects = 3;
  p.bytes_read = 50'000'000;
  p.bytes_total = 200'000'000;
  p.seconds = 2;
  std::string line = ProgressPrinter::Format(p);
  EXPECT_NE(line.find("1000000 rows"), std::string::npos) << line;
  EXPECT_NE(line.find("3 rejects"), std::string::npos) << line;
  EXPECT_NE(line.find("25.0 MB/s"), std::string::npos) << line;
  EXPECT_NE(line.find("25%"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 6 s"), std::string::npos) << line;
}

}  // namespace
}  // namespace tsl
