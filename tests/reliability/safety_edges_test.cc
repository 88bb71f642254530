// Safety at the edges: a log entry naming a file outside its table (an
// absolute path, "..") is refused as corruption; a log written by a newer
// protocol is refused with a message saying to upgrade; a read-only open
// (the API's read_only and the shell's --readonly) writes not one byte,
// even right after a crash left the catalog behind; files and directories
// are created with sane modes whatever the umask; COPY and read_* refuse
// FIFOs and devices unless asked; and `tslake check` names the file of each
// kind of damage while repair deletes nothing.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "formats/timestamp.h"
#include "process_test_util.h"
#include "reliability_test_util.h"
#include "storage/database.h"
#include "storage/table_checker.h"
#include "storage/transaction_log.h"
#include "tslake/tslake.hpp"

namespace tsl {
namespace {

namespace fs = std::filesystem;

// A database with table m at version 1 (one segment of 5 rows).
std::string MakeDatabase(const std::string& root) {
  std::string path = root + "/db";
  auto db = Database::Open(path);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  auto t = (*db)->CreateTable("m", reliability::MetricSchema());
  EXPECT_TRUE(t.ok());
  auto w = (*t)->NewWriter();
  EXPECT_TRUE(w->Append(reliability::MetricChunk(*ParseTimestamp("2024-01-01"), 5)).ok());
  EXPECT_TRUE(w->Commit("WRITE").ok());
  return path;
}

// Commits `actions` as the next version of m behind the engine's back.
void CommitRaw(const std::string& db_path, std::vector<LogAction> actions) {
  TransactionLog log(Env::Default(), db_path + "/m");
  Result<int64_t> latest = log.LatestVersion();
  ASSERT_TRUE(latest.ok());
  CommitInfoAction info;
  info.operation = "WRITE";
  actions.push_back(info);
  ASSERT_TRUE(log.Commit(*latest + 1, actions).ok());
}

Status OpenAndRead(const std::string& db_path) {
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(db_path));
  ASSIGN_OR_RETURN(std::shared_ptr<Table> t, db->GetTable("m"));
  return t->GetSnapshot().status();
}

class LogPathTest : public ::testing::TestWithParam<const char*> {};

TEST_P(LogPathTest, AddOutsideTheTableIsCorruption) {
  reliability::TempDir dir;
  std::string db = MakeDatabase(dir.path());
  AddAction add;
  add.path = GetParam();
  add.size = 10;
  add.stats.num_records = 1;
  CommitRaw(db, {add});
  Status st = OpenAndRead(db);
  EXPECT_TRUE(st.IsCorruption()) << st.ToString();
  EXPECT_NE(st.message().find(GetParam()), std::string::npos) << st.ToString();
  Result<CheckReport> report = TableChecker::CheckDatabase(Env::Default(), db);
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report->ok());
  EXPECT_NE(report->problems[0].file.find("00000000000000000002.json"), std::string::npos)
      << report->ToString();
}

TEST_P(LogPathTest, RemoveOutsideTheTableIsCorruption) {
  reliability::TempDir dir;
  std::string db = MakeDatabase(dir.path());
  RemoveAction rm;
  rm.path = GetParam();
  CommitRaw(db, {rm});
  Status st = OpenAndRead(db);
  EXPECT_TRUE(st.IsCorruption()) << st.ToString();
}

INSTANTIATE_TEST_SUITE_P(HostilePaths, LogPathTest,
                         ::testing::Values("/etc/passwd", "../other/x.tsl", "a/../../x.tsl",
                                           "..", "a//b.tsl", ""));

TEST(ProtocolTest, NewerReaderVersionIsRefusedWithAClearMessage) {
  reliability::TempDir dir;
  std::string db = MakeDatabase(dir.path());
  ProtocolAction p;
  p.min_reader_version = 9;
  p.min_writer_version = 9;
  CommitRaw(db, {p});
  Status st = OpenAndRead(db);
  EXPECT_EQ(st.code(), StatusCode::kNotSupported) << st.ToString();
  EXPECT_NE(st.message().find("reader version 9"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("newer tslake"), std::string::npos) << st.ToString();
}

TEST(ProtocolTest, NewerWriterVersionReadsButRefusesWrites) {
  reliability::TempDir dir;
  std::string db_path = MakeDatabase(dir.path());
  ProtocolAction p;
  p.min_writer_version = 9;
  CommitRaw(db_path, {p});
  auto db = Database::Open(db_path);
  ASSERT_TRUE(db.ok());
  auto t = (*db)->GetTable("m");
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE((*t)->GetSnapshot().ok());
  auto w = (*t)->NewWriter();
  ASSERT_TRUE(w->Append(reliability::MetricChunk(0, 1)).ok());
  Result<CommitResult> r = w->Commit("WRITE");
  EXPECT_EQ(r.status().code(), StatusCode::kNotSupported) << r.status().ToString();
  EXPECT_NE(r.status().message().find("writer version 9"), std::string::npos);
}

// Everything a read-only session can do, through the public API.
void ReadOnlySession(const std::string& db_path) {
  tslake::Options options;
  options.read_only = true;
  auto db = tslake::Database::Open(db_path, options);
  ASSERT_TRUE(db);
  tslake::Connection con(*db);
  tslake::Result r = con.Query("SELECT count(*) FROM m");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.GetInt64(0, 0), 5);
  EXPECT_TRUE(con.Query("SELECT * FROM m VERSION AS OF 0").ok());
  EXPECT_TRUE(con.Query("DESCRIBE HISTORY m").ok());
  EXPECT_TRUE(con.Query("SHOW TABLES").ok());
  EXPECT_FALSE(con.Query("INSERT INTO m VALUES ('2024-01-01', 'x', 1)").ok());
  EXPECT_FALSE(con.Query("CREATE TABLE n (a INTEGER)").ok());
  EXPECT_FALSE(con.Query("DROP TABLE m").ok());
}

