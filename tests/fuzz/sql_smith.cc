// sql_smith: the grammar-based SQL fuzzer as a program (generator and
// runner in sql_smith.h).
//
//   sql_smith [--seconds N] [--seed S] [--threads T] [--out DIR]
//             [--memory-limit MB] [--stack-kb K] [--timeout S] [--no-minimize]
//             [--known-findings] [--verbose]
//   sql_smith --replay FILE      run a reproducer on a fresh database
//   sql_smith --minimize FILE    shrink a reproducer statement by statement
//
// The default mode supervises T worker processes (this program with
// --worker), each with its own seed and database in DIR/tmp-<seed>, for N
// seconds in all. A worker starts a fresh database every 100
// state-changing statements (an "epoch"); before each statement it writes
// DIR/inflight-<seed>.sql: the epoch's setup and state-changing statements
// plus the current one, which is all a reproducer of a crash needs. A
// worker reports hangs (> --timeout, then interrupted) and memory-limit
// overruns itself (DIR/finding-*.sql) and goes on; a worker killed by a
// signal or a sanitizer report is a crash: the supervisor keeps its
// inflight file as DIR/crash-<seed>.sql with the log's tail, minimizes it
// (unless --no-minimize) and starts a new worker for the time left.
// Exit status: 0 when nothing was found, 1 otherwise, 2 for usage errors.
// Prints one summary line: statements run, ok, errors, findings.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "tests/fuzz/sql_smith.h"

extern char** environ;

// ASan keeps freed memory in a quarantine of 256 MiB by default, which
// would read as RSS growth; 32 MiB still catches use-after-free. A
// sanitizer report exits with 99 so the supervisor tells it from a worker
// that found a hang (exit 1).
extern "C" const char* __asan_default_options() {
  return "quarantine_size_mb=32:detect_leaks=0:exitcode=99";
}
extern "C" const char* __ubsan_default_options() { return "print_stacktrace=1:halt_on_error=1:exitcode=99"; }

