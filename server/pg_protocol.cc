// Frontend message decoders and the backend message builder. See
// pg_protocol.h.
#include "server/pg_protocol.h"

namespace tslake::server {

namespace {

Status Malformed(std::string what) {
  return Status(ErrorCode::kInvalidArgument, "invalid message format: " + std::move(what));
}

// Every decoder ends with this: the reader must have consumed the body
// exactly (PostgreSQL's pq_getmsgend).
Status Finish(const MessageReader& r, const char* message) {
  if (!r.ok()) return Malformed(std::string(message) + " message is truncated");
  if (!r.AtEnd()) return Malformed(std::string(message) + " message has trailing bytes");
  return Status();
}

// A count field followed by that many items: the count must be >= 0 and
// each item takes at least `min_item_bytes`, so a hostile count cannot
// make us reserve memory the body does not hold.
bool PlausibleCount(const MessageReader& r, int32_t count, size_t min_item_bytes) {
  return r.ok() && count >= 0 && static_cast<size_t>(count) * min_item_bytes <= r.remaining();
}

}  // namespace

bool MessageReader::Need(size_t n) {
  if (!ok_ || data_.size() - pos_ < n) {
    ok_ = false;
    return false;
  }
  return true;
}

uint8_t MessageReader::Byte() {
  if (!Need(1)) return 0;
  return static_cast<uint8_t>(data_[pos_++]);
}

int16_t MessageReader::Int16() {
  if (!Need(2)) return 0;
  uint16_t v = static_cast<uint16_t>((static_cast<uint8_t>(data_[pos_]) << 8) |
                                     static_cast<uint8_t>(data_[pos_ + 1]));
  pos_ += 2;
  return static_cast<int16_t>(v);
}

int32_t MessageReader::Int32() {
  if (!Need(4)) return 0;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(data_[pos_ + i]);
  pos_ += 4;
  return static_cast<int32_t>(v);
}

std::string_view MessageReader::CString() {
  if (!ok_) return {};
  size_t nul = data_.find('\0', pos_);
  if (nul == std::string_view::npos) {
    ok_ = false;
    return {};
  }
  std::string_view s = data_.substr(pos_, nul - pos_);
  pos_ = nul + 1;
  return s;
}

std::string_view MessageReader::Bytes(size_t n) {
  if (!Need(n)) return {};
  std::string_view s = data_.substr(pos_, n);
  pos_ += n;
  return s;
}

Status DecodeStartup(std::string_view body, StartupPacket* out) {
  MessageReader r(body);
  int32_t code = r.Int32();
  if (!r.ok()) return Malformed("startup packet is shorter than 4 bytes");
  *out = StartupPacket();
  out->version = code;
  if (code == kSslRequestCode || code == kGssEncRequestCode) {
    out->kind = code == kSslRequestCode ? StartupPacket::Kind::kSslRequest
                                        : StartupPacket::Kind::kGssEncRequest;
    return Finish(r, "SSLRequest");
  }
  if (code == kCancelRequestCode) {
    out->kind = StartupPacket::Kind::kCancel;
    out->cancel_pid = r.Int32();
    out->cancel_secret = r.Int32();
    return Finish(r, "CancelRequest");
  }
  if ((code >> 16) != 3) {
    return Status(ErrorCode::kNotSupported,
                  "unsupported frontend protocol " + std::to_string(code >> 16) + "." +
                      std::to_string(code & 0xffff) + ": server supports 3.0");
  }
  out->kind = StartupPacket::Kind::kStartup;
  while (true) {
    std::string_view name = r.CString();
    if (!r.ok()) return Malformed("startup packet has no terminating NUL");
    if (name.empty()) break;
    std::string_view value = r.CString();
    if (!r.ok()) return Malformed("startup parameter \"" + std::string(name) + "\" has no value");
    out->parameters.emplace_back(std::string(name), std::string(value));
  }
  return Finish(r, "startup");
}

Status DecodeQuery(std::string_view body, std::string* sql) {
  MessageReader r(body);
  *sql = std::string(r.CString());
  return Finish(r, "Query");
}

Status DecodeParse(std::string_view body, ParseMessage* out) {
  MessageReader r(body);
  *out = ParseMessage();
  out->statement = std::string(r.CString());
  out->query = std::string(r.CString());
  int16_t n = r.Int16();
  if (!PlausibleCount(r, n, 4)) return Malformed("Parse message has a bad parameter type count");
  out->parameter_types.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) out->parameter_types.push_back(r.Int32());
  return Finish(r, "Parse");
}

