// Segment file round trips (formats/segment_writer.h, segment_reader.h):
// every stored type with NULLs and edge values, stats, encoding choices,
// compression options, and writer argument errors.
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>

#include <gtest/gtest.h>

#include "formats/segment_footer.h"
#include "formats/segment_reader.h"
#include "formats/segment_writer.h"
#include "formats/timestamp.h"
#include "tests/formats/segment_test_util.h"

namespace tsl {
namespace {

Schema AllTypesSchema() {
  return Schema{{{"b", TypeId::kBoolean}, {"i", TypeId::kInteger}, {"big", TypeId::kBigint},
                 {"d", TypeId::kDouble}, {"s", TypeId::kVarchar}, {"ts", TypeId::kTimestamp}}};
}

DataChunk EdgeChunk() {
  const double inf = std::numeric_limits<double>::infinity();
  DataChunk c;
  c.Initialize({TypeId::kBoolean, TypeId::kInteger, TypeId::kBigint, TypeId::kDouble, TypeId::kVarchar,
                TypeId::kTimestamp});
  const int64_t i64[] = {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), 0, -1, 7};
  const int64_t i32[] = {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(), 0, -1, 7};
  const double dbl[] = {std::nan(""), inf, -inf, -0.0, 12.34};
  const std::string str[] = {"", std::string(70000, 'L'), "ünïcödé", std::string("a\0b", 3), "pump1"};
  for (int r = 0; r < 15; ++r) {
    const int k = r % 5;
    if (r % 4 == 3) {
      for (auto& col : c.columns) col.AppendNull();
      continue;
    }
    c.columns[0].AppendInt(r % 2);
    c.columns[1].AppendInt(i32[k]);
    c.columns[2].AppendInt(i64[k]);
    c.columns[3].AppendDouble(dbl[k]);
    c.columns[4].AppendString(str[k]);
    c.columns[5].AppendInt(i64[k]);
  }
  return c;
}

TEST(SegmentTest, EveryTypeRoundTripsWithNullsAndEdgeValues) {
  for (Compression comp : {Compression::kNone, Compression::kLz4, Compression::kZstd}) {
    const DataChunk chunk = EdgeChunk();
    SegmentWriter w(AllTypesSchema(), SegmentWriteOptions{comp, 3});
    ASSERT_TRUE(w.Append(chunk).ok());
    ASSERT_TRUE(w.Append(chunk).ok());
    SegmentStats stats;
    auto bytes = w.Finish(&stats);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    EXPECT_EQ(stats.row_count, 30);
    DataChunk both = chunk;
    for (size_t i = 0; i < both.columns.size(); ++i) both.columns[i].AppendRange(chunk.columns[i], 0, chunk.size());
    ExpectSegmentHolds(*bytes, AllTypesSchema(), both);
  }
}

TEST(SegmentTest, EmptySegmentAndOneRow) {
  SegmentWriter empty(AllTypesSchema(), {});
  SegmentStats stats;
  auto bytes = empty.Finish(&stats);
  ASSERT_TRUE(bytes.ok());
  DataChunk none;
  none.Initialize({TypeId::kBoolean, TypeId::kInteger, TypeId::kBigint, TypeId::kDouble, TypeId::kVarchar,
                   TypeId::kTimestamp});
  ExpectSegmentHolds(*bytes, AllTypesSchema(), none);
  EXPECT_TRUE(stats.columns[3].min.is_null());

  DataChunk one = none;
  one.columns[0].AppendInt(1);
  one.columns[1].AppendInt(-3);
  one.columns[2].AppendNull();
  one.columns[3].AppendDouble(2.5);
  one.columns[4].AppendString("x");
  one.columns[5].AppendInt(0);
  SegmentWriter w(AllTypesSchema(), {});
  ASSERT_TRUE(w.Append(one).ok());
  bytes = w.Finish(&stats);
  ASSERT_TRUE(bytes.ok());
  ExpectSegmentHolds(*bytes, AllTypesSchema(), one);
  EXPECT_EQ(stats.columns[2].null_count, 1);
  EXPECT_EQ(stats.columns[3].max, Value::Double(2.5));
}

TEST(SegmentTest, StatsAndFooterZoneMapsAgree) {
  Schema s{{{"v", TypeId::kBigint}, {"tag", TypeId::kVarchar}}};
  DataChunk c;
  c.Initialize({TypeId::kBigint, TypeId::kVarchar});
  for (int i = 0; i < 100; ++i) {
    c.columns[0].AppendInt(i - 50);
    if (i % 10 == 0)
      c.columns[1].AppendNull();
    else
      c.columns[1].AppendString(std::to_string(i % 3).insert(0, 1, 't'));
  }
  SegmentWriter w(s, {});
  ASSERT_TRUE(w.Append(c).ok());
  SegmentStats stats;
  auto bytes = w.Finish(&stats);
  ASSERT_TRUE(bytes.ok());
  StringByteSource src(*bytes, "mem.seg");
  auto r = SegmentReader::Open(&src);
  ASSERT_TRUE(r.ok());
  const SegmentStats& read = (*r)->stats();
  EXPECT_EQ(read.row_count, 100);
  EXPECT_EQ(read.columns[0].min, Value::Bigint(-50));
  EXPECT_EQ(read.columns[0].max, Value::Bigint(49));
  EXPECT_EQ(read.columns[1].null_count, 10);
  EXPECT_EQ(read.columns[1].min, Value::Varchar("t0"));
  EXPECT_EQ(read.columns[1].max, stats.columns[1].max);
  EXPECT_EQ(read.columns[1].row_count, 100);
}

TEST(SegmentTest, WriterRejectsMismatchedChunksAndUnstorableTypes) {
  Schema s{{{"v", TypeId::kBigint}}};
  SegmentWriter w(s, {});
  DataChunk wrong;
  wrong.Initialize({TypeId::kDouble});
  EXPECT_EQ(w.Append(wrong).code(), StatusCode::kInvalidArgument);
  DataChunk two;
  two.Initialize({TypeId::kBigint, TypeId::kBigint});
  EXPECT_EQ(w.Append(two).code(), StatusCode::kInvalidArgument);
  SegmentStats st;
  ASSERT_TRUE(w.Finish(&st).ok());
  EXPECT_FALSE(w.Finish(&st).ok());

  SegmentWriter bad(Schema{{{"n", TypeId::kNull}}}, {});
  EXPECT_EQ(bad.Finish(&st).status().code(), StatusCode::kInvalidArgument);
}

TEST(SegmentTest, ReadColumnRejectsBadIndex) {
  Schema s{{{"v", TypeId::kBigint}}};
  SegmentWriter w(s, {});
  SegmentStats st;
  auto bytes = w.Finish(&st);
  ASSERT_TRUE(bytes.ok());
  StringByteSource src(*bytes, "x.seg");
  auto r = SegmentReader::Open(&src);
  ASSERT_TRUE(r.ok());
  ColumnVector out;
  EXPECT_EQ((*r)->ReadColumn(1, &out).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*r)->ReadColumn(-1, &out).code(), StatusCode::kInvalidArgument);
}

