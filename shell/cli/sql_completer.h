// SqlCompleter: what the REPL's Tab offers at the cursor. Given the text
// of the statement before the word being completed (earlier lines of a
// multi-line statement included) and the word itself, it decides the kind
// of completion (a file path inside a quoted string and after .read,
// .import, .open, .output, .once; table names after a table dot command;
// dot command names; else SQL keywords, function names, table names and
// the columns of the tables the statement names, or of every table when
// it names none) and lists the candidates.
// Thread-safety: one thread; it reads the database's catalog through the
// public API.
#pragma once

#include <string>
#include <vector>

#include "tslake/tslake.hpp"

namespace tslake::cli {

class SqlCompleter {
 public:
  enum class Kind { kSql, kFilePath, kDotCommand, kTableName, kModeName };

  explicit SqlCompleter(Database* db) : db_(db) {}

  // The kind of completion for a word that starts after `before` (the
  // statement's text up to the word).
  static Kind KindAt(const std::string& before);
  // Characters that end a word for `before`'s kind (file paths keep their
  // '.' and '/').
  static const char* WordBreaks(const std::string& before);

  // Candidates for `word` of kind kSql, kTableName, kDotCommand or kModeName
  // (case-insensitive prefix match; keywords follow the case typed).
  std::vector<std::string> Candidates(const std::string& before, const std::string& word) const;

  // Every dot command name, without the dot.
  static const std::vector<std::string>& DotCommands();

 private:
  Database* db_;
};

}  // namespace tslake::cli
