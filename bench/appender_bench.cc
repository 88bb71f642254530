// appender_bench: measures the Appender, the layer under every reader.
//
//   appender_bench append  [--points N] [--tags T] [--dir D] [--compression zstd|lz4|none]
//                          [--properties "sort_key=ts;partition_by=day(ts)"]
//       One thread appends (tag, ts, value, quality) rows as 2048-row column
//       batches and flushes once; reports points/s from the first append to
//       the durable commit. Pin it to one core with `taskset -c 0`.
//   appender_bench writers [--writers 50] [--rate 1000] [--seconds 60] [--flush-ms 100] [--dir D]
//       W threads each append `rate` rows/s and flush every flush-ms; then
//       checks every row is present exactly once and reports commits,
//       flushes and flush latency percentiles.
//
// Numbers are printed, never asserted. Thread-safety: n/a (a program).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include <time.h>

#include "ingest/appender.h"
#include "storage/database.h"

namespace {

using Clock = std::chrono::steady_clock;

// CPU seconds of the whole process (all threads): on a shared, loaded
// machine wall time mostly measures waiting for a core.
double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::map<std::string, std::string> ParseFlags(int argc, char** argv, int first) {
  std::map<std::string, std::string> flags;
  for (int i = first; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k.rfind("--", 0) == 0) k = k.substr(2);
    flags[k] = argv[i + 1];
  }
  return flags;
}

int64_t Flag(const std::map<std::string, std::string>& f, const char* k, int64_t def) {
  auto it = f.find(k);
  return it == f.end() ? def : std::atoll(it->second.c_str());
}

std::string FlagS(const std::map<std::string, std::string>& f, const char* k, std::string def) {
  auto it = f.find(k);
  return it == f.end() ? def : it->second;
}

tsl::Schema PointSchema() {
  return tsl::Schema{{{"tag", tsl::TypeId::kVarchar},
                      {"ts", tsl::TypeId::kTimestamp},
                      {"value", tsl::TypeId::kDouble},
                      {"quality", tsl::TypeId::kInteger}}};
}

// `properties`: table properties as "k=v,k=v" (e.g. sort_key=ts).
std::shared_ptr<tsl::Table> FreshTable(const std::string& dir, const std::string& compression,
                                       std::unique_ptr<tsl::Database>* db,
                                       const std::string& properties = "") {
  std::filesystem::remove_all(dir);
  tsl::DatabaseOptions opts;
  auto c = tsl::ParseCompression(compression);
  if (!c.ok()) {
    std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
    std::exit(2);
  }
  opts.segment_options.compression = *c;
  auto opened = tsl::Database::Open(dir, opts);
  if (!opened.ok()) {
    std::fprintf(stderr, "open %s: %s\n", dir.c_str(), opened.status().ToString().c_str());
    std::exit(1);
  }
  *db = std::move(*opened);
  std::map<std::string, std::string> props;
  size_t start = 0;
  while (start < properties.size()) {
    size_t end = properties.find(';', start);
    if (end == std::string::npos) end = properties.size();
    std::string kv = properties.substr(start, end - start);
    size_t eq = kv.find('=');
    if (eq != std::string::npos) props[kv.substr(0, eq)] = kv.substr(eq + 1);
    start = end + 1;
  }
  auto t = (*db)->CreateTable("points", PointSchema(), props);
  if (!t.ok()) {
    std::fprintf(stderr, "create: %s\n", t.status().ToString().c_str());
    std::exit(1);
  }
  return *t;
}