namespace {

namespace fs = std::filesystem;
using namespace tsl::fuzz::smith;

struct Args {
  double seconds = 60;
  uint64_t seed = 1;
  int threads = 1;
  std::string out = "sql_smith_out";
  int64_t memory_limit_mb = 64;
  int64_t stack_kb = 1024;
  double timeout_s = 10;
  bool minimize = true;
  bool worker = false;
  std::string replay, minimize_file;
  bool verbose = false;
  bool known_findings = false;
};

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

RunnerOptions MakeRunnerOptions(const Args& a, const std::string& tmp) {
  RunnerOptions o;
  o.timeout_s = a.timeout_s;
  o.stack_bytes = static_cast<size_t>(a.stack_kb) << 10;
  o.memory_limit_mb = a.memory_limit_mb;
  o.tmp_dir = tmp;
  o.abort_on_memory = true;
  return o;
}

void WriteFile(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return;
  std::fwrite(content.data(), 1, content.size(), f);
  std::fclose(f);
  std::rename(tmp.c_str(), path.c_str());
}

std::string Script(const std::string& header, const std::vector<std::string>& stmts) {
  std::string s = header;
  for (const std::string& st : stmts) s += st + "\n";
  return s;
}

// ---- worker ----
int Worker(const Args& a) {
  const double end = Now() + a.seconds;
  SeededRandom rnd(a.seed);
  Generator gen(&rnd);
  gen.known_findings = a.known_findings;
  const std::string base = a.out + "/tmp-" + std::to_string(a.seed);
  const std::string inflight = a.out + "/inflight-" + std::to_string(a.seed) + ".sql";
  int64_t statements = 0, ok = 0, errors = 0, findings = 0, epochs = 0, internal = 0;
  std::map<std::string, int64_t> error_kinds;
  std::set<std::string> internal_seen;
  // The counts so far, rewritten every 20 statements: a worker that
  // crashes still counts (the supervisor reads this file, not its output).
  const std::string stats_file = a.out + "/stats-" + std::to_string(a.seed);
  auto stats = [&] {
    char line[200];
    std::snprintf(line, sizeof line, "STATS %lld %lld %lld %lld %lld %lld\n", static_cast<long long>(statements),
                  static_cast<long long>(ok), static_cast<long long>(errors), static_cast<long long>(findings),
                  static_cast<long long>(epochs), static_cast<long long>(internal));
    return std::string(line);
  };
  while (Now() < end) {
    fs::remove_all(base);
    fs::create_directories(base + "/files");
    auto db = tslake::Database::Open(base + "/db");
    if (!db) {
      std::fprintf(stderr, "sql_smith: cannot open %s/db\n", base.c_str());
      return 2;
    }
    ++epochs;
    tslake::Connection con(*db);
    Runner runner(&con, MakeRunnerOptions(a, base + "/files"));
    std::vector<std::string> log = SetupScript(a.memory_limit_mb);
    for (const std::string& st : log) {
      std::string err;
      if (runner.Run(st, &err) != Outcome::kOk && epochs == 1)
        std::fprintf(stderr, "sql_smith: setup statement failed: %s\n  %s\n", st.c_str(), err.c_str());
    }
    const std::string header = "-- sql_smith reproducer, seed " + std::to_string(a.seed) + ", memory_limit " +
                               std::to_string(a.memory_limit_mb) + " MB\n";
    int changes = 0;
    while (changes < 100 && Now() < end) {
      bool changes_state = false;
      std::string sql = gen.Statement(&changes_state);
      log.push_back(sql);
      WriteFile(inflight, Script(header, log));
      std::string err;
      Outcome o = runner.Run(sql, &err);
      ++statements;
      if (o == Outcome::kOk) ++ok;
      if (o == Outcome::kError) {
        ++errors;
        std::string kind = err.substr(0, err.find(':'));
        ++error_kinds[kind.substr(0, 40)];
        if (err.find("INTERNAL") != std::string::npos || err.find("Internal") != std::string::npos) {
          ++internal;
          if (internal_seen.insert(err.substr(0, 120)).second)
            std::fprintf(stderr, "sql_smith: internal error: %s\n  from: %s\n", err.c_str(), sql.c_str());
        }
        if (a.verbose) std::fprintf(stderr, "ERR %s\n  %s\n", sql.c_str(), err.c_str());
      }
      if (o == Outcome::kHang || o == Outcome::kMemory) {
        ++findings;
        std::string name = a.out + "/finding-" + std::to_string(a.seed) + "-" + std::to_string(findings) + ".sql";
        WriteFile(name, "-- kind: " + std::string(OutcomeName(o)) + "\n" + Script(header, log));
        std::fprintf(stderr, "sql_smith: %s, reproducer %s\n", OutcomeName(o), name.c_str());
      }
      if (!changes_state) log.pop_back();
      else ++changes;
      if (statements % 20 == 0) WriteFile(stats_file, stats());
    }
  }
  fs::remove_all(base);
  fs::remove(inflight);
  WriteFile(stats_file, stats());
  std::printf("%s", stats().c_str());
  std::vector<std::pair<int64_t, std::string>> kinds;
  for (const auto& [k, n] : error_kinds) kinds.push_back({n, k});
  std::sort(kinds.rbegin(), kinds.rend());
  for (size_t i = 0; i < kinds.size() && i < 8; ++i)
    std::fprintf(stderr, "  errors: %6lld %s\n", static_cast<long long>(kinds[i].first), kinds[i].second.c_str());
  return findings > 0 ? 1 : 0;
}

// ---- replay ----
// 0: ran cleanly (errors are answers), 1: a hang or memory-limit overrun.
int Replay(const Args& a, const std::string& file) {
  const std::string base = a.out + "/replay-" + std::to_string(::getpid());
  fs::remove_all(base);
  fs::create_directories(base + "/files");
  int status = 0;
  {
    auto db = tslake::Database::Open(base + "/db");
    tslake::Connection con(*db);
    Runner runner(&con, MakeRunnerOptions(a, base + "/files"));
    for (const std::string& st : ReadScript(file)) {
      std::string err;
      Outcome o = runner.Run(st, &err);
      if (a.verbose) std::fprintf(stderr, "[%s] %s\n  %s\n", OutcomeName(o), st.c_str(), err.c_str());
      if (o == Outcome::kHang || o == Outcome::kMemory) {
        std::fprintf(stderr, "sql_smith: %s: %s\n", OutcomeName(o), st.c_str());
        status = 1;
        break;
      }
    }
  }
  fs::remove_all(base);
  return status;
}

// Runs this program with `args`; returns its wait status. Output goes to
// `log` (appended) when non-empty, else to /dev/null.
int Spawn(const std::vector<std::string>& args, const std::string& log, pid_t* pid_out = nullptr) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  const std::string target = log.empty() ? "/dev/null" : log;
  posix_spawn_file_actions_addopen(&fa, 1, target.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  std::vector<char*> argv;
  std::string self = fs::read_symlink("/proc/self/exe").string();
  argv.push_back(self.data());
  std::vector<std::string> copy = args;
  for (std::string& s : copy) argv.push_back(s.data());
  argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawn(&pid, self.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  if (pid_out != nullptr) {
    *pid_out = pid;
    return 0;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

std::vector<std::string> CommonArgs(const Args& a) {
  return {"--out",     a.out,   "--memory-limit", std::to_string(a.memory_limit_mb), "--stack-kb",
          std::to_string(a.stack_kb), "--timeout", std::to_string(a.timeout_s)};
}

// Whether `stmts` still fail on replay (a signal or a reported finding).
bool StillFails(const Args& a, const std::vector<std::string>& stmts, const std::string& scratch) {
  WriteFile(scratch, Script("", stmts));
  std::vector<std::string> args = CommonArgs(a);
  args.push_back("--replay");
  args.push_back(scratch);
  int status = Spawn(args, "");
  return status != 0;
}

// Statement-level delta debugging: removes chunks of statements (halves,
// quarters, ... single ones) while the script still fails; the last
// statement (the one that failed) always stays. Returns 0 when minimized,
// 1 when the file does not fail on replay at all.
int Minimize(const Args& a, const std::string& file) {
  std::vector<std::string> stmts = ReadScript(file);
  const std::string scratch = file + ".try";
  if (stmts.empty() || !StillFails(a, stmts, scratch)) {
    std::fprintf(stderr, "sql_smith: %s does not fail on replay\n", file.c_str());
    fs::remove(scratch);
    return 1;
  }
  size_t chunk = std::max<size_t>(1, (stmts.size() - 1) / 2);
  while (true) {
    bool removed = false;
    for (size_t start = 0; start + 1 < stmts.size();) {
      size_t n = std::min(chunk, stmts.size() - 1 - start);
      std::vector<std::string> candidate(stmts.begin(), stmts.begin() + static_cast<long>(start));
      candidate.insert(candidate.end(), stmts.begin() + static_cast<long>(start + n), stmts.end());
      if (StillFails(a, candidate, scratch)) {
        stmts = std::move(candidate);
        removed = true;
      } else {
        start += n;
      }
    }
    if (chunk == 1 && !removed) break;
    if (!removed) chunk = std::max<size_t>(1, chunk / 2);
  }
  fs::remove(scratch);
  WriteFile(file + ".min", "-- minimized from " + file + "\n" + Script("", stmts));
  std::fprintf(stderr, "sql_smith: minimized to %zu statements: %s.min\n", stmts.size(), file.c_str());
  return 0;
}

std::string Tail(const std::string& path, size_t bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return s.size() > bytes ? s.substr(s.size() - bytes) : s;
}

// ---- supervisor ----
int Supervise(const Args& a) {
  fs::create_directories(a.out);
  const double end = Now() + a.seconds;
  struct Slot {
    pid_t pid = 0;
    uint64_t seed = 0;
    std::string log;
  };
  std::vector<Slot> slots(static_cast<size_t>(a.threads));
  uint64_t next_seed = a.seed;
  int64_t statements = 0, ok = 0, errors = 0, findings = 0, crashes = 0, epochs = 0, internal = 0;
  std::vector<std::string> to_minimize;
  auto start_worker = [&](Slot& s) {
    double left = end - Now();
    if (left < 1) return false;
    s.seed = next_seed++;
    s.log = a.out + "/worker-" + std::to_string(s.seed) + ".log";
    std::vector<std::string> args = CommonArgs(a);
    for (const char* x : {"--worker", "--seed"}) args.push_back(x);
    args.push_back(std::to_string(s.seed));
    args.push_back("--seconds");
    args.push_back(std::to_string(left));
    if (a.verbose) args.push_back("--verbose");
    if (a.known_findings) args.push_back("--known-findings");
    fs::remove(s.log);
    return Spawn(args, s.log, &s.pid) == 0;
  };
  for (Slot& s : slots) start_worker(s);
  size_t running = 0;
  for (Slot& s : slots) running += s.pid > 0;
  while (running > 0) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) break;
    for (Slot& s : slots) {
      if (s.pid != pid) continue;
      s.pid = 0;
      --running;
      std::string log = Tail(a.out + "/stats-" + std::to_string(s.seed), 1000);
      size_t p = log.rfind("STATS ");
      if (p != std::string::npos) {
        long long v[6] = {0, 0, 0, 0, 0, 0};
        std::sscanf(log.c_str() + p, "STATS %lld %lld %lld %lld %lld %lld", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]);
        statements += v[0], ok += v[1], errors += v[2], findings += v[3], epochs += v[4], internal += v[5];
      }
      for (const auto& e : fs::directory_iterator(a.out)) {
        std::string name = e.path().filename().string();
        if (name.rfind("finding-" + std::to_string(s.seed) + "-", 0) == 0 && name.size() > 4 &&
            name.substr(name.size() - 4) == ".sql")
          to_minimize.push_back(e.path().string());
      }
      bool crashed = WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) > 1);
      if (crashed) {
        ++crashes;
        const std::string inflight = a.out + "/inflight-" + std::to_string(s.seed) + ".sql";
        const std::string crash = a.out + "/crash-" + std::to_string(s.seed) + ".sql";
        std::string what = WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                               : "exit " + std::to_string(WEXITSTATUS(status));
        std::error_code ec;
        fs::rename(inflight, crash, ec);
        WriteFile(crash + ".log", Tail(s.log, 16384));
        std::fprintf(stderr, "sql_smith: worker seed %llu died (%s); reproducer %s, log %s.log\n",
                     static_cast<unsigned long long>(s.seed), what.c_str(), crash.c_str(), crash.c_str());
        if (!ec) to_minimize.push_back(crash);
      }
      if (start_worker(s)) ++running;
    }
  }
  std::printf("sql_smith: %lld statements (%lld ok, %lld errors, %lld internal errors) in %lld epochs, "
              "%lld hangs/overruns, %lld crashes, seeds %llu..%llu, %d workers\n",
              static_cast<long long>(statements), static_cast<long long>(ok), static_cast<long long>(errors),
              static_cast<long long>(internal), static_cast<long long>(epochs), static_cast<long long>(findings),
              static_cast<long long>(crashes), static_cast<unsigned long long>(a.seed),
              static_cast<unsigned long long>(next_seed - 1), a.threads);
  std::fflush(stdout);
  if (a.minimize)
    for (const std::string& f : to_minimize) Minimize(a, f);
  return findings + crashes > 0 ? 1 : 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: sql_smith [--seconds N] [--seed S] [--threads T] [--out DIR] [--memory-limit MB]\n"
               "                 [--stack-kb K] [--timeout S] [--no-minimize] [--known-findings] [--verbose]\n"
               "       sql_smith --replay FILE | --minimize FILE\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "sql_smith: %s needs a value\n", k.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (k == "--seconds") a.seconds = std::stod(value());
    else if (k == "--seed") a.seed = std::stoull(value());
    else if (k == "--threads") a.threads = std::max(1, std::stoi(value()));
    else if (k == "--out") a.out = value();
    else if (k == "--memory-limit") a.memory_limit_mb = std::stoll(value());
    else if (k == "--stack-kb") a.stack_kb = std::stoll(value());
    else if (k == "--timeout") a.timeout_s = std::stod(value());
    else if (k == "--no-minimize") a.minimize = false;
    else if (k == "--worker") a.worker = true;
    else if (k == "--verbose") a.verbose = true;
    else if (k == "--known-findings") a.known_findings = true;
    else if (k == "--replay") a.replay = value();
    else if (k == "--minimize") a.minimize_file = value();
    else return Usage();
  }
  fs::create_directories(a.out);
  if (!a.replay.empty()) return Replay(a, a.replay);
  if (!a.minimize_file.empty()) return Minimize(a, a.minimize_file);
  if (a.worker) return Worker(a);
  return Supervise(a);
}
