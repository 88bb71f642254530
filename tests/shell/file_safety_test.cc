// Issue 15 items 4, 6 and 12 through the tslake binary: nothing is written
// inside the database directory (COPY ... TO, .output, .once, .plot --svg,
// whatever the path's spelling), --readonly writes no file,
// enable_external_access = false confines reads to the database directory
// and refuses every write, output that cannot be written (/dev/full) is an
// error with a non-zero exit, a damaged views file is an error, .read of a
// directory or a device is refused, generate refuses overflowing arguments,
// and rows a reader drops are reported (COPY rejects, SELECT warnings).
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "tests/shell/shell_test_util.h"

namespace tslake::testing {
namespace {

namespace fs = std::filesystem;

const char* kCreate =
    "CREATE TABLE t (ts TIMESTAMP, tag VARCHAR, value DOUBLE); "
    "INSERT INTO t VALUES ('2024-01-01 00:00:00','a',1.5),('2024-01-01 00:01:00','b',2.5);";

class FileSafetyTest : public ShellTest {
 protected:
  void SetUp() override {
    ShellTest::SetUp();
    RunOutput r = Run({"x.db", "-c", kCreate});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // The table still opens and holds its two rows.
  void ExpectTableIntact() {
    RunOutput r = Run({"x.db", "--mode", "csv", "--no-header", "-c", "SELECT count(*) FROM t"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "2\n") << r.err;
  }

  // Files under x.db/t/_log, to see that nothing was added.
  size_t LogFiles() {
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir_ / "x.db" / "t" / "_log")) n += e.is_regular_file();
    return n;
  }

