// Running SQL and scripts in a shell session. See shell_session.h; dot
// commands are in dot_commands.cc.
#include "shell/cli/shell_session.h"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <utility>

#include "shell/cli/interrupt_guard.h"
#include "shell/cli/progress_bar.h"
#include "shell/cli/result_printer.h"
#include "shell/cli/statement_scanner.h"

namespace tslake::cli {

ShellSession::ShellSession(OutputSettings settings, bool bail)
    : settings_(std::move(settings)), bail_(bail) {}

bool ShellSession::Open(const std::string& path, bool read_only, bool auto_maintenance) {
  Options options;
  options.read_only = read_only;
  options.auto_maintenance = auto_maintenance;
  options.tune_allocator = true;  // the shell owns its process (see Options)
  std::string error;
  std::unique_ptr<Database> db = Database::Open(path, options, &error);
  if (!db) {
    ReportError("unable to open database \"" + path + "\": " + error);
    return false;
  }
  con_.reset();  // the connection must go before its database
  db_ = std::move(db);
  con_ = std::make_unique<Connection>(*db_);
  return true;
}

void ShellSession::ReportError(const std::string& message) {
  std::cout.flush();
  // Engine messages carry their own "Binder Error:" style prefix; others
  // (storage, I/O) get the generic one DuckDB's shell uses.
  std::string first_line = message.substr(0, message.find('\n'));
  if (first_line.find("Error") == std::string::npos) std::cerr << "Error: ";
  std::cerr << message;
  if (message.empty() || message.back() != '\n') std::cerr << '\n';
  std::cerr.flush();
}

std::ostream& ShellSession::out() { return output_file_ ? *output_file_ : std::cout; }

void ShellSession::RefreshTerminalWidth() {
  if (!width_from_terminal_) return;
  struct winsize ws {};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) settings_.max_width = ws.ws_col;
}

int ShellSession::chart_width() const { return settings_.max_width > 0 ? settings_.max_width : 80; }

bool ShellSession::FlushOutput() {
  std::ostream& os = out();
  errno = 0;
  os.flush();
  if (os) return true;
  // The write that failed set errno (ENOSPC on a full disk or /dev/full,
  // EPIPE, EIO); kept now, before other calls overwrite it.
  if (output_errno_ == 0) output_errno_ = errno;
  return false;
}

bool ShellSession::FinishOutput() {
  std::ostream& os = out();
  if (FlushOutput()) {
    output_errno_ = 0;
    return true;
  }
  const int err = std::exchange(output_errno_, 0);
  os.clear();  // the next statement tries again and reports its own failure
  ReportError("cannot write output to " + (output_file_ ? "\"" + output_path_ + "\"" : std::string("standard output")) +
              ": " + (err != 0 ? std::strerror(err) : "write failed") +
              " (the result is lost or incomplete)");
  return false;
}

bool ShellSession::EndOnce() {
  if (!once_) return true;
  once_ = false;
  return CloseOutputFile();
}

bool ShellSession::CloseOutputFile() {
  if (!output_file_) return true;
  errno = 0;
  const bool was_bad = !*output_file_;
  output_file_->close();  // flushes; fails (failbit) when the last write or close(2) did
  const bool ok = !was_bad && !output_file_->fail();
  int err = errno;
  if (output_errno_ != 0) err = std::exchange(output_errno_, 0);
  output_file_.reset();
  if (!ok) {
    ReportError("cannot write output to \"" + output_path_ + "\": " +
                (err != 0 ? std::strerror(err) : "write failed") + " (the result is lost or incomplete)");
  }
  return ok;
}

std::string ShellSession::OpenScript(const std::string& path, std::ifstream* in) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::strerror(errno);
  // A directory opens and reads as an empty script (silently "succeeding"),
  // and a device such as /dev/zero never ends its first line: only regular
  // files and pipes (`.read <(generate-sql)`) are scripts.
  if (S_ISDIR(st.st_mode)) return "it is a directory, not a script file";
  // /dev/null is the usual empty script (`tslake --init /dev/null` skips
  // ~/.tslakerc, as `sqlite3 -init /dev/null` does): it ends at once.
  struct stat null_st;
  const bool is_dev_null = S_ISCHR(st.st_mode) && ::stat("/dev/null", &null_st) == 0 &&
                           st.st_rdev == null_st.st_rdev;
  if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode) && !is_dev_null)
    return "it is a device or socket, not a script file (only regular files and pipes are read)";
  in->open(path);
  if (!*in) return std::strerror(errno);
  return "";
}

