// libFuzzer driver: the transaction-log reader and replay (body in fuzz_targets.h).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tsl::fuzz::FuzzLogReader(data, size);
  return 0;
}
