// Hash aggregation. See physical_hash_aggregate.h.
#include "query/execution/physical_hash_aggregate.h"

#include <cstring>
#include <limits>

#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
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

bool IsMinMax(AggregateKind k) { return k == AggregateKind::kMin || k == AggregateKind::kMax; }

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

PhysicalHashAggregate::PhysicalHashAggregate(std::unique_ptr<PhysicalOperator> child,
                                             std::vector<BoundExpressionPtr> groups,
                                             std::vector<BoundAggregate> aggregates)
    : PhysicalOperator(OutputTypes(groups, aggregates)),
      groups_(std::move(groups)),
      aggregates_(std::move(aggregates)) {
  AddChild(std::move(child));
  for (const auto& g : groups_) group_values_.emplace_back(g->type);
  states_.resize(aggregates_.size());
}

void PhysicalHashAggregate::AddGroup() {
  ++group_count_;
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    State& s = states_[a];
    const BoundAggregate& agg = aggregates_[a];
    s.count.push_back(0);
    s.has_value.push_back(0);
    if (agg.distinct) s.seen.emplace_back();
    TypeId arg = agg.argument ? agg.argument->type : TypeId::kNull;
    if (agg.kind == AggregateKind::kSum || agg.kind == AggregateKind::kAvg) {
      if (arg == TypeId::kDouble) {
        s.double_sum.push_back(0);
      } else {
        s.int_sum.push_back(0);
      }
    } else if (IsMinMax(agg.kind)) {
      switch (PhysicalClassOf(arg)) {
        case PhysicalClass::kInt64:
          s.int_value.push_back(0);
          break;
        case PhysicalClass::kDouble:
          s.double_value.push_back(0);
          break;
        case PhysicalClass::kString:
          s.string_value.emplace_back();
          break;
      }
    }
  }
}

void PhysicalHashAggregate::AssignGroups(const DataChunk& input, size_t n) {
  group_ids_.resize(n);
  if (groups_.empty()) {
    if (group_count_ == 0) AddGroup();
    std::fill(group_ids_.begin(), group_ids_.end(), 0);
    return;
  }
  std::vector<std::unique_ptr<ColumnVector>> holders(groups_.size());
  std::vector<VectorView> keys;
  for (size_t g = 0; g < groups_.size(); ++g) {
    keys.push_back(ExpressionExecutor::Evaluate(*groups_[g], input, n, &holders[g]));
  }
  auto new_group = [&](size_t row) {
    uint32_t id = static_cast<uint32_t>(group_count_);
    for (size_t g = 0; g < keys.size(); ++g) {
      size_t r = keys[g].Index(row);
      group_values_[g].AppendRange(*keys[g].vec, r, r + 1);
    }
    AddGroup();
    return id;
  };
  if (keys.size() == 1 && PhysicalClassOf(keys[0].vec->type) == PhysicalClass::kInt64) {
    const VectorView& k = keys[0];
    for (size_t i = 0; i < n; ++i) {
      if (k.IsNull(i)) {
        if (null_group_ < 0) null_group_ = new_group(i);
        group_ids_[i] = static_cast<uint32_t>(null_group_);
        continue;
      }
      auto [it, inserted] = int_groups_.try_emplace(k.Int(i), 0);
      if (inserted) it->second = new_group(i);
      group_ids_[i] = it->second;
    }
    return;
  }
  if (keys.size() == 1 && keys[0].vec->type == TypeId::kVarchar) {
    const VectorView& k = keys[0];
    for (size_t i = 0; i < n; ++i) {
      if (k.IsNull(i)) {
        if (null_group_ < 0) null_group_ = new_group(i);
        group_ids_[i] = static_cast<uint32_t>(null_group_);
        continue;
      }
      const std::string& s = k.String(i);
      auto it = key_groups_.find(std::string_view(s));
      if (it == key_groups_.end()) it = key_groups_.emplace(s, new_group(i)).first;
      group_ids_[i] = it->second;
    }
    return;
  }
  std::string key;
  for (size_t i = 0; i < n; ++i) {
    key.clear();
    for (const VectorView& k : keys) SerializeKey(k, i, &key);
    auto it = key_groups_.find(std::string_view(key));
    if (it == key_groups_.end()) it = key_groups_.emplace(key, new_group(i)).first;
    group_ids_[i] = it->second;
  }
}

