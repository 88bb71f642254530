// Dot commands of the shell (.help, .mode, .tables, ...), in the manner of
// sqlite's and DuckDB's shells. They work the same in the REPL, in -c and in
// scripts. Thread-safety: as ShellSession (one thread). See shell_session.h.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <iostream>

#include "shell/cli/shell_session.h"

namespace tslake::cli {

namespace {

constexpr int kMaxReadDepth = 16;

constexpr const char* kHelp =
    ".bail on|off             Stop a script at its first error\n"
    ".describe TABLE          Show the columns of TABLE and their types\n"
    ".echo on|off             Print each statement before running it\n"
    ".exit                    Exit the shell (also .quit, Ctrl-D)\n"
    ".headers on|off          Show column names\n"
    ".help                    Show this message\n"
    ".history TABLE [N]       List the versions of TABLE, newest first (DESCRIBE HISTORY)\n"
    ".import FILE TABLE [--format F]  Append FILE to TABLE (COPY; F: csv, piwebapi, jsonl, line)\n"
    ".maxrows N               Rows shown in box mode (0 = all)\n"
    ".maxwidth N              Characters per line in box mode (0 = no limit)\n"
    ".mode MODE               Output mode: box|table|csv|tsv|json|jsonl|line|markdown\n"
    ".nullvalue TEXT          Text shown for NULL\n"
    ".once FILE               Send the next result to FILE\n"
    ".open DBDIR              Close this database and open DBDIR (none: in memory)\n"
    ".output [FILE]           Send results to FILE (none: back to stdout)\n"
    ".plot [--svg FILE] [--width N] [--height N] [SELECT ...]\n"
    "                         Chart the last result (or the query) over its first\n"
    "                         TIMESTAMP column: numeric columns, or one line per tag\n"
    ".quit                    Exit the shell\n"
    ".read FILE               Run the statements and commands in FILE\n"
    ".schema [TABLE]          Show CREATE statements\n"
    ".stats [TABLE]           Versions, partitions, segments, rows, bytes, bytes per point\n"
    ".tables                  List tables\n"
    ".timer on|off            Print the run time of each statement\n"
    ".version                 Show the version\n";

}  // namespace

// Splits a dot command line into words; '...' and "..." group words.
std::vector<std::string> SplitWords(const std::string& line) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    if (i >= line.size()) break;
    std::string word;
    if (line[i] == '\'' || line[i] == '"') {
      char q = line[i++];
      while (i < line.size() && line[i] != q) word += line[i++];
      ++i;
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
        word += line[i++];
    }
    words.push_back(std::move(word));
  }
  return words;
}

namespace {

// "on", "off", "1", "0", "true", "false", "yes", "no".
std::optional<bool> ParseOnOff(const std::string& s) {
  if (s == "on" || s == "1" || s == "true" || s == "yes") return true;
  if (s == "off" || s == "0" || s == "false" || s == "no") return false;
  return std::nullopt;
}

std::optional<int64_t> ParseCount(const std::string& s) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

const char* SqlTypeName(Type type) {
  switch (type) {
    case Type::kBoolean: return "BOOLEAN";
    case Type::kInteger: return "INTEGER";
    case Type::kBigint: return "BIGINT";
    case Type::kDouble: return "DOUBLE";
    case Type::kVarchar: return "VARCHAR";
    case Type::kTimestamp: return "TIMESTAMP";
    case Type::kInterval: return "INTERVAL";
    case Type::kDate: return "DATE";
    case Type::kNull: return "NULL";
  }
  return "NULL";
}

bool Usage(const std::string& text) {
  ShellSession::ReportError("Usage: " + text);
  return false;
}

}  // namespace

bool ShellSession::SetFlag(const std::string& command, const std::vector<std::string>& args,
                           bool* flag) {
  std::optional<bool> v;
  if (args.size() == 2) v = ParseOnOff(args[1]);
  if (!v) return Usage(command + " on|off");
  *flag = *v;
  return true;
}

bool ShellSession::DotTables(const std::vector<std::string>& args) {
  std::vector<std::string> names = db_->ListTables();
  std::sort(names.begin(), names.end());
  if (names.empty()) return true;
  // Columns of names across an 80-character line, as sqlite prints them.
  size_t width = 0;
  for (const std::string& n : names) width = std::max(width, n.size());
  size_t per_line = std::max<size_t>(1, 80 / (width + 2));
  size_t lines = (names.size() + per_line - 1) / per_line;
  for (size_t l = 0; l < lines; ++l) {
    std::string text;
    for (size_t i = l; i < names.size(); i += lines) {
      std::string cell = names[i];
      if (i + lines < names.size()) cell.resize(width + 2, ' ');
      text += cell;
    }
    out() << text << '\n';
  }
  return true;
}

