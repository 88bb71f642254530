// UNION / INTERSECT / EXCEPT [ALL]. See physical_set_operation.h.
#include "query/execution/physical_set_operation.h"

#include "query/common/query_error.h"
#include "query/execution/row_key.h"

namespace tsl::query {

PhysicalSetOperation::PhysicalSetOperation(std::vector<std::unique_ptr<PhysicalOperator>> inputs,
                                           SetOpKind kind, std::string name)
    : PhysicalOperator(inputs.front()->types()), kind_(kind), name_(std::move(name)) {
  const bool is_union = kind_ == SetOpKind::kUnion || kind_ == SetOpKind::kUnionAll;
  if (inputs.size() < 2 || (!is_union && inputs.size() != 2)) {
    throw QueryError(ErrorKind::kInternal, name_ + " with " + std::to_string(inputs.size()) +
                                               " inputs");
  }
  for (auto& input : inputs) AddChild(std::move(input));
}

void PhysicalSetOperation::BuildRight() {
  right_built_ = true;
  DataChunk chunk;
  while (children_[1]->Next(&chunk)) {
    int64_t added = 0;
    for (size_t i = 0; i < chunk.size(); ++i) {
      std::string key = RowKey(chunk, i, nullptr);
      auto [it, inserted] = right_counts_.try_emplace(std::move(key), 0);
      ++it->second;
      if (inserted) added += KeyBytes(it->first);
    }
    memory_.Grow(added);
  }
}

bool PhysicalSetOperation::Next(DataChunk* out) {
  const bool is_union = kind_ == SetOpKind::kUnion || kind_ == SetOpKind::kUnionAll;
  if (!is_union && !right_built_) BuildRight();
  while (true) {
    PhysicalOperator* source = children_[current_].get();
    if (!source->Next(&input_)) {
      if (is_union && current_ + 1 < children_.size()) {
        ++current_;
        continue;
      }
      return false;
    }
    const size_t n = input_.size();
    if (kind_ == SetOpKind::kUnionAll) {
      *out = std::move(input_);
      input_ = DataChunk();
      return true;
    }
    sel_.clear();
    size_t seen_count = seen_.size();
    int64_t added = 0;
    for (size_t i = 0; i < n; ++i) {
      std::string key = RowKey(input_, i, nullptr);
      const int64_t key_bytes = KeyBytes(key);
      bool keep = false;
      switch (kind_) {
        case SetOpKind::kUnion:
          keep = seen_.insert(std::move(key)).second;
          break;
        case SetOpKind::kIntersect: {
          auto it = right_counts_.find(key);
          keep = it != right_counts_.end() && seen_.insert(std::move(key)).second;
          break;
        }
        case SetOpKind::kIntersectAll: {
          auto it = right_counts_.find(key);
          if (it != right_counts_.end() && it->second > 0) {
            --it->second;
            keep = true;
          }
          break;
        }
        case SetOpKind::kExcept:
          keep = !right_counts_.count(key) && seen_.insert(std::move(key)).second;
          break;
        case SetOpKind::kExceptAll: {
          auto it = right_counts_.find(key);
          if (it != right_counts_.end() && it->second > 0) {
            --it->second;
          } else {
            keep = true;
          }
          break;
        }
        case SetOpKind::kUnionAll:
          keep = true;
          break;
      }
      if (keep) sel_.push_back(static_cast<uint32_t>(i));
      if (seen_.size() != seen_count) {
        seen_count = seen_.size();
        added += key_bytes;
      }
    }
    memory_.Grow(added);
    if (EmitSelection(input_, sel_, types_, out)) return true;
  }
}

}  // namespace tsl::query
