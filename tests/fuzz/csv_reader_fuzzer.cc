// libFuzzer driver: the streaming CSV reader (body in fuzz_targets.h).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tsl::fuzz::FuzzCsvReader(data, size);
  return 0;
}
