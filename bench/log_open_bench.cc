// Log open benchmark: how long opening a table with a long history takes,
// at its latest version and at VERSION AS OF a middle version, with
// checkpoints (every 10 commits, the default) and, side by side, after the
// checkpoints are deleted (a plain replay of every JSON version, which is
// what a Delta table without checkpoints costs). Also, with --size, the
// stored size of historian data through the full table path.
//
//   build/bench/log_open_bench [--commits 10000] [--dir /tmp/x] [--reps 5] [--reuse] [--no-replay]
// (--reuse keeps the table a previous run built in --dir and its commits;
// --no-replay skips the no-checkpoint peer.)
//   build/bench/log_open_bench --size [--tags 1000] [--points 86400]
//
// Each open is a fresh Table handle (no in-process snapshot cache); the OS
// page cache is warm, as for any repeated open. Prints the median wall
// time and the median process CPU time of the opens. Numbers only, no asserts.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "formats/timestamp.h"
#include "storage/checkpoint.h"
#include "storage/table.h"
#include "storage/transaction_log.h"

namespace tsl {
namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

Schema HistorianSchema() {
  return Schema{{{"ts", TypeId::kTimestamp},
                 {"tag", TypeId::kVarchar},
                 {"value", TypeId::kDouble},
                 {"quality", TypeId::kBigint}}};
}

int Fail(const Status& st, const char* what) {
  std::fprintf(stderr, "%s: %s\n", what, st.ToString().c_str());
  return 1;
}

double CpuMs() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// Median wall time of `reps` fresh opens reaching `version` (latest if
// < 0); `cpu` gets the median CPU time (less noisy on a loaded machine).
double TimeOpen(const std::string& dir, int64_t version, int reps, int64_t* files,
                double* cpu = nullptr) {
  std::vector<double> times, cpus;
  for (int i = 0; i < reps; ++i) {
    auto begin = Clock::now();
    double cpu_begin = CpuMs();
    auto table = Table::Open(Env::Default(), nullptr, dir, "h");
    if (!table.ok()) return Fail(table.status(), "open"), -1;
    auto snap = version < 0 ? (*table)->GetSnapshot() : (*table)->GetSnapshot(version);
    if (!snap.ok()) return Fail(snap.status(), "snapshot"), -1;
    times.push_back(Ms(Clock::now() - begin));
    cpus.push_back(CpuMs() - cpu_begin);
    *files = static_cast<int64_t>((*snap)->files().size());
  }
  std::sort(times.begin(), times.end());
  std::sort(cpus.begin(), cpus.end());
  if (cpu != nullptr) *cpu = cpus[cpus.size() / 2];
  return times[times.size() / 2];
}

int LogOpen(const std::string& root, int commits, int reps, bool reuse, bool replay) {
  std::string dir = root + "/h";
  auto begin = Clock::now();
  const int64_t t0 = *ParseTimestamp("2024-01-01");
  int first = 0;
  Result<std::shared_ptr<Table>> table = Status::NotFound("");
  if (reuse && (table = Table::Open(Env::Default(), nullptr, dir, "h")).ok()) {
    // Keep the commits already made (building 10,000 takes minutes of
    // fsyncs); write the two checkpoints the opens below use if missing.
    first = static_cast<int>(*(*table)->LatestVersion());  // commits made so far
    auto have = Checkpoint::List(Env::Default(), dir + "/_log");
    for (int64_t v : {int64_t{commits / 2 / 10 * 10}, int64_t{first / 10 * 10}}) {
      if (have.ok() && std::count(have->begin(), have->end(), v)) continue;
      Status st = (*table)->WriteCheckpoint(v);
      if (!st.ok()) return Fail(st, "checkpoint");
    }
  } else {
    std::filesystem::remove_all(dir);
    table = Table::Create(Env::Default(), nullptr, dir, "h", HistorianSchema(), {});
    if (!table.ok()) return Fail(table.status(), "create");
  }
  for (int c = first; c < commits; ++c) {
    DataChunk chunk;
    chunk.Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble, TypeId::kBigint});
    chunk.columns[0].AppendInt(t0 + int64_t{c} * kMicrosPerSecond);
    chunk.columns[1].AppendString("tag" + std::to_string(c % 100));
    chunk.columns[2].AppendDouble(c);
    chunk.columns[3].AppendInt(192);
    auto w = (*table)->NewWriter();
    Status st = w->Append(chunk);
    if (!st.ok()) return Fail(st, "append");
    auto r = w->Commit("WRITE");
    if (!r.ok()) return Fail(r.status(), "commit");
  }
  std::printf("built %d commits in %.1f s (%s)\n", commits, Ms(Clock::now() - begin) / 1000,
              dir.c_str());
  const int64_t middle = commits / 2;
  int64_t files = 0;
  double cpu = 0;
  double latest = TimeOpen(dir, -1, reps, &files, &cpu);
  std::printf("%-44s %9.2f ms  (cpu %.2f ms, %lld live files)\n", "open latest, checkpoints on",
              latest, cpu, static_cast<long long>(files));
  double asof = TimeOpen(dir, middle, reps, &files, &cpu);
  std::printf("%-44s %9.2f ms  (cpu %.2f ms, %lld live files)\n",
              ("open VERSION AS OF " + std::to_string(middle) + ", checkpoints on").c_str(), asof,
              cpu, static_cast<long long>(files));
  // The peer: the same log without checkpoints, replayed from version 0.
  // The checkpoints are moved aside (not deleted) and put back after, so
  // --reuse finds them.
  std::string log_dir = dir + "/_log";
  std::string aside = log_dir + "/.bench-aside";
  std::filesystem::create_directories(aside);
  auto cps = Checkpoint::List(Env::Default(), log_dir);
  for (int64_t v : *cps)
    std::filesystem::rename(log_dir + "/" + Checkpoint::FileName(v),
                            aside + "/" + Checkpoint::FileName(v));
  std::filesystem::rename(log_dir + "/_last_checkpoint", aside + "/_last_checkpoint");
  if (replay) {
    double latest_replay = TimeOpen(dir, -1, 1, &files);
    std::printf("%-44s %9.2f ms\n", "open latest, no checkpoints (full replay)", latest_replay);
    double asof_replay = TimeOpen(dir, middle, 1, &files);
    std::printf("%-44s %9.2f ms\n",
                ("open VERSION AS OF " + std::to_string(middle) + ", no checkpoints").c_str(),
                asof_replay);
  }
  for (const auto& e : std::filesystem::directory_iterator(aside))
    std::filesystem::rename(e.path(), log_dir + "/" + e.path().filename().string());
  std::filesystem::remove(aside);
  return 0;
}

