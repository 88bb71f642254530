// Serialized row keys. See row_key.h.
#include "query/execution/row_key.h"

#include "query/execution/physical_hash_aggregate.h"

namespace tsl::query {

std::string RowKey(const DataChunk& chunk, size_t row, const std::vector<int>* columns) {
  std::string key;
  if (columns) {
    for (int c : *columns) SerializeKey(VectorView{&chunk.columns[c], false}, row, &key);
  } else {
    for (const ColumnVector& c : chunk.columns) SerializeKey(VectorView{&c, false}, row, &key);
  }
  return key;
}

int64_t KeyBytes(const std::string& key) {
  return 64 + (key.size() > 15 ? static_cast<int64_t>(key.size()) + 1 : 0);
}

bool EmitSelection(const DataChunk& input, const std::vector<uint32_t>& sel,
                   const std::vector<TypeId>& types, DataChunk* out) {
  if (sel.empty()) return false;
  out->Initialize(types);
  for (size_t c = 0; c < input.columns.size(); ++c) {
    out->columns[c].AppendSelection(input.columns[c], sel);
  }
  return true;
}

}  // namespace tsl::query
