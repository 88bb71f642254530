// `tslake check DBDIR` and `tslake repair DBDIR` through the real binary:
// exit 0 on a clean database, 1 naming the damaged file, and repair
// rebuilding a lost catalog without deleting anything.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/test_emulator.h"
#include "reliability_test_util.h"
#include "tslake/tslake.hpp"

namespace tsl {
namespace {

namespace fs = std::filesystem;

const std::string kCli = TSLAKE_BINARY_DIR "/tslake";

// Runs the shell with `args`; returns the exit code, output in *out.
int RunCli(const std::string& args, std::string* out) {
  std::string cmd = tslake::testing::TestEmulator() + " " + kCli + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return -1;
  std::array<char, 4096> buf;
  out->clear();
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out->append(buf.data(), n);
  int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(CheckCommand, ReportsDamageByFileAndRepairRebuildsTheCatalog) {
  if (!fs::exists(kCli)) GTEST_SKIP() << kCli << " is not built";
  reliability::TempDir dir;
  const std::string db = dir.path() + "/db";
  {
    auto d = tslake::Database::Open(db);
    ASSERT_TRUE(d);
    tslake::Connection con(*d);
    ASSERT_TRUE(con.Query("CREATE TABLE m (ts TIMESTAMP, v DOUBLE)").ok());
    ASSERT_TRUE(con.Query("INSERT INTO m VALUES ('2024-01-01', 1), ('2024-01-02', 2)").ok());
  }
  std::string out;
  EXPECT_EQ(RunCli("check " + db, &out), 0) << out;
  EXPECT_NE(out.find("1 segments"), std::string::npos) << out;

  std::string log1 = db + "/m/_log/00000000000000000001.json";
  std::string content;
  {
    std::ifstream in(log1);
    content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  { std::ofstream(log1) << content.substr(0, content.size() / 2); }  // torn
  EXPECT_EQ(RunCli("check " + db, &out), 1) << out;
  EXPECT_NE(out.find("error: " + log1), std::string::npos) << out;
  { std::ofstream(log1) << content; }

  fs::remove(db + "/catalog.sqlite");
  EXPECT_EQ(RunCli("repair " + db, &out), 0) << out;
  EXPECT_TRUE(fs::exists(db + "/catalog.sqlite"));
  EXPECT_EQ(RunCli("check " + db, &out), 0) << out;
  EXPECT_EQ(out.find("warning:"), std::string::npos) << out;

  EXPECT_EQ(RunCli("check", &out), 2) << out;
  EXPECT_EQ(RunCli("check " + dir.path() + "/missing", &out), 1) << out;
}

}  // namespace
}  // namespace tsl
