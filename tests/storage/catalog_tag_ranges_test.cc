// segments.tag_ranges (storage/catalog_tag_ranges.h): every entry
// round-trips, including the NULL tag, missing ranges, units and int64
// extremes, compressed or not; malformed blobs are kCorruption.
#include "storage/catalog_tag_ranges.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace tsl {
namespace {

TEST(CatalogTagRangesTest, RoundTripsEveryField) {
  std::vector<PackedTagRange> in;
  in.push_back({std::nullopt, 5, 9, 3, std::nullopt, std::nullopt});
  in.push_back({1, std::nullopt, std::nullopt, 2, "degC", std::nullopt});
  in.push_back({7, INT64_MIN, INT64_MAX, 1, "K", INT64_MAX});
  in.push_back({INT64_MAX, -1, 0, 0, std::nullopt, INT64_MIN});
  std::string blob = PackTagRanges(in);
  auto out = UnpackTagRanges(blob);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, in);
  EXPECT_TRUE(UnpackTagRanges(PackTagRanges({}))->empty());
}

TEST(CatalogTagRangesTest, AFlushOfOneRowPerTagPacksSmall) {
  std::vector<PackedTagRange> in;
  for (int64_t id = 1; id <= 1000; ++id)
    in.push_back(
        {id, 1'704'067'200'000'000LL, 1'704'067'200'000'000LL, 1, std::nullopt, std::nullopt});
  std::string blob = PackTagRanges(in);
  EXPECT_LT(blob.size(), 200u);  // 5 bytes a tag before zstd
  auto out = UnpackTagRanges(blob);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, in);
}

TEST(CatalogTagRangesTest, MalformedBlobsAreCorruption) {
  std::vector<PackedTagRange> in;
  for (int64_t id = 1; id <= 100; ++id) in.push_back({id, id * 7, id * 9, id, "u", id});
  std::string blob = PackTagRanges(in);
  for (size_t cut = 0; cut < blob.size(); ++cut)
    EXPECT_FALSE(UnpackTagRanges(blob.substr(0, cut)).ok()) << cut;
  EXPECT_EQ(UnpackTagRanges("\x09").status().code(), StatusCode::kCorruption);
  EXPECT_FALSE(UnpackTagRanges(std::string("\x02\xff\xff\xff\xff\x0f", 6)).ok());
}

}  // namespace
}  // namespace tsl
