// SqlCompleter. See sql_completer.h.
#include "shell/cli/sql_completer.h"

#include <strings.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "shell/cli/output_mode.h"

namespace tslake::cli {

namespace {

const char* const kKeywords[] = {
    "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "HAVING", "LIMIT", "OFFSET", "INSERT",
    "INTO", "VALUES", "CREATE", "TABLE", "DROP", "DELETE", "COPY", "AS", "AND", "OR", "NOT",
    "NULL", "IS", "IN", "BETWEEN", "LIKE", "CASE", "WHEN", "THEN", "ELSE", "END", "JOIN",
    "LEFT", "INNER", "ON", "ASOF", "USING", "DISTINCT", "UNION", "ALL", "WITH", "OVER",
    "PARTITION", "ROWS", "RANGE", "PRECEDING", "FOLLOWING", "CURRENT", "ROW", "INTERVAL",
    "TIMESTAMP", "VARCHAR", "DOUBLE", "BIGINT", "INTEGER", "BOOLEAN", "VERSION", "OF",
    "DESCRIBE", "HISTORY", "EXPLAIN", "ANALYZE", "IF", "EXISTS", "CAST", "TRUE", "FALSE",
    "ASC", "DESC", "NULLS", "FIRST", "LAST", "HEADER", "FORMAT", "SHOW", "TABLES", "OPTIMIZE",
    "VACUUM", "RESTORE", "ALTER", "ADD", "COLUMN", "RENAME", "SET", "TBLPROPERTIES", "RETAIN",
    "HOURS", "DRY", "RUN", "TO", "DELIMITER"};

bool StartsWithNoCase(const std::string& word, const std::string& prefix) {
  return word.size() >= prefix.size() &&
         strncasecmp(word.c_str(), prefix.c_str(), prefix.size()) == 0;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// True when `text` ends inside an unclosed '...' string.
bool InsideString(const std::string& text) {
  bool in = false;
  for (char c : text) {
    if (c == '\'') in = !in;
  }
  return in;
}

// The words (identifier characters) of `text`.
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word += c;
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

// The dot command's name and the index of the argument being typed, when
// `before` is a dot command line; else false.
bool DotCommandArgument(const std::string& before, std::string* command, int* argument) {
  size_t first = before.find_first_not_of(" \t");
  if (first == std::string::npos || before[first] != '.') return false;
  size_t end = before.find_first_of(" \t", first);
  if (end == std::string::npos) return false;  // still typing the command name
  *command = before.substr(first + 1, end - first - 1);
  *argument = 0;
  bool in_word = false;
  for (size_t i = end; i < before.size(); ++i) {
    bool blank = before[i] == ' ' || before[i] == '\t';
    if (!blank && !in_word) ++*argument;
    in_word = !blank;
  }
  // `before` ends with a blank: the word being typed is a new argument.
  return true;
}

}  // namespace

const std::vector<std::string>& SqlCompleter::DotCommands() {
  static const std::vector<std::string> kNames = {
      "bail", "cd", "changes", "describe", "dump", "echo", "exit", "headers", "help",
      "history", "import", "maxrows", "maxwidth", "mode", "nullvalue", "once", "open",
      "output", "plot", "print", "quit", "read", "schema", "separator", "shell", "stats",
      "system", "tables", "timer", "version"};
  return kNames;
}

SqlCompleter::Kind SqlCompleter::KindAt(const std::string& before) {
  std::string command;
  int argument = 0;
  size_t first = before.find_first_not_of(" \t");
  if (first != std::string::npos && before[first] == '.' &&
      before.find_first_of(" \t", first) == std::string::npos)
    return Kind::kDotCommand;
  if (DotCommandArgument(before, &command, &argument)) {
    if (command == "mode") return argument <= 1 ? Kind::kModeName : Kind::kSql;
    if (command == "read" || command == "open" || command == "output" || command == "once" ||
        command == "cd")
      return Kind::kFilePath;
    if (command == "import") return argument == 0 ? Kind::kFilePath : Kind::kTableName;
    if (command == "plot" && before.find("--svg") != std::string::npos &&
        Words(before.substr(before.rfind("--svg"))).size() <= 1)
      return Kind::kFilePath;
    if (command == "describe" || command == "history" || command == "stats" ||
        command == "schema" || command == "dump")
      return Kind::kTableName;
    return Kind::kSql;
  }
  // COPY t FROM '...' and read_csv('...'): a path inside a string.
  return InsideString(before) ? Kind::kFilePath : Kind::kSql;
}

const char* SqlCompleter::WordBreaks(const std::string& before) {
  if (KindAt(before) == Kind::kFilePath) return " \t\n'\"(";
  return " \t\n\"\\'`@$><=;|&{(,.";
}

std::vector<std::string> SqlCompleter::Candidates(const std::string& before,
                                                  const std::string& word) const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& candidate) {
    if (StartsWithNoCase(candidate, word) && seen.insert(candidate).second) out.push_back(candidate);
  };
  Kind kind = KindAt(before);
  if (kind == Kind::kDotCommand) {
    for (const std::string& name : DotCommands()) add(name);
    return out;
  }
  if (kind == Kind::kModeName) {  // every name .mode accepts (output_mode.cc)
    std::string_view list = OutputModeList();
    for (size_t at = 0; at <= list.size();) {
      size_t bar = std::min(list.find('|', at), list.size());
      add(std::string(list.substr(at, bar - at)));
      at = bar + 1;
    }
    return out;
  }
  std::vector<std::string> tables = db_ ? db_->ListTables() : std::vector<std::string>{};
  if (kind == Kind::kTableName) {
    for (const std::string& t : tables) add(t);
    return out;
  }
  bool lower = !word.empty() && std::islower(static_cast<unsigned char>(word[0]));
  for (const char* k : kKeywords) add(lower ? Lower(k) : std::string(k));
  // Columns of the tables this statement names; of all tables when it
  // names none yet (SELECT typed before FROM).
  std::set<std::string> named;
  for (const std::string& w : Words(before)) {
    for (const std::string& t : tables) {
      if (strcasecmp(w.c_str(), t.c_str()) == 0) named.insert(t);
    }
  }
  std::vector<std::string> schema;  // columns, then tables
  for (const std::string& t : tables) {
    if (named.empty() || named.count(t)) {
      for (const ColumnInfo& col : db_->DescribeTable(t)) schema.push_back(col.name);
    }
  }
  for (const std::string& t : tables) schema.push_back(t);
  // The engine's own function list (Database::ListFunctions), so a new
  // function is offered without touching the shell; but a prefix that
  // names a column or table of the user's schema completes to it (as
  // DuckDB's shell ranks them first): `WHERE qua` is `quality`, not one
  // of the quantile functions.
  const bool schema_match = std::any_of(schema.begin(), schema.end(), [&](const std::string& n) {
    return !word.empty() && StartsWithNoCase(n, word);
  });
  if (db_ && !schema_match) {
    for (const std::string& f : db_->ListFunctions()) add(f);
  }
  for (const std::string& n : schema) add(n);
  return out;
}

}  // namespace tslake::cli
