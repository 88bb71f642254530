// The rule that every committed value can be written to the statistics and
// read back: a TIMESTAMP inside the supported range (formats/timestamp.h)
// and a VARCHAR that is valid UTF-8 (formats/utf8.h). Readers and the
// appender check their values with the row's own location; the table write
// path (storage/partitioned_writer.cc) checks every batch again, so no
// path that forgot can commit such a value. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "formats/column_vector.h"
#include "formats/status.h"
#include "formats/types.h"

namespace tsl {

// Why `micros` cannot be stored, or "" when it can.
std::string TimestampRangeProblem(int64_t micros);

// The first row of `column` (a plain or dictionary-form vector) whose value
// cannot be stored; false when there is none. *reason describes the value
// ("invalid UTF-8 at byte 2 (0xff)", "... is outside the supported
// TIMESTAMP range ...").
bool FindUnstorableValue(const ColumnVector& column, size_t* row, std::string* reason);

// kInvalidArgument "<what>: column "c", row N: <reason>" (`what` e.g. a
// table's directory or `t.csv line 7`), naming the column, the row
// (1-based, plus `first_row`) and the reason, or OK when every value of
// `chunk` can be stored. `schema` names the columns.
Status CheckStorableValues(const DataChunk& chunk, const Schema& schema, std::string_view what,
                           int64_t first_row = 0);

}  // namespace tsl
