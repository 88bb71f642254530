// Log safety (issue 15 items 7, 8 and 12): a gap in the log is an error on
// read and on commit, never a silently older table or a re-used version
// number; a checkpoint that disagrees with the log is not trusted; a writer
// never commits into a table that was dropped and re-created under it; a
// segment file records its table and segment id and a swapped or foreign
// file is refused.
#include <gtest/gtest.h>

#include "formats/byte_source.h"
#include "formats/segment_reader.h"
#include "formats/segment_writer.h"
#include "formats/timestamp.h"
#include "storage/checkpoint.h"
#include "storage/database.h"
#include "storage/table.h"
#include "storage/table_checker.h"
#include "storage/transaction_log.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

using testing::MetricChunk;
using testing::MetricSchema;

int64_t T0() { return *ParseTimestamp("2024-01-01"); }

class LogSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = NewMemEnv();
    ASSERT_TRUE(env_->CreateDirIfMissing("/db").ok());
    auto t = Table::Create(env_.get(), nullptr, "/db/m", "m", MetricSchema(),
                           {{"checkpoint_interval", "3"}});
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    table_ = *t;
  }
  // One version of 2 rows each on `t` (table_ by default).
  void Commits(int n, Table* t = nullptr) {
    if (t == nullptr) t = table_.get();
    for (int i = 0; i < n; ++i) {
      auto w = t->NewWriter();
      ASSERT_TRUE(w->Append(MetricChunk(T0() + next_ * kMicrosPerSecond, 2, next_)).ok());
      auto r = w->Commit("WRITE");
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      next_ += 2;
    }
  }
  std::shared_ptr<Table> Reopen() {
    auto t = Table::Open(env_.get(), nullptr, "/db/m", "m");
    return t.ok() ? *t : nullptr;
  }
  // The latest snapshot of a fresh handle, or the error opening it.
  Result<std::shared_ptr<const Snapshot>> FreshSnapshot() {
    auto t = Table::Open(env_.get(), nullptr, "/db/m", "m");
    if (!t.ok()) return t.status();
    return (*t)->GetSnapshot();
  }
  std::string VersionPath(int64_t v) { return TransactionLog(env_.get(), "/db/m").VersionPath(v); }
  std::string CheckpointPath(int64_t v) { return JoinPath("/db/m/_log", Checkpoint::FileName(v)); }

  std::unique_ptr<Env> env_;
  std::shared_ptr<Table> table_;
  int next_ = 0;
};

// Issue 15 item 7: checkpoint at 3, version 4's file deleted, version 5
// present. SELECT used to return version 3 and the next INSERT re-used 4.
TEST_F(LogSafetyTest, MissingVersionAfterCheckpointIsCorruptionNotAnOlderTable) {
  Commits(5);
  ASSERT_TRUE(env_->FileExists(CheckpointPath(3)));
  ASSERT_TRUE(env_->RemoveFile(VersionPath(4)).ok());

  auto snap = FreshSnapshot();
  ASSERT_FALSE(snap.ok()) << "read version " << (*snap)->version();
  EXPECT_EQ(snap.status().code(), StatusCode::kCorruption) << snap.status().ToString();
  EXPECT_NE(snap.status().message().find("\"m\""), std::string::npos) << snap.status().ToString();
  EXPECT_NE(snap.status().message().find("version 4"), std::string::npos)
      << snap.status().ToString();

  // A writer on a fresh handle must not fill the hole either.
  auto t = Table::Open(env_.get(), nullptr, "/db/m", "m");
  if (t.ok()) {
    auto w = (*t)->NewWriter();
    Status st = w->Append(MetricChunk(T0(), 2));
    if (st.ok()) st = w->Commit("WRITE").status();
    EXPECT_EQ(st.code(), StatusCode::kCorruption) << st.ToString();
  }
  EXPECT_FALSE(env_->FileExists(VersionPath(4)));
}

