// Serialized row keys for the hash sets of the set operations and DISTINCT
// ON (physical_set_operation.h, physical_distinct_on.h): a row's key is its
// columns' SerializeKey bytes, so NULLs compare equal and equal values of a
// type give equal keys. Also what such a set entry costs memory_limit, and
// emitting the selected rows of a chunk. Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "query/execution/physical_operator.h"

namespace tsl::query {

// The key of row `row` over `columns` (nullptr: every column).
std::string RowKey(const DataChunk& chunk, size_t row, const std::vector<int>* columns);

// A hash set or map entry holding `key`: node, std::string, heap copy.
int64_t KeyBytes(const std::string& key);

// Copies the rows `sel` of `input` into `out`; false when `sel` is empty.
bool EmitSelection(const DataChunk& input, const std::vector<uint32_t>& sel,
                   const std::vector<TypeId>& types, DataChunk* out);

}  // namespace tsl::query
