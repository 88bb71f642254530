// The PostgreSQL frontend/backend protocol version 3 as bytes: decoding
// the messages a client sends (startup packet, Query, Parse, Bind, ...)
// and building the messages the server answers with. No I/O and no SQL:
// every decoder takes one message body (already framed by its length) and
// either fills a struct or returns kInvalidArgument saying what is wrong,
// so hostile bytes end in an ErrorResponse, never a crash or a huge
// allocation (tests/fuzz/pg_protocol_fuzzer.cc feeds it random bytes).
// Protocol reference: https://www.postgresql.org/docs/current/protocol-message-formats.html
// Thread-safety: plain functions and values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tslake/tslake.hpp"

namespace tslake::server {

// Protocol codes sent in the startup packet's version field.
constexpr int32_t kProtocolVersion3 = 196608;      // 3.0
constexpr int32_t kSslRequestCode = 80877103;       // 1234.5679
constexpr int32_t kGssEncRequestCode = 80877104;    // 1234.5680
constexpr int32_t kCancelRequestCode = 80877102;    // 1234.5678

// Upper bound of a startup packet (PostgreSQL's MAX_STARTUP_PACKET_LENGTH).
constexpr int32_t kMaxStartupPacket = 10000;

// What the first packet of a connection asks for.
struct StartupPacket {
  enum class Kind { kStartup, kSslRequest, kGssEncRequest, kCancel };
  Kind kind = Kind::kStartup;
  int32_t version = 0;
  std::vector<std::pair<std::string, std::string>> parameters;  // user, database, ...
  int32_t cancel_pid = 0;      // kCancel
  int32_t cancel_secret = 0;   // kCancel
};

// Parse ('P').
struct ParseMessage {
  std::string statement;  // "" = the unnamed statement
  std::string query;
  std::vector<int32_t> parameter_types;  // OIDs, 0 = unspecified
};

// Bind ('B'). A parameter is nullopt for SQL NULL.
struct BindMessage {
  std::string portal;
  std::string statement;
  std::vector<int16_t> parameter_formats;  // 0 text, 1 binary; none, one for all, or one each
  std::vector<std::optional<std::string>> parameters;
  std::vector<int16_t> result_formats;  // same convention
};

// Describe ('D') and Close ('C'): 'S' statement or 'P' portal.
struct TargetMessage {
  char kind = 'S';
  std::string name;
};

// Execute ('E').
struct ExecuteMessage {
  std::string portal;
  int32_t max_rows = 0;  // 0 = all
};

// Reads big-endian integers and NUL-terminated strings out of one message
// body; every read checks the bytes left and sets a sticky failure.
class MessageReader {
 public:
  explicit MessageReader(std::string_view body) : data_(body) {}
  bool ok() const { return ok_; }
  bool AtEnd() const { return pos_ == data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }
  uint8_t Byte();
  int16_t Int16();
  int32_t Int32();
  // A NUL-terminated string (without the NUL); fails when there is no NUL.
  std::string_view CString();
  std::string_view Bytes(size_t n);

 private:
  bool Need(size_t n);
  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Startup packet body (after the 4-byte length): version or request code,
// then for a startup message name/value pairs ending with an empty name.
Status DecodeStartup(std::string_view body, StartupPacket* out);
// Query ('Q'): one string, the SQL.
Status DecodeQuery(std::string_view body, std::string* sql);
Status DecodeParse(std::string_view body, ParseMessage* out);
Status DecodeBind(std::string_view body, BindMessage* out);
Status DecodeDescribeOrClose(std::string_view body, TargetMessage* out);
Status DecodeExecute(std::string_view body, ExecuteMessage* out);
// CopyFail ('f') and PasswordMessage ('p', password form): one string.
Status DecodeString(std::string_view body, std::string* out);
// SASLInitialResponse ('p'): mechanism name, then a length-prefixed
// (-1 = none) initial client message.
Status DecodeSaslInitial(std::string_view body, std::string* mechanism, std::string* data);

// The length word of a typed message (it counts itself): OK when 4 <=
// length and the body (length - 4) is at most max_body bytes. Checked
// before anything is allocated for the body.
Status CheckMessageLength(int32_t length, int64_t max_body);

// Decodes any frontend message of type `type` with every decoder that
// applies (what the fuzz target and the session both go through): OK when
// the body is well-formed for that type. Unknown types are kInvalidArgument.
Status DecodeAnyFrontendMessage(char type, std::string_view body);

// The format (0 text, 1 binary) of item `i` of `count` under the
// protocol's convention: no codes = text, one code = all, else one each.
// nullopt when the codes list has another length.
std::optional<int16_t> FormatFor(const std::vector<int16_t>& formats, size_t i);

// Builds backend messages into one output buffer: Begin(type), the
// fields, End() (which patches the length).
class MessageWriter {
 public:
  void Begin(char type);
  void Byte(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void Int16(int16_t v);
  void Int32(int32_t v);
  void CString(std::string_view s);  // s must hold no NUL (cut at the first one)
  void Bytes(std::string_view s) { out_.append(s); }
  void End();

  // Whole messages.
  void AuthenticationOk();
  void ParameterStatus(std::string_view name, std::string_view value);
  void BackendKeyData(int32_t pid, int32_t secret);
  void ReadyForQuery(char status);
  void CommandComplete(std::string_view tag);
  void EmptyQueryResponse();
  // ErrorResponse ('E') or NoticeResponse ('N').
  void Error(char type, std::string_view severity, std::string_view sqlstate,
             std::string_view message, std::string_view detail = {});

  std::string& buffer() { return out_; }
  size_t size() const { return out_.size(); }
  void Clear() { out_.clear(); }

 private:
  std::string out_;
  size_t start_ = 0;
};

}  // namespace tslake::server
