// Hash aggregation. See physical_hash_aggregate.h.
#include "query/execution/physical_hash_aggregate.h"

#include <cstring>
#include <exception>
#include <limits>
#include <system_error>
#include <thread>

#include "query/common/query_error.h"
#include "formats/mutex.h"
#include "query/execution/expression_executor.h"
#include "query/execution/first_error.h"
#include "query/execution/physical_hash_join.h"
#include "query/execution/physical_profiler.h"
#include "query/execution/parallel_pipeline.h"
#include "query/functions/cast_function.h"

namespace tsl::query {
namespace {

std::vector<TypeId> OutputTypes(const std::vector<BoundExpressionPtr>& groups,
                                const std::vector<BoundAggregate>& aggregates) {
  std::vector<TypeId> types;
  for (const auto& g : groups) types.push_back(g->type);
  for (const auto& a : aggregates) types.push_back(a.type);
  return types;
}

// same[i] = 1 when row i holds the same key as row i - 1 in every view
// (NULLs equal). Scans return rows sorted by (tag, ts), so consecutive rows
// mostly share their group and distinct values: comparing with the previous
// row skips most hash lookups. Computed a column at a time: tight loops over the
// arrays instead of a type switch per row. Strings are compared last and
// only where the other columns matched.
void SamePrevious(const std::vector<VectorView>& views, size_t n, std::vector<uint8_t>* same) {
  same->assign(n, 1);
  if (n == 0) return;
  uint8_t* s = same->data();
  s[0] = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (const VectorView& v : views) {
      if (v.constant) continue;
      const PhysicalClass cls = PhysicalClassOf(v.vec->type);
      if ((cls == PhysicalClass::kString) != (pass == 1)) continue;
      const uint8_t* valid = v.vec->valid.data();
      switch (cls) {
        case PhysicalClass::kInt64: {
          const int64_t* d = v.vec->ints.data();
          for (size_t i = 1; i < n; ++i) {
            s[i] &= static_cast<uint8_t>(((valid[i] != 0) == (valid[i - 1] != 0)) &
                                         ((valid[i] == 0) | (d[i] == d[i - 1])));
          }
          break;
        }
        case PhysicalClass::kDouble: {
          const double* d = v.vec->doubles.data();
          for (size_t i = 1; i < n; ++i) {
            s[i] &= static_cast<uint8_t>(((valid[i] != 0) == (valid[i - 1] != 0)) &
                                         ((valid[i] == 0) | (d[i] == d[i - 1])));
          }
          break;
        }
        case PhysicalClass::kString: {
          const std::string* d = v.vec->strings.data();
          for (size_t i = 1; i < n; ++i) {
            if (!s[i]) continue;
            if ((valid[i] != 0) != (valid[i - 1] != 0) || (valid[i] && d[i] != d[i - 1])) s[i] = 0;
          }
          break;
        }
      }
    }
  }
}

}  // namespace

void SerializeKey(const VectorView& v, size_t row, std::string* key) {
  if (v.IsNull(row)) {
    key->push_back('\0');
    return;
  }
  key->push_back('\1');
  switch (PhysicalClassOf(v.vec->type)) {
    case PhysicalClass::kInt64: {
      int64_t x = v.Int(row);
      key->append(reinterpret_cast<const char*>(&x), sizeof x);
      break;
    }
    case PhysicalClass::kDouble: {
      double d = v.Double(row);
      if (d == 0) d = 0;  // -0.0 groups with 0.0
      key->append(reinterpret_cast<const char*>(&d), sizeof d);
      break;
    }
    case PhysicalClass::kString: {
      const std::string& s = v.String(row);
      uint32_t len = static_cast<uint32_t>(s.size());
      key->append(reinterpret_cast<const char*>(&len), sizeof len);
      key->append(s);
      break;
    }
  }
}

AggregateTable::AggregateTable(const std::vector<BoundExpressionPtr>& groups,
                               const std::vector<BoundAggregate>& aggregates, bool partial)
    : groups_(groups), aggregates_(aggregates), partial_(partial) {
  for (const BoundAggregate& a : aggregates_) {
    std::vector<TypeId> args;
    if (a.argument) args.push_back(a.argument->type);
    if (a.second) args.push_back(a.second->type);
    std::unique_ptr<AggregateState> state = MakeAggregateState(a.kind, args, a.parameter, a.type);
    if (!a.order.empty()) {
      state = MakeOrderedAggregateState(std::move(state), args.size(), a.order_desc);
    }
    states_.push_back(std::move(state));
  }
  if (!groups_.empty()) {
    std::vector<TypeId> types;
    for (const auto& g : groups_) types.push_back(g->type);
    group_table_ = std::make_unique<GroupHashTable>(types, "HASH_AGGREGATE");
  }
  seen_.resize(aggregates_.size());
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    const BoundAggregate& agg = aggregates_[a];
    if (!agg.distinct || !agg.argument) continue;
    std::vector<TypeId> types{TypeId::kBigint};
    types.push_back(agg.argument->type);
    if (agg.second) types.push_back(agg.second->type);
    seen_[a] = std::make_unique<GroupHashTable>(types, "HASH_AGGREGATE (DISTINCT)");
  }
  distinct_rows_.resize(aggregates_.size());
}

