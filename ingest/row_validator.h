// RowValidator: the checks every value passes when it is appended, so that
// a flush never fails because of a row's content (issue 23): a row or batch
// that would make the commit fail (a timestamp outside the supported range,
// a partition key the table cannot name, invalid UTF-8) is refused when it
// is appended, naming the column, and the rows appended before it still
// commit. Also ConvertExactly: the appender's value conversions, which
// refuse any conversion that would change the value (1.5 into an INTEGER,
// 2^53+1 into a DOUBLE, '1.5' into an INTEGER, 0.5 into a BOOLEAN).
// Thread-safety: a RowValidator is read-only after construction except for
// its partition-range cache; one thread at a time (its Appender's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "formats/column_vector.h"
#include "formats/status.h"
#include "formats/timestamp.h"  // the supported TIMESTAMP range
#include "formats/types.h"
#include "formats/utf8.h"
#include "formats/value.h"
#include "storage/partition_spec.h"

namespace tsl {

// `v` converted to `to` when the conversion keeps the value exactly; else
// kInvalidArgument ("Conversion Error: ..."). NULL converts to a NULL of
// `to`; text converts by parsing (an integer column takes only integer
// text).
Result<Value> ConvertExactly(const Value& v, TypeId to);

class RowValidator {
 public:
  RowValidator() = default;
  RowValidator(const Schema& schema, PartitionSpec partition);

  // kInvalidArgument naming the column when `v` (already of the column's
  // type) cannot be stored: see the file comment.
  Status CheckValue(size_t column, const Value& v);
  // As CheckValue for every row of `chunk` (columns of the schema's
  // types); the message names the row.
  Status CheckChunk(const DataChunk& chunk);

 private:
  Status CheckTimestamp(size_t column, int64_t micros);
  Status CheckString(size_t column, std::string_view s);

  Schema schema_;
  PartitionSpec partition_;
  // The last partition's [lo, hi): timestamps inside it need no check.
  int64_t partition_lo_ = 1, partition_hi_ = 0;
};

}  // namespace tsl
