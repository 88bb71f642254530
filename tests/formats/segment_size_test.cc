// Size target on historian-shaped data: 1,000 tags x 8,640 points 1 s
// apart (2.4 hours a tag), sorted by tag then time,
// values a 2-decimal random walk, quality 192 on 99% of rows. The product
// promise is well under 2 bytes a point; the figure is logged for tracking.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "formats/byte_reader.h"
#include "formats/column_codec.h"
#include "formats/segment_footer.h"
#include "formats/segment_reader.h"
#include "formats/segment_writer.h"
#include "tests/formats/segment_test_util.h"

namespace tsl {
namespace {

constexpr int kTags = 1000;
constexpr int kPoints = 8640;

// Deterministic generator of the historian data, chunk by chunk. A cheap
// LCG and precomputed tag names keep the test fast in debug builds.
class HistorianData {
 public:
  explicit HistorianData(uint32_t seed) : rng_(seed) {
    for (int t = 0; t < kTags; ++t) {
      char name[16];
      std::snprintf(name, sizeof name, "tag%05d", t);
      names_.emplace_back(name);
    }
  }
  // The next row; false when done.
  bool Row(int* tag, int64_t* ts, double* value, int64_t* quality) {
    if (tag_ == kTags) return false;
    if (point_ == 0) cents_ = 2000 + static_cast<int64_t>(Rand() % 8000);
    *tag = tag_;
    *ts = 1704067200000000 + static_cast<int64_t>(point_) * 1000000;
    cents_ += static_cast<int64_t>(Rand() % 41) - 20;
    *value = static_cast<double>(cents_) / 100.0;
    *quality = Rand() % 100 == 0 ? static_cast<int64_t>(Rand() % 4) * 64 : 192;
    if (++point_ == kPoints) {
      point_ = 0;
      ++tag_;
    }
    return true;
  }
  // Fills the next up-to-kVectorSize rows; false when done.
  bool Next(DataChunk* c) {
    c->Reset();
    int tag;
    int64_t ts, q;
    double v;
    while (c->size() < kVectorSize && Row(&tag, &ts, &v, &q)) {
      c->columns[0].AppendString(names_[static_cast<size_t>(tag)]);
      c->columns[1].AppendInt(ts);
      c->columns[2].AppendDouble(v);
      c->columns[3].AppendInt(q);
    }
    return c->size() > 0;
  }
  const std::string& name(int tag) const { return names_[static_cast<size_t>(tag)]; }

 private:
  uint32_t Rand() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state_ >> 33);
  }
  uint64_t rng_;
  uint64_t state_ = rng_;
  std::vector<std::string> names_;
  int tag_ = 0, point_ = 0;
  int64_t cents_ = 0;
};

Schema HistorianSchema() {
  return Schema{{{"tag", TypeId::kVarchar}, {"ts", TypeId::kTimestamp}, {"value", TypeId::kDouble},
                 {"quality", TypeId::kInteger}}};
}

TEST(SegmentSizeTest, HistorianDayIsUnderTwoBytesPerPoint) {
  const auto start = std::chrono::steady_clock::now();
  SegmentWriter w(HistorianSchema(), SegmentWriteOptions{Compression::kZstd, 3});
  HistorianData gen(2024);
  DataChunk c;
  c.Initialize({TypeId::kVarchar, TypeId::kTimestamp, TypeId::kDouble, TypeId::kInteger});
  while (gen.Next(&c)) ASSERT_TRUE(w.Append(c).ok());
  SegmentStats stats;
  auto bytes = w.Finish(&stats);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  const double rows = static_cast<double>(kTags) * kPoints;
  ASSERT_EQ(stats.row_count, static_cast<int64_t>(rows));
  const double per_row = static_cast<double>(bytes->size()) / rows;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  StringByteSource src(*bytes, "historian.seg");
  auto r = SegmentReader::Open(&src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::printf("[ size     ] %d tags x %d points = %.0f rows: %zu bytes, %.4f bytes/row (write %.2f s)\n", kTags,
              kPoints, rows, bytes->size(), per_row, secs);
  EXPECT_LT(per_row, 2.0);
  {
    // Where the bytes go, from the footer.
    const std::string_view file(*bytes);
    ByteReader tr(file.substr(file.size() - kSegmentTrailerSize));
    uint32_t flen = 0;
    ASSERT_TRUE(tr.GetU32(&flen));
    const size_t footer_at = file.size() - kSegmentTrailerSize - flen;
    auto footer = SegmentFooter::Parse(file.substr(footer_at, flen), footer_at);
    ASSERT_TRUE(footer.ok());
    for (size_t i = 0; i < footer->blocks.size(); ++i) {
      const ColumnBlockInfo& b = footer->blocks[i];
      std::printf("[ size     ]   %-8s %-15s %-5s %10llu bytes  %.4f bytes/row\n",
                  footer->schema.fields[i].name.c_str(), std::string(ColumnEncodingName(b.encoding)).c_str(),
                  std::string(CompressionName(b.compression)).c_str(), static_cast<unsigned long long>(b.length),
                  static_cast<double>(b.length) / rows);
    }
    // Each column lands on the codec built for its shape.
    EXPECT_EQ(footer->blocks[0].encoding, ColumnEncoding::kStringDictionary);
    EXPECT_EQ(footer->blocks[1].encoding, ColumnEncoding::kIntDeltaOfDelta);
    EXPECT_EQ(footer->blocks[2].encoding, ColumnEncoding::kDoubleDecimal);
    EXPECT_EQ(footer->blocks[3].encoding, ColumnEncoding::kIntRunLength);
  }

  // Everything reads back exactly (column at a time to bound memory).
  for (int col = 0; col < 4; ++col) {
    ColumnVector got;
    Status st = (*r)->ReadColumn(col, &got);
    ASSERT_TRUE(st.ok()) << st.ToString();
    ASSERT_EQ(got.size(), static_cast<size_t>(rows));
    HistorianData again(2024);
    int tag;
    int64_t ts, q;
    double v;
    size_t row = 0;
    bool same = true;
    for (; same && again.Row(&tag, &ts, &v, &q); ++row) {
      same = got.valid[row] == 1 && (col == 0   ? got.strings[row] == again.name(tag)
                                     : col == 1 ? got.ints[row] == ts
                                     : col == 2 ? got.doubles[row] == v
                                                : got.ints[row] == q);
    }
    ASSERT_TRUE(same) << "column " << col << " differs at row " << row - 1;
  }
}

}  // namespace
}  // namespace tsl