void AggregateTable::AddGroup() { ++group_count_; }

void AggregateTable::LookupGroups(const std::vector<VectorView>& keys, size_t n) {
  group_ids_.resize(n);
  if (keys.empty()) {
    if (group_count_ == 0) AddGroup();
    std::fill(group_ids_.begin(), group_ids_.end(), 0);
    return;
  }
  SamePrevious(keys, n, &same_);
  // same_[i] is 1 exactly when the table may take row i - 1's id.
  static_assert(GroupHashTable::kSameAsPrevious == 1 && GroupHashTable::kLookup == 0);
  const std::vector<uint32_t>& fresh =
      group_table_->FindOrCreate(keys, n, group_ids_.data(), same_.data());
  group_count_ += fresh.size();
}

void AggregateTable::UpdateViews(size_t a, std::vector<VectorView>& args, size_t value_args,
                                 const uint32_t* gid, size_t n) {
  const BoundAggregate& agg = aggregates_[a];
  if (agg.distinct && value_args > 0) {
    // Rows whose value this group has seen are skipped; NULLs pass through
    // (every aggregate ignores them anyway).
    distinct_ids_.assign(gid, gid + n);
    std::vector<VectorView> values(args.begin(), args.begin() + static_cast<long>(value_args));
    SamePrevious(values, n, &same_);
    seen_mode_.assign(n, GroupHashTable::kLookup);
    gid_column_.ints.resize(n);
    gid_column_.valid.assign(n, 1);
    for (size_t i = 0; i < n; ++i) {
      gid_column_.ints[i] = gid[i];
      if (args[0].IsNull(i) || gid[i] == kSkipRow) {
        seen_mode_[i] = GroupHashTable::kSkip;
      } else if (i > 0 && gid[i] == gid[i - 1] && same_[i]) {
        // Same group and value as the previous row: already seen.
        seen_mode_[i] = GroupHashTable::kSkip;
        distinct_ids_[i] = kSkipRow;
      } else {
        distinct_ids_[i] = kSkipRow;  // unless the lookup finds it new
      }
    }
    std::vector<VectorView> keys{VectorView{&gid_column_, false}};
    keys.insert(keys.end(), values.begin(), values.end());
    seen_ids_.resize(n);
    for (uint32_t i : seen_[a]->FindOrCreate(keys, n, seen_ids_.data(), seen_mode_.data())) {
      distinct_ids_[i] = gid[i];
    }
    gid = distinct_ids_.data();
    if (partial_) {
      // Kept for Combine, which runs them through the result's sets.
      DistinctRows& rows = distinct_rows_[a];
      if (rows.cols.empty()) {
        for (const VectorView& v : args) rows.cols.emplace_back(v.vec->type);
      }
      sel_.clear();
      for (size_t i = 0; i < n; ++i) {
        if (gid[i] == kSkipRow) continue;
        sel_.push_back(static_cast<uint32_t>(i));
        rows.gids.push_back(gid[i]);
      }
      for (size_t c = 0; c < args.size(); ++c) {
        if (args[c].constant) {
          for (size_t k = 0; k < sel_.size(); ++k) rows.cols[c].AppendRange(*args[c].vec, 0, 1);
        } else {
          rows.cols[c].AppendSelection(*args[c].vec, sel_);
        }
      }
      distinct_row_count_ += static_cast<int64_t>(sel_.size());
      return;
    }
  }
  states_[a]->Update(args, gid, n);
}

void AggregateTable::Update(size_t a, const DataChunk& input, size_t n) {
  const BoundAggregate& agg = aggregates_[a];
  std::vector<std::unique_ptr<ColumnVector>> holders(3 + agg.order.size());
  std::vector<VectorView> args;
  if (agg.argument) args.push_back(ExpressionExecutor::Evaluate(*agg.argument, input, n, &holders[0]));
  if (agg.second) args.push_back(ExpressionExecutor::Evaluate(*agg.second, input, n, &holders[1]));
  const size_t value_args = args.size();
  const uint32_t* gid = group_ids_.data();
  if (agg.filter) {  // FILTER (WHERE f): rows where f is not TRUE are skipped
    filter_ids_.assign(gid, gid + n);
    VectorView f = ExpressionExecutor::Evaluate(*agg.filter, input, n, &holders[2]);
    for (size_t i = 0; i < n; ++i) {
      if (f.IsNull(i) || f.Int(i) == 0) filter_ids_[i] = kSkipRow;
    }
    gid = filter_ids_.data();
  }
  for (size_t k = 0; k < agg.order.size(); ++k) {
    args.push_back(ExpressionExecutor::Evaluate(*agg.order[k], input, n, &holders[3 + k]));
  }
  UpdateViews(a, args, value_args, gid, n);
}

