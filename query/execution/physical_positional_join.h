// PhysicalPositionalJoin: DuckDB's POSITIONAL JOIN. Row i of the left input
// beside row i of the right one; when one side ends first, its columns are
// NULL for the other side's remaining rows. Output: left columns then
// right columns, at most kVectorSize rows a chunk. Thread-safety: one thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "query/execution/physical_operator.h"

namespace tsl::query {

class PhysicalPositionalJoin : public PhysicalOperator {
 public:
  PhysicalPositionalJoin(std::unique_ptr<PhysicalOperator> left,
                         std::unique_ptr<PhysicalOperator> right);
  bool Next(DataChunk* out) override;
  std::string Explain() const override { return "POSITIONAL_JOIN"; }

 private:
  // One side's current chunk and how far it was read.
  struct Side {
    DataChunk chunk;
    size_t pos = 0;
    bool done = false;
  };
  // Makes `side` hold unread rows unless its input has ended.
  void Refill(size_t index);

  Side sides_[2];
  size_t left_width_ = 0;
};

}  // namespace tsl::query
