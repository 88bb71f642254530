// Error sub-codes (SQLite's extended result codes): tslake_extended_code
// and tslake::SubCodeOf name the cause of an I/O error or a full disk from
// its message, leave other codes alone, and keep the primary code in the low
// byte; a database opened on a read-only file system (a tmpfs mounted ro,
// when the test may mount one) is TSLAKE_IO_ERROR_READONLY, and one in a
// directory the process may not write (/sys, when so) TSLAKE_IO_ERROR_ACCESS.
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

std::string Msg(const char* what, int err) { return std::string(what) + ": " + std::strerror(err); }

TEST(ErrorSubCode, CausesAreReadFromTheMessage) {
  EXPECT_EQ(tslake_extended_code(TSLAKE_FULL, Msg("write /db/x", ENOSPC).c_str()), TSLAKE_FULL_DISK);
  EXPECT_EQ(tslake_extended_code(TSLAKE_FULL, Msg("write /db/x", EDQUOT).c_str()), TSLAKE_FULL_QUOTA);
  EXPECT_EQ(tslake_extended_code(TSLAKE_IO_ERROR, Msg("mkdir /db", EROFS).c_str()),
            TSLAKE_IO_ERROR_READONLY);
  EXPECT_EQ(tslake_extended_code(TSLAKE_IO_ERROR, Msg("open /db/x", EACCES).c_str()),
            TSLAKE_IO_ERROR_ACCESS);
  EXPECT_EQ(tslake_extended_code(TSLAKE_IO_ERROR, Msg("mkdir /sys/db", EPERM).c_str()),
            TSLAKE_IO_ERROR_ACCESS);
  EXPECT_EQ(tslake_extended_code(TSLAKE_IO_ERROR, Msg("rename /db/x", EBUSY).c_str()),
            TSLAKE_IO_ERROR_BUSY);
  // No known cause, another code, OK and NULL: unchanged.
  EXPECT_EQ(tslake_extended_code(TSLAKE_IO_ERROR, Msg("read /db/x", EIO).c_str()), TSLAKE_IO_ERROR);
  EXPECT_EQ(tslake_extended_code(TSLAKE_IO_ERROR, nullptr), TSLAKE_IO_ERROR);
  EXPECT_EQ(tslake_extended_code(TSLAKE_INVALID_ARGUMENT, Msg("x", EACCES).c_str()),
            TSLAKE_INVALID_ARGUMENT);
  EXPECT_EQ(tslake_extended_code(TSLAKE_OK, nullptr), TSLAKE_OK);
  EXPECT_EQ(tslake_extended_code(TSLAKE_FULL_DISK, nullptr), TSLAKE_FULL_DISK);
  // The primary code stays in the low byte.
  for (int c : {TSLAKE_FULL_DISK, TSLAKE_FULL_QUOTA}) EXPECT_EQ(c & 0xff, TSLAKE_FULL);
  for (int c : {TSLAKE_IO_ERROR_READONLY, TSLAKE_IO_ERROR_ACCESS, TSLAKE_IO_ERROR_BUSY}) {
    EXPECT_EQ(c & 0xff, TSLAKE_IO_ERROR);
  }
  EXPECT_STREQ(tslake_code_name(TSLAKE_IO_ERROR_READONLY), "TSLAKE_IO_ERROR_READONLY");
  EXPECT_STREQ(tslake_code_name(TSLAKE_FULL_QUOTA), "TSLAKE_FULL_QUOTA");
  // The C++ API's names for the same causes.
  EXPECT_EQ(Status(ErrorCode::kIOError, Msg("mkdir /db", EROFS)).sub_code(),
            ErrorSubCode::kReadOnlyFileSystem);
  EXPECT_EQ(Status(ErrorCode::kFull, Msg("write", ENOSPC)).sub_code(), ErrorSubCode::kDiskFull);
  EXPECT_EQ(Status(ErrorCode::kNotFound, "no table").sub_code(), ErrorSubCode::kNone);
}

class ErrorSubCodeOpen : public EmbedTest {};

TEST_F(ErrorSubCodeOpen, ReadOnlyFileSystemIsItsOwnCause) {
  const std::filesystem::path ro = dir_ / "ro";
  std::filesystem::create_directories(ro);
  if (::mount("tmpfs", ro.c_str(), "tmpfs", MS_RDONLY, "size=1m") != 0) {
    GTEST_SKIP() << "cannot mount a read-only tmpfs here: " << std::strerror(errno);
  }
  tslake_database* db = nullptr;
  char* err = nullptr;
  const int rc = tslake_open_ext((ro / "db").c_str(), nullptr, &db, &err);
  EXPECT_EQ(rc, TSLAKE_IO_ERROR) << (err ? err : "");
  EXPECT_EQ(tslake_extended_code(rc, err), TSLAKE_IO_ERROR_READONLY) << (err ? err : "");
  tslake_free(err);
  if (db) tslake_close(db);
  ::umount(ro.c_str());
}

TEST_F(ErrorSubCodeOpen, PermissionDeniedIsItsOwnCause) {
  // /sys refuses new directories (EPERM or EACCES) even to root.
  std::error_code ec;
  if (!std::filesystem::is_directory("/sys", ec)) GTEST_SKIP() << "no /sys";
  tslake_database* db = nullptr;
  char* err = nullptr;
  const int rc = tslake_open_ext("/sys/tslake_error_subcode_test", nullptr, &db, &err);
  const std::string message = err ? err : "";
  tslake_free(err);
  if (db) tslake_close(db);
  if (rc != TSLAKE_IO_ERROR || (message.find(std::strerror(EPERM)) == std::string::npos &&
                                message.find(std::strerror(EACCES)) == std::string::npos)) {
    GTEST_SKIP() << "/sys did not refuse with EPERM/EACCES here: " << rc << " " << message;
  }
  EXPECT_EQ(tslake_extended_code(rc, message.c_str()), TSLAKE_IO_ERROR_ACCESS) << message;
}

}  // namespace
}  // namespace tslake
