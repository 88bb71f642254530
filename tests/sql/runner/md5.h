// md5: the MD5 digest (RFC 1321) as 32 lower-case hex digits. The
// sqllogictest runner needs it for DuckDB's "N values hashing to H" result
// form, which is the MD5 of the result values, each followed by "\n".
// Not for security: MD5 is broken as a cryptographic hash.
//
// Thread-safety: an Md5 object belongs to one thread; distinct objects are
// independent.
#ifndef TSLAKE_TESTS_SQL_RUNNER_MD5_H_
#define TSLAKE_TESTS_SQL_RUNNER_MD5_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace tslake_test {

class Md5 {
 public:
  Md5();
  void Add(std::string_view data);
  // The digest of everything added; the object must not be used afterwards.
  std::string FinishHex();

 private:
  void Block(const unsigned char* block);

  uint32_t state_[4];
  uint64_t length_ = 0;  // bytes added so far
  unsigned char buffer_[64];
  size_t buffered_ = 0;
};

}  // namespace tslake_test

#endif  // TSLAKE_TESTS_SQL_RUNNER_MD5_H_
