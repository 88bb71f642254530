// The tslake binary: `tslake [DBDIR] [-c SQL]... [-f FILE] [--mode M] ...`
// and `tslake generate ...`. Order of work: -c commands in order, then
// -f FILE; with neither, standard input as a script (or the REPL on a
// terminal). Exit codes: 0 ok, 1 SQL or data error, 2 usage error.
// Thread-safety: single-threaded apart from the SIGINT handler.
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#ifdef TSLAKE_WITH_SERVER
#include "server/serve_command.h"
#endif
#include "shell/cli/check_command.h"
#include "shell/cli/cli_options.h"
#include "shell/cli/generate_command.h"
#include "shell/cli/repl.h"
#include "shell/cli/shell_session.h"

namespace {

constexpr int kErrorExitCode = 1;
constexpr int kDefaultWidth = 120;
constexpr int64_t kTerminalMaxRows = 40;

int TerminalWidth() {
  struct winsize ws {};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return kDefaultWidth;
}

int Run(int argc, const char* const* argv) {
  using namespace tslake::cli;
  if (argc >= 2 && std::strcmp(argv[1], "generate") == 0) return RunGenerateCommand(argc - 1, argv + 1);
  if (argc >= 2 && std::strcmp(argv[1], "serve") == 0) {
#ifdef TSLAKE_WITH_SERVER
    return tslake::server::RunServeCommand(argc - 1, argv + 1);
#else
    std::cerr << "Error: this tslake was built without `tslake serve` (-DTSLAKE_SERVER=OFF)\n";
    return kUsageExitCode;
#endif
  }
  if (argc >= 2 && (std::strcmp(argv[1], "check") == 0 || std::strcmp(argv[1], "repair") == 0))
    return RunCheckCommand(argc - 1, argv + 1);

  std::string error;
  std::optional<CliOptions> options = ParseCliOptions(argc, argv, &error);
  if (!options) {
    std::cerr << "Error: " << error << "\nRun 'tslake --help' for usage.\n";
    return kUsageExitCode;
  }
  if (options->help) {
    std::cout << CliUsage();
    return 0;
  }
  if (options->version) {
    std::cout << "tslake " << tslake::Database::Version() << '\n';
    return 0;
  }

  bool stdout_tty = isatty(STDOUT_FILENO) != 0;
  OutputSettings settings;
  settings.mode = options->mode.value_or(OutputMode::kBox);
  settings.headers = !options->no_header;
  // A terminal shows the first and last rows and the outer columns of a
  // big result; a pipe gets every row and column.
  settings.max_width = stdout_tty ? TerminalWidth() : 0;
  settings.max_rows = stdout_tty ? kTerminalMaxRows : 0;

  ShellSession session(settings, options->bail);
  session.FollowTerminalWidth(stdout_tty);
  if (!session.Open(options->db_path, options->read_only, options->auto_maintenance)) return kErrorExitCode;
  for (const std::string& notice : session.database()->Notices())
    std::cerr << "Notice: " << notice << '\n';

  if (options->rebuild_catalog) {
    std::string err = session.database()->RebuildCatalog();
    if (!err.empty()) {
      ShellSession::ReportError(err);
      return kErrorExitCode;
    }
    std::cout << "Rebuilt " << options->db_path << "/catalog.sqlite from the table logs.\n";
    return 0;
  }

  // The startup file: --init FILE must exist; ~/.tslakerc may not.
  if (options->init_file) {
    if (!session.RunInitFile(*options->init_file, true)) return kErrorExitCode;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    if (!session.RunInitFile(std::string(home) + "/.tslakerc", false)) return kErrorExitCode;
  }
  if (session.quit_requested()) return 0;

  // -c commands stop at the first error: a later command usually depends on
  // the one before.
  for (const std::string& command : options->commands) {
    if (!session.RunCommand(command)) return kErrorExitCode;
    if (session.quit_requested()) return 0;
  }
  if (options->file) return session.RunScriptFile(*options->file, "script") ? 0 : kErrorExitCode;
  if (!options->commands.empty()) return 0;
  if (isatty(STDIN_FILENO)) return RunRepl(&session);
  return session.RunScript(std::cin) ? 0 : kErrorExitCode;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  int rc = Run(argc, argv);
  // Whatever is still buffered (--help, generate's summary, the REPL's
  // last lines) must reach standard output too; a full device or a closed
  // pipe is an error, not a silent exit 0. Statements check their own
  // output as they go (ShellSession::FinishOutput) and have reported it.
  errno = 0;
  std::cout.flush();
  const bool cout_ok = static_cast<bool>(std::cout);
  const int err = errno;
  if ((!cout_ok || std::fflush(stdout) != 0 || std::ferror(stdout)) && rc == 0) {
    std::cerr << "Error: cannot write output to standard output: "
              << (err != 0 ? std::strerror(err) : std::strerror(errno)) << '\n';
    rc = kErrorExitCode;
  }
  return rc;
}
