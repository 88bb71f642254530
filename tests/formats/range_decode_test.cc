// Range decoding (formats/range_decode.h) against a full decode followed by
// slicing, on random data for every encoding: many seeds, NULLs, ranges at
// 128-value block edges, empty and adjacent ranges, no ranges at all.
#include <cstring>
#include <random>

#include <gtest/gtest.h>

#include "formats/byte_writer.h"
#include "formats/column_codec.h"
#include "formats/range_decode.h"

namespace tsl {
namespace {

// Sorted, non-overlapping ranges over [0, n), biased to block edges (the
// delta codecs' 128-value blocks start at value 1 or 2).
RowRanges RandomRanges(std::mt19937_64& rng, size_t n) {
  const int shape = static_cast<int>(rng() % 8);
  if (shape == 0) return {};
  if (shape == 1) return {{0, n}};
  if (shape == 2) {
    const size_t k = n == 0 ? 0 : rng() % (n + 1);
    return {{k, k}};
  }
  std::vector<size_t> points;
  const size_t m = 2 * (1 + rng() % 6);
  for (size_t i = 0; i < m; ++i) {
    size_t p;
    if (n == 0) {
      p = 0;
    } else if (rng() % 2 == 0) {
      p = rng() % (n + 1);
    } else {
      const size_t blocks = n / 128 + 1;
      const int64_t edge = static_cast<int64_t>(128 * (rng() % blocks)) + static_cast<int64_t>(rng() % 5) - 1;
      p = static_cast<size_t>(std::clamp<int64_t>(edge, 0, static_cast<int64_t>(n)));
    }
    points.push_back(p);
  }
  std::sort(points.begin(), points.end());
  RowRanges r;
  for (size_t i = 0; i + 1 < points.size(); i += 2)
    if (rng() % 5 != 0) r.push_back({points[i], points[i + 1]});
  return r;
}

template <typename T>
std::vector<T> Slice(const std::vector<T>& all, const RowRanges& ranges) {
  std::vector<T> out;
  if (all.empty()) return out;  // a column's unused value array
  for (const RowRange& r : ranges) out.insert(out.end(), all.begin() + r.begin, all.begin() + r.end);
  return out;
}

std::vector<int64_t> RandomInts(std::mt19937_64& rng, size_t n) {
  std::vector<int64_t> v(n);
  const int shape = static_cast<int>(rng() % 6);
  int64_t cur = static_cast<int64_t>(rng() % 1000000) - 500000;
  for (size_t i = 0; i < n; ++i) {
    switch (shape) {
      case 0: v[i] = static_cast<int64_t>(rng()); break;                       // full width
      case 1: v[i] = static_cast<int64_t>(rng() % 100) - 50; break;            // small
      case 2: cur += 1000; v[i] = rng() % 300 == 0 ? cur - 5000000 : cur; break;  // timestamps, rare jumps
      case 3: v[i] = (i / (1 + rng() % 40)) % 3; break;                       // runs
      case 4: v[i] = 7; break;                                                 // constant
      default: cur += static_cast<int64_t>(rng() % 7) - 3; v[i] = cur; break;  // random walk
    }
  }
  if (n > 0 && shape != 4 && rng() % 4 == 0) v[rng() % n] = rng() % 2 ? std::numeric_limits<int64_t>::min()
                                                                          : std::numeric_limits<int64_t>::max();
  return v;
}

std::vector<double> RandomDoubles(std::mt19937_64& rng, size_t n) {
  std::vector<double> v(n);
  const int shape = static_cast<int>(rng() % 4);
  double cur = 20.0;
  for (size_t i = 0; i < n; ++i) {
    switch (shape) {
      case 0: cur += static_cast<double>(static_cast<int>(rng() % 21) - 10) / 100.0; v[i] = std::round(cur * 100) / 100; break;
      case 1: v[i] = std::ldexp(static_cast<double>(rng() % 1000000), -static_cast<int>(rng() % 40)); break;
      case 2: v[i] = i % 50 == 0 ? 1.5 : v[i > 0 ? i - 1 : 0] + (i > 0 ? 0 : 1.5); break;
      default: {
        const uint64_t bits = rng();
        std::memcpy(&v[i], &bits, 8);
        break;
      }
    }
  }
  if (n > 2 && rng() % 3 == 0) {
    v[rng() % n] = -0.0;
    v[rng() % n] = std::numeric_limits<double>::quiet_NaN();
    v[rng() % n] = std::numeric_limits<double>::infinity();
  }
  return v;
}

std::vector<std::string> RandomStrings(std::mt19937_64& rng, size_t n) {
  std::vector<std::string> v(n);
  const size_t distinct = 1 + rng() % (rng() % 2 ? 5 : 5000);
  for (size_t i = 0; i < n; ++i) {
    const size_t k = rng() % 3 == 0 ? rng() % distinct : (i * distinct) / (n + 1);
    v[i] = k % 17 == 0 ? std::string() : "tag/" + std::to_string(k) + std::string(k % 30, 'x');
  }
  return v;
}

size_t RandomSize(std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0: return rng() % 4;
    case 1: return 128 * (1 + rng() % 6) + rng() % 4 - 1;
    default: return rng() % 2000;
  }
}

TEST(RangeDecodeTest, IntEncodingsMatchFullDecodeThenSlice) {
  for (uint64_t seed = 0; seed < 400; ++seed) {
    std::mt19937_64 rng(seed);
    const std::vector<int64_t> v = RandomInts(rng, RandomSize(rng));
    for (int e = 0; e < kIntEncodingCount; ++e) {
      const IntEncoding enc = static_cast<IntEncoding>(e);
      std::string bytes;
      EncodeIntsAs(enc, v.data(), v.size(), &bytes);
      bytes += "tail";  // the reader must stop where a full decode does
      for (int t = 0; t < 4; ++t) {
        const RowRanges ranges = RandomRanges(rng, v.size());
        ByteReader in(bytes);
        std::vector<int64_t> got;
        ASSERT_TRUE(DecodeIntsRanges(enc, &in, v.size(), ranges, &got).ok()) << "seed " << seed << " enc " << e;
        EXPECT_EQ(got, Slice(v, ranges)) << "seed " << seed << " enc " << e;
        EXPECT_EQ(in.remaining(), 4u) << "seed " << seed << " enc " << e;
      }
    }
  }
}

TEST(RangeDecodeTest, DoubleEncodingsMatchFullDecodeBitForBit) {
  for (uint64_t seed = 0; seed < 300; ++seed) {
    std::mt19937_64 rng(seed);
    const std::vector<double> v = RandomDoubles(rng, RandomSize(rng));
    for (DoubleEncoding enc : {DoubleEncoding::kPlain, DoubleEncoding::kDecimal, DoubleEncoding::kGorilla}) {
      std::string bytes;
      EncodeDoublesAs(enc, v.data(), v.size(), &bytes);
      bytes += "tail";
      for (int t = 0; t < 4; ++t) {
        const RowRanges ranges = RandomRanges(rng, v.size());
        ByteReader in(bytes);
        std::vector<double> got;
        ASSERT_TRUE(DecodeDoublesRanges(enc, &in, v.size(), ranges, &got).ok()) << "seed " << seed;
        const std::vector<double> want = Slice(v, ranges);
        ASSERT_EQ(got.size(), want.size()) << "seed " << seed;
        if (!want.empty()) {
          EXPECT_EQ(std::memcmp(got.data(), want.data(), 8 * got.size()), 0) << "seed " << seed;
        }
        EXPECT_EQ(in.remaining(), 4u) << "seed " << seed;
      }
    }
  }
}

TEST(RangeDecodeTest, StringEncodingsMatchFullDecodeThenSlice) {
  for (uint64_t seed = 0; seed < 200; ++seed) {
    std::mt19937_64 rng(seed);
    const std::vector<std::string> v = RandomStrings(rng, RandomSize(rng));
    for (StringEncoding enc : {StringEncoding::kPlain, StringEncoding::kDictionary}) {
      std::string bytes;
      EncodeStringsAs(enc, v.data(), v.size(), &bytes);
      bytes += "tail";
      for (int t = 0; t < 4; ++t) {
        const RowRanges ranges = RandomRanges(rng, v.size());
        ByteReader in(bytes);
        std::vector<std::string> got;
        ASSERT_TRUE(DecodeStringsRanges(enc, &in, v.size(), ranges, &got).ok()) << "seed " << seed;
        EXPECT_EQ(got, Slice(v, ranges)) << "seed " << seed;
        EXPECT_EQ(in.remaining(), 4u) << "seed " << seed;
      }
    }
  }
}

// A column with NULLs through the chooser (EncodeColumn), every type class,
// both output forms of a dictionary column.
TEST(RangeDecodeTest, ColumnsWithNullsMatchFullDecodeThenSlice) {
  const TypeId types[] = {TypeId::kBigint, TypeId::kTimestamp, TypeId::kInteger, TypeId::kBoolean,
                          TypeId::kDouble, TypeId::kVarchar};
  for (uint64_t seed = 0; seed < 300; ++seed) {
    std::mt19937_64 rng(seed);
    const TypeId type = types[seed % 6];
    const size_t rows = RandomSize(rng);
    const int null_pct = static_cast<int>(std::vector<int>{0, 0, 5, 50, 95, 100}[rng() % 6]);
    ColumnVector col(type);
    const std::vector<int64_t> ints = RandomInts(rng, rows);
    const std::vector<double> doubles = RandomDoubles(rng, rows);
    const std::vector<std::string> strings = RandomStrings(rng, rows);
    for (size_t i = 0; i < rows; ++i) {
      if (static_cast<int>(rng() % 100) < null_pct) {
        col.AppendNull();
      } else if (type == TypeId::kBoolean) {
        col.AppendInt(ints[i] & 1);
      } else if (type == TypeId::kInteger) {
        col.AppendInt(static_cast<int32_t>(ints[i]));
      } else if (type == TypeId::kDouble) {
        col.AppendDouble(doubles[i]);
      } else if (type == TypeId::kVarchar) {
        col.AppendString(strings[i]);
      } else {
        col.AppendInt(ints[i]);
      }
    }
    const EncodedColumn enc = EncodeColumn(col);
    for (bool keep : {false, true}) {
      ColumnVector full;
      ASSERT_TRUE(DecodeColumn(type, enc.encoding, enc.body, rows, &full, keep).ok());
      for (int t = 0; t < 4; ++t) {
        const RowRanges ranges = RandomRanges(rng, rows);
        ColumnVector got;
        const Status st = DecodeColumnRanges(type, enc.encoding, enc.body, rows, ranges, &got, keep);
        ASSERT_TRUE(st.ok()) << "seed " << seed << ": " << st.ToString();
        const std::string at = "seed " + std::to_string(seed) + " " + std::string(ColumnEncodingName(enc.encoding));
        EXPECT_EQ(got.valid, Slice(full.valid, ranges)) << at;
        EXPECT_EQ(got.ints, Slice(full.ints, ranges)) << at;
        EXPECT_EQ(got.strings, Slice(full.strings, ranges)) << at;
        EXPECT_EQ(got.dictionary_form, full.dictionary_form) << at;
        EXPECT_EQ(got.dictionary, full.dictionary) << at;
        EXPECT_EQ(got.codes, Slice(full.codes, ranges)) << at;
        const std::vector<double> want = Slice(full.doubles, ranges);
        ASSERT_EQ(got.doubles.size(), want.size()) << at;
        if (!want.empty()) {
          EXPECT_EQ(std::memcmp(got.doubles.data(), want.data(), 8 * want.size()), 0) << at;
        }
      }
    }
  }
}

// Matching a dictionary column on its ids gives the rows a full decode and
// a row-by-row check give: sorted columns (whose ids the chooser stores as
// runs) and unsorted ones,
// NULLs, plain-encoded columns refused with used = false.
TEST(RangeDecodeTest, DictionaryMatchEqualsRowByRowCheck) {
  int dictionary_bodies = 0;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    std::mt19937_64 rng(seed);
    const size_t rows = RandomSize(rng);
    std::vector<std::string> v = RandomStrings(rng, rows);
    if (seed % 2 == 0) std::sort(v.begin(), v.end());
    const int null_pct = static_cast<int>(std::vector<int>{0, 0, 5, 50, 100}[rng() % 5]);
    ColumnVector col(TypeId::kVarchar);
    for (size_t i = 0; i < rows; ++i) {
      if (static_cast<int>(rng() % 100) < null_pct) {
        col.AppendNull();
      } else {
        col.AppendString(v[i]);
      }
    }
    const EncodedColumn enc = EncodeColumn(col);
    const std::string lo = "tag/" + std::to_string(rng() % 8), hi = lo + "zz";
    const auto match = [&](std::string_view s) { return s >= lo && s <= hi; };
    RowRanges got;
    bool used = true;
    ASSERT_TRUE(MatchDictionaryRanges(enc.encoding, enc.body, rows, match, &got, &used).ok());
    EXPECT_EQ(used, enc.encoding == ColumnEncoding::kStringDictionary);
    if (!used) continue;
    ++dictionary_bodies;
    RowRanges want;
    for (size_t i = 0; i < rows; ++i) {
      if (col.valid[i] == 0 || !match(col.strings[i])) continue;
      if (!want.empty() && want.back().end == i) {
        ++want.back().end;
      } else {
        want.push_back({i, i + 1});
      }
    }
    EXPECT_EQ(got, want) << "seed " << seed;
  }
  EXPECT_GT(dictionary_bodies, 50);
}

