// One client connection: startup, authentication, simple and extended
// query, COPY. See session.h.
#include "server/session.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/auth.h"
#include "server/copy_format.h"
#include "server/pg_types.h"
#include "server/server.h"
#include "server/sql_rewrite.h"
#include "server/sqlstate.h"
#include "server/statement_splitter.h"

namespace tslake::server {

namespace {

// Output is sent once this much is buffered (and at every ReadyForQuery,
// Flush and before reading the next message of a COPY).
constexpr size_t kFlushBytes = 64 * 1024;
// Prepared statements and portals one session may hold (each holds a
// parsed statement, a portal its whole result).
constexpr size_t kMaxStatements = 10000;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool ReturnsRowsKeyword(const std::string& k) {
  return k == "SELECT" || k == "WITH" || k == "VALUES" || k == "TABLE" || k == "FROM" ||
         k == "SHOW" || k == "EXPLAIN" || k == "DESCRIBE" || k == "SUMMARIZE" || k == "PIVOT" ||
         k == "UNPIVOT";
}

// Interrupts `connection`'s statement when it runs longer than `ms`
// (statement_timeout); 0 = no timer and no thread.
class StatementTimer {
 public:
  StatementTimer(Connection* connection, int64_t ms) {
    if (ms <= 0) return;
    thread_ = std::thread([this, connection, ms] {
      std::unique_lock<std::mutex> l(mu_);
      if (!cv_.wait_for(l, std::chrono::milliseconds(ms), [this] { return done_; })) {
        fired_ = true;
        connection->Interrupt();
      }
    });
  }
  ~StatementTimer() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> l(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  bool fired() {
    std::lock_guard<std::mutex> l(mu_);
    return fired_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;   // GUARDED_BY(mu_)
  bool fired_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace

Result Session::RunStatement(const std::string& sql, const std::function<Result()>& run) {
  const std::string keyword = FirstKeyword(sql);
  const bool writes = keyword == "INSERT" || keyword == "UPDATE" || keyword == "DELETE" || keyword == "MERGE" ||
                      keyword == "COPY" || keyword == "COMMIT" || keyword == "END";
  WriteSlot slot(server_, writes);
  int64_t ms = ParseTimeoutMs(parameters_["statement_timeout"]).value_or(0);
  StatementTimer timer(connection_.get(), ms);
  Result result = run();
  timed_out_ = !result.ok() && result.error_code() == ErrorCode::kCancelled && timer.fired();
  return result;
}

void CommandTagFor(const Result& result, std::string* tag, bool* returns_rows) {
  const std::string& type = result.statement_type();
  auto count = [&]() -> int64_t {
    if (result.column_count() == 1 && result.row_count() == 1 &&
        (result.column_type(0) == Type::kBigint || result.column_type(0) == Type::kInteger))
      return result.GetInt64(0, 0);
    return 0;
  };
  *returns_rows = false;
  if (type == "INSERT") {
    *tag = "INSERT 0 " + std::to_string(count());
  } else if (type == "UPDATE" || type == "DELETE" || type == "MERGE" || type == "COPY") {
    *tag = type + " " + std::to_string(count());
  } else if (result.column_count() == 0) {
    *tag = type.empty() ? "OK" : type;
  } else {
    *returns_rows = true;
    *tag = "SELECT " + std::to_string(result.row_count());
  }
}

Session::Session(Server* server, int fd)
    : server_(server), stream_(fd, server->stop_flag(), server->options().message_timeout_ms) {
  parameters_ = {{"application_name", ""},
                 {"client_encoding", "UTF8"},
                 {"datestyle", "ISO, MDY"},
                 {"timezone", "UTC"},
                 {"intervalstyle", "postgres"},
                 {"extra_float_digits", "1"},
                 {"search_path", "\"$user\", public"},
                 {"statement_timeout", "0"},
                 {"standard_conforming_strings", "on"},
                 {"integer_datetimes", "on"},
                 {"server_encoding", "UTF8"},
                 {"transaction_isolation", "serializable"},
                 {"default_transaction_read_only", "off"},
                 {"bytea_output", "hex"}};
}

Session::~Session() {
  if (pid_ != 0) server_->Unregister(pid_);
}

void Session::Interrupt() {
  // connection_ is created before Register and destroyed after
  // Unregister, both under the server's registry lock.
  if (connection_) connection_->Interrupt();
}

bool Session::Flush() {
  if (out_.size() == 0) return true;
  bool ok = stream_.WriteAll(out_.buffer());
  out_.Clear();
  if (!ok) closing_ = true;
  return ok;
}

void Session::FailExtended(const char* sqlstate, const std::string& message) {
  SendError(sqlstate, message);
  extended_error_ = true;
}

void Session::SendError(const char* sqlstate, const std::string& message, bool fatal) {
  out_.Error('E', fatal ? "FATAL" : "ERROR", sqlstate, message);
}

void Session::SendResultError(const Result& result) {
  if (timed_out_) {
    SendError(sqlstate::kQueryCanceled, "canceling statement due to statement timeout");
    return;
  }
  const std::string& m = result.error_message();
  // The first line is the message; the rest (LINE n: ... and the caret)
  // goes into the detail field, as PostgreSQL puts the query position
  // apart.
  size_t nl = m.find('\n');
  std::string first = nl == std::string::npos ? m : m.substr(0, nl);
  std::string rest = nl == std::string::npos ? "" : m.substr(nl + 1);
  out_.Error('E', "ERROR", SqlStateFor(result.error_code(), m), first, rest);
}

// ---------------------------------------------------------------- startup

bool Session::Startup() {
  const ServerOptions& opt = server_->options();
  const int timeout = opt.message_timeout_ms;
  while (true) {
    char len_buf[4];
    ClientStream::ReadStatus st = stream_.ReadExact(len_buf, 4, timeout);
    if (st != ClientStream::ReadStatus::kOk) return false;
    MessageReader lr(std::string_view(len_buf, 4));
    int32_t len = lr.Int32();
    if (len < 8 || len > kMaxStartupPacket) {
      SendError(sqlstate::kProtocolViolation, "invalid length of startup packet", true);
      Flush();
      return false;
    }
    std::string body(static_cast<size_t>(len - 4), '\0');
    if (stream_.ReadExact(body.data(), body.size(), timeout) != ClientStream::ReadStatus::kOk) return false;
    StartupPacket packet;
    Status decoded = DecodeStartup(body, &packet);
    if (!decoded.ok()) {
      SendError(decoded.code() == ErrorCode::kNotSupported ? sqlstate::kFeatureNotSupported
                                                            : sqlstate::kProtocolViolation,
                decoded.message(), true);
      Flush();
      return false;
    }
    switch (packet.kind) {
      case StartupPacket::Kind::kCancel:
        server_->Cancel(packet.cancel_pid, packet.cancel_secret);
        return false;
      case StartupPacket::Kind::kGssEncRequest:
        if (!stream_.WriteAll("N")) return false;
        continue;
      case StartupPacket::Kind::kSslRequest: {
        if (stream_.tls()) {
          SendError(sqlstate::kProtocolViolation, "SSLRequest after TLS was started", true);
          Flush();
          return false;
        }
        if (server_->tls() == nullptr) {
          if (!stream_.WriteAll("N")) return false;
          continue;
        }
        if (!stream_.WriteAll("S")) return false;
        std::string error;
        if (!stream_.StartTls(server_->tls(), &error)) return false;
        continue;
      }
      case StartupPacket::Kind::kStartup:
        break;
    }
    if (opt.require_tls && !stream_.tls()) {
      SendError(sqlstate::kInvalidPassword, "this server requires TLS (connect with sslmode=require)", true);
      Flush();
      return false;
    }
    for (auto& [name, value] : packet.parameters) {
      if (name == "user") user_ = value;
      else if (name == "database") database_ = value;
      else if (name == "options" || name == "replication") continue;
      else parameters_[Lower(name)] = value;
    }
    if (user_.empty()) {
      SendError(sqlstate::kProtocolViolation, "no PostgreSQL user name specified in startup packet", true);
      Flush();
      return false;
    }
    if (database_.empty()) database_ = user_;
    const std::string& enc = parameters_["client_encoding"];
    if (Lower(enc) != "utf8" && Lower(enc) != "utf-8" && Lower(enc) != "unicode" && Lower(enc) != "sql_ascii") {
      SendError("22023", "client_encoding \"" + enc + "\" is not supported: tslake speaks UTF8 only", true);
      Flush();
      return false;
    }
    parameters_["client_encoding"] = "UTF8";
    if (!Authenticate(user_)) return false;
    authenticated_ = true;
    out_.AuthenticationOk();
    connection_ = std::make_unique<Connection>(server_->database());
    pid_ = server_->Register(this, &secret_);
    out_.ParameterStatus("server_version", "15.0 (tslake " + std::string(Database::Version()) + ")");
    out_.ParameterStatus("server_encoding", "UTF8");
    out_.ParameterStatus("client_encoding", "UTF8");
    out_.ParameterStatus("DateStyle", "ISO, MDY");
    out_.ParameterStatus("integer_datetimes", "on");
    out_.ParameterStatus("IntervalStyle", "postgres");
    out_.ParameterStatus("TimeZone", "UTC");
    out_.ParameterStatus("standard_conforming_strings", "on");
    out_.ParameterStatus("is_superuser", "on");
    out_.ParameterStatus("session_authorization", user_);
    out_.ParameterStatus("application_name", parameters_["application_name"]);
    out_.BackendKeyData(pid_, secret_);
    out_.ReadyForQuery('I');
    return Flush();
  }
}

// ------------------------------------------------------------ main loop

bool Session::ReadMessage() {
  const ServerOptions& opt = server_->options();
  char header[5];
  // Waiting for the first byte of the next message has no deadline (an
  // idle client is fine); the rest of the message has one.
  ClientStream::ReadStatus st = stream_.ReadExact(header, 1, authenticated_ ? -1 : opt.message_timeout_ms);
  if (st == ClientStream::ReadStatus::kStopped) {
    SendError(sqlstate::kAdminShutdown, "terminating connection due to administrator command", true);
    Flush();
    return false;
  }
  if (st != ClientStream::ReadStatus::kOk) return false;
  st = stream_.ReadExact(header + 1, 4, opt.message_timeout_ms);
  if (st != ClientStream::ReadStatus::kOk) return false;
  type_ = header[0];
  MessageReader lr(std::string_view(header + 1, 4));
  int32_t len = lr.Int32();
  if (Status st = CheckMessageLength(len, opt.max_message_bytes); !st.ok()) {
    SendError(st.code() == ErrorCode::kOutOfMemory ? sqlstate::kProgramLimitExceeded : sqlstate::kProtocolViolation,
              st.message(), true);
    Flush();
    return false;
  }
  // The body buffer grows with the bytes that actually arrive (doubling
  // from 64 KiB), so a header that announces a large message costs
  // nothing until the client sends it.
  const size_t total = static_cast<size_t>(len - 4);
  body_.clear();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(opt.message_timeout_ms);
  while (body_.size() < total) {
    size_t got = body_.size();
    size_t chunk = std::min(total - got, std::max<size_t>(64 * 1024, got));
    body_.resize(got + chunk);
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    st = stream_.ReadExact(body_.data() + got, chunk, static_cast<int>(std::max<int64_t>(left.count(), 0)));
    if (st != ClientStream::ReadStatus::kOk) break;
  }
  if (st == ClientStream::ReadStatus::kTimeout) {
    SendError(sqlstate::kProtocolViolation, "timed out reading a message", true);
    Flush();
    return false;
  }
  return st == ClientStream::ReadStatus::kOk;
}

void Session::Run() {
  if (!Startup()) return;
  while (!closing_) {
    if (!ReadMessage()) break;
    // After an error in an extended-protocol exchange, everything up to
    // the next Sync is skipped (PostgreSQL's rule).
    if (extended_error_ && type_ != 'S' && type_ != 'X') {
      continue;
    }
    switch (type_) {
      case 'Q': {
        std::string sql;
        Status st = DecodeQuery(body_, &sql);
        if (!st.ok()) {
          SendError(sqlstate::kProtocolViolation, st.message());
          out_.ReadyForQuery(ReadyStatus(connection_->transaction_status()));
        } else {
          HandleQuery(sql);
        }
        Flush();
        break;
      }
      case 'P': HandleParse(); break;
      case 'B': HandleBind(); break;
      case 'D': HandleDescribe(); break;
      case 'E': HandleExecute(); break;
      case 'C': HandleClose(); break;
      case 'H': Flush(); break;
      case 'S':
        extended_error_ = false;
        // Portals end at Sync (each Execute ran in the connection's
        // transaction, or autocommitted outside one).
        portals_.clear();
        out_.ReadyForQuery(ReadyStatus(connection_->transaction_status()));
        Flush();
        break;
      case 'X':
        closing_ = true;
        break;
      case 'd':
      case 'c':
      case 'f':
        // Copy messages outside COPY are ignored (PostgreSQL does too, so a
        // client may end a failed COPY with them).
        break;
      default:
        SendError(sqlstate::kProtocolViolation,
                  "invalid frontend message type " + std::to_string(static_cast<unsigned char>(type_)),
                  true);
        Flush();
        closing_ = true;
        break;
    }
    if (out_.size() >= kFlushBytes) Flush();
  }
  Flush();
}

// ---------------------------------------------------------- simple query

void Session::HandleQuery(const std::string& sql) {
  std::vector<std::string> statements = SplitStatements(sql);
  if (statements.empty()) out_.EmptyQueryResponse();
  for (const std::string& statement : statements) {
    if (!RunSimpleStatement(statement) || closing_) break;
  }
  out_.ReadyForQuery(ReadyStatus(connection_->transaction_status()));
}

bool Session::RunSimpleStatement(const std::string& sql) {
  const std::string keyword = FirstKeyword(sql);
  if (keyword == "COPY") {
    CopyStatement copy;
    std::string error;
    if (ParseCopyStatement(sql, &copy, &error)) {
      return copy.from ? RunCopyFrom(sql) : RunCopyTo(sql);
    }
    if (!error.empty()) {
      SendError(sqlstate::kSyntaxError, error);
      return false;
    }
  }
  SessionRewrite rewrite = Rewrite(sql, true);
  if (!rewrite.error.empty()) {
    SendError(rewrite.error_sqlstate.c_str(), rewrite.error);
    return false;
  }
  for (const auto& [name, value] : rewrite.parameter_status) out_.ParameterStatus(name, value);
  for (const std::string& notice : rewrite.notices) out_.Error('N', "WARNING", "01000", notice);
  if (!rewrite.tag.empty()) {
    out_.CommandComplete(rewrite.tag);
    return true;
  }
  Result result = RunStatement(rewrite.sql, [&] { return connection_->Query(rewrite.sql); });
  if (!result.ok()) {
    SendResultError(result);
    return false;
  }
  for (const std::string& w : result.warnings()) out_.Error('N', "WARNING", "01000", w);
  std::string tag;
  bool rows = false;
  CommandTagFor(result, &tag, &rows);
  if (rows) {
    SendRowDescription(result, {});
    if (!SendRows(result, 0, result.row_count(), {})) return false;
  }
  out_.CommandComplete(tag);
  return true;
}

SessionRewrite Session::Rewrite(const std::string& sql, bool apply) {
  const Connection::TransactionStatus transaction = connection_->transaction_status();
  if (apply)
    return RewriteForSession(sql, &parameters_, database_, pid_, server_->database(), transaction);
  std::map<std::string, std::string> scratch = parameters_;  // Parse/Describe must not SET
  return RewriteForSession(sql, &scratch, database_, pid_, server_->database(), transaction);
}

void Session::SendRowDescription(const Result& result, const std::vector<int16_t>& formats) {
  out_.Begin('T');
  out_.Int16(static_cast<int16_t>(result.column_count()));
  for (int c = 0; c < result.column_count(); ++c) {
    out_.CString(result.column_name(c));
    out_.Int32(0);  // table OID
    out_.Int16(0);  // column number
    out_.Int32(TypeOid(result.column_type(c)));
    out_.Int16(TypeLength(result.column_type(c)));
    out_.Int32(-1);  // type modifier
    out_.Int16(FormatFor(formats, static_cast<size_t>(c)).value_or(0));
  }
  out_.End();
}

bool Session::SendRows(const Result& result, int64_t begin, int64_t end,
                       const std::vector<int16_t>& formats) {
  const int columns = result.column_count();
  std::string value;
  for (int64_t row = begin; row < end; ++row) {
    out_.Begin('D');
    out_.Int16(static_cast<int16_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (result.IsNull(c, row)) {
        out_.Int32(-1);
        continue;
      }
      value.clear();
      if (FormatFor(formats, static_cast<size_t>(c)).value_or(0) == 1)
        EncodeBinary(result, c, row, &value);
      else
        EncodeText(result, c, row, &value);
      out_.Int32(static_cast<int32_t>(value.size()));
      out_.Bytes(value);
    }
    out_.End();
    if (out_.size() >= kFlushBytes && !Flush()) return false;
  }
  return true;
}

// ------------------------------------------------------- extended query

void Session::HandleParse() {
  ParseMessage m;
  Status st = DecodeParse(body_, &m);
  if (!st.ok()) {
    FailExtended(sqlstate::kProtocolViolation, st.message());
    return;
  }
  if (statements_.size() >= kMaxStatements && !statements_.count(m.statement)) {
    FailExtended(sqlstate::kProgramLimitExceeded,
                 "too many prepared statements in this session (" +
                     std::to_string(kMaxStatements) + "); Close some first");
    return;
  }
  if (!m.statement.empty() && statements_.count(m.statement)) {
    FailExtended("42P05", "prepared statement \"" + m.statement + "\" already exists");
    return;
  }
  auto statement = std::make_shared<Statement>();
  statement->sql = m.query;
  statement->parameter_types = m.parameter_types;
  std::vector<std::string> parts = SplitStatements(m.query);
  if (parts.size() > 1) {
    FailExtended(sqlstate::kSyntaxError, "cannot insert multiple commands into a prepared statement");
    return;
  }
  statement->empty = parts.empty();
  statement->keyword = FirstKeyword(m.query);
  if (!statement->empty) {
    SessionRewrite rewrite = Rewrite(m.query, false);
    // Statements the session answers itself (SET, SHOW, catalog queries)
    // and COPY run as plain SQL at Execute; everything else is prepared.
    bool plain = !rewrite.tag.empty() || (rewrite.rewritten && !rewrite.preparable) ||
                 !rewrite.error.empty() || statement->keyword == "COPY";
    if (!plain) {
      PreparedStatement prepared = connection_->Prepare(rewrite.sql);
      if (prepared.ok()) {
        statement->prepared.emplace(std::move(prepared));
        statement->sql = rewrite.sql;  // Describe probes what was prepared
      } else if (m.query.find('$') != std::string::npos || m.query.find('?') != std::string::npos) {
        out_.Error('E', "ERROR", SqlStateFor(prepared.status().code(), prepared.status().message()),
                   prepared.status().message());
        extended_error_ = true;
        return;
      }
      // Without parameters a statement the engine cannot prepare (DDL)
      // still runs as plain SQL.
    }
  }
  statements_[m.statement] = std::move(statement);
  out_.Begin('1');
  out_.End();
}

void Session::HandleBind() {
  BindMessage m;
  Status st = DecodeBind(body_, &m);
  if (!st.ok()) {
    FailExtended(sqlstate::kProtocolViolation, st.message());
    return;
  }
  auto it = statements_.find(m.statement);
  if (it == statements_.end()) {
    FailExtended(sqlstate::kInvalidStatementName, "prepared statement \"" + m.statement + "\" does not exist");
    return;
  }
  const Statement& s = *it->second;
  int expected = s.prepared ? s.prepared->parameter_count() : 0;
  if (static_cast<int>(m.parameters.size()) != expected) {
    FailExtended(sqlstate::kProtocolViolation,
              "bind message supplies " + std::to_string(m.parameters.size()) +
                  " parameters, but prepared statement \"" + m.statement + "\" requires " +
                  std::to_string(expected));
    return;
  }
  if (portals_.size() >= kMaxStatements && !portals_.count(m.portal)) {
    FailExtended(sqlstate::kProgramLimitExceeded,
              "too many open portals in this session (" + std::to_string(kMaxStatements) + ")");
    return;
  }
  if (!m.portal.empty() && portals_.count(m.portal)) {
    FailExtended("42P03", "portal \"" + m.portal + "\" already exists");
    return;
  }
  Portal portal;
  portal.statement = it->second;
  portal.parameters = std::move(m.parameters);
  portal.parameter_formats = std::move(m.parameter_formats);
  portal.result_formats = std::move(m.result_formats);
  portals_[m.portal] = std::move(portal);
  out_.Begin('2');
  out_.End();
}

bool Session::ExecutePortal(Portal* portal) {
  if (portal->executed) return true;
  portal->executed = true;
  Statement& s = *portal->statement;
  if (s.empty) {
    portal->tag.clear();
    return true;
  }
  if (!s.prepared) {
    // Plain SQL: the simple-query path, but the rows are kept for
    // Execute's row limit. SET/SHOW and catalog answers come through
    // RewriteForSession.
    SessionRewrite rewrite = Rewrite(s.sql, true);
    if (!rewrite.error.empty()) {
      SendError(rewrite.error_sqlstate.c_str(), rewrite.error);
      return false;
    }
    for (const auto& [name, value] : rewrite.parameter_status) out_.ParameterStatus(name, value);
    if (!rewrite.tag.empty()) {
      portal->tag = rewrite.tag;
      return true;
    }
    portal->result.emplace(RunStatement(rewrite.sql, [&] { return connection_->Query(rewrite.sql); }));
  } else {
    PreparedStatement& prepared = *s.prepared;
    prepared.ClearBindings();
    for (size_t i = 0; i < portal->parameters.size(); ++i) {
      std::optional<int16_t> format = FormatFor(portal->parameter_formats, i);
      int32_t type = i < s.parameter_types.size() ? s.parameter_types[i] : 0;
      Status bound = BindParameter(&prepared, static_cast<int>(i + 1), type, format.value_or(0),
                                   portal->parameters[i]);
      if (!bound.ok()) {
        SendError(sqlstate::kInvalidText, bound.message());
        return false;
      }
    }
    portal->result.emplace(RunStatement(s.sql, [&] { return prepared.Execute(); }));
  }
  if (!portal->result->ok()) {
    SendResultError(*portal->result);
    return false;
  }
  CommandTagFor(*portal->result, &portal->tag, &portal->returns_rows);
  return true;
}

void Session::HandleDescribe() {
  TargetMessage m;
  Status st = DecodeDescribeOrClose(body_, &m);
  if (!st.ok()) {
    FailExtended(sqlstate::kProtocolViolation, st.message());
    return;
  }
  if (m.kind == 'P') {
    auto it = portals_.find(m.name);
    if (it == portals_.end()) {
      FailExtended(sqlstate::kInvalidCursorName, "portal \"" + m.name + "\" does not exist");
      return;
    }
    if (!ExecutePortal(&it->second)) {
      extended_error_ = true;
      return;
    }
    if (it->second.returns_rows) {
      SendRowDescription(*it->second.result, it->second.result_formats);
    } else {
      out_.Begin('n');
      out_.End();
    }
    return;
  }
  auto it = statements_.find(m.name);
  if (it == statements_.end()) {
    FailExtended(sqlstate::kInvalidStatementName, "prepared statement \"" + m.name + "\" does not exist");
    return;
  }
  Statement& s = *it->second;
  int n = s.prepared ? s.prepared->parameter_count() : 0;
  out_.Begin('t');
  out_.Int16(static_cast<int16_t>(n));
  for (int i = 0; i < n; ++i) {
    int32_t type = static_cast<size_t>(i) < s.parameter_types.size() ? s.parameter_types[i] : 0;
    out_.Int32(type != 0 ? type : oid::kText);
  }
  out_.End();
  // The row shape without running the statement: the query wrapped in a
  // LIMIT 0 with every parameter NULL. A statement that is not a query,
  // or whose shape depends on its parameters' values, is NoData.
  if (!s.empty && ReturnsRowsKeyword(s.keyword)) {
    std::optional<Result> shape;
    if (s.prepared) {
      PreparedStatement probe = connection_->Prepare("SELECT * FROM (" + s.sql + ") AS describe_probe LIMIT 0");
      if (probe.ok()) {
        for (int i = 1; i <= probe.parameter_count(); ++i) (void)probe.BindNull(i);
        shape.emplace(probe.Execute());
      }
    } else {
      SessionRewrite rewrite = Rewrite(s.sql, false);
      if (rewrite.error.empty() && rewrite.tag.empty())
        shape.emplace(connection_->Query("SELECT * FROM (" + rewrite.sql + ") AS describe_probe LIMIT 0"));
    }
    if (shape && shape->ok() && shape->column_count() > 0) {
      SendRowDescription(*shape, {});
      return;
    }
  }
  out_.Begin('n');
  out_.End();
}

void Session::HandleExecute() {
  ExecuteMessage m;
  Status st = DecodeExecute(body_, &m);
  if (!st.ok()) {
    FailExtended(sqlstate::kProtocolViolation, st.message());
    return;
  }
  auto it = portals_.find(m.portal);
  if (it == portals_.end()) {
    FailExtended(sqlstate::kInvalidCursorName, "portal \"" + m.portal + "\" does not exist");
    return;
  }
  Portal& p = it->second;
  if (p.statement->empty) {
    out_.EmptyQueryResponse();
    return;
  }
  if (p.statement->keyword == "COPY" && !p.statement->prepared) {
    if (!RunSimpleStatement(p.statement->sql)) extended_error_ = true;
    return;
  }
  if (!ExecutePortal(&p)) {
    extended_error_ = true;
    return;
  }
  if (!p.returns_rows) {
    out_.CommandComplete(p.tag);
    return;
  }
  const Result& r = *p.result;
  int64_t end = r.row_count();
  if (m.max_rows > 0) end = std::min<int64_t>(end, p.next_row + m.max_rows);
  int64_t begin = p.next_row;
  if (!SendRows(r, begin, end, p.result_formats)) return;
  p.next_row = end;
  if (end < r.row_count()) {
    out_.Begin('s');  // PortalSuspended
    out_.End();
  } else {
    out_.CommandComplete("SELECT " + std::to_string(end - begin));
  }
}

void Session::HandleClose() {
  TargetMessage m;
  Status st = DecodeDescribeOrClose(body_, &m);
  if (!st.ok()) {
    FailExtended(sqlstate::kProtocolViolation, st.message());
    return;
  }
  if (m.kind == 'S') statements_.erase(m.name);
  else portals_.erase(m.name);
  out_.Begin('3');
  out_.End();
}

}  // namespace tslake::server