bool ShellSession::RunScriptFile(const std::string& path, const char* what) {
  std::ifstream in;
  std::string error = OpenScript(path, &in);
  if (!error.empty()) {
    ReportError(std::string("cannot read ") + what + " \"" + path + "\": " + error);
    return false;
  }
  return RunScript(in, path);
}

bool ShellSession::RunInitFile(const std::string& path, bool required) {
  struct stat st;
  if (!required && ::stat(path.c_str(), &st) != 0) return true;  // no ~/.tslakerc
  return RunScriptFile(path, "init file");
}

Result ShellSession::CollectAll(StreamingResult& stream) {
  Result all, chunk;
  bool first = true;
  while (stream.Fetch(&chunk)) {
    if (first) {
      all = std::move(chunk);
      first = false;
    } else {
      (void)all.Append(std::move(chunk));
    }
  }
  return first ? std::move(chunk) : std::move(all);
}

ShellSession::PlotFeed::PlotFeed(ShellSession* session, const StreamingResult& shape)
    : session_(session) {
  session_->last_chart_.reset();
  // The stream's (empty) shape: its columns decide whether it can be charted.
  bool has_time = false;
  for (int c = 0; c < shape.column_count(); ++c) has_time |= shape.column_type(c) == Type::kTimestamp;
  if (!has_time) {
    session_->last_chart_error_ = ".plot needs a TIMESTAMP column for the x axis; the last result has none";
    return;
  }
  active_ = true;
}

void ShellSession::PlotFeed::Add(const Result& chunk) {
  if (!active_) return;
  if (!begun_) {
    begun_ = true;
    if (!builder_.Begin(chunk, &session_->last_chart_error_)) {
      active_ = false;
      return;
    }
  }
  rows_ += chunk.row_count();
  if (rows_ > kMaxPlotRows) {
    // Two numbers a point, bounded so a huge result does not grow the
    // shell by gigabytes; the rows are still printed.
    active_ = false;
    builder_ = LineChartBuilder();
    too_many_ = true;
    return;
  }
  builder_.Add(chunk);
}

void ShellSession::PlotFeed::Finish(int64_t total_rows) {
  if (too_many_) {
    session_->last_chart_error_ =
        "the last result has " + std::to_string(total_rows) +
        " rows, too many to keep for .plot; aggregate with time_bucket or use .plot SELECT ...";
    return;
  }
  if (!active_) return;
  if (!begun_) {
    // No rows: the chart's own message (FromResult's, with 0 rows).
    session_->last_chart_error_ = ".plot found no row to draw (0 rows)";
    return;
  }
  LineChart chart;
  if (builder_.Finish(&chart, total_rows, &session_->last_chart_error_)) {
    session_->last_chart_ = std::move(chart);
  }
}

void ShellSession::RememberForPlot(const Result& result) {
  // Only results that can be charted are copied; the copy is two numbers a
  // point, bounded so a huge result does not double the shell's memory.
  bool has_time = false;
  for (int c = 0; c < result.column_count(); ++c) has_time |= result.column_type(c) == Type::kTimestamp;
  last_chart_.reset();
  if (!has_time) {
    last_chart_error_ = ".plot needs a TIMESTAMP column for the x axis; the last result has none";
    return;
  }
  if (result.row_count() > kMaxPlotRows) {
    last_chart_error_ = "the last result has " + std::to_string(result.row_count()) +
                        " rows, too many to keep for .plot; aggregate with time_bucket or use "
                        ".plot SELECT ...";
    return;
  }
  LineChart chart;
  if (LineChart::FromResult(result, &chart, &last_chart_error_)) last_chart_ = std::move(chart);
}