void AggregateTable::ReserveMemory() {
  // An estimate per group of the aggregate states; per row a partial keeps
  // for DISTINCT; and what growing states hold (string_agg's texts,
  // median's values, ...). The hash tables, group keys included, reserve
  // their own bytes (group_hash_table.h).
  int64_t bytes = static_cast<int64_t>(group_count_) * 32 *
                      static_cast<int64_t>(aggregates_.size()) +
                  distinct_row_count_ * 32;
  for (const auto& state : states_) bytes += state->MemoryBytes();
  memory_.Resize(bytes);
}

void AggregateTable::Sink(const DataChunk& input) {
  const size_t n = input.size();
  std::vector<std::unique_ptr<ColumnVector>> holders(groups_.size());
  std::vector<VectorView> keys;
  for (size_t g = 0; g < groups_.size(); ++g) {
    keys.push_back(ExpressionExecutor::Evaluate(*groups_[g], input, n, &holders[g]));
  }
  LookupGroups(keys, n);
  ReserveMemory();
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    states_[a]->Resize(group_count_);
    Update(a, input, n);
  }
  ReserveMemory();  // what the states and DISTINCT sets grew by
}

void AggregateTable::Combine(AggregateTable& other) {
  const size_t n = other.group_count_;
  if (n == 0) return;
  // other's groups in their order of first appearance: new ones append
  // here in that order, as one thread would have created them.
  std::vector<uint32_t> map(n, 0);
  if (group_table_) {
    group_table_->FindOrCreateFrom(*other.group_table_, map.data());
    group_count_ = group_table_->size();
  } else if (group_count_ == 0) {
    AddGroup();
  }
  ReserveMemory();
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    states_[a]->Resize(group_count_);
    other.states_[a]->Resize(n);
    DistinctRows& rows = other.distinct_rows_[a];
    if (aggregates_[a].distinct && !rows.cols.empty()) {
      // No distinct row kept (e.g. FILTER (WHERE false)): nothing to replay,
      // and the empty columns have no element 0 to view.
      if (rows.gids.empty()) continue;
      const BoundAggregate& agg = aggregates_[a];
      const size_t value_args = (agg.argument ? 1 : 0) + (agg.second ? 1 : 0);
      std::vector<VectorView> args;
      for (const ColumnVector& c : rows.cols) args.push_back(VectorView{&c, false});
      std::vector<uint32_t> gids(rows.gids.size());
      for (size_t i = 0; i < gids.size(); ++i) gids[i] = map[rows.gids[i]];
      UpdateViews(a, args, value_args, gids.data(), gids.size());
      continue;
    }
    if (aggregates_[a].distinct && (aggregates_[a].argument || aggregates_[a].second)) continue;
    states_[a]->Combine(*other.states_[a], map.data(), n);
  }
  ReserveMemory();
}

void AggregateTable::Finish() {
  if (groups_.empty() && group_count_ == 0) AddGroup();
  for (auto& st : states_) st->Resize(group_count_);
}

void AggregateTable::Emit(size_t begin, size_t end, DataChunk* out) {
  for (size_t g = 0; g < groups_.size(); ++g) {
    group_table_->AppendKeys(g, begin, end, &out->columns[g]);
  }
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    ColumnVector* col = &out->columns[groups_.size() + a];
    PrepareOutput(col, aggregates_[a].type, end - begin);
    states_[a]->Finalize(begin, end, col);
  }
}

PhysicalHashAggregate::PhysicalHashAggregate(
    std::unique_ptr<PhysicalOperator> child, std::vector<BoundExpressionPtr> groups,
    std::vector<BoundAggregate> aggregates,
    std::vector<std::unique_ptr<PhysicalOperator>> workers, std::shared_ptr<MorselQueue> morsels)
    : PhysicalOperator(OutputTypes(groups, aggregates)),
      groups_(std::move(groups)),
      aggregates_(std::move(aggregates)),
      morsels_(std::move(morsels)) {
  AddChild(std::move(child));
  for (auto& w : workers) AddChild(std::move(w));
  table_ = std::make_unique<AggregateTable>(groups_, aggregates_, /*partial=*/false);
}

void PhysicalHashAggregate::Consume() {
  if (children_.size() > 1 && morsels_) {
    ConsumeParallel();
  } else {
    DataChunk input;
    while (child()->Next(&input)) table_->Sink(input);
  }
  table_->Finish();
}

