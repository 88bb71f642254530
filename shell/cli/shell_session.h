// ShellSession: the state of one tslake shell (the open database and its
// connection, output settings, .echo/.timer/.bail) and the running of SQL,
// dot commands and scripts against it. The REPL, -c, -f and stdin scripts
// all go through it, so they behave alike.
// Thread-safety: one thread; only the SIGINT handler (InterruptGuard)
// touches the connection from elsewhere, through Connection::Interrupt.
#pragma once

#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "shell/cli/line_chart.h"
#include "shell/cli/output_mode.h"
#include "tslake/tslake.hpp"

namespace tslake::cli {

// Splits a dot command line into words; '...' and "..." group words.
std::vector<std::string> SplitWords(const std::string& line);

class ShellSession {
 public:
  ShellSession(OutputSettings settings, bool bail);

  // Opens `path` ("" = in memory), replacing any open database. On failure
  // prints the reason and returns false (the old database stays open).
  bool Open(const std::string& path, bool read_only, bool auto_maintenance = false);

  // Runs one or more SQL statements, printing each result. False on error
  // (already reported on stderr).
  bool RunSql(const std::string& sql);
  // Runs one dot command line (".mode csv"). False on error.
  bool RunDotCommand(const std::string& line);
  // A -c argument: a dot command when it starts with '.', else SQL.
  bool RunCommand(const std::string& text);
  // Reads statements and dot commands from `in` and runs each as it
  // completes. Continues after an error unless .bail is on. False when any
  // statement failed.
  // `name` (the file, "" for stdin) is for read errors.
  bool RunScript(std::istream& in, const std::string& name = "");
  // Runs the script file `path` (.read, -f, --init; `what` names it in
  // errors). Only a regular file or a pipe: a directory or a device such as
  // /dev/zero is refused before anything is read.
  bool RunScriptFile(const std::string& path, const char* what);

  // Runs a startup file (~/.tslakerc or --init FILE) as a script. A
  // missing ~/.tslakerc is fine (`required` false); a missing --init file
  // is an error.
  bool RunInitFile(const std::string& path, bool required);

  bool quit_requested() const { return quit_; }
  bool bail() const { return bail_; }
  Database* database() const { return db_.get(); }
  OutputSettings& settings() { return settings_; }
  // Where results and dot command output go: stdout, or the file of
  // .output / .once.
  std::ostream& out();
  // Width of the terminal (or 80) for charts; settings().max_width when set.
  int chart_width() const;
  // The box width follows the terminal: re-read (ioctl) before each
  // statement and dot command, so a resize applies to the next result.
  // `.maxwidth N` ends it.
  void FollowTerminalWidth(bool follow) { width_from_terminal_ = follow; }

  // Prints an error as the shell shows it (DuckDB style).
  static void ReportError(const std::string& message);

 private:
  // RunDotCommand without the check that its output was written.
  bool RunDotCommandUnchecked(const std::string& line);
  // Opens `path` for RunScriptFile; "" on success, else why not.
  static std::string OpenScript(const std::string& path, std::ifstream* in);
  bool DotTables(const std::vector<std::string>& args);
  bool DotSchema(const std::vector<std::string>& args);
  bool DotRead(const std::vector<std::string>& args);
  bool DotShell(const std::string& line);
  bool DotDump(const std::vector<std::string>& args);
  bool SetFlag(const std::string& command, const std::vector<std::string>& args, bool* flag);
  bool DotDescribe(const std::vector<std::string>& args);
  bool DotHistory(const std::vector<std::string>& args);
  bool DotStats(const std::vector<std::string>& args);
  bool DotOutput(const std::vector<std::string>& args, bool once);
  bool DotImport(const std::vector<std::string>& args);
  // Runs `create`, `insert` (may be empty) and `select` on a scratch
  // in-memory database and prints the result in the current mode: how
  // .stats and .history show numbers that are not a query of this one.
  bool PrintScratch(const std::string& create, const std::string& insert, const std::string& select);
  bool DotPlot(const std::string& line);
  // Keeps what .plot needs of a printed result.
  void RememberForPlot(const Result& result);
  // Every chunk of `stream` in one Result (the stream's columns when it has
  // no rows); check stream.ok() afterwards.
  static Result CollectAll(StreamingResult& stream);
  // Rows of the last result kept for .plot: at most this many.
  static constexpr int64_t kMaxPlotRows = 20'000'000;
  // RememberForPlot for a streamed result: fed chunk by chunk, it keeps
  // only the points the chart draws.
  class PlotFeed {
   public:
    PlotFeed(ShellSession* session, const StreamingResult& shape);
    void Add(const Result& chunk);
    // After the last chunk (and only when the stream succeeded).
    void Finish(int64_t total_rows);

   private:
    ShellSession* session_;
    LineChartBuilder builder_;
    bool active_ = false, begun_ = false, too_many_ = false;
    int64_t rows_ = 0;
  };
  // Flushes out(); false when a write failed, whose errno is kept in
  // output_errno_ for FinishOutput's report.
  bool FlushOutput();
  // Flushes out(); false (reported on stderr, with the errno reason) when a
  // write of the last command's output failed (a full disk, /dev/full).
  bool FinishOutput();
  // Ends a .once redirection after the statement it was for, closing the
  // file; false (reported) when closing it failed.
  bool EndOnce();
  // Closes the .output/.once file; false (reported) when the close or an
  // unflushed write failed.
  bool CloseOutputFile();

  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
  OutputSettings settings_;
  bool bail_ = false;
  bool echo_ = false;
  bool timer_ = false;
  bool quit_ = false;
  bool cancelled_ = false;  // the last statement was stopped by Ctrl-C
  bool changes_ = false;       // .changes on: print rows changed per statement
  bool progress_ = true;       // .progress on|off: the terminal progress line
  bool width_from_terminal_ = false;  // see FollowTerminalWidth
  // settings_.max_width from the terminal's current width, when followed.
  void RefreshTerminalWidth();
  int64_t total_changes_ = 0;  // their sum since the session began
  // While a script file runs: "near line N of FILE", N the first line of
  // the statement running, put before its error (as sqlite3 does).
  std::string script_where_;
  int read_depth_ = 0;  // nesting of .read, bounded against a file reading itself
  std::unique_ptr<std::ofstream> output_file_;  // .output/.once target; null: stdout
  std::string output_path_;                     // its name, for errors
  int output_errno_ = 0;  // errno of the first failed output write not yet reported
  bool once_ = false;  // output_file_ is for the next statement only
  // The last result with columns, as a chart (or why it cannot be one).
  std::optional<LineChart> last_chart_;
  std::string last_chart_error_ = "no result to plot yet; run a query or give one: .plot SELECT ...";
};

}  // namespace tslake::cli
