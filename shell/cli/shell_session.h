// ShellSession: the state of one tslake shell (the open database and its
// connection, output settings, .echo/.timer/.bail) and the running of SQL,
// dot commands and scripts against it. The REPL, -c, -f and stdin scripts
// all go through it, so they behave alike.
// Thread-safety: one thread; only the SIGINT handler (InterruptGuard)
// touches the connection from elsewhere, through Connection::Interrupt.
#pragma once

#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "shell/cli/output_mode.h"
#include "tslake/tslake.hpp"

namespace tslake::cli {

class ShellSession {
 public:
  ShellSession(OutputSettings settings, bool bail);

  // Opens `path` ("" = in memory), replacing any open database. On failure
  // prints the reason and returns false (the old database stays open).
  bool Open(const std::string& path, bool read_only);

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
  bool RunScript(std::istream& in);

  bool quit_requested() const { return quit_; }
  bool bail() const { return bail_; }
  Database* database() const { return db_.get(); }
  OutputSettings& settings() { return settings_; }

  // Prints an error as the shell shows it (DuckDB style).
  static void ReportError(const std::string& message);

 private:
  bool DotTables(const std::vector<std::string>& args);
  bool DotSchema(const std::vector<std::string>& args);
  bool DotRead(const std::vector<std::string>& args);
  bool SetFlag(const std::string& command, const std::vector<std::string>& args, bool* flag);

  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
  OutputSettings settings_;
  bool bail_ = false;
  bool echo_ = false;
  bool timer_ = false;
  bool quit_ = false;
  bool cancelled_ = false;  // the last statement was stopped by Ctrl-C
  int read_depth_ = 0;  // nesting of .read, bounded against a file reading itself
};

}  // namespace tslake::cli
