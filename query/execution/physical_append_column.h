// PhysicalAppendColumn: its input's columns plus one BIGINT, either the row
// number (0, 1, ... over the whole stream) or the constant 1 as a marker.
// PhysicalSemiJoin numbers its left rows and marks its right ones with it.
// Thread-safety: one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalAppendColumn : public PhysicalOperator {
 public:
  PhysicalAppendColumn(std::unique_ptr<PhysicalOperator> input, bool row_number);
  bool Next(DataChunk* out) override;
  std::string Explain() const override { return row_number_ ? "ROW_NUMBER" : "MARKER"; }

 private:
  bool row_number_;
  int64_t next_ = 0;
};

}  // namespace tsl::query
