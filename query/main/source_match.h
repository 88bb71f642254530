// SourceMatcher: the pairing of target rows with the rows of a materialized
// source under a predicate, shared by DELETE ... USING (maintenance_executor.cc)
// and MERGE INTO (merge_executor.cc). The predicate is bound over the target's
// columns followed by the source's (a BindRowExpression scope of two tables).
// Its conjuncts `target.col = source.col` over a type whose equality is
// exact (not DOUBLE, where -0.0 = 0.0) form the key of a hash table on the
// source rows, all of them together (MERGE's `ON t.tag = s.tag AND t.ts =
// s.ts` finds the one source row of a point, not every row of its tag);
// without such a conjunct every source row is a candidate.
// Candidates are evaluated kVectorSize pairs at a time, so a cross product
// never materializes at once. Thread-safety: one thread.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "formats/column_vector.h"
#include "query/binder/bound_expression.h"

namespace tsl::query {

struct ExecutionContext;

class SourceMatcher {
 public:
  // `source`: the source's rows, strings materialized (not dictionary form).
  // `predicate` may be null (every pair matches); it must outlive the matcher.
  SourceMatcher(DataChunk source, const BoundExpression* predicate,
                std::vector<TypeId> target_types, const ExecutionContext* ctx);

  const DataChunk& source() const { return source_; }
  size_t source_rows() const { return source_.size(); }
  // The target's types then the source's: the layout of the pairs chunk.
  const std::vector<TypeId>& pair_types() const { return pair_types_; }
  // The hash key's (target column, source column) pairs; empty when the
  // predicate has no usable equality.
  const std::vector<std::pair<int, int>>& key_columns() const { return keys_; }

  // The matching pairs of target rows `in` (strings materialized), in
  // target row order and, per target row, in source order; `emit` gets
  // them in batches of at most kVectorSize: the pairs' values (target
  // columns then source columns) and each pair's target and source row.
  using Emit = std::function<void(const DataChunk& pairs, const std::vector<uint32_t>& target,
                                  const std::vector<uint32_t>& source)>;
  void Match(const DataChunk& in, const Emit& emit);

 private:
  void Flush(const DataChunk& in, const Emit& emit);

  DataChunk source_;
  const BoundExpression* predicate_;
  std::vector<TypeId> target_types_, pair_types_;
  const ExecutionContext* ctx_;
  std::vector<std::pair<int, int>> keys_;  // (target column, source column)
  std::vector<int> source_key_columns_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_key_;
  std::vector<uint32_t> cand_target_, cand_source_, sel_, out_target_, out_source_;
};

}  // namespace tsl::query
