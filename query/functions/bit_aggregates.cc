// bit_and, bit_or, bit_xor over INTEGER and BIGINT (two's complement, the
// argument's type); NULL when a group has no non-NULL value, as in DuckDB.
// See aggregate_families.h. Thread-safety: one thread per state.
#include <vector>

#include "query/common/query_error.h"
#include "query/functions/aggregate_families.h"

namespace tsl::query {
namespace {

using K = AggregateKind;

template <K kKind>
class BitState final : public AggregateState {
 public:
  void Resize(size_t g) override {
    value_.resize(g, kKind == K::kBitAnd ? ~int64_t{0} : 0);
    has_.resize(g, 0);
  }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<BitState&>(other);
    for (size_t g = 0; g < n; ++g) {
      if (!o.has_[g]) continue;
      Apply(&value_[map[g]], o.value_[g]);
      has_[map[g]] = 1;
    }
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      Apply(&value_[g], v.Int(i));
      has_[g] = 1;
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      if (has_[g]) {
        out->ints[g - b] = value_[g];
      } else {
        out->valid[g - b] = 0;
      }
    }
  }

 private:
  // An INTEGER's bits combine to an INTEGER: its int64 holds the
  // sign-extended value and and/or/xor of sign-extended values stay so.
  static void Apply(int64_t* acc, int64_t x) {
    if constexpr (kKind == K::kBitAnd) {
      *acc &= x;
    } else if constexpr (kKind == K::kBitOr) {
      *acc |= x;
    } else {
      *acc ^= x;
    }
  }
  std::vector<int64_t> value_;
  std::vector<uint8_t> has_;
};

}  // namespace

std::unique_ptr<AggregateState> MakeBitAggregateState(AggregateKind kind, TypeId) {
  switch (kind) {
    case K::kBitAnd:
      return std::make_unique<BitState<K::kBitAnd>>();
    case K::kBitOr:
      return std::make_unique<BitState<K::kBitOr>>();
    case K::kBitXor:
      return std::make_unique<BitState<K::kBitXor>>();
    default:
      throw QueryError(ErrorKind::kInternal, "not a bit aggregate");
  }
}

}  // namespace tsl::query
