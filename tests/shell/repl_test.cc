// The interactive REPL on a pseudo-terminal: prompts, continuation lines,
// Ctrl-C clearing a half-typed statement, dot commands, history file,
// Ctrl-D exit.
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/shell/shell_test_util.h"

namespace tslake::testing {
namespace {

class ReplSession {
 public:
  ReplSession(const std::filesystem::path& home, const std::filesystem::path& cwd) {
    struct winsize ws {};
    ws.ws_row = 40;
    ws.ws_col = 100;
    pid_ = forkpty(&fd_, nullptr, nullptr, &ws);
    if (pid_ == 0) {
      if (chdir(cwd.c_str()) != 0) _exit(127);
      setenv("HOME", home.c_str(), 1);
      setenv("TERM", "dumb", 1);
      const char* binary = TSLAKE_BINARY_DIR "/tslake";
      const std::string emulator = TestEmulator();
      if (!emulator.empty()) {
        execlp(emulator.c_str(), emulator.c_str(), binary, "x.db", static_cast<char*>(nullptr));
      }
      execl(binary, binary, "x.db", static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~ReplSession() {
    if (fd_ >= 0) close(fd_);
    if (pid_ > 0 && !waited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  bool started() const { return pid_ > 0; }
  void Send(const std::string& text) { ASSERT_EQ(write(fd_, text.data(), text.size()), static_cast<ssize_t>(text.size())); }

  // Reads until `needle` appears in the output after `from`; returns what
  // was read since `from`, or "" after 30 s. Generous because CI runs this
  // beside the multi-process and kill -9 tests, which can starve a process
  // of CPU for seconds on 2 cores.
  std::string ReadUntil(const std::string& needle) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      size_t at = output_.find(needle, consumed_);
      if (at != std::string::npos) {
        std::string seen = output_.substr(consumed_, at + needle.size() - consumed_);
        consumed_ = at + needle.size();
        return seen;
      }
      struct pollfd p {fd_, POLLIN, 0};
      if (poll(&p, 1, 100) > 0) {
        char buf[4096];
        ssize_t n = read(fd_, buf, sizeof buf);
        if (n <= 0) break;
        output_.append(buf, static_cast<size_t>(n));
      }
    }
    return "";
  }

  // What the REPL printed after the last match, for failure messages.
  std::string Unmatched() const { return output_.substr(consumed_); }

  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  int fd_ = -1;
  pid_t pid_ = -1;
  bool waited_ = false;
  std::string output_;
  size_t consumed_ = 0;
};

using ReplTest = ShellTest;

TEST_F(ReplTest, PromptsContinuesCancelsLinesAndKeepsHistory) {
  ReplSession repl(dir_, dir_);
  ASSERT_TRUE(repl.started());
  ASSERT_NE(repl.ReadUntil("tslake> "), "");
  repl.Send("CREATE TABLE t (v BIGINT);\r");
  ASSERT_NE(repl.ReadUntil("tslake> "), "");
  repl.Send("INSERT INTO t\r");
  ASSERT_NE(repl.ReadUntil("   ...> "), "") << "a statement without ';' continues";
  repl.Send("VALUES (41);\r");
  EXPECT_NE(repl.ReadUntil("tslake> ").find("│     1 │"), std::string::npos);

  // Ctrl-C at the prompt drops the half-typed statement, whenever it
  // lands: right after readline echoed the text (it is back waiting for a
  // key), and in the same write as the text (it may be busy echoing). A
  // SIGINT that slipped in between readline's flag test and its wait used
  // to be seen only at the next key press.
  for (int round = 0; round < 20; ++round) {
    repl.Send("SELECT 'half typed'");
    if (round % 2 == 0) {
      ASSERT_NE(repl.ReadUntil("half typed'"), "") << "round " << round;
    }
    repl.Send("\x03");
    ASSERT_NE(repl.ReadUntil("tslake> "), "") << "round " << round << ", printed: " << repl.Unmatched();
  }
  repl.Send(".mode csv\r");
  ASSERT_NE(repl.ReadUntil("tslake> "), "");
  repl.Send("SELECT v + 1 AS w FROM t;\r");
  std::string out = repl.ReadUntil("tslake> ");
  EXPECT_NE(out.find("w\r\n42"), std::string::npos) << out;
  EXPECT_EQ(out.find("half typed"), std::string::npos) << out;

  repl.Send("\x04");  // Ctrl-D
  EXPECT_EQ(repl.Wait(), 0);
  std::string history = ReadFileText(dir_ / ".tslake_history");
  EXPECT_NE(history.find("INSERT INTO t VALUES (41);"), std::string::npos) << history;
  EXPECT_NE(history.find(".mode csv"), std::string::npos) << history;
}

// Ctrl-D at a `...>` continuation prompt says the unfinished statement was
// not run instead of dropping it silently (issue 22), and exits.
TEST_F(ReplTest, CtrlDAtAContinuationPromptWarns) {
  ReplSession repl(dir_, dir_);
  ASSERT_TRUE(repl.started());
  ASSERT_NE(repl.ReadUntil("tslake> "), "");
  repl.Send("SELECT 42\r");
  ASSERT_NE(repl.ReadUntil("   ...> "), "");
  repl.Send("\x04");  // Ctrl-D
  EXPECT_NE(repl.ReadUntil("was not run"), "") << repl.Unmatched();
  EXPECT_EQ(repl.Wait(), 0);
}

}  // namespace
}  // namespace tslake::testing
