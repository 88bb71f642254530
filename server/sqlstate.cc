// tslake error -> SQLSTATE. See sqlstate.h.
#include "server/sqlstate.h"

namespace tslake::server {

namespace {

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }
bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

}  // namespace

const char* SqlStateFor(ErrorCode code, const std::string& message) {
  switch (code) {
    case ErrorCode::kOk: return "00000";
    case ErrorCode::kCancelled: return sqlstate::kQueryCanceled;
    case ErrorCode::kOutOfMemory: return sqlstate::kOutOfMemory;
    case ErrorCode::kConflict: return sqlstate::kSerializationFailure;
    case ErrorCode::kAlreadyExists: return sqlstate::kDuplicateTable;
    case ErrorCode::kNotSupported: return sqlstate::kFeatureNotSupported;
    default: break;
  }
  if (StartsWith(message, "Parser Error")) return sqlstate::kSyntaxError;
  if (StartsWith(message, "Catalog Error")) {
    if (Contains(message, "already exists")) return sqlstate::kDuplicateTable;
    if (Contains(message, "Function with name")) return sqlstate::kUndefinedFunction;
    if (Contains(message, "Table with name") || Contains(message, "View with name"))
      return sqlstate::kUndefinedTable;
    return sqlstate::kUndefinedTable;
  }
  if (StartsWith(message, "Binder Error")) {
    if (Contains(message, "column") || Contains(message, "Column")) return sqlstate::kUndefinedColumn;
    if (Contains(message, "Referenced table")) return sqlstate::kUndefinedTable;
    if (Contains(message, "No function matches")) return sqlstate::kUndefinedFunction;
    return sqlstate::kSyntaxError;
  }
  if (StartsWith(message, "Conversion Error") || StartsWith(message, "Invalid Input Error"))
    return sqlstate::kInvalidText;
  if (StartsWith(message, "Out of Range Error")) {
    if (Contains(message, "ivision by zero")) return sqlstate::kDivisionByZero;
    return sqlstate::kOutOfRange;
  }
  if (StartsWith(message, "Out of Memory Error")) return sqlstate::kOutOfMemory;
  if (StartsWith(message, "INTERRUPT Error")) return sqlstate::kQueryCanceled;
  if (StartsWith(message, "Not implemented Error")) return sqlstate::kFeatureNotSupported;
  if (StartsWith(message, "TransactionContext Error")) {
    // in_failed_sql_transaction; other misuse is invalid_transaction_state
    if (message.find("transaction is aborted") != std::string::npos) return "25P02";
    return "25000";
  }
  if (Contains(message, "read-only") || Contains(message, "read only")) return sqlstate::kReadOnly;
  if (code == ErrorCode::kInvalidArgument && !StartsWith(message, "INTERNAL"))
    return sqlstate::kInvalidText;
  return sqlstate::kInternal;
}

}  // namespace tslake::server
