// libFuzzer driver: the JSON lines reader (body in fuzz_targets.h).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tsl::fuzz::FuzzJsonlReader(data, size);
  return 0;
}
