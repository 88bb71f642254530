// tslake_bench: tslake's side of bench/run (the peers' sides are the Node
// programs in bench/drivers/). Every subcommand prints one JSON object per
// measurement on stdout, in the shape bench/drivers/report.mjs reads.
//
//   tslake_bench copy   DB CSV            CREATE TABLE + COPY FROM the CSV, timed
//   tslake_bench append DB CSV ROWS       parse the first ROWS rows of the CSV into
//                                         column batches (untimed), then time the
//                                         Appender: AppendChunk ... Flush (durable)
//   tslake_bench query  DB NAME SQLFILE WARM_RUNS BUDGET OUT
//                                         the cold run (first in this process), then
//                                         warm runs while fewer than WARM_RUNS were
//                                         done and cold + warm so far + the last
//                                         run's time <= BUDGET seconds (the protocol
//                                         of drivers/common.mjs coldWarmRuns); the
//                                         cold run's result goes to OUT as canonical
//                                         TSV
//
// The table is points(ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality
// INTEGER), the CSV's columns, as in every peer. Numbers are printed, never
// asserted. Thread-safety: n/a (a program).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "formats/timestamp.h"
#include "ingest/appender.h"
#include "storage/database.h"
#include "tslake/tslake.hpp"

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kCreateTable =
    "CREATE TABLE points (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER)";

// User + system CPU seconds of this process (all threads) so far: under a
// loaded machine wall time includes waiting for a core, CPU time does not.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Seconds(Clock::time_point from) {
  return std::chrono::duration<double>(Clock::now() - from).count();
}

// JSON string literal for error messages (quotes, backslashes, control bytes).
std::string Json(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "tslake_bench: %s\n", what.c_str());
  return 1;
}

std::unique_ptr<tslake::Database> OpenPublic(const std::string& dir) {
  std::string error;
  tslake::Options options;
  options.tune_allocator = true;  // as the tslake shell opens its database
  auto db = tslake::Database::Open(dir, options, &error);
  if (!db) std::fprintf(stderr, "tslake_bench: cannot open %s: %s\n", dir.c_str(), error.c_str());
  return db;
}

int RunCopy(const std::string& dir, const std::string& csv) {
  auto db = OpenPublic(dir);
  if (!db) return 1;
  tslake::Connection con(*db);
  tslake::Result created = con.Query(kCreateTable);
  if (!created.ok()) return Fail("CREATE TABLE: " + created.error_message());
  const double cpu0 = CpuSeconds();
  const auto start = Clock::now();
  tslake::Result copied = con.Query("COPY points FROM '" + csv + "' (HEADER true)");
  const double secs = Seconds(start);
  const double cpu = CpuSeconds() - cpu0;
  if (!copied.ok()) return Fail("COPY: " + copied.error_message());
  tslake::Result count = con.Query("SELECT count(*) FROM points");
  if (!count.ok() || count.row_count() != 1) return Fail("count(*): " + count.error_message());
  std::printf("{\"system\":\"tslake\",\"metric\":\"ingest_csv\",\"rows\":%lld,\"seconds\":%.6f,"
              "\"cpu_seconds\":%.6f}\n",
              static_cast<long long>(count.GetInt64(0, 0)), secs, cpu);
  return 0;
}

// Splits one line of the generated CSV (ts,tag,value,quality; no quoting).
bool SplitLine(const std::string& line, std::string_view out[4]) {
  size_t begin = 0;
  for (int i = 0; i < 4; ++i) {
    size_t end = i == 3 ? line.size() : line.find(',', begin);
    if (end == std::string::npos) return false;
    out[i] = std::string_view(line).substr(begin, end - begin);
    begin = end + 1;
  }
  return true;
}

int RunAppend(const std::string& dir, const std::string& csv, int64_t max_rows) {
  std::ifstream in(csv);
  if (!in) return Fail("cannot read " + csv);
  const std::vector<tsl::TypeId> types = {tsl::TypeId::kTimestamp, tsl::TypeId::kVarchar,
                                          tsl::TypeId::kDouble, tsl::TypeId::kInteger};
  std::vector<tsl::DataChunk> batches;
  tsl::DataChunk chunk;
  chunk.Initialize(types);
  std::string line;
  std::getline(in, line);  // header
  int64_t rows = 0;
  int64_t line_no = 1;
  while (rows < max_rows && std::getline(in, line)) {
    ++line_no;
    std::string_view f[4];
    if (!SplitLine(line, f)) return Fail(csv + " line " + std::to_string(line_no) + ": not 4 fields");
    auto ts = tsl::ParseTimestamp(f[0]);
    if (!ts.ok()) return Fail(csv + " line " + std::to_string(line_no) + ": " + ts.status().ToString());
    chunk.columns[0].AppendInt(*ts);
    chunk.columns[1].AppendString(std::string(f[1]));
    chunk.columns[2].AppendDouble(std::strtod(std::string(f[2]).c_str(), nullptr));
    chunk.columns[3].AppendInt(std::atoi(std::string(f[3]).c_str()));
    if (chunk.size() == tsl::kVectorSize) {
      batches.push_back(std::move(chunk));
      chunk = tsl::DataChunk();
      chunk.Initialize(types);
    }
    ++rows;
  }
  if (chunk.size() > 0) batches.push_back(std::move(chunk));

  {
    auto pub = OpenPublic(dir);
    if (!pub) return 1;
    tslake::Connection con(*pub);
    tslake::Result created = con.Query(kCreateTable);
    if (!created.ok()) return Fail("CREATE TABLE: " + created.error_message());
  }
  auto db = tsl::Database::Open(dir);
  if (!db.ok()) return Fail("open " + dir + ": " + db.status().ToString());
  auto table = (*db)->GetTable("points");
  if (!table.ok()) return Fail("table points: " + table.status().ToString());
  auto app = tsl::Appender::Open(*table);
  if (!app.ok()) return Fail("Appender::Open: " + app.status().ToString());
  const double cpu0 = CpuSeconds();
  const auto start = Clock::now();
  for (tsl::DataChunk& b : batches) {
    tsl::Status st = (*app)->AppendChunk(std::move(b));
    if (!st.ok()) return Fail("AppendChunk: " + st.ToString());
  }
  auto flushed = (*app)->Flush();
  const double secs = Seconds(start);
  const double cpu = CpuSeconds() - cpu0;
  if (!flushed.ok()) return Fail("Flush: " + flushed.status().ToString());
  std::printf(
      "{\"system\":\"tslake\",\"metric\":\"ingest_native\",\"path\":\"Appender (column batches)\","
      "\"rows\":%lld,\"seconds\":%.6f,\"cpu_seconds\":%.6f}\n",
      static_cast<long long>(rows), secs, cpu);
  return 0;
}

