// One client connection of `tslake serve`: the startup and authentication
// exchange, then the protocol loop (simple Query, the extended protocol's
// Parse/Bind/Describe/Execute/Close/Sync/Flush, COPY FROM STDIN / TO
// STDOUT) over its own tslake::Connection on the server's shared
// Database. Statements run in autocommit; the transaction status sent in
// ReadyForQuery is always 'I'.
//
// Framing rules (hostile input): a message's length must be 4 ..
// max_message_bytes, checked before anything is allocated; a message that
// was begun must arrive within message_timeout_ms; a malformed message is
// an ErrorResponse (08P01), and the connection is closed when the stream
// cannot be resynchronized (bad length, unknown type during startup).
// Thread-safety: Run() on the session's own thread; Interrupt() from the
// server's cancel path on any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/client_stream.h"
#include "server/copy_format.h"
#include "server/pg_protocol.h"
#include "server/sql_rewrite.h"
#include "tslake/tslake.hpp"

namespace tslake::server {

class Server;

class Session {
 public:
  Session(Server* server, int fd);
  ~Session();
  // Serves the connection until the client leaves, an error closes it, or
  // the server stops.
  void Run();
  // Cancels the running statement (CancelRequest). Any thread.
  void Interrupt();

 private:
  // A Parse'd statement: a PreparedStatement, or plain SQL that the
  // session runs as a simple statement (no parameters: SET, SHOW, catalog
  // queries, DDL the engine cannot prepare).
  struct Statement {
    std::string sql;
    std::string keyword;  // FirstKeyword(sql)
    std::vector<int32_t> parameter_types;
    std::optional<PreparedStatement> prepared;
    bool empty = false;  // only blanks and comments: EmptyQueryResponse
  };
  struct Portal {
    std::shared_ptr<Statement> statement;
    std::vector<std::optional<std::string>> parameters;
    std::vector<int16_t> parameter_formats;
    std::vector<int16_t> result_formats;
    bool executed = false;
    std::optional<Result> result;
    std::string tag;       // CommandComplete tag when it returns no rows
    bool returns_rows = false;
    int64_t next_row = 0;  // rows already sent (Execute with a row limit)
  };
  enum class ReadOutcome { kMessage, kClosed };

  bool Startup();
  bool Authenticate(const std::string& user);
  bool AuthenticateMd5(const std::string& user);
  bool AuthenticateScram(const std::string& user);
  void AuthenticationFailed(const std::string& user);

  // Reads one typed message into type_/body_; false when the connection
  // should end (closed, timeout, stop, oversized: the reason was sent).
  bool ReadMessage();
  bool Flush();
  void SendError(const char* sqlstate, const std::string& message, bool fatal = false);
  // An error in the extended protocol: sent once, then every message up to
  // the next Sync is skipped (extended_error_), as PostgreSQL does.
  void FailExtended(const char* sqlstate, const std::string& message);
  void SendResultError(const Result& result);
  // Runs a statement under statement_timeout (a timer thread interrupts
  // it); sets timed_out_ when that is why it failed.
  // `sql` (the statement's text) says whether it writes: then it runs in
  // a write slot of the server (ServerOptions::max_concurrent_writes).
  Result RunStatement(const std::string& sql, const std::function<Result()>& run);

  void HandleQuery(const std::string& sql);
  // Runs one statement of a simple Query; false when it failed (the error
  // was sent).
  bool RunSimpleStatement(const std::string& sql);
  // RewriteForSession on this session's parameters; `apply` false leaves
  // them unchanged (Parse and Describe look, Execute applies).
  SessionRewrite Rewrite(const std::string& sql, bool apply);
  bool RunCopyFrom(const std::string& sql);
  // CSV without a column list or custom NULL/ESCAPE: the CopyData bytes
  // stream into Appender::AppendCsv (the engine's CSV reader).
  bool RunCopyFromCsv(const CopyStatement& copy, Appender* appender);
  // Flushes (one version) and closes a COPY's appender; CommandComplete.
  bool CommitCopy(Appender* appender, int64_t rows);
  bool RunCopyTo(const std::string& sql);

  void HandleParse();
  void HandleBind();
  void HandleDescribe();
  void HandleExecute();
  void HandleClose();
  // Runs a portal's statement once (lazily: Describe or Execute); false
  // when it failed (the error was sent).
  bool ExecutePortal(Portal* portal);

  void SendRowDescription(const Result& result, const std::vector<int16_t>& formats);
  // DataRows [begin, end); flushes the output now and then.
  bool SendRows(const Result& result, int64_t begin, int64_t end, const std::vector<int16_t>& formats);

  Server* server_;
  ClientStream stream_;
  std::unique_ptr<Connection> connection_;
  int32_t pid_ = 0;
  int32_t secret_ = 0;
  std::string user_;
  std::string database_;
  MessageWriter out_;
  char type_ = 0;
  std::string body_;
  bool closing_ = false;
  bool authenticated_ = false;
  bool timed_out_ = false;  // the last statement ran past statement_timeout  // before: every read has the message deadline
  bool extended_error_ = false;  // skip extended messages until Sync
  std::map<std::string, std::string> parameters_;  // SET/SHOW session parameters
  std::map<std::string, std::shared_ptr<Statement>> statements_;
  std::map<std::string, Portal> portals_;
};

// The CommandComplete tag and whether rows are sent, for a result.
void CommandTagFor(const Result& result, std::string* tag, bool* returns_rows);

}  // namespace tslake::server