TEST(ReadOnlyTest, ReadOnlyOpenWritesNotOneByteOnAReadOnlyDirectory) {
  reliability::TempDir dir;
  std::string db = MakeDatabase(dir.path());
  // Leave the catalog behind the log, as a crash between commit and catalog
  // update does, and an unfinished drop: a writable open would fix both.
  CommitRaw(db, {});
  fs::create_directory(db + "/.dropped-leftover");
  auto before = reliability::ListingWithContent(db);
  // Permission bits do not stop root, so the proof is the listing; they do
  // make a non-root run fail loudly on any write attempt.
  for (const auto& e : fs::recursive_directory_iterator(db))
    fs::permissions(e.path(), fs::perms::owner_write | fs::perms::group_write |
                                  fs::perms::others_write,
                    fs::perm_options::remove);
  fs::permissions(db, fs::perms::owner_write, fs::perm_options::remove);
  before = reliability::ListingWithContent(db);
  ReadOnlySession(db);
  // The shell's --readonly, when the binary is built.
  std::string cli = TSLAKE_BINARY_DIR "/tslake";
  if (fs::exists(cli)) {
    std::string cmd = cli + " " + db +
                      " --readonly -c 'SELECT count(*) FROM m' -c 'INSERT INTO m VALUES "
                      "(NULL, NULL, NULL)' > /dev/null 2>&1";
    int rc = std::system(cmd.c_str());
    EXPECT_NE(rc, 0);  // the INSERT is refused
  }
  Result<CheckReport> report = TableChecker::CheckDatabase(Env::Default(), db);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(reliability::ListingWithContent(db), before);
  fs::permissions(db, fs::perms::owner_all, fs::perm_options::add);
}

TEST(ReadOnlyTest, ReadOnlyOpenWorksWhenAKilledWriterLeftAHotCatalogJournal) {
  reliability::TempDir dir;
  std::string db = MakeDatabase(dir.path());
  // What a writer SIGKILLed inside a catalog transaction leaves behind: a
  // child changes the catalog in a transaction and dies without ending it.
  pid_t pid = reliability::ForkChild([&] {
    sqlite3* c = nullptr;
    if (sqlite3_open((db + "/catalog.sqlite").c_str(), &c) != SQLITE_OK) return 1;
    sqlite3_exec(c, "PRAGMA cache_size=1; BEGIN IMMEDIATE; DELETE FROM segments;", nullptr,
                 nullptr, nullptr);
    return 0;  // _exit without COMMIT or close
  });
  ASSERT_EQ(reliability::WaitChild(pid), 0);
  ASSERT_TRUE(fs::exists(db + "/catalog.sqlite-journal"));
  auto before = reliability::ListingWithContent(db);
  ReadOnlySession(db);
  EXPECT_EQ(reliability::ListingWithContent(db), before);
}

TEST(FileModeTest, FilesAre0644AndDirectories0755UnderAPermissiveUmask) {
  mode_t old = ::umask(0);
  reliability::TempDir dir;
  std::string db = MakeDatabase(dir.path());
  ::umask(old);
  int checked = 0;
  for (const auto& e : fs::recursive_directory_iterator(db)) {
    struct stat st;
    ASSERT_EQ(::lstat(e.path().c_str(), &st), 0);
    mode_t mode = st.st_mode & 07777;
    if (S_ISDIR(st.st_mode)) {
      EXPECT_EQ(mode & 0022, 0u) << e.path() << " is group/world-writable: " << std::oct << mode;
    } else {
      EXPECT_TRUE(S_ISREG(st.st_mode)) << e.path();
      EXPECT_EQ(mode & 0133, 0u) << e.path() << " is writable by others or executable: "
                                 << std::oct << mode;
    }
    ++checked;
  }
  EXPECT_GE(checked, 5);
}

