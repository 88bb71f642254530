// The shell prints streamed results (issue 22 "Large results"): row modes
// write rows while the query runs, so `| head -1` ends a huge query at
// once and quietly (SIGPIPE, or EPIPE when SIGPIPE is ignored); an error
// raised mid-stream still fails the run; box mode keeps only the rows it
// shows; .plot charts a streamed result. And the renderer's two rules:
// EXPLAIN lines are never cut, wide characters align grid borders.
#include <chrono>
#include <cstdio>
#include <string>

#include "shell/cli/display_width.h"
#include "tests/shell/shell_test_util.h"

namespace tslake::testing {
namespace {

class StreamingOutputTest : public ShellTest {
 protected:
  // Runs a bash pipeline in dir_ ($T is the tslake binary); its stdout and
  // stderr together, and the seconds it took.
  std::string Pipeline(const std::string& script, double* seconds) {
    const std::string binary = TSLAKE_BINARY_DIR "/tslake";
    std::string quoted;  // `script` inside single quotes
    for (char c : script) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    std::string cmd = "cd '" + dir_.string() + "' && T='" + binary + "' bash -c '" + quoted + "' 2>&1";
    auto start = std::chrono::steady_clock::now();
    FILE* p = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
  }
};

// Ten million million rows: only a streaming shell ever prints one.
constexpr const char* kEndless = "SELECT range AS i, range * 2 AS j FROM range(10000000000000)";

TEST_F(StreamingOutputTest, HeadOfAnEndlessCsvQueryEndsAtOnce) {
  double seconds = 0;
  std::string out = Pipeline(std::string("$T :memory: --mode csv -c \"") + kEndless +
                                 "\" | head -2; echo \"status ${PIPESTATUS[0]}\"",
                             &seconds);
  // SIGPIPE killed it (141) quietly: nothing on stderr.
  EXPECT_EQ(out, "i,j\n0,0\nstatus 141\n");
  EXPECT_LT(seconds, 30);
}

TEST_F(StreamingOutputTest, EpipeWithSigpipeIgnoredEndsTheQueryQuietly) {
  double seconds = 0;
  for (const char* mode : {"csv", "jsonl", "json", "line", "list", "tsv", "html"}) {
    std::string out = Pipeline(std::string("trap \"\" PIPE; $T :memory: --mode ") + mode + " -c \"" +
                                   kEndless + "\" | head -c 10 > /dev/null; echo \"status ${PIPESTATUS[0]}\"",
                               &seconds);
    EXPECT_EQ(out, "status 1\n") << mode;  // no "Broken pipe" message
    EXPECT_LT(seconds, 30) << mode;
  }
}

TEST_F(StreamingOutputTest, AnErrorMidStreamFailsTheRunAfterTheRowsBeforeIt) {
  RunOutput r = Run({":memory:", "--mode", "csv", "-c",
                     "SELECT CAST(CASE WHEN range < 5000 THEN '1' ELSE 'x' END AS INTEGER) AS n "
                     "FROM range(10000)"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("n\n1\n1\n", 0), 0u) << r.out.substr(0, 40);
  EXPECT_NE(r.err.find("Conversion Error"), std::string::npos) << r.err;
}

TEST_F(StreamingOutputTest, RowModesPrintWhatTheWholeResultWould) {
  // Several chunks (2048 rows each), and the empty result.
  const std::string sql =
      "SELECT range AS i, 'v' || range AS s, CASE WHEN range % 3 = 0 THEN NULL ELSE range * 0.5 END AS d "
      "FROM range(5000)";
  for (const char* mode : {"csv", "tsv", "json", "jsonl", "line", "list", "html"}) {
    RunOutput r = Run({":memory:", "--mode", mode, "-c", sql});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    size_t lines = 0;
    for (char c : r.out) lines += c == '\n';
    EXPECT_GE(lines, 5000u) << mode;
    RunOutput empty = Run({":memory:", "--mode", mode, "-c", "SELECT 1 AS a WHERE false"});
    ASSERT_EQ(empty.exit_code, 0) << empty.err;
    if (std::string(mode) == "json") {
      EXPECT_EQ(empty.out, "[]\n");
    }
    if (std::string(mode) == "csv") {
      EXPECT_EQ(empty.out, "a\n");
    }
  }
  RunOutput json = Run({":memory:", "--mode", "json", "-c", "SELECT range AS i FROM range(2050)"});
  EXPECT_EQ(json.out.substr(0, 18), "[{\"i\":0},\n{\"i\":1},");
  EXPECT_NE(json.out.find("{\"i\":2047},\n{\"i\":2048},\n{\"i\":2049}]\n"), std::string::npos);
  RunOutput line = Run({":memory:", "--mode", "line", "-c", "SELECT range AS i FROM range(2050)"});
  EXPECT_NE(line.out.find("i = 2047\n\ni = 2048\n"), std::string::npos);
}

TEST_F(StreamingOutputTest, BoxKeepsOnlyTheRowsItShows) {
  // Ten million rows in box mode under a 512 MiB address-space limit: the
  // whole result does not fit (main before streaming failed here with "Out
  // of Memory Error"); the head and tail shown need little.
  double seconds = 0;
#if defined(__SANITIZE_ADDRESS__)
  // ASan reserves terabytes of shadow address space, so no ulimit -v under
  // it: the head and tail are checked here, the limit in the Release build.
  const std::string limit;
#else
  const std::string limit = "ulimit -v 524288; ";
#endif
  std::string out = Pipeline(
      limit + "printf \".maxrows 6\\nSELECT range AS i, 'some text ' || range AS s "
      "FROM range(10000000);\\n\" | $T :memory:; echo \"status $?\"",
      &seconds);
  EXPECT_NE(out.find("│       0 │ some text 0       │\n"), std::string::npos) << out;
  EXPECT_NE(out.find("│ 9999999 │ some text 9999999 │\n"), std::string::npos) << out;
  EXPECT_NE(out.find("│ 10000000 rows (6 shown)     │"), std::string::npos) << out;
  EXPECT_NE(out.find("status 0\n"), std::string::npos) << out;
}

TEST_F(StreamingOutputTest, PlotChartsAStreamedResult) {
  RunOutput r = Run({":memory:"},
                    "SELECT TIMESTAMP '2024-01-01' + to_seconds(range) AS ts, sin(range / 100.0) AS v "
                    "FROM range(5000);\n.plot --svg chart.svg\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Wrote a chart of 1 series (5000 points)"), std::string::npos) << r.out;
}

TEST_F(StreamingOutputTest, ExplainAnalyzeLinesAreNeverCut) {
  const std::string sql =
      "CREATE TABLE t AS SELECT range AS i, range * 1.5 AS v FROM range(100);\n"
      "EXPLAIN ANALYZE SELECT i, v, i * 2 + v * 3 - i / 4 AS some_long_expression_name, "
      "v * v * v * v + i * i * i AS another_really_long_expression FROM t "
      "WHERE i > 5 AND v < 1000 AND i % 3 = 1;\n";
  for (const char* mode : {"box", "table", "markdown"}) {
    for (const char* width : {"0", "40", "120"}) {
      RunOutput r = Run({":memory:"}, std::string(".mode ") + mode + "\n.maxwidth " + width + "\n" + sql);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      size_t longest = 0, start = 0;
      while (start < r.out.size()) {
        size_t end = r.out.find('\n', start);
        longest = std::max(longest, end - start);
        start = end + 1;
      }
      EXPECT_GT(longest, 200u) << mode << " " << width << "\n" << r.out;
      EXPECT_NE(r.out.find("segments_total=1"), std::string::npos) << r.out;
      EXPECT_EQ(r.out.find("…"), std::string::npos) << r.out;
    }
  }
}

// Every line of a grid has the same display width: the borders align.
void ExpectAligned(const std::string& out, const std::string& what) {
  size_t width = std::string::npos, start = 0;
  while (start < out.size()) {
    size_t end = out.find('\n', start);
    std::string line = out.substr(start, end - start);
    size_t w = cli::DisplayWidth(line);
    if (width == std::string::npos) width = w;
    EXPECT_EQ(w, width) << what << ": \"" << line << "\"\n" << out;
    start = end + 1;
  }
}

TEST_F(StreamingOutputTest, WideCharactersAlignGridBorders) {
  const std::string sql =
      "SELECT 'héllo wörld 温度 ✓' AS u, 'e\u0301x' AS combining, '👍🏽 ok' AS skin, "
      "'❤️ love' AS vs16, '👨‍👩‍👧 fam' AS zwj, '🇯🇵 jp' AS flag, 'ｆｕｌｌ' AS fw "
      "UNION ALL SELECT 'a', 'b', 'c', 'd', 'e', 'f', 'g';\n";
  for (const char* mode : {"box", "table", "markdown"}) {
    RunOutput r = Run({":memory:"}, std::string(".mode ") + mode + "\n.maxwidth 0\n" + sql);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ExpectAligned(r.out, mode);
  }
}

TEST(DisplayWidthTest, GraphemeClustersTakeTheWidthTerminalsDraw) {
  using cli::DisplayWidth;
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("温度"), 4u);
  EXPECT_EQ(DisplayWidth("e\u0301"), 1u);                 // combining acute
  EXPECT_EQ(DisplayWidth("👍🏽"), 2u);                     // skin tone modifier
  EXPECT_EQ(DisplayWidth("❤️"), 2u);                      // U+2764 + VS16: emoji presentation
  EXPECT_EQ(DisplayWidth("❤"), 1u);                       // text presentation
  EXPECT_EQ(DisplayWidth("👨‍👩‍👧"), 2u);                     // ZWJ sequence: one glyph
  EXPECT_EQ(DisplayWidth("🇯🇵"), 2u);                     // regional indicator pair
  EXPECT_EQ(DisplayWidth("ｆｕｌｌ"), 8u);                 // fullwidth forms
  EXPECT_EQ(DisplayWidth("a\u200bb"), 2u);               // zero width space
  // A cut never splits a cluster.
  size_t w = 0;
  std::string fam = "👨‍👩‍👧x";
  size_t cut = cli::PrefixWithinWidth(fam, 2, &w);
  EXPECT_EQ(fam.substr(0, cut), "👨‍👩‍👧");
  EXPECT_EQ(w, 2u);
}

}  // namespace
}  // namespace tslake::testing
