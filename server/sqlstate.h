// SQLSTATE codes for tslake errors, so Postgres clients can act on them
// (psycopg2's e.pgcode, JDBC's getSQLState). The public API reports an
// ErrorCode and a DuckDB-style message ("Catalog Error: Table with name x
// does not exist!"); the code picks the class and the message's error
// class and wording refine it. Thread-safety: a plain function.
#pragma once

#include <string>

#include "tslake/tslake.hpp"

namespace tslake::server {

namespace sqlstate {
constexpr const char* kSyntaxError = "42601";
constexpr const char* kUndefinedTable = "42P01";
constexpr const char* kUndefinedColumn = "42703";
constexpr const char* kUndefinedFunction = "42883";
constexpr const char* kDuplicateTable = "42P07";
constexpr const char* kInvalidText = "22P02";
constexpr const char* kOutOfRange = "22003";
constexpr const char* kDivisionByZero = "22012";
constexpr const char* kOutOfMemory = "53200";
constexpr const char* kQueryCanceled = "57014";
constexpr const char* kSerializationFailure = "40001";
constexpr const char* kFeatureNotSupported = "0A000";
constexpr const char* kReadOnly = "25006";
constexpr const char* kProtocolViolation = "08P01";
constexpr const char* kInvalidPassword = "28P01";
constexpr const char* kTooManyConnections = "53300";
constexpr const char* kAdminShutdown = "57P01";
constexpr const char* kInvalidStatementName = "26000";
constexpr const char* kInvalidCursorName = "34000";
constexpr const char* kProgramLimitExceeded = "54000";
constexpr const char* kInternal = "XX000";
}  // namespace sqlstate

// The SQLSTATE of an error the public API returned.
const char* SqlStateFor(ErrorCode code, const std::string& message);

}  // namespace tslake::server
