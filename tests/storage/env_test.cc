// PosixEnv and MemEnv must behave alike where storage relies on them:
// put-if-absent LinkFile, directory listing, removal rules, positional reads.
#include "storage/env.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "storage_test_util.h"

namespace tsl {
namespace {

class EnvTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      env_ = Env::Default();
      root_ = tmp_.path();
    } else {
      mem_ = NewMemEnv();
      env_ = mem_.get();
      root_ = "/root";
      ASSERT_TRUE(env_->CreateDirIfMissing(root_).ok());
    }
  }
  std::string P(const std::string& name) const { return JoinPath(root_, name); }

  testing::TempDir tmp_;
  std::unique_ptr<Env> mem_;
  Env* env_ = nullptr;
  std::string root_;
};

TEST_P(EnvTest, WrittenFileReadsBackWholeAndByRange) {
  ASSERT_TRUE(WriteFileSync(env_, P("a"), "hello world").ok());
  EXPECT_TRUE(env_->FileExists(P("a")));
  EXPECT_EQ(*env_->GetFileSize(P("a")), 11u);
  EXPECT_EQ(*env_->ReadFileToString(P("a")), "hello world");
  auto file = env_->NewRandomAccessFile(P("a"));
  ASSERT_TRUE(file.ok());
  std::string out;
  ASSERT_TRUE((*file)->Read(6, 5, &out).ok());
  EXPECT_EQ(out, "world");
  EXPECT_TRUE((*file)->Read(6, 6, &out).IsCorruption());
}

TEST_P(EnvTest, LinkFileIsPutIfAbsent) {
  ASSERT_TRUE(WriteFileSync(env_, P("first"), "1").ok());
  ASSERT_TRUE(WriteFileSync(env_, P("second"), "2").ok());
  ASSERT_TRUE(env_->LinkFile(P("first"), P("target")).ok());
  Status st = env_->LinkFile(P("second"), P("target"));
  EXPECT_TRUE(st.IsAlreadyExists()) << st.ToString();
  EXPECT_EQ(*env_->ReadFileToString(P("target")), "1");
  // The link survives removal of the staging name.
  ASSERT_TRUE(env_->RemoveFile(P("first")).ok());
  EXPECT_EQ(*env_->ReadFileToString(P("target")), "1");
}

TEST_P(EnvTest, ConcurrentLinksToOneNameHaveExactlyOneWinner) {
  constexpr int kThreads = 8;
  for (int i = 0; i < kThreads; ++i)
    ASSERT_TRUE(WriteFileSync(env_, P("src" + std::to_string(i)), std::to_string(i)).ok());
  std::atomic<int> wins{0}, losses{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      Status st = env_->LinkFile(P("src" + std::to_string(i)), P("dst"));
      if (st.ok()) ++wins;
      if (st.IsAlreadyExists()) ++losses;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(losses.load(), kThreads - 1);
}

TEST_P(EnvTest, ChildrenListsNamesOnly) {
  ASSERT_TRUE(env_->CreateDirIfMissing(P("d")).ok());
  ASSERT_TRUE(env_->CreateDirIfMissing(P("d")).ok());  // idempotent
  ASSERT_TRUE(WriteFileSync(env_, P("d/x"), "").ok());
  ASSERT_TRUE(env_->CreateDirIfMissing(P("d/sub")).ok());
  ASSERT_TRUE(WriteFileSync(env_, P("d/sub/y"), "").ok());
  auto kids = env_->GetChildren(P("d"));
  ASSERT_TRUE(kids.ok());
  std::sort(kids->begin(), kids->end());
  EXPECT_EQ(*kids, (std::vector<std::string>{"sub", "x"}));
  EXPECT_TRUE(env_->IsDirectory(P("d/sub")));
  EXPECT_FALSE(env_->IsDirectory(P("d/x")));
}

TEST_P(EnvTest, RemoveDirRefusesNonEmptyDirectory) {
  ASSERT_TRUE(env_->CreateDirIfMissing(P("d")).ok());
  ASSERT_TRUE(WriteFileSync(env_, P("d/x"), "").ok());
  EXPECT_EQ(env_->RemoveDir(P("d")).code(), StatusCode::kIOError);
  ASSERT_TRUE(env_->RemoveFile(P("d/x")).ok());
  EXPECT_TRUE(env_->RemoveDir(P("d")).ok());
  EXPECT_FALSE(env_->FileExists(P("d")));
}

TEST_P(EnvTest, MissingFileErrorsNameThePath) {
  auto r = env_->NewRandomAccessFile(P("nope"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIOError);
  EXPECT_NE(r.status().message().find(P("nope")), std::string::npos) << r.status().ToString();
  EXPECT_FALSE(env_->RemoveFile(P("nope")).ok());
  EXPECT_FALSE(env_->NewWritableFile(P("no/such/dir/file")).ok());
}

TEST_P(EnvTest, RenameMovesFilesAndDirectories) {
  ASSERT_TRUE(WriteFileSync(env_, P("a"), "A").ok());
  ASSERT_TRUE(env_->RenameFile(P("a"), P("b")).ok());
  EXPECT_FALSE(env_->FileExists(P("a")));
  EXPECT_EQ(*env_->ReadFileToString(P("b")), "A");
  ASSERT_TRUE(env_->CreateDirIfMissing(P("d")).ok());
  ASSERT_TRUE(WriteFileSync(env_, P("d/f"), "F").ok());
  ASSERT_TRUE(env_->RenameFile(P("d"), P("e")).ok());
  EXPECT_FALSE(env_->IsDirectory(P("d")));
  EXPECT_EQ(*env_->ReadFileToString(P("e/f")), "F");
  EXPECT_TRUE(env_->SyncDir(P("e")).ok());
}

TEST_P(EnvTest, NewWritableFileTruncates) {
  ASSERT_TRUE(WriteFileSync(env_, P("a"), "long content").ok());
  ASSERT_TRUE(WriteFileSync(env_, P("a"), "x").ok());
  EXPECT_EQ(*env_->ReadFileToString(P("a")), "x");
}

INSTANTIATE_TEST_SUITE_P(PosixAndMem, EnvTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Posix" : "Mem"; });

TEST(JoinPathTest, JoinsWithOneSlash) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(JoinPath("a", "/b"), "a/b");
  EXPECT_EQ(JoinPath("", "b"), "b");
}

}  // namespace
}  // namespace tsl