bool ShellSession::RunSql(const std::string& sql) {
  std::ostream& os = out();
  if (echo_) {
    os << sql << (sql.empty() || sql.back() != '\n' ? "\n" : "");
    os.flush();  // before the progress line, which writes to the terminal directly
  }
  auto start = std::chrono::steady_clock::now();
  RefreshTerminalWidth();
  Result error;
  bool reader_gone = false;  // EPIPE: whoever read our output has left
  {
    InterruptGuard guard(con_.get());
    // Drawn on the terminal only, erased before anything is printed.
    ProgressBar bar(con_.get(), progress_, STDOUT_FILENO);
    error = con_->StreamEach(sql, [&](StreamingResult& s) {
      if (s.statement_type() == "SELECT" && s.column_count() > 0) {
        // Streamed: printed as it comes; only what .plot charts is kept.
        PlotFeed plot(this, s);
        PrintStream(
            s, settings_, os, [&](const Result& chunk) { plot.Add(chunk); }, [&] { bar.Pause(); });
        if (!os && errno == EPIPE) reader_gone = true;
        if (s.ok() && os) plot.Finish(s.rows_fetched());
      } else {
        // Everything else has run already and its result is small.
        Result r = CollectAll(s);
        bar.Pause();
        if (!s.ok()) return;
        // DDL returns no columns and prints nothing; INSERT/COPY return their
        // Count, printed in every mode as DuckDB's shell does.
        if (r.column_count() > 0) {
          PrintResult(r, settings_, os);
          RememberForPlot(r);
        }
        // .changes on: sqlite3's line after a statement that changed rows
        // (INSERT, DELETE, COPY ... FROM report their count as "Count").
        if (changes_ && r.statement_type() != "SELECT" && r.column_count() == 1 &&
            r.row_count() == 1 && r.column_name(0) == "Count" && !r.IsNull(0, 0)) {
          const int64_t changed = r.GetInt64(0, 0);
          total_changes_ += changed;
          os << "changes: " << changed << "   total_changes: " << total_changes_ << '\n';
        }
      }
      bar.Pause();
      FlushOutput();  // a failure is reported once the statement is done
      // Skipped and rejected rows: on stderr, after the rows they concern.
      for (const std::string& warning : s.warnings()) std::cerr << "Warning: " << warning << '\n';
      if (!s.warnings().empty()) std::cerr.flush();
      bar.Resume();  // the script's next statement
    });
  }
  if (reader_gone) {
    // `tslake ... | head -1`: the reader took what it wanted and closed
    // the pipe. The query has stopped; end quietly, as a process killed by
    // SIGPIPE does, with nothing more to write.
    quit_ = true;
    output_errno_ = 0;
    out().clear();
    return false;
  }
  if (timer_) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char buf[64];
    std::snprintf(buf, sizeof buf, "Run Time: real %.3f s\n", seconds);
    os << buf;
  }
  // A result that could not be written is a failure as much as a failed
  // statement: the caller (and the exit code) must learn of it.
  bool wrote = FinishOutput();
  wrote = EndOnce() && wrote;
  cancelled_ = error.error_code() == ErrorCode::kCancelled;
  if (!error.ok()) {
    ReportError(script_where_.empty() ? error.error_message()
                                      : "Error " + script_where_ + ": " + error.error_message());
    return false;
  }
  return wrote;
}

bool ShellSession::RunCommand(const std::string& text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '.') return RunDotCommand(text.substr(first));
  return RunSql(text);
}

bool ShellSession::RunScript(std::istream& in, const std::string& name) {
  bool all_ok = true;
  StatementScanner scanner;
  std::string line;
  int64_t line_number = 0;
  int64_t statement_line = 0;  // where the statement in the scanner began
  const std::string outer_where = script_where_;  // a .read inside a script
  auto run_buffer = [&]() {
    if (!name.empty()) {
      script_where_ = "near line " + std::to_string(statement_line) + " of " + name;
    }
    bool ok = RunSql(scanner.text());
    script_where_ = outer_where;
    scanner.Reset();
    return ok;
  };
  while (!quit_ && std::getline(in, line)) {
    ++line_number;
    if (scanner.empty() && line.find_first_not_of(" \t\r") != std::string::npos) {
      statement_line = line_number;
    }
    if (scanner.empty()) {
      size_t first = line.find_first_not_of(" \t\r");
      if (first != std::string::npos && line[first] == '.') {
        // A dot command is a whole line, recognised only between statements.
        scanner.Reset();
        if (!RunDotCommand(line.substr(first))) {
          all_ok = false;
          if (bail_) break;
        }
        continue;
      }
    }
    scanner.Feed(line);
    scanner.Feed("\n");
    if (scanner.complete()) {
      if (!run_buffer()) {
        all_ok = false;
        // Ctrl-C means "stop", not "skip this statement".
        if (bail_ || cancelled_) return false;
      }
    }
  }
  if (in.bad()) {
    // A read error (EIO) is not the end of the script.
    ReportError("cannot read " + (name.empty() ? std::string("standard input") : "\"" + name + "\"") +
                ": " + std::strerror(errno));
    return false;
  }
  if (!quit_ && !scanner.empty() && !(bail_ && !all_ok)) {
    // A last statement without ';' still runs, as in sqlite and DuckDB.
    if (!run_buffer()) all_ok = false;
  }
  return all_ok;
}

}  // namespace tslake::cli
