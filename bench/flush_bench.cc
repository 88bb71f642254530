// flush_bench: does flush cost stay flat as a table ages? (issue 23
// item 5). Through the public API only (tslake.hpp), as a gateway would:
// one Appender with SyncMode::kFull appends one row for each of T tags and
// flushes, N times. Reports flush latency p50/p99 over the first and the
// last `--window` flushes (and every `--report` flushes while running),
// and the size of catalog.sqlite against the table's data (segment files
// plus its _log/).
//
//   flush_bench [--flushes 10000] [--tags 1000] [--window 1000]
//               [--report 500] [--dir DIR] [--keep] [--append]
//
// --append continues a table an earlier `--keep` run left in DIR (its
// timestamps continue after the existing rows' when --start-flush is
// given), so the cost at 10,000 live files can be profiled without
// rebuilding the table each time.
//
// bench/flush_bench.sh builds and runs it; bench/results/FLUSH.md holds
// figures. Numbers are printed, never asserted. Thread-safety: n/a.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <tslake/tslake.hpp>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

int64_t TreeBytes(const fs::path& p) {
  int64_t n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(p, ec); it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec)) n += static_cast<int64_t>(it->file_size(ec));
  return n;
}

int64_t CatalogBytes(const fs::path& db) {
  int64_t n = 0;
  for (const char* f : {"catalog.sqlite", "catalog.sqlite-journal", "catalog.sqlite-wal"}) {
    std::error_code ec;
    auto s = fs::file_size(db / f, ec);
    if (!ec) n += static_cast<int64_t>(s);
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t flushes = 10000, tags = 1000, window = 1000, report = 500;
  std::string dir;
  bool keep = false, append = false;
  int64_t start_flush = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--flushes") {
      flushes = std::atoll(next());
    } else if (a == "--tags") {
      tags = std::atoll(next());
    } else if (a == "--window") {
      window = std::atoll(next());
    } else if (a == "--report") {
      report = std::atoll(next());
    } else if (a == "--dir") {
      dir = next();
    } else if (a == "--keep") {
      keep = true;
    } else if (a == "--append") {
      append = true;
    } else if (a == "--start-flush") {
      start_flush = std::atoll(next());
    } else {
      std::fprintf(stderr,
                   "usage: flush_bench [--flushes N] [--tags T] [--window W] "
                   "[--report R] [--dir DIR] [--keep] [--append] [--start-flush F]\n");
      return 2;
    }
  }
  if (dir.empty()) dir = (fs::temp_directory_path() / "tslake_flush_bench").string();
  if (!append) fs::remove_all(dir);
  window = std::min(window, flushes);

  tslake::Options options;
  options.sync_mode = tslake::SyncMode::kFull;
  tslake::Status st;
  std::unique_ptr<tslake::Database> db = tslake::Database::Open(dir, options, &st);
  if (!db) {
    std::fprintf(stderr, "open %s: %s\n", dir.c_str(), st.message().c_str());
    return 1;
  }
  if (!append) {
    tslake::Connection conn(*db);
    tslake::Result r = conn.Query("CREATE TABLE points(ts TIMESTAMP, tag VARCHAR, value DOUBLE)");
    if (!r.ok()) {
      std::fprintf(stderr, "create: %s\n", r.error_message().c_str());
      return 1;
    }
  }
  std::unique_ptr<tslake::Appender> app = tslake::Appender::Open(*db, "points", {}, &st);
  if (!app) {
    std::fprintf(stderr, "appender: %s\n", st.message().c_str());
    return 1;
  }
  std::vector<std::string> names;
  for (int64_t t = 0; t < tags; ++t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "site%02lld.tag%05lld", static_cast<long long>(t % 37),
                  static_cast<long long>(t));
    names.emplace_back(buf);
  }
  const int64_t t0 = 1'704'067'200'000'000LL;  // 2024-01-01, one flush a second
  std::vector<double> ms;
  ms.reserve(static_cast<size_t>(flushes));
  const auto start = Clock::now();
  for (int64_t f = 0; f < flushes; ++f) {
    for (int64_t t = 0; t < tags; ++t) {
      tslake::Status a = app->AppendTimestamp(t0 + (start_flush + f) * 1'000'000LL);
      if (a.ok()) a = app->AppendString(names[static_cast<size_t>(t)]);
      if (a.ok()) a = app->AppendDouble(static_cast<double>(f) + static_cast<double>(t) / 1000.0);
      if (a.ok()) a = app->EndRow();
      if (!a.ok()) {
        std::fprintf(stderr, "append: %s\n", a.message().c_str());
        return 1;
      }
    }
    auto b = Clock::now();
    tslake::FlushInfo info;
    tslake::Status fl = app->Flush(&info);
    double d = std::chrono::duration<double, std::milli>(Clock::now() - b).count();
    if (!fl.ok() || !info.durable) {
      std::fprintf(stderr, "flush %lld: %s\n", static_cast<long long>(f), fl.message().c_str());
      return 1;
    }
    ms.push_back(d);
    if (report > 0 && (f + 1) % report == 0) {
      std::vector<double> last(
          ms.end() - std::min<int64_t>(report, static_cast<int64_t>(ms.size())), ms.end());
      std::printf(
          "flushes %6lld: p50 %7.2f ms  p99 %7.2f ms (last %lld)  catalog %6.2f MB  "
          "table %6.2f MB  %.0f s\n",
          static_cast<long long>(f + 1), Percentile(last, 0.5), Percentile(last, 0.99),
          static_cast<long long>(report), CatalogBytes(dir) / 1e6,
          TreeBytes(fs::path(dir) / "points") / 1e6,
          std::chrono::duration<double>(Clock::now() - start).count());
      std::fflush(stdout);
    }
  }
  app.reset();
  db.reset();
  std::vector<double> first(ms.begin(), ms.begin() + window);
  std::vector<double> last(ms.end() - window, ms.end());
  const int64_t catalog = CatalogBytes(dir);
  const int64_t table = TreeBytes(fs::path(dir) / "points");
  const int64_t log = TreeBytes(fs::path(dir) / "points" / "_log");
  std::printf("\n%lld flushes of %lld tags (one row each), SYNC_FULL, %.0f s\n",
              static_cast<long long>(flushes), static_cast<long long>(tags),
              std::chrono::duration<double>(Clock::now() - start).count());
  std::printf("first %lld flushes: p50 %.2f ms  p99 %.2f ms\n", static_cast<long long>(window),
              Percentile(first, 0.5), Percentile(first, 0.99));
  std::printf("last  %lld flushes: p50 %.2f ms  p99 %.2f ms\n", static_cast<long long>(window),
              Percentile(last, 0.5), Percentile(last, 0.99));
  std::printf("ratio last/first: p50 %.2f  p99 %.2f\n",
              Percentile(last, 0.5) / Percentile(first, 0.5),
              Percentile(last, 0.99) / Percentile(first, 0.99));
  std::printf(
      "catalog.sqlite %.2f MB, table %.2f MB (segments %.2f MB + _log %.2f MB): "
      "catalog/table %.2f\n",
      catalog / 1e6, table / 1e6, (table - log) / 1e6, log / 1e6,
      static_cast<double>(catalog) / static_cast<double>(table));
  if (!keep) fs::remove_all(dir);
  return 0;
}
