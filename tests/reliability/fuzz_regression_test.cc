// Replays every fuzz seed and every input that once crashed a fuzz target
// (tests/fuzz/corpus/<target>/ and tests/fuzz/regressions/<target>/)
// through the same target bodies the libFuzzer drivers run. In the
// sanitizer build this keeps each fixed crash fixed; in every build it
// checks the targets still accept their seeds without crashing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

#include "tests/fuzz/fuzz_targets.h"

namespace tsl {
namespace {

namespace fs = std::filesystem;

using Target = std::function<void(const uint8_t*, size_t)>;

const std::map<std::string, Target>& Targets() {
  static const std::map<std::string, Target> targets = {
      {"sql_parser", fuzz::FuzzSqlParser},         {"sql_query", fuzz::FuzzSqlQuery},
      {"segment_reader", fuzz::FuzzSegmentReader}, {"log_reader", fuzz::FuzzLogReader},
      {"csv_reader", fuzz::FuzzCsvReader},         {"piwebapi_reader", fuzz::FuzzPiWebApiReader},
      {"parquet_reader", fuzz::FuzzParquetReader}, {"jsonl_reader", fuzz::FuzzJsonlReader},
      {"line_protocol_reader", fuzz::FuzzLineProtocolReader},
      {"ignition_reader", fuzz::FuzzIgnitionReader},
      {"sql_grammar", fuzz::FuzzSqlGrammar},       {"pg_protocol", fuzz::FuzzPgProtocol},
  };
  return targets;
}

int64_t ReplayDir(const fs::path& dir, const Target& target) {
  int64_t n = 0;
  if (!fs::is_directory(dir)) return 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    SCOPED_TRACE(e.path().string());
    target(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    ++n;
  }
  return n;
}

TEST(FuzzRegression, EverySeedAndPastCrashRunsCleanly) {
  const fs::path root = fs::path(TSLAKE_SOURCE_DIR) / "tests" / "fuzz";
  for (const auto& [name, target] : Targets()) {
    int64_t seeds = ReplayDir(root / "corpus" / name, target);
    int64_t crashes = ReplayDir(root / "regressions" / name, target);
    EXPECT_GT(seeds, 0) << name << " has no seed corpus";
    std::printf("[ fuzz ] %s: %lld seeds, %lld past crashes replayed\n", name.c_str(),
                static_cast<long long>(seeds), static_cast<long long>(crashes));
  }
}

}  // namespace
}  // namespace tsl