// Each worker claims morsels (segment files) in turn, pulls its pipeline
// to the morsel's end into a fresh partial table, and leaves the partial
// in its morsel's slot. Whoever holds merge_mu merges the ready partials
// in morsel order; the caller merges what is left after joining. The
// first error (a QueryError from a scan, a filter, the memory limit or a
// cancellation) stops the claiming and is rethrown here once every
// worker has been joined.
void PhysicalHashAggregate::ConsumeParallel() {
  const int workers = static_cast<int>(children_.size());
  // The finished partials by morsel, and how far the merge has got.
  struct Slots {
    tsl::Mutex mu;
    std::vector<std::unique_ptr<AggregateTable>> partials GUARDED_BY(mu);
    std::vector<uint8_t> ready GUARDED_BY(mu);
    size_t next_merge GUARDED_BY(mu) = 0;
  } slots;
  {
    tsl::MutexLock l(slots.mu);
    slots.partials.resize(morsels_->size());
    slots.ready.assign(morsels_->size(), 0);
  }
  // Held by the one thread merging into table_ (a member: the analysis
  // cannot name it as guarded by a local mutex).
  tsl::Mutex merge_mu;
  FirstError error;

  bool adoptable = true;
  for (const BoundAggregate& a : aggregates_) adoptable &= !a.distinct;
  auto merge_ready = [&](bool block) {
    if (block) {
      merge_mu.lock();
    } else if (!merge_mu.try_lock()) {
      return;  // the holder merges ours too, or the caller does at the end
    }
    tsl::MutexLock merging(merge_mu, std::adopt_lock);
    while (true) {
      std::unique_ptr<AggregateTable> part;
      {
        tsl::MutexLock l(slots.mu);
        if (slots.next_merge >= slots.partials.size() || !slots.ready[slots.next_merge]) return;
        part = std::move(slots.partials[slots.next_merge]);
        ++slots.next_merge;
      }
      if (!part) continue;
      if (adoptable && table_->group_count() == 0) {
        // The first partial becomes the result as it is: merging it into
        // an empty table would insert every one of its groups again.
        // (A partial's DISTINCT aggregates only collected rows: no adopting.)
        table_ = std::move(part);
      } else {
        table_->Combine(*part);
      }
    }
  };
  // Workers reserve from the statement's database (its config is
  // thread-local to the calling thread).
  DatabaseConfig* config = &CurrentConfig();
  auto run = [&](int w) {
    ConfigScope scope(config);
    try {
      PhysicalOperator* pipeline = children_[static_cast<size_t>(w)].get();
      DataChunk input;
      int64_t m;
      while ((m = morsels_->Claim(w)) >= 0) {
        auto part = std::make_unique<AggregateTable>(groups_, aggregates_, /*partial=*/true);
        while (pipeline->Next(&input)) part->Sink(input);
        {
          tsl::MutexLock l(slots.mu);
          slots.partials[static_cast<size_t>(m)] = std::move(part);
          slots.ready[static_cast<size_t>(m)] = 1;
        }
        merge_ready(false);
      }
    } catch (...) {
      morsels_->Stop();
      error.Record(std::current_exception());
    }
  };
  // A parallel probe's shared build side is built here, before any worker
  // runs (physical_hash_join.h).
  {
    PhysicalOperator* first = children_[0].get();
    if (auto* p = dynamic_cast<PhysicalProfiler*>(first)) first = p->mutable_inner();
    if (auto* join = dynamic_cast<PhysicalHashJoin*>(first)) join->BuildForProbeWorkers();
  }
  std::vector<std::thread> threads;
  for (int w = 1; w < workers; ++w) {
    try {
      threads.emplace_back(run, w);
    } catch (const std::system_error&) {
      break;  // no thread to be had: the others claim every morsel anyway
    }
  }
  run(0);
  for (std::thread& t : threads) t.join();
  error.RethrowIfAny();
  merge_ready(true);
}

bool PhysicalHashAggregate::Next(DataChunk* out) {
  if (!consumed_) {
    Consume();
    consumed_ = true;
  }
  const size_t count = table_->group_count();
  if (emitted_ >= count) return false;
  const size_t begin = emitted_;
  const size_t end = std::min(count, begin + kVectorSize);
  out->Initialize(types_);
  table_->Emit(begin, end, out);
  emitted_ = end;
  return true;
}

std::string PhysicalHashAggregate::Explain() const {
  std::string out = "HASH_GROUP_BY groups=[";
  for (size_t i = 0; i < groups_.size(); ++i) {
    if (i) out += ", ";
    out += groups_[i]->ToString();
  }
  out += "] aggregates=[";
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    if (i) out += ", ";
    out += aggregates_[i].display;
  }
  out += "]";
  if (children_.size() > 1) out += " workers=" + std::to_string(children_.size());
  return out;
}

}  // namespace tsl::query
