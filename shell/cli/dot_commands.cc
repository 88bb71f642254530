// Dot commands of the shell (.help, .mode, .tables, ...), in the manner of
// sqlite's and DuckDB's shells. They work the same in the REPL, in -c and in
// scripts. Thread-safety: as ShellSession (one thread). See shell_session.h.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "shell/cli/shell_session.h"

namespace tslake::cli {

namespace {

constexpr int kMaxReadDepth = 16;

constexpr const char* kHelp =
    ".bail on|off             Stop a script at its first error\n"
    ".cd DIRECTORY            Change the working directory\n"
    ".changes on|off          Print the rows each statement changed\n"
    ".describe TABLE          Show the columns of TABLE and their types\n"
    ".dump [TABLE]            CREATE and INSERT statements that rebuild the tables\n"
    ".echo on|off             Print each statement before running it\n"
    ".exit                    Exit the shell (also .quit, Ctrl-D)\n"
    ".headers on|off          Show column names\n"
    ".help                    Show this message\n"
    ".history TABLE [N]       List the versions of TABLE, newest first (DESCRIBE HISTORY)\n"
    ".import FILE TABLE [--format F]  Append FILE to TABLE (COPY; F: csv, piwebapi, jsonl, line)\n"
    "                         (a CSV into a missing TABLE creates it)\n"
    ".maxrows N               Rows shown in box mode (0 = all)\n"
    ".maxwidth N              Characters per line in box mode (0 = no limit)\n"
    ".mode [MODE]             Output mode: box|table|csv|tsv|json|jsonl|line|markdown|\n"
    "                         list|column|html\n"
    "                         (no MODE: show the current one)\n"
    ".nullvalue TEXT          Text shown for NULL\n"
    ".once FILE               Send the next result to FILE\n"
    ".open DBDIR              Close this database and open DBDIR (none: in memory)\n"
    ".output [FILE]           Send results to FILE (none: back to stdout)\n"
    ".plot [--svg FILE] [--width N] [--height N] [SELECT ...]\n"
    "                         Chart the last result (or the query) over its first\n"
    "                         TIMESTAMP column: numeric columns, or one line per tag\n"
    ".print TEXT...           Print the words of TEXT\n"
    ".progress on|off         Show a progress line for statements running over 2 s\n"
    ".quit                    Exit the shell\n"
    ".read FILE               Run the statements and commands in FILE\n"
    ".schema [TABLE]          Show CREATE statements\n"
    ".separator TEXT          Text between cells in list mode (default |)\n"
    ".shell CMD ARGS...       Run CMD in /bin/sh (also .system)\n"
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

// "on", "off" and the engine's boolean words ("true", "yes", "1", ...).
std::optional<bool> ParseOnOff(const std::string& s) { return tslake::ParseBooleanWord(s, true); }

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
    case Type::kTimestampTz: return "TIMESTAMP WITH TIME ZONE";
    case Type::kDecimal: return "DECIMAL";
    case Type::kSmallint: return "SMALLINT";
    case Type::kTinyint: return "TINYINT";
    case Type::kTime: return "TIME";
    case Type::kBlob: return "BLOB";
    case Type::kUuid: return "UUID";
    case Type::kNull: return "NULL";
  }
  return "NULL";
}

bool EqualsIgnoreCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

