// sum(INTERVAL). See interval_sum_state.h.
#include "query/functions/interval_sum_state.h"

#include <vector>

#include "formats/interval.h"
#include "query/common/query_error.h"

namespace tsl::query {
namespace {

class IntervalSumState final : public AggregateState {
 public:
  void Resize(size_t g) override {
    months_.resize(g, 0);
    micros_.resize(g, 0);
    count_.resize(g, 0);
  }
  void Update(const std::vector<VectorView>& a, const uint32_t* gid, size_t n) override {
    const VectorView& v = a[0];
    for (size_t i = 0; i < n; ++i) {
      const uint32_t g = gid[i];
      if (g == kSkipRow || v.IsNull(i)) continue;
      const IntervalParts p = DecodeInterval(v.Int(i));
      months_[g] += p.months;
      micros_[g] += p.micros;
      ++count_[g];
    }
  }
  void Combine(AggregateState& other, const uint32_t* map, size_t n) override {
    auto& o = static_cast<IntervalSumState&>(other);
    for (size_t g = 0; g < n; ++g) {
      months_[map[g]] += o.months_[g];
      micros_[map[g]] += o.micros_[g];
      count_[map[g]] += o.count_[g];
    }
  }
  void Finalize(size_t b, size_t e, ColumnVector* out) override {
    for (size_t g = b; g < e; ++g) {
      const size_t i = g - b;
      if (count_[g] == 0) {
        out->valid[i] = 0;
        continue;
      }
      Result<int64_t> v = EncodeInterval(months_[g], micros_[g]);
      if (!v.ok()) throw QueryError(ErrorKind::kOutOfRange, "sum(INTERVAL): " + v.status().message());
      out->ints[i] = *v;
    }
  }

 private:
  // 128 bits: 2^64 rows of the largest interval cannot overflow them.
  std::vector<__int128> months_, micros_;
  std::vector<int64_t> count_;
};

}  // namespace

std::unique_ptr<AggregateState> MakeIntervalSumState() { return std::make_unique<IntervalSumState>(); }

}  // namespace tsl::query
