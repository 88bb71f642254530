// Splits a simple Query message's text into statements at top-level
// semicolons, as PostgreSQL runs a multi-statement Query one statement at
// a time: quotes ('...', E'...' with backslash escapes, "..."), dollar
// quotes ($tag$...$tag$) and comments (--, nested /* */) are skipped.
// Statements that hold only whitespace and comments are dropped, so an
// empty result means EmptyQueryResponse. Thread-safety: a plain function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tslake::server {

std::vector<std::string> SplitStatements(std::string_view sql);

// The first keyword of a statement, upper-cased ("SELECT", "COPY", ...),
// after leading whitespace, comments and parentheses.
std::string FirstKeyword(std::string_view statement);

// One token of a short statement the session reads itself (COPY's options,
// SET/SHOW/RESET/BEGIN): never used on queries, which the engine parses.
struct ShortToken {
  std::string text;  // words lower-cased; quotes removed ('' and "" undoubled)
  char kind;         // 'w' word, 's' 'string', 'i' "identifier", 'p' one punctuation char
};

// Tokens of `s`, -- comments skipped. A word is letters, digits, '_' and
// the characters in `word_chars`. False on an unterminated quote (the
// quoted token still ends the list, holding the rest of `s`).
bool LexShortStatement(std::string_view s, std::string_view word_chars,
                       std::vector<ShortToken>* out);

}  // namespace tslake::server