bool ShellSession::DotSchema(const std::vector<std::string>& args) {
  std::vector<std::string> names;
  if (args.size() > 2) return Usage(".schema [TABLE]");
  if (args.size() == 2) {
    names.push_back(args[1]);
  } else {
    names = db_->ListTables();
    std::sort(names.begin(), names.end());
  }
  for (const std::string& name : names) {
    std::string error;
    std::vector<ColumnInfo> columns = db_->DescribeTable(name, &error);
    if (columns.empty()) {
      ReportError(error.empty() ? "table \"" + name + "\" has no columns" : error);
      return false;
    }
    out() << "CREATE TABLE " << name << "(";
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) out() << ", ";
      out() << columns[i].name << ' ' << SqlTypeName(columns[i].type);
    }
    out() << ");\n";
  }
  return true;
}

bool ShellSession::DotRead(const std::vector<std::string>& args) {
  if (args.size() != 2) return Usage(".read FILE");
  if (read_depth_ >= kMaxReadDepth) {
    ReportError(".read nested more than " + std::to_string(kMaxReadDepth) +
                " deep (does a file read itself?)");
    return false;
  }
  ++read_depth_;
  bool ok = RunScriptFile(args[1], "script");
  --read_depth_;
  return ok;
}

bool ShellSession::RunDotCommand(const std::string& line) {
  bool ok = RunDotCommandUnchecked(line);
  // What the command printed (.tables, .schema, .help, ...) must have
  // reached its destination.
  return FinishOutput() && ok;
}

bool ShellSession::RunDotCommandUnchecked(const std::string& line) {
  std::vector<std::string> args = SplitWords(line);
  if (args.empty()) return true;
  const std::string& cmd = args[0];
  if (cmd == ".quit" || cmd == ".exit") {
    quit_ = true;
    return true;
  }
  if (cmd == ".help") {
    out() << kHelp;
    return true;
  }
  if (cmd == ".version") {
    out() << "tslake " << Database::Version() << '\n';
    return true;
  }
  if (cmd == ".tables") return DotTables(args);
  if (cmd == ".describe") return DotDescribe(args);
  if (cmd == ".history") return DotHistory(args);
  if (cmd == ".stats") return DotStats(args);
  if (cmd == ".output") return DotOutput(args, false);
  if (cmd == ".once") return DotOutput(args, true);
  if (cmd == ".import") return DotImport(args);
  if (cmd == ".plot") return DotPlot(line);
  if (cmd == ".schema") return DotSchema(args);
  if (cmd == ".read") return DotRead(args);
  if (cmd == ".mode") {
    std::optional<OutputMode> mode;
    if (args.size() == 2) mode = ParseOutputMode(args[1]);
    if (!mode) return Usage(".mode " + std::string(OutputModeList()));
    settings_.mode = *mode;
    return true;
  }
  if (cmd == ".headers" || cmd == ".header") return SetFlag(cmd, args, &settings_.headers);
  if (cmd == ".timer") return SetFlag(cmd, args, &timer_);
  if (cmd == ".echo") return SetFlag(cmd, args, &echo_);
  if (cmd == ".bail") return SetFlag(cmd, args, &bail_);
  if (cmd == ".maxrows") {
    std::optional<int64_t> n;
    if (args.size() == 2) n = ParseCount(args[1]);
    if (!n) return Usage(".maxrows N");
    settings_.max_rows = *n;
    return true;
  }
  if (cmd == ".maxwidth") {
    std::optional<int64_t> n;
    if (args.size() == 2) n = ParseCount(args[1]);
    if (!n || *n > 100000) return Usage(".maxwidth N");
    settings_.max_width = static_cast<int>(*n);
    return true;
  }
  if (cmd == ".nullvalue") {
    if (args.size() != 2) return Usage(".nullvalue TEXT");
    settings_.null_value = args[1];
    return true;
  }
  if (cmd == ".open") {
    if (args.size() > 2) return Usage(".open [DBDIR]");
    return Open(args.size() == 2 ? args[1] : "", db_ ? db_->read_only() : false);
  }
  ReportError("unknown command or invalid arguments: \"" + cmd.substr(1) +
              "\". Enter \".help\" for help");
  return false;
}

}  // namespace tslake::cli
