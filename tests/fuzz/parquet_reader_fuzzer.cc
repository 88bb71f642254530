// libFuzzer driver: the Parquet reader (body in fuzz_targets.h).
#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tsl::fuzz::FuzzParquetReader(data, size);
  return 0;
}
