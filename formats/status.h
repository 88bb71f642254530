// Status and Result<T>: the error currency of formats/, storage/ and ingest/.
//
// No exceptions cross these layers. A Status is a code a caller can act on
// plus a message that says what, where and what to do. OK carries no
// allocation. Thread-safety: values; copy freely.
#pragma once

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tsl {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,  // the caller's input is wrong (SQL, value, option)
  kNotFound = 2,         // a named table, column, file or version is absent
  kCorruption = 3,       // stored bytes fail a check: never returned as data
  kIOError = 4,          // the operating system refused an I/O call
  kConflict = 5,         // a commit lost the race for a log version
  kAlreadyExists = 6,    // create of something that exists
  kNotSupported = 7,     // valid request the engine does not implement
  kCancelled = 8,        // stopped on request (Ctrl-C, Cancel())
  kInternal = 9,         // a bug: an invariant did not hold
  kOutOfMemory = 10,     // a query would go over its memory limit
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : rep_(code == StatusCode::kOk
                 ? nullptr
                 : std::make_shared<Rep>(Rep{code, std::move(message), 0})) {}
  // An I/O error that carries the operating system's errno, so callers act
  // on the cause (ENOSPC: the disk is full) rather than on message text.
  static Status FromErrno(StatusCode code, std::string message, int os_error) {
    Status s;
    if (code != StatusCode::kOk) s.rep_ = std::make_shared<Rep>(Rep{code, std::move(message), os_error});
    return s;
  }

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status NotSupported(std::string m) { return {StatusCode::kNotSupported, std::move(m)}; }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  const std::string& message() const;
  bool IsNotFound() const { return code() == StatusCode::kNotFound; }
  bool IsConflict() const { return code() == StatusCode::kConflict; }
  bool IsCorruption() const { return code() == StatusCode::kCorruption; }
  bool IsAlreadyExists() const { return code() == StatusCode::kAlreadyExists; }
  // The errno of the failed system call (0: none recorded).
  int os_error() const { return rep_ ? rep_->os_error : 0; }
  // ENOSPC or EDQUOT: the disk or the quota is full.
  bool IsNoSpace() const;

  // "Corruption: m/_log/00000000000000000003.json line 2: ..."
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context + ": "`.
  Status WithContext(std::string_view context) const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    int os_error;  // errno, kept through WithContext
  };
  std::shared_ptr<const Rep> rep_;
};

// Holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result built from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status::OK() : std::get<Status>(v_); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace tsl

#define TSL_CONCAT_INNER(a, b) a##b
#define TSL_CONCAT(a, b) TSL_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                       \
  do {                                              \
    ::tsl::Status _tsl_st = (expr);              \
    if (!_tsl_st.ok()) return _tsl_st;              \
  } while (0)

#define TSL_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) \
  TSL_ASSIGN_OR_RETURN_IMPL(TSL_CONCAT(_tsl_res_, __LINE__), lhs, expr)
