// Error sub-codes (tslake.hpp ErrorSubCode, tslake.h's extended codes): the
// causes of an I/O error or a full disk that a caller acts on, as SQLite's
// extended result codes. They are read from the error's message, which
// carries the operating system's strerror text wherever storage/ recorded
// an errno (posix_env.cc), so they survive every path that keeps the
// message (the query engine rebuilds statuses from text). Thread-safety:
// pure functions.
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include "tslake/tslake.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

bool Mentions(std::string_view message, int err) {
  return message.find(std::strerror(err)) != std::string_view::npos;
}

}  // namespace

ErrorSubCode SubCodeOf(ErrorCode code, std::string_view message) {
  if (code == ErrorCode::kFull) {
    return Mentions(message, EDQUOT) ? ErrorSubCode::kQuotaFull : ErrorSubCode::kDiskFull;
  }
  if (code != ErrorCode::kIOError) return ErrorSubCode::kNone;
  if (Mentions(message, EROFS)) return ErrorSubCode::kReadOnlyFileSystem;
  if (Mentions(message, EACCES) || Mentions(message, EPERM)) {
    return ErrorSubCode::kPermissionDenied;
  }
  if (Mentions(message, EBUSY) || Mentions(message, EAGAIN) || Mentions(message, ETXTBSY)) {
    return ErrorSubCode::kBusy;
  }
  return ErrorSubCode::kNone;
}

ErrorSubCode Status::sub_code() const { return SubCodeOf(code_, message_); }

ErrorSubCode Result::error_sub_code() const { return SubCodeOf(error_code(), error_message()); }

}  // namespace tslake

extern "C" {

int tslake_extended_code(int code, const char* message) {
  if (code <= 0 || code > 0xff) return code;  // OK, or already extended
  switch (tslake::SubCodeOf(static_cast<tslake::ErrorCode>(code), message ? message : "")) {
    case tslake::ErrorSubCode::kNone: return code;
    case tslake::ErrorSubCode::kDiskFull: return TSLAKE_FULL_DISK;
    case tslake::ErrorSubCode::kQuotaFull: return TSLAKE_FULL_QUOTA;
    case tslake::ErrorSubCode::kReadOnlyFileSystem: return TSLAKE_IO_ERROR_READONLY;
    case tslake::ErrorSubCode::kPermissionDenied: return TSLAKE_IO_ERROR_ACCESS;
    case tslake::ErrorSubCode::kBusy: return TSLAKE_IO_ERROR_BUSY;
  }
  return code;
}

int tslake_result_extended_code(const tslake_result* result) {
  const int code = tslake_result_error_code(result);
  return code == TSLAKE_MISUSE ? code : tslake_extended_code(code, tslake_result_error(result));
}

}  // extern "C"
