// Users file, MD5 and SCRAM-SHA-256 primitives. See auth.h.
#include "server/auth.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <fstream>

namespace tslake::server {

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    // RAND_bytes only fails when the CSPRNG cannot be seeded; refusing to
    // run is safer than weak salts and nonces.
    std::abort();
  }
  return out;
}

std::string Md5Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

std::string Sha256(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return std::string(reinterpret_cast<char*>(digest), SHA256_DIGEST_LENGTH);
}

std::string HmacSha256(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &len);
  return std::string(reinterpret_cast<char*>(digest), len);
}

std::string Base64Encode(const std::string& raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(const std::string& text) {
  if (text.size() % 4 != 0 || text.size() > (1 << 20)) return std::nullopt;
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '='))
      return std::nullopt;
  std::string out(text.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t len = static_cast<size_t>(n);
  // EVP_DecodeBlock counts padding as zero bytes.
  if (!text.empty() && text.back() == '=') --len;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

ScramSecret MakeScramSecret(const std::string& password, const std::string& salt, int iterations) {
  unsigned char salted[SHA256_DIGEST_LENGTH];
  // Passwords are used as given (no SASLprep): ASCII passwords, which is
  // what SASLprep leaves unchanged, behave exactly as in PostgreSQL.
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                    iterations, EVP_sha256(), SHA256_DIGEST_LENGTH, salted);
  std::string salted_password(reinterpret_cast<char*>(salted), SHA256_DIGEST_LENGTH);
  ScramSecret s;
  s.salt = salt;
  s.iterations = iterations;
  s.stored_key = Sha256(HmacSha256(salted_password, "Client Key"));
  s.server_key = HmacSha256(salted_password, "Server Key");
  return s;
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::unique_ptr<UserStore> UserStore::FromMap(const std::map<std::string, std::string>& passwords) {
  auto store = std::unique_ptr<UserStore>(new UserStore());
  store->fake_key_ = RandomBytes(32);
  for (const auto& [name, password] : passwords) {
    UserEntry e;
    e.md5 = Md5Hex(password + name);
    e.scram = MakeScramSecret(password, RandomBytes(16), 4096);
    store->users_[name] = std::move(e);
  }
  return store;
}

std::unique_ptr<UserStore> UserStore::Load(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read users file " + path;
    return nullptr;
  }
  std::map<std::string, std::string> passwords;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
      *error = path + " line " + std::to_string(number) + ": expected name:password";
      return nullptr;
    }
    passwords[line.substr(0, colon)] = line.substr(colon + 1);
  }
  return FromMap(passwords);
}

const UserEntry* UserStore::Find(const std::string& user) const {
  auto it = users_.find(user);
  return it == users_.end() ? nullptr : &it->second;
}

ScramSecret UserStore::FakeScramSecret(const std::string& user) const {
  ScramSecret s;
  s.salt = HmacSha256(fake_key_, "salt:" + user).substr(0, 16);
  s.stored_key = HmacSha256(fake_key_, "stored:" + user);
  s.server_key = HmacSha256(fake_key_, "server:" + user);
  return s;
}

}  // namespace tslake::server
