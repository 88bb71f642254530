// Status: codes, context prefixes, and the errno an I/O error carries so
// that callers act on the cause (a full disk) rather than on message text.
#include "formats/status.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace tsl {
namespace {

TEST(StatusTest, OsErrorSurvivesContextAndNamesAFullDisk) {
  Status full = Status::FromErrno(StatusCode::kIOError, "write /db/x: disk trouble", ENOSPC);
  EXPECT_EQ(full.code(), StatusCode::kIOError);
  EXPECT_EQ(full.os_error(), ENOSPC);
  EXPECT_TRUE(full.IsNoSpace());
  Status wrapped = full.WithContext("commit of version 3");
  EXPECT_EQ(wrapped.os_error(), ENOSPC);  // the cause is kept, not only the text
  EXPECT_TRUE(wrapped.IsNoSpace());
  EXPECT_EQ(wrapped.message(), "commit of version 3: write /db/x: disk trouble");

  EXPECT_TRUE(Status::FromErrno(StatusCode::kIOError, "quota", EDQUOT).IsNoSpace());
  Status eio = Status::FromErrno(StatusCode::kIOError, "No space left on device", EIO);
  EXPECT_FALSE(eio.IsNoSpace());  // the errno decides, not the words
  EXPECT_EQ(Status::IOError("x").os_error(), 0);
  EXPECT_FALSE(Status::IOError("x").IsNoSpace());
  EXPECT_TRUE(Status::FromErrno(StatusCode::kOk, "ignored", ENOSPC).ok());
  EXPECT_EQ(Status().os_error(), 0);
}

}  // namespace
}  // namespace tsl
