// Parquet writer -> reader round trips for every tslake type with NULLs,
// both encodings and both compressions; the Thrift compact protocol, the
// RLE/bit-packed hybrid, Snappy; corrupt and unsupported files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "formats/byte_source.h"
#include "formats/parquet_encoding.h"
#include "formats/parquet_metadata.h"
#include "formats/parquet_reader.h"
#include "formats/parquet_writer.h"
#include "formats/thrift_compact.h"

namespace tsl {
namespace {

Schema AllTypes() {
  return Schema{{{"ts", TypeId::kTimestamp},
                 {"tag", TypeId::kVarchar},
                 {"value", TypeId::kDouble},
                 {"quality", TypeId::kInteger},
                 {"count", TypeId::kBigint},
                 {"ok", TypeId::kBoolean}}};
}

// Row i of a deterministic table; every 7th value of each column is NULL
// (offset per column so rows are never all-NULL).
DataChunk MakeRows(size_t begin, size_t n, int tags) {
  DataChunk c;
  c.Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble, TypeId::kInteger,
                TypeId::kBigint, TypeId::kBoolean});
  for (size_t r = begin; r < begin + n; ++r) {
    auto null = [&](int col) { return (r + static_cast<size_t>(col)) % 7 == 0; };
    null(0) ? c.columns[0].AppendNull()
            : c.columns[0].AppendInt(1704067200000000 + static_cast<int64_t>(r) * 1000001);
    null(1) ? c.columns[1].AppendNull()
            : c.columns[1].AppendString("Plant1/TT-" + std::to_string(r % tags));
    null(2) ? c.columns[2].AppendNull()
            : c.columns[2].AppendDouble(static_cast<double>(r) * 0.25 - 100.5);
    null(3) ? c.columns[3].AppendNull() : c.columns[3].AppendInt(static_cast<int32_t>(r % 5) - 2);
    null(4) ? c.columns[4].AppendNull()
            : c.columns[4].AppendInt(static_cast<int64_t>(r) * -3000000000LL);
    null(5) ? c.columns[5].AppendNull() : c.columns[5].AppendInt(r % 3 == 0 ? 1 : 0);
  }
  return c;
}

std::string WriteFile(const Schema& schema, const std::vector<DataChunk>& chunks,
                      ParquetWriteOptions options, ParquetWriter** keep = nullptr) {
  std::string bytes;
  ParquetWriter writer(schema, options, [&](std::string_view b) {
    bytes.append(b);
    return Status::OK();
  });
  for (const DataChunk& c : chunks) EXPECT_TRUE(writer.Append(c).ok());
  Status s = writer.Finish();
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(writer.bytes_written(), bytes.size());
  (void)keep;
  return bytes;
}

