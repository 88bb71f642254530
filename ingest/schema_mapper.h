// SchemaMapper: turns a reader's native chunks (its own columns, e.g.
// tag, ts, value, text_value, good, ...) into the columns of a COPY target
// table. Target columns are matched by name, case-insensitively; a target
// column the reader does not produce is NULL; a type difference is cast
// value by value (Value::CastTo, DuckDB's rules). Without a target the
// native chunk passes through unchanged (moved, not copied).
//
// Errors: kInvalidArgument when the target shares no column with the
// reader, or a value cannot be cast: `x.json: column "quality": ...`.
// Thread-safety: one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "formats/status.h"
#include "formats/types.h"

namespace tsl {

class SchemaMapper {
 public:
  // `reader` names the source in errors ("read_piwebapi(x.json)").
  static Result<SchemaMapper> Make(const Schema& native, const std::optional<Schema>& target,
                                   std::string reader);

  // The schema the reader reports: the target's when set.
  const Schema& output_schema() const { return output_; }
  // Moves or converts `native` into `out`.
  Status Map(DataChunk* native, DataChunk* out) const;

 private:
  Schema native_;
  Schema output_;
  bool identity_ = true;
  std::vector<int> source_;  // per output column: native column or -1
  std::string reader_;
};

}  // namespace tsl
