// GROUPING SETS' expansion. See physical_grouping_set_expand.h.
#include "query/execution/physical_grouping_set_expand.h"

#include "query/execution/expression_executor.h"

namespace tsl::query {
namespace {

std::vector<TypeId> ExpandTypes(const std::vector<TypeId>& input,
                                const std::vector<BoundExpressionPtr>& keys) {
  std::vector<TypeId> types = input;
  for (const auto& k : keys) types.push_back(k->type);
  types.push_back(TypeId::kBigint);  // set index
  types.push_back(TypeId::kBigint);  // absent mask
  return types;
}

}  // namespace

int64_t PhysicalGroupingSetExpand::AbsentMask(const std::vector<int>& set, size_t keys) {
  int64_t mask = 0;
  for (size_t i = 0; i < keys; ++i) mask |= int64_t{1} << i;
  for (int i : set) mask &= ~(int64_t{1} << i);
  return mask;
}

PhysicalGroupingSetExpand::PhysicalGroupingSetExpand(std::unique_ptr<PhysicalOperator> child,
                                                     std::vector<BoundExpressionPtr> keys,
                                                     std::vector<std::vector<int>> sets)
    : PhysicalOperator(ExpandTypes(child->types(), keys)),
      keys_(std::move(keys)),
      sets_(std::move(sets)),
      next_set_(sets_.size()) {
  for (const auto& s : sets_) masks_.push_back(AbsentMask(s, keys_.size()));
  AddChild(std::move(child));
}

bool PhysicalGroupingSetExpand::Next(DataChunk* out) {
  if (next_set_ == sets_.size()) {
    if (!child()->Next(&input_)) return false;
    key_values_.resize(keys_.size());
    for (size_t i = 0; i < keys_.size(); ++i) {
      ExpressionExecutor::Execute(*keys_[i], input_, input_.size(), &key_values_[i]);
    }
    next_set_ = 0;
  }
  const size_t s = next_set_++;
  const size_t n = input_.size();
  const size_t width = input_.columns.size();
  out->columns.resize(types_.size());
  // The last set takes the input's columns; the others copy them.
  for (size_t c = 0; c < width; ++c) {
    if (next_set_ == sets_.size()) {
      out->columns[c] = std::move(input_.columns[c]);
    } else {
      out->columns[c] = input_.columns[c];
    }
  }
  std::vector<bool> kept(keys_.size(), false);
  for (int i : sets_[s]) kept[static_cast<size_t>(i)] = true;
  for (size_t i = 0; i < keys_.size(); ++i) {
    ColumnVector& col = out->columns[width + i];
    if (kept[i]) {
      col = key_values_[i];
    } else {
      col = ColumnVector(keys_[i]->type);
      col.Resize(n);  // every row NULL
    }
  }
  ColumnVector& index = out->columns[width + keys_.size()];
  ColumnVector& mask = out->columns[width + keys_.size() + 1];
  index = ColumnVector(TypeId::kBigint);
  mask = ColumnVector(TypeId::kBigint);
  index.ints.assign(n, static_cast<int64_t>(s));
  index.valid.assign(n, 1);
  mask.ints.assign(n, masks_[s]);
  mask.valid.assign(n, 1);
  return true;
}

std::string PhysicalGroupingSetExpand::Explain() const {
  std::string out = "GROUPING_SETS [";
  for (size_t s = 0; s < sets_.size(); ++s) {
    out += s ? ", (" : "(";
    for (size_t j = 0; j < sets_[s].size(); ++j) {
      out += (j ? ", " : "") + keys_[static_cast<size_t>(sets_[s][j])]->ToString();
    }
    out += ")";
  }
  return out + "]";
}

}  // namespace tsl::query
