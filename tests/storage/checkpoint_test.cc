// Checkpoints: written every checkpoint_interval versions, equal to a full
// replay, used by opens so that fewer than interval JSON versions are read,
// ignored (never trusted) when damaged, and log retention cleaning only
// what no retained version needs.
#include <gtest/gtest.h>

#include "formats/timestamp.h"
#include "storage/checkpoint.h"
#include "storage/table.h"
#include "storage/transaction.h"
#include "storage/transaction_log.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

using testing::ClockEnv;
using testing::MetricChunk;
using testing::MetricSchema;

constexpr int64_t kDay = kMicrosPerDay;

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mem_ = NewMemEnv();
    env_ = std::make_unique<ClockEnv>(mem_.get());
    ASSERT_TRUE(env_->CreateDirIfMissing("/db").ok());
    auto t = Table::Create(env_.get(), nullptr, "/db/m", "m", MetricSchema(), {});
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    table_ = *t;
  }
  void Commits(int n) {
    for (int i = 0; i < n; ++i) {
      auto w = table_->NewWriter();
      ASSERT_TRUE(w->Append(MetricChunk(T0() + next_ * kMicrosPerSecond, 2, next_)).ok());
      ASSERT_TRUE(w->Commit("WRITE").ok());
      next_ += 2;
    }
  }
  static int64_t T0() { return *ParseTimestamp("2024-01-01"); }
  std::shared_ptr<Table> Reopen() { return *Table::Open(env_.get(), nullptr, "/db/m", "m"); }
  std::string LogDir() const { return "/db/m/_log"; }

  std::unique_ptr<Env> mem_;
  std::unique_ptr<ClockEnv> env_;
  std::shared_ptr<Table> table_;
  int next_ = 0;
};

void ExpectSameState(const Snapshot& a, const Snapshot& b) {
  EXPECT_EQ(a.version(), b.version());
  EXPECT_EQ(a.timestamp_ms(), b.timestamp_ms());
  EXPECT_EQ(a.schema(), b.schema());
  EXPECT_EQ(a.physical_schema(), b.physical_schema());
  EXPECT_EQ(a.metadata().configuration, b.metadata().configuration);
  EXPECT_EQ(a.app_versions(), b.app_versions());
  ASSERT_EQ(a.files().size(), b.files().size());
  for (size_t i = 0; i < a.files().size(); ++i) {
    EXPECT_EQ(a.files()[i].path, b.files()[i].path);
    EXPECT_EQ(a.files()[i].size, b.files()[i].size);
    EXPECT_EQ(a.files()[i].stats.num_records, b.files()[i].stats.num_records);
    EXPECT_EQ(a.files()[i].stats.min_values, b.files()[i].stats.min_values);
    EXPECT_EQ(a.files()[i].stats.max_values, b.files()[i].stats.max_values);
  }
}

TEST_F(CheckpointTest, WrittenEveryTenVersionsAndEqualToReplay) {
  Commits(25);
  auto cps = Checkpoint::List(env_.get(), LogDir());
  ASSERT_TRUE(cps.ok());
  EXPECT_EQ(*cps, (std::vector<int64_t>{10, 20}));
  EXPECT_EQ(Checkpoint::ReadLast(env_.get(), LogDir()), 20);
  auto cp = Checkpoint::Read(env_.get(), LogDir(), 20);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  // A replay of all 21 JSON versions gives the same state.
  TransactionLog log(env_.get(), "/db/m");
  std::shared_ptr<const Snapshot> replay;
  for (int64_t v = 0; v <= 20; ++v)
    replay = *Snapshot::Apply(replay.get(), v, *log.ReadVersion(v), "v");
  ExpectSameState(**cp, *replay);
}

TEST_F(CheckpointTest, OpeningAnyVersionReadsFewerThanTenJsonFiles) {
  Commits(37);
  for (int64_t v : {int64_t{37}, int64_t{29}, int64_t{20}, int64_t{5}}) {
    auto fresh = Reopen();
    env_->ResetCounters();
    auto snap = v == 37 ? fresh->GetSnapshot() : fresh->GetSnapshot(v);
    ASSERT_TRUE(snap.ok()) << snap.status().ToString();
    EXPECT_EQ((*snap)->version(), v);
    EXPECT_EQ((*snap)->total_rows(), 2 * v);
    // The latest is found by probing, not replaying; only versions after
    // the newest checkpoint at or below v are read (time travel does not
    // load the latest snapshot first).
    EXPECT_LT(env_->json_reads(), 10) << "version " << v;
    EXPECT_EQ(env_->json_reads(), v < 10 ? v + 1 : v % 10) << "version " << v;
  }
  auto fresh = Reopen();
  env_->ResetCounters();
  ASSERT_TRUE(fresh->GetSnapshot().ok());
  EXPECT_EQ(env_->json_reads(), 7);  // 31..37 on top of checkpoint 30
}