// A FIFO with no writer would block the reader forever and /dev/zero never
// ends: both are refused at once, naming the path and the opt-in; with the
// opt-in a FIFO is read like a file.
TEST(SpecialFileTest, CopyAndReadersRefuseFifosAndDevicesUnlessAsked) {
  reliability::TempDir dir;
  auto db = tslake::Database::Open(dir.path() + "/db", tslake::Options());
  ASSERT_TRUE(db);
  tslake::Connection con(*db);
  ASSERT_TRUE(con.Query("CREATE TABLE t (ts TIMESTAMP, tag VARCHAR, value DOUBLE)").ok());
  const std::string fifo = dir.path() + "/rows.csv";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);

  for (const std::string& sql : std::vector<std::string>{
           "COPY t FROM '" + fifo + "'", "SELECT * FROM read_csv('" + fifo + "')",
           "SELECT * FROM read_piwebapi('" + fifo + "')", "COPY t FROM '/dev/zero'",
           "COPY t FROM '" + fifo + "' (ALLOW_SPECIAL_FILES false)"}) {
    tslake::Result r = con.Query(sql);  // returns: nothing opened the FIFO
    ASSERT_FALSE(r.ok()) << sql;
    EXPECT_NE(r.error_message().find("allow_special_files"), std::string::npos)
        << r.error_message();
    EXPECT_TRUE(r.error_message().find("FIFO") != std::string::npos ||
                r.error_message().find("character device") != std::string::npos)
        << r.error_message();
  }
  EXPECT_EQ(con.Query("SELECT count(*) FROM t").GetInt64(0, 0), 0);

  std::thread writer([&] {
    int fd = open(fifo.c_str(), O_WRONLY);  // blocks until the COPY opens it
    const std::string rows = "ts,tag,value\n2024-01-01 00:00:00,a,1.5\n2024-01-01 00:00:01,a,2.5\n";
    EXPECT_EQ(write(fd, rows.data(), rows.size()), static_cast<ssize_t>(rows.size()));
    close(fd);
  });
  tslake::Result r = con.Query("COPY t FROM '" + fifo + "' (ALLOW_SPECIAL_FILES true)");
  writer.join();
  ASSERT_TRUE(r.ok()) << r.error_message();
  tslake::Result sum = con.Query("SELECT count(*), sum(value) FROM t");
  EXPECT_EQ(sum.GetInt64(0, 0), 2);
  EXPECT_DOUBLE_EQ(sum.GetDouble(1, 0), 4.0);
}

TEST(CheckTest, NamesTheFileOfEachKindOfDamageAndRepairDeletesNothing) {
  reliability::TempDir dir;
  std::string db = MakeDatabase(dir.path());
  Result<CheckReport> clean = TableChecker::CheckDatabase(Env::Default(), db);
  ASSERT_TRUE(clean.ok());
  EXPECT_TRUE(clean->ok()) << clean->ToString();
  EXPECT_EQ(clean->segments_checked, 1);
  EXPECT_EQ(clean->versions_checked, 2);

  // A flipped byte in the segment, an orphan, a torn log entry after it.
  std::string segment;
  for (const auto& e : fs::directory_iterator(db + "/m"))
    if (e.path().extension() == ".tsl") segment = e.path();
  ASSERT_FALSE(segment.empty());
  {
    std::fstream f(segment, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(12);
    char c = 0;
    f.read(&c, 1);
    f.seekp(12);
    c ^= 0x5a;
    f.write(&c, 1);
  }
  { std::ofstream(db + "/m/orphan.tsl") << "x"; }
  { std::ofstream(db + "/m/_log/00000000000000000002.json") << "{\"add\":{\"pa"; }

  Result<CheckReport> report = TableChecker::CheckDatabase(Env::Default(), db);
  ASSERT_TRUE(report.ok());
  std::string text = report->ToString();
  EXPECT_NE(text.find(segment), std::string::npos) << text;
  EXPECT_NE(text.find("00000000000000000002.json"), std::string::npos) << text;
  EXPECT_NE(text.find("orphan: " + db + "/m/orphan.tsl"), std::string::npos) << text;

  // A lost log version (a gap) is reported as missing.
  fs::remove(db + "/m/_log/00000000000000000002.json");
  { std::ofstream(db + "/m/_log/00000000000000000003.json") << "x"; }
  report = TableChecker::CheckDatabase(Env::Default(), db);
  ASSERT_TRUE(report.ok());
  EXPECT_NE(report->ToString().find("version 2 is missing"), std::string::npos)
      << report->ToString();
  fs::remove(db + "/m/_log/00000000000000000003.json");

  // Repair rebuilds a deleted catalog and keeps every file.
  fs::remove(db + "/catalog.sqlite");
  size_t files_before = 0, files_after = 0;
  for (const auto& e : fs::recursive_directory_iterator(db)) files_before += e.is_regular_file();
  Result<CheckReport> repaired = TableChecker::RepairDatabase(db);
  ASSERT_TRUE(repaired.ok()) << repaired.status().ToString();
  EXPECT_TRUE(fs::exists(db + "/catalog.sqlite"));
  EXPECT_TRUE(fs::exists(db + "/m/orphan.tsl"));
  EXPECT_TRUE(fs::exists(segment));
  for (const auto& e : fs::recursive_directory_iterator(db)) files_after += e.is_regular_file();
  EXPECT_EQ(files_after, files_before + 1);  // + catalog.sqlite
  EXPECT_EQ(repaired->warnings.size(), 0u) << repaired->ToString();
}

}  // namespace
}  // namespace tsl