// Historian rows in time-major order (as delivered), 2-decimal random
// walks, quality 192 on 99% of points; same generator as
// tests/storage/layout_test.cc.
int Size(const std::string& root, int tags, int points) {
  std::string dir = root + "/size";
  std::filesystem::remove_all(dir);
  auto table = Table::Create(Env::Default(), nullptr, dir, "h", HistorianSchema(),
                             {{"partition_by", "day(ts)"}});
  if (!table.ok()) return Fail(table.status(), "create");
  std::vector<std::string> names;
  std::vector<int64_t> cents;
  uint32_t rng = 12345;
  auto rand = [&] { return rng = rng * 1664525u + 1013904223u; };
  for (int t = 0; t < tags; ++t) {
    char name[16];
    std::snprintf(name, sizeof name, "tag%05d", t);
    names.emplace_back(name);
    cents.push_back(2000 + static_cast<int64_t>(rand() % 8000));
  }
  const int64_t start = *ParseTimestamp("2024-03-01");
  auto begin = Clock::now();
  auto w = (*table)->NewWriter();
  DataChunk c;
  int tag = 0, point = 0;
  while (point < points) {
    c.Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble, TypeId::kBigint});
    while (c.size() < 8 * kVectorSize && point < points) {
      cents[static_cast<size_t>(tag)] += static_cast<int64_t>(rand() % 41) - 20;
      c.columns[0].AppendInt(start + int64_t{point} * kMicrosPerSecond);
      c.columns[1].AppendString(names[static_cast<size_t>(tag)]);
      c.columns[2].AppendDouble(static_cast<double>(cents[static_cast<size_t>(tag)]) / 100.0);
      c.columns[3].AppendInt(rand() % 100 == 0 ? static_cast<int64_t>(rand() % 4) * 64 : 192);
      if (++tag == tags) {
        tag = 0;
        ++point;
      }
    }
    Status st = w->Append(c);
    if (!st.ok()) return Fail(st, "append");
  }
  auto r = w->Commit("WRITE");
  if (!r.ok()) return Fail(r.status(), "commit");
  double secs = Ms(Clock::now() - begin) / 1000;
  auto snap = *(*table)->GetSnapshot();
  int64_t bytes = 0;
  for (const AddAction& f : snap->files()) bytes += f.size;
  double n = double{1} * tags * points;
  std::printf("%d tags x %d points = %.0f points: %zu segments, %lld bytes, %.3f bytes/point, "
              "written in %.1f s (%.2f M points/s)\n",
              tags, points, n, snap->files().size(), static_cast<long long>(bytes),
              static_cast<double>(bytes) / n, secs, n / secs / 1e6);
  return 0;
}

}  // namespace
}  // namespace tsl

int main(int argc, char** argv) {
  int commits = 10000, reps = 5, tags = 1000, points = 86400;
  bool size = false, reuse = false, replay = true;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--commits") {
      commits = std::atoi(next());
    } else if (a == "--reps") {
      reps = std::max(1, std::atoi(next()));
    } else if (a == "--dir") {
      dir = next();
    } else if (a == "--reuse") {
      reuse = true;
    } else if (a == "--no-replay") {
      replay = false;
    } else if (a == "--size") {
      size = true;
    } else if (a == "--tags") {
      tags = std::atoi(next());
    } else if (a == "--points") {
      points = std::atoi(next());
    } else {
      std::fprintf(stderr, "usage: %s [--commits N] [--reps N] [--dir DIR] [--reuse] [--no-replay] "
                           "| --size [--tags N] [--points N] [--dir DIR]\n", argv[0]);
      return 2;
    }
  }
  bool temp = dir.empty();
  if (temp) dir = (std::filesystem::temp_directory_path() / "tslake-log-open-bench").string();
  std::filesystem::create_directories(dir);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  int rc = size ? tsl::Size(dir, tags, points) : tsl::LogOpen(dir, commits, reps, reuse, replay);
  if (temp && !reuse) std::filesystem::remove_all(dir);
  return rc;
}
