// The authentication exchange of a Session: trust, MD5
// (AuthenticationMD5Password) and SCRAM-SHA-256 (AuthenticationSASL,
// SASLContinue, SASLFinal). A wrong password and an unknown user get the
// same message after the same delay, and an unknown user goes through
// the whole SCRAM exchange with a made-up secret, so neither the answer
// nor its timing tells whether a user exists.
// Thread-safety: the session's thread.
#include <chrono>
#include <thread>

#include "server/auth.h"
#include "server/server.h"
#include "server/session.h"
#include "server/sqlstate.h"

namespace tslake::server {

namespace {

// "n=user,r=nonce" style attribute lookup.
std::string Attribute(const std::string& message, char name) {
  size_t pos = 0;
  while (pos <= message.size()) {
    size_t end = message.find(',', pos);
    if (end == std::string::npos) end = message.size();
    if (end - pos >= 2 && message[pos] == name && message[pos + 1] == '=')
      return message.substr(pos + 2, end - pos - 2);
    pos = end + 1;
  }
  return "";
}

}  // namespace

void Session::AuthenticationFailed(const std::string& user) {
  std::this_thread::sleep_for(std::chrono::milliseconds(server_->options().auth_failure_delay_ms));
  SendError(sqlstate::kInvalidPassword, "password authentication failed for user \"" + user + "\"", true);
  Flush();
}

bool Session::Authenticate(const std::string& user) {
  switch (server_->options().auth) {
    case AuthMethod::kTrust: return true;
    case AuthMethod::kMd5: return AuthenticateMd5(user);
    case AuthMethod::kScram: return AuthenticateScram(user);
  }
  return false;
}

bool Session::AuthenticateMd5(const std::string& user) {
  const std::string salt = RandomBytes(4);
  out_.Begin('R');
  out_.Int32(5);
  out_.Bytes(salt);
  out_.End();
  if (!Flush() || !ReadMessage()) return false;
  std::string password;
  if (type_ != 'p' || !DecodeString(body_, &password).ok()) {
    SendError(sqlstate::kProtocolViolation, "expected a password message", true);
    Flush();
    return false;
  }
  const UserEntry* entry = server_->users() ? server_->users()->Find(user) : nullptr;
  // Computed for unknown users too, so both paths cost the same.
  std::string expected = "md5" + Md5Hex((entry ? entry->md5 : std::string(32, '0')) + salt);
  if (entry == nullptr || !ConstantTimeEquals(password, expected)) {
    AuthenticationFailed(user);
    return false;
  }
  return true;
}

bool Session::AuthenticateScram(const std::string& user) {
  out_.Begin('R');
  out_.Int32(10);
  out_.CString("SCRAM-SHA-256");
  out_.Byte(0);
  out_.End();
  if (!Flush() || !ReadMessage()) return false;
  std::string mechanism, client_first;
  if (type_ != 'p' || !DecodeSaslInitial(body_, &mechanism, &client_first).ok() ||
      mechanism != "SCRAM-SHA-256") {
    SendError(sqlstate::kProtocolViolation, "expected a SASLInitialResponse for SCRAM-SHA-256", true);
    Flush();
    return false;
  }
  // client-first-message = gs2-header client-first-message-bare; the
  // header is "n,," (no channel binding) or "y,," (client could, server
  // does not offer it). "p=..." asks for binding we do not advertise.
  if (client_first.size() < 3 || (client_first[0] != 'n' && client_first[0] != 'y') ||
      client_first[1] != ',') {
    SendError(sqlstate::kProtocolViolation, "malformed SCRAM client-first-message", true);
    Flush();
    return false;
  }
  size_t second_comma = client_first.find(',', 2);
  if (second_comma == std::string::npos) {
    SendError(sqlstate::kProtocolViolation, "malformed SCRAM client-first-message", true);
    Flush();
    return false;
  }
  const std::string gs2_header = client_first.substr(0, second_comma + 1);
  const std::string client_first_bare = client_first.substr(second_comma + 1);
  const std::string client_nonce = Attribute(client_first_bare, 'r');
  if (client_nonce.empty()) {
    SendError(sqlstate::kProtocolViolation, "SCRAM client-first-message has no nonce", true);
    Flush();
    return false;
  }
  const UserEntry* entry = server_->users() ? server_->users()->Find(user) : nullptr;
  const ScramSecret secret = entry ? entry->scram : server_->users() ? server_->users()->FakeScramSecret(user)
                                                                     : ScramSecret{};
  const std::string nonce = client_nonce + Base64Encode(RandomBytes(18));
  const std::string server_first =
      "r=" + nonce + ",s=" + Base64Encode(secret.salt) + ",i=" + std::to_string(secret.iterations);
  out_.Begin('R');
  out_.Int32(11);
  out_.Bytes(server_first);
  out_.End();
  if (!Flush() || !ReadMessage()) return false;
  if (type_ != 'p') {
    SendError(sqlstate::kProtocolViolation, "expected a SASLResponse", true);
    Flush();
    return false;
  }
  const std::string client_final = body_;
  size_t proof_at = client_final.rfind(",p=");
  if (proof_at == std::string::npos) {
    SendError(sqlstate::kProtocolViolation, "SCRAM client-final-message has no proof", true);
    Flush();
    return false;
  }
  const std::string without_proof = client_final.substr(0, proof_at);
  std::optional<std::string> proof = Base64Decode(client_final.substr(proof_at + 3));
  if (Attribute(without_proof, 'r') != nonce || Attribute(without_proof, 'c') != Base64Encode(gs2_header) ||
      !proof || proof->size() != 32) {
    AuthenticationFailed(user);
    return false;
  }
  const std::string auth_message = client_first_bare + "," + server_first + "," + without_proof;
  const std::string client_signature = HmacSha256(secret.stored_key, auth_message);
  std::string client_key(32, '\0');
  for (size_t i = 0; i < 32; ++i) client_key[i] = static_cast<char>((*proof)[i] ^ client_signature[i]);
  if (entry == nullptr || !ConstantTimeEquals(Sha256(client_key), secret.stored_key)) {
    AuthenticationFailed(user);
    return false;
  }
  out_.Begin('R');
  out_.Int32(12);
  out_.Bytes("v=" + Base64Encode(HmacSha256(secret.server_key, auth_message)));
  out_.End();
  return true;
}

}  // namespace tslake::server
