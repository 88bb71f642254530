// SourceMatcher: see source_match.h.
#include "query/main/source_match.h"

#include "query/execution/expression_executor.h"
#include "query/execution/physical_operator.h"
#include "query/main/file_coverage.h"

namespace tsl::query {
namespace {

// Appends the hash key part of row `row` of `col` to `key` (REQUIRES: not
// NULL, strings not in dictionary form); a string is length-prefixed so the
// parts of a composite key cannot run into each other.
void AppendKey(const ColumnVector& col, size_t row, std::string* key) {
  if (PhysicalClassOf(col.type) == PhysicalClass::kString) {
    const std::string& s = col.strings[row];
    const uint64_t n = s.size();
    key->append(reinterpret_cast<const char*>(&n), sizeof n);
    key->append(s);
    return;
  }
  const int64_t v = col.ints[row];
  key->append(reinterpret_cast<const char*>(&v), sizeof v);
}

// The key of row `row` over `columns` of `chunk`; false when one is NULL
// (a NULL equals nothing).
bool KeyOf(const DataChunk& chunk, const std::vector<int>& columns, size_t row,
           std::string* key) {
  key->clear();
  for (int c : columns) {
    const ColumnVector& col = chunk.columns[static_cast<size_t>(c)];
    if (col.IsNull(row)) return false;
    AppendKey(col, row, key);
  }
  return true;
}

}  // namespace

SourceMatcher::SourceMatcher(DataChunk source, const BoundExpression* predicate,
                             std::vector<TypeId> target_types, const ExecutionContext* ctx)
    : source_(std::move(source)),
      predicate_(predicate),
      target_types_(std::move(target_types)),
      ctx_(ctx) {
  pair_types_ = target_types_;
  for (const ColumnVector& c : source_.columns) pair_types_.push_back(c.type);
  if (predicate_ == nullptr) return;
  const int t = static_cast<int>(target_types_.size());
  std::vector<const BoundExpression*> conjuncts;
  Conjuncts(*predicate_, &conjuncts);
  for (const BoundExpression* c : conjuncts) {
    if (c->kind != BoundKind::kOperator || c->op != OpCode::kEq || c->children.size() != 2) continue;
    const BoundExpression* a = c->children[0].get();
    const BoundExpression* b = c->children[1].get();
    if (a->kind != BoundKind::kColumnRef || b->kind != BoundKind::kColumnRef) continue;
    if (a->type != b->type || PhysicalClassOf(a->type) == PhysicalClass::kDouble) continue;
    if (a->column >= t) std::swap(a, b);
    if (a->column < t && b->column >= t) {
      keys_.emplace_back(a->column, b->column - t);
      source_key_columns_.push_back(b->column - t);
    }
  }
  if (keys_.empty()) return;
  std::string key;
  for (uint32_t j = 0; j < source_.size(); ++j) {
    if (KeyOf(source_, source_key_columns_, j, &key)) by_key_[key].push_back(j);
  }
}

void SourceMatcher::Match(const DataChunk& in, const Emit& emit) {
  const size_t n = in.size();
  const size_t m = source_.size();
  if (n == 0 || m == 0) return;
  std::vector<int> target_columns;
  for (const auto& [tc, sc] : keys_) target_columns.push_back(tc);
  std::string key;
  for (uint32_t i = 0; i < n; ++i) {
    const std::vector<uint32_t>* candidates = nullptr;
    if (!keys_.empty()) {
      if (!KeyOf(in, target_columns, i, &key)) continue;
      auto it = by_key_.find(key);
      if (it == by_key_.end()) continue;
      candidates = &it->second;
    }
    const size_t k = candidates ? candidates->size() : m;
    for (size_t j = 0; j < k; ++j) {
      cand_target_.push_back(i);
      cand_source_.push_back(candidates ? (*candidates)[j] : static_cast<uint32_t>(j));
      if (cand_target_.size() == kVectorSize) Flush(in, emit);
    }
  }
  Flush(in, emit);
}

void SourceMatcher::Flush(const DataChunk& in, const Emit& emit) {
  const size_t k = cand_target_.size();
  if (k == 0) return;
  if (ctx_ != nullptr) ctx_->CheckCancelled();
  const size_t t = target_types_.size();
  DataChunk pairs;
  pairs.Initialize(pair_types_);
  for (size_t c = 0; c < t; ++c) pairs.columns[c].AppendSelection(in.columns[c], cand_target_);
  for (size_t c = 0; c < source_.column_count(); ++c) {
    pairs.columns[t + c].AppendSelection(source_.columns[c], cand_source_);
  }
  if (predicate_ == nullptr) {
    emit(pairs, cand_target_, cand_source_);
  } else {
    sel_.clear();
    ExpressionExecutor::Select(*predicate_, pairs, k, &sel_);
    if (!sel_.empty()) {
      out_target_.clear();
      out_source_.clear();
      for (uint32_t i : sel_) {
        out_target_.push_back(cand_target_[i]);
        out_source_.push_back(cand_source_[i]);
      }
      if (sel_.size() == k) {
        emit(pairs, out_target_, out_source_);
      } else {
        DataChunk matched;
        matched.Initialize(pair_types_);
        for (size_t c = 0; c < pair_types_.size(); ++c) {
          matched.columns[c].AppendSelection(pairs.columns[c], sel_);
        }
        emit(matched, out_target_, out_source_);
      }
    }
  }
  cand_target_.clear();
  cand_source_.clear();
}

}  // namespace tsl::query
