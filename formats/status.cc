// Status formatting. See status.h.
#include "formats/status.h"

#include <cerrno>

namespace tsl {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "Invalid argument";
    case StatusCode::kNotFound: return "Not found";
    case StatusCode::kCorruption: return "Corruption";
    case StatusCode::kIOError: return "IO error";
    case StatusCode::kConflict: return "Conflict";
    case StatusCode::kAlreadyExists: return "Already exists";
    case StatusCode::kNotSupported: return "Not supported";
    case StatusCode::kCancelled: return "Cancelled";
    case StatusCode::kInternal: return "Internal error";
    case StatusCode::kOutOfMemory: return "Out of memory";
  }
  return "Unknown";
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return rep_ ? rep_->message : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(StatusCodeName(code()));
  out += ": ";
  out += rep_->message;
  return out;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  std::string m(context);
  m += ": ";
  m += rep_->message;
  return FromErrno(code(), std::move(m), rep_->os_error);
}

bool Status::IsNoSpace() const { return os_error() == ENOSPC || os_error() == EDQUOT; }

}  // namespace tsl