TEST(SegmentTest, IntervalColumnsRoundTrip) {
  Schema s{{{"gap", TypeId::kInterval}}};
  DataChunk c;
  c.Initialize({TypeId::kInterval});
  for (int64_t v : {int64_t{0}, -kMicrosPerDay, int64_t{3600000000}, std::numeric_limits<int64_t>::max()})
    c.columns[0].AppendInt(v);
  c.columns[0].AppendNull();
  SegmentWriter w(s, {});
  ASSERT_TRUE(w.Append(c).ok());
  SegmentStats st;
  auto bytes = w.Finish(&st);
  ASSERT_TRUE(bytes.ok());
  ExpectSegmentHolds(*bytes, s, c);
}

TEST(SegmentTest, ConcurrentReadColumnCallsAgree) {
  Schema s{{{"a", TypeId::kBigint}, {"b", TypeId::kDouble}, {"c", TypeId::kVarchar}}};
  DataChunk c;
  c.Initialize({TypeId::kBigint, TypeId::kDouble, TypeId::kVarchar});
  for (int i = 0; i < 5000; ++i) {
    c.columns[0].AppendInt(i * 3);
    c.columns[1].AppendDouble(i * 0.5);
    c.columns[2].AppendString(std::to_string(i % 17));
  }
  SegmentWriter w(s, SegmentWriteOptions{Compression::kLz4, 3});
  ASSERT_TRUE(w.Append(c).ok());
  SegmentStats st;
  auto bytes = w.Finish(&st);
  ASSERT_TRUE(bytes.ok());
  StringByteSource src(*bytes, "shared.seg");
  auto r = SegmentReader::Open(&src);
  ASSERT_TRUE(r.ok());
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < 20; ++k) {
        const int col = (t + k) % 3;
        ColumnVector out;
        if (!(*r)->ReadColumn(col, &out).ok() || !SameColumn(out, c.columns[static_cast<size_t>(col)])) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(SegmentTest, ParsesCompressionNames) {
  EXPECT_EQ(*ParseCompression("LZ4"), Compression::kLz4);
  EXPECT_EQ(*ParseCompression("zstd"), Compression::kZstd);
  EXPECT_EQ(*ParseCompression("none"), Compression::kNone);
  EXPECT_FALSE(ParseCompression("gzip").ok());
  EXPECT_EQ(CompressionName(Compression::kLz4), "lz4");
}

TEST(SegmentTest, NotASegmentFileIsCorruptionNamingTheFile) {
  StringByteSource src("hello, this is a CSV file, not a segment at all", "data/x.seg");
  auto r = SegmentReader::Open(&src);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCorruption());
  EXPECT_NE(r.status().message().find("data/x.seg"), std::string::npos);
  StringByteSource tiny("TSLK", "t.seg");
  EXPECT_TRUE(SegmentReader::Open(&tiny).status().IsCorruption());
}

}  // namespace
}  // namespace tsl
