// Reads never depend on writing the catalog (issue 23 item 4, issue 15
// item 5): with every catalog write failing as on a full disk, commits
// still succeed (the log is the truth), scans and reopens read every row,
// and the catalog catches up once writes work again.
//
// SQLite's own file I/O does not go through tsl::Env, so the full disk is
// simulated with a small SQLite VFS shim registered as the default VFS for
// the test: it forwards every call to the real default VFS, except that
// while `full` is set each xWrite (database, journal or WAL) and each
// growing xTruncate fails with SQLITE_FULL, as a full filesystem makes
// SQLite's unix VFS do. Segment and log writes use the real Env, or a
// FaultInjectionEnv that fails them with ENOSPC.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <cstring>

#include "formats/timestamp.h"
#include "storage/catalog.h"
#include "storage/database.h"
#include "storage/fault_injection_env.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

using testing::MetricChunk;
using testing::MetricSchema;

int64_t T0() { return *ParseTimestamp("2024-01-01"); }

// The VFS shim. One at a time (the test registers and unregisters it).
struct FullDiskVfs {
  static std::atomic<bool> full;
  static std::atomic<int> refused;
  static sqlite3_vfs* real;
  static sqlite3_vfs vfs;

  struct File {
    sqlite3_file base;
    sqlite3_file* real;  // follows this struct in the same allocation
  };
  static File* F(sqlite3_file* f) { return reinterpret_cast<File*>(f); }

