// Interactive shell on GNU readline. See repl.h.
//
// SIGINT at the prompt: readline is told not to catch signals
// (rl_catch_signals = 0); our handler only sets a flag. Readline reads keys
// through WaitForKey, which keeps SIGINT blocked except inside ppoll, so a
// Ctrl-C that lands at any instant (even while readline is busy echoing a
// key) is seen before the next wait; readline's own getc checks its flag
// before a plain pselect and so missed a signal arriving in between until
// the next key press. The handler clears the line and the statement typed
// so far and redraws a fresh prompt. While a statement runs, the session's
// InterruptGuard takes over SIGINT and cancels the statement.
#include "shell/cli/repl.h"

#include <readline/history.h>
#include <readline/readline.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <algorithm>
#include <string>
#include <vector>

#include "shell/cli/sql_completer.h"
#include "shell/cli/statement_scanner.h"

namespace tslake::cli {

namespace {

constexpr const char* kPrompt = "tslake> ";
constexpr const char* kContinuationPrompt = "   ...> ";

volatile sig_atomic_t g_prompt_sigint = 0;
// Set when Ctrl-C cleared a partly typed statement; the REPL drops its buffer.
bool g_discard_buffer = false;
ShellSession* g_session = nullptr;

extern "C" void OnPromptSigint(int) { g_prompt_sigint = 1; }

void ClearLineAfterSigint() {
  g_prompt_sigint = 0;
  g_discard_buffer = true;
  rl_replace_line("", 0);
  rl_crlf();
  rl_set_prompt(kPrompt);
  rl_on_new_line();
  rl_redisplay();
}

// A second, non-blocking open of the terminal readline reads from (-1 when
// it has no name). Ctrl-C makes the terminal discard its unread input, so
// bytes ppoll reported may be gone by the time we read: a blocking read
// would then sleep, with SIGINT blocked, until the next key.
int g_nonblocking_terminal = -1;

void OpenNonblockingTerminal(int fd) {
  const char* name = ttyname(fd);
  if (name != nullptr) g_nonblocking_terminal = open(name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}

// readline's rl_getc_function. SIGINT stays blocked while we test the flag
// and is unblocked only atomically inside ppoll, so no signal can slip in
// between the test and the wait.
int WaitForKey(FILE* stream) {
  int fd = fileno(stream);
  int read_fd = g_nonblocking_terminal >= 0 ? g_nonblocking_terminal : fd;
  sigset_t with_sigint;
  sigset_t caller_mask;
  sigemptyset(&with_sigint);
  sigaddset(&with_sigint, SIGINT);
  sigprocmask(SIG_BLOCK, &with_sigint, &caller_mask);
  sigset_t wait_mask = caller_mask;
  sigdelset(&wait_mask, SIGINT);
  int key = EOF;
  for (;;) {
    if (g_prompt_sigint) {
      ClearLineAfterSigint();
      continue;
    }
    struct pollfd ready {fd, POLLIN, 0};
    if (ppoll(&ready, 1, nullptr, &wait_mask) < 0) {
      if (errno != EINTR) break;
      rl_check_signals();  // SIGWINCH: readline resizes here
      continue;
    }
    int pending = 0;
    if (read_fd == fd && ioctl(fd, FIONREAD, &pending) == 0 && pending == 0) continue;
    unsigned char byte = 0;
    ssize_t n = read(read_fd, &byte, 1);
    if (n == 1) {
      key = byte;
      break;
    }
    if (n == 0 || (errno != EINTR && errno != EAGAIN)) break;
  }
  sigprocmask(SIG_SETMASK, &caller_mask, nullptr);
  return key;
}

void InstallPromptHandler() {
  struct sigaction action {};
  action.sa_handler = OnPromptSigint;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: the blocked ppoll must return EINTR
  sigaction(SIGINT, &action, nullptr);
}

// The statement typed so far (earlier lines), for completion's context.
const StatementScanner* g_scanner = nullptr;
std::vector<std::string> g_candidates;
size_t g_candidate_index = 0;

// The statement's text before the word at `start` in the current line.
std::string TextBefore(int start) {
  std::string before = g_scanner && !g_scanner->empty() ? g_scanner->text() : "";
  before.append(rl_line_buffer, static_cast<size_t>(std::max(start, 0)));
  return before;
}

char* CompletionGenerator(const char* text, int state) {
  if (state == 0) g_candidate_index = 0;
  if (g_candidate_index >= g_candidates.size()) return nullptr;
  return strdup(g_candidates[g_candidate_index++].c_str());
}

char* WordBreakHook() {
  // Called before the word is found: the break set depends on the context
  // (a file path keeps its '.' and '/').
  return const_cast<char*>(SqlCompleter::WordBreaks(TextBefore(rl_point)));
}

char** Complete(const char* text, int start, int) {
  std::string before = TextBefore(start);
  SqlCompleter::Kind kind = SqlCompleter::KindAt(before);
  if (kind == SqlCompleter::Kind::kFilePath) {
    rl_attempted_completion_over = 0;
    return rl_completion_matches(text, rl_filename_completion_function);
  }
  rl_attempted_completion_over = 1;  // never fall back to file names
  SqlCompleter completer(g_session ? g_session->database() : nullptr);
  g_candidates = completer.Candidates(before, text);
  return rl_completion_matches(text, CompletionGenerator);
}

std::string HistoryPath() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return "";
  return std::string(home) + "/.tslake_history";
}

void Remember(const std::string& entry, const std::string& history_path) {
  // One line per entry: the history file is line-based, so a multi-line
  // statement would come back as several entries.
  std::string text = entry;
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return;
  add_history(text.c_str());
  if (!history_path.empty()) {
    // Append as we go so a crash or kill loses nothing typed before it.
    if (append_history(1, history_path.c_str()) != 0) write_history(history_path.c_str());
    history_truncate_file(history_path.c_str(), 10000);
  }
}

}  // namespace

// Everything a command printed is on screen before readline draws the next
// prompt: the session's stream (stdout or a .output file) and std::cout are
// both buffered, and readline writes the prompt through its own FILE*.
static void FlushOutput(ShellSession* session) {
  session->out().flush();
  std::cout.flush();
  std::fflush(stdout);
}

int RunRepl(ShellSession* session) {
  g_session = session;
  rl_readline_name = "tslake";
  rl_catch_signals = 0;
  rl_getc_function = WaitForKey;
  OpenNonblockingTerminal(fileno(rl_instream ? rl_instream : stdin));
  rl_attempted_completion_function = Complete;
  rl_completion_word_break_hook = WordBreakHook;
  std::string history_path = HistoryPath();
  using_history();
  if (!history_path.empty()) read_history(history_path.c_str());

  std::cout << "tslake " << Database::Version() << "\n"
            << "Enter \".help\" for usage hints.\n";
  if (session->database() && session->database()->path() == ":memory:") {
    std::cout << "Connected to a transient in-memory database.\n"
              << "Use \".open DBDIR\" to open a persistent database.\n";
  }
  std::cout.flush();

  StatementScanner scanner;
  g_scanner = &scanner;
  while (!session->quit_requested()) {
    InstallPromptHandler();
    char* raw = readline(scanner.empty() ? kPrompt : kContinuationPrompt);
    if (raw == nullptr) {  // Ctrl-D
      std::cout << '\n';
      if (!scanner.empty()) {
        // sqlite3 and duckdb drop it silently; say so rather than lose a
        // typed statement without a word.
        std::cerr << "warning: the unfinished statement was not run (it needs a closing ';')\n";
      }
      break;
    }
    std::string line(raw);
    std::free(raw);
    if (g_discard_buffer) {
      g_discard_buffer = false;
      scanner.Reset();
    }
    if (scanner.empty()) {
      size_t first = line.find_first_not_of(" \t");
      if (first == std::string::npos) continue;
      if (line[first] == '.') {
        Remember(line, history_path);
        scanner.Reset();
        session->RunDotCommand(line.substr(first));
        FlushOutput(session);
        continue;
      }
    }
    scanner.Feed(line);
    scanner.Feed("\n");
    if (!scanner.complete()) continue;
    std::string sql = scanner.text();
    scanner.Reset();
    Remember(sql, history_path);
    // The statement's own SIGINT handler (InterruptGuard) replaces ours.
    session->RunSql(sql);
    FlushOutput(session);
  }
  signal(SIGINT, SIG_DFL);
  if (g_nonblocking_terminal >= 0) close(g_nonblocking_terminal);
  g_nonblocking_terminal = -1;
  g_scanner = nullptr;
  return 0;
}

}  // namespace tslake::cli
