// FaultInjectionEnv itself: each fault kind hits exactly the call it was
// armed for, and a simulated power loss keeps exactly what was fsynced
// (file bytes by Sync, directory entries by SyncDir), as a real disk would.
#include "storage/fault_injection_env.h"

#include <gtest/gtest.h>

#include "reliability_test_util.h"

namespace tsl {
namespace {

using Fault = FaultInjectionEnv::Fault;

class FaultInjectionEnvTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      base_ = Env::Default();
      root_ = dir_.path();
    } else {
      mem_ = NewMemEnv();
      base_ = mem_.get();
      root_ = "/r";
      ASSERT_TRUE(base_->CreateDirIfMissing(root_).ok());
    }
    env_ = std::make_unique<FaultInjectionEnv>(base_);
  }
  std::string P(const std::string& name) const { return JoinPath(root_, name); }
  std::string Read(const std::string& name) {
    Result<std::string> r = base_->ReadFileToString(P(name));
    return r.ok() ? *r : "<missing>";
  }
  Status Write(const std::string& name, const std::string& data, bool sync) {
    ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> f, env_->NewWritableFile(P(name)));
    RETURN_IF_ERROR(f->Append(data));
    if (sync) RETURN_IF_ERROR(f->Sync());
    return f->Close();
  }

  reliability::TempDir dir_;
  std::unique_ptr<Env> mem_;
  Env* base_ = nullptr;
  std::string root_;
  std::unique_ptr<FaultInjectionEnv> env_;
};

TEST_P(FaultInjectionEnvTest, PowerLossDropsUnsyncedBytesAndUnsyncedNames) {
  ASSERT_TRUE(Write("synced", "durable", true).ok());
  ASSERT_TRUE(env_->SyncDir(root_).ok());
  ASSERT_TRUE(Write("unsynced-name", "abc", true).ok());  // bytes synced, name not
  {
    auto f = env_->NewWritableFile(P("synced2"));
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append("keep").ok());
    ASSERT_TRUE((*f)->Sync().ok());
    ASSERT_TRUE((*f)->Append("-lost").ok());
  }
  // synced2's name must survive: sync the directory after creating it, but
  // unsynced-name was created before too, so create it later.
  ASSERT_TRUE(env_->SyncDir(root_).ok());
  ASSERT_TRUE(Write("late", "x", true).ok());
  ASSERT_TRUE(env_->DropUnsyncedData().ok());
  EXPECT_EQ(Read("synced"), "durable");
  EXPECT_EQ(Read("unsynced-name"), "abc");  // its directory was synced afterwards
  EXPECT_EQ(Read("synced2"), "keep");
  EXPECT_FALSE(base_->FileExists(P("late")));
}

TEST_P(FaultInjectionEnvTest, PowerLossUndoesUnsyncedRenameLinkAndUnlink) {
  ASSERT_TRUE(Write("a", "A", true).ok());
  ASSERT_TRUE(Write("b", "B", true).ok());
  ASSERT_TRUE(Write("gone", "G", true).ok());
  ASSERT_TRUE(env_->SyncDir(root_).ok());
  ASSERT_TRUE(env_->RenameFile(P("a"), P("b")).ok());  // replaces b
  ASSERT_TRUE(env_->LinkFile(P("gone"), P("link")).ok());
  ASSERT_TRUE(env_->RemoveFile(P("gone")).ok());
  EXPECT_EQ(Read("b"), "A");
  ASSERT_TRUE(env_->DropUnsyncedData().ok());
  EXPECT_EQ(Read("a"), "A");
  EXPECT_EQ(Read("b"), "B");
  EXPECT_EQ(Read("gone"), "G");
  EXPECT_FALSE(base_->FileExists(P("link")));
}

