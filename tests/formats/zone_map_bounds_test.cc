// Truncated VARCHAR zone-map bounds (formats/segment_stats.h): valid
// UTF-8, conservative, monotone (so that folding chunk by chunk equals
// truncating the exact extremes), and exact for short values.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "formats/column_vector.h"
#include "formats/segment_stats.h"
#include "formats/utf8.h"

namespace tsl {
namespace {

std::string RandomString(std::mt19937_64& rng) {
  // Mostly long strings sharing prefixes, from a small alphabet that
  // includes multi-byte characters, U+10FFFF and the code point before the
  // surrogates, so that carries and boundaries are exercised.
  static const std::vector<std::string> alphabet = {"a", "b", "\xC3\xA9", "\xE6\xB8\xA9",
                                                    "\xED\x9F\xBF", "\xF4\x8F\xBF\xBF"};
  std::uniform_int_distribution<size_t> len(kZoneMapStringCodePoints - 3, kZoneMapStringCodePoints + 3);
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<int> shared(0, 3);
  std::string s;
  size_t n = len(rng);
  // A long common run makes neighbours differ only near the cut.
  size_t common = shared(rng) == 0 ? 0 : n - 4;
  for (size_t i = 0; i < n; ++i) s += i < common ? alphabet[0] : alphabet[pick(rng)];
  return s;
}

TEST(ZoneMapBounds, ShortValuesAreExact) {
  EXPECT_EQ(ZoneMapLowerBound("TI-101"), "TI-101");
  EXPECT_EQ(ZoneMapUpperBound("TI-101"), "TI-101");
  std::string exact(kZoneMapStringCodePoints, 'x');
  EXPECT_EQ(ZoneMapLowerBound(exact), exact);
  EXPECT_EQ(ZoneMapUpperBound(exact), exact);
}

TEST(ZoneMapBounds, LongValuesAreCutAndStayBounds) {
  std::string big(64 << 20, 'x');
  std::string lo = ZoneMapLowerBound(big), hi = ZoneMapUpperBound(big);
  EXPECT_EQ(lo, std::string(kZoneMapStringCodePoints, 'x'));
  EXPECT_EQ(hi, std::string(kZoneMapStringCodePoints - 1, 'x') + "y");
  EXPECT_LE(lo, big);
  EXPECT_GT(hi, big);
  // Incrementing U+D7FF skips the surrogates; U+10FFFF carries left.
  std::string before_surrogates = std::string(kZoneMapStringCodePoints - 1, 'a') + "\xED\x9F\xBF" + "z";
  EXPECT_EQ(ZoneMapUpperBound(before_surrogates),
            std::string(kZoneMapStringCodePoints - 1, 'a') + "\xEE\x80\x80");
  std::string max_cp = std::string(kZoneMapStringCodePoints - 1, 'a') + "\xF4\x8F\xBF\xBF" + "z";
  EXPECT_EQ(ZoneMapUpperBound(max_cp), std::string(kZoneMapStringCodePoints - 2, 'a') + "b");
}

TEST(ZoneMapBounds, RandomBoundsAreValidConservativeAndMonotone) {
  std::mt19937_64 rng(20261207);
  std::vector<std::string> v;
  for (int i = 0; i < 3000; ++i) v.push_back(RandomString(rng));
  std::sort(v.begin(), v.end());
  for (size_t i = 0; i < v.size(); ++i) {
    std::string lo = ZoneMapLowerBound(v[i]), hi = ZoneMapUpperBound(v[i]);
    ASSERT_TRUE(IsValidUtf8(lo));
    ASSERT_TRUE(IsValidUtf8(hi));
    ASSERT_LE(lo, v[i]);
    ASSERT_GE(hi, v[i]);
    if (i > 0) {
      ASSERT_LE(ZoneMapLowerBound(v[i - 1]), lo) << i;
      ASSERT_LE(ZoneMapUpperBound(v[i - 1]), hi) << i;
    }
  }
}

TEST(ZoneMapBounds, FoldingChunksEqualsTruncatingTheExtremes) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::string> v;
    for (int i = 0; i < 40; ++i) v.push_back(RandomString(rng));
    ZoneMap folded;
    for (size_t at = 0; at < v.size(); at += 7) {
      ColumnVector chunk(TypeId::kVarchar);
      for (size_t i = at; i < std::min(v.size(), at + 7); ++i) chunk.AppendValue(Value::Varchar(v[i]));
      folded.Update(chunk);
    }
    auto [mn, mx] = std::minmax_element(v.begin(), v.end());
    EXPECT_EQ(folded.min.string_value(), ZoneMapLowerBound(*mn));
    EXPECT_EQ(folded.max.string_value(), ZoneMapUpperBound(*mx));
    // Idempotent: an already-truncated zone map is unchanged.
    ZoneMap again = folded.Truncated();
    EXPECT_EQ(again.min.string_value(), folded.min.string_value());
    EXPECT_EQ(again.max.string_value(), folded.max.string_value());
    // min == max only when exact.
    EXPECT_NE(folded.min.string_value(), folded.max.string_value());
  }
}

}  // namespace
}  // namespace tsl