// A handle that read version 3 before versions 4 and 5 were committed by
// another handle, and 4 was then lost: its commit must not take number 4.
TEST_F(LogSafetyTest, StaleWriterDoesNotReuseAMissingVersionNumber) {
  Commits(3);
  auto other = Reopen();
  ASSERT_NE(other, nullptr);
  Commits(2, other.get());
  ASSERT_TRUE(env_->RemoveFile(VersionPath(4)).ok());

  auto w = table_->NewWriter();
  ASSERT_TRUE(w->Append(MetricChunk(T0() + 1000 * kMicrosPerSecond, 2)).ok());
  auto r = w->Commit("WRITE");
  ASSERT_FALSE(r.ok()) << "committed version " << r->version;
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << r.status().ToString();
  EXPECT_NE(r.status().message().find("version"), std::string::npos) << r.status().ToString();
  EXPECT_FALSE(env_->FileExists(VersionPath(4)));
}

// The JSON file of the newest checkpoint's version is lost: the table is at
// version 3 (the checkpoint says so), so reading version 2 and committing a
// new version 3 would be wrong.
TEST_F(LogSafetyTest, LostJsonOfTheNewestCheckpointIsCorruption) {
  Commits(3);
  ASSERT_TRUE(env_->FileExists(CheckpointPath(3)));
  ASSERT_TRUE(env_->RemoveFile(VersionPath(3)).ok());
  auto snap = FreshSnapshot();
  ASSERT_FALSE(snap.ok()) << "read version " << (*snap)->version();
  EXPECT_EQ(snap.status().code(), StatusCode::kCorruption) << snap.status().ToString();
  EXPECT_NE(snap.status().message().find("version 3"), std::string::npos)
      << snap.status().ToString();
  EXPECT_FALSE(env_->FileExists(VersionPath(3)));
}

// Healthy logs with retention (JSON versions below a checkpoint removed)
// still open.
TEST_F(LogSafetyTest, RetentionTrimmedLogStillOpens) {
  Commits(7);
  for (int64_t v = 0; v < 3; ++v) ASSERT_TRUE(env_->RemoveFile(VersionPath(v)).ok());
  auto snap = FreshSnapshot();
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ((*snap)->version(), 7);
  EXPECT_EQ((*snap)->total_rows(), 14);
  // Without the checkpoint that replaces them, the missing versions are an error.
  ASSERT_TRUE(env_->RemoveFile(CheckpointPath(3)).ok());
  ASSERT_TRUE(env_->RemoveFile(CheckpointPath(6)).ok());
  snap = FreshSnapshot();
  ASSERT_FALSE(snap.ok());
  EXPECT_EQ(snap.status().code(), StatusCode::kCorruption) << snap.status().ToString();
}

// Issue 15 item 7: a checkpoint with one add removed and its header and
// checksum recomputed gave 22 rows instead of 24. The log wins.
TEST_F(LogSafetyTest, CheckpointMissingAnAddIsNotTrustedAndCheckReportsIt) {
  Commits(4);  // checkpoint 3 lists 3 files (6 rows); version 4 adds 2 rows
  std::string path = CheckpointPath(3);
  std::string content = *env_->ReadFileToString(path);
  std::string body(*TransactionLog::VerifyChecksumLine(content, path));
  size_t add = body.find("{\"add\":");
  ASSERT_NE(add, std::string::npos);
  body.erase(add, body.find('\n', add) + 1 - add);
  size_t nf = body.find("\"numFiles\":3");
  ASSERT_NE(nf, std::string::npos);
  body.replace(nf, 12, "\"numFiles\":2");
  ASSERT_TRUE(
      WriteFileSync(env_.get(), path, TransactionLog::AppendChecksumLine(body)).ok());
  auto tampered = Checkpoint::Read(env_.get(), "/db/m/_log", 3);
  EXPECT_FALSE(tampered.ok()) << "a checkpoint that disagrees with _last_checkpoint is trusted";

  auto snap = FreshSnapshot();
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ((*snap)->total_rows(), 8);
  auto v3 = Reopen()->GetSnapshot(3);
  ASSERT_TRUE(v3.ok()) << v3.status().ToString();
  EXPECT_EQ((*v3)->total_rows(), 6);

  CheckReport report;
  TableChecker::CheckTable(env_.get(), "/db/m", &report);
  EXPECT_FALSE(report.ok());
  EXPECT_NE(report.ToString().find(Checkpoint::FileName(3)), std::string::npos)
      << report.ToString();
}

