// QueryError: the typed exception the query stages throw internally.
//
// Parser, binder, planner and executor report user errors by throwing a
// QueryError with a kind (the DuckDB error class: "Parser Error", "Binder
// Error", ...) and, when known, the byte offset in the SQL text of the token
// at fault. QueryEngine catches it at the public boundary and turns it into
// a Status whose message carries a caret line under that offset. Storage
// errors travel inside as kStorage with the original Status, so codes such
// as kCorruption and kConflict reach the caller unchanged.
// Thread-safety: value type.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "formats/status.h"

namespace tsl::query {

enum class ErrorKind {
  kParser,
  kBinder,
  kCatalog,
  kConversion,
  kOutOfRange,
  kInvalidInput,
  kNotImplemented,
  kInterrupt,
  kOutOfMemory,  // the memory limit (SET memory_limit)
  kInternal,
  kStorage,  // a Status from storage/formats, passed through unchanged
  kTransaction,  // BEGIN/COMMIT/ROLLBACK out of place (DuckDB's TransactionContext Error)
  kConstraint,   // a table constraint refused a row (main/table_constraints.h)
};

class QueryError : public std::exception {
 public:
  QueryError(ErrorKind kind, std::string message, int position = -1)
      : kind_(kind), message_(std::move(message)), position_(position) {}
  explicit QueryError(Status status)
      : kind_(ErrorKind::kStorage),
        message_(status.message()),
        position_(-1),
        status_(std::move(status)) {}

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  int position() const { return position_; }
  const Status& status() const { return status_; }
  const char* what() const noexcept override { return message_.c_str(); }

  // Fills in a position when the thrower did not know one.
  void SetPositionIfUnknown(int position) {
    if (position_ < 0) position_ = position;
  }
  // Overrides the Status code the engine reports (e.g. kAlreadyExists for
  // a Catalog Error about an existing table).
  QueryError& WithCode(StatusCode code) {
    code_ = code;
    return *this;
  }
  std::optional<StatusCode> code() const { return code_; }

 private:
  ErrorKind kind_;
  std::string message_;
  int position_;
  Status status_;
  std::optional<StatusCode> code_;
};

// "Binder Error", "Parser Error", ...
const char* ErrorKindName(ErrorKind kind);

// Throws QueryError(status) when `status` is not OK.
inline void ThrowIfError(const Status& status) {
  if (!status.ok()) throw QueryError(status);
}

template <typename T>
T ValueOrThrow(Result<T> result) {
  if (!result.ok()) throw QueryError(result.status());
  return std::move(result).value();
}

}  // namespace tsl::query