  // Runs `tslake args...` with stdout sent to `stdout_path` (e.g. /dev/full).
  RunOutput RunTo(const std::string& stdout_path, const std::vector<std::string>& args) {
    std::vector<std::string> sh_args = {"/bin/sh", "-c", "exec \"$0\" \"$@\" > '" + stdout_path + "'",
                                        TSLAKE_BINARY_DIR "/tslake"};
    for (const std::string& a : args) sh_args.push_back(a);
    // Through the shell so the redirection is the kernel's, as a user's.
    pid_t pid = ::fork();
    if (pid == 0) {
      if (::chdir(dir_.c_str()) != 0) _exit(127);
      std::string err = (dir_ / "stderr.txt").string();
      FILE* e = std::freopen(err.c_str(), "w", stderr);
      (void)e;
      std::vector<char*> argv;
      for (std::string& a : sh_args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv("/bin/sh", argv.data());
      _exit(127);
    }
    RunOutput result;
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.err = ReadFileText(dir_ / "stderr.txt");
    return result;
  }
};

// --- Item 4: nothing is written inside the database directory ------------

TEST_F(FileSafetyTest, CopyToALogFileOfTheDatabaseIsRefused) {
  size_t before = LogFiles();
  for (bool read_only : {false, true}) {
    std::vector<std::string> args = {"x.db"};
    if (read_only) args.push_back("--readonly");
    args.insert(args.end(),
                {"-c", "COPY t TO 'x.db/t/_log/00000000000000000009.json' (FORMAT parquet)"});
    RunOutput r = Run(args);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_FALSE(fs::exists(dir_ / "x.db/t/_log/00000000000000000009.json"));
  }
  EXPECT_EQ(LogFiles(), before);
  ExpectTableIntact();
}

TEST_F(FileSafetyTest, CopyToInsideTheDatabaseIsRefusedHoweverThePathIsSpelled) {
  fs::create_directories(dir_ / "sub");
  fs::create_symlink(dir_ / "x.db", dir_ / "link");
  // A dangling symlink: opening it for writing would create its target.
  fs::create_symlink(dir_ / "x.db" / "t" / "planted.parquet", dir_ / "dangling.parquet");
  const std::string abs = (dir_ / "x.db" / "t" / "_log" / "00000000000000000009.json").string();
  const std::vector<std::string> targets = {
      "COPY t TO 'sub/../x.db/t/_log/00000000000000000009.json' (FORMAT parquet)",
      "COPY t TO './x.db/t/x.parquet'",
      "COPY t TO '" + abs + "' (FORMAT parquet)",
      "COPY t TO 'link/t/x.parquet'",
      "COPY t TO 'dangling.parquet'",
      "COPY t TO 'x.db/newdir/deeper/x.parquet'",
      "COPY t TO 'x.db' (FORMAT parquet)",
      "COPY t TO 'x.db/export' (FORMAT parquet)",
      "COPY t TO 'x.db/mirror' (FORMAT delta)",
      "COPY (SELECT * FROM t) TO 'x.db/t/q.parquet'",
  };
  for (const std::string& sql : targets) {
    RunOutput r = Run({"x.db", "-c", sql});
    EXPECT_EQ(r.exit_code, 1) << sql << "\n" << r.out;
    EXPECT_NE(r.err.find("inside the database directory"), std::string::npos) << sql << "\n" << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "x.db/t/planted.parquet"));
  EXPECT_FALSE(fs::exists(dir_ / "x.db/export"));
  EXPECT_FALSE(fs::exists(dir_ / "x.db/mirror"));
  EXPECT_FALSE(fs::exists(dir_ / "x.db/newdir"));
  EXPECT_FALSE(fs::exists(dir_ / "x.db/t/x.parquet"));
  ExpectTableIntact();
  // Outside the database directory COPY ... TO still works.
  RunOutput ok = Run({"x.db", "-c", "COPY t TO 'out.parquet'"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(fs::exists(dir_ / "out.parquet"));
}

TEST_F(FileSafetyTest, ReadOnlyRefusesCopyTo) {
  RunOutput r = Run({"x.db", "--readonly", "-c", "COPY t TO 'out.parquet'"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("read-only"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.parquet"));
  r = Run({"x.db", "--readonly", "-c", "COPY t TO 'mirror' (FORMAT delta)"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(fs::exists(dir_ / "mirror"));
}

TEST_F(FileSafetyTest, OutputAndOnceInsideTheDatabaseAreRefused) {
  size_t before = LogFiles();
  for (const char* command : {".output", ".once"}) {
    for (bool read_only : {false, true}) {
      std::vector<std::string> args = {"x.db"};
      if (read_only) args.push_back("--readonly");
      args.insert(args.end(), {"-c", std::string(command) + " x.db/t/_log/00000000000000000009.json",
                               "-c", "SELECT 42"});
      RunOutput r = Run(args);
      EXPECT_EQ(r.exit_code, 1) << command << " " << r.out;
      EXPECT_NE(r.err.find("inside the database directory"), std::string::npos) << r.err;
      EXPECT_FALSE(fs::exists(dir_ / "x.db/t/_log/00000000000000000009.json")) << command;
    }
  }
  // An existing engine file is not even truncated.
  const fs::path catalog = dir_ / "x.db" / "catalog.sqlite";
  ASSERT_TRUE(fs::exists(catalog));
  const auto size = fs::file_size(catalog);
  RunOutput r = Run({"x.db", "-c", ".output x.db/catalog.sqlite", "-c", "SELECT 1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(fs::file_size(catalog), size);
  r = Run({"x.db", "-c", ".plot --svg x.db/t/chart.svg SELECT ts, value FROM t"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(fs::exists(dir_ / "x.db/t/chart.svg"));
  EXPECT_EQ(LogFiles(), before);
  ExpectTableIntact();
}

TEST_F(FileSafetyTest, OutputOutsideTheDatabaseWorksEvenReadOnly) {
  RunOutput r = Run({"x.db", "--readonly", "--mode", "csv", "--no-header", "-c", ".output res.csv",
                     "-c", "SELECT count(*) FROM t"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFileText(dir_ / "res.csv"), "2\n");
}

// --- Item 4: enable_external_access ---------------------------------------

TEST_F(FileSafetyTest, DisabledExternalAccessRefusesFilesOutsideTheDatabase) {
  std::ofstream(dir_ / "outside.csv") << "ts,tag,value\n2024-01-01 00:00:00,a,1\n";
  std::ofstream(dir_ / "x.db" / "inside.csv") << "ts,tag,value\n2024-01-01 00:00:00,a,1\n";
  RunOutput setup = Run({"x.db", "-c", "COPY t TO 'outside.parquet'"});
  ASSERT_EQ(setup.exit_code, 0) << setup.err;
  const std::string off = "SET enable_external_access = false";
  const std::vector<std::string> refused = {
      "SELECT * FROM read_csv('/proc/self/environ')",
      "SELECT * FROM read_csv('outside.csv')",
      "SELECT * FROM read_csv('x.db/../outside.csv')",
      "SELECT * FROM read_parquet('outside.parquet')",
      "SELECT * FROM read_parquet('*.parquet')",
      "SELECT * FROM read_parquet('x.db/*/../../*.parquet')",
      "SELECT * FROM read_jsonl('/etc/passwd')",
      "COPY t FROM 'outside.csv'",
      "COPY t TO 'out2.parquet'",
  };
  for (const std::string& sql : refused) {
    RunOutput r = Run({"x.db", "-c", off, "-c", sql});
    EXPECT_EQ(r.exit_code, 1) << sql << "\n" << r.out;
    EXPECT_NE(r.err.find("enable_external_access"), std::string::npos) << sql << "\n" << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "out2.parquet"));
  // Inside the database directory reads still work.
  RunOutput in = Run({"x.db", "--mode", "csv", "--no-header", "-c", off, "-c",
                      "SELECT count(*) FROM read_csv('x.db/inside.csv')"});
  EXPECT_EQ(in.exit_code, 0) << in.err;
  EXPECT_EQ(in.out, "1\n");
  // And it cannot be turned back on.
  for (const char* back : {"SET enable_external_access = true", "RESET enable_external_access"}) {
    RunOutput r = Run({"x.db", "-c", off, "-c", back, "-c", "SELECT * FROM read_csv('outside.csv')"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("Cannot change enable_external_access"), std::string::npos) << r.err;
  }
  // Without the setting the same reads work.
  RunOutput plain = Run({"x.db", "--mode", "csv", "--no-header", "-c",
                         "SELECT count(*) FROM read_csv('outside.csv')"});
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
}

// --- Item 6: failures reach the user ---------------------------------------

TEST_F(FileSafetyTest, OutputToAFullDeviceFails) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  RunOutput r = RunTo("/dev/full", {"x.db", "-c", "SELECT * FROM t"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  r = RunTo("/dev/full", {"--version"});
  EXPECT_NE(r.exit_code, 0);
  r = RunTo("/dev/full", {"x.db", "-c", ".tables"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  for (const char* command : {".output /dev/full", ".once /dev/full"}) {
    RunOutput d = Run({"x.db", "-c", command, "-c", "SELECT * FROM t"});
    EXPECT_EQ(d.exit_code, 1) << command;
    EXPECT_NE(d.err.find("No space left on device"), std::string::npos) << command << d.err;
  }
  // A script goes on after the failed write but still exits 1.
  RunOutput s = Run({"x.db"}, ".output /dev/full\nSELECT 1;\n.output\nSELECT 2;\n");
  EXPECT_EQ(s.exit_code, 1);
  EXPECT_NE(s.out.find('2'), std::string::npos) << s.out;
}

TEST_F(FileSafetyTest, ATruncatedViewsFileIsAnErrorForEveryViewStatement) {
  RunOutput r = Run({"x.db", "-c", "CREATE VIEW v AS SELECT tag FROM t"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path newest;
  for (const auto& e : fs::directory_iterator(dir_ / "x.db")) {
    const std::string name = e.path().filename().string();
    if (name.rfind("views.", 0) == 0 && (newest.empty() || name > newest.filename().string()))
      newest = e.path();
  }
  ASSERT_FALSE(newest.empty());
  fs::resize_file(newest, fs::file_size(newest) / 2);
  for (const char* sql : {"SELECT * FROM v", "CREATE VIEW w AS SELECT 1", "DROP VIEW v",
                          "CREATE OR REPLACE VIEW v AS SELECT 1"}) {
    RunOutput q = Run({"x.db", "-c", sql});
    EXPECT_EQ(q.exit_code, 1) << sql;
    EXPECT_NE(q.err.find("views file"), std::string::npos) << sql << "\n" << q.err;
  }
}

// --- Item 12: .read, generate, ON_ERROR, skipped rows ------------------------

TEST_F(FileSafetyTest, ReadOfADirectoryOrADeviceIsAClearError) {
  fs::create_directories(dir_ / "scripts");
  for (const std::string& target : {std::string("scripts"), std::string("/dev/zero")}) {
    RunOutput r = Run({"x.db", "-c", ".read " + target});
    EXPECT_EQ(r.exit_code, 1) << target;
    EXPECT_NE(r.err.find(target), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("not a script file"), std::string::npos) << r.err;
    RunOutput f = Run({"x.db", "-f", target});
    EXPECT_EQ(f.exit_code, 1) << target;
    EXPECT_NE(f.err.find("not a script file"), std::string::npos) << f.err;
  }
  // /dev/null is the customary empty script (`--init /dev/null`).
  RunOutput empty = Run({"--init", "/dev/null", "-c", "SELECT 42"});
  EXPECT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_NE(empty.out.find("42"), std::string::npos) << empty.out;
}

TEST_F(FileSafetyTest, GenerateRefusesOverflowingArguments) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"generate", "--interval-ms", "9223372036854775807", "--out", "g.csv"},
        std::vector<std::string>{"generate", "--interval-ms", "9223372036854775", "--points", "3",
                                 "--out", "g.csv"},
        std::vector<std::string>{"generate", "--format", "piwebapi", "--interval-ms",
                                 "9223372036854775", "--points", "3", "--out", "g.json"},
        std::vector<std::string>{"generate", "--points", "-5", "--out", "g.csv"}}) {
    RunOutput r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << args[2] << " " << r.out;
    EXPECT_NE(r.err.find("Error:"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "g.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "g.json"));
}

TEST_F(FileSafetyTest, CopyOnErrorContinueLoadsTheGoodRowsAndReportsTheRejects) {
  std::ofstream csv(dir_ / "bad.csv");
  csv << "ts,tag,value\n";
  for (int i = 0; i < 1500; ++i) csv << "2024-01-02 00:00:" << (i % 60 < 10 ? "0" : "") << i % 60 << ",a," << i << "\n";
  csv << "2024-01-02 00:00:00,a,not-a-number\n";
  csv << "2024-01-02 00:00:01,a,7\n";
  csv.close();
  RunOutput r = Run({"x.db", "--mode", "csv", "--no-header", "-c",
                     "COPY t FROM 'bad.csv' (ON_ERROR 'continue')"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1501\n") << r.err;
  EXPECT_NE(r.err.find("1 rows rejected -> t_rejects"), std::string::npos) << r.err;
  RunOutput q = Run({"x.db", "--mode", "csv", "--no-header", "-c",
                     "SELECT count(*) FROM t; SELECT line, raw FROM t_rejects"});
  EXPECT_EQ(q.exit_code, 0) << q.err;
  EXPECT_EQ(q.out, "1503\n1502,\"2024-01-02 00:00:00,a,not-a-number\"\n") << q.err;
  // The default is 'continue' too; 'abort' commits nothing.
  RunOutput a = Run({"x.db", "-c", "COPY t FROM 'bad.csv' (ON_ERROR 'abort')"});
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_NE(a.err.find("line 1502"), std::string::npos) << a.err;
}

TEST_F(FileSafetyTest, LineProtocolRejectsAreReported) {
  std::ofstream(dir_ / "x.lp") << "cpu,host=a usage=3 1704067200000000000\n"
                                  "cpu,host=a usage=4\n"
                                  "cpu,host=a usage=5 1704067201000000000\n";
  RunOutput c = Run({"x.db", "-c",
                     "CREATE TABLE lp AS SELECT * FROM read_line_protocol('x.lp') LIMIT 0"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  RunOutput r = Run({"x.db", "-c", "COPY lp FROM 'x.lp' (FORMAT line)"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("1 rows rejected -> lp_rejects"), std::string::npos) << r.err;
}

TEST_F(FileSafetyTest, ASelectThatSkipsUnconvertibleRowsSaysSo) {
  std::ofstream(dir_ / "x.lp") << "cpu,host=a usage=3 1704067200000000000\n"
                                  "cpu,host=a usage=4\n"
                                  "cpu,host=a usage=5 1704067201000000000\n";
  RunOutput r = Run({"x.db", "--mode", "csv", "--no-header", "-c",
                     "SELECT count(*) FROM read_line_protocol('x.lp')"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2\n");
  EXPECT_NE(r.err.find("Warning: read_line_protocol skipped 1 row"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("x.lp line 2"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tslake::testing
