// PiWebApiGenerator: streams the JSON through a 1 MiB buffer (constant
// memory whatever N x M). Thread-safety: pure function.
#include "ingest/piwebapi_generator.h"

#include "ingest/data_generator.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

#include "formats/timestamp.h"

namespace tsl {
namespace {

// splitmix64: small, fast, deterministic.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Out {
 public:
  explicit Out(FILE* f) : f_(f) { buf_.reserve(kFlush + 4096); }
  void Put(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= kFlush) Flush();
  }
  void Int(int64_t v) {
    char tmp[24];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    Put(std::string_view(tmp, static_cast<size_t>(r.ptr - tmp)));
  }
  void Fixed(double v, int digits) {
    char tmp[64];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v, std::chars_format::fixed, digits);
    Put(std::string_view(tmp, static_cast<size_t>(r.ptr - tmp)));
  }
  bool Flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) ok_ = false;
    written_ += static_cast<int64_t>(buf_.size());
    buf_.clear();
    return ok_;
  }
  int64_t written() const { return written_ + static_cast<int64_t>(buf_.size()); }

 private:
  static constexpr size_t kFlush = size_t{1} << 20;
  FILE* f_;
  std::string buf_;
  bool ok_ = true;
  int64_t written_ = 0;
};

// "2024-01-01T00:00:00.1234567Z": PI's 7 fractional digits.
void PutTimestamp(Out* out, int64_t micros, int tenth_micro) {
  std::string iso = FormatTimestampIso(micros);  // ...T00:00:00.000000Z
  iso.pop_back();                                 // drop Z
  iso.push_back(static_cast<char>('0' + tenth_micro));
  iso.push_back('Z');
  out->Put(iso);
}

}  // namespace

Result<PiGeneratorStats> WritePiStreamsetsJson(const std::string& path,
                                               const PiGeneratorOptions& o) {
  if (o.tags < 0 || o.points_per_tag < 0 || o.interval_micros <= 0)
    return Status::InvalidArgument("PI generator: tags and points must be >= 0, interval > 0");
  // +1 ms: each point is offset by up to 999 microseconds (PutTimestamp).
  RETURN_IF_ERROR(CheckSampleTimes(o.start_micros, o.points_per_tag + 1, o.interval_micros));
  std::unique_ptr<FILE, int (*)(FILE*)> f(OpenGeneratorOutput(path), &std::fclose);
  if (!f) return Status::IOError(path + ": " + std::strerror(errno));
  Out out(f.get());
  PiGeneratorStats stats;
  static const char* kUnits[] = {"°C", "bar", "m3/h", "%", "kW", "rpm"};
  out.Put("{\"Links\":{},\"Items\":[");
  for (int64_t t = 0; t < o.tags; ++t) {
    if (t) out.Put(",");
    char name[32];
    std::snprintf(name, sizeof name, "SINUSOID-%07lld", static_cast<long long>(t));
    out.Put("{\"WebId\":\"F1DPmN3sT_W4ZUyqGZBX6a");
    out.Int(t);
    out.Put("\",\"Name\":\"");
    out.Put(name);
    out.Put("\",\"Path\":\"\\\\\\\\PISRV01\\\\");
    out.Put(name);
    out.Put("\",\"Links\":{}");
    if (o.error_stream_every > 0 && t % o.error_stream_every == o.error_stream_every - 1) {
      out.Put(",\"Errors\":[\"[-11059] No Good Data For Calculation\"]}");
      ++stats.rejects;
      continue;
    }
    out.Put(",\"Items\":[");
    const char* units = kUnits[t % 6];
    const double base = 10.0 + static_cast<double>(Mix(o.seed + static_cast<uint64_t>(t)) % 1000) / 10.0;
    for (int64_t i = 0; i < o.points_per_tag; ++i) {
      const uint64_t r = Mix(o.seed * 1000003ULL + static_cast<uint64_t>(t) * 7919ULL +
                             static_cast<uint64_t>(i));
      const int64_t n = t * o.points_per_tag + i;  // global point number
      if (i) out.Put(",");
      out.Put("{\"Timestamp\":\"");
      if (o.bad_timestamp_every > 0 && n % o.bad_timestamp_every == o.bad_timestamp_every - 1) {
        out.Put("2024-13-45T99:00:00Z");
        ++stats.rejects;
      } else {
        PutTimestamp(&out, o.start_micros + i * o.interval_micros + static_cast<int64_t>(r % 1000),
                     static_cast<int>((r >> 10) % 10));
        ++stats.points;
      }
      const bool digital = o.digital_state_every > 0 && n % o.digital_state_every == o.digital_state_every - 1;
      const bool questionable = o.questionable_every > 0 && n % o.questionable_every == o.questionable_every - 1;
      if (digital) {
        out.Put("\",\"Value\":{\"Name\":\"Bad Input\",\"Value\":307,\"IsSystem\":true}");
        ++stats.digital_states;
      } else {
        out.Put("\",\"Value\":");
        out.Fixed(base + 5.0 * std::sin(0.1 * static_cast<double>(i)) +
                      static_cast<double>(r % 1000) / 1000.0, 6);
      }
      out.Put(",\"UnitsAbbreviation\":\"");
      out.Put(units);
      out.Put(digital ? "\",\"Good\":false" : "\",\"Good\":true");
      out.Put(questionable ? ",\"Questionable\":true" : ",\"Questionable\":false");
      out.Put(",\"Substituted\":false,\"Annotated\":false}");
    }
    out.Put("]}");
  }
  out.Put("]}\n");
  if (!out.Flush() || std::fflush(f.get()) != 0)
    return Status::IOError(path + ": write failed: " + std::strerror(errno));
  // close(2) can still fail (NFS, a quota): checked, not left to the deleter.
  if (std::fclose(f.release()) != 0)
    return Status::IOError(path + ": write failed: " + std::strerror(errno));
  stats.bytes = out.written();
  return stats;
}

}  // namespace tsl
