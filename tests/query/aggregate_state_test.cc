// Aggregate states and framed window aggregates: HyperLogLog accuracy,
// DuckDB's quantile positions, ORDER BY replay, and sliding-frame median,
// quantile_disc, arg_max and count(DISTINCT) checked against brute force
// over every frame (the O(n log n) structures must agree with recomputing
// each frame from scratch).
#include <algorithm>
#include <set>

#include "query/functions/aggregate_state.h"
#include "query/functions/hyper_log_log.h"
#include "tests/query/query_test_util.h"

namespace tsl::query {
namespace {

TEST(HyperLogLogTest, CountsExactlyWhileSmallAndWithinThreePercentWhenLarge) {
  HyperLogLog small;
  for (int round = 0; round < 3; ++round) {
    for (uint64_t i = 0; i < 500; ++i) small.Add(i * 0x9e3779b97f4a7c15ULL);
  }
  EXPECT_EQ(small.Estimate(), 500);

  ColumnVector v(TypeId::kBigint);
  for (int64_t i = 0; i < 200000; ++i) v.AppendInt(i);
  HyperLogLog large;
  for (size_t i = 0; i < v.size(); ++i) large.Add(HashCell(VectorView{&v, false}, i));
  EXPECT_NEAR(static_cast<double>(large.Estimate()), 200000.0, 200000.0 * 0.03);
}

TEST(QuantileTest, PositionsMatchDuckDB) {
  // DuckDB 1.5.6: quantile_disc over 1..10 at 0.1/0.3/0.7 -> 1/3/7; over
  // {10,20,30,40} at 0.25/0.6/0.75/1 -> 10/30/30/40.
  EXPECT_EQ(DiscreteQuantileIndex(0.1, 10), 0u);
  EXPECT_EQ(DiscreteQuantileIndex(0.3, 10), 2u);
  EXPECT_EQ(DiscreteQuantileIndex(0.7, 10), 6u);
  EXPECT_EQ(DiscreteQuantileIndex(0.25, 4), 0u);
  EXPECT_EQ(DiscreteQuantileIndex(0.6, 4), 2u);
  EXPECT_EQ(DiscreteQuantileIndex(0.75, 4), 2u);
  EXPECT_EQ(DiscreteQuantileIndex(1.0, 4), 3u);
  EXPECT_EQ(DiscreteQuantileIndex(0.0, 4), 0u);
  EXPECT_DOUBLE_EQ(ContinuousQuantilePosition(0.5, 4), 1.5);
}

TEST(OrderedAggregateTest, ReplaysEachGroupSortedByTheKeys) {
  auto state = MakeOrderedAggregateState(
      MakeAggregateState(AggregateKind::kStringAgg, {TypeId::kVarchar}, Value::Varchar("-"),
                         TypeId::kVarchar),
      1, {true});
  ColumnVector text(TypeId::kVarchar), key(TypeId::kBigint);
  for (const char* s : {"b", "a", "c", "d"}) text.AppendString(s);
  for (int64_t k : {2, 1, 3, 5}) key.AppendInt(k);
  const uint32_t gid[] = {0, 1, 0, kSkipRow};
  state->Resize(2);
  state->Update({VectorView{&text, false}, VectorView{&key, false}}, gid, 4);
  ColumnVector out;
  PrepareOutput(&out, TypeId::kVarchar, 2);
  state->Finalize(0, 2, &out);
  EXPECT_EQ(out.strings[0], "c-b");  // keys 3, 2 descending
  EXPECT_EQ(out.strings[1], "a");
}

class SlidingWindowTest : public EngineFixture {};

TEST_F(SlidingWindowTest, FramedAggregatesEqualBruteForceOverEveryFrame) {
  const int n = 600;
  std::vector<int64_t> x(n);
  for (int i = 0; i < n; ++i) x[i] = (static_cast<int64_t>(i) * 7919 + 13) % 97;
  for (auto [before, after] : {std::pair{0, 0}, {5, 0}, {17, 3}, {0, 9}, {40, 40}}) {
    const std::string frame = "OVER (ORDER BY i ROWS BETWEEN " + std::to_string(before) +
                              " PRECEDING AND " + std::to_string(after) + " FOLLOWING)";
    std::vector<std::string> rows =
        Rows("SELECT i, quantile_disc(x, 0.5) " + frame + ", arg_max(i, x) " + frame +
             ", count(DISTINCT x) " + frame + " FROM (SELECT i, (i * 7919 + 13) % 97 AS x FROM "
             "range(0, " + std::to_string(n) + ") r(i)) t ORDER BY i");
    ASSERT_EQ(rows.size(), static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      const int lo = std::max(0, i - before), hi = std::min(n - 1, i + after);
      std::vector<int64_t> frame_values(x.begin() + lo, x.begin() + hi + 1);
      std::vector<int64_t> sorted = frame_values;
      std::sort(sorted.begin(), sorted.end());
      const int64_t disc = sorted[DiscreteQuantileIndex(0.5, sorted.size())];
      int best = lo;
      for (int k = lo; k <= hi; ++k) {
        if (x[k] > x[best]) best = k;  // ties keep the earliest row
      }
      const size_t distinct = std::set<int64_t>(sorted.begin(), sorted.end()).size();
      EXPECT_EQ(rows[i], std::to_string(i) + "|" + std::to_string(disc) + "|" +
                             std::to_string(best) + "|" + std::to_string(distinct))
          << "frame " << before << " preceding, " << after << " following, row " << i;
    }
  }
}

}  // namespace
}  // namespace tsl::query
