// The codecs under the segment file: checksum, bit packing, integer, double,
// string and null-bitmap codecs. Round trips at the edges, the expected
// encoding choice, and decoders fed corrupt or random bytes (must fail
// cleanly, never crash or read out of bounds).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "formats/bit_packing.h"
#include "formats/bit_stream.h"
#include "formats/byte_writer.h"
#include "formats/checksum.h"
#include "formats/column_codec.h"
#include "formats/double_codec.h"
#include "formats/int_codec.h"
#include "formats/null_bitmap.h"
#include "formats/string_codec.h"

namespace tsl {
namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

TEST(ChecksumTest, MatchesKnownCrc32cVectorsOnBothPaths) {
  // RFC 3720 B.4 test vectors.
  std::string zeros(32, '\0'), ones(32, '\xff'), inc(32, '\0');
  for (int i = 0; i < 32; ++i) inc[i] = static_cast<char>(i);
  EXPECT_EQ(Crc32c(zeros), 0x8A9136AAu);
  EXPECT_EQ(Crc32c(ones), 0x62A8AB43u);
  EXPECT_EQ(Crc32c(inc), 0x46DD794Eu);
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  std::string big(10007, 'x');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31 + 7);
  EXPECT_EQ(Crc32c(big), TEST_Crc32cSoftware(0, big.data(), big.size()));
  EXPECT_EQ(Crc32cExtend(Crc32c(big.data(), 5000), big.data() + 5000, big.size() - 5000), Crc32c(big));
}

TEST(BitPackingTest, RoundTripsEveryWidth) {
  std::mt19937_64 rng(1);
  for (int width = 0; width <= 64; ++width) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{9}, size_t{129}}) {
      std::vector<uint64_t> v(n);
      for (auto& x : v) x = width == 64 ? rng() : (width == 0 ? 0 : rng() & ((uint64_t{1} << width) - 1));
      std::string packed;
      BitPack(v.data(), n, width, &packed);
      ASSERT_EQ(packed.size(), BitPackedBytes(n, width));
      ByteReader in(packed);
      std::vector<uint64_t> back(n);
      ASSERT_TRUE(BitUnpack(&in, n, width, back.data()).ok());
      EXPECT_EQ(back, v) << "width " << width << " n " << n;
      EXPECT_TRUE(in.AtEnd());
    }
  }
  ByteReader short_in("ab");
  std::vector<uint64_t> out(10);
  EXPECT_TRUE(BitUnpack(&short_in, 10, 9, out.data()).IsCorruption());
  EXPECT_TRUE(BitUnpack(&short_in, 1, 65, out.data()).IsCorruption());
}

std::vector<int64_t> RoundTripInts(IntEncoding e, const std::vector<int64_t>& v, size_t* bytes = nullptr) {
  std::string enc;
  EncodeIntsAs(e, v.data(), v.size(), &enc);
  if (bytes) *bytes = enc.size();
  ByteReader in(enc);
  std::vector<int64_t> out;
  Status st = DecodeIntsAs(e, &in, v.size(), &out);
  EXPECT_TRUE(st.ok()) << IntEncodingName(e) << ": " << st.ToString();
  EXPECT_TRUE(in.AtEnd()) << IntEncodingName(e);
  return out;
}

TEST(IntCodecTest, EveryEncodingRoundTripsEdgeValues) {
  const std::vector<std::vector<int64_t>> cases = {
      {}, {42}, {kMin}, {kMax, kMin}, {kMin, kMax, 0, -1, 1, kMax, kMin},
      {1, 1, 1, 1, 2, 2, 3}, {-5, -4, -3, 100000000000, 7},
  };
  for (const auto& v : cases)
    for (int e = 0; e < kIntEncodingCount; ++e) EXPECT_EQ(RoundTripInts(static_cast<IntEncoding>(e), v), v);
  std::mt19937_64 rng(7);
  std::vector<int64_t> r(1000);
  for (auto& x : r) x = static_cast<int64_t>(rng());
  for (int e = 0; e < kIntEncodingCount; ++e) EXPECT_EQ(RoundTripInts(static_cast<IntEncoding>(e), r), r);
}

TEST(IntCodecTest, RegularTimestampsPickDeltaOfDeltaUnderOneBitPerValue) {
  std::vector<int64_t> ts(100000);
  for (size_t i = 0; i < ts.size(); ++i) ts[i] = 1704067200000000 + static_cast<int64_t>(i) * 1000000;
  std::string out;
  EXPECT_EQ(EncodeIntsSmallest(ts.data(), ts.size(), &out), IntEncoding::kDeltaOfDelta);
  const double bits = 8.0 * out.size() / ts.size();
  std::printf("[ codec    ] regular 1 s timestamps: %.4f bits/value (delta-of-delta)\n", bits);
  EXPECT_LT(bits, 1.0);
}

