// The interactive shell as a person sees it: the real tslake binary runs in
// a tmux pane (its own tmux server socket), keys are typed with send-keys
// and the screen is read back with capture-pane. Covers a multi-line
// query in box output, Tab completion of a table and of a column,
// `.timer on`, Ctrl-C cancelling a long query with the shell still usable,
// `.history t` listing versions and `.plot` drawing a chart with axes and
// a legend, the progress line of a long query, and a resize between two
// queries changing the box width. Skipped only when tmux is not installed (`./run test` installs
// it).
//
// The long query reads an endless CSV stream: read_csv over a FIFO that a
// test thread keeps feeding, so it runs until Ctrl-C however fast the
// build and the machine are.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <chrono>
#include <thread>
#include <vector>

#include "shell/cli/display_width.h"
#include "tests/shell/shell_test_util.h"

namespace tslake::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Runs argv (no shell), returning its exit code and, when `out` is given,
// its stdout. Without `out` stdout is /dev/null: a tmux server started by
// the command must not hold our pipe open.
int RunProgram(const std::vector<std::string>& args, std::string* out = nullptr) {
  int pipe_fds[2] = {-1, -1};
  if (out && pipe(pipe_fds) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (out) {
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  }
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (out) {
    close(pipe_fds[1]);
    std::string text;
    char buf[4096];
    ssize_t n;
    while (rc == 0 && (n = read(pipe_fds[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
    close(pipe_fds[0]);
    *out = text;
  }
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

bool HaveTmux() { return RunProgram({"tmux", "-V"}) == 0; }

class TerminalTest : public ShellTest {
 protected:
  void SetUp() override {
    ShellTest::SetUp();
    if (!HaveTmux()) GTEST_SKIP() << "tmux is not installed (./run test installs it)";
    socket_ = "tslake_terminal_test_" + std::to_string(getpid());
  }
  void TearDown() override {
    if (!socket_.empty()) RunProgram({"tmux", "-L", socket_, "kill-server"});
    stop_feeding_ = true;
    if (feeder_.joinable()) feeder_.join();
    ShellTest::TearDown();
  }

  // Makes `name` a FIFO and feeds it CSV rows (5,000 every 20 ms) from a
  // thread until its reader closes it or the test ends.
  void StartStream(const std::string& name) {
    std::string path = Path(name);
    ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
    signal(SIGPIPE, SIG_IGN);
    feeder_ = std::thread([this, path] {
      int fd = -1;
      while (!stop_feeding_ && (fd = open(path.c_str(), O_WRONLY | O_NONBLOCK)) < 0)
        std::this_thread::sleep_for(milliseconds(20));  // ENXIO until the query opens it
      if (fd < 0) return;
      std::string block = "ts,tag,value\n";
      for (int i = 0; i < 5000; ++i) block += "2024-01-01 00:00:00,a," + std::to_string(i) + "\n";
      size_t offset = 0;
      while (!stop_feeding_) {
        ssize_t n = write(fd, block.data() + offset, block.size() - offset);
        if (n < 0 && errno != EAGAIN) break;  // EPIPE: the query was cancelled
        if (n > 0) offset += static_cast<size_t>(n);
        if (offset == block.size()) {
          block.erase(0, block.find('\n') + 1);  // the header only once
          offset = 0;
          std::this_thread::sleep_for(milliseconds(20));
        } else if (n < 0) {
          std::this_thread::sleep_for(milliseconds(5));
        }
      }
      close(fd);
    });
  }

  void Start() {
    const std::string binary = TSLAKE_BINARY_DIR "/tslake";
    std::string command = "cd '" + dir_.string() + "' && HOME='" + dir_.string() +
                          "' TERM=screen exec " + TestEmulator() + " '" + binary + "' x.db";
    ASSERT_EQ(RunProgram({"tmux", "-L", socket_, "-f", "/dev/null", "new-session", "-d", "-x",
                          "110", "-y", "45", "-s", "t", command}),
              0);
    ASSERT_TRUE(WaitFor("tslake> ")) << Screen();
  }

  // Types `keys` (tmux key names such as Enter, Tab, C-c, or literal text
  // with -l).
  void Keys(const std::vector<std::string>& keys) {
    std::vector<std::string> args = {"tmux", "-L", socket_, "send-keys", "-t", "t"};
    args.insert(args.end(), keys.begin(), keys.end());
    ASSERT_EQ(RunProgram(args), 0);
  }
  // Literal text. tmux takes an argument ending in ';' as a command
  // separator, so each ';' goes as its hex code.
  void Type(const std::string& text) {
    size_t start = 0;
    while (start < text.size()) {
      size_t semi = text.find(';', start);
      if (semi != start) Keys({"-l", text.substr(start, semi - start)});
      if (semi == std::string::npos) break;
      Keys({"-H", "3b"});
      start = semi + 1;
    }
  }
  void Line(const std::string& text) {
    Type(text);
    Keys({"Enter"});
  }

  // The pane's visible screen and its scrollback, wrapped lines joined.
  std::string Screen() {
    std::string out;
    RunProgram({"tmux", "-L", socket_, "capture-pane", "-p", "-J", "-t", "t", "-S", "-"}, &out);
    return out;
  }
  // Empties the screen and scrollback so the next assertions see only new
  // output (readline redraws the prompt on C-l).
  void ClearScreen() {
    Keys({"C-l"});
    std::this_thread::sleep_for(milliseconds(100));
    RunProgram({"tmux", "-L", socket_, "clear-history", "-t", "t"});
  }

  bool WaitFor(const std::string& needle, int seconds = 20) {
    auto deadline = steady_clock::now() + std::chrono::seconds(seconds);
    while (steady_clock::now() < deadline) {
      if (Screen().find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(milliseconds(100));
    }
    return false;
  }

  // Loads `sensors` (3 tags x 300 points, then one more row: versions 0
  // to 2) and an empty `other` table whose columns completion must not offer.
  void CreateData() {
    ASSERT_EQ(Run({"generate", "--tags", "3", "--points", "300", "--out", "sensors.csv"}).exit_code, 0);
    RunOutput r = Run({"x.db", "--bail", "-c",
                       "CREATE TABLE sensors (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER)",
                       "-c", "COPY sensors FROM 'sensors.csv' (HEADER true)", "-c",
                       "INSERT INTO sensors VALUES ('2030-01-01 00:00:00', 'late', 1.0, 0)", "-c",
                       "CREATE TABLE other (ts TIMESTAMP, quantity DOUBLE)"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  std::string socket_;
  std::thread feeder_;
  std::atomic<bool> stop_feeding_{false};
};

TEST_F(TerminalTest, InteractiveSessionCompletesCancelsTimesAndPlots) {
  CreateData();
  Start();

  // A query typed over three lines: continuation prompts, then box output.
  Line("SELECT tag,");
  ASSERT_TRUE(WaitFor("   ...> ")) << Screen();
  Line("  count(*) AS n");
  Line("FROM sensors WHERE tag <> 'late' GROUP BY tag ORDER BY tag;");
  ASSERT_TRUE(WaitFor("└")) << Screen();
  std::string screen = Screen();
  EXPECT_NE(screen.find("┌"), std::string::npos) << screen;
  EXPECT_NE(screen.find("│   n   │"), std::string::npos) << screen;
  EXPECT_NE(screen.find("│ int64 │"), std::string::npos) << screen;
  EXPECT_EQ(Count(screen, "│   300 │"), 3u) << screen;

  // Tab completes a table name, and a column of the table in the statement.
  ClearScreen();
  Type("SELECT count(*) FROM sens");
  Keys({"Tab"});
  ASSERT_TRUE(WaitFor("FROM sensors")) << Screen();
  Type("WHERE qua");  // quality; quantity is a column of another table
  Keys({"Tab"});
  ASSERT_TRUE(WaitFor("WHERE quality")) << Screen();
  Line("IS NOT NULL;");
  ASSERT_TRUE(WaitFor("│          901 │")) << Screen();
  // A function name comes from the engine's list (Database::ListFunctions).
  ClearScreen();
  Type("SELECT levensh");
  Keys({"Tab"});
  ASSERT_TRUE(WaitFor("SELECT levenshtein")) << Screen();
  Line("('kitten', 'sitting') AS d;");
  ASSERT_TRUE(WaitFor("│     3 │")) << Screen();

  // .timer on prints the run time after each statement.
  ClearScreen();
  Line(".timer on");
  Line("SELECT max(value) AS top FROM sensors;");
  ASSERT_TRUE(WaitFor("Run Time: real ")) << Screen();

  // Ctrl-C stops a query that would run forever; the shell goes on.
  ClearScreen();
  StartStream("stream.csv");
  Line("SELECT count(*) FROM read_csv('stream.csv', allow_special_files => true) WHERE value > 1e12;");
  std::this_thread::sleep_for(milliseconds(2000));
  EXPECT_EQ(Screen().find("Run Time"), std::string::npos) << "the long query ended by itself";
  auto interrupted_at = steady_clock::now();
  Keys({"C-c"});
  ASSERT_TRUE(WaitFor("Interrupt")) << Screen();
  EXPECT_LT(steady_clock::now() - interrupted_at, std::chrono::seconds(10));
  Line("SELECT 6 * 7 AS answer;");
  ASSERT_TRUE(WaitFor("│     42 │")) << Screen();

  // .history lists the versions, newest first.
  ClearScreen();
  Line(".timer off");
  Line(".history sensors");
  ASSERT_TRUE(WaitFor("CREATE TABLE")) << Screen();
  screen = Screen();
  EXPECT_NE(screen.find("WRITE"), std::string::npos) << screen;
  EXPECT_NE(screen.find("COPY"), std::string::npos) << screen;
  EXPECT_LT(screen.find("WRITE"), screen.find("COPY")) << screen;
  EXPECT_LT(screen.find("COPY"), screen.find("CREATE TABLE")) << screen;

  // .plot draws the query's series as braille with axes and a legend.
  ClearScreen();
  Line(".plot SELECT ts, tag, value FROM sensors WHERE tag <> 'late'");
  ASSERT_TRUE(WaitFor("x: ts (UTC)")) << Screen();
  screen = Screen();
  EXPECT_NE(screen.find("┤"), std::string::npos) << screen;   // y axis with labels
  EXPECT_NE(screen.find("└"), std::string::npos) << screen;   // x axis
  EXPECT_NE(screen.find("┬"), std::string::npos) << screen;   // x ticks
  size_t braille = 0;
  for (size_t i = 0; i + 2 < screen.size(); ++i) {
    // U+2801..U+28FF is E2 A0 81 .. E2 A3 BF in UTF-8.
    if (static_cast<unsigned char>(screen[i]) == 0xE2 &&
        (static_cast<unsigned char>(screen[i + 1]) & 0xFC) == 0xA0)
      ++braille;
  }
  EXPECT_GT(braille, 50u) << screen;
  size_t legend = screen.find("━━ ");
  ASSERT_NE(legend, std::string::npos) << screen;
  std::string legend_line = screen.substr(legend, screen.find('\n', legend) - legend);
  std::string tags_csv = Run({"x.db", "--mode", "csv", "--no-header", "-c",
                              "SELECT DISTINCT tag FROM sensors WHERE tag <> 'late' ORDER BY tag"}).out;
  std::istringstream tags(tags_csv);
  std::string tag;
  int tag_count = 0;
  while (std::getline(tags, tag)) {
    EXPECT_NE(legend_line.find("━━ " + tag), std::string::npos) << legend_line;
    ++tag_count;
  }
  EXPECT_EQ(tag_count, 3);

  // Ctrl-D leaves the shell.
  Keys({"C-d"});
  auto deadline = steady_clock::now() + std::chrono::seconds(10);
  while (steady_clock::now() < deadline &&
         RunProgram({"tmux", "-L", socket_, "has-session", "-t", "t"}) == 0)
    std::this_thread::sleep_for(milliseconds(100));
  EXPECT_NE(RunProgram({"tmux", "-L", socket_, "has-session", "-t", "t"}), 0) << "the shell did not exit";
}

// Issue 22's blocker: a dot command's output must be on screen before the
// next prompt, not held back until the next query prints. After `.open` of
// an empty in-memory database `.tables` must show nothing of x.db's tables.
TEST_F(TerminalTest, DotCommandOutputIsVisibleBeforeTheNextPrompt) {
  CreateData();
  Start();
  ClearScreen();
  Line(".version");
  ASSERT_TRUE(WaitFor("tslake 0.1", 5)) << Screen();
  ClearScreen();
  Line(".tables");
  ASSERT_TRUE(WaitFor("sensors", 5)) << Screen();
  EXPECT_NE(Screen().find("other"), std::string::npos) << Screen();
  ClearScreen();
  Line(".schema sensors");
  ASSERT_TRUE(WaitFor("CREATE TABLE sensors", 5)) << Screen();
  // A fresh in-memory database has no tables: nothing of x.db's list may
  // appear, neither now nor above the next query's result.
  ClearScreen();
  Line(".open :memory:");
  Line(".tables");
  Line("SELECT 'mem' AS m;");
  ASSERT_TRUE(WaitFor("│ mem ", 5)) << Screen();
  EXPECT_EQ(Screen().find("sensors"), std::string::npos) << Screen();
}

// Every dot command that prints: its text is on screen, above a fresh
// prompt, before anything else is typed (issue 22's blocker, per command).
TEST_F(TerminalTest, EveryDotCommandsOutputIsOnScreenBeforeTheNextPrompt) {
  CreateData();
  {
    std::ofstream script(Path("script.sql"));
    script << "SELECT 'from the script' AS s;\n";
  }
  Start();
  const std::vector<std::pair<std::string, std::string>> commands = {
      {".help", ".version"},
      {".version", "tslake 0.1"},
      {".tables", "sensors"},
      {".schema sensors", "CREATE TABLE sensors"},
      {".describe sensors", "quality"},
      {".history sensors", "COPY"},
      {".stats sensors", "bytes_per_point"},
      {".mode", "current output mode: box"},
      {".print hello  terminal", "hello terminal"},
      {".dump other", "CREATE TABLE other"},
      {".shell echo from-the-shell", "from-the-shell"},
      {".read script.sql", "from the script"},
      {".import sensors.csv imported", ""},  // CREATE TABLE AS: silent, as sqlite3's
      {"SELECT count(*) AS imported_rows FROM imported;", "900"},
      {".plot --svg chart.svg SELECT ts, tag, value FROM sensors WHERE tag <> 'late'", "Wrote a chart"},
      {".changes on", ""},
      {"INSERT INTO other VALUES ('2024-01-01', 1.0);", "changes: 1"},
  };
  for (const auto& [command, expected] : commands) {
    ClearScreen();
    Line(command);
    if (expected.empty()) continue;
    ASSERT_TRUE(WaitFor(expected, 5)) << command << ":\n" << Screen();
    // The prompt after it: the output is not waiting for the next command.
    std::string screen = Screen();
    ASSERT_TRUE(WaitFor("tslake> ", 5)) << command << ":\n" << screen;
    auto deadline = steady_clock::now() + std::chrono::seconds(5);
    while (steady_clock::now() < deadline) {
      screen = Screen();
      size_t at = screen.find(expected);
      size_t prompt = screen.rfind("tslake> ");
      if (at != std::string::npos && prompt != std::string::npos && prompt > at) break;
      std::this_thread::sleep_for(milliseconds(100));
    }
    EXPECT_GT(screen.rfind("tslake> "), screen.find(expected)) << command << ":\n" << screen;
  }
}

// Tab after .mode offers every output mode (issue 22): a unique prefix
// completes (`.mode htm` -> html, `.mode colu` -> column), and the mode
// then applies; a bare .mode names it.
TEST_F(TerminalTest, ModeArgumentCompletesEveryOutputMode) {
  Start();
  ClearScreen();
  Type(".mode htm");
  Keys({"Tab"});
  ASSERT_TRUE(WaitFor(".mode html")) << Screen();
  Keys({"Enter"});
  Line("SELECT 1 AS a;");
  ASSERT_TRUE(WaitFor("<TR><TD>1</TD>")) << Screen();
  ClearScreen();
  Type(".mode colu");
  Keys({"Tab"});
  ASSERT_TRUE(WaitFor(".mode column")) << Screen();
  Keys({"Enter"});
  Line(".mode");
  ASSERT_TRUE(WaitFor("current output mode: column")) << Screen();
}


// Display columns of a UTF-8 line (box drawing characters are one column).
size_t Columns(const std::string& line) {
  size_t n = 0;
  for (unsigned char c : line) n += (c & 0xC0) != 0x80;
  return n;
}

// The lines of `screen` that start a box (its top border), in order.
std::vector<std::string> TopBorders(const std::string& screen) {
  std::vector<std::string> tops;
  std::istringstream lines(screen);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("┌", 0) == 0) tops.push_back(line);
  }
  return tops;
}

// Issue 22: a statement running over 2 s shows DuckDB's progress line
// (percentage and bar) on the terminal, and it is gone once the statement
// ends. The query would run for hours (a 160K x 160K comparison join), so the
// test does not depend on the machine's speed: it waits for the bar, then
// cancels.
TEST_F(TerminalTest, LongQueryShowsAProgressLineThatIsErasedAtTheEnd) {
  ASSERT_EQ(Run({"generate", "--tags", "8", "--points", "20000", "--out", "big.csv"}).exit_code, 0);
  RunOutput r = Run({"x.db", "-c", "COPY big FROM 'big.csv'"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Start();
  ClearScreen();
  Line("SELECT count(*) FROM big a, big b WHERE a.value < b.value - a.quality;");
  // Nothing before 2 s.
  std::this_thread::sleep_for(milliseconds(1000));
  EXPECT_EQ(Screen().find("▕"), std::string::npos) << Screen();
  ASSERT_TRUE(WaitFor("%", 15)) << Screen();
  ASSERT_TRUE(WaitFor("▕", 5)) << Screen();
  std::string screen = Screen();
  size_t bar = screen.find("▕");
  std::string before = screen.substr(screen.rfind('\n', bar) + 1, bar - screen.rfind('\n', bar) - 1);
  EXPECT_NE(before.find('%'), std::string::npos) << screen;  // " 50% ▕███..."
  EXPECT_NE(screen.find("▏", bar), std::string::npos) << screen;
  Keys({"C-c"});
  ASSERT_TRUE(WaitFor("Interrupt")) << Screen();
  ASSERT_TRUE(WaitFor("tslake> ", 5)) << Screen();
  EXPECT_EQ(Screen().find("▕"), std::string::npos) << "the progress line stayed:\n" << Screen();
  // .progress off: no line at all.
  ClearScreen();
  Line(".progress off");
  Line("SELECT count(*) FROM big a, big b WHERE a.value < b.value - a.quality;");
  std::this_thread::sleep_for(milliseconds(3500));
  EXPECT_EQ(Screen().find("▕"), std::string::npos) << Screen();
  Keys({"C-c"});
  ASSERT_TRUE(WaitFor("Interrupt")) << Screen();
}

// Issue 22: a long COPY shows the progress line too (a file reader counts
// bytes), and it is erased before COPY's row count is printed. The file
// would take a fast machine under a second, so the test lowers DuckDB's
// progress_bar_time instead of depending on the machine's speed; the 2 s
// default is the test above.
TEST_F(TerminalTest, LongCopyShowsAProgressLineThatIsErasedBeforeTheCount) {
  ASSERT_EQ(Run({"generate", "--tags", "20", "--points", "150000", "--out", "big.csv"}).exit_code, 0);
  Start();
  Line("CREATE TABLE big (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER);");
  ASSERT_TRUE(WaitFor("tslake> ", 5)) << Screen();
  Line("SET progress_bar_time = 100;");
  ClearScreen();
  Line("COPY big FROM 'big.csv' (HEADER true);");
  ASSERT_TRUE(WaitFor("▕", 30)) << "no progress line during the COPY:\n" << Screen();
  std::string screen = Screen();
  size_t bar = screen.find("▕");
  std::string before = screen.substr(screen.rfind('\n', bar) + 1, bar - screen.rfind('\n', bar) - 1);
  EXPECT_NE(before.find('%'), std::string::npos) << screen;
  ASSERT_TRUE(WaitFor("3000000", 120)) << Screen();
  ASSERT_TRUE(WaitFor("tslake> ", 5)) << Screen();
  EXPECT_EQ(Screen().find("▕"), std::string::npos) << "the progress line stayed:\n" << Screen();
  // RESET goes back to 2 s: a short COPY draws nothing.
  Line("RESET progress_bar_time;");
  ClearScreen();
  Line("SELECT count(*) FROM big;");
  ASSERT_TRUE(WaitFor("3000000", 30)) << Screen();
  EXPECT_EQ(Screen().find("▕"), std::string::npos) << Screen();
}

// Issue 22: in a real terminal, an EXPLAIN ANALYZE line over 200
// characters is printed whole (the terminal wraps it; nothing is cut), and
// a box holding CJK text and a symbol keeps its right border in one column
// on every line (wide characters measured as the terminal draws them).
TEST_F(TerminalTest, LongPlanLinesAreWholeAndWideTextKeepsBordersAligned) {
  ASSERT_EQ(Run({"generate", "--tags", "4", "--points", "100", "--out", "s.csv"}).exit_code, 0);
  Start();
  Line("CREATE TABLE s (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER);");
  Line("COPY s FROM 's.csv' (HEADER true);");
  ASSERT_TRUE(WaitFor("400", 20)) << Screen();
  const std::string last_tag = "tag_0004_" + std::string(60, 'd');
  ClearScreen();
  Line("EXPLAIN ANALYZE SELECT count(*) FROM s WHERE tag IN ('tag_0001_" + std::string(60, 'a') +
       "', 'tag_0002_" + std::string(60, 'b') + "', '" + last_tag + "') AND value > 1;");
  ASSERT_TRUE(WaitFor("Total Time", 20)) << Screen();
  ASSERT_TRUE(WaitFor("tslake> ", 5)) << Screen();
  std::string screen = Screen();
  size_t filter = screen.find("FILTER");
  ASSERT_NE(filter, std::string::npos) << screen;
  std::string line = screen.substr(filter, screen.find('\n', filter) - filter);
  EXPECT_GT(line.size(), 200u) << line;
  EXPECT_NE(line.find(last_tag), std::string::npos) << "the plan line was cut:\n" << line;
  EXPECT_NE(line.find("rows="), std::string::npos) << "the plan line was cut:\n" << line;

  ClearScreen();
  Line("SELECT 'h\u00e9llo w\u00f6rld \u6e29\u5ea6 \u2713' AS u, 42 AS n;");
  ASSERT_TRUE(WaitFor("\u2518", 10)) << Screen();  // the box's bottom-right corner
  screen = Screen();
  std::vector<std::string> box;
  for (size_t at = 0; at < screen.size();) {
    size_t end = screen.find('\n', at);
    if (end == std::string::npos) end = screen.size();
    std::string row = screen.substr(at, end - at);
    while (!row.empty() && row.back() == ' ') row.pop_back();
    if (!row.empty() && (row.rfind("\u2502") == row.size() - 3 ||
                         row.rfind("\u2510") == row.size() - 3 ||
                         row.rfind("\u2524") == row.size() - 3 ||
                         row.rfind("\u2518") == row.size() - 3))
      box.push_back(row);
    at = end + 1;
  }
  ASSERT_GE(box.size(), 5u) << screen;
  bool found_cjk = false;
  for (const std::string& row : box) {
    found_cjk = found_cjk || row.find("\u6e29\u5ea6") != std::string::npos;
    EXPECT_EQ(tslake::cli::DisplayWidth(row), tslake::cli::DisplayWidth(box.front()))
        << "border out of line:\n" << screen;
  }
  EXPECT_TRUE(found_cjk) << screen;
}

// Issue 22: the terminal's width is read again for each statement, so a
// box after a resize fits the new width (it stayed at the old one and
// wrapped).
TEST_F(TerminalTest, ResizeBetweenQueriesChangesTheBoxWidth) {
  Start();
  std::string wide = "SELECT 1 AS c";
  for (int i = 2; i <= 30; ++i) wide += ", " + std::to_string(i) + " AS c" + std::to_string(i);
  wide += ";";
  ClearScreen();
  Line(wide);
  ASSERT_TRUE(WaitFor("└")) << Screen();
  std::vector<std::string> tops = TopBorders(Screen());
  ASSERT_EQ(tops.size(), 1u) << Screen();
  EXPECT_GT(Columns(tops[0]), 80u) << tops[0];
  EXPECT_LE(Columns(tops[0]), 110u) << tops[0];

  ASSERT_EQ(RunProgram({"tmux", "-L", socket_, "resize-window", "-t", "t", "-x", "60", "-y", "45"}), 0);
  std::this_thread::sleep_for(milliseconds(300));
  ClearScreen();
  Line(wide);
  ASSERT_TRUE(WaitFor("└")) << Screen();
  tops = TopBorders(Screen());
  ASSERT_EQ(tops.size(), 1u) << Screen();
  EXPECT_LE(Columns(tops[0]), 60u) << Screen();
  EXPECT_GT(Columns(tops[0]), 30u) << Screen();
}

}  // namespace
}  // namespace tslake::testing