Status DecodeBind(std::string_view body, BindMessage* out) {
  MessageReader r(body);
  *out = BindMessage();
  out->portal = std::string(r.CString());
  out->statement = std::string(r.CString());
  int16_t nformats = r.Int16();
  if (!PlausibleCount(r, nformats, 2)) return Malformed("Bind message has a bad format count");
  for (int i = 0; i < nformats; ++i) out->parameter_formats.push_back(r.Int16());
  int16_t nparams = r.Int16();
  if (!PlausibleCount(r, nparams, 4)) return Malformed("Bind message has a bad parameter count");
  out->parameters.reserve(static_cast<size_t>(nparams));
  for (int i = 0; i < nparams; ++i) {
    int32_t len = r.Int32();
    if (!r.ok()) break;
    if (len == -1) {
      out->parameters.emplace_back(std::nullopt);
      continue;
    }
    if (len < 0 || static_cast<size_t>(len) > r.remaining())
      return Malformed("Bind parameter " + std::to_string(i + 1) + " has a bad length " +
                       std::to_string(len));
    out->parameters.emplace_back(std::string(r.Bytes(static_cast<size_t>(len))));
  }
  int16_t nresult = r.Int16();
  if (!PlausibleCount(r, nresult, 2)) return Malformed("Bind message has a bad result format count");
  for (int i = 0; i < nresult; ++i) out->result_formats.push_back(r.Int16());
  Status st = Finish(r, "Bind");
  if (!st.ok()) return st;
  for (int16_t f : out->parameter_formats)
    if (f != 0 && f != 1) return Malformed("unsupported parameter format code " + std::to_string(f));
  for (int16_t f : out->result_formats)
    if (f != 0 && f != 1) return Malformed("unsupported result format code " + std::to_string(f));
  if (out->parameter_formats.size() > 1 && out->parameter_formats.size() != out->parameters.size())
    return Malformed("Bind message has " + std::to_string(out->parameter_formats.size()) +
                     " parameter formats but " + std::to_string(out->parameters.size()) +
                     " parameters");
  return Status();
}

Status DecodeDescribeOrClose(std::string_view body, TargetMessage* out) {
  MessageReader r(body);
  out->kind = static_cast<char>(r.Byte());
  out->name = std::string(r.CString());
  Status st = Finish(r, "Describe/Close");
  if (!st.ok()) return st;
  if (out->kind != 'S' && out->kind != 'P')
    return Malformed("Describe/Close target must be 'S' or 'P'");
  return Status();
}

Status DecodeExecute(std::string_view body, ExecuteMessage* out) {
  MessageReader r(body);
  out->portal = std::string(r.CString());
  out->max_rows = r.Int32();
  return Finish(r, "Execute");
}

Status DecodeString(std::string_view body, std::string* out) {
  MessageReader r(body);
  *out = std::string(r.CString());
  return Finish(r, "string");
}

Status DecodeSaslInitial(std::string_view body, std::string* mechanism, std::string* data) {
  MessageReader r(body);
  *mechanism = std::string(r.CString());
  int32_t len = r.Int32();
  data->clear();
  if (r.ok() && len != -1) {
    if (len < 0 || static_cast<size_t>(len) > r.remaining())
      return Malformed("SASLInitialResponse has a bad length");
    *data = std::string(r.Bytes(static_cast<size_t>(len)));
  }
  return Finish(r, "SASLInitialResponse");
}

