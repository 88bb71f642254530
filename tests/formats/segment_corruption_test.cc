// Corruption tests: flip every byte of a small segment file one at a time
// and truncate it at every length. Each damaged file must give kCorruption
// (from Open or ReadColumn) or, only where a checksum cannot see the change,
// exactly the original data; never a crash or garbage.
#include <gtest/gtest.h>

#include "formats/segment_footer.h"
#include "formats/segment_reader.h"
#include "formats/segment_writer.h"
#include "tests/formats/segment_test_util.h"

namespace tsl {
namespace {

struct Sample {
  Schema schema;
  DataChunk chunk;
  std::string bytes;
};

Sample MakeSample(Compression comp) {
  Sample s;
  s.schema = Schema{{{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}, {"v", TypeId::kDouble},
                     {"q", TypeId::kInteger}, {"ok", TypeId::kBoolean}}};
  s.chunk.Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble, TypeId::kInteger, TypeId::kBoolean});
  for (int i = 0; i < 40; ++i) {
    s.chunk.columns[0].AppendInt(1704067200000000 + i * 1000000);
    s.chunk.columns[1].AppendString(i < 20 ? "pump1" : "pump2");
    if (i % 9 == 4)
      s.chunk.columns[2].AppendNull();
    else
      s.chunk.columns[2].AppendDouble(20.0 + i * 0.25);
    s.chunk.columns[3].AppendInt(i % 13 == 0 ? 0 : 192);
    s.chunk.columns[4].AppendInt(i % 2);
  }
  SegmentWriter w(s.schema, SegmentWriteOptions{comp, 3});
  EXPECT_TRUE(w.Append(s.chunk).ok());
  SegmentStats st;
  auto b = w.Finish(&st);
  EXPECT_TRUE(b.ok());
  s.bytes = *b;
  return s;
}

// OK with identical data, or a kCorruption error; anything else fails.
// Returns true when the file was rejected.
bool CheckDamaged(const Sample& s, const std::string& damaged, const std::string& what) {
  StringByteSource src(damaged, "damaged.seg");
  auto r = SegmentReader::Open(&src);
  if (!r.ok()) {
    EXPECT_TRUE(r.status().IsCorruption()) << what << ": " << r.status().ToString();
    EXPECT_NE(r.status().message().find("damaged.seg"), std::string::npos) << r.status().ToString();
    return true;
  }
  if ((*r)->schema() != s.schema || (*r)->row_count() != static_cast<int64_t>(s.chunk.size())) {
    ADD_FAILURE() << what << ": opened with a different schema or row count";
    return false;
  }
  for (size_t i = 0; i < s.schema.size(); ++i) {
    ColumnVector got;
    Status st = (*r)->ReadColumn(static_cast<int>(i), &got);
    if (!st.ok()) {
      EXPECT_TRUE(st.IsCorruption()) << what << ": " << st.ToString();
      EXPECT_NE(st.message().find("byte offset"), std::string::npos) << st.ToString();
      EXPECT_NE(st.message().find(s.schema.fields[i].name), std::string::npos) << st.ToString();
      return true;
    }
    EXPECT_TRUE(SameColumn(got, s.chunk.columns[i])) << what << ": column " << i << " decoded to different data";
  }
  return false;
}

TEST(SegmentCorruptionTest, EveryFlippedByteIsDetected) {
  for (Compression comp : {Compression::kNone, Compression::kZstd}) {
    const Sample s = MakeSample(comp);
    ExpectSegmentHolds(s.bytes, s.schema, s.chunk);
    int undetected = 0;
    for (size_t pos = 0; pos < s.bytes.size(); ++pos) {
      for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xFF}}) {
        std::string d = s.bytes;
        d[pos] = static_cast<char>(d[pos] ^ mask);
        if (!CheckDamaged(s, d, "flip byte " + std::to_string(pos))) ++undetected;
      }
    }
    std::printf("[ corrupt  ] %s: %zu bytes x 3 flips, %d undetected\n", std::string(CompressionName(comp)).c_str(),
                s.bytes.size(), undetected);
    // Every byte is under a checksum or a checked magic/length.
    EXPECT_EQ(undetected, 0);
  }
}

TEST(SegmentCorruptionTest, EveryTruncationIsDetected) {
  const Sample s = MakeSample(Compression::kLz4);
  for (size_t len = 0; len < s.bytes.size(); ++len)
    EXPECT_TRUE(CheckDamaged(s, s.bytes.substr(0, len), "truncate to " + std::to_string(len)));
  // Extra bytes after the magic are damage too.
  EXPECT_TRUE(CheckDamaged(s, s.bytes + "x", "appended byte"));
}

TEST(SegmentCorruptionTest, BlockErrorNamesFileColumnAndOffset) {
  const Sample s = MakeSample(Compression::kNone);
  std::string d = s.bytes;
  d[kSegmentMagicSize + 6] ^= 0x10;  // inside the first column block
  StringByteSource src(d, "m/seg-0001.tsl");
  auto r = SegmentReader::Open(&src);
  ASSERT_TRUE(r.ok());
  ColumnVector out;
  Status st = (*r)->ReadColumn(0, &out);
  ASSERT_TRUE(st.IsCorruption());
  EXPECT_NE(st.message().find("m/seg-0001.tsl"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("column 0 (\"ts\")"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("byte offset 8"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("checksum mismatch"), std::string::npos) << st.message();
  // The undamaged columns still read.
  EXPECT_TRUE((*r)->ReadColumn(1, &out).ok());
}

}  // namespace
}  // namespace tsl
