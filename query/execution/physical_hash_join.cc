// Hash and ASOF joins. See physical_hash_join.h.
#include "query/execution/physical_hash_join.h"

#include <algorithm>
#include <cstring>

#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"

namespace tsl::query {
namespace {

// 0: no columns; 1: only left (< width); 2: only right; 3: both.
int Sides(const BoundExpression& e, size_t width) {
  int s = 0;
  if (e.kind == BoundKind::kColumnRef) s |= static_cast<size_t>(e.column) < width ? 1 : 2;
  for (const auto& c : e.children) s |= Sides(*c, width);
  return s;
}

void Shift(BoundExpression* e, int by) {
  if (e->kind == BoundKind::kColumnRef) e->column -= by;
  for (auto& c : e->children) Shift(c.get(), by);
}

void Conjuncts(BoundExpressionPtr e, std::vector<BoundExpressionPtr>* out) {
  if (e->kind == BoundKind::kAnd) {
    for (auto& c : e->children) Conjuncts(std::move(c), out);
  } else {
    out->push_back(std::move(e));
  }
}

// Appends row `row` of the key columns to `key`; false when one is NULL.
bool KeyOf(const std::vector<ColumnVector>& cols, size_t row, std::string* key) {
  key->clear();
  for (const ColumnVector& c : cols) {
    if (c.IsNull(row)) return false;
    switch (PhysicalClassOf(c.type)) {
      case PhysicalClass::kInt64:
        key->append(reinterpret_cast<const char*>(&c.ints[row]), sizeof(int64_t));
        break;
      case PhysicalClass::kDouble: {
        double d = c.doubles[row] == 0 ? 0.0 : c.doubles[row];  // -0.0 == 0.0
        key->append(reinterpret_cast<const char*>(&d), sizeof(double));
        break;
      }
      case PhysicalClass::kString: {
        const uint32_t n = static_cast<uint32_t>(c.strings[row].size());
        key->append(reinterpret_cast<const char*>(&n), sizeof(n));
        key->append(c.strings[row]);
        break;
      }
    }
  }
  return true;
}

std::vector<ColumnVector> Eval(const std::vector<BoundExpressionPtr>& exprs, const DataChunk& in) {
  std::vector<ColumnVector> out(exprs.size());
  for (size_t i = 0; i < exprs.size(); ++i) ExpressionExecutor::Execute(*exprs[i], in, in.size(), &out[i]);
  return out;
}

const char* JoinName(JoinType t) {
  switch (t) {
    case JoinType::kInner:
      return "INNER";
    case JoinType::kLeft:
      return "LEFT";
    case JoinType::kRight:
      return "RIGHT";
    case JoinType::kFull:
      return "FULL";
    case JoinType::kCross:
      return "CROSS";
    case JoinType::kAsof:
      return "ASOF";
    case JoinType::kAsofLeft:
      return "ASOF LEFT";
  }
  return "?";
}

}  // namespace

PhysicalHashJoin::PhysicalHashJoin(std::unique_ptr<PhysicalOperator> left,
                                   std::unique_ptr<PhysicalOperator> right, JoinType type,
                                   BoundExpressionPtr condition, ExecutionContext ctx)
    : PhysicalOperator(left->types()), type_(type), ctx_(ctx) {
  left_width_ = left->types().size();
  for (TypeId t : right->types()) types_.push_back(t);
  explain_ = std::string(JoinName(type)) + "_JOIN";
  if (condition) explain_ += " " + condition->ToString();
  const bool asof = type == JoinType::kAsof || type == JoinType::kAsofLeft;
  std::vector<BoundExpressionPtr> conjuncts;
  if (condition) Conjuncts(std::move(condition), &conjuncts);
  const int lw = static_cast<int>(left_width_);
  for (auto& c : conjuncts) {
    const bool binary = c->kind == BoundKind::kOperator && c->children.size() == 2;
    int l = binary ? Sides(*c->children[0], left_width_) : 0;
    int r = binary ? Sides(*c->children[1], left_width_) : 0;
    OpCode op = binary ? c->op : OpCode::kAdd;
    if (binary && l == 2 && r == 1) {  // right <op> left: mirror
      std::swap(c->children[0], c->children[1]);
      std::swap(l, r);
      if (op == OpCode::kLe) op = OpCode::kGe;
      else if (op == OpCode::kLt) op = OpCode::kGt;
      else if (op == OpCode::kGe) op = OpCode::kLe;
      else if (op == OpCode::kGt) op = OpCode::kLt;
    }
    if (binary && l == 1 && r == 2 && op == OpCode::kEq) {
      left_keys_.push_back(std::move(c->children[0]));
      Shift(c->children[1].get(), lw);
      right_keys_.push_back(std::move(c->children[1]));
    } else if (asof && binary && l == 1 && r == 2 && !left_ineq_ &&
               (op == OpCode::kGe || op == OpCode::kGt)) {
      if (PhysicalClassOf(c->children[0]->type) != PhysicalClass::kInt64) {
        throw QueryError(ErrorKind::kBinder,
                         "ASOF JOIN inequality must compare TIMESTAMP or integer columns",
                         c->position);
      }
      ineq_strict_ = op == OpCode::kGt;
      left_ineq_ = std::move(c->children[0]);
      Shift(c->children[1].get(), lw);
      right_ineq_ = std::move(c->children[1]);
    } else {
      residual_.push_back(std::move(c));
    }
  }
  if (asof && (!left_ineq_ || !residual_.empty())) {
    throw QueryError(ErrorKind::kBinder,
                     "ASOF JOIN needs ON with equalities and one inequality left.ts >= right.ts "
                     "(or >), and nothing else");
  }
  AddChild(std::move(left));
  AddChild(std::move(right));
}

std::string PhysicalHashJoin::Explain() const { return explain_; }

void PhysicalHashJoin::Build() {
  built_ = true;
  PhysicalOperator* right = children_[1].get();
  build_.Initialize(right->types());
  DataChunk chunk;
  while (right->Next(&chunk)) {
    ctx_.CheckCancelled();
    memory_.Grow(ApproxChunkBytes(chunk));
    for (size_t c = 0; c < chunk.columns.size(); ++c) {
      build_.columns[c].AppendRange(chunk.columns[c], 0, chunk.size());
    }
  }
  const size_t n = build_.size();
  right_matched_.assign(n, 0);
  std::vector<ColumnVector> keys = Eval(right_keys_, build_);
  if (build_.columns.empty()) return;
  memory_.Grow(static_cast<int64_t>(n) * 48);  // hash table entries and row lists
  std::string key;
  ColumnVector ineq;
  if (right_ineq_) {
    ExpressionExecutor::Execute(*right_ineq_, build_, n, &ineq);
    build_ineq_.assign(ineq.ints.begin(), ineq.ints.end());
  }
  for (size_t i = 0; i < n; ++i) {
    if (!KeyOf(keys, i, &key)) continue;
    if (right_ineq_ && ineq.IsNull(i)) continue;
    table_[key].push_back(static_cast<uint32_t>(i));
  }
  if (right_ineq_) {
    for (auto& [k, rows] : table_) {
      std::stable_sort(rows.begin(), rows.end(),
                       [&](uint32_t a, uint32_t b) { return build_ineq_[a] < build_ineq_[b]; });
    }
  }
}

void PhysicalHashJoin::EmitPairs(const DataChunk& left, const std::vector<uint32_t>& li,
                                 const std::vector<uint32_t>& ri,
                                 const std::vector<uint8_t>& right_null) {
  for (size_t begin = 0; begin < li.size(); begin += kVectorSize) {
    const size_t end = std::min(li.size(), begin + kVectorSize);
    pending_.push_back(Gather(left, li, ri, right_null, begin, end));
  }
}

DataChunk PhysicalHashJoin::Gather(const DataChunk& left, const std::vector<uint32_t>& li,
                                   const std::vector<uint32_t>& ri,
                                   const std::vector<uint8_t>& right_null, size_t begin,
                                   size_t end) const {
  DataChunk out;
  out.Initialize(types_);
  bool padded = false;  // a NULL-padded side somewhere in [begin, end)
  for (size_t k = begin; k < end && !padded; ++k) padded = li[k] == UINT32_MAX || right_null[k];
  if (!padded) {
    // The common case: gather whole columns by row number.
    std::vector<uint32_t> sel(li.begin() + begin, li.begin() + end);
    for (size_t c = 0; c < left_width_; ++c) {
      out.columns[c].AppendSelection(left.columns[c], sel);
    }
    sel.assign(ri.begin() + begin, ri.begin() + end);
    for (size_t c = 0; c < build_.columns.size(); ++c) {
      out.columns[left_width_ + c].AppendSelection(build_.columns[c], sel);
    }
    return out;
  }
  for (size_t c = 0; c < left_width_; ++c) {
    ColumnVector& col = out.columns[c];
    for (size_t k = begin; k < end; ++k) {
      if (li[k] == UINT32_MAX) {
        col.AppendNull();
      } else {
        col.AppendRange(left.columns[c], li[k], li[k] + 1);
      }
    }
  }
  for (size_t c = 0; c < build_.columns.size(); ++c) {
    ColumnVector& col = out.columns[left_width_ + c];
    for (size_t k = begin; k < end; ++k) {
      if (right_null[k]) {
        col.AppendNull();
      } else {
        col.AppendRange(build_.columns[c], ri[k], ri[k] + 1);
      }
    }
  }
  return out;
}

void PhysicalHashJoin::StartProbe() {
  const size_t n = probe_.size();
  probe_keys_ = Eval(left_keys_, probe_);
  if (left_ineq_) ExpressionExecutor::Execute(*left_ineq_, probe_, n, &probe_ineq_);
  probe_row_ = 0;
  probe_match_ = 0;
  probe_rows_ = nullptr;
  probe_matched_.assign(n, 0);
  probing_ = true;
}

const std::vector<uint32_t>* PhysicalHashJoin::MatchesOf(size_t i) {
  static const std::vector<uint32_t> kNone;
  if (!KeyOf(probe_keys_, i, &key_)) return &kNone;
  auto it = table_.find(key_);
  if (it == table_.end()) return &kNone;
  if (!left_ineq_) return &it->second;
  // ASOF: the last right row with key <= t (or < t when strict), if any.
  const std::vector<uint32_t>& rows = it->second;
  if (probe_ineq_.IsNull(i)) return &kNone;
  const int64_t t = probe_ineq_.ints[i];
  auto pos = ineq_strict_
                 ? std::lower_bound(rows.begin(), rows.end(), t,
                                    [&](uint32_t r, int64_t v) { return build_ineq_[r] < v; })
                 : std::upper_bound(rows.begin(), rows.end(), t,
                                    [&](int64_t v, uint32_t r) { return v < build_ineq_[r]; });
  if (pos == rows.begin()) return &kNone;
  asof_match_.assign(1, *(pos - 1));
  return &asof_match_;
}

void PhysicalHashJoin::ProbeSome() {
  // At most one vector of candidate pairs per call, resuming inside a
  // left row's matches, so a cross product or a key with many rows never
  // builds more than a chunk of pairs at a time.
  const size_t n = probe_.size();
  std::vector<uint32_t> li, ri;
  while (probe_row_ < n && li.size() < kVectorSize) {
    if (probe_rows_ == nullptr) probe_rows_ = MatchesOf(probe_row_);
    const std::vector<uint32_t>& rows = *probe_rows_;
    const size_t take = std::min(rows.size() - probe_match_, kVectorSize - li.size());
    li.insert(li.end(), take, static_cast<uint32_t>(probe_row_));
    ri.insert(ri.end(), rows.begin() + static_cast<std::ptrdiff_t>(probe_match_),
              rows.begin() + static_cast<std::ptrdiff_t>(probe_match_ + take));
    probe_match_ += take;
    if (probe_match_ == rows.size()) {
      ++probe_row_;
      probe_match_ = 0;
      probe_rows_ = nullptr;
    }
  }
  if (!li.empty()) {
    const std::vector<uint8_t> no_nulls(li.size(), 0);
    DataChunk pairs = Gather(probe_, li, ri, no_nulls, 0, li.size());
    std::vector<uint32_t> keep;  // the pairs every residual conjunct passes
    bool all = true;
    if (!residual_.empty()) {
      // The rest of ON: a pair survives when every conjunct is TRUE.
      std::vector<uint8_t> ok(li.size(), 1);
      std::vector<uint32_t> sel;
      for (const auto& cond : residual_) {
        sel.clear();
        ExpressionExecutor::Select(*cond, pairs, pairs.size(), &sel);
        std::vector<uint8_t> hit(li.size(), 0);
        for (uint32_t x : sel) hit[x] = 1;
        for (size_t k = 0; k < li.size(); ++k) ok[k] &= hit[k];
      }
      for (size_t k = 0; k < li.size(); ++k) {
        if (ok[k]) keep.push_back(static_cast<uint32_t>(k));
      }
      all = keep.size() == li.size();
    }
    if (all) {
      for (size_t k = 0; k < li.size(); ++k) {
        probe_matched_[li[k]] = 1;
        right_matched_[ri[k]] = 1;
      }
      pending_.push_back(std::move(pairs));
    } else if (!keep.empty()) {
      DataChunk out;
      out.Initialize(types_);
      for (size_t c = 0; c < out.columns.size(); ++c) {
        out.columns[c].AppendSelection(pairs.columns[c], keep);
      }
      for (uint32_t k : keep) {
        probe_matched_[li[k]] = 1;
        right_matched_[ri[k]] = 1;
      }
      pending_.push_back(std::move(out));
    }
  }
  if (probe_row_ < n) return;
  probing_ = false;
  if (type_ == JoinType::kLeft || type_ == JoinType::kFull || type_ == JoinType::kAsofLeft) {
    li.clear();
    ri.clear();
    for (size_t i = 0; i < n; ++i) {
      if (probe_matched_[i]) continue;
      li.push_back(static_cast<uint32_t>(i));
      ri.push_back(0);
    }
    if (!li.empty()) EmitPairs(probe_, li, ri, std::vector<uint8_t>(li.size(), 1));
  }
}

void PhysicalHashJoin::EmitUnmatchedRight() {
  std::vector<uint32_t> li, ri;
  for (size_t r = 0; r < right_matched_.size(); ++r) {
    if (right_matched_[r]) continue;
    li.push_back(UINT32_MAX);
    ri.push_back(static_cast<uint32_t>(r));
  }
  DataChunk empty;
  if (!li.empty()) EmitPairs(empty, li, ri, std::vector<uint8_t>(li.size(), 0));
}

bool PhysicalHashJoin::Next(DataChunk* out) {
  if (!built_) Build();
  while (pending_.empty()) {
    ctx_.CheckCancelled();
    if (probing_) {
      ProbeSome();
      continue;
    }
    if (left_done_) return false;
    if (!children_[0]->Next(&probe_)) {
      left_done_ = true;
      if (type_ == JoinType::kRight || type_ == JoinType::kFull) EmitUnmatchedRight();
      continue;
    }
    StartProbe();
  }
  *out = std::move(pending_.front());
  pending_.pop_front();
  return true;
}

}  // namespace tsl::query
