// Replays every reproducer the grammar fuzzer found once it was fixed
// (tests/fuzz/regressions/sql_smith/*.sql: one statement a line, "{TMP}"
// a scratch directory) through the fuzzer's own Runner: each statement on
// a 1 MiB-stack thread, interrupted after 10 s, watched for RSS growth far
// above its memory_limit. A crash fails the test binary; a hang or overrun
// fails the test. Reproducers still open live in regressions/sql_smith/open/,
// which CI does not run.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/fuzz/sql_smith.h"

namespace tsl {
namespace {

namespace fs = std::filesystem;
using namespace fuzz::smith;

TEST(SqlSmithRegression, EveryFixedReproducerRunsCleanly) {
  const fs::path dir = fs::path(TSLAKE_SOURCE_DIR) / "tests" / "fuzz" / "regressions" / "sql_smith";
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".sql") continue;
    SCOPED_TRACE(e.path().string());
    const fs::path base = fs::temp_directory_path() / ("tslake-smith-regression-" + std::to_string(::getpid()));
    fs::remove_all(base);
    fs::create_directories(base / "files");
    {
      auto db = tslake::Database::Open((base / "db").string());
      ASSERT_TRUE(db != nullptr);
      tslake::Connection con(*db);
      RunnerOptions options;
      options.tmp_dir = (base / "files").string();
      Runner runner(&con, options);
      int statements = 0;
      for (const std::string& sql : ReadScript(e.path().string())) {
        Outcome o = runner.Run(sql);
        EXPECT_TRUE(o == Outcome::kOk || o == Outcome::kError) << OutcomeName(o) << ": " << sql;
        ++statements;
      }
      // memory_limit is process-wide; leave the default for other tests.
      (void)runner.Run("RESET memory_limit");
      std::printf("[ smith ] %s: %d statements\n", e.path().filename().c_str(), statements);
    }
    fs::remove_all(base);
    ++files;
  }
  std::printf("[ smith ] %d reproducers replayed\n", files);
}

}  // namespace
}  // namespace tsl
