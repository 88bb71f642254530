// The maximum value size: the largest VARCHAR value tslake computes or
// stores is 1 GiB (DuckDB's limit is 4 GiB). Tables refuse longer values
// (storage's PartitionedWriter, under INSERT, COPY and the appender),
// string functions fail before building one (repeat, lpad/rpad) or as soon
// as one is built (concat, ||, replace, ...), each with an error naming the
// limit. Thread-safety: stateless.
#pragma once

#include <cstddef>
#include <string>

#include "formats/column_vector.h"
#include "formats/status.h"

namespace tsl {

constexpr size_t kMaxValueBytes = size_t{1} << 30;

// "VARCHAR value of N bytes is over the maximum value size of 1073741824
// bytes (1 GiB)".
std::string ValueSizeError(size_t n);

// kInvalidArgument (ValueSizeError) when a string of `chunk`, or of a
// dictionary-form column's dictionary, is longer than kMaxValueBytes.
Status CheckValueSizes(const DataChunk& chunk);

}  // namespace tsl
