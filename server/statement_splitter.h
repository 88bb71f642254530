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

}  // namespace tslake::server
