// TransactionLog: put-if-absent commits, version listing, and damaged
// version files reported as kCorruption (never as data).
#include "storage/transaction_log.h"

#include <gtest/gtest.h>

#include <thread>

#include "storage_test_util.h"

namespace tsl {
namespace {

std::vector<LogAction> Version0() {
  MetaDataAction m;
  m.id = "id";
  m.name = "m";
  m.schema = testing::MetricSchema();
  CommitInfoAction c;
  c.operation = "CREATE TABLE";
  c.timestamp = 1;
  return {ProtocolAction{}, m, c};
}

std::vector<LogAction> Append(const std::string& path) {
  AddAction a;
  a.path = path;
  a.size = 10;
  a.stats.num_records = 1;
  CommitInfoAction c;
  c.operation = "WRITE";
  c.timestamp = 2;
  c.is_blind_append = true;
  return {a, c};
}

class TransactionLogTest : public ::testing::Test {
 protected:
  TransactionLogTest() : env_(NewMemEnv()), log_(env_.get(), "/t") {
    EXPECT_TRUE(env_->CreateDirIfMissing("/t").ok());
  }
  std::unique_ptr<Env> env_;
  TransactionLog log_;
};

TEST_F(TransactionLogTest, VersionFileNamesAreTwentyDigits) {
  EXPECT_EQ(TransactionLog::VersionFileName(3), "00000000000000000003.json");
  EXPECT_EQ(TransactionLog::ParseVersionFileName("00000000000000000003.json"), 3);
  EXPECT_EQ(TransactionLog::ParseVersionFileName(".tmp-abc.json"), -1);
  EXPECT_EQ(TransactionLog::ParseVersionFileName("0000000000000000003.json"), -1);
}

TEST_F(TransactionLogTest, CommitFailsWhenVersionAlreadyExists) {
  ASSERT_TRUE(log_.Commit(0, Version0()).ok());
  Status st = log_.Commit(0, Version0());
  EXPECT_TRUE(st.IsConflict()) << st.ToString();
  ASSERT_TRUE(log_.Commit(1, Append("a.tsl")).ok());
  std::string before = *env_->ReadFileToString(log_.VersionPath(1));
  EXPECT_TRUE(log_.Commit(1, Append("b.tsl")).IsConflict());
  // The loser never modified the winner's file.
  EXPECT_EQ(*env_->ReadFileToString(log_.VersionPath(1)), before);
  EXPECT_EQ(*log_.LatestVersion(), 1);
}

TEST_F(TransactionLogTest, ConcurrentCommitsOfOneVersionHaveOneWinnerOnDisk) {
  testing::TempDir dir;
  TransactionLog log(Env::Default(), dir.path());
  ASSERT_TRUE(log.Commit(0, Version0()).ok());
  std::atomic<int> ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      Status st = log.Commit(1, Append("f" + std::to_string(i) + ".tsl"));
      if (st.ok()) ++ok;
      if (st.IsConflict()) ++conflicts;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), 7);
  // No temp files remain after the commits.
  auto kids = Env::Default()->GetChildren(log.log_dir());
  ASSERT_TRUE(kids.ok());
  EXPECT_EQ(kids->size(), 2u);
}

TEST_F(TransactionLogTest, ReadVersionReturnsWhatWasCommitted) {
  ASSERT_TRUE(log_.Commit(0, Version0()).ok());
  auto actions = log_.ReadVersion(0);
  ASSERT_TRUE(actions.ok()) << actions.status().ToString();
  ASSERT_EQ(actions->size(), 3u);
  EXPECT_TRUE(std::holds_alternative<ProtocolAction>(actions->at(0)));
  EXPECT_EQ(std::get<MetaDataAction>(actions->at(1)).schema, testing::MetricSchema());
  EXPECT_TRUE(log_.ReadVersion(5).status().IsNotFound());
}

TEST_F(TransactionLogTest, LeftoverTempFilesAreIgnored) {
  ASSERT_TRUE(log_.Commit(0, Version0()).ok());
  ASSERT_TRUE(WriteFileSync(env_.get(), "/t/_log/.tmp-crashed.json", "{\"add\":").ok());
  auto versions = log_.ListVersions();
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(*versions, std::vector<int64_t>{0});
}

TEST_F(TransactionLogTest, MissingVersionIsCorruption) {
  ASSERT_TRUE(log_.Commit(0, Version0()).ok());
  ASSERT_TRUE(log_.Commit(1, Append("a.tsl")).ok());
  ASSERT_TRUE(log_.Commit(2, Append("b.tsl")).ok());
  ASSERT_TRUE(env_->RemoveFile(log_.VersionPath(1)).ok());
  Status st = log_.ListVersions().status();
  EXPECT_TRUE(st.IsCorruption()) << st.ToString();
  EXPECT_NE(st.message().find("version 1 is missing"), std::string::npos);
}

TEST_F(TransactionLogTest, TruncatedLogFileIsCorruption) {
  ASSERT_TRUE(log_.Commit(0, Version0()).ok());
  std::string path = log_.VersionPath(0);
  std::string content = *env_->ReadFileToString(path);
  // Every proper prefix is a torn file: mid-line or at a line boundary.
  for (size_t len = 0; len < content.size(); ++len) {
    ASSERT_TRUE(WriteFileSync(env_.get(), path, content.substr(0, len)).ok());
    auto r = log_.ReadVersion(0);
    ASSERT_FALSE(r.ok()) << "prefix of " << len << " bytes accepted";
    EXPECT_TRUE(r.status().IsCorruption()) << r.status().ToString();
    EXPECT_NE(r.status().message().find(path), std::string::npos) << r.status().ToString();
  }
}

TEST_F(TransactionLogTest, FlippedByteInLogIsCorruption) {
  ASSERT_TRUE(log_.Commit(0, Version0()).ok());
  std::string path = log_.VersionPath(0);
  std::string content = *env_->ReadFileToString(path);
  for (size_t i = 0; i < content.size(); ++i) {
    for (unsigned char mask : {0x01, 0x20, 0x80}) {
      std::string damaged = content;
      damaged[i] = static_cast<char>(damaged[i] ^ mask);
      ASSERT_TRUE(WriteFileSync(env_.get(), path, damaged).ok());
      auto r = log_.ReadVersion(0);
      ASSERT_FALSE(r.ok()) << "flip at byte " << i << " accepted";
      EXPECT_TRUE(r.status().IsCorruption()) << r.status().ToString();
    }
  }
}

}  // namespace
}  // namespace tsl

namespace tsl {
namespace {

// The example version file in formats/log.md is a valid version file.
TEST(LogSpecTest, ExampleInLogMdVerifiesAndParses) {
  auto spec = Env::Default()->ReadFileToString(std::string(TSLAKE_SOURCE_DIR) + "/formats/log.md");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  size_t start = spec->find("```\n{\"add\"");
  ASSERT_NE(start, std::string::npos);
  start += 4;
  size_t end = spec->find("```", start);
  std::string example = spec->substr(start, end - start);
  auto body = TransactionLog::VerifyChecksumLine(example, "log.md example");
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  auto actions = ParseLogFile(*body, "log.md example");
  ASSERT_TRUE(actions.ok()) << actions.status().ToString();
  ASSERT_EQ(actions->size(), 2u);
  EXPECT_EQ(std::get<AddAction>(actions->at(0)).stats.num_records, 3600);
  EXPECT_EQ(std::get<CommitInfoAction>(actions->at(1)).operation, "WRITE");
}

}  // namespace
}  // namespace tsl
