// Deterministic historian sample data; see data_generator.h.
//
// Every random number comes from a xoshiro256** generator seeded through
// splitmix64 from options.seed, so the output is a function of the options
// alone. Each tag draws from its own generator (seeded from seed and tag
// index), so adding tags does not change the series of the existing ones.
#include "ingest/data_generator.h"

#include <algorithm>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numbers>
#include <numeric>
#include <vector>

#include "formats/timestamp.h"

namespace tsl {
namespace {

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman & Vigna): small, fast, and the same everywhere.
class Random {
 public:
  explicit Random(uint64_t seed) {
    for (uint64_t& word : s_) word = SplitMix64(&seed);
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Standard normal (Box-Muller; the second value is dropped for simplicity).
  double Normal() {
    const double u1 = 1.0 - Uniform();  // (0, 1]: log stays finite
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// One instrument type: the ISA letter code and the range its process value
// lives in. The walk reverts to a set point drawn inside [low, high].
struct InstrumentKind {
  const char* code;
  double low;
  double high;
};

constexpr InstrumentKind kKinds[] = {
    {"TT", 20.0, 540.0},   // temperature, degC
    {"PT", 1.0, 40.0},     // pressure, bar
    {"FT", 0.0, 450.0},    // flow, m3/h
    {"LT", 5.0, 95.0},     // level, %
    {"AT", 6.0, 9.0},      // analyzer (pH)
    {"ST", 900.0, 3600.0}, // speed, rpm
    {"JT", 50.0, 2500.0},  // power, kW
};
constexpr int kKindCount = sizeof(kKinds) / sizeof(kKinds[0]);

constexpr const char* kAreas[] = {"Boiler", "Turbine", "Cooling", "Feedwater", "Compressor"};
constexpr int kAreaCount = sizeof(kAreas) / sizeof(kAreas[0]);
constexpr int kUnitsPerArea = 3;

// Fraction of points written with bad quality (0) rather than good (192).
constexpr double kBadQualityRate = 0.01;
constexpr int kGoodQuality = 192;
constexpr int kBadQuality = 0;

// The evolving state of one tag's signal.
struct TagSeries {
  std::string name;
  Random rng;
  double low;
  double high;
  double set_point;
  double value;
  double reversion;  // fraction of the distance to the set point closed per step
  double noise;      // standard deviation of one step
};

TagSeries MakeSeries(int index, uint64_t seed) {
  const InstrumentKind& kind = kKinds[index % kKindCount];
  uint64_t mix = seed ^ (0x5851f42d4c957f2dULL * static_cast<uint64_t>(index + 1));
  TagSeries s{SensorTagName(index), Random(SplitMix64(&mix)), kind.low, kind.high, 0, 0, 0, 0};
  const double span = kind.high - kind.low;
  // Set points sit in the middle 60% of the range; a real loop rarely runs
  // at the edge of its instrument's span.
  s.set_point = kind.low + span * (0.2 + 0.6 * s.rng.Uniform());
  s.value = s.set_point + span * 0.02 * s.rng.Normal();
  s.reversion = 0.02 + 0.08 * s.rng.Uniform();
  s.noise = span * (0.002 + 0.004 * s.rng.Uniform());
  return s;
}

// Advances the walk one step and returns the new value (rounded to the
// 2 decimals it is printed with, so the state matches the file).
double Step(TagSeries* s) {
  double v = s->value + s->reversion * (s->set_point - s->value) + s->noise * s->rng.Normal();
  v = std::clamp(v, s->low, s->high);
  v = std::round(v * 100.0) / 100.0;
  if (v == 0.0) v = 0.0;  // never print "-0.00"
  s->value = v;
  return v;
}

// Closes a FILE* when the generator returns early.
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

Status WriteError(const std::string& path) {
  return Status::IOError("cannot write " + path + ": " + std::strerror(errno));
}

}  // namespace

std::string SensorTagName(int index) {
  // Tags cycle through the instrument kinds; the n-th tag of a kind gets
  // loop number 101 + n, which keeps names unique, and lives in an area and
  // unit that advance with n, grouped 15 units to a plant.
  const int kind = index % kKindCount;
  const int n = index / kKindCount;
  const int area = n % kAreaCount;
  const int unit = 1 + (n / kAreaCount) % kUnitsPerArea;
  const int plant = 1 + n / (kAreaCount * kUnitsPerArea);
  return "Plant" + std::to_string(plant) + "/" + kAreas[area] + std::to_string(unit) + "/" +
         kKinds[kind].code + "-" + std::to_string(101 + n) + ".PV";
}

bool ParseSensorFormat(const std::string& name, SensorFormat* format) {
  if (name == "csv") *format = SensorFormat::kCsv;
  else if (name == "wide") *format = SensorFormat::kWideCsv;
  else if (name == "jsonl") *format = SensorFormat::kJsonl;
  else if (name == "line") *format = SensorFormat::kLine;
  else if (name == "ignition") *format = SensorFormat::kIgnition;
  else return false;
  return true;
}

Status CheckSampleTimes(int64_t start_micros, int64_t points, int64_t interval_micros) {
  // 0001-01-01T00:00:00 and 9999-12-31T23:59:59.999999 UTC.
  constexpr int64_t kMinMicros = -62135596800LL * 1000000;
  constexpr int64_t kMaxMicros = 253402300799LL * 1000000 + 999999;
  int64_t span = 0;
  int64_t last = 0;
  if (points <= 0) return Status::OK();
  if (__builtin_mul_overflow(points - 1, interval_micros, &span) ||
      __builtin_add_overflow(start_micros, span, &last) || start_micros < kMinMicros ||
      last > kMaxMicros || last < kMinMicros) {
    return Status::InvalidArgument(
        "generate: " + std::to_string(points) + " points every " +
        std::to_string(interval_micros) + " microseconds from " + std::to_string(start_micros) +
        " microseconds since 1970 run past 9999-12-31 (timestamps are written with a four-digit "
        "year); use a smaller interval or fewer points");
  }
  return Status::OK();
}

Status GenerateSensorCsv(const SensorDataOptions& options, const std::string& path) {
  return GenerateSensorData(options, SensorFormat::kCsv, path);
}

Status GenerateSensorData(const SensorDataOptions& options, SensorFormat format,
                          const std::string& path, const std::string& tags_path) {
  if (options.tags <= 0) {
    return Status::InvalidArgument("generate: tags must be positive, got " +
                                   std::to_string(options.tags));
  }
  if (options.points_per_tag <= 0) {
    return Status::InvalidArgument("generate: points per tag must be positive, got " +
                                   std::to_string(options.points_per_tag));
  }
  if (options.interval_micros <= 0) {
    return Status::InvalidArgument("generate: interval must be positive, got " +
                                   std::to_string(options.interval_micros) + " microseconds");
  }
  RETURN_IF_ERROR(
      CheckSampleTimes(options.start_micros, options.points_per_tag, options.interval_micros));
  if (format == SensorFormat::kIgnition && tags_path.empty())
    return Status::InvalidArgument("generate: the ignition format needs a path for its sqlth_te file");

  std::vector<TagSeries> series;
  series.reserve(options.tags);
  for (int i = 0; i < options.tags; ++i) series.push_back(MakeSeries(i, options.seed));
  // Rows at one timestamp are written in tag-name order, as a historian
  // export sorted by (ts, tag) would be.
  std::vector<int> order(options.tags);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return series[a].name < series[b].name; });