// A checkpoint written by an older build (format 1: add stats as JSON text
// in a string, as in version files) is still read, and equals format 2.
TEST_F(CheckpointTest, FormatOneCheckpointIsStillRead) {
  Commits(12);
  auto v2 = Checkpoint::Read(env_.get(), LogDir(), 10);
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  std::string path = JoinPath(LogDir(), Checkpoint::FileName(10));
  std::string bytes = *env_->ReadFileToString(path);
  EXPECT_NE(bytes.find("\"formatVersion\":2"), std::string::npos);
  EXPECT_NE(bytes.find("\"stats\":{"), std::string::npos);  // format 2: inline object
  std::string v1 = "{\"checkpoint\":{\"version\":10,\"timestamp\":" +
                   std::to_string((*v2)->timestamp_ms()) + ",\"numFiles\":" +
                   std::to_string((*v2)->files().size()) + ",\"formatVersion\":1}}\n";
  v1 += SerializeAction((*v2)->protocol()) + "\n" + SerializeAction((*v2)->metadata()) + "\n";
  for (const AddAction& f : (*v2)->files()) v1 += SerializeAction(f) + "\n";
  EXPECT_NE(v1.find("\"stats\":\"{"), std::string::npos);  // format 1: a string
  ASSERT_TRUE(WriteFileSync(env_.get(), path, TransactionLog::AppendChecksumLine(v1)).ok());
  auto back = Checkpoint::Read(env_.get(), LogDir(), 10);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectSameState(**back, **v2);
  auto snap = Reopen()->GetSnapshot(11);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ((*snap)->total_rows(), 22);
}

TEST_F(CheckpointTest, DamagedCheckpointIsCorruptionAndOpensFallBackToReplay) {
  Commits(20);
  std::string path = JoinPath(LogDir(), Checkpoint::FileName(20));
  std::string bytes = *env_->ReadFileToString(path);
  for (size_t pos : {size_t{5}, bytes.size() / 2, bytes.size() - 3}) {
    std::string bad = bytes;
    bad[pos] ^= 0x20;
    ASSERT_TRUE(WriteFileSync(env_.get(), path, bad).ok());
    auto cp = Checkpoint::Read(env_.get(), LogDir(), 20);
    EXPECT_EQ(cp.status().code(), StatusCode::kCorruption) << pos;
    EXPECT_NE(cp.status().message().find(Checkpoint::FileName(20)), std::string::npos);
    auto snap = Reopen()->GetSnapshot();
    ASSERT_TRUE(snap.ok()) << snap.status().ToString();
    EXPECT_EQ((*snap)->total_rows(), 40);  // from checkpoint 10 + JSON 11..20
  }
  // Torn: half the file.
  ASSERT_TRUE(WriteFileSync(env_.get(), path, bytes.substr(0, bytes.size() / 2)).ok());
  EXPECT_EQ(Checkpoint::Read(env_.get(), LogDir(), 20).status().code(), StatusCode::kCorruption);
  EXPECT_EQ((*Reopen()->GetSnapshot())->total_rows(), 40);
  // A damaged _last_checkpoint is only a hint: ignored.
  ASSERT_TRUE(WriteFileSync(env_.get(), JoinPath(LogDir(), "_last_checkpoint"), "{garbage").ok());
  EXPECT_EQ(Checkpoint::ReadLast(env_.get(), LogDir()), std::nullopt);
  EXPECT_EQ((*Reopen()->GetSnapshot())->total_rows(), 40);
}

TEST_F(CheckpointTest, FlippedByteInAJsonVersionIsCorruption) {
  Commits(3);
  TransactionLog log(env_.get(), "/db/m");
  std::string bytes = *env_->ReadFileToString(log.VersionPath(2));
  bytes[bytes.size() / 3] ^= 0x01;
  ASSERT_TRUE(WriteFileSync(env_.get(), log.VersionPath(2), bytes).ok());
  auto snap = Reopen()->GetSnapshot();
  EXPECT_EQ(snap.status().code(), StatusCode::kCorruption);
  EXPECT_NE(snap.status().message().find("00000000000000000002.json"), std::string::npos);
}

