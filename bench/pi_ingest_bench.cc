// pi_ingest_bench: PI Web API streamsets JSON end to end: generate N tags x
// M points (once; reused when the file exists with the same size request),
// then import it into a fresh table through PiWebApiReader + Importer, the
// path COPY ... (FORMAT piwebapi) and `tslake import` take. Prints the
// import summary and MB/s. Peak RSS: run it under /usr/bin/time -v.
//
//   pi_ingest_bench [--tags 500000] [--points 60] [--file /tmp/pi_500k.json]
//                   [--dir /tmp/tslake_pi_bench] [--pipeline 1]
//
// Numbers are printed, never asserted. Thread-safety: n/a (a program).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "ingest/importer.h"
#include "ingest/piwebapi_generator.h"
#include "ingest/piwebapi_reader.h"
#include "ingest/progress_printer.h"
#include "storage/database.h"

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k.rfind("--", 0) == 0) k = k.substr(2);
    flags[k] = argv[i + 1];
  }
  auto get = [&](const char* k, const char* def) {
    auto it = flags.find(k);
    return it == flags.end() ? std::string(def) : it->second;
  };
  const int64_t tags = std::atoll(get("tags", "500000").c_str());
  const int64_t points = std::atoll(get("points", "60").c_str());
  const std::string file = get("file", ("/tmp/pi_" + std::to_string(tags) + "x" +
                                        std::to_string(points) + ".json").c_str());
  const std::string dir = get("dir", "/tmp/tslake_pi_bench");

  if (!std::filesystem::exists(file)) {
    tsl::PiGeneratorOptions g;
    g.tags = tags;
    g.points_per_tag = points;
    g.bad_timestamp_every = 1000003;  // a few rejects
    g.error_stream_every = 100003;
    auto t0 = std::chrono::steady_clock::now();
    auto s = tsl::WritePiStreamsetsJson(file, g);
    if (!s.ok()) return std::fprintf(stderr, "%s\n", s.status().ToString().c_str()), 1;
    std::printf("generated %s: %lld points, %lld digital states, %lld rejects, %.1f MB in %.1f s\n",
                file.c_str(), static_cast<long long>(s->points),
                static_cast<long long>(s->digital_states), static_cast<long long>(s->rejects),
                static_cast<double>(s->bytes) / 1e6,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }

  std::filesystem::remove_all(dir);
  auto db = tsl::Database::Open(dir);
  if (!db.ok()) return std::fprintf(stderr, "%s\n", db.status().ToString().c_str()), 1;
  auto table = (*db)->CreateTable("pi", tsl::PiWebApiReader::NativeSchema());
  if (!table.ok()) return std::fprintf(stderr, "%s\n", table.status().ToString().c_str()), 1;

  auto reader = tsl::PiWebApiReader::Open(file, {});
  if (!reader.ok()) return std::fprintf(stderr, "%s\n", reader.status().ToString().c_str()), 1;
  tsl::ImportOptions opts;
  opts.source = file;
  opts.pipeline = get("pipeline", "1") != "0";
  tsl::PiWebApiReader* r = reader->get();
  opts.bytes_read = [r] { return r->bytes_read(); };
  opts.bytes_total = r->file_size();
  tsl::ProgressPrinter printer(stderr);
  opts.progress = [&printer](const tsl::ImportProgress& p) { printer(p); };
  auto summary = tsl::Importer::Run(db->get(), "pi", r, opts);
  if (!summary.ok()) return std::fprintf(stderr, "%s\n", summary.status().ToString().c_str()), 1;
  std::printf("pi ingest: %s; %.1f MB of JSON at %.1f MB/s\n", summary->ToString().c_str(),
              static_cast<double>(r->file_size()) / 1e6,
              static_cast<double>(r->file_size()) / 1e6 / summary->seconds);
  return 0;
}
