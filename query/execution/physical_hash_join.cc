// Hash and ASOF joins. See physical_hash_join.h.
#include "query/execution/physical_hash_join.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <iterator>
#include <set>
#include <utility>

#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
#include "query/execution/physical_filter.h"
#include "query/execution/physical_profiler.h"
#include "query/execution/physical_table_scan.h"
#include "query/functions/scalar_function.h"

namespace tsl::query {
namespace {

// 0: no columns; 1: only left (< width); 2: only right; 3: both.
int Sides(const BoundExpression& e, size_t width) {
  int s = 0;
  if (e.kind == BoundKind::kColumnRef) s |= static_cast<size_t>(e.column) < width ? 1 : 2;
  for (const auto& c : e.children) s |= Sides(*c, width);
  return s;
}

void CollectColumnRefs(const BoundExpression& e, std::set<int>* out) {
  if (e.kind == BoundKind::kColumnRef) out->insert(e.column);
  for (const auto& c : e.children) CollectColumnRefs(*c, out);
}

// True when `e` reads no column, no subquery and no volatile function:
// its value is the same for every pair, so the join evaluates it once
// instead of once per pair of a nested loop (sql_smith: `ON CASE WHEN
// false ... END` over 90K x 90K rows ran past its time limit).
bool IsPairIndependent(const BoundExpression& e) {
  if (e.kind == BoundKind::kColumnRef || e.kind == BoundKind::kSubquery) return false;
  if (e.kind == BoundKind::kFunction && (e.function == nullptr || (e.function->flags & kScalarVolatile)))
    return false;
  for (const auto& c : e.children)
    if (!IsPairIndependent(*c)) return false;
  return true;
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

// Up to this many distinct VARCHAR build keys are pushed into the probe
// scan as a set; past it only their range.
constexpr size_t kJoinFilterMaxStrings = 4096;

// The table scan producing `op`'s column `column` unchanged (through
// filters and EXPLAIN ANALYZE's profilers), and its schema index there;
// null otherwise.
PhysicalTableScan* ScanUnder(PhysicalOperator* op, int* column) {
  while (true) {
    if (auto* filter = dynamic_cast<PhysicalFilter*>(op)) {
      op = filter->children()[0].get();
    } else if (auto* profiler = dynamic_cast<PhysicalProfiler*>(op)) {
      op = profiler->mutable_inner();
    } else {
      break;
    }
  }
  auto* scan = dynamic_cast<PhysicalTableScan*>(op);
  if (scan == nullptr || *column < 0 ||
      static_cast<size_t>(*column) >= scan->options().columns.size()) {
    return nullptr;
  }
  *column = scan->options().columns[*column];
  return scan;
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
    case JoinType::kPositional:
      return "POSITIONAL";
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
    // right <op> left: mirrored (children swapped, op reversed). A conjunct
    // left in the residual is swapped back: its operator stays as bound.
    const bool mirrored = binary && l == 2 && r == 1;
    if (mirrored) {
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
    } else if (IsPairIndependent(*c)) {
      // TRUE: no condition at all; FALSE or NULL: no pair ever passes
      // (outer joins still emit their unmatched rows).
      DataChunk no_columns;
      std::vector<uint32_t> sel;
      ExpressionExecutor::Select(*c, no_columns, 1, &sel);
      if (sel.empty()) never_matches_ = true;
    } else {
      if (mirrored) std::swap(c->children[0], c->children[1]);
      residual_.push_back(std::move(c));
    }
  }
  // The binder casts both sides of `=` to one type; the table compares
  // normalized words, so make sure.
  for (size_t k = 0; k < left_keys_.size(); ++k) {
    if (left_keys_[k]->type != right_keys_[k]->type) {
      left_keys_[k] = MakeBoundCast(std::move(left_keys_[k]), right_keys_[k]->type);
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

void PhysicalHashJoin::SetNeededColumns(std::vector<uint8_t> needed) {
  needed.resize(types_.size(), 1);
  std::set<int> residual_columns;
  for (const auto& r : residual_) CollectColumnRefs(*r, &residual_columns);
  for (int col : residual_columns) {
    if (col >= 0 && static_cast<size_t>(col) < needed.size()) needed[col] = 1;
  }
  needed_ = std::move(needed);
}

namespace {

bool HasSubquery(const BoundExpression* e) {
  if (e == nullptr) return false;
  if (e->kind == BoundKind::kSubquery) return true;
  for (const auto& c : e->children)
    if (HasSubquery(c.get())) return true;
  return false;
}

}  // namespace

PhysicalTableScan* PhysicalHashJoin::ProbeScan() {
  if (type_ != JoinType::kInner && type_ != JoinType::kLeft && type_ != JoinType::kAsof &&
      type_ != JoinType::kAsofLeft) {
    return nullptr;
  }
  // Subqueries are evaluated on the calling thread only.
  for (const auto& k : left_keys_)
    if (HasSubquery(k.get())) return nullptr;
  for (const auto& r : residual_)
    if (HasSubquery(r.get())) return nullptr;
  if (HasSubquery(left_ineq_.get())) return nullptr;
  PhysicalOperator* op = children_[0].get();
  while (auto* filter = dynamic_cast<PhysicalFilter*>(op)) {
    if (HasSubquery(&filter->predicate())) return nullptr;
    op = filter->children()[0].get();
  }
  return dynamic_cast<PhysicalTableScan*>(op);
}

PhysicalHashJoin::PhysicalHashJoin(PhysicalHashJoin* owner, std::unique_ptr<PhysicalOperator> left)
    : PhysicalOperator(owner->types()),
      type_(owner->type_),
      ctx_(owner->ctx_),
      left_width_(owner->left_width_),
      never_matches_(owner->never_matches_),
      ineq_strict_(owner->ineq_strict_),
      owner_(owner),
      morsel_probe_(true) {
  for (const auto& k : owner->left_keys_) left_keys_.push_back(k->Copy());
  for (const auto& k : owner->right_keys_) right_keys_.push_back(k->Copy());
  for (const auto& r : owner->residual_) residual_.push_back(r->Copy());
  if (owner->left_ineq_) left_ineq_ = owner->left_ineq_->Copy();
  if (owner->right_ineq_) right_ineq_ = owner->right_ineq_->Copy();
  needed_ = owner->needed_;
  explain_ = owner->explain_;
  AddChild(std::move(left));
}

std::unique_ptr<PhysicalHashJoin> PhysicalHashJoin::CopyForProbeWorker(
    std::unique_ptr<PhysicalOperator> scan) {
  // The filters between this join and its scan, top first.
  std::vector<const PhysicalFilter*> filters;
  PhysicalOperator* op = children_[0].get();
  while (auto* filter = dynamic_cast<PhysicalFilter*>(op)) {
    filters.push_back(filter);
    op = filter->children()[0].get();
  }
  std::unique_ptr<PhysicalOperator> left = std::move(scan);
  for (auto it = filters.rbegin(); it != filters.rend(); ++it) {
    left = std::make_unique<PhysicalFilter>(std::move(left), (*it)->predicate().Copy());
  }
  morsel_probe_ = true;
  return std::unique_ptr<PhysicalHashJoin>(new PhysicalHashJoin(this, std::move(left)));
}

namespace {

// Appends rows of `from` to `to` (same type), moving the strings.
void AppendMoving(ColumnVector* to, ColumnVector& from) {
  from.MaterializeStrings();
  to->ints.insert(to->ints.end(), from.ints.begin(), from.ints.end());
  to->doubles.insert(to->doubles.end(), from.doubles.begin(), from.doubles.end());
  to->strings.insert(to->strings.end(), std::make_move_iterator(from.strings.begin()),
                     std::make_move_iterator(from.strings.end()));
  to->valid.insert(to->valid.end(), from.valid.begin(), from.valid.end());
}

// The rows a build side that is a whole table's scan will produce (its
// files' row counts: deleted rows included, an upper bound), or 0 when it
// is anything else or drops rows (ranges, filters above it).
size_t BuildRowsHint(PhysicalOperator* op) {
  while (auto* profiler = dynamic_cast<PhysicalProfiler*>(op)) op = profiler->mutable_inner();
  const auto* scan = dynamic_cast<const PhysicalTableScan*>(op);
  if (scan == nullptr) return 0;
  const ScanOptions& o = scan->options();
  if (!o.ranges.empty() || !o.only_files.empty() || !o.only_rows.empty() || o.skip_file ||
      o.top_key) {
    return 0;
  }
  int64_t rows = 0;
  for (const AddAction& f : scan->snapshot().files()) rows += std::max<int64_t>(f.stats.num_records, 0);
  return static_cast<size_t>(rows);
}

}  // namespace

void PhysicalHashJoin::Build() {
  built_ = true;
  PhysicalOperator* right = children_[1].get();
  build_.Initialize(right->types());
  std::vector<TypeId> key_types;
  for (const auto& k : right_keys_) key_types.push_back(k->type);
  table_ = std::make_unique<GroupHashTable>(key_types, "HASH_JOIN (build side)");
  // A table scan's row count sizes the table up front (at most one group
  // per row); a key repeated on many rows makes it larger than needed, as
  // DuckDB's join table, sized by the build row count, is.
  if (!right_keys_.empty()) table_->ExpectGroups(BuildRowsHint(right));
  const size_t width = build_.columns.size();
  // Build columns nobody reads above the join (a key only compared) are
  // not kept: their rows are hashed as they stream in, then dropped.
  std::vector<uint8_t> keep(width, 1);
  for (size_t c = 0; c < width && !needed_.empty(); ++c) keep[c] = needed_[left_width_ + c];
  // The int64 keys' [min, max] over the rows that can match (join filter).
  key_min_.assign(right_keys_.size(), INT64_MAX);
  key_max_.assign(right_keys_.size(), INT64_MIN);
  std::vector<uint32_t> ids;
  std::vector<ColumnVector> computed(right_keys_.size());
  std::vector<VectorView> views(right_keys_.size());
  std::vector<uint8_t> mode;
  ColumnVector ineq;
  DataChunk chunk;
  size_t n = 0;
  while (right->Next(&chunk)) {
    ctx_.CheckCancelled();
    const size_t len = chunk.size();
    if (len == 0) continue;
    // The keys: plain columns read in place, others computed.
    for (size_t k = 0; k < right_keys_.size(); ++k) {
      const BoundExpression& key = *right_keys_[k];
      if (key.kind == BoundKind::kColumnRef && chunk.columns[key.column].type == key.type &&
          !chunk.columns[key.column].dictionary_form) {
        views[k].vec = &chunk.columns[key.column];
      } else {
        ExpressionExecutor::Execute(key, chunk, len, &computed[k]);
        views[k].vec = &computed[k];
      }
    }
    if (right_ineq_) ExpressionExecutor::Execute(*right_ineq_, chunk, len, &ineq);
    // A row with a NULL key (or ASOF inequality key) never matches: skipped.
    mode.assign(len, GroupHashTable::kLookup);
    for (size_t i = 0; i < len; ++i) {
      bool skip = right_ineq_ && ineq.IsNull(i);
      for (const VectorView& v : views) skip = skip || v.vec->IsNull(i);
      if (skip) mode[i] = GroupHashTable::kSkip;
    }
    for (size_t k = 0; k < right_keys_.size(); ++k) {
      if (PhysicalClassOf(right_keys_[k]->type) != PhysicalClass::kInt64) continue;
      const ColumnVector& v = *views[k].vec;
      int64_t lo = key_min_[k], hi = key_max_[k];
      for (size_t i = 0; i < len; ++i) {
        if (mode[i] != GroupHashTable::kLookup) continue;
        lo = std::min(lo, v.ints[i]);
        hi = std::max(hi, v.ints[i]);
      }
      key_min_[k] = lo;
      key_max_[k] = hi;
    }
    ids.resize(n + len);
    table_->FindOrCreate(views, len, ids.data() + n, mode.data());
    if (right_ineq_) {
      for (size_t i = 0; i < len; ++i) build_ineq_.push_back(ineq.IsNull(i) ? 0 : ineq.ints[i]);
    }
    // Keep the needed columns (the keys' views are done with), reserved
    // first, with the row's id and place in the row array.
    for (size_t c = 0; c < width; ++c) {
      if (!keep[c]) chunk.columns[c] = ColumnVector(chunk.columns[c].type);
    }
    memory_.Grow(ApproxChunkBytes(chunk) + static_cast<int64_t>(len) * 12);
    for (size_t c = 0; c < width; ++c) {
      if (keep[c]) AppendMoving(&build_.columns[c], chunk.columns[c]);
    }
    n += len;
  }
  build_rows_ = n;
  right_matched_.assign(n, 0);
  // Each key's rows contiguous, in row order (a counting sort by key id).
  const size_t groups = table_->size();
  key_begin_.assign(groups + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    if (ids[i] != UINT32_MAX) ++key_begin_[ids[i] + 1];
  }
  for (size_t g = 0; g < groups; ++g) key_begin_[g + 1] += key_begin_[g];
  key_rows_.assign(key_begin_[groups], 0);
  std::vector<uint32_t> fill(key_begin_.begin(), key_begin_.end() - 1);
  for (size_t i = 0; i < n; ++i) {
    if (ids[i] != UINT32_MAX) key_rows_[fill[ids[i]]++] = static_cast<uint32_t>(i);
  }
  if (right_ineq_) {
    for (size_t g = 0; g < groups; ++g) {
      std::stable_sort(key_rows_.begin() + key_begin_[g], key_rows_.begin() + key_begin_[g + 1],
                       [&](uint32_t a, uint32_t b) { return build_ineq_[a] < build_ineq_[b]; });
    }
  }
  const bool left_rows_need_match =
      type_ == JoinType::kInner || type_ == JoinType::kRight || type_ == JoinType::kAsof;
  if (!left_rows_need_match || left_keys_.empty()) return;
  no_match_possible_ = groups == 0 && type_ != JoinType::kRight;
  push_filters_ = groups > 0;
}

void PhysicalHashJoin::BuildForProbeWorkers() {
  tsl::MutexLock lock(build_mu_);
  if (built_) return;
  try {
    Build();
  } catch (...) {
    build_error_ = std::current_exception();
    throw;
  }
}

void PhysicalHashJoin::Prepare() {
  if (owner_ == this && !morsel_probe_) {
    Build();
  } else {
    // Parallel probes: built by BuildForProbeWorkers before the workers
    // started; otherwise the first worker here builds and the others wait.
    // A failed build fails every worker.
    tsl::MutexLock lock(owner_->build_mu_);
    if (owner_->build_error_) std::rethrow_exception(owner_->build_error_);
    if (!owner_->built_) {
      try {
        owner_->Build();
      } catch (...) {
        owner_->build_error_ = std::current_exception();
        throw;
      }
    }
  }
  if (owner_->push_filters_) PushJoinFilters();
  ready_ = true;
}

void PhysicalHashJoin::PushJoinFilters() {
  for (size_t k = 0; k < left_keys_.size(); ++k) {
    const BoundExpression& key = *left_keys_[k];
    if (key.kind != BoundKind::kColumnRef) continue;
    int column = key.column;
    PhysicalTableScan* scan = ScanUnder(children_[0].get(), &column);
    if (scan == nullptr) continue;
    const TypeId type = right_keys_[k]->type;
    ScanRange range;
    range.column = column;
    switch (PhysicalClassOf(type)) {
      case PhysicalClass::kInt64: {
        const PhysicalHashJoin& b = *owner_;
        if (b.key_min_[k] > b.key_max_[k]) continue;  // no non-NULL key
        range.lo = Value::FromInt(type, b.key_min_[k]);
        range.hi = Value::FromInt(type, b.key_max_[k]);
        break;
      }
      case PhysicalClass::kString: {
        // The distinct build strings: the table interned each once.
        const GroupHashTable& table = *owner_->table_;
        const size_t count = table.StringCount(k);
        if (count == 0) continue;
        std::vector<std::string> set;
        set.reserve(count);
        for (uint32_t id = 0; id < count; ++id) set.emplace_back(table.StringAt(k, id));
        std::sort(set.begin(), set.end());
        range.lo = Value::Varchar(set.front());
        range.hi = Value::Varchar(set.back());
        if (set.size() <= kJoinFilterMaxStrings) {
          range.one_of = std::make_shared<const std::vector<std::string>>(std::move(set));
        }
        break;
      }
      case PhysicalClass::kDouble:
        continue;  // NaN and -0.0 ordering: left to the join
    }
    scan->AddJoinFilter(std::move(range));
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
  const DataChunk& build = owner_->build_;
  const auto unneeded = [&](size_t c) {
    if (needed_.empty() || needed_[c]) return false;
    out.columns[c].Resize(end - begin);  // NULLs: nobody reads them
    return true;
  };
  bool padded = false;  // a NULL-padded side somewhere in [begin, end)
  for (size_t k = begin; k < end && !padded; ++k) padded = li[k] == UINT32_MAX || right_null[k];
  if (!padded) {
    // The common case: gather whole columns by row number.
    std::vector<uint32_t> sel(li.begin() + begin, li.begin() + end);
    for (size_t c = 0; c < left_width_; ++c) {
      if (!unneeded(c)) out.columns[c].AppendSelection(left.columns[c], sel);
    }
    sel.assign(ri.begin() + begin, ri.begin() + end);
    for (size_t c = 0; c < build.columns.size(); ++c) {
      if (!unneeded(left_width_ + c)) {
        out.columns[left_width_ + c].AppendSelection(build.columns[c], sel);
      }
    }
    return out;
  }
  for (size_t c = 0; c < left_width_; ++c) {
    if (unneeded(c)) continue;
    ColumnVector& col = out.columns[c];
    for (size_t k = begin; k < end; ++k) {
      if (li[k] == UINT32_MAX) {
        col.AppendNull();
      } else {
        col.AppendRange(left.columns[c], li[k], li[k] + 1);
      }
    }
  }
  for (size_t c = 0; c < build.columns.size(); ++c) {
    if (unneeded(left_width_ + c)) continue;
    ColumnVector& col = out.columns[left_width_ + c];
    for (size_t k = begin; k < end; ++k) {
      if (right_null[k]) {
        col.AppendNull();
      } else {
        col.AppendRange(build.columns[c], ri[k], ri[k] + 1);
      }
    }
  }
  return out;
}

void PhysicalHashJoin::StartProbe() {
  const size_t n = probe_.size();
  // Plain column keys are read in place (no copy of a string column).
  probe_keys_.assign(left_keys_.size(), ColumnVector());
  std::vector<VectorView> views(left_keys_.size());
  for (size_t k = 0; k < left_keys_.size(); ++k) {
    const BoundExpression& key = *left_keys_[k];
    if (key.kind == BoundKind::kColumnRef && probe_.columns[key.column].type == key.type) {
      views[k].vec = &probe_.columns[key.column];
    } else {
      ExpressionExecutor::Execute(key, probe_, n, &probe_keys_[k]);
      views[k].vec = &probe_keys_[k];
    }
  }
  // No equality keys (a cross join): every row finds key id 0, holding
  // every build row, when the build side has rows.
  probe_ids_.resize(n);
  owner_->table_->Find(views, n, probe_ids_.data(), &scratch_);
  if (left_ineq_) ExpressionExecutor::Execute(*left_ineq_, probe_, n, &probe_ineq_);
  probe_row_ = 0;
  probe_match_ = 0;
  have_probe_rows_ = false;
  probe_matched_.assign(n, 0);
  probing_ = true;
}

std::span<const uint32_t> PhysicalHashJoin::MatchesOf(size_t i) {
  if (never_matches_) return {};
  const uint32_t id = probe_ids_[i];
  if (id == UINT32_MAX) return {};
  const PhysicalHashJoin& b = *owner_;
  const std::vector<int64_t>& build_ineq = b.build_ineq_;
  std::span<const uint32_t> rows(b.key_rows_.data() + b.key_begin_[id],
                                 b.key_begin_[id + 1] - b.key_begin_[id]);
  if (!left_ineq_) return rows;
  // ASOF: the last right row with key <= t (or < t when strict), if any.
  if (probe_ineq_.IsNull(i)) return {};
  const int64_t t = probe_ineq_.ints[i];
  auto pos = ineq_strict_
                 ? std::lower_bound(rows.begin(), rows.end(), t,
                                    [&](uint32_t r, int64_t v) { return build_ineq[r] < v; })
                 : std::upper_bound(rows.begin(), rows.end(), t,
                                    [&](int64_t v, uint32_t r) { return v < build_ineq[r]; });
  if (pos == rows.begin()) return {};
  asof_match_ = *(pos - 1);
  return std::span<const uint32_t>(&asof_match_, 1);
}

void PhysicalHashJoin::ProbeSome() {
  // At most one vector of candidate pairs per call, resuming inside a
  // left row's matches, so a cross product or a key with many rows never
  // builds more than a chunk of pairs at a time.
  const size_t n = probe_.size();
  std::vector<uint32_t> li, ri;
  while (probe_row_ < n && li.size() < kVectorSize) {
    if (!have_probe_rows_) {
      probe_rows_ = MatchesOf(probe_row_);
      have_probe_rows_ = true;
    }
    const std::span<const uint32_t> rows = probe_rows_;
    const size_t take = std::min(rows.size() - probe_match_, kVectorSize - li.size());
    li.insert(li.end(), take, static_cast<uint32_t>(probe_row_));
    ri.insert(ri.end(), rows.begin() + static_cast<std::ptrdiff_t>(probe_match_),
              rows.begin() + static_cast<std::ptrdiff_t>(probe_match_ + take));
    probe_match_ += take;
    if (probe_match_ == rows.size()) {
      ++probe_row_;
      probe_match_ = 0;
      have_probe_rows_ = false;
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
    // Only RIGHT/FULL joins read right_matched_ (and never probe in
    // parallel: the copies would race on it).
    const bool track_right = type_ == JoinType::kRight || type_ == JoinType::kFull;
    if (all) {
      for (size_t k = 0; k < li.size(); ++k) probe_matched_[li[k]] = 1;
      if (track_right) {
        for (size_t k = 0; k < li.size(); ++k) right_matched_[ri[k]] = 1;
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
        if (track_right) right_matched_[ri[k]] = 1;
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
  if (!ready_) Prepare();
  if (owner_->no_match_possible_) return false;  // INNER/ASOF with an empty build side
  while (pending_.empty()) {
    ctx_.CheckCancelled();
    if (probing_) {
      ProbeSome();
      continue;
    }
    if (left_done_) return false;
    if (!children_[0]->Next(&probe_)) {
      // A morsel's end: the worker claims the next morsel and calls again.
      if (morsel_probe_) return false;
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