int RunAppend(const std::map<std::string, std::string>& flags) {
  const int64_t points = Flag(flags, "points", 20'000'000);
  const int64_t tags = Flag(flags, "tags", 1000);
  const std::string dir = FlagS(flags, "dir", "/tmp/tslake_appender_bench");
  std::unique_ptr<tsl::Database> db;
  auto table =
      FreshTable(dir, FlagS(flags, "compression", "zstd"), &db, FlagS(flags, "properties", ""));
  tsl::GroupCommitOptions gopts;
  gopts.segment_options = db->options().segment_options;
  auto committer = std::make_shared<tsl::GroupCommitter>(table, gopts);

  // Pre-built batches: tag-major like a historian export (each tag's points
  // in time order), so the timing is the Appender's, not the generator's.
  std::vector<std::string> names;
  for (int64_t t = 0; t < tags; ++t) names.push_back("Plant1/Area" + std::to_string(t % 10) +
                                                     "/TT-" + std::to_string(1000 + t) + ".PV");
  const int64_t per_tag = std::max<int64_t>(1, points / tags);
  std::vector<tsl::DataChunk> batches;
  tsl::DataChunk c;
  const std::vector<tsl::TypeId> types = {tsl::TypeId::kVarchar, tsl::TypeId::kTimestamp,
                                          tsl::TypeId::kDouble, tsl::TypeId::kInteger};
  c.Initialize(types);
  const int64_t t0 = 1704067200LL * 1000000;
  int64_t made = 0;
  for (int64_t t = 0; t < tags && made < points; ++t) {
    for (int64_t i = 0; i < per_tag && made < points; ++i, ++made) {
      c.columns[0].AppendString(names[t]);
      c.columns[1].AppendInt(t0 + i * 1000000);
      c.columns[2].AppendDouble(50.0 + 10.0 * std::sin(0.01 * static_cast<double>(i + t)));
      c.columns[3].AppendInt(i % 997 == 0 ? 0 : 192);
      if (c.size() == tsl::kVectorSize) {
        batches.push_back(std::move(c));
        c = tsl::DataChunk();
        c.Initialize(types);
      }
    }
  }
  if (c.size() > 0) batches.push_back(std::move(c));

  auto app = tsl::Appender::Open(committer);
  if (!app.ok()) return std::fprintf(stderr, "%s\n", app.status().ToString().c_str()), 1;
  const auto start = Clock::now();
  const double cpu0 = ProcessCpuSeconds();
  for (tsl::DataChunk& b : batches) {
    tsl::Status st = (*app)->AppendChunk(std::move(b));
    if (!st.ok()) return std::fprintf(stderr, "%s\n", st.ToString().c_str()), 1;
  }
  const auto appended = Clock::now();
  auto r = (*app)->Flush();
  const auto end = Clock::now();
  const double cpu_secs = ProcessCpuSeconds() - cpu0;
  if (!r.ok()) return std::fprintf(stderr, "%s\n", r.status().ToString().c_str()), 1;
  const double secs = std::chrono::duration<double>(end - start).count();
  const double flush_secs = std::chrono::duration<double>(end - appended).count();
  uint64_t bytes = 0;
  for (const auto& e : std::filesystem::directory_iterator(table->dir()))
    if (e.path().extension() == ".tsl") bytes += e.file_size();
  std::printf(
      "appender append: %lld points (%lld tags), %.3f s (last flush %.3f s), %.2f M points/s; "
      "%.3f CPU-s, %.2f M points per CPU-second; %.2f bytes/point on disk, version %lld\n",
      static_cast<long long>(made), static_cast<long long>(tags), secs, flush_secs,
      static_cast<double>(made) / secs / 1e6, cpu_secs, static_cast<double>(made) / cpu_secs / 1e6,
      static_cast<double>(bytes) / static_cast<double>(made),
      static_cast<long long>(r->version));
  return 0;
}

