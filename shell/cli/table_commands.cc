// Dot commands about tables and where output goes: .describe, .history,
// .stats, .import, .output and .once. Each turns into SQL where SQL can say
// it (DESCRIBE, DESCRIBE HISTORY, COPY), so the engine's errors, carets and
// suggestions apply; .stats reads Database::GetTableStats and prints the
// numbers as a result of a scratch in-memory database.
// Thread-safety: as ShellSession (one thread).
#include <strings.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>

#include "shell/cli/result_printer.h"
#include "shell/cli/shell_session.h"

namespace tslake::cli {

namespace {

bool Usage(const std::string& text) {
  ShellSession::ReportError("Usage: " + text);
  return false;
}

// A table name as SQL: bare when it is a plain identifier, else quoted.
std::string SqlIdentifier(const std::string& name) {
  bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name) plain &= std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  if (plain) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string SqlString(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace

bool ShellSession::DotDescribe(const std::vector<std::string>& args) {
  if (args.size() != 2) return Usage(".describe TABLE");
  return RunSql("DESCRIBE " + SqlIdentifier(args[1]) + ";");
}

bool ShellSession::DotHistory(const std::vector<std::string>& args) {
  if (args.size() != 2 && args.size() != 3) return Usage(".history TABLE [N]");
  std::string sql = "DESCRIBE HISTORY " + SqlIdentifier(args[1]);
  if (args.size() == 3) {
    if (args[2].empty() || args[2].find_first_not_of("0123456789") != std::string::npos)
      return Usage(".history TABLE [N]  (N: how many of the newest versions)");
    sql += " LIMIT " + args[2];
  }
  Result history = con_->Query(sql);
  if (!history.ok()) {
    ReportError(history.error_message());
    return false;
  }
  // The columns a reader needs (version, time, operation, what it did);
  // DESCRIBE HISTORY has them all, operationParameters too.
  auto column = [&](const char* name) {
    for (int c = 0; c < history.column_count(); ++c)
      if (history.column_name(c) == name) return c;
    return -1;
  };
  // A narrow terminal drops middle columns first, so the long JSON ones
  // sit there (see grid_printer.cc).
  const char* kColumns[] = {"version", "timestamp", "operationMetrics", "readVersion", "operation"};
  std::string rows;
  for (int64_t r = 0; r < history.row_count(); ++r) {
    rows += rows.empty() ? "(" : ", (";
    for (size_t i = 0; i < std::size(kColumns); ++i) {
      int c = column(kColumns[i]);
      if (i) rows += ", ";
      rows += c < 0 || history.IsNull(c, r) ? "NULL" : SqlString(history.GetString(c, r));
    }
    rows += ")";
  }
  return PrintScratch(
      "CREATE TABLE history (version BIGINT, \"timestamp\" TIMESTAMP, operationMetrics VARCHAR, "
      "readVersion BIGINT, operation VARCHAR)",
      rows.empty() ? "" : "INSERT INTO history VALUES " + rows,
      "SELECT * FROM history ORDER BY version DESC");
}

bool ShellSession::PrintScratch(const std::string& create, const std::string& insert,
                                const std::string& select) {
  std::string error;
  std::unique_ptr<Database> scratch = Database::Open(":memory:", Options(), &error);
  if (!scratch) {
    ReportError(error);
    return false;
  }
  Connection con(*scratch);
  Result result = con.Query(create + ";" + (insert.empty() ? "" : insert + ";") + select + ";");
  if (!result.ok()) {
    ReportError(result.error_message());
    return false;
  }
  PrintResult(result, settings_, out());
  bool wrote = FinishOutput();
  return EndOnce() && wrote;
}

bool ShellSession::DotStats(const std::vector<std::string>& args) {
  if (args.size() > 2) return Usage(".stats [TABLE]");
  std::vector<std::string> names;
  if (args.size() == 2) {
    names.push_back(args[1]);
  } else {
    names = db_->ListTables();
    std::sort(names.begin(), names.end());
    if (names.empty()) {
      out() << "no tables\n";
      return true;
    }
  }
  // The numbers go into a table of a scratch in-memory database, so they
  // print in the current .mode (csv, json, ...) like any result.
  std::string rows;
  for (const std::string& name : names) {
    TableStats st;
    Status status = db_->GetTableStats(name, &st);
    if (!status.ok()) {
      ReportError(status.message());
      return false;
    }
    char per_point[64] = "NULL";
    if (st.rows > 0)
      std::snprintf(per_point, sizeof per_point, "%.2f",
                    static_cast<double>(st.bytes) / static_cast<double>(st.rows));
    rows += std::string(rows.empty() ? "" : ", ") + "(" + SqlString(name) + ", " +
            std::to_string(st.version) + ", " + std::to_string(st.versions) + ", " +
            std::to_string(st.partitions) + ", " + std::to_string(st.segments) + ", " +
            std::to_string(st.rows) + ", " + std::to_string(st.bytes) + ", " + per_point + ")";
  }
  return PrintScratch(
      "CREATE TABLE stats (table_name VARCHAR, version BIGINT, versions BIGINT, partitions BIGINT, "
      "segments BIGINT, \"rows\" BIGINT, bytes BIGINT, bytes_per_point DOUBLE)",
      "INSERT INTO stats VALUES " + rows, "SELECT * FROM stats ORDER BY table_name");
}

bool ShellSession::DotImport(const std::vector<std::string>& args) {
  const char* usage = ".import FILE TABLE [--format csv|piwebapi|jsonl|line] [--delimiter C] [--no-header]";
  if (args.size() < 3) return Usage(usage);
  std::vector<std::string> options;
  for (size_t i = 3; i < args.size(); ++i) {
    if ((args[i] == "--format" || args[i] == "--delimiter") && i + 1 < args.size()) {
      std::string value = args[++i];
      if (args[i - 1] == "--delimiter" && value == "\\t") value = "\t";
      options.push_back(std::string(args[i - 1] == "--format" ? "FORMAT " : "DELIMITER ") +
                        SqlString(value));
    } else if (args[i] == "--no-header") {
      options.push_back("HEADER false");
    } else {
      return Usage(usage);
    }
  }
  const std::string& file = args[1];
  if (options.empty() && file.size() > 4 && file.compare(file.size() - 4, 4, ".tsv") == 0)
    options.push_back("DELIMITER '\t'");
  // A CSV into a missing table creates it, as sqlite3's .import does: the
  // columns and types read_csv sniffs, the rows, one table version (CREATE
  // TABLE AS). Other formats need the table (their readers fix the columns).
  const bool csv = std::none_of(options.begin(), options.end(), [](const std::string& o) {
    return o.rfind("FORMAT ", 0) == 0 && o != "FORMAT 'csv'";
  });
  std::vector<std::string> tables = db_->ListTables();
  const bool missing = std::none_of(tables.begin(), tables.end(), [&](const std::string& t) {
    return strcasecmp(t.c_str(), args[2].c_str()) == 0;
  });
  if (csv && missing) {
    std::string read = "read_csv(" + SqlString(file);
    for (const std::string& o : options) {
      if (o.rfind("DELIMITER ", 0) == 0) read += ", delim = " + o.substr(10);
      if (o == "HEADER false") read += ", header = false";
    }
    return RunSql("CREATE TABLE " + SqlIdentifier(args[2]) + " AS SELECT * FROM " + read + ");");
  }
  std::string sql = "COPY " + SqlIdentifier(args[2]) + " FROM " + SqlString(file);
  if (!options.empty()) {
    sql += " (";
    for (size_t i = 0; i < options.size(); ++i) sql += (i ? ", " : "") + options[i];
    sql += ")";
  }
  return RunSql(sql + ";");
}

bool ShellSession::DotOutput(const std::vector<std::string>& args, bool once) {
  if (args.size() > 2 || (once && args.size() != 2))
    return Usage(once ? ".once FILE" : ".output [FILE]");
  // The previous file is closed first: a failed last write is reported now.
  bool closed = CloseOutputFile();
  once_ = false;
  if (args.size() == 1 || args[1] == "stdout") return closed;
  // Never into the database directory (a .output over a log file breaks
  // the table): checked before the file is created or truncated.
  Status allowed = db_->CheckOutputFile(args[1]);
  if (!allowed.ok()) {
    ReportError(allowed.message());
    return false;
  }
  auto file = std::make_unique<std::ofstream>(args[1], std::ios::out | std::ios::trunc);
  if (!*file) {
    ReportError("cannot write \"" + args[1] + "\": " + std::strerror(errno));
    return false;
  }
  output_file_ = std::move(file);
  output_path_ = args[1];
  once_ = once;
  return closed;
}

}  // namespace tslake::cli
