// The tslake binary end to end: the acceptance scenario, every output mode
// parsing back, exit codes, scripts from stdin and -f, dot commands,
// --readonly, and that a failing statement leaves the table version alone.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

#include "ingest/csv_reader.h"
#include "tests/shell/shell_test_util.h"

namespace tslake::testing {
namespace {

const char* kCreateAndLoad =
    "CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE); "
    "INSERT INTO m VALUES ('2024-01-01 00:00:00','a',1.5),('2024-01-01 00:01:00','b',2.5); "
    "INSERT INTO m VALUES ('2024-01-01 00:02:00','a',3.5);";

size_t CountLogFiles(const std::filesystem::path& log_dir) {
  size_t n = 0;
  if (!std::filesystem::exists(log_dir)) return 0;
  for (const auto& e : std::filesystem::directory_iterator(log_dir)) {
    if (e.path().extension() == ".json") ++n;
  }
  return n;
}

class CliTest : public ShellTest {
 protected:
  void CreateTable() {
    RunOutput r = Run({"x.db", "-c", kCreateAndLoad});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string LatestVersion() {
    RunOutput r = Run({"x.db", "--mode", "csv", "--no-header", "-c",
                       "SELECT count(*) FROM m"});
    return r.out;
  }
};

TEST_F(CliTest, AcceptanceScenarioCreatesInsertsQueriesAndTimeTravels) {
  RunOutput create = Run({"x.db", "-c", kCreateAndLoad});
  ASSERT_EQ(create.exit_code, 0) << create.err;
  EXPECT_EQ(create.err, "");

  RunOutput q = Run({"x.db", "--mode", "csv", "-c",
                     "SELECT tag, count(*), avg(value) FROM m GROUP BY tag ORDER BY tag"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  std::istringstream lines(q.out);
  std::string header, row1, row2, extra;
  std::getline(lines, header);
  std::getline(lines, row1);
  std::getline(lines, row2);
  EXPECT_NE(header.find("tag"), std::string::npos) << q.out;
  EXPECT_EQ(row1, "a,2,2.5");
  EXPECT_EQ(row2, "b,1,2.5");
  EXPECT_FALSE(std::getline(lines, extra)) << q.out;

  RunOutput tt = Run({"x.db", "--mode", "csv", "--no-header", "-c",
                      "SELECT count(*) FROM m VERSION AS OF 1"});
  ASSERT_EQ(tt.exit_code, 0) << tt.err;
  EXPECT_EQ(tt.out, "2\n");

  std::filesystem::path log_dir = dir_ / "x.db" / "m" / "_log";
  ASSERT_EQ(CountLogFiles(log_dir), 3u);
  for (const auto& e : std::filesystem::directory_iterator(log_dir)) {
    if (e.path().extension() != ".json") continue;
    std::istringstream in(ReadFileText(e.path()));
    std::string line;
    int actions = 0;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      EXPECT_TRUE(nlohmann::json::accept(line)) << e.path() << ": " << line;
      ++actions;
    }
    EXPECT_GT(actions, 0) << e.path();
  }
}

TEST_F(CliTest, FailingStatementsExitOneNameTheProblemAndLeaveVersionUnchanged) {
  CreateTable();
  std::filesystem::path log_dir = dir_ / "x.db" / "m" / "_log";
  size_t versions = CountLogFiles(log_dir);
  struct Case {
    const char* sql;
    const char* needle;
  } cases[] = {
      {"SELECT vale FROM m", "vale"},
      {"INSERT INTO m VALUES ('not a time','a',1.0)", "not a time"},
      {"INSERT INTO missing VALUES (1)", "missing"},
      {"INSERT INTO m SELECT ts, tag, nosuch FROM m", "nosuch"},
  };
  for (const Case& c : cases) {
    RunOutput r = Run({"x.db", "-c", c.sql});
    EXPECT_EQ(r.exit_code, 1) << c.sql;
    EXPECT_NE(r.err.find(c.needle), std::string::npos) << c.sql << "\nstderr: " << r.err;
    EXPECT_EQ(r.out, "") << c.sql;
  }
  EXPECT_EQ(CountLogFiles(log_dir), versions);
  EXPECT_EQ(LatestVersion(), "3\n");
}

TEST_F(CliTest, ErrorInTheMiddleOfCommandsKeepsEarlierStatementsAndStops) {
  RunOutput r = Run({"x.db", "--mode", "csv", "-c", "CREATE TABLE t (v BIGINT); INSERT INTO t VALUES (1);",
                     "-c", "SELECT nope FROM t", "-c", "INSERT INTO t VALUES (2)"});
  EXPECT_EQ(r.exit_code, 1);
  RunOutput count = Run({"x.db", "--mode", "csv", "--no-header", "-c", "SELECT count(*) FROM t"});
  EXPECT_EQ(count.out, "1\n") << count.err;
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Run({"--no-such-flag"}).exit_code, 2);
  RunOutput bad_mode = Run({"--mode", "fancy", "-c", "SELECT 1"});
  EXPECT_EQ(bad_mode.exit_code, 2);
  EXPECT_NE(bad_mode.err.find("fancy"), std::string::npos);
  EXPECT_EQ(Run({"a.db", "b.db"}).exit_code, 2);
  EXPECT_EQ(Run({"-c"}).exit_code, 2);
  EXPECT_EQ(Run({"generate"}).exit_code, 2);  // --out is required
}

TEST_F(CliTest, VersionAndHelpExitZero) {
  RunOutput v = Run({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out, "tslake 0.1.0\n");
  RunOutput h = Run({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("--mode"), std::string::npos);
}

TEST_F(CliTest, CsvAndTsvOutputParseBackToTheSameValues) {
  const std::string setup =
      "CREATE TABLE v (ts TIMESTAMP, s VARCHAR, d DOUBLE, i BIGINT, b BOOLEAN);"
      "INSERT INTO v VALUES ('2024-01-01 00:00:00.5','plain',0.1,-7,true),"
      "('2024-02-29 23:59:59','with, comma and \"quotes\"',1e20,9007199254740993,false),"
      "('2024-03-01 00:00:00','',NULL,NULL,NULL);";
  ASSERT_EQ(Run({"x.db", "-c", setup}).exit_code, 0);
  tsl::Schema schema{{{"ts", tsl::TypeId::kTimestamp},
                      {"s", tsl::TypeId::kVarchar},
                      {"d", tsl::TypeId::kDouble},
                      {"i", tsl::TypeId::kBigint},
                      {"b", tsl::TypeId::kBoolean}}};
  for (const char* mode : {"csv", "tsv"}) {
    RunOutput r = Run({"x.db", "--mode", mode, "-c", "SELECT * FROM v ORDER BY ts"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string file = Path(std::string("out.") + mode);
    std::ofstream(file, std::ios::binary) << r.out;
    tsl::CsvOptions options;
    options.delimiter = std::string(mode) == "csv" ? ',' : '\t';
    options.target_schema = schema;
    options.allow_quoted_nulls = false;  // our output writes "" only for ''
    auto reader = tsl::CsvReader::Open(file, options);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    tsl::DataChunk chunk;
    auto more = (*reader)->Next(&chunk);
    ASSERT_TRUE(more.ok()) << more.status().ToString() << "\n" << r.out;
    ASSERT_EQ(chunk.size(), 3u) << r.out;
    EXPECT_EQ(chunk.columns[1].strings[0], "plain");
    EXPECT_EQ(chunk.columns[1].strings[1], "with, comma and \"quotes\"");
    EXPECT_FALSE(chunk.columns[1].IsNull(2)) << "empty string must not read back as NULL";
    EXPECT_EQ(chunk.columns[1].strings[2], "");
    EXPECT_EQ(chunk.columns[2].doubles[0], 0.1);
    EXPECT_EQ(chunk.columns[2].doubles[1], 1e20);
    EXPECT_TRUE(chunk.columns[2].IsNull(2));
    EXPECT_EQ(chunk.columns[3].ints[1], 9007199254740993);
    EXPECT_EQ(chunk.columns[4].ints[0], 1);
    EXPECT_EQ(chunk.columns[0].ints[0], 1704067200500000);
  }
}

TEST_F(CliTest, JsonAndJsonlOutputParseWithTypedValues) {
  ASSERT_EQ(Run({"x.db", "-c", kCreateAndLoad}).exit_code, 0);
  RunOutput j = Run({"x.db", "--mode", "json", "-c",
                     "SELECT ts, tag, value, value > 2 AS big, NULL AS nothing FROM m ORDER BY ts"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  nlohmann::json doc = nlohmann::json::parse(j.out);
  ASSERT_TRUE(doc.is_array());
  ASSERT_EQ(doc.size(), 3u);
  EXPECT_EQ(doc[0]["tag"], "a");
  EXPECT_EQ(doc[0]["value"], 1.5);
  EXPECT_EQ(doc[0]["ts"], "2024-01-01 00:00:00");
  EXPECT_EQ(doc[1]["big"], true);
  EXPECT_TRUE(doc[2]["nothing"].is_null());

  RunOutput l = Run({"x.db", "--mode", "jsonl", "-c", "SELECT tag, count(*) AS n FROM m GROUP BY tag ORDER BY tag"});
  ASSERT_EQ(l.exit_code, 0) << l.err;
  std::istringstream lines(l.out);
  std::string line;
  std::vector<nlohmann::json> rows;
  while (std::getline(lines, line)) rows.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["tag"], "a");
  EXPECT_EQ(rows[0]["n"], 2);
  EXPECT_TRUE(rows[0]["n"].is_number_integer());
}

TEST_F(CliTest, GridAndLineModesShowEveryValue) {
  ASSERT_EQ(Run({"x.db", "-c", kCreateAndLoad}).exit_code, 0);
  const std::string sql = "SELECT tag, value FROM m ORDER BY ts";
  RunOutput box = Run({"x.db", "-c", sql});
  ASSERT_EQ(box.exit_code, 0) << box.err;
  EXPECT_NE(box.out.find("┌"), std::string::npos) << box.out;
  EXPECT_NE(box.out.find("varchar"), std::string::npos) << box.out;
  EXPECT_NE(box.out.find("│ a       │    1.5 │"), std::string::npos) << box.out;

  RunOutput table = Run({"x.db", "--mode", "table", "-c", sql});
  EXPECT_NE(table.out.find("+-----+-------+"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("| b   |   2.5 |"), std::string::npos) << table.out;

  RunOutput md = Run({"x.db", "--mode", "markdown", "-c", sql});
  EXPECT_NE(md.out.find("| tag | value |"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("|-----|------:|"), std::string::npos) << md.out;

  RunOutput line = Run({"x.db", "--mode", "line", "-c", sql});
  EXPECT_EQ(line.out.substr(0, 25), "  tag = a\nvalue = 1.5\n\n  ") << line.out;
}

TEST_F(CliTest, InsertPrintsItsCountInEveryMode) {
  ASSERT_EQ(Run({"x.db", "-c", "CREATE TABLE t (v BIGINT)"}).out, "");
  RunOutput csv = Run({"x.db", "--mode", "csv", "-c", "INSERT INTO t VALUES (1), (2)"});
  EXPECT_EQ(csv.out, "Count\n2\n");
  RunOutput box = Run({"x.db", "-c", "INSERT INTO t VALUES (3)"});
  EXPECT_NE(box.out.find("Count"), std::string::npos) << box.out;
}

TEST_F(CliTest, StdinScriptRunsStatementsAndDotCommands) {
  const std::string script =
      "-- a comment line\n"
      "CREATE TABLE t (v BIGINT, s VARCHAR);\n"
      ".mode csv\n"
      "INSERT INTO t VALUES (1, 'x;y'),\n"
      "  (2, 'it''s');\n"
      "SELECT v, s FROM t ORDER BY v;\n"
      ".headers off\n"
      "SELECT count(*) FROM t\n";
  RunOutput r = Run({"x.db"}, script);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Count\n2\nv,s\n1,x;y\n2,it's\n2\n");
}

TEST_F(CliTest, ScriptContinuesAfterAnErrorUnlessBail) {
  const std::string script =
      "CREATE TABLE t (v BIGINT);\n"
      "SELECT nope FROM t;\n"
      "INSERT INTO t VALUES (1);\n";
  RunOutput r = Run({"x.db", "--mode", "csv"}, script);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nope"), std::string::npos);
  EXPECT_NE(r.out.find("Count\n1\n"), std::string::npos) << r.out;

  RunOutput bail = Run({"y.db", "--mode", "csv", "--bail"}, script);
  EXPECT_EQ(bail.exit_code, 1);
  EXPECT_EQ(bail.out, "");
}

TEST_F(CliTest, FileOptionRunsAScript) {
  std::ofstream(Path("s.sql")) << "CREATE TABLE t (v DOUBLE);\nINSERT INTO t VALUES (0.5);\n"
                                  "SELECT v * 2 AS w FROM t;\n";
  RunOutput r = Run({"--mode", "csv", "-f", "s.sql"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Count\n1\nw\n1.0\n");
  RunOutput missing = Run({"-f", "absent.sql"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("absent.sql"), std::string::npos);
}

TEST_F(CliTest, ReadonlyRefusesWritesButAllowsReads) {
  CreateTable();
  RunOutput w = Run({"x.db", "--readonly", "-c", "INSERT INTO m VALUES ('2024-01-02','c',1)"});
  EXPECT_EQ(w.exit_code, 1);
  EXPECT_FALSE(w.err.empty());
  RunOutput c = Run({"x.db", "--readonly", "-c", "CREATE TABLE z (v BIGINT)"});
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.db" / "z"));
  RunOutput r = Run({"x.db", "--readonly", "--mode", "csv", "--no-header", "-c", "SELECT count(*) FROM m"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "3\n");
  EXPECT_EQ(Run({"absent.db", "--readonly", "-c", "SELECT 1"}).exit_code, 1);
}

TEST_F(CliTest, TablesAndSchemaDotCommands) {
  CreateTable();
  RunOutput t = Run({"x.db", "-c", ".tables"});
  EXPECT_EQ(t.exit_code, 0) << t.err;
  EXPECT_EQ(t.out, "m\n");
  RunOutput s = Run({"x.db", "-c", ".schema m"});
  EXPECT_EQ(s.out, "CREATE TABLE m(ts TIMESTAMP, tag VARCHAR, value DOUBLE);\n");
  RunOutput bad = Run({"x.db", "-c", ".frobnicate"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("frobnicate"), std::string::npos);
}

TEST_F(CliTest, BoxModeElidesRowsPastMaxrows) {
  std::string script = "CREATE TABLE t (v BIGINT);\nINSERT INTO t VALUES (0)";
  for (int i = 1; i < 100; ++i) script += ",(" + std::to_string(i) + ")";
  script += ";\n.maxrows 10\nSELECT v FROM t ORDER BY v;\n";
  RunOutput r = Run({}, script);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("100 rows"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(10 shown)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("·"), std::string::npos);
  EXPECT_NE(r.out.find(" 99 │"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(" 50 │"), std::string::npos) << r.out;
}

TEST_F(CliTest, TimerPrintsRunTime) {
  RunOutput r = Run({"-c", ".timer on", "-c", "CREATE TABLE t (v BIGINT)"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Run Time: real "), std::string::npos) << r.out;
}

TEST_F(CliTest, GenerateWritesCsvThatCopyLoads) {
  RunOutput g = Run({"generate", "--tags", "3", "--points", "10", "--out", "gen.csv"});
  ASSERT_EQ(g.exit_code, 0) << g.err;
  std::string text = ReadFileText(dir_ / "gen.csv");
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 31);
  RunOutput q = Run({"--mode", "csv", "--no-header", "-c",
                     "SELECT count(*), count(DISTINCT tag) FROM read_csv('gen.csv')"});
  EXPECT_EQ(q.exit_code, 0) << q.err;
  EXPECT_EQ(q.out, "30,3\n");
}

TEST_F(CliTest, CopyFromCsvReportsBadValueWithLineAndColumn) {
  std::ofstream(Path("bad.csv")) << "ts,tag,value\n2024-01-01,a,1.5\n2024-01-01,b,12x5\n";
  RunOutput r = Run({"x.db", "-c", "CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE)",
                     "-c", "COPY m FROM 'bad.csv'"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("line 3, column 3 (\"value\"): \"12x5\" is not a DOUBLE"), std::string::npos)
      << r.err;
  RunOutput count = Run({"x.db", "--mode", "csv", "--no-header", "-c", "SELECT count(*) FROM m"});
  EXPECT_EQ(count.out, "0\n");
}


TEST_F(CliTest, RebuildCatalogRecreatesItFromTheLogs) {
  CreateTable();
  std::filesystem::remove(dir_ / "x.db" / "catalog.sqlite");
  RunOutput r = Run({"x.db", "--rebuild-catalog"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "x.db" / "catalog.sqlite"));
  EXPECT_EQ(Run({"x.db", "-c", ".tables"}).out, "m\n");
  EXPECT_EQ(Run({"--rebuild-catalog"}).exit_code, 2);  // needs a DBDIR
}

TEST_F(CliTest, DotCommandsShapeOutputInCommandOrder) {
  std::ofstream(Path("inner.sql")) << "SELECT 2 AS two;\n";
  RunOutput r = Run({"-c", ".mode csv", "-c", ".nullvalue (null)", "-c", "SELECT NULL AS n",
                     "-c", ".echo on", "-c", ".read inner.sql", "-c", ".headers off",
                     "-c", "SELECT 'x;y' AS s -- not the end;"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "n\n(null)\nSELECT 2 AS two;\ntwo\n2\nSELECT 'x;y' AS s -- not the end;\nx;y\n");
  RunOutput usage = Run({"-c", ".mode fancy"});
  EXPECT_EQ(usage.exit_code, 1);
  EXPECT_NE(usage.err.find("Usage: .mode"), std::string::npos) << usage.err;
}

TEST_F(CliTest, ScriptStatementsSpanLinesAndIgnoreSemicolonsInStringsAndComments) {
  const std::string script =
      "/* a block comment; with a semicolon */\n"
      "SELECT 'a;b' AS s,\n"
      "       -- a line comment; with a semicolon\n"
      "       \"x\" AS \"col;umn\"\n"
      "FROM (SELECT 1 AS x);\n"
      "SELECT 'last' AS s\n";
  RunOutput r = Run({"--mode", "csv"}, script);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "s,col;umn\na;b,1\ns\nlast\n");
}

TEST_F(CliTest, ReadCsvWithOptionsFromSql) {
  std::ofstream(Path("p.csv")) << "2024-01-01 00:00:00|a|1\n2024-01-01 00:00:01|b|2\n";
  RunOutput r = Run({"--mode", "csv", "-c",
                     "SELECT column1, column2 FROM read_csv('p.csv', header => false, delim => '|') "
                     "ORDER BY column0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "column1,column2\na,1\nb,2\n");
}

TEST_F(CliTest, BoxModeDropsMiddleColumnsPastMaxwidth) {
  RunOutput r = Run({"-c", ".maxwidth 40", "-c",
                     "SELECT 'first' AS c1, 2 AS c2, 3 AS c3, 4 AS c4, 5 AS c5, 6 AS c6, 7 AS c7, "
                     "'last' AS c8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("first"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("last"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("│ … │"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("8 columns"), std::string::npos) << r.out;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    size_t width = 0;
    for (unsigned char c : line) width += (c & 0xC0) != 0x80;
    EXPECT_LE(width, 40u) << line;
  }
}

// Wide characters take two terminal columns: the right border of every
// row of a box or table lines up (issue 22: 温度 put it two columns off).
TEST_F(CliTest, WideCharactersKeepGridBordersAligned) {
  for (const char* mode : {"box", "table"}) {
    RunOutput r = Run({"--mode", mode, "-c", "SELECT 'héllo wörld 温度 ✓' AS u, 'e\u0301x' AS comb, 'ok' AS v"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream lines(r.out);
    std::string line;
    std::vector<size_t> widths;
    while (std::getline(lines, line)) {
      // Display width: code points, CJK counted twice, the combining
      // accent not at all.
      size_t w = 0;
      for (size_t i = 0; i < line.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(line[i]);
        if ((c & 0xC0) == 0x80) continue;
        w += (c >= 0xE4 && c <= 0xE9) ? 2 : 1;  // CJK U+4E00..U+9FFF: 温, 度
        if (c == 0xCC) w -= 1;         // U+0301 is 0xCC 0x81
      }
      widths.push_back(w);
    }
    ASSERT_GE(widths.size(), 4u) << r.out;
    for (size_t w : widths) EXPECT_EQ(w, widths[0]) << mode << "\n" << r.out;
  }
}

// EXPLAIN [ANALYZE] prints its plan lines whole in the grid modes: the
// scan line with its counters is far longer than a cell's 50 columns.
TEST_F(CliTest, ExplainLinesAreNeverTruncated) {
  ASSERT_EQ(Run({"x.db", "-c", "CREATE TABLE t (ts TIMESTAMP, tag VARCHAR, value DOUBLE)"}).exit_code, 0);
  for (const char* mode : {"box", "table"}) {
    RunOutput r = Run({"x.db", "--mode", mode, "-c",
                       "EXPLAIN ANALYZE SELECT tag, avg(value) FROM t WHERE tag = "
                       "'abcdefghijklmnopqrstuvwxyz' GROUP BY tag"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find("…"), std::string::npos) << r.out;
    size_t longest = 0;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) longest = std::max(longest, line.size());
    EXPECT_GT(longest, 200u) << r.out;
    EXPECT_NE(r.out.find("segments_total="), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace tslake::testing
