// libFuzzer driver: the grammar fuzzer's generator driven by the input bytes (body in fuzz_targets.h).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tsl::fuzz::FuzzSqlGrammar(data, size);
  return 0;
}