std::vector<std::vector<Value>> ReadAll(const std::string& bytes, Schema* schema_out = nullptr) {
  auto opened = ParquetReader::Open(std::make_unique<StringByteSource>(bytes, "t.parquet"));
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  if (!opened.ok()) return {};
  if (schema_out) *schema_out = (*opened)->schema();
  std::vector<std::vector<Value>> rows;
  DataChunk chunk;
  while (true) {
    Result<bool> more = (*opened)->Next(&chunk);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    for (size_t r = 0; r < chunk.size(); ++r) {
      std::vector<Value> row;
      for (auto& col : chunk.columns) row.push_back(col.GetValue(r));
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

void ExpectSameRows(const std::vector<DataChunk>& chunks,
                    const std::vector<std::vector<Value>>& rows) {
  size_t i = 0;
  for (const DataChunk& c : chunks) {
    for (size_t r = 0; r < c.size(); ++r, ++i) {
      ASSERT_LT(i, rows.size());
      for (size_t col = 0; col < c.column_count(); ++col) {
        const Value want = c.columns[col].GetValue(r);
        ASSERT_EQ(want.is_null(), rows[i][col].is_null()) << "row " << i << " col " << col;
        if (!want.is_null()) {
          ASSERT_EQ(want.type(), rows[i][col].type());
          ASSERT_EQ(want.Compare(rows[i][col]), 0)
              << "row " << i << " col " << col << ": " << want.ToString() << " vs "
              << rows[i][col].ToString();
        }
      }
    }
  }
  EXPECT_EQ(i, rows.size());
}

TEST(ParquetRoundTripTest, EveryTypeWithNullsUncompressedAndZstd) {
  for (ParquetCompression comp : {ParquetCompression::kUncompressed, ParquetCompression::kZstd}) {
    ParquetWriteOptions o;
    o.compression = comp;
    std::vector<DataChunk> chunks = {MakeRows(0, 2048, 5), MakeRows(2048, 1000, 5)};
    const std::string bytes = WriteFile(AllTypes(), chunks, o);
    EXPECT_EQ(bytes.substr(0, 4), "PAR1");
    EXPECT_EQ(bytes.substr(bytes.size() - 4), "PAR1");
    Schema schema;
    auto rows = ReadAll(bytes, &schema);
    EXPECT_EQ(schema, AllTypes());
    ExpectSameRows(chunks, rows);
  }
}

TEST(ParquetRoundTripTest, ManyRowGroupsAndPagesPlainAndDictionary) {
  ParquetWriteOptions o;
  o.row_group_rows = 3000;
  o.page_bytes = 4096;
  std::vector<DataChunk> chunks;
  for (size_t b = 0; b < 10000; b += 2048)
    chunks.push_back(MakeRows(b, std::min<size_t>(2048, 10000 - b), 300));
  const std::string bytes = WriteFile(AllTypes(), chunks, o);
  auto reader = ParquetReader::Open(std::make_unique<StringByteSource>(bytes, "t.parquet"));
  ASSERT_TRUE(reader.ok());
  const parquet::FileMetaData& m = (*reader)->metadata();
  EXPECT_EQ(m.num_rows, 10000);
  EXPECT_GE(m.row_groups.size(), 3u);
  // tag repeats (300 distinct) -> dictionary; ts is unique -> PLAIN.
  const auto& tag = *m.row_groups[0].columns[1].meta_data;
  const auto& ts = *m.row_groups[0].columns[0].meta_data;
  EXPECT_TRUE(tag.dictionary_page_offset.has_value());
  EXPECT_FALSE(ts.dictionary_page_offset.has_value());
  ExpectSameRows(chunks, ReadAll(bytes));

  ParquetWriteOptions plain = o;
  plain.dictionary = false;
  ExpectSameRows(chunks, ReadAll(WriteFile(AllTypes(), chunks, plain)));
}

TEST(ParquetRoundTripTest, ChunkStatisticsAndFileStats) {
  std::vector<DataChunk> chunks = {MakeRows(0, 100, 3)};
  std::string bytes;
  ParquetWriter writer(AllTypes(), {}, [&](std::string_view b) {
    bytes.append(b);
    return Status::OK();
  });
  ASSERT_TRUE(writer.Append(chunks[0]).ok());
  ASSERT_TRUE(writer.Finish().ok());
  // Expected stats computed from the rows themselves.
  for (size_t c = 0; c < 6; ++c) {
    Value lo, hi;
    int64_t nulls = 0;
    for (size_t r = 0; r < 100; ++r) {
      Value v = chunks[0].columns[c].GetValue(r);
      if (v.is_null()) {
        ++nulls;
        continue;
      }
      if (lo.is_null() || v.Compare(lo) < 0) lo = v;
      if (hi.is_null() || hi.Compare(v) < 0) hi = v;
    }
    EXPECT_EQ(writer.stats()[c].null_count, nulls) << c;
    EXPECT_EQ(writer.stats()[c].min.Compare(lo), 0) << c;
    EXPECT_EQ(writer.stats()[c].max.Compare(hi), 0) << c;
  }
  auto reader = ParquetReader::Open(std::make_unique<StringByteSource>(bytes, "t.parquet"));
  ASSERT_TRUE(reader.ok());
  const auto& meta = *(*reader)->metadata().row_groups[0].columns[3].meta_data;  // quality INT32
  ASSERT_TRUE(meta.statistics && meta.statistics->min_value && meta.statistics->max_value);
  int32_t lo, hi;
  std::memcpy(&lo, meta.statistics->min_value->data(), 4);
  std::memcpy(&hi, meta.statistics->max_value->data(), 4);
  EXPECT_EQ(lo, writer.stats()[3].min.int_value());
  EXPECT_EQ(hi, writer.stats()[3].max.int_value());
  EXPECT_EQ(*meta.statistics->null_count, writer.stats()[3].null_count);
}

TEST(ParquetRoundTripTest, EmptyFileAndAllNullColumn) {
  EXPECT_TRUE(ReadAll(WriteFile(AllTypes(), {}, {})).empty());
  DataChunk c;
  c.Initialize({TypeId::kDouble});
  for (int i = 0; i < 50; ++i) c.columns[0].AppendNull();
  auto rows = ReadAll(WriteFile(Schema{{{"v", TypeId::kDouble}}}, {c}, {}));
  ASSERT_EQ(rows.size(), 50u);
  for (auto& r : rows) EXPECT_TRUE(r[0].is_null());
}

TEST(ParquetRoundTripTest, SpecialDoublesAndStrings) {
  DataChunk c;
  c.Initialize({TypeId::kDouble, TypeId::kVarchar});
  const double vals[] = {0.0, -0.0, INFINITY, -INFINITY, 1e300, -1e-300, 3.5};
  const char* strs[] = {"", "ü€😀", "a\0b", "x", "", "long", "z"};
  for (int i = 0; i < 7; ++i) {
    c.columns[0].AppendDouble(vals[i]);
    c.columns[1].AppendString(std::string(strs[i], i == 2 ? 3 : std::strlen(strs[i])));
  }
  auto rows =
      ReadAll(WriteFile(Schema{{{"d", TypeId::kDouble}, {"s", TypeId::kVarchar}}}, {c}, {}));
  ASSERT_EQ(rows.size(), 7u);
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(std::signbit(rows[i][0].double_value()), std::signbit(vals[i]));
    EXPECT_EQ(rows[i][0].double_value(), vals[i]);
    EXPECT_EQ(rows[i][1].string_value(), c.columns[1].strings[i]);
  }
}

TEST(ParquetRoundTripTest, RejectsUnwritableType) {
  std::string bytes;
  ParquetWriter w(Schema{{{"i", TypeId::kInterval}}}, {}, [&](std::string_view b) {
    bytes.append(b);
    return Status::OK();
  });
  Status s = w.Finish();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("\"i\""), std::string::npos) << s.message();
}

TEST(ParquetRoundTripTest, SinkErrorIsReturned) {
  ParquetWriter w(AllTypes(), {}, [](std::string_view) { return Status::IOError("disk full"); });
  ASSERT_TRUE(w.Append(MakeRows(0, 10, 2)).ok());  // buffered
  EXPECT_EQ(w.Finish().code(), StatusCode::kIOError);
}

TEST(ParquetCorruptionTest, TruncatedAndFlippedFilesFailCleanly) {
  const std::string good = WriteFile(AllTypes(), {MakeRows(0, 500, 4)}, {});
  // Truncations: never a crash, a Corruption error at open or read.
  for (size_t len : {size_t{0}, size_t{3}, size_t{11}, good.size() / 2, good.size() - 1}) {
    auto r =
        ParquetReader::Open(std::make_unique<StringByteSource>(good.substr(0, len), "cut.parquet"));
    ASSERT_FALSE(r.ok()) << len;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << r.status().ToString();
    EXPECT_NE(r.status().message().find("cut.parquet"), std::string::npos);
  }
  // Flip every byte of the data region in turn (sampled): must not crash.
  std::mt19937 rng(7);
  for (int trial = 0; trial < 400; ++trial) {
    std::string bad = good;
    const size_t pos = 4 + rng() % (bad.size() - 12);
    bad[pos] = static_cast<char>(bad[pos] ^ (1 + rng() % 255));
    auto r = ParquetReader::Open(std::make_unique<StringByteSource>(bad, "flip.parquet"));
    if (!r.ok()) continue;
    DataChunk chunk;
    while (true) {
      Result<bool> more = (*r)->Next(&chunk);
      if (!more.ok() || !*more) break;
    }
  }
}

TEST(ThriftCompactTest, RoundTripsFieldsListsAndLongIds) {
  std::string out;
  ThriftCompactWriter w(&out);
  w.FieldI32(1, -5);
  w.FieldI64(2, INT64_MIN);
  w.FieldBinary(40, "hello");  // long delta
  w.FieldListBegin(41, ThriftType::kI32, 20);
  for (int i = 0; i < 20; ++i) w.I32(i * 1000);
  w.FieldStructBegin(42);
  w.FieldBool(1, true);
  w.FieldBool(2, false);
  w.EndStruct();
  w.EndStruct();
  ThriftCompactReader r(out, "x");
  r.BeginStruct();
  ThriftType t;
  int16_t id;
  int32_t i32;
  int64_t i64;
  std::string s;
  ASSERT_TRUE(r.ReadFieldHeader(&t, &id).ok());
  EXPECT_EQ(id, 1);
  ASSERT_TRUE(r.ReadI32(&i32).ok());
  EXPECT_EQ(i32, -5);
  ASSERT_TRUE(r.ReadFieldHeader(&t, &id).ok());
  ASSERT_TRUE(r.ReadI64(&i64).ok());
  EXPECT_EQ(i64, INT64_MIN);
  ASSERT_TRUE(r.ReadFieldHeader(&t, &id).ok());
  EXPECT_EQ(id, 40);
  ASSERT_TRUE(r.ReadBinary(&s).ok());
  EXPECT_EQ(s, "hello");
  ASSERT_TRUE(r.ReadFieldHeader(&t, &id).ok());
  EXPECT_EQ(id, 41);
  ThriftType elem;
  uint32_t n;
  ASSERT_TRUE(r.ReadListHeader(&elem, &n).ok());
  EXPECT_EQ(n, 20u);
  for (uint32_t k = 0; k < n; ++k) {
    ASSERT_TRUE(r.ReadI32(&i32).ok());
    EXPECT_EQ(i32, static_cast<int32_t>(k) * 1000);
  }
  ASSERT_TRUE(r.ReadFieldHeader(&t, &id).ok());
  EXPECT_EQ(id, 42);
  ASSERT_TRUE(r.Skip(t).ok());
  ASSERT_TRUE(r.ReadFieldHeader(&t, &id).ok());
  EXPECT_EQ(t, ThriftType::kStop);
  EXPECT_EQ(r.position(), out.size());
}

TEST(RleBitPackedTest, RoundTripsMixedRunsAtEveryWidth) {
  std::mt19937 rng(3);
  for (int width : {0, 1, 2, 3, 7, 8, 13, 16, 20, 31, 32}) {
    const uint32_t max = width == 32 ? UINT32_MAX : (1u << width) - 1;
    std::vector<uint32_t> v;
    for (int block = 0; block < 40; ++block) {
      const size_t len = rng() % 30;
      const bool run = rng() % 2;
      const uint32_t x = width == 0 ? 0 : static_cast<uint32_t>(rng()) & max;
      for (size_t k = 0; k < len; ++k)
        v.push_back(run || width == 0 ? x : static_cast<uint32_t>(rng()) & max);
    }
    std::string enc;
    parquet::EncodeRleBitPacked(v, width, &enc);
    std::vector<uint32_t> dec;
    ASSERT_TRUE(parquet::DecodeRleBitPacked(enc, width, v.size(), max, "t", &dec).ok()) << width;
    EXPECT_EQ(dec, v) << width;
  }
}

TEST(DeltaBinaryPackedTest, DecodesTheSpecExamples) {
  // 1..5: every delta 1, bit width 0 -> no miniblock data.
  const std::string a = {'\x80', '\x01', 4, 5, 2, 2, 0, 0, 0, 0};
  std::vector<int64_t> out;
  size_t used = 0;
  ASSERT_TRUE(parquet::DecodeDeltaBinaryPacked(a, 5, "t", &out, &used).ok());
  EXPECT_EQ(out, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(used, a.size());
  // 7,5,3,1,2,3,4,5: min delta -2, relative deltas 0,0,0,3,3,3,3 at width 2.
  std::string b = {'\x80', '\x01', 4, 8, 14, 3, 2, 0, 0, 0, '\xC0', '\x3F', 0, 0, 0, 0, 0, 0};
  ASSERT_TRUE(parquet::DecodeDeltaBinaryPacked(b, 8, "t", &out, &used).ok());
  EXPECT_EQ(out, (std::vector<int64_t>{7, 5, 3, 1, 2, 3, 4, 5}));
  EXPECT_EQ(used, b.size());
  EXPECT_FALSE(parquet::DecodeDeltaBinaryPacked(b.substr(0, 12), 8, "t", &out, &used).ok());
  EXPECT_FALSE(parquet::DecodeDeltaBinaryPacked(b, 9, "t", &out, &used).ok());
}

TEST(SnappyTest, DecodesLiteralsAndCopies) {
  // "abcabcabcabcX": varint 13, literal "abc" (tag 2<<2), copy-1 len 9 offset 3, literal "X".
  std::string in = {13, 0x08, 'a', 'b', 'c', static_cast<char>(((9 - 4) << 2) | 1), 3, 0x00, 'X'};
  std::string out;
  ASSERT_TRUE(parquet::SnappyDecompress(in, 13, &out).ok());
  EXPECT_EQ(out, "abcabcabcabcX");
  EXPECT_FALSE(parquet::SnappyDecompress(in, 12, &out).ok());
  in[6] = 9;  // offset past the output
  EXPECT_FALSE(parquet::SnappyDecompress(in, 13, &out).ok());
}

// Issue 15 items 1 and 11: a Parquet file (written by anyone) whose
// TIMESTAMP is outside the supported range, or whose string is not UTF-8,
// is refused naming the column and the value instead of loading a value
// the table's statistics could not hold.
Status ReadUntilError(const std::string& bytes) {
  auto opened = ParquetReader::Open(std::make_unique<StringByteSource>(bytes, "t.parquet"));
  if (!opened.ok()) return opened.status();
  DataChunk chunk;
  while (true) {
    Result<bool> more = (*opened)->Next(&chunk);
    if (!more.ok()) return more.status();
    if (!*more) return Status::OK();
  }
}

TEST(ParquetRoundTripTest, OutOfRangeTimestampsAndInvalidUtf8AreRefused) {
  Schema schema{{{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}}};
  for (bool dictionary : {false, true}) {
    ParquetWriteOptions o;
    o.dictionary = dictionary;
    DataChunk ok;
    ok.Initialize({TypeId::kTimestamp, TypeId::kVarchar});
    ok.columns[0].AppendInt(-9223372022400000000LL);  // 290309-12-22 (BC), the minimum
    ok.columns[1].AppendString("caf\xc3\xa9");
    EXPECT_TRUE(ReadUntilError(WriteFile(schema, {ok}, o)).ok());

    DataChunk bad_ts = ok;
    bad_ts.columns[0].ints[0] = INT64_MAX;
    Status st = ReadUntilError(WriteFile(schema, {bad_ts}, o));
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find("column \"ts\": value 9223372036854775807 is outside the supported TIMESTAMP range"),
              std::string::npos)
        << st.message();

    DataChunk bad_text = ok;
    bad_text.columns[1].strings[0] = "caf\xc3";
    st = ReadUntilError(WriteFile(schema, {bad_text}, o));
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.message().find("column \"tag\": a value has invalid UTF-8 at byte 4 (0xc3)"),
              std::string::npos)
        << st.message();
  }
}

}  // namespace
}  // namespace tsl
