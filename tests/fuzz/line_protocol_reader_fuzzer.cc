// libFuzzer driver: the InfluxDB line protocol reader (body in fuzz_targets.h).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tsl::fuzz::FuzzLineProtocolReader(data, size);
  return 0;
}