void PhysicalHashAggregate::Update(size_t a, const DataChunk& input, size_t n) {
  const BoundAggregate& agg = aggregates_[a];
  State& s = states_[a];
  const uint32_t* gid = group_ids_.data();
  if (agg.kind == AggregateKind::kCountStar) {
    for (size_t i = 0; i < n; ++i) ++s.count[gid[i]];
    return;
  }
  std::unique_ptr<ColumnVector> holder;
  VectorView v = ExpressionExecutor::Evaluate(*agg.argument, input, n, &holder);
  std::string key;
  auto first_time = [&](size_t i) {
    if (!agg.distinct) return true;
    key.clear();
    SerializeKey(v, i, &key);
    return s.seen[gid[i]].insert(key).second;
  };
  const PhysicalClass cls = PhysicalClassOf(v.vec->type);
  for (size_t i = 0; i < n; ++i) {
    if (v.IsNull(i) || !first_time(i)) continue;
    const uint32_t g = gid[i];
    ++s.count[g];
    switch (agg.kind) {
      case AggregateKind::kCount:
      case AggregateKind::kCountStar:
        break;
      case AggregateKind::kSum:
      case AggregateKind::kAvg:
        if (cls == PhysicalClass::kDouble) {
          s.double_sum[g] += v.Double(i);
        } else {
          s.int_sum[g] += v.Int(i);
        }
        break;
      case AggregateKind::kMin:
      case AggregateKind::kMax: {
        const bool is_min = agg.kind == AggregateKind::kMin;
        const bool first = !s.has_value[g];
        s.has_value[g] = 1;
        if (cls == PhysicalClass::kInt64) {
          int64_t x = v.Int(i);
          if (first || (is_min ? x < s.int_value[g] : x > s.int_value[g])) s.int_value[g] = x;
        } else if (cls == PhysicalClass::kDouble) {
          double x = v.Double(i);
          if (first || (is_min ? x < s.double_value[g] : x > s.double_value[g])) {
            s.double_value[g] = x;
          }
        } else {
          const std::string& x = v.String(i);
          if (first || (is_min ? x < s.string_value[g] : x > s.string_value[g])) {
            s.string_value[g] = x;
          }
        }
        break;
      }
    }
  }
}

void PhysicalHashAggregate::Consume() {
  DataChunk input;
  while (child()->Next(&input)) {
    const size_t n = input.size();
    AssignGroups(input, n);
    for (size_t a = 0; a < aggregates_.size(); ++a) Update(a, input, n);
  }
  if (groups_.empty() && group_count_ == 0) AddGroup();
}

void PhysicalHashAggregate::EmitAggregate(size_t a, size_t begin, size_t end,
                                          ColumnVector* out) const {
  const BoundAggregate& agg = aggregates_[a];
  const State& s = states_[a];
  const size_t n = end - begin;
  PrepareOutput(out, agg.type, n);
  const TypeId arg = agg.argument ? agg.argument->type : TypeId::kNull;
  for (size_t i = 0; i < n; ++i) {
    const size_t g = begin + i;
    switch (agg.kind) {
      case AggregateKind::kCountStar:
      case AggregateKind::kCount:
        out->ints[i] = s.count[g];
        break;
      case AggregateKind::kSum:
        if (s.count[g] == 0) {
          out->valid[i] = 0;
        } else if (arg == TypeId::kDouble) {
          out->doubles[i] = s.double_sum[g];
        } else {
          __int128 sum = s.int_sum[g];
          if (sum > std::numeric_limits<int64_t>::max() ||
              sum < std::numeric_limits<int64_t>::min()) {
            throw QueryError(ErrorKind::kOutOfRange,
                             "Overflow in sum: the result does not fit in BIGINT");
          }
          out->ints[i] = static_cast<int64_t>(sum);
        }
        break;
      case AggregateKind::kAvg:
        if (s.count[g] == 0) {
          out->valid[i] = 0;
        } else if (arg == TypeId::kDouble) {
          out->doubles[i] = s.double_sum[g] / static_cast<double>(s.count[g]);
        } else {
          out->doubles[i] = static_cast<double>(static_cast<long double>(s.int_sum[g]) /
                                                static_cast<long double>(s.count[g]));
        }
        break;
      case AggregateKind::kMin:
      case AggregateKind::kMax:
        if (!s.has_value[g]) {
          out->valid[i] = 0;
          break;
        }
        switch (PhysicalClassOf(agg.type)) {
          case PhysicalClass::kInt64:
            out->ints[i] = s.int_value[g];
            break;
          case PhysicalClass::kDouble:
            out->doubles[i] = s.double_value[g];
            break;
          case PhysicalClass::kString:
            out->strings[i] = s.string_value[g];
            break;
        }
        break;
    }
  }
}

bool PhysicalHashAggregate::Next(DataChunk* out) {
  if (!consumed_) {
    Consume();
    consumed_ = true;
  }
  if (emitted_ >= group_count_) return false;
  const size_t begin = emitted_;
  const size_t end = std::min(group_count_, begin + kVectorSize);
  out->Initialize(types_);
  for (size_t g = 0; g < groups_.size(); ++g) {
    out->columns[g].AppendRange(group_values_[g], begin, end);
  }
  for (size_t a = 0; a < aggregates_.size(); ++a) {
    EmitAggregate(a, begin, end, &out->columns[groups_.size() + a]);
  }
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
  return out + "]";
}

}  // namespace tsl::query
