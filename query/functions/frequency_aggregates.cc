// Aggregates over a group's values as a multiset: mode (the most frequent
// value, ties to the one seen first, as DuckDB's ModeFunction), entropy
// (Shannon entropy in bits of the value frequencies; 0 for no rows, as in
// DuckDB) and reservoir_quantile (the quantile of a uniform sample of at
// most 8192 values, DuckDB's default sample size: exact up to that many
// rows, a seeded reservoir sample beyond). See aggregate_families.h.
// Thread-safety: one thread per state.
#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "query/common/query_error.h"
#include "query/functions/aggregate_families.h"

namespace tsl::query {
namespace {

using K = AggregateKind;

template <typename T>
const T& Read(const VectorView& v, size_t i);
template <>
const int64_t& Read<int64_t>(const VectorView& v, size_t i) {
  return v.vec->ints[v.Index(i)];
}
template <>
const double& Read<double>(const VectorView& v, size_t i) {
  return v.vec->doubles[v.Index(i)];
}
template <>
const std::string& Read<std::string>(const VectorView& v, size_t i) {
  return v.vec->strings[v.Index(i)];
}

template <typename T>
void Write(ColumnVector* out, size_t i, const T& x) {
  if constexpr (std::is_same_v<T, int64_t>) {
    out->ints[i] = x;
  } else if constexpr (std::is_same_v<T, double>) {
    out->doubles[i] = x;
  } else {
    out->strings[i] = x;
  }
}

// Bytes an entry of the value map holds beyond the map's fixed size.
template <typename T>
int64_t EntryBytes(const T& x) {
  int64_t bytes = 64;  // node, bucket and attributes
  if constexpr (std::is_same_v<T, std::string>) {
    if (x.size() > 15) bytes += static_cast<int64_t>(x.size()) + 1;
  }
  return bytes;
}

struct Frequency {
  uint64_t count = 0;
  uint64_t first_row = 0;  // the group's row number of the first occurrence
};

// mode and entropy.
template <typename T>
class FrequencyState final : public AggregateState {
  struct Group {
    std::unordered_map<T, Frequency> values;
    uint64_t rows = 0;
  };

 public:
  explicit FrequencyState(bool entropy) : entropy_(entropy) {}
  void Resize(size_t g) override { groups_.resize(g); }
  // `other` holds later rows, so its row numbers continue after ours.
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<FrequencyState&>(other);
    for (size_t g = 0; g < n; ++g) {
      Group& t = groups_[map[g]];
      Group& s = o.groups_[g];
      for (auto& [value, f] : s.values) {
        auto [it, inserted] = t.values.try_emplace(value);
        if (inserted) {
          it->second.first_row = t.rows + f.first_row;
          bytes_ += EntryBytes(value);
        }
        it->second.count += f.count;
      }
      t.rows += s.rows;
      s.values.clear();
    }
    o.bytes_ = 0;
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      Group& group = groups_[g];
      const T& x = Read<T>(v, i);
      auto [it, inserted] = group.values.try_emplace(x);
      if (inserted) {
        it->second.first_row = group.rows;
        bytes_ += EntryBytes(x);
      }
      ++it->second.count;
      ++group.rows;
    }
  }
  int64_t MemoryBytes() const override { return bytes_; }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      const size_t i = g - b;
      const Group& group = groups_[g];
      if (entropy_) {
        // Summed in first-occurrence order, so the result does not depend
        // on the hash map's layout.
        std::vector<const Frequency*> order;
        order.reserve(group.values.size());
        for (const auto& kv : group.values) order.push_back(&kv.second);
        std::sort(order.begin(), order.end(),
                  [](const Frequency* x, const Frequency* y) { return x->first_row < y->first_row; });
        const double count = static_cast<double>(group.rows);
        double h = 0;
        for (const Frequency* f : order) {
          const double c = static_cast<double>(f->count);
          h += (c / count) * std::log2(count / c);
        }
        out->doubles[i] = h;
        continue;
      }
      const T* best = nullptr;
      const Frequency* best_f = nullptr;
      for (const auto& [value, f] : group.values) {
        if (!best_f || f.count > best_f->count ||
            (f.count == best_f->count && f.first_row < best_f->first_row)) {
          best = &value;
          best_f = &f;
        }
      }
      if (best) {
        Write(out, i, *best);
      } else {
        out->valid[i] = 0;
      }
    }
  }

 private:
  bool entropy_;
  std::vector<Group> groups_;
  int64_t bytes_ = 0;
};

constexpr size_t kReservoirSize = 8192;

template <typename T>
class ReservoirQuantileState final : public AggregateState {
  struct Group {
    std::vector<T> sample;
    uint64_t seen = 0;
  };