TEST_F(CheckpointTest, CheckpointIntervalIsATableProperty) {
  auto t = Table::Create(env_.get(), nullptr, "/db/k", "k", MetricSchema(),
                         {{"checkpoint_interval", "3"}});
  ASSERT_TRUE(t.ok());
  for (int i = 0; i < 7; ++i) {
    auto w = (*t)->NewWriter();
    ASSERT_TRUE(w->Append(MetricChunk(T0(), 1)).ok());
    ASSERT_TRUE(w->Commit("WRITE").ok());
  }
  EXPECT_EQ(*Checkpoint::List(env_.get(), "/db/k/_log"), (std::vector<int64_t>{3, 6}));
  EXPECT_EQ(Table::Create(env_.get(), nullptr, "/db/z", "z", MetricSchema(),
                          {{"checkpoint_interval", "0"}})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

// The default interval grows with the live files (a tenth of them), so a
// table of many small segments does not rewrite all of them every 10th
// commit; an explicit checkpoint_interval is kept exactly.
TEST_F(CheckpointTest, DefaultIntervalGrowsWithTheLiveFiles) {
  Commits(400);  // one file per commit: 400 live files at the end
  std::vector<int64_t> cps = *Checkpoint::List(env_.get(), LogDir());
  ASSERT_FALSE(cps.empty());
  EXPECT_EQ(cps.front(), 10);
  for (size_t i = 1; i < cps.size(); ++i) {
    // Files at the previous checkpoint: its version (version 0 adds none).
    EXPECT_GE(cps[i] - cps[i - 1], std::max<int64_t>(10, cps[i - 1] / 10)) << cps[i];
  }
  EXPECT_LT(cps.size(), 40u);  // a fixed interval of 10 would give 40
  // A reader still replays from the last checkpoint: same state as before.
  auto reopened = Reopen();
  ExpectSameState(**reopened->GetSnapshot(), **table_->GetSnapshot());

  auto t = Table::Create(env_.get(), nullptr, "/db/k", "k", MetricSchema(),
                         {{"checkpoint_interval", "10"}});
  ASSERT_TRUE(t.ok());
  for (int i = 0; i < 250; ++i) {
    auto w = (*t)->NewWriter();
    ASSERT_TRUE(w->Append(MetricChunk(T0() + i, 1)).ok());
    ASSERT_TRUE(w->Commit("WRITE").ok());
  }
  EXPECT_EQ(Checkpoint::List(env_.get(), "/db/k/_log")->size(), 25u);
}

TEST_F(CheckpointTest, LogRetentionDeletesOnlyWhatNoRetainedVersionNeeds) {
  Commits(15);                // versions 1..15, checkpoint 10
  env_->Advance(40 * kDay);   // all of that is now older than 30 days
  Commits(3);                 // 16..18
  env_->Advance(1 * kDay);
  Commits(2);                 // 19..20: checkpoint 20 triggers the cleanup
  // The version current 30 days ago is 15 (committed before the jump), so
  // checkpoint 10 must stay and only versions below it go.
  TransactionLog log(env_.get(), "/db/m");
  auto versions = log.ListVersions();
  ASSERT_TRUE(versions.ok()) << versions.status().ToString();
  EXPECT_EQ(versions->front(), 10);
  EXPECT_EQ(*Checkpoint::List(env_.get(), LogDir()), (std::vector<int64_t>{10, 20}));
  auto fresh = Reopen();
  for (int64_t v = 10; v <= 20; ++v) {
    auto snap = fresh->GetSnapshot(v);
    ASSERT_TRUE(snap.ok()) << v << ": " << snap.status().ToString();
    EXPECT_EQ((*snap)->total_rows(), 2 * v);
  }
  auto gone = fresh->GetSnapshot(5);
  EXPECT_TRUE(gone.status().IsNotFound()) << gone.status().ToString();
  EXPECT_NE(gone.status().message().find("log retention"), std::string::npos);
  // Once the newer versions age out too, the next checkpoint moves the
  // floor to the version current at the cutoff (20, read through its
  // checkpoint).
  env_->Advance(40 * kDay);
  Commits(10);  // 21..30, checkpoint 30
  EXPECT_EQ(log.ListVersions()->front(), 20);
  EXPECT_EQ(*Checkpoint::List(env_.get(), LogDir()), (std::vector<int64_t>{20, 30}));
  EXPECT_EQ((*Reopen()->GetSnapshot())->total_rows(), 60);
  auto history = Reopen()->History();
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 11u);
}

TEST_F(CheckpointTest, TxnVersionsSurviveCheckpointsAndRejectReplays) {
  for (int64_t batch = 1; batch <= 12; ++batch) {
    auto txn = table_->NewTransaction();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->SetTxn("ingest-1", batch).ok());
    ASSERT_TRUE((*txn)->AddRows(MetricChunk(T0(), 1)).ok());
    ASSERT_TRUE((*txn)->Commit("WRITE").ok());
  }
  auto fresh = Reopen();
  auto snap = fresh->GetSnapshot();
  EXPECT_EQ((*snap)->app_versions().at("ingest-1"), 12);
  auto txn = fresh->NewTransaction();
  EXPECT_EQ((*txn)->SetTxn("ingest-1", 12).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tsl
