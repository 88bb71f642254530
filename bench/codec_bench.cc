// Codec micro-benchmarks: encode and decode throughput (MB/s of raw
// in-memory values) for each segment codec on the data shape it targets,
// beside plain LZ4 and Zstd of the raw bytes. Run:
//   build/bench/codec_bench --benchmark_counters_tabular=true
// Reported "bytes/value" is the encoded size. No assertions: numbers only.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "formats/byte_reader.h"
#include "formats/compression.h"
#include "formats/double_codec.h"
#include "formats/int_codec.h"
#include "formats/string_codec.h"

namespace tsl {
namespace {

constexpr size_t kN = 1 << 20;

std::vector<int64_t> Timestamps() {
  std::vector<int64_t> v(kN);
  for (size_t i = 0; i < kN; ++i) v[i] = 1704067200000000 + static_cast<int64_t>(i) * 1000000;
  return v;
}

std::vector<int64_t> Quality() {
  std::mt19937 rng(1);
  std::vector<int64_t> v(kN, 192);
  for (auto& x : v)
    if (rng() % 100 == 0) x = 0;
  return v;
}

std::vector<double> RandomWalk() {
  std::mt19937 rng(2);
  std::vector<double> v(kN);
  int64_t cents = 5000;
  for (auto& x : v) {
    cents += static_cast<int64_t>(rng() % 41) - 20;
    x = static_cast<double>(cents) / 100.0;
  }
  return v;
}

std::vector<double> Smooth() {
  std::vector<double> v(kN);
  for (size_t i = 0; i < kN; ++i) v[i] = std::sin(static_cast<double>(i) * 1e-4) * 100.0;
  return v;
}

std::vector<std::string> Tags() {
  std::vector<std::string> v;
  v.reserve(kN);
  for (size_t i = 0; i < kN; ++i) v.push_back("tag" + std::to_string(i / 8640));
  return v;
}

void IntEncode(benchmark::State& state, IntEncoding e, const std::vector<int64_t>& v) {
  std::string out;
  for (auto _ : state) {
    out.clear();
    EncodeIntsAs(e, v.data(), v.size(), &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * v.size() * 8));
  state.counters["bytes/value"] = static_cast<double>(out.size()) / static_cast<double>(v.size());
}

void IntDecode(benchmark::State& state, IntEncoding e, const std::vector<int64_t>& v) {
  std::string enc;
  EncodeIntsAs(e, v.data(), v.size(), &enc);
  std::vector<int64_t> out;
  for (auto _ : state) {
    out.clear();
    ByteReader in(enc);
    if (!DecodeIntsAs(e, &in, v.size(), &out).ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * v.size() * 8));
}

void DoubleEncode(benchmark::State& state, DoubleEncoding e, const std::vector<double>& v) {
  std::string out;
  for (auto _ : state) {
    out.clear();
    EncodeDoublesAs(e, v.data(), v.size(), &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * v.size() * 8));
  state.counters["bytes/value"] = static_cast<double>(out.size()) / static_cast<double>(v.size());
}

void DoubleDecode(benchmark::State& state, DoubleEncoding e, const std::vector<double>& v) {
  std::string enc;
  EncodeDoublesAs(e, v.data(), v.size(), &enc);
  std::vector<double> out;
  for (auto _ : state) {
    out.clear();
    ByteReader in(enc);
    if (!DecodeDoublesAs(e, &in, v.size(), &out).ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * v.size() * 8));
}

void StringEncodeDecode(benchmark::State& state, bool decode) {
  static const std::vector<std::string> v = Tags();
  size_t raw = 0;
  for (const auto& s : v) raw += s.size();
  std::string enc;
  EncodeStringsAs(StringEncoding::kDictionary, v.data(), v.size(), &enc);
  std::vector<std::string> out;
  for (auto _ : state) {
    if (decode) {
      out.clear();
      ByteReader in(enc);
      if (!DecodeStringsAs(StringEncoding::kDictionary, &in, v.size(), &out).ok()) state.SkipWithError("decode");
      benchmark::DoNotOptimize(out.data());
    } else {
      std::string e;
      EncodeStringsAs(StringEncoding::kDictionary, v.data(), v.size(), &e);
      benchmark::DoNotOptimize(e.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * raw));
  state.counters["bytes/value"] = static_cast<double>(enc.size()) / static_cast<double>(v.size());
}

// Baseline: general-purpose compression of the raw 8-byte values.
void RawCompress(benchmark::State& state, Compression c, bool decode, const std::vector<double>& v) {
  const std::string_view raw(reinterpret_cast<const char*>(v.data()), v.size() * 8);
  std::string comp, out;
  CompressBlock(c, 3, raw, &comp);
  for (auto _ : state) {
    if (decode) {
      if (!DecompressBlock(c, comp, raw.size(), &out).ok()) state.SkipWithError("decompress");
      benchmark::DoNotOptimize(out.data());
    } else {
      std::string o;
      CompressBlock(c, 3, raw, &o);
      benchmark::DoNotOptimize(o.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * raw.size()));
  state.counters["bytes/value"] = static_cast<double>(comp.size()) / static_cast<double>(v.size());
}

const std::vector<int64_t>& TsData() { static const auto v = Timestamps(); return v; }
const std::vector<int64_t>& QData() { static const auto v = Quality(); return v; }
const std::vector<double>& WalkData() { static const auto v = RandomWalk(); return v; }
const std::vector<double>& SmoothData() { static const auto v = Smooth(); return v; }

void BM_TimestampDoDEncode(benchmark::State& s) { IntEncode(s, IntEncoding::kDeltaOfDelta, TsData()); }
void BM_TimestampDoDDecode(benchmark::State& s) { IntDecode(s, IntEncoding::kDeltaOfDelta, TsData()); }
void BM_QualityRleEncode(benchmark::State& s) { IntEncode(s, IntEncoding::kRunLength, QData()); }
void BM_QualityRleDecode(benchmark::State& s) { IntDecode(s, IntEncoding::kRunLength, QData()); }
void BM_QualityForEncode(benchmark::State& s) { IntEncode(s, IntEncoding::kFrameOfReference, QData()); }
void BM_QualityForDecode(benchmark::State& s) { IntDecode(s, IntEncoding::kFrameOfReference, QData()); }
void BM_WalkDecimalEncode(benchmark::State& s) { DoubleEncode(s, DoubleEncoding::kDecimal, WalkData()); }
void BM_WalkDecimalDecode(benchmark::State& s) { DoubleDecode(s, DoubleEncoding::kDecimal, WalkData()); }
void BM_WalkGorillaEncode(benchmark::State& s) { DoubleEncode(s, DoubleEncoding::kGorilla, WalkData()); }
void BM_WalkGorillaDecode(benchmark::State& s) { DoubleDecode(s, DoubleEncoding::kGorilla, WalkData()); }
void BM_SmoothGorillaEncode(benchmark::State& s) { DoubleEncode(s, DoubleEncoding::kGorilla, SmoothData()); }
void BM_SmoothGorillaDecode(benchmark::State& s) { DoubleDecode(s, DoubleEncoding::kGorilla, SmoothData()); }
void BM_TagDictionaryEncode(benchmark::State& s) { StringEncodeDecode(s, false); }
void BM_TagDictionaryDecode(benchmark::State& s) { StringEncodeDecode(s, true); }
void BM_WalkRawLz4Compress(benchmark::State& s) { RawCompress(s, Compression::kLz4, false, WalkData()); }
void BM_WalkRawLz4Decompress(benchmark::State& s) { RawCompress(s, Compression::kLz4, true, WalkData()); }
void BM_WalkRawZstdCompress(benchmark::State& s) { RawCompress(s, Compression::kZstd, false, WalkData()); }
void BM_WalkRawZstdDecompress(benchmark::State& s) { RawCompress(s, Compression::kZstd, true, WalkData()); }

BENCHMARK(BM_TimestampDoDEncode);
BENCHMARK(BM_TimestampDoDDecode);
BENCHMARK(BM_QualityRleEncode);
BENCHMARK(BM_QualityRleDecode);
BENCHMARK(BM_QualityForEncode);
BENCHMARK(BM_QualityForDecode);
BENCHMARK(BM_WalkDecimalEncode);
BENCHMARK(BM_WalkDecimalDecode);
BENCHMARK(BM_WalkGorillaEncode);
BENCHMARK(BM_WalkGorillaDecode);
BENCHMARK(BM_SmoothGorillaEncode);
BENCHMARK(BM_SmoothGorillaDecode);
BENCHMARK(BM_TagDictionaryEncode);
BENCHMARK(BM_TagDictionaryDecode);
BENCHMARK(BM_WalkRawLz4Compress);
BENCHMARK(BM_WalkRawLz4Decompress);
BENCHMARK(BM_WalkRawZstdCompress);
BENCHMARK(BM_WalkRawZstdDecompress);

}  // namespace
}  // namespace tsl

BENCHMARK_MAIN();