Status CheckMessageLength(int32_t length, int64_t max_body) {
  if (length < 4) return Malformed("invalid message length " + std::to_string(length));
  if (static_cast<int64_t>(length) - 4 > max_body)
    return Status(ErrorCode::kOutOfMemory, "message of " + std::to_string(length) +
                                               " bytes exceeds the server's limit of " +
                                               std::to_string(max_body) + " bytes (--max-message-size)");
  return Status();
}

Status DecodeAnyFrontendMessage(char type, std::string_view body) {
  switch (type) {
    case 'Q': {
      std::string sql;
      return DecodeQuery(body, &sql);
    }
    case 'P': {
      ParseMessage m;
      return DecodeParse(body, &m);
    }
    case 'B': {
      BindMessage m;
      return DecodeBind(body, &m);
    }
    case 'D':
    case 'C': {
      TargetMessage m;
      return DecodeDescribeOrClose(body, &m);
    }
    case 'E': {
      ExecuteMessage m;
      return DecodeExecute(body, &m);
    }
    case 'f': {
      std::string s;
      return DecodeString(body, &s);
    }
    case 'p': {
      std::string mechanism, data, password;
      Status st = DecodeSaslInitial(body, &mechanism, &data);
      Status pw = DecodeString(body, &password);
      return st.ok() ? st : pw;
    }
    case 'S':
    case 'H':
    case 'X':
    case 'c':
      return body.empty() ? Status() : Malformed("message has trailing bytes");
    case 'd':
      return Status();
    default:
      return Malformed("unknown message type " + std::to_string(static_cast<unsigned char>(type)));
  }
}

std::optional<int16_t> FormatFor(const std::vector<int16_t>& formats, size_t i) {
  if (formats.empty()) return 0;
  if (formats.size() == 1) return formats[0];
  if (i < formats.size()) return formats[i];
  return std::nullopt;
}

void MessageWriter::Begin(char type) {
  start_ = out_.size();
  out_.push_back(type);
  out_.append(4, '\0');
}

void MessageWriter::Int16(int16_t v) {
  uint16_t u = static_cast<uint16_t>(v);
  out_.push_back(static_cast<char>(u >> 8));
  out_.push_back(static_cast<char>(u & 0xff));
}

void MessageWriter::Int32(int32_t v) {
  uint32_t u = static_cast<uint32_t>(v);
  for (int shift = 24; shift >= 0; shift -= 8) out_.push_back(static_cast<char>((u >> shift) & 0xff));
}

void MessageWriter::CString(std::string_view s) {
  size_t nul = s.find('\0');
  if (nul != std::string_view::npos) s = s.substr(0, nul);
  out_.append(s);
  out_.push_back('\0');
}

void MessageWriter::End() {
  uint32_t len = static_cast<uint32_t>(out_.size() - start_ - 1);
  for (int i = 0; i < 4; ++i) out_[start_ + 1 + i] = static_cast<char>((len >> (24 - 8 * i)) & 0xff);
}

void MessageWriter::AuthenticationOk() {
  Begin('R');
  Int32(0);
  End();
}

void MessageWriter::ParameterStatus(std::string_view name, std::string_view value) {
  Begin('S');
  CString(name);
  CString(value);
  End();
}

void MessageWriter::BackendKeyData(int32_t pid, int32_t secret) {
  Begin('K');
  Int32(pid);
  Int32(secret);
  End();
}

void MessageWriter::ReadyForQuery(char status) {
  Begin('Z');
  Byte(static_cast<uint8_t>(status));
  End();
}

void MessageWriter::CommandComplete(std::string_view tag) {
  Begin('C');
  CString(tag);
  End();
}

void MessageWriter::EmptyQueryResponse() {
  Begin('I');
  End();
}

void MessageWriter::Error(char type, std::string_view severity, std::string_view sqlstate,
                          std::string_view message, std::string_view detail) {
  Begin(type);
  Byte('S');
  CString(severity);
  Byte('V');
  CString(severity);
  Byte('C');
  CString(sqlstate);
  Byte('M');
  CString(message);
  if (!detail.empty()) {
    Byte('D');
    CString(detail);
  }
  Byte(0);
  End();
}

}  // namespace tslake::server
