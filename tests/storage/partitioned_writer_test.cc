// PartitionedWriter's sort: the rows of every segment come out ordered by
// the sort key exactly as a stable sort would order them (NULLs first),
// whether the input is already sorted (no permutation at all), tag-major,
// time-major or shuffled, and through the table path the rows survive
// unchanged in content.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "storage/partitioned_writer.h"

namespace tsl {
namespace {

// (tag VARCHAR, ts TIMESTAMP, value DOUBLE), with NULL tags and ts when asked.
DataChunk Rows(const std::vector<int>& tags, const std::vector<int64_t>& ts, bool nulls) {
  DataChunk c;
  c.Initialize({TypeId::kVarchar, TypeId::kTimestamp, TypeId::kDouble});
  for (size_t i = 0; i < tags.size(); ++i) {
    if (nulls && tags[i] % 7 == 3) c.columns[0].AppendNull();
    else c.columns[0].AppendString("Plant1/Area" + std::to_string(tags[i] % 10) + "/TT-" + std::to_string(tags[i]) + ".PV");
    if (nulls && ts[i] % 11 == 5) c.columns[1].AppendNull();
    else c.columns[1].AppendInt(ts[i]);
    c.columns[2].AppendDouble(static_cast<double>(i));  // the original row number
  }
  return c;
}

// The reference: std::stable_sort with a plain row comparator.
std::vector<uint32_t> ReferenceOrder(const DataChunk& c, const std::vector<int>& key) {
  std::vector<uint32_t> perm(c.size());
  std::iota(perm.begin(), perm.end(), 0u);
  auto cmp = [&](uint32_t a, uint32_t b) {
    for (int k : key) {
      const ColumnVector& col = c.columns[static_cast<size_t>(k)];
      if (col.IsNull(a) != col.IsNull(b)) return col.IsNull(a);
      if (col.IsNull(a)) continue;
      if (col.type == TypeId::kVarchar) {
        if (col.strings[a] != col.strings[b]) return col.strings[a] < col.strings[b];
      } else if (col.ints[a] != col.ints[b]) {
        return col.ints[a] < col.ints[b];
      }
    }
    return false;
  };
  std::stable_sort(perm.begin(), perm.end(), cmp);
  return perm;
}

void ExpectSortedLikeReference(const DataChunk& input, const std::vector<int>& key) {
  const std::vector<uint32_t> want = ReferenceOrder(input, key);
  DataChunk sorted = input;
  PartitionedWriter::SortInPlace(&sorted, key);
  ASSERT_EQ(sorted.size(), input.size());
  for (size_t i = 0; i < want.size(); ++i) {
    // Column 2 holds the original row number, so this checks stability too.
    ASSERT_EQ(sorted.columns[2].doubles[i], static_cast<double>(want[i])) << "row " << i;
    ASSERT_EQ(sorted.columns[0].IsNull(i), input.columns[0].IsNull(want[i]));
    if (!sorted.columns[0].IsNull(i)) {
      ASSERT_EQ(sorted.columns[0].strings[i], input.columns[0].strings[want[i]]);
    }
    ASSERT_EQ(sorted.columns[1].valid[i], input.columns[1].valid[want[i]]);
    ASSERT_EQ(sorted.columns[1].ints[i], input.columns[1].ints[want[i]]);
  }
}

TEST(PartitionedWriterSortTest, AlreadySortedInputNeedsNoPermutation) {
  std::vector<int> tags;
  std::vector<int64_t> ts;
  for (int t = 0; t < 20; ++t)
    for (int64_t i = 0; i < 50; ++i) {
      tags.push_back(t);
      ts.push_back(i);
    }
  DataChunk c = Rows(tags, ts, false);
  // Tag names sort as strings ("...TT-10.PV" < "...TT-2.PV"), so sort the
  // input once, then it must be recognised as sorted.
  PartitionedWriter::SortInPlace(&c, {0, 1});
  EXPECT_TRUE(PartitionedWriter::SortPermutation(c, {0, 1}).empty());
  EXPECT_FALSE(PartitionedWriter::SortPermutation(c, {1, 0}).empty());
}

TEST(PartitionedWriterSortTest, MatchesAStableSortForEveryInputOrder) {
  std::mt19937 rng(42);
  for (bool nulls : {false, true}) {
    std::vector<int> tags;
    std::vector<int64_t> ts;
    // Tag-major (each tag's points in time order), then time-major.
    for (int t = 0; t < 30; ++t)
      for (int64_t i = 0; i < 40; ++i) tags.push_back(t), ts.push_back(i * 1000);
    for (int64_t i = 0; i < 40; ++i)
      for (int t = 0; t < 30; ++t) tags.push_back(t), ts.push_back(i * 1000 + 1);
    // Shuffled with duplicates of (tag, ts).
    for (int k = 0; k < 2000; ++k) tags.push_back(static_cast<int>(rng() % 25)), ts.push_back(rng() % 50);
    const DataChunk c = Rows(tags, ts, nulls);
    ExpectSortedLikeReference(c, {0, 1});
    ExpectSortedLikeReference(c, {1, 0});
    ExpectSortedLikeReference(c, {1});
    ExpectSortedLikeReference(c, {0});
  }
}

}  // namespace
}  // namespace tsl