// Canonical text of one cell, the same in every driver: NULL, integers in
// decimal, doubles with 10 significant digits, timestamps without a zero
// fraction, strings as they are.
std::string Cell(const tslake::Result& r, int c, int64_t row) {
  if (r.IsNull(c, row)) return "NULL";
  switch (r.column_type(c)) {
    case tslake::Type::kDouble: {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.10g", r.GetDouble(c, row));
      return buf;
    }
    case tslake::Type::kTimestamp: {
      std::string s = r.GetString(c, row);
      if (s.size() > 19 && s.compare(19, std::string::npos, std::string(".") + std::string(s.size() - 20, '0')) == 0)
        s.resize(19);
      return s;
    }
    default:
      return r.GetString(c, row);
  }
}

int RunQuery(const std::string& dir, const std::string& name, const std::string& sql_file,
             int warm_runs, double budget, const std::string& out_file) {
  std::ifstream in(sql_file);
  if (!in) return Fail("cannot read " + sql_file);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string sql = ss.str();
  const auto open_start = Clock::now();
  auto db = OpenPublic(dir);
  if (!db) return 1;
  tslake::Connection con(*db);
  const double open_secs = Seconds(open_start);
  std::vector<double> times;  // times[0] is the cold run
  tslake::Result first;
  double total = 0;
  while (times.empty() ||
         (static_cast<int>(times.size()) <= warm_runs && total + times.back() <= budget)) {
    const auto start = Clock::now();
    tslake::Result r = con.Query(sql);
    const double secs = Seconds(start);
    if (!r.ok()) {
      // A query the engine cannot parse or bind yet is "unsupported", never
      // a number; any other failure is an "error" the report shows as such.
      const std::string& m = r.error_message();
      const bool unsupported = r.error_code() == tslake::ErrorCode::kNotSupported ||
                               m.rfind("Parser Error", 0) == 0 || m.rfind("Binder Error", 0) == 0 ||
                               m.rfind("Catalog Error", 0) == 0 || m.rfind("Not implemented", 0) == 0;
      std::printf("{\"system\":\"tslake\",\"metric\":\"query\",\"query\":%s,\"status\":\"%s\","
                  "\"error\":%s}\n",
                  Json(name).c_str(), unsupported ? "unsupported" : "error", Json(m).c_str());
      return 0;
    }
    if (times.empty()) first = std::move(r);
    times.push_back(secs);
    total += secs;
  }
  std::ofstream out(out_file);
  for (int64_t row = 0; row < first.row_count(); ++row) {
    for (int c = 0; c < first.column_count(); ++c) out << (c ? "\t" : "") << Cell(first, c, row);
    out << "\n";
  }
  if (!out) return Fail("cannot write " + out_file);
  std::string warm;
  for (size_t i = 1; i < times.size(); ++i) warm += (warm.empty() ? "" : ",") + std::to_string(times[i]);
  for (const char* mode : {"cold", "warm"}) {
    const bool cold = std::string(mode) == "cold";
    std::printf("{\"system\":\"tslake\",\"metric\":\"query\",\"query\":%s,\"status\":\"ok\","
                "\"mode\":\"%s\",\"open_seconds\":%.6f,\"times\":[%s],\"rows\":%lld,\"result\":%s%s}\n",
                Json(name).c_str(), mode, open_secs,
                cold ? std::to_string(times[0]).c_str() : warm.c_str(),
                static_cast<long long>(first.row_count()), Json(out_file).c_str(),
                cold ? "" : (",\"budget\":" + std::to_string(budget)).c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "copy" && argc == 4) return RunCopy(argv[2], argv[3]);
  if (cmd == "append" && argc == 5) return RunAppend(argv[2], argv[3], std::atoll(argv[4]));
  if (cmd == "query" && argc == 8) {
    return RunQuery(argv[2], argv[3], argv[4], std::atoi(argv[5]), std::atof(argv[6]), argv[7]);
  }
  std::fprintf(stderr,
               "usage: tslake_bench copy DB CSV | append DB CSV ROWS |"
               " query DB NAME SQLFILE WARM_RUNS BUDGET OUT\n");
  return 2;
}