TEST(IntCodecTest, MostlyConstantQualityPicksRunLength) {
  std::mt19937 rng(3);
  std::vector<int64_t> q(100000, 192);
  for (auto& x : q)
    if (rng() % 100 == 0) x = rng() % 2 ? 0 : 64;
  std::string out;
  EXPECT_EQ(EncodeIntsSmallest(q.data(), q.size(), &out), IntEncoding::kRunLength);
  std::printf("[ codec    ] quality 192 on 99%%: %.4f bytes/value (run-length)\n", double(out.size()) / q.size());
  std::vector<int64_t> small(1000);
  for (auto& x : small) x = 1000 + rng() % 16;
  out.clear();
  EXPECT_EQ(EncodeIntsSmallest(small.data(), small.size(), &out), IntEncoding::kFrameOfReference);
}

std::vector<double> RoundTripDoubles(DoubleEncoding e, const std::vector<double>& v, size_t* bytes = nullptr) {
  std::string enc;
  EncodeDoublesAs(e, v.data(), v.size(), &enc);
  if (bytes) *bytes = enc.size();
  ByteReader in(enc);
  std::vector<double> out;
  Status st = DecodeDoublesAs(e, &in, v.size(), &out);
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(in.AtEnd());
  return out;
}

bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 8) == 0);
}

TEST(DoubleCodecTest, EveryEncodingRoundTripsBitForBit) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::vector<double>> cases = {
      {}, {1.5}, {std::nan(""), inf, -inf, -0.0, 0.0, 1e308, 5e-324, -2.25},
      {0.1, 0.2, 0.30000000000000004, 12.34, -7.0}, {1.0, 1.0, 1.0, 2.0},
  };
  for (const auto& v : cases)
    for (DoubleEncoding e : {DoubleEncoding::kPlain, DoubleEncoding::kDecimal, DoubleEncoding::kGorilla})
      EXPECT_TRUE(SameBits(RoundTripDoubles(e, v), v)) << static_cast<int>(e);
}

TEST(DoubleCodecTest, TwoDecimalRandomWalkPicksDecimalAndCompresses) {
  std::mt19937 rng(11);
  std::vector<double> v(100000);
  int64_t cents = 5000;
  for (auto& x : v) {
    cents += static_cast<int64_t>(rng() % 21) - 10;
    x = static_cast<double>(cents) / 100.0;
  }
  std::string out;
  EXPECT_EQ(EncodeDoublesSmallest(v.data(), v.size(), &out), DoubleEncoding::kDecimal);
  std::printf("[ codec    ] 2-decimal random walk: %.3f bytes/value (decimal)\n", double(out.size()) / v.size());
  EXPECT_LT(out.size(), v.size() * 1);
  EXPECT_TRUE(SameBits(RoundTripDoubles(DoubleEncoding::kDecimal, v), v));
}

TEST(DoubleCodecTest, NonDecimalDataFallsBackToGorillaOrPlain) {
  std::mt19937_64 rng(5);
  std::vector<double> smooth(10000), noise(10000);
  for (size_t i = 0; i < smooth.size(); ++i) smooth[i] = std::sin(i * 0.001) * 3.14159265358979;
  for (auto& x : noise) {
    uint64_t b = rng();
    std::memcpy(&x, &b, 8);
  }
  std::string a, b;
  EXPECT_NE(EncodeDoublesSmallest(smooth.data(), smooth.size(), &a), DoubleEncoding::kDecimal);
  EXPECT_EQ(EncodeDoublesSmallest(noise.data(), noise.size(), &b), DoubleEncoding::kPlain);
  std::vector<double> constant(1000, 3.7);
  std::string c;
  EncodeDoublesSmallest(constant.data(), constant.size(), &c);
  EXPECT_LT(c.size(), 100u);
}