TEST_P(FaultInjectionEnvTest, PowerLossRemovesDirectoriesWhoseCreationWasNotSynced) {
  ASSERT_TRUE(env_->CreateDirIfMissing(P("d")).ok());
  ASSERT_TRUE(env_->CreateDirIfMissing(P("d/e")).ok());
  ASSERT_TRUE(env_->SyncDir(P("d")).ok());  // e is durable in d, d is not in root
  ASSERT_TRUE(Write("d/e/f", "x", true).ok());
  ASSERT_TRUE(env_->DropUnsyncedData().ok());
  EXPECT_FALSE(base_->IsDirectory(P("d")));
}

TEST_P(FaultInjectionEnvTest, FailsExactlyTheNthCallOfTheArmedKind) {
  env_->Arm(Fault::kIOError, 2, FaultInjectionEnv::kSync);
  auto f = env_->NewWritableFile(P("x"));
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE((*f)->Append("1").ok());
  EXPECT_TRUE((*f)->Sync().ok());
  EXPECT_TRUE((*f)->Append("2").ok());
  Status st = (*f)->Sync();
  EXPECT_EQ(st.code(), StatusCode::kIOError);
  EXPECT_NE(st.message().find("Input/output error"), std::string::npos) << st.ToString();
  EXPECT_TRUE((*f)->Sync().ok());  // one fault only
  EXPECT_TRUE(env_->fired());
  EXPECT_EQ(env_->calls(), 3);
  EXPECT_EQ(env_->faults_injected(), 1);
}

TEST_P(FaultInjectionEnvTest, ShortWriteKeepsHalfTheBytesAndReportsNoSpace) {
  env_->Arm(Fault::kShortWrite, 1, FaultInjectionEnv::kWrite);
  auto f = env_->NewWritableFile(P("x"));
  ASSERT_TRUE(f.ok());
  Status st = (*f)->Append("abcdefgh");
  EXPECT_NE(st.message().find("No space left on device"), std::string::npos) << st.ToString();
  ASSERT_TRUE((*f)->Close().ok());
  EXPECT_EQ(Read("x"), "abcd");
}

TEST_P(FaultInjectionEnvTest, NoSpaceFailsLinkWithoutCreatingTheName) {
  ASSERT_TRUE(Write("a", "A", true).ok());
  env_->Arm(Fault::kNoSpace, 1, FaultInjectionEnv::kLink);
  Status st = env_->LinkFile(P("a"), P("b"));
  EXPECT_NE(st.message().find("No space left on device"), std::string::npos);
  EXPECT_FALSE(base_->FileExists(P("b")));
}

TEST_P(FaultInjectionEnvTest, CrashStopsEveryLaterMutationButNotReads) {
  ASSERT_TRUE(Write("a", "A", true).ok());
  ASSERT_TRUE(env_->SyncDir(root_).ok());
  env_->Arm(Fault::kCrash, 1);
  EXPECT_FALSE(env_->RemoveFile(P("a")).ok());
  EXPECT_TRUE(env_->crashed());
  EXPECT_FALSE(env_->RenameFile(P("a"), P("b")).ok());
  EXPECT_FALSE(env_->NewWritableFile(P("c")).ok());
  EXPECT_TRUE(env_->ReadFileToString(P("a")).ok());
  ASSERT_TRUE(env_->DropUnsyncedData().ok());
  EXPECT_FALSE(env_->crashed());
  EXPECT_TRUE(env_->RemoveFile(P("a")).ok());
}

TEST_P(FaultInjectionEnvTest, TraceNamesEachCountedCall) {
  env_->Arm(Fault::kNone, 0);
  ASSERT_TRUE(Write("a", "A", true).ok());
  ASSERT_TRUE(env_->SyncDir(root_).ok());
  std::vector<std::string> trace = env_->Trace();
  ASSERT_EQ(trace.size(), 4u);
  EXPECT_NE(trace[0].find("create"), std::string::npos);
  EXPECT_NE(trace[1].find("write"), std::string::npos);
  EXPECT_NE(trace[2].find("fsync"), std::string::npos);
  EXPECT_NE(trace[3].find("fsync-dir"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(PosixAndMemory, FaultInjectionEnvTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Posix" : "Memory"; });

}  // namespace
}  // namespace tsl
