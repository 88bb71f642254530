// QueryResult accessors. See query_engine.h.
#include "query/main/query_engine.h"

namespace tsl::query {

int64_t QueryResult::row_count() const {
  int64_t n = 0;
  for (const DataChunk& c : chunks) n += static_cast<int64_t>(c.size());
  return n;
}

Value QueryResult::GetValue(size_t column, int64_t row) const {
  for (const DataChunk& c : chunks) {
    if (row < static_cast<int64_t>(c.size())) {
      Value v = c.columns[column].GetValue(static_cast<size_t>(row));
      return v;
    }
    row -= static_cast<int64_t>(c.size());
  }
  return Value::Null(column < schema.size() ? schema.fields[column].type : TypeId::kNull);
}

}  // namespace tsl::query
