// libFuzzer driver: the PostgreSQL wire-protocol decoder of `tslake serve`
// (body in fuzz_targets.h).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tsl::fuzz::FuzzPgProtocol(data, size);
  return 0;
}
