// Running SQL and scripts in a shell session. See shell_session.h; dot
// commands are in dot_commands.cc.
#include "shell/cli/shell_session.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "shell/cli/interrupt_guard.h"
#include "shell/cli/result_printer.h"
#include "shell/cli/statement_scanner.h"

namespace tslake::cli {

ShellSession::ShellSession(OutputSettings settings, bool bail)
    : settings_(std::move(settings)), bail_(bail) {}

bool ShellSession::Open(const std::string& path, bool read_only) {
  Options options;
  options.read_only = read_only;
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

int ShellSession::chart_width() const { return settings_.max_width > 0 ? settings_.max_width : 80; }

void ShellSession::EndOnce() {
  if (!once_) return;
  once_ = false;
  output_file_.reset();
}

bool ShellSession::RunInitFile(const std::string& path, bool required) {
  std::ifstream in(path);
  if (!in) {
    if (!required) return true;
    ReportError("cannot open init file \"" + path + "\": " + std::strerror(errno));
    return false;
  }
  return RunScript(in);
}

void ShellSession::RememberForPlot(const Result& result) {
  // Only results that can be charted are copied; the copy is two numbers a
  // point, bounded so a huge result does not double the shell's memory.
  constexpr int64_t kMaxPlotRows = 20'000'000;
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
  if (echo_) os << sql << (sql.empty() || sql.back() != '\n' ? "\n" : "");
  auto start = std::chrono::steady_clock::now();
  Result error;
  {
    InterruptGuard guard(con_.get());
    error = con_->QueryEach(sql, [&](const Result& r) {
      // DDL returns no columns and prints nothing; INSERT/COPY return their
      // Count, printed in every mode as DuckDB's shell does.
      if (r.column_count() > 0) {
        PrintResult(r, settings_, os);
        RememberForPlot(r);
      }
      os.flush();
    });
  }
  if (timer_) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char buf[64];
    std::snprintf(buf, sizeof buf, "Run Time: real %.3f s\n", seconds);
    os << buf;
    os.flush();
  }
  EndOnce();
  cancelled_ = error.error_code() == ErrorCode::kCancelled;
  if (!error.ok()) {
    ReportError(error.error_message());
    return false;
  }
  return true;
}

bool ShellSession::RunCommand(const std::string& text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '.') return RunDotCommand(text.substr(first));
  return RunSql(text);
}

bool ShellSession::RunScript(std::istream& in) {
  bool all_ok = true;
  StatementScanner scanner;
  std::string line;
  auto run_buffer = [&]() {
    bool ok = RunSql(scanner.text());
    scanner.Reset();
    return ok;
  };
  while (!quit_ && std::getline(in, line)) {
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
  if (!quit_ && !scanner.empty() && !(bail_ && !all_ok)) {
    // A last statement without ';' still runs, as in sqlite and DuckDB.
    if (!run_buffer()) all_ok = false;
  }
  return all_ok;
}

}  // namespace tslake::cli
