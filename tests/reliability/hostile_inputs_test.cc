// Hostile inputs found by playing issue 15's battery against the build, as
// regression tests (docs/RELIABILITY.md, "Hostile battery"). Each case used
// to crash, hang, overrun memory_limit or succeed wrongly; the SQL cases
// that need no process measurement live in tests/sql/limits/hostile_*.test.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tslake/tslake.hpp"

namespace {

// The process's resident set (kB) and its peak since the last ResetPeak.
int64_t StatusKb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1));
  }
  return -1;
}
bool ResetPeak() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  return static_cast<bool>(out.flush());
}

// A recursion that never ends added one 1-row chunk per iteration and
// charged memory_limit only the row's values (9 bytes) for the hundreds of
// bytes each chunk held: with memory_limit 64MB the process reached 932MB
// before the Out of Memory Error. The result is now held as rows (chunks
// filled to 2,048) and charged with its structs, so the peak stays near the
// limit.
TEST(HostileInputs, EndlessRecursiveCteStaysNearTheMemoryLimit) {
  auto db = tslake::Database::Open("", tslake::Options());
  ASSERT_TRUE(db);
  tslake::Connection con(*db);
  ASSERT_TRUE(con.Query("SET memory_limit = '2MB'").ok());
  if (!ResetPeak()) GTEST_SKIP() << "no /proc/self/clear_refs";
  const int64_t before = StatusKb("VmRSS");
  tslake::Result r =
      con.Query("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
                "SELECT count(*) FROM r");
  const int64_t peak = StatusKb("VmHWM");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error_message().find("Out of Memory Error"), std::string::npos) << r.error_message();
  EXPECT_LT(peak - before, 16 * 1024) << "peak " << peak << " kB, " << before << " kB before";
  // The connection stays usable.
  EXPECT_TRUE(con.Query("SELECT 1").ok());
}

}  // namespace
