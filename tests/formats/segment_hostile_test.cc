// Hostile files: damage that a checksum cannot catch because the attacker
// (or a bug) recomputed the checksums. Every block byte and every footer
// byte is mutated behind valid CRCs; the reader must return data or a clean
// error, and never crash, hang or read out of bounds (ASan/UBSan in CI).
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "formats/byte_reader.h"
#include "formats/byte_writer.h"
#include "formats/checksum.h"
#include "formats/segment_footer.h"
#include "formats/segment_reader.h"
#include "formats/segment_writer.h"

namespace tsl {
namespace {

std::string SampleFile(Compression comp) {
  Schema s{{{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}, {"v", TypeId::kDouble},
            {"q", TypeId::kInteger}, {"b", TypeId::kBoolean}, {"g", TypeId::kDouble}}};
  DataChunk c;
  c.Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble, TypeId::kInteger, TypeId::kBoolean,
                TypeId::kDouble});
  for (int i = 0; i < 60; ++i) {
    c.columns[0].AppendInt(1704067200000000 + i * 1000000 + (i == 30 ? 7 : 0));
    if (i % 11 == 5)
      c.columns[1].AppendNull();
    else
      c.columns[1].AppendString(i < 30 ? "pump1" : "boiler-feed-7");
    c.columns[2].AppendDouble(i % 7 == 0 ? 1.0 / 3.0 : 20.0 + i * 0.01);
    c.columns[3].AppendInt(i % 13 == 0 ? 0 : 192);
    c.columns[4].AppendInt(i % 2);
    c.columns[5].AppendDouble(std::sin(i * 0.1));
  }
  SegmentWriter w(s, SegmentWriteOptions{comp, 3});
  EXPECT_TRUE(w.Append(c).ok());
  SegmentStats st;
  return *w.Finish(&st);
}

std::string Reassemble(std::string_view data_region, const std::string& footer) {
  std::string f(kSegmentMagic, kSegmentMagicSize);
  f.append(data_region);
  f += footer;
  ByteWriter w(&f);
  w.PutU32(static_cast<uint32_t>(footer.size()));
  w.PutU32(Crc32c(footer));
  w.PutBytes(std::string_view(kSegmentMagic, kSegmentMagicSize));
  return f;
}

// Opens and reads every column; any status other than OK, kCorruption or
// (for a version field) kNotSupported is a failure.
void ReadEverything(const std::string& bytes, const std::string& what) {
  StringByteSource src(bytes, "hostile.seg");
  auto r = SegmentReader::Open(&src);
  if (!r.ok()) {
    EXPECT_TRUE(r.status().IsCorruption() || r.status().code() == StatusCode::kNotSupported)
        << what << ": " << r.status().ToString();
    return;
  }
  for (size_t i = 0; i < (*r)->schema().size(); ++i) {
    ColumnVector out;
    Status st = (*r)->ReadColumn(static_cast<int>(i), &out);
    if (st.ok()) {
      EXPECT_EQ(out.size(), static_cast<size_t>((*r)->row_count())) << what;
    } else {
      EXPECT_TRUE(st.IsCorruption()) << what << ": " << st.ToString();
    }
  }
}

struct Parts {
  std::string data_region;  // bytes between the head magic and the footer
  SegmentFooter footer;
};

Parts Split(const std::string& file) {
  const size_t trailer_at = file.size() - kSegmentTrailerSize;
  ByteReader tr(std::string_view(file).substr(trailer_at));
  uint32_t flen = 0;
  EXPECT_TRUE(tr.GetU32(&flen));
  const size_t footer_at = trailer_at - flen;
  auto f = SegmentFooter::Parse(std::string_view(file).substr(footer_at, flen), footer_at);
  EXPECT_TRUE(f.ok());
  return Parts{file.substr(kSegmentMagicSize, footer_at - kSegmentMagicSize), *f};
}

TEST(SegmentHostileTest, BlockBytesMutatedBehindValidChecksums) {
  std::mt19937 rng(42);
  for (Compression comp : {Compression::kNone, Compression::kZstd}) {
    const std::string file = SampleFile(comp);
    const Parts p = Split(file);
    for (size_t pos = 0; pos < p.data_region.size(); ++pos) {
      for (int k = 0; k < 3; ++k) {
        Parts q = p;
        q.data_region[pos] = static_cast<char>(q.data_region[pos] ^ (k == 0 ? 0x01 : 1 + rng() % 255));
        for (ColumnBlockInfo& b : q.footer.blocks)
          b.checksum = Crc32c(q.data_region.data() + (b.offset - kSegmentMagicSize), b.length);
        ReadEverything(Reassemble(q.data_region, q.footer.Serialize()), "block byte " + std::to_string(pos));
      }
    }
  }
}

TEST(SegmentHostileTest, FooterBytesMutatedBehindValidChecksum) {
  std::mt19937 rng(43);
  const std::string file = SampleFile(Compression::kLz4);
  const Parts p = Split(file);
  const std::string footer = p.footer.Serialize();
  for (size_t pos = 0; pos < footer.size(); ++pos) {
    for (int k = 0; k < 4; ++k) {
      std::string f = footer;
      f[pos] = static_cast<char>(f[pos] ^ (k == 0 ? 0x01 : 1 + rng() % 255));
      ReadEverything(Reassemble(p.data_region, f), "footer byte " + std::to_string(pos));
    }
  }
  // Truncated and extended footers.
  for (size_t len = 0; len < footer.size(); ++len)
    ReadEverything(Reassemble(p.data_region, footer.substr(0, len)), "footer cut to " + std::to_string(len));
  ReadEverything(Reassemble(p.data_region, footer + "\x01"), "footer plus a byte");
}

TEST(SegmentHostileTest, HugeClaimedLengthsAreRejectedWithoutAllocating) {
  const std::string file = SampleFile(Compression::kNone);
  Parts p = Split(file);
  // Claim a 2 GiB body for block 0.
  std::string region = p.data_region;
  region[1] = region[2] = region[3] = '\xff';
  region[4] = '\x7f';
  p.footer.blocks[0].checksum = Crc32c(region.data(), p.footer.blocks[0].length);
  StringByteSource src(Reassemble(region, p.footer.Serialize()), "huge.seg");
  auto r = SegmentReader::Open(&src);
  ASSERT_TRUE(r.ok());
  ColumnVector out;
  Status st = (*r)->ReadColumn(0, &out);
  EXPECT_TRUE(st.IsCorruption()) << st.ToString();
}

}  // namespace
}  // namespace tsl
