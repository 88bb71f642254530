// The table and output dot commands (.describe, .history, .stats, .import,
// .output, .once), .plot in text and SVG, and startup files (--init,
// ~/.tslakerc), through the real binary.
#include <cstdlib>
#include <filesystem>

#include "tests/shell/shell_test_util.h"

namespace tslake::testing {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

size_t Utf8Width(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class DotCommandTest : public ShellTest {
 protected:
  void CreateTable() {
    RunOutput r = Run({"x.db", "--bail", "-c",
                       "CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER)", "-c",
                       "INSERT INTO m VALUES ('2024-01-01 00:00:00','a',1.5,0),('2024-01-01 00:01:00','b',2.5,0)",
                       "-c", "INSERT INTO m VALUES ('2024-01-01 00:02:00','a',3.5,0)"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(DotCommandTest, DescribeListsColumnsAndHistoryListsVersionsNewestFirst) {
  CreateTable();
  RunOutput d = Run({"x.db", "--mode", "csv", "-c", ".describe m"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_NE(d.out.find("ts,"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("quality,"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("TIMESTAMP"), std::string::npos) << d.out;

  RunOutput h = Run({"x.db", "--mode", "csv", "--no-header", "-c", ".history m"});
  ASSERT_EQ(h.exit_code, 0) << h.err;
  std::vector<std::string> rows = Lines(h.out);
  ASSERT_EQ(rows.size(), 3u) << h.out;
  EXPECT_EQ(rows[0].substr(0, 2), "2,");
  EXPECT_NE(rows[0].find("WRITE"), std::string::npos);
  EXPECT_EQ(rows[2].substr(0, 2), "0,");
  EXPECT_NE(rows[2].find("CREATE TABLE"), std::string::npos);

  RunOutput newest = Run({"x.db", "--mode", "csv", "--no-header", "-c", ".history m 1"});
  EXPECT_EQ(Lines(newest.out).size(), 1u) << newest.out;

  RunOutput missing = Run({"x.db", "-c", ".history nosuch"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nosuch"), std::string::npos) << missing.err;
  EXPECT_EQ(Run({"x.db", "-c", ".describe"}).exit_code, 1);
}

TEST_F(DotCommandTest, StatsCountsVersionsSegmentsRowsAndBytes) {
  CreateTable();
  RunOutput s = Run({"x.db", "--mode", "json", "-c", ".stats m"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  // One JSON row; check every field against what the table really holds.
  auto field = [&](const std::string& name) {
    size_t at = s.out.find("\"" + name + "\":");
    EXPECT_NE(at, std::string::npos) << name << " in " << s.out;
    return at == std::string::npos ? std::string() : s.out.substr(at + name.size() + 3, s.out.find_first_of(",}", at) - at - name.size() - 3);
  };
  EXPECT_EQ(field("table_name"), "\"m\"");
  EXPECT_EQ(field("version"), "2");
  EXPECT_EQ(field("versions"), "3");
  EXPECT_EQ(field("partitions"), "1");
  EXPECT_EQ(field("rows"), "3");
  int64_t segments = std::stoll(field("segments"));
  EXPECT_GE(segments, 2);  // one per INSERT
  // Bytes are the live segment files' sizes, i.e. what the table directory
  // holds outside its log (nothing was removed, so every file is live).
  int64_t on_disk = 0, files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir_ / "x.db" / "m")) {
    if (!e.is_regular_file() || e.path().string().find("_log") != std::string::npos) continue;
    on_disk += static_cast<int64_t>(e.file_size());
    ++files;
  }
  EXPECT_EQ(files, segments);
  EXPECT_EQ(std::stoll(field("bytes")), on_disk);
  EXPECT_NEAR(std::stod(field("bytes_per_point")), on_disk / 3.0, 0.01);

  ASSERT_EQ(Run({"x.db", "-c", "CREATE TABLE empty (v BIGINT)"}).exit_code, 0);
  RunOutput all = Run({"x.db", "--mode", "csv", "--no-header", "-c", ".stats"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  std::vector<std::string> rows = Lines(all.out);
  ASSERT_EQ(rows.size(), 2u) << all.out;
  EXPECT_EQ(rows[0], "empty,0,1,0,0,0,0,") << "an empty table has no bytes per point";
  EXPECT_EQ(rows[1].substr(0, 2), "m,");

  RunOutput missing = Run({"x.db", "-c", ".stats nosuch"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nosuch"), std::string::npos) << missing.err;
}

TEST_F(DotCommandTest, ImportAppendsAFileThroughCopy) {
  CreateTable();
  std::ofstream(Path("more.csv")) << "ts,tag,value,quality\n2024-01-02 00:00:00,c,9.5,192\n"
                                     "2024-01-02 00:00:01,c,9.75,192\n";
  std::ofstream(Path("more.tsv")) << "ts\ttag\tvalue\tquality\n2024-01-03 00:00:00\td\t1\t0\n";
  std::ofstream(Path("bad.csv")) << "ts,tag,value,quality\n2024-01-02 00:00:00,c,oops,192\n";
  RunOutput r = Run({"x.db", "--mode", "csv", "-c", ".import more.csv m", "-c", ".import more.tsv m",
                     "-c", "SELECT count(*) AS n, sum(value) AS s FROM m WHERE tag IN ('c', 'd')"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("n,s\n3,20.25\n"), std::string::npos) << r.out;

  RunOutput bad = Run({"x.db", "-c", ".import bad.csv m"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("oops"), std::string::npos) << bad.err;
  RunOutput format = Run({"x.db", "-c", ".import more.csv m --format orc"});
  EXPECT_EQ(format.exit_code, 1);
  EXPECT_NE(format.err.find("orc"), std::string::npos) << format.err;
  EXPECT_EQ(Run({"x.db", "-c", ".import more.csv"}).exit_code, 1);
}

TEST_F(DotCommandTest, OutputAndOnceRedirectResults) {
  RunOutput r = Run({"--mode", "csv", "--no-header", "-c", ".output all.txt", "-c", "SELECT 1",
                     "-c", "SELECT 2", "-c", ".output", "-c", "SELECT 3", "-c", ".once one.txt",
                     "-c", "SELECT 4", "-c", "SELECT 5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "3\n5\n");
  EXPECT_EQ(ReadFileText(dir_ / "all.txt"), "1\n2\n");
  EXPECT_EQ(ReadFileText(dir_ / "one.txt"), "4\n");
  RunOutput bad = Run({"-c", ".output /nonexistent/dir/x.txt"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("/nonexistent/dir/x.txt"), std::string::npos) << bad.err;
}

TEST_F(DotCommandTest, InitFileAndTslakercRunFirst) {
  std::ofstream(Path("init.sql")) << ".mode csv\n.headers off\nCREATE TABLE t (v BIGINT);\n";
  RunOutput r = Run({"--init", "init.sql", "-c", "INSERT INTO t VALUES (7)", "-c", "SELECT v FROM t"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\n7\n");

  RunOutput missing = Run({"--init", "absent.sql", "-c", "SELECT 1"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("absent.sql"), std::string::npos) << missing.err;
  EXPECT_EQ(Run({"--init"}).exit_code, 2) << "a missing option value is a usage error";

  // ~/.tslakerc runs when present, and --init replaces it.
  std::filesystem::create_directories(dir_ / "home");
  std::ofstream(dir_ / "home" / ".tslakerc") << ".mode jsonl\n";
  const char* old_home = std::getenv("HOME");
  std::string saved = old_home ? old_home : "";
  setenv("HOME", (dir_ / "home").c_str(), 1);
  RunOutput rc = Run({"-c", "SELECT 1 AS one"});
  RunOutput replaced = Run({"--init", "init.sql", "-c", "SELECT 1 AS one"});
  if (old_home) setenv("HOME", saved.c_str(), 1); else unsetenv("HOME");
  EXPECT_EQ(rc.out, "{\"one\":1}\n");
  EXPECT_EQ(replaced.out, "1\n");
}

TEST_F(DotCommandTest, PlotDrawsBrailleWithAxesLegendAndFitsTheSize) {
  // Two tags, 2,000 points each: a rising and a falling line.
  std::string sql = "CREATE TABLE p (ts TIMESTAMP, tag VARCHAR, value DOUBLE);";
  std::ofstream csv(Path("p.csv"));
  csv << "ts,tag,value\n";
  for (int i = 0; i < 2000; ++i) {
    char ts[32];
    std::snprintf(ts, sizeof ts, "2024-01-01 %02d:%02d:%02d", i / 3600, (i / 60) % 60, i % 60);
    csv << ts << ",up," << i << '\n' << ts << ",down," << 2000 - i << '\n';
  }
  csv.close();
  ASSERT_EQ(Run({"x.db", "-c", sql, "-c", "COPY p FROM 'p.csv' (HEADER true)"}).exit_code, 0);
  RunOutput r = Run({"x.db", "-c", ".plot --width 70 --height 14 SELECT * FROM p"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> lines = Lines(r.out);
  EXPECT_EQ(lines.size(), 14u) << r.out;
  for (const std::string& line : lines) EXPECT_LE(Utf8Width(line), 70u) << line;
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << "no colour codes into a pipe";
  EXPECT_NE(r.out.find("2000 ┤"), std::string::npos) << r.out;  // y max, labelled
  EXPECT_NE(r.out.find("   0 ┤"), std::string::npos) << r.out;  // y min
  EXPECT_NE(r.out.find("00:00:00"), std::string::npos) << r.out;   // first x label
  EXPECT_NE(r.out.find("00:33:19"), std::string::npos) << r.out;   // last x label
  EXPECT_NE(r.out.find("━━ up"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("━━ down"), std::string::npos) << r.out;
  // The rising line starts bottom left, the falling one top left: both
  // the first and the last plot row (above axis, ticks and legend) have
  // dots in their first cell.
  const std::string& bottom = lines[lines.size() - 4];
  EXPECT_EQ(lines.front().substr(lines.front().find("┤") + 3, 1), "\xE2") << r.out;
  EXPECT_EQ(bottom.substr(bottom.find("┤") + 3, 1), "\xE2") << r.out;

  // Numeric columns become series when there is no tag column; .plot
  // alone charts the last result.
  RunOutput cols = Run({"x.db", "-c", "SELECT ts, value, value * 2 AS doubled FROM p WHERE tag = 'up'",
                        "-c", ".plot --width 60 --height 10"});
  ASSERT_EQ(cols.exit_code, 0) << cols.err;
  EXPECT_NE(cols.out.find("━━ value   ━━ doubled"), std::string::npos) << cols.out;

  RunOutput svg = Run({"x.db", "-c", ".plot --svg chart.svg SELECT * FROM p"});
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
  EXPECT_NE(svg.out.find("2 series (4000 points) to chart.svg"), std::string::npos) << svg.out;
  std::string doc = ReadFileText(dir_ / "chart.svg");
  EXPECT_EQ(doc.rfind("<?xml", 0), 0u);
  EXPECT_NE(doc.find("<svg"), std::string::npos);
  EXPECT_EQ(Count(doc, "<polyline fill=\"none\" stroke-width=\"1.5\""), 2u) << "one line per tag";
  EXPECT_NE(doc.find(">up</text>"), std::string::npos);
  EXPECT_NE(doc.find(">down</text>"), std::string::npos);
  EXPECT_NE(doc.find("</svg>"), std::string::npos);
}

TEST_F(DotCommandTest, PlotExplainsWhatItCannotDraw) {
  RunOutput none = Run({"-c", ".plot"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no result to plot"), std::string::npos) << none.err;
  RunOutput no_time = Run({"-c", ".plot SELECT 1 AS a, 'x' AS b"});
  EXPECT_EQ(no_time.exit_code, 1);
  EXPECT_NE(no_time.err.find("needs a TIMESTAMP column"), std::string::npos) << no_time.err;
  EXPECT_NE(no_time.err.find("a int"), std::string::npos) << "names the columns it has: " << no_time.err;
  RunOutput bad = Run({"-c", ".plot --width wide SELECT 1"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("--width"), std::string::npos) << bad.err;
  RunOutput sql_error = Run({"-c", ".plot SELECT nope"});
  EXPECT_EQ(sql_error.exit_code, 1);
  EXPECT_NE(sql_error.err.find("nope"), std::string::npos) << sql_error.err;
}

TEST_F(DotCommandTest, PlotKeepsEightTagsAndSaysSo) {
  std::string values;
  for (int t = 0; t < 10; ++t) {
    for (int i = 0; i < 3; ++i) {
      if (!values.empty()) values += ",";
      values += "('2024-01-01 00:00:0" + std::to_string(i) + "','t" + std::to_string(t) + "'," +
                std::to_string(t * 10 + i) + ")";
    }
  }
  RunOutput r = Run({"-c", "CREATE TABLE p (ts TIMESTAMP, tag VARCHAR, value DOUBLE)", "-c",
                     "INSERT INTO p VALUES " + values, "-c", ".plot --width 100 SELECT * FROM p"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Count(r.out, "━━ "), 8u) << r.out;
  EXPECT_NE(r.out.find("10 distinct tag values; the first 8 are drawn"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace tslake::testing