// The Gorilla layout written field by field with the reference BitWriter
// (bit_stream.h), as formats/segment.md describes it: the encoder's own
// word-at-a-time writer must produce the same bytes.
std::string ReferenceGorilla(const std::vector<double>& v) {
  std::string stream;
  BitWriter bw(&stream);
  if (!v.empty()) {
    uint64_t prev;
    std::memcpy(&prev, &v[0], 8);
    bw.Write(prev, 64);
    int prev_lead = -1, prev_trail = 0;
    for (size_t i = 1; i < v.size(); ++i) {
      uint64_t cur;
      std::memcpy(&cur, &v[i], 8);
      const uint64_t x = cur ^ prev;
      prev = cur;
      if (x == 0) {
        bw.Write(0, 1);
        continue;
      }
      bw.Write(1, 1);
      int lead = std::min(__builtin_clzll(x), 31);
      const int trail = __builtin_ctzll(x);
      if (prev_lead >= 0 && lead >= prev_lead && trail >= prev_trail) {
        bw.Write(0, 1);
        bw.Write(x >> prev_trail, 64 - prev_lead - prev_trail);
      } else {
        const int len = 64 - lead - trail;
        bw.Write(1, 1);
        bw.Write(static_cast<uint64_t>(lead), 5);
        bw.Write(static_cast<uint64_t>(len & 63), 6);
        bw.Write(x >> trail, len);
        prev_lead = lead;
        prev_trail = trail;
      }
    }
  }
  bw.Flush();
  std::string out;
  ByteWriter w(&out);
  w.PutLengthPrefixed(stream);
  return out;
}

TEST(DoubleCodecTest, GorillaBytesMatchTheReferenceBitWriter) {
  std::mt19937_64 rng(17);
  std::vector<std::vector<double>> cases = {{}, {1.5}, {1.0, 1.0, 1.0}, {0.0, -0.0, 1e308, -1e-308}};
  std::vector<double> smooth(5000), noise(3000), mixed(4000);
  for (size_t i = 0; i < smooth.size(); ++i) smooth[i] = std::sin(static_cast<double>(i) * 0.01) * 50.0;
  for (auto& x : noise) {
    uint64_t b = rng();
    std::memcpy(&x, &b, 8);
  }
  for (size_t i = 0; i < mixed.size(); ++i)
    mixed[i] = rng() % 3 == 0 ? mixed[i > 0 ? i - 1 : 0] : static_cast<double>(rng() % 1000) / 7.0;
  cases.push_back(smooth);
  cases.push_back(noise);
  cases.push_back(mixed);
  for (const auto& v : cases) {
    std::string got;
    EncodeDoublesAs(DoubleEncoding::kGorilla, v.data(), v.size(), &got);
    EXPECT_EQ(got, ReferenceGorilla(v)) << v.size() << " values";
    EXPECT_TRUE(SameBits(RoundTripDoubles(DoubleEncoding::kGorilla, v), v));
  }
}

TEST(StringCodecTest, SmallestPicksTheSmallerOfPlainAndDictionary) {
  std::mt19937 rng(3);
  for (int distinct : {1, 2, 50, 400, 1000}) {
    std::vector<std::string> v(1000);
    for (size_t i = 0; i < v.size(); ++i)
      v[i] = "Plant1/Area/TT-" + std::to_string(rng() % static_cast<unsigned>(distinct));
    if (distinct == 2) std::sort(v.begin(), v.end());  // runs of equal values
    std::string plain, dict, best;
    EncodeStringsAs(StringEncoding::kPlain, v.data(), v.size(), &plain);
    EncodeStringsAs(StringEncoding::kDictionary, v.data(), v.size(), &dict);
    const StringEncoding e = EncodeStringsSmallest(v.data(), v.size(), &best);
    if (e == StringEncoding::kDictionary) {
      EXPECT_EQ(best, dict);
      EXPECT_LT(dict.size(), plain.size());
    } else {
      EXPECT_EQ(best, plain);
      // Dictionary is only tried up to n/2 + 1 distinct values.
      if (distinct <= 50) {
        EXPECT_GE(dict.size(), plain.size());
      }
    }
  }
}