TEST(RangeDecodeTest, RangesOutOfOrderOrOutsideTheRowsAreRefused) {
  ColumnVector col(TypeId::kBigint);
  for (int i = 0; i < 10; ++i) col.AppendInt(i);
  const EncodedColumn enc = EncodeColumn(col);
  ColumnVector out;
  EXPECT_EQ(DecodeColumnRanges(TypeId::kBigint, enc.encoding, enc.body, 10, {{0, 11}}, &out).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeColumnRanges(TypeId::kBigint, enc.encoding, enc.body, 10, {{5, 6}, {2, 3}}, &out).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeColumnRanges(TypeId::kBigint, enc.encoding, enc.body, 10, {{4, 3}}, &out).code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(DecodeColumnRanges(TypeId::kBigint, enc.encoding, enc.body, 10, {{2, 4}, {4, 4}, {8, 10}}, &out).ok());
  EXPECT_EQ(out.ints, (std::vector<int64_t>{2, 3, 8, 9}));
}

// Random bytes must fail cleanly or decode, never read out of bounds (the
// ASan build checks the latter).
TEST(RangeDecodeTest, GarbageBodiesFailCleanly) {
  const TypeId types[] = {TypeId::kBigint, TypeId::kDouble, TypeId::kVarchar};
  const ColumnEncoding encs[] = {ColumnEncoding::kIntPlain,     ColumnEncoding::kIntFrameOfReference,
                                 ColumnEncoding::kIntDelta,     ColumnEncoding::kIntDeltaOfDelta,
                                 ColumnEncoding::kIntRunLength, ColumnEncoding::kDoublePlain,
                                 ColumnEncoding::kDoubleDecimal, ColumnEncoding::kDoubleGorilla,
                                 ColumnEncoding::kStringPlain,  ColumnEncoding::kStringDictionary};
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    std::mt19937_64 rng(seed);
    std::string body(rng() % 64, '\0');
    for (char& c : body) c = static_cast<char>(rng() % 4 == 0 ? 0 : rng());
    const ColumnEncoding e = encs[seed % 10];
    const TypeId type = types[static_cast<uint8_t>(e) / 16];
    const size_t rows = rng() % 300;
    ColumnVector out;
    (void)DecodeColumnRanges(type, e, body, rows, RandomRanges(rng, rows), &out, seed % 2 == 0);
  }
}

}  // namespace
}  // namespace tsl