  if (format == SensorFormat::kIgnition) {
    std::unique_ptr<std::FILE, FileCloser> te(std::fopen(tags_path.c_str(), "wb"));
    if (!te) return Status::IOError("cannot create " + tags_path + ": " + std::strerror(errno));
    const int64_t created_ms = options.start_micros / 1000 - 86400000;
    if (std::fputs("id,tagpath,scid,datatype,querymode,created,retired\n", te.get()) == EOF)
      return WriteError(tags_path);
    for (int i = 0; i < options.tags; ++i) {
      if (std::fprintf(te.get(), "%d,%s,1,1,3,%lld,\n", i + 1, series[i].name.c_str(),
                       static_cast<long long>(created_ms)) < 0)
        return WriteError(tags_path);
    }
    if (std::fclose(te.release()) != 0) return WriteError(tags_path);
  }

  // The stdio buffer is declared before the file so it outlives fclose.
  std::vector<char> buffer(1 << 20);
  std::unique_ptr<std::FILE, FileCloser> file(OpenGeneratorOutput(path));
  if (!file) return Status::IOError("cannot create " + path + ": " + std::strerror(errno));
  std::setvbuf(file.get(), buffer.data(), _IOFBF, buffer.size());

  std::string header;
  switch (format) {
    case SensorFormat::kCsv: header = "ts,tag,value,quality\n"; break;
    case SensorFormat::kWideCsv:
      header = "ts";
      for (int i : order) header += "," + series[i].name;
      header += "\n";
      break;
    case SensorFormat::kIgnition:
      header = "tagid,intvalue,floatvalue,stringvalue,datevalue,dataintegrity,t_stamp\n";
      break;
    default: break;
  }
  if (!header.empty() && std::fputs(header.c_str(), file.get()) == EOF) return WriteError(path);
  char line[512];
  std::string wide;
  for (int p = 0; p < options.points_per_tag; ++p) {
    const int64_t micros = options.start_micros + p * options.interval_micros;
    const std::string ts = FormatTimestamp(micros);
    std::string iso = FormatTimestampIso(micros);
    if (format == SensorFormat::kWideCsv) wide = ts;
    for (int i : order) {
      TagSeries& s = series[i];
      const double value = Step(&s);
      const int quality = s.rng.Uniform() < kBadQualityRate ? kBadQuality : kGoodQuality;
      int n = 0;
      switch (format) {
        case SensorFormat::kCsv:
          n = std::snprintf(line, sizeof(line), "%s,%s,%.2f,%d\n", ts.c_str(), s.name.c_str(),
                            value, quality);
          break;
        case SensorFormat::kWideCsv: {
          char cell[64];
          std::snprintf(cell, sizeof(cell), ",%.2f", value);
          wide += cell;
          continue;
        }
        case SensorFormat::kJsonl:
          n = std::snprintf(line, sizeof(line),
                            "{\"ts\":\"%s\",\"tag\":\"%s\",\"value\":%.2f,\"quality\":%d}\n",
                            iso.c_str(), s.name.c_str(), value, quality);
          break;
        case SensorFormat::kLine:
          n = std::snprintf(line, sizeof(line), "%s value=%.2f,quality=%di %lld000\n",
                            s.name.c_str(), value, quality, static_cast<long long>(micros));
          break;
        case SensorFormat::kIgnition:
          n = std::snprintf(line, sizeof(line), "%d,,%.2f,,,%d,%lld\n", i + 1, value, quality,
                            static_cast<long long>(micros / 1000));
          break;
      }
      if (n < 0 || static_cast<size_t>(n) >= sizeof(line)) {
        return Status::Internal("generate: row for tag " + s.name + " does not fit a line");
      }
      if (std::fwrite(line, 1, n, file.get()) != static_cast<size_t>(n)) return WriteError(path);
    }
    if (format == SensorFormat::kWideCsv) {
      wide += "\n";
      if (std::fwrite(wide.data(), 1, wide.size(), file.get()) != wide.size()) return WriteError(path);
    }
  }
  if (std::fflush(file.get()) != 0) return WriteError(path);
  if (std::fclose(file.release()) != 0) return WriteError(path);
  return Status::OK();
}

std::FILE* OpenGeneratorOutput(const std::string& path) {
  if (path != "-") return std::fopen(path.c_str(), "wb");
  const int fd = ::dup(STDOUT_FILENO);
  if (fd < 0) return nullptr;
  std::FILE* f = ::fdopen(fd, "wb");
  if (!f) ::close(fd);
  return f;
}

}  // namespace tsl