TEST(StringCodecTest, RoundTripsAndPicksDictionaryForRepeats) {
  const std::string longs(100000, 'z');
  const std::vector<std::vector<std::string>> cases = {{}, {""}, {"", "", "a"}, {longs, "x", longs}};
  for (const auto& v : cases) {
    for (StringEncoding e : {StringEncoding::kPlain, StringEncoding::kDictionary}) {
      std::string enc;
      EncodeStringsAs(e, v.data(), v.size(), &enc);
      ByteReader in(enc);
      std::vector<std::string> out;
      ASSERT_TRUE(DecodeStringsAs(e, &in, v.size(), &out).ok());
      EXPECT_EQ(out, v);
      EXPECT_TRUE(in.AtEnd());
    }
  }
  std::vector<std::string> tags;
  for (int t = 0; t < 10; ++t)
    for (int i = 0; i < 1000; ++i) tags.push_back("site1/pump" + std::to_string(t) + "/flow");
  std::string enc;
  EXPECT_EQ(EncodeStringsSmallest(tags.data(), tags.size(), &enc), StringEncoding::kDictionary);
  EXPECT_LT(enc.size(), 400u);
  std::vector<std::string> unique;
  for (int i = 0; i < 1000; ++i) unique.push_back(std::to_string(i * 7919).insert(0, 1, 'u'));
  enc.clear();
  EXPECT_EQ(EncodeStringsSmallest(unique.data(), unique.size(), &enc), StringEncoding::kPlain);
}

TEST(NullBitmapTest, RoundTripsAndChecksCountAndPadding) {
  std::vector<uint8_t> valid = {1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1};
  std::string enc;
  EncodeNullBitmap(valid, &enc);
  ASSERT_EQ(enc.size(), 2u);
  ByteReader in(enc);
  std::vector<uint8_t> back;
  ASSERT_TRUE(DecodeNullBitmap(&in, valid.size(), 4, &back).ok());
  EXPECT_EQ(back, valid);
  ByteReader wrong_count(enc);
  EXPECT_TRUE(DecodeNullBitmap(&wrong_count, valid.size(), 3, &back).IsCorruption());
  std::string padded = enc;
  padded[1] = static_cast<char>(padded[1] | 0x80);
  ByteReader pad(padded);
  EXPECT_TRUE(DecodeNullBitmap(&pad, valid.size(), 4, &back).IsCorruption());
}

// keep_dictionary: a dictionary-encoded VARCHAR body comes back as
// (dictionary, codes) naming the same strings as the materialized decode,
// NULL rows included; other encodings and types ignore the request.
TEST(ColumnCodecTest, KeepDictionaryMatchesMaterializedStrings) {
  ColumnVector str(TypeId::kVarchar);
  for (int i = 0; i < 500; ++i) {
    if (i % 13 == 0) {
      str.AppendNull();
    } else {
      str.AppendString("Plant1/Boiler1/tag-" + std::to_string((i / 50) % 4));
    }
  }
  const EncodedColumn enc = EncodeColumn(str);
  ASSERT_EQ(enc.encoding, ColumnEncoding::kStringDictionary);
  ColumnVector plain, dict;
  ASSERT_TRUE(DecodeColumn(str.type, enc.encoding, enc.body, str.size(), &plain).ok());
  ASSERT_TRUE(DecodeColumn(str.type, enc.encoding, enc.body, str.size(), &dict, true).ok());
  EXPECT_FALSE(plain.dictionary_form);
  ASSERT_TRUE(dict.dictionary_form);
  EXPECT_TRUE(dict.strings.empty());
  EXPECT_EQ(dict.dictionary.size(), 4u);
  ASSERT_EQ(dict.codes.size(), str.size());
  ASSERT_EQ(dict.valid, str.valid);
  for (size_t i = 0; i < str.size(); ++i) {
    if (!str.valid[i]) continue;
    ASSERT_LT(dict.codes[i], dict.dictionary.size());
    EXPECT_EQ(dict.dictionary[dict.codes[i]], str.strings[i]) << i;
    EXPECT_EQ(plain.strings[i], str.strings[i]) << i;
  }
  dict.Clear();
  EXPECT_FALSE(dict.dictionary_form);

  // All NULL: an empty dictionary, every row invalid.
  ColumnVector nulls(TypeId::kVarchar);
  for (int i = 0; i < 5; ++i) nulls.AppendNull();
  const EncodedColumn en = EncodeColumn(nulls);
  ColumnVector back;
  ASSERT_TRUE(DecodeColumn(nulls.type, en.encoding, en.body, nulls.size(), &back, true).ok());
  EXPECT_EQ(back.size(), 5u);
  for (uint8_t v : back.valid) EXPECT_EQ(v, 0);

  // Mostly distinct strings are encoded plain: no dictionary form.
  ColumnVector distinct(TypeId::kVarchar);
  for (int i = 0; i < 100; ++i) distinct.AppendString("value-" + std::to_string(i));
  const EncodedColumn ep = EncodeColumn(distinct);
  ASSERT_EQ(ep.encoding, ColumnEncoding::kStringPlain);
  ASSERT_TRUE(DecodeColumn(distinct.type, ep.encoding, ep.body, distinct.size(), &back, true).ok());
  EXPECT_FALSE(back.dictionary_form);
  EXPECT_EQ(back.strings, distinct.strings);

  // Mutated dictionary bodies: OK with every code in range, or kCorruption.
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string body = enc.body;
    for (int k = 0; k < 1 + trial % 3; ++k) body[rng() % body.size()] ^= static_cast<char>(1 + rng() % 255);
    ColumnVector out;
    Status st = DecodeColumn(str.type, enc.encoding, body, str.size(), &out, true);
    if (!st.ok()) {
      EXPECT_TRUE(st.IsCorruption()) << st.ToString();
      continue;
    }
    ASSERT_TRUE(out.dictionary_form);
    ASSERT_EQ(out.codes.size(), str.size());
    for (size_t i = 0; i < out.codes.size(); ++i) {
      if (out.valid[i]) {
        ASSERT_LT(out.codes[i], out.dictionary.size());
      }
    }
  }
}

