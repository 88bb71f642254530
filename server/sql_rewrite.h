// What the server answers itself or rewrites before the engine sees a
// statement: SET/SHOW/RESET of the PostgreSQL session parameters that
// clients send (application_name, client_encoding, DateStyle, TimeZone,
// extra_float_digits, search_path, statement_timeout, ...), BEGIN/COMMIT/
// ROLLBACK (accepted; every statement is autocommitted, and ROLLBACK says
// so in a WARNING), the functions clients call at connect time
// (version(), current_database(), current_schema(), current_user,
// pg_backend_pid()) replaced by their values, psql's catalog
// queries (catalog_queries.h), and queries over other drivers' pg_catalog
// tables (pg_catalog_tables.h). tslake's own settings (SET threads,
// memory_limit, ...) pass through to the engine.
// Thread-safety: plain functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tslake/tslake.hpp"

namespace tslake::server {

struct SessionRewrite {
  std::string sql;         // what the engine runs (the input when unchanged)
  bool rewritten = false;  // sql differs from the input
  // The rewritten sql keeps the input's $n parameters and may be prepared
  // (the emulated pg_catalog tables); other rewrites run as plain SQL.
  bool preparable = false;
  std::string tag;         // non-empty: answered here; send only CommandComplete(tag)
  std::string error;       // non-empty: refuse with this message and SQLSTATE
  std::string error_sqlstate;
  std::vector<std::pair<std::string, std::string>> parameter_status;  // to report
  std::vector<std::string> notices;                                    // WARNINGs
};

// `parameters` (lower-case names) is the session's state; SET and RESET
// change it. `transaction` is the connection's: BEGIN/COMMIT/ROLLBACK go to
// the engine, except where PostgreSQL only warns (COMMIT or ROLLBACK
// outside a transaction, BEGIN inside one).
SessionRewrite RewriteForSession(const std::string& sql, std::map<std::string, std::string>* parameters,
                                 const std::string& database, int32_t pid, Database& db,
                                 Connection::TransactionStatus transaction);

// ReadyForQuery's status byte: 'I' idle, 'T' in a transaction block, 'E'
// in a failed one.
char ReadyStatus(Connection::TransactionStatus transaction);

// PostgreSQL's statement_timeout syntax: a number of milliseconds, or a
// number with a unit (ms, s, min, h); 0 = none. nullopt when malformed.
std::optional<int64_t> ParseTimeoutMs(const std::string& value);

// A SQL string literal holding `s` ('' doubled).
std::string QuoteLiteral(const std::string& s);
// A quoted identifier ("" doubled).
std::string QuoteIdentifier(const std::string& s);

}  // namespace tslake::server
