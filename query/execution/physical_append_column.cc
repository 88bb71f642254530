// PhysicalAppendColumn. See physical_append_column.h.
#include "query/execution/physical_append_column.h"

#include <utility>

namespace tsl::query {

PhysicalAppendColumn::PhysicalAppendColumn(std::unique_ptr<PhysicalOperator> input,
                                           bool row_number)
    : PhysicalOperator(input->types()), row_number_(row_number) {
  types_.push_back(TypeId::kBigint);
  AddChild(std::move(input));
}

bool PhysicalAppendColumn::Next(DataChunk* out) {
  if (!child()->Next(out)) return false;
  ColumnVector column(TypeId::kBigint);
  const size_t n = out->size();
  column.Reserve(n);
  for (size_t i = 0; i < n; ++i) column.AppendInt(row_number_ ? next_++ : 1);
  out->columns.push_back(std::move(column));
  return true;
}

}  // namespace tsl::query