  static int Close(sqlite3_file* f) { return F(f)->real->pMethods->xClose(F(f)->real); }
  static int Read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) {
    return F(f)->real->pMethods->xRead(F(f)->real, b, n, o);
  }
  static int Write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
    if (full) {
      ++refused;
      return SQLITE_FULL;
    }
    return F(f)->real->pMethods->xWrite(F(f)->real, b, n, o);
  }
  static int Truncate(sqlite3_file* f, sqlite3_int64 size) {
    sqlite3_int64 now = 0;
    if (full && F(f)->real->pMethods->xFileSize(F(f)->real, &now) == SQLITE_OK && size > now) {
      ++refused;
      return SQLITE_FULL;
    }
    return F(f)->real->pMethods->xTruncate(F(f)->real, size);
  }
  static int Sync(sqlite3_file* f, int flags) {
    return F(f)->real->pMethods->xSync(F(f)->real, flags);
  }
  static int FileSize(sqlite3_file* f, sqlite3_int64* s) {
    return F(f)->real->pMethods->xFileSize(F(f)->real, s);
  }
  static int Lock(sqlite3_file* f, int l) { return F(f)->real->pMethods->xLock(F(f)->real, l); }
  static int Unlock(sqlite3_file* f, int l) { return F(f)->real->pMethods->xUnlock(F(f)->real, l); }
  static int CheckReservedLock(sqlite3_file* f, int* r) {
    return F(f)->real->pMethods->xCheckReservedLock(F(f)->real, r);
  }
  static int FileControl(sqlite3_file* f, int op, void* arg) {
    return F(f)->real->pMethods->xFileControl(F(f)->real, op, arg);
  }
  static int SectorSize(sqlite3_file* f) { return F(f)->real->pMethods->xSectorSize(F(f)->real); }
  static int DeviceCharacteristics(sqlite3_file* f) {
    return F(f)->real->pMethods->xDeviceCharacteristics(F(f)->real);
  }
  static int ShmMap(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) {
    return F(f)->real->pMethods->xShmMap(F(f)->real, pg, sz, extend, p);
  }
  static int ShmLock(sqlite3_file* f, int off, int n, int flags) {
    return F(f)->real->pMethods->xShmLock(F(f)->real, off, n, flags);
  }
  static void ShmBarrier(sqlite3_file* f) { F(f)->real->pMethods->xShmBarrier(F(f)->real); }
  static int ShmUnmap(sqlite3_file* f, int del) {
    return F(f)->real->pMethods->xShmUnmap(F(f)->real, del);
  }
  // No memory-mapped fetches: every write must come through xWrite.
  static int Fetch(sqlite3_file*, sqlite3_int64, int, void** p) {
    *p = nullptr;
    return SQLITE_OK;
  }
  static int Unfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

  static const sqlite3_io_methods* Methods() {
    static const sqlite3_io_methods m = {3,
                                         Close,
                                         Read,
                                         Write,
                                         Truncate,
                                         Sync,
                                         FileSize,
                                         Lock,
                                         Unlock,
                                         CheckReservedLock,
                                         FileControl,
                                         SectorSize,
                                         DeviceCharacteristics,
                                         ShmMap,
                                         ShmLock,
                                         ShmBarrier,
                                         ShmUnmap,
                                         Fetch,
                                         Unfetch};
    return &m;
  }

  static int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out) {
    File* file = F(f);
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    std::memset(file->real, 0, static_cast<size_t>(real->szOsFile));
    int rc = real->xOpen(real, name, file->real, flags, out);
    file->base.pMethods = file->real->pMethods != nullptr ? Methods() : nullptr;
    return rc;
  }
  static int Delete(sqlite3_vfs*, const char* n, int s) { return real->xDelete(real, n, s); }
  static int Access(sqlite3_vfs*, const char* n, int f, int* o) {
    return real->xAccess(real, n, f, o);
  }
  static int FullPathname(sqlite3_vfs*, const char* n, int sz, char* o) {
    return real->xFullPathname(real, n, sz, o);
  }
  static void* DlOpen(sqlite3_vfs*, const char* n) { return real->xDlOpen(real, n); }
  static void DlError(sqlite3_vfs*, int n, char* m) { real->xDlError(real, n, m); }
  static void (*DlSym(sqlite3_vfs*, void* h, const char* s))(void) {
    return real->xDlSym(real, h, s);
  }
  static void DlClose(sqlite3_vfs*, void* h) { real->xDlClose(real, h); }
  static int Randomness(sqlite3_vfs*, int n, char* o) { return real->xRandomness(real, n, o); }
  static int Sleep(sqlite3_vfs*, int us) { return real->xSleep(real, us); }
  static int CurrentTime(sqlite3_vfs*, double* t) { return real->xCurrentTime(real, t); }
  static int GetLastError(sqlite3_vfs*, int n, char* m) { return real->xGetLastError(real, n, m); }
  static int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* t) {
    return real->xCurrentTimeInt64(real, t);
  }

  // Registers the shim as the default VFS until the scope ends.
  struct Scope {
    Scope() {
      real = sqlite3_vfs_find(nullptr);
      vfs = sqlite3_vfs{2,
                        static_cast<int>(sizeof(File)) + real->szOsFile,
                        real->mxPathname,
                        nullptr,
                        "tslake-full-disk",
                        nullptr,
                        Open,
                        Delete,
                        Access,
                        FullPathname,
                        DlOpen,
                        DlError,
                        DlSym,
                        DlClose,
                        Randomness,
                        Sleep,
                        CurrentTime,
                        GetLastError,
                        CurrentTimeInt64,
                        nullptr,
                        nullptr,
                        nullptr};
      EXPECT_EQ(sqlite3_vfs_register(&vfs, 1), SQLITE_OK);
      full = false;
      refused = 0;
    }
    ~Scope() {
      full = false;
      sqlite3_vfs_unregister(&vfs);
    }
  };
};
std::atomic<bool> FullDiskVfs::full{false};
std::atomic<int> FullDiskVfs::refused{0};
sqlite3_vfs* FullDiskVfs::real = nullptr;
sqlite3_vfs FullDiskVfs::vfs;