// 'text' with its quotes doubled: a SQL string literal.
std::string QuoteString(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

// A name as SQL: as is when it is a plain identifier, else double-quoted.
std::string QuoteName(const std::string& name) {
  bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (unsigned char c : name) plain = plain && (std::isalnum(c) || c == '_');
  if (plain) return name;
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// A cell as a SQL literal for .dump's INSERT statements.
std::string SqlLiteral(const Result& result, int column, int64_t row) {
  if (result.IsNull(column, row)) return "NULL";
  const std::string text = result.GetString(column, row);
  switch (result.column_type(column)) {
    case Type::kBoolean:
    case Type::kInteger:
    case Type::kBigint:
    case Type::kSmallint:
    case Type::kTinyint:
    case Type::kDecimal: return text;
    case Type::kDouble:  // inf and nan need the quoted spelling
      return text.find_first_of("ainfAINF") == std::string::npos ? text : QuoteString(text);
    default: return QuoteString(text);
  }
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
  for (auto& [view, sql] : db_->ListViews()) names.push_back(view);  // as DuckDB's .tables
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

// .schema prints statements that recreate each table as it is now: its
// columns, PARTITION BY and the other properties (WITH), and each view.
bool ShellSession::DotSchema(const std::vector<std::string>& args) {
  if (args.size() > 2) return Usage(".schema [TABLE]");
  std::vector<std::pair<std::string, std::string>> views = db_->ListViews();
  std::vector<std::string> names;
  if (args.size() == 2) {
    names.push_back(args[1]);
  } else {
    // Tables, then views: a view may read any table.
    names = db_->ListTables();
    std::sort(names.begin(), names.end());
    for (const auto& [view, sql] : views) names.push_back(view);
  }
  for (const std::string& name : names) {
    auto view = std::find_if(views.begin(), views.end(),
                             [&](const auto& v) { return EqualsIgnoreCase(v.first, name); });
    if (view != views.end()) {
      out() << "CREATE VIEW " << QuoteName(view->first) << " AS " << view->second << ";\n";
      continue;
    }
    std::string error;
    std::vector<ColumnInfo> columns = db_->DescribeTable(name, &error);
    if (columns.empty()) {
      ReportError(error.empty() ? "table \"" + name + "\" has no columns" : error);
      return false;
    }
    out() << "CREATE TABLE " << QuoteName(name) << "(";
    for (size_t i = 0; i < columns.size(); ++i) {
      if (i > 0) out() << ", ";
      out() << QuoteName(columns[i].name) << ' ' << (columns[i].type == Type::kDecimal ? columns[i].type_name.c_str()
                                                               : SqlTypeName(columns[i].type));
    }
    out() << ")";
    std::string with;
    for (const auto& [key, value] : db_->TableConfiguration(name)) {
      if (key == "partition_by") {
        if (value != "none") out() << " PARTITION BY " << value;
        continue;
      }
      with += (with.empty() ? "" : ", ") + key + " = " + QuoteString(value);
    }
    if (!with.empty()) out() << " WITH (" << with << ")";
    out() << ";\n";
  }
  return true;
}

// .dump [TABLE]: as sqlite3's, the statements that rebuild the database:
// each table's CREATE TABLE (as .schema prints it) and one INSERT per row,
// then the views (which may read any table). The table is read whole
// (a Result), so dumping a table larger than memory fails with the
// engine's memory-limit error rather than exhausting the machine.
bool ShellSession::DotDump(const std::vector<std::string>& args) {
  if (args.size() > 2) return Usage(".dump [TABLE]");
  std::vector<std::string> tables;
  if (args.size() == 2) {
    tables.push_back(args[1]);
  } else {
    tables = db_->ListTables();
    std::sort(tables.begin(), tables.end());
  }
  for (const std::string& table : tables) {
    if (!DotSchema({".schema", table})) return false;
    Result rows = con_->Query("SELECT * FROM " + QuoteName(table));
    if (!rows.ok()) {
      ReportError(rows.error_message());
      return false;
    }
    for (int64_t r = 0; r < rows.row_count(); ++r) {
      std::string line = "INSERT INTO " + QuoteName(table) + " VALUES(";
      for (int c = 0; c < rows.column_count(); ++c) {
        if (c > 0) line += ',';
        line += SqlLiteral(rows, c, r);
      }
      out() << line << ");\n";
    }
  }
  if (args.size() == 1) {
    for (const auto& [view, sql] : db_->ListViews()) {
      out() << "CREATE VIEW " << QuoteName(view) << " AS " << sql << ";\n";
    }
  }
  return true;
}

// .shell CMD / .system CMD: runs CMD with /bin/sh, as sqlite3 and DuckDB do
// (also under --readonly, as DuckDB: the flag guards the database, not the
// machine). The command's output goes to the terminal; ours is flushed
// first so the two appear in order.
bool ShellSession::DotShell(const std::string& line) {
  const size_t start = line.find_first_not_of(" \t", line.find_first_of(" \t"));
  if (line.find_first_of(" \t") == std::string::npos || start == std::string::npos)
    return Usage(".shell CMD ARGS...");
  if (!FinishOutput()) return false;
  std::fflush(stdout);
  const int status = std::system(line.substr(start).c_str());
  if (status == -1) {
    ReportError("cannot run the command: " + std::string(std::strerror(errno)));
    return false;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  ReportError("command exited with status " +
              std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)));
  return false;
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
  RefreshTerminalWidth();  // .plot, .stats and .history print to the current width
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
  if (cmd == ".dump") return DotDump(args);
  if (cmd == ".read") return DotRead(args);
  if (cmd == ".mode") {
    if (args.size() == 1) {  // as sqlite3 and DuckDB answer a bare .mode
      out() << "current output mode: " << OutputModeName(settings_.mode) << '\n';
      return true;
    }
    std::optional<OutputMode> mode;
    if (args.size() == 2) mode = ParseOutputMode(args[1]);
    if (!mode) return Usage(".mode " + std::string(OutputModeList()));
    settings_.mode = *mode;
    return true;
  }
  if (cmd == ".separator") {  // list mode's cell separator; \t, \n and \\ as in sqlite3
    if (args.size() != 2 || args[1].empty()) return Usage(".separator TEXT");
    std::string sep;
    for (size_t i = 0; i < args[1].size(); ++i) {
      const char c = args[1][i];
      if (c == '\\' && i + 1 < args[1].size()) {
        const char e = args[1][++i];
        sep += e == 't' ? '\t' : e == 'n' ? '\n' : e;
      } else {
        sep += c;
      }
    }
    settings_.separator = sep;
    return true;
  }
  if (cmd == ".print") {  // the words, space-separated, as sqlite3 prints them
    for (size_t i = 1; i < args.size(); ++i) out() << (i > 1 ? " " : "") << args[i];
    out() << '\n';
    return true;
  }
  if (cmd == ".cd") {
    if (args.size() != 2) return Usage(".cd DIRECTORY");
    if (::chdir(args[1].c_str()) != 0) {
      ReportError("cannot change to directory \"" + args[1] + "\": " + std::strerror(errno));
      return false;
    }
    return true;
  }
  if (cmd == ".shell" || cmd == ".system") return DotShell(line);
  if (cmd == ".headers" || cmd == ".header") return SetFlag(cmd, args, &settings_.headers);
  if (cmd == ".timer") return SetFlag(cmd, args, &timer_);
  if (cmd == ".echo") return SetFlag(cmd, args, &echo_);
  if (cmd == ".changes") return SetFlag(cmd, args, &changes_);
  if (cmd == ".progress") return SetFlag(cmd, args, &progress_);
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
    width_from_terminal_ = false;  // the user's width stays through resizes
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