 public:
  explicit ReservoirQuantileState(double q) : q_(q) {}
  void Resize(size_t g) override { groups_.resize(g); }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<ReservoirQuantileState&>(other);
    for (size_t g = 0; g < n; ++g) {
      for (const T& x : o.groups_[g].sample) Add(groups_[map[g]], x);
      o.groups_[g].sample.clear();
    }
    o.bytes_ = 0;
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      Add(groups_[g], Read<T>(v, i));
    }
  }
  int64_t MemoryBytes() const override { return bytes_; }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      std::vector<T>& s = groups_[g].sample;
      if (s.empty()) {
        out->valid[g - b] = 0;
        continue;
      }
      // DuckDB's offset: (n - 1) * q truncated.
      const size_t k = static_cast<size_t>(static_cast<double>(s.size() - 1) * q_);
      std::nth_element(s.begin(), s.begin() + k, s.end());
      Write(out, g - b, s[k]);
    }
  }

 private:
  // Vitter's Algorithm R: the i-th value replaces a random slot with
  // probability size / i.
  void Add(Group& group, const T& x) {
    ++group.seen;
    if (group.sample.size() < kReservoirSize) {
      group.sample.push_back(x);
      bytes_ += static_cast<int64_t>(sizeof(T));
      return;
    }
    std::uniform_int_distribution<uint64_t> pick(0, group.seen - 1);
    const uint64_t slot = pick(rng_);
    if (slot < kReservoirSize) group.sample[slot] = x;
  }

  double q_;
  std::vector<Group> groups_;
  std::mt19937_64 rng_{0x7e5f1a4e};  // fixed: a query gives the same answer every run
  int64_t bytes_ = 0;
};

// approx_quantile: DuckDB answers from a t-digest (compression 100). While
// the digest keeps every value as its own centroid (small groups), its
// answer is the interpolation below between neighbouring values, centred
// at rank i + 0.5, which this computes exactly from all the group's values
// (so small groups match DuckDB to the bit); for large groups DuckDB's
// merged centroids give a nearby value (a rank error of a fraction of a
// percent) where this stays the exact interpolation. Integer types round
// half to even, as DuckDB's cast from the digest's double does.
template <typename T>
class ApproxQuantileState final : public AggregateState {
 public:
  // DuckDB keeps the fraction as a FLOAT: 0.37 is 0.3700000047683716.
  explicit ApproxQuantileState(double q) : q_(static_cast<float>(q)) {}
  void Resize(size_t g) override { groups_.resize(g); }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<ApproxQuantileState&>(other);
    for (size_t g = 0; g < n; ++g) {
      std::vector<T>& into = groups_[map[g]];
      into.insert(into.end(), o.groups_[g].begin(), o.groups_[g].end());
      bytes_ += static_cast<int64_t>(o.groups_[g].size() * sizeof(T));
      o.groups_[g].clear();
    }
    o.bytes_ = 0;
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      groups_[g].push_back(Read<T>(v, i));
      bytes_ += static_cast<int64_t>(sizeof(T));
    }
  }
  int64_t MemoryBytes() const override { return bytes_; }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      std::vector<T>& s = groups_[g];
      if (s.empty()) {
        out->valid[g - b] = 0;
        continue;
      }
      std::sort(s.begin(), s.end());
      const size_t n = s.size();
      const double index = q_ * static_cast<double>(n);
      double x;
      if (index <= 0.5) {
        x = static_cast<double>(s[0]);
      } else {
        // The first centre (i + 0.5) at or after `index`.
        const size_t i = static_cast<size_t>(std::ceil(index - 0.5));
        // DuckDB's digest interpolates up to the last centre (n - 0.5);
        // beyond it, towards the maximum, which is the last value.
        if (i < n) {
          const double z1 = index - (static_cast<double>(i) - 0.5);
          const double z2 = (static_cast<double>(i) + 0.5) - index;
          const double lo = static_cast<double>(s[i - 1]), hi = static_cast<double>(s[i]);
          x = std::max(lo, std::min((lo * z2 + hi * z1) / (z1 + z2), hi));
        } else {
          x = static_cast<double>(s[n - 1]);
        }
      }
      if constexpr (std::is_same_v<T, int64_t>) {
        Write(out, g - b, static_cast<int64_t>(std::nearbyint(x)));
      } else {
        Write(out, g - b, static_cast<T>(x));
      }
    }
  }

 private:
  double q_;
  std::vector<std::vector<T>> groups_;
  int64_t bytes_ = 0;
};

template <template <typename> class S, typename... Args>
std::unique_ptr<AggregateState> ForClass(TypeId arg, Args... args) {
  switch (PhysicalClassOf(arg)) {
    case PhysicalClass::kDouble:
      return std::make_unique<S<double>>(args...);
    case PhysicalClass::kString:
      return std::make_unique<S<std::string>>(args...);
    case PhysicalClass::kInt64:
      break;
  }
  return std::make_unique<S<int64_t>>(args...);
}

template <typename T>
using Reservoir = ReservoirQuantileState<T>;

}  // namespace

std::unique_ptr<AggregateState> MakeFrequencyAggregateState(AggregateKind kind, TypeId arg,
                                                            const Value& parameter) {
  switch (kind) {
    case K::kMode:
    case K::kEntropy:
      return ForClass<FrequencyState>(arg, kind == K::kEntropy);
    case K::kReservoirQuantile:
      if (PhysicalClassOf(arg) == PhysicalClass::kString) {
        throw QueryError(ErrorKind::kInternal, "reservoir_quantile over strings");
      }
      return ForClass<Reservoir>(arg, parameter.AsDouble());
    case K::kApproxQuantile:
      if (PhysicalClassOf(arg) == PhysicalClass::kDouble) {
        return std::make_unique<ApproxQuantileState<double>>(parameter.AsDouble());
      }
      if (PhysicalClassOf(arg) == PhysicalClass::kString) {
        throw QueryError(ErrorKind::kInternal, "approx_quantile over strings");
      }
      return std::make_unique<ApproxQuantileState<int64_t>>(parameter.AsDouble());
    default:
      throw QueryError(ErrorKind::kInternal, "not a frequency aggregate");
  }
}

}  // namespace tsl::query
