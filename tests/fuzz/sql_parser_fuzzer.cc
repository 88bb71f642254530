// libFuzzer driver: the SQL tokenizer and parser (body in fuzz_targets.h).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tsl::fuzz::FuzzSqlParser(data, size);
  return 0;
}
