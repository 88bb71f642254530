// libFuzzer driver: the whole SQL path on an in-memory table (body in fuzz_targets.h).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tsl::fuzz::FuzzSqlQuery(data, size);
  return 0;
}
