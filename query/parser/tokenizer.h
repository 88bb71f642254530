// Tokenizer: splits SQL text into tokens (identifiers, keywords, numbers,
// strings, operators), skipping whitespace and `--` / `/* */` comments.
// Every token keeps its byte offset so errors can put a caret under it.
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tsl::query {

enum class TokenType {
  kIdentifier,        // bare word (keywords are identifiers too)
  kQuotedIdentifier,  // "Name"
  kInteger,
  kFloat,
  kString,    // 'text' with '' unescaped
  kOperator,  // punctuation and operators: ( ) , ; . * + - / // % || = <> != < <= > >= :: =>
  kEnd,
};

struct Token {
  TokenType type = TokenType::kEnd;
  std::string text;  // identifier/keyword as written, literal value, or operator
  int position = 0;  // byte offset in the SQL text
};

// Throws QueryError(kParser) for an unterminated string, quoted identifier
// or comment, and for characters SQL does not use. The last token is kEnd.
std::vector<Token> Tokenize(std::string_view sql);

}  // namespace tsl::query
