// libFuzzer driver: the Ignition sqlt_data + sqlth_te reader (body in fuzz_targets.h).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tsl::fuzz::FuzzIgnitionReader(data, size);
  return 0;
}
