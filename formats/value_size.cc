// The maximum value size. See value_size.h.
#include "formats/value_size.h"

namespace tsl {

std::string ValueSizeError(size_t n) {
  return "VARCHAR value of " + std::to_string(n) + " bytes is over the maximum value size of " +
         std::to_string(kMaxValueBytes) + " bytes (1 GiB)";
}

Status CheckValueSizes(const DataChunk& chunk) {
  for (const ColumnVector& c : chunk.columns) {
    for (const std::vector<std::string>* strings : {&c.strings, &c.dictionary}) {
      for (const std::string& s : *strings) {
        if (s.size() > kMaxValueBytes) return Status::InvalidArgument(ValueSizeError(s.size()));
      }
    }
  }
  return Status::OK();
}

}  // namespace tsl