void Append(Table& t, int64_t start, int n) {
  auto w = t.NewWriter();
  ASSERT_TRUE(w->Append(MetricChunk(start, n)).ok());
  auto r = w->Commit("WRITE");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

int64_t CountRows(Database& db, const std::string& name, bool with_range = false) {
  auto t = db.GetTable(name);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  if (!t.ok()) return -1;
  auto snap = (*t)->GetSnapshot();
  EXPECT_TRUE(snap.ok()) << snap.status().ToString();
  if (!snap.ok()) return -1;
  ScanOptions o;
  if (with_range)
    o.ranges.push_back(
        ScanRange{0, Value::Timestamp(T0() + 100'000'000LL), Value::Timestamp(INT64_MAX)});
  auto scan = (*t)->NewScan(*snap, o);
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  if (!scan.ok()) return -1;
  int64_t n = 0;
  DataChunk c;
  while (true) {
    auto more = (*scan)->Next(&c);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    n += static_cast<int64_t>(c.size());
  }
  return n;
}

TEST(CatalogFullDiskTest, CommitsAndReadsNeverNeedACatalogWrite) {
  testing::TempDir dir;
  FullDiskVfs::Scope vfs;
  {
    auto db = Database::Open(dir.path());
    ASSERT_TRUE(db.ok());
    auto t = (*db)->CreateTable("m", MetricSchema());
    ASSERT_TRUE(t.ok());
    Append(**t, T0(), 10);
    // The disk fills: the commit is durable in the log, its catalog update
    // (and even marking the table stale) fails.
    FullDiskVfs::full = true;
    Append(**t, T0() + 100'000'000LL, 10);
    Append(**t, T0() + 200'000'000LL, 10);
    EXPECT_GT(FullDiskVfs::refused.load(), 0);
    EXPECT_EQ(CountRows(**db, "m"), 30);
    EXPECT_EQ(CountRows(**db, "m", /*with_range=*/true), 20);
  }
  // Reopened writable without freeing space: every row is readable, and
  // another commit works.
  {
    auto db = Database::Open(dir.path());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_EQ((*db)->ListTables(), std::vector<std::string>{"m"});
    EXPECT_EQ(CountRows(**db, "m"), 30);
    EXPECT_EQ(CountRows(**db, "m", /*with_range=*/true), 20);
    auto t = (*db)->GetTable("m");
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    Append(**t, T0() + 300'000'000LL, 10);
    EXPECT_EQ(CountRows(**db, "m"), 40);
    // A stale or lagging catalog never answers for the snapshot.
    auto snap = (*t)->GetSnapshot();
    auto latest = (*db)->catalog()->LatestTagSegments("m", (*snap)->version());
    ASSERT_TRUE(latest.ok());
    EXPECT_FALSE(latest->has_value());
  }
  // Space again: the next open brings the catalog up to date.
  FullDiskVfs::full = false;
  {
    auto db = Database::Open(dir.path());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_EQ(*(*db)->catalog()->CurrentVersion("m"), 4);
    EXPECT_EQ(CountRows(**db, "m", /*with_range=*/true), 30);
    EXPECT_EQ((*db)->catalog()->ListSegments("m")->size(), 4u);
  }
}

// The whole disk is full: the segment write of a flush fails with ENOSPC
// (FaultInjectionEnv), and so does every catalog write. The failed commit
// changes nothing, and a read-write reopen still reads every row.
TEST(CatalogFullDiskTest, ReopenAfterAFailedFlushReadsEverything) {
  testing::TempDir dir;
  FullDiskVfs::Scope vfs;
  FaultInjectionEnv env(Env::Default());
  DatabaseOptions o;
  o.env = &env;
  {
    auto db = Database::Open(dir.path(), o);
    ASSERT_TRUE(db.ok());
    auto t = (*db)->CreateTable("m", MetricSchema());
    ASSERT_TRUE(t.ok());
    Append(**t, T0(), 10);
    FullDiskVfs::full = true;
    Append(**t, T0() + 100'000'000LL, 10);  // the log takes it, the catalog does not
    env.Arm(FaultInjectionEnv::Fault::kNoSpace, 1, FaultInjectionEnv::kWrite);
    auto w = (*t)->NewWriter();
    ASSERT_TRUE(w->Append(MetricChunk(T0() + 200'000'000LL, 10)).ok());
    EXPECT_FALSE(w->Commit("WRITE").ok());
    env.Disarm();
  }
  auto db = Database::Open(dir.path(), o);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ(CountRows(**db, "m"), 20);
  EXPECT_EQ(CountRows(**db, "m", /*with_range=*/true), 10);
}

}  // namespace
}  // namespace tsl