int RunWriters(const std::map<std::string, std::string>& flags) {
  const int writers = static_cast<int>(Flag(flags, "writers", 50));
  const int64_t rate = Flag(flags, "rate", 1000);
  const int64_t seconds = Flag(flags, "seconds", 60);
  const int64_t flush_ms = Flag(flags, "flush-ms", 100);
  const std::string dir = FlagS(flags, "dir", "/tmp/tslake_appender_writers");
  std::unique_ptr<tsl::Database> db;
  auto table = FreshTable(dir, FlagS(flags, "compression", "zstd"), &db);
  tsl::GroupCommitOptions gopts;
  gopts.window = std::chrono::microseconds(Flag(flags, "window-us", 20000));
  gopts.segment_options = db->options().segment_options;
  auto committer = std::make_shared<tsl::GroupCommitter>(table, gopts);

  const int64_t rows_per_flush = std::max<int64_t>(1, rate * flush_ms / 1000);
  std::vector<std::vector<double>> latencies(writers);
  std::vector<int64_t> written(writers, 0);
  std::atomic<bool> failed{false};
  const auto start = Clock::now();
  const auto stop = start + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      auto app = tsl::Appender::Open(committer);
      if (!app.ok()) {
        failed = true;
        return;
      }
      const std::string tag = "writer-" + std::to_string(w);
      auto tick = start;
      int64_t next = 0;
      tsl::DataChunk c;
      while (Clock::now() < stop && !failed) {
        c.Initialize({tsl::TypeId::kVarchar, tsl::TypeId::kTimestamp, tsl::TypeId::kDouble,
                      tsl::TypeId::kInteger});
        for (int64_t i = 0; i < rows_per_flush; ++i, ++next) {
          c.columns[0].AppendString(tag);
          c.columns[1].AppendInt(next);
          c.columns[2].AppendDouble(static_cast<double>(next));
          c.columns[3].AppendInt(192);
        }
        if (!(*app)->AppendChunk(std::move(c)).ok()) failed = true;
        const auto f0 = Clock::now();
        auto r = (*app)->Flush();
        latencies[w].push_back(std::chrono::duration<double, std::milli>(Clock::now() - f0).count());
        if (!r.ok()) {
          std::fprintf(stderr, "writer %d: %s\n", w, r.status().ToString().c_str());
          failed = true;
        }
        tick += std::chrono::milliseconds(flush_ms);
        std::this_thread::sleep_until(tick);
      }
      written[w] = next;
    });
  }
  for (auto& t : threads) t.join();
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  if (failed) return 1;

  // Verify: every (tag, ts) exactly once.
  auto snap = table->GetSnapshot();
  tsl::ScanOptions so;
  so.columns = {0, 1};
  auto scan = table->NewScan(*snap, so);
  if (!scan.ok()) return std::fprintf(stderr, "%s\n", scan.status().ToString().c_str()), 1;
  std::vector<std::vector<uint8_t>> seen(writers);
  for (int w = 0; w < writers; ++w) seen[w].assign(static_cast<size_t>(written[w]), 0);
  int64_t rows = 0, dups = 0, strays = 0;
  tsl::DataChunk chunk;
  while (true) {
    auto more = (*scan)->Next(&chunk);
    if (!more.ok()) return std::fprintf(stderr, "%s\n", more.status().ToString().c_str()), 1;
    if (!*more) break;
    for (size_t i = 0; i < chunk.size(); ++i, ++rows) {
      int w = std::atoi(chunk.columns[0].strings[i].c_str() + 7);
      int64_t ts = chunk.columns[1].ints[i];
      if (w < 0 || w >= writers || ts < 0 || ts >= written[w]) {
        ++strays;
      } else if (seen[w][ts]++) {
        ++dups;
      }
    }
  }
  int64_t expected = 0, missing = 0;
  for (int w = 0; w < writers; ++w) {
    expected += written[w];
    for (uint8_t s : seen[w]) missing += s == 0;
  }
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  tsl::GroupCommitStats st = committer->stats();
  std::printf(
      "appender writers: %d writers x %lld rows/s for %.1f s (flush every %lld ms): %lld rows "
      "expected, %lld found, %lld missing, %lld duplicated, %lld stray; %lld flushes in %lld "
      "commits (%.1f commits/s); flush latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
      writers, static_cast<long long>(rate), secs, static_cast<long long>(flush_ms),
      static_cast<long long>(expected), static_cast<long long>(rows),
      static_cast<long long>(missing), static_cast<long long>(dups),
      static_cast<long long>(strays), static_cast<long long>(st.flushes),
      static_cast<long long>(st.commits), static_cast<double>(st.commits) / secs, pct(0.5),
      pct(0.99), all.empty() ? 0.0 : all.back());
  return missing == 0 && dups == 0 && strays == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || (std::strcmp(argv[1], "append") != 0 && std::strcmp(argv[1], "writers") != 0)) {
    std::fprintf(stderr,
                 "usage: appender_bench append [--points N] [--tags T] [--dir D] "
                 "[--compression zstd|lz4|none] [--properties k=v;k=v]\n"
                 "       appender_bench writers [--writers 50] [--rate 1000] [--seconds 60] "
                 "[--flush-ms 100] [--window-us 20000] [--dir D]\n");
    return 2;
  }
  auto flags = ParseFlags(argc, argv, 2);
  return std::strcmp(argv[1], "append") == 0 ? RunAppend(flags) : RunWriters(flags);
}