// Random and mutated bodies through every column decoder: each must return
// OK or kCorruption, and never crash (run under ASan/UBSan in CI).
TEST(ColumnCodecTest, RandomAndMutatedBodiesNeverCrash) {
  std::mt19937_64 rng(99);
  ColumnVector ints(TypeId::kBigint), dbl(TypeId::kDouble), str(TypeId::kVarchar);
  for (int i = 0; i < 300; ++i) {
    if (i % 17 == 0) {
      ints.AppendNull();
      dbl.AppendNull();
      str.AppendNull();
      continue;
    }
    ints.AppendInt(i * 1000 + (i % 3));
    dbl.AppendDouble(i * 0.25);
    str.AppendString("tag" + std::to_string(i % 5));
  }
  int decoded_ok = 0, rejected = 0;
  for (const ColumnVector* col : {&ints, &dbl, &str}) {
    const size_t rows = col->size();
    const EncodedColumn good = EncodeColumn(*col);
    const uint8_t e = static_cast<uint8_t>(good.encoding);
    ColumnVector out;
    ASSERT_TRUE(DecodeColumn(col->type, good.encoding, good.body, rows, &out).ok());
    for (int trial = 0; trial < 3000; ++trial) {
      std::string body = good.body;
      if (trial % 3 == 0) {
        body.resize(rng() % (body.size() + 1));
      } else if (trial % 3 == 1) {
        for (int k = 0; k < 1 + trial % 4; ++k) body[rng() % body.size()] ^= static_cast<char>(1 + rng() % 255);
      } else {
        body.resize(rng() % 64);
        for (char& c : body) c = static_cast<char>(rng());
      }
      // Also lie about the encoding within the type's family.
      uint8_t enc = e;
      if (trial % 7 == 0) enc = static_cast<uint8_t>((e & 0xF0) + rng() % 5);
      Status st = DecodeColumn(col->type, static_cast<ColumnEncoding>(enc), body, rows, &out);
      if (st.ok()) {
        ++decoded_ok;
        EXPECT_EQ(out.size(), rows);
      } else {
        ++rejected;
        EXPECT_TRUE(st.IsCorruption()) << st.ToString();
      }
    }
  }
  std::printf("[ codec    ] fuzzed bodies: %d rejected, %d decoded (undetectable without the block CRC)\n", rejected,
              decoded_ok);
}

}  // namespace
}  // namespace tsl

namespace tsl {
namespace {

TEST(IntCodecTest, SizeEstimateMatchesEncoderExactly) {
  std::mt19937_64 rng(17);
  for (int trial = 0; trial < 200; ++trial) {
    const size_t n = rng() % 600;
    std::vector<int64_t> v(n);
    const int shape = trial % 4;
    int64_t cur = static_cast<int64_t>(rng());
    for (auto& x : v) {
      if (shape == 0) x = static_cast<int64_t>(rng());
      if (shape == 1) x = cur += 1000000;
      if (shape == 2) x = rng() % 10 == 0 ? 7 : 192;
      if (shape == 3) x = cur += static_cast<int64_t>(rng() % 21) - 10;
    }
    const auto sizes = IntEncodedSizes(v.data(), n);
    for (int e = 0; e < kIntEncodingCount; ++e) {
      std::string enc;
      EncodeIntsAs(static_cast<IntEncoding>(e), v.data(), n, &enc);
      EXPECT_EQ(sizes[e], enc.size()) << IntEncodingName(static_cast<IntEncoding>(e)) << " n=" << n;
    }
  }
}

}  // namespace
}  // namespace tsl