// Issue 15 item 8, deterministically: a writer that started on table s must
// not commit into the table s that another handle dropped and re-created.
TEST(TableIdentity, WriterDoesNotCommitIntoARecreatedTable) {
  for (int rows_in_new_table : {0, 2}) {
    SCOPED_TRACE(rows_in_new_table);
    auto env = NewMemEnv();
    DatabaseOptions o;
    o.env = env.get();
    auto a = Database::Open("/db", o);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE((*a)->CreateTable("s", MetricSchema(), {}).ok());
    auto b = Database::Open("/db", o);
    ASSERT_TRUE(b.ok()) << b.status().ToString();

    auto ta = (*a)->GetTable("s");
    ASSERT_TRUE(ta.ok()) << ta.status().ToString();
    auto w = (*ta)->NewWriter();
    ASSERT_TRUE(w->Append(MetricChunk(T0(), 5)).ok());

    ASSERT_TRUE((*b)->DropTable("s").ok());
    auto created = (*b)->CreateTable("s", MetricSchema(), {});
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    if (rows_in_new_table > 0) {
      auto wb = (*created)->NewWriter();
      ASSERT_TRUE(wb->Append(MetricChunk(T0(), rows_in_new_table)).ok());
      ASSERT_TRUE(wb->Commit("WRITE").ok());
    }

    auto r = w->Commit("WRITE");
    ASSERT_FALSE(r.ok()) << "committed version " << r->version << " into the new table";
    EXPECT_EQ(r.status().code(), StatusCode::kConflict) << r.status().ToString();
    EXPECT_NE(r.status().message().find("re-created"), std::string::npos)
        << r.status().ToString();

    auto snap = (*created)->GetSnapshot();
    ASSERT_TRUE(snap.ok()) << snap.status().ToString();
    EXPECT_EQ((*snap)->total_rows(), rows_in_new_table);
    EXPECT_EQ((*snap)->version(), rows_in_new_table > 0 ? 1 : 0);
    CheckReport report;
    TableChecker::CheckTable(env.get(), "/db/s", &report);
    EXPECT_TRUE(report.ok()) << report.ToString();
  }
}

// The writer's conflict is per statement, not per process: the next
// GetTable on the handle that lost the race returns the new table (it is
// written and read normally), and after a drop without a re-create the name
// is gone.
TEST(TableIdentity, NextStatementSeesTheRecreatedOrDroppedTable) {
  auto env = NewMemEnv();
  DatabaseOptions o;
  o.env = env.get();
  auto a = Database::Open("/db", o);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE((*a)->CreateTable("s", MetricSchema(), {}).ok());
  {
    auto ta = (*a)->GetTable("s");
    ASSERT_TRUE(ta.ok());
    auto w = (*ta)->NewWriter();
    ASSERT_TRUE(w->Append(MetricChunk(T0(), 5)).ok());
    ASSERT_TRUE(w->Commit("WRITE").ok());
    ASSERT_EQ((*(*ta)->GetSnapshot())->total_rows(), 5);
  }
  auto b = Database::Open("/db", o);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  ASSERT_TRUE((*b)->DropTable("s").ok());
  ASSERT_TRUE((*b)->CreateTable("s", MetricSchema(), {}).ok());

  auto again = (*a)->GetTable("s");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  auto w = (*again)->NewWriter();
  ASSERT_TRUE(w->Append(MetricChunk(T0(), 3)).ok());
  auto r = w->Commit("WRITE");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ((*(*again)->GetSnapshot())->total_rows(), 3);

  ASSERT_TRUE((*b)->DropTable("s").ok());
  auto gone = (*a)->GetTable("s");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound) << gone.status().ToString();
}

