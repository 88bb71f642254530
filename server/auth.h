// Password authentication: the users file and the arithmetic of MD5 and
// SCRAM-SHA-256 (RFC 5802 / RFC 7677, as PostgreSQL speaks it) on
// OpenSSL's primitives. The message exchange itself is in session.cc.
//
// Users file: one `name:password` a line; '#' lines and blank lines are
// ignored. Passwords are kept in memory only as what each method needs
// (SCRAM: salted StoredKey/ServerKey; MD5: md5(password || name)).
// Thread-safety: a UserStore is immutable after Load, so shared freely.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace tslake::server {

enum class AuthMethod { kTrust, kMd5, kScram };

// SCRAM-SHA-256's stored form of a password.
struct ScramSecret {
  std::string salt;  // raw bytes
  int iterations = 4096;
  std::string stored_key;  // H(HMAC(SaltedPassword, "Client Key"))
  std::string server_key;  // HMAC(SaltedPassword, "Server Key")
};

struct UserEntry {
  std::string md5;  // hex md5(password || name), PostgreSQL's stored md5 hash without "md5"
  ScramSecret scram;
};

class UserStore {
 public:
  // nullptr with *error set when the file cannot be read or a line has no ':'.
  static std::unique_ptr<UserStore> Load(const std::string& path, std::string* error);
  static std::unique_ptr<UserStore> FromMap(const std::map<std::string, std::string>& passwords);
  // nullptr for an unknown user.
  const UserEntry* Find(const std::string& user) const;
  // A made-up secret for an unknown user, stable per name, so the SCRAM
  // exchange looks the same as for a real user (no user enumeration).
  ScramSecret FakeScramSecret(const std::string& user) const;

 private:
  std::map<std::string, UserEntry> users_;
  std::string fake_key_;  // random per process
};

std::string Md5Hex(const std::string& data);
std::string Base64Encode(const std::string& raw);
// nullopt when `text` is not valid base64.
std::optional<std::string> Base64Decode(const std::string& text);
std::string RandomBytes(size_t n);
std::string HmacSha256(const std::string& key, const std::string& data);
std::string Sha256(const std::string& data);
ScramSecret MakeScramSecret(const std::string& password, const std::string& salt, int iterations);
// Compares in time independent of where the strings differ.
bool ConstantTimeEquals(const std::string& a, const std::string& b);

}  // namespace tslake::server