// The window between a DROP and the CREATE of the same name: a writer that
// commits then must not start a new `_log/` (the re-create would adopt it,
// leaving a gap after its version 0), and one that commits while the new
// version 0 is not linked yet must not take version N either.
TEST(TableIdentity, WriterCommittingBetweenDropAndCreateStartsNoLog) {
  auto env = NewMemEnv();
  DatabaseOptions o;
  o.env = env.get();
  auto a = Database::Open("/db", o);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE((*a)->CreateTable("s", MetricSchema(), {}).ok());
  auto b = Database::Open("/db", o);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto ta = (*a)->GetTable("s");
  ASSERT_TRUE(ta.ok());
  auto w = (*ta)->NewWriter();
  ASSERT_TRUE(w->Append(MetricChunk(T0(), 5)).ok());
  ASSERT_TRUE((*b)->DropTable("s").ok());

  // (The writer's segment cannot be written into the vanished directory,
  // so the statement fails before the log; the log itself is checked next.)
  auto r = w->Commit("WRITE");
  ASSERT_FALSE(r.ok()) << "committed version " << r->version << " into a dropped table";
  EXPECT_FALSE(env->IsDirectory("/db/s/_log"));
  TransactionLog log(env.get(), "/db/s");
  const std::string id = (*(*ta)->GetSnapshot())->metadata().id;
  Status st = log.Commit(1, {LogAction(CommitInfoAction{})}, id);
  EXPECT_EQ(st.code(), StatusCode::kConflict) << st.ToString();
  EXPECT_FALSE(env->IsDirectory("/db/s/_log"));

  // A `_log/` without version 0 (a CREATE between making the directory and
  // linking version 0): the version-1 commit is refused too.
  ASSERT_TRUE(env->CreateDirIfMissing("/db/s").ok());
  ASSERT_TRUE(env->CreateDirIfMissing("/db/s/_log").ok());
  st = log.Commit(1, {LogAction(CommitInfoAction{})}, id);
  EXPECT_EQ(st.code(), StatusCode::kConflict) << st.ToString();
  EXPECT_FALSE(log.VersionExists(1));
}

// Item 12: each segment footer records its table id and segment id, and a
// segment file swapped with another one (or copied from another table) is
// refused on read and reported by check.
TEST_F(LogSafetyTest, SegmentFooterRecordsTableAndSegmentIdAndSwapsAreRefused) {
  Commits(2);
  auto snap = *table_->GetSnapshot();
  ASSERT_EQ(snap->files().size(), 2u);
  const AddAction& f0 = snap->files()[0];
  const AddAction& f1 = snap->files()[1];
  {
    auto file = std::move(env_->NewRandomAccessFile(JoinPath("/db/m", f0.path))).value();
    auto reader = SegmentReader::Open(file.get());
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_EQ((*reader)->table_id(), snap->metadata().id);
    EXPECT_EQ((*reader)->segment_id() + ".tsl", f0.path);
  }
  // Swap the two files (same schema, same row count, same size class).
  std::string p0 = JoinPath("/db/m", f0.path), p1 = JoinPath("/db/m", f1.path);
  std::string b0 = *env_->ReadFileToString(p0), b1 = *env_->ReadFileToString(p1);
  ASSERT_TRUE(WriteFileSync(env_.get(), p0, b1).ok());
  ASSERT_TRUE(WriteFileSync(env_.get(), p1, b0).ok());
  auto scan = table_->NewScan(snap, ScanOptions{{0, 1, 2}, {}});
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  DataChunk chunk;
  Status st;
  while (st.ok()) {
    Result<bool> more = (*scan)->Next(&chunk);
    if (!more.ok()) st = more.status();
    else if (!*more) break;
  }
  EXPECT_EQ(st.code(), StatusCode::kCorruption) << "read a swapped segment: " << st.ToString();
  EXPECT_NE(st.message().find("segment id"), std::string::npos) << st.ToString();
  CheckReport report;
  TableChecker::CheckTable(env_.get(), "/db/m", &report);
  EXPECT_NE(report.ToString().find("segment id"), std::string::npos) << report.ToString();
}

// Old segments (format 1.0, no ids) still read.
TEST(SegmentIdentity, SegmentsWithoutIdsStillRead) {
  SegmentWriter w(MetricSchema(), {});
  ASSERT_TRUE(w.Append(MetricChunk(T0(), 3)).ok());
  SegmentStats stats;
  auto bytes = w.Finish(&stats);
  ASSERT_TRUE(bytes.ok());
  StringByteSource src(*bytes, "old.tsl");
  auto reader = SegmentReader::Open(&src);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->table_id(), "");
  EXPECT_EQ((*reader)->segment_id(), "");
  EXPECT_EQ((*reader)->row_count(), 3);
}

}  // namespace
}  // namespace tsl
