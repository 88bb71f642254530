// SQL tokenizer. See tokenizer.h.
#include "query/parser/tokenizer.h"

#include <cctype>

#include "formats/utf8.h"
#include "query/common/query_error.h"

namespace tsl::query {
namespace {

bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentChar(char c) {
  return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$';
}
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// The position of the closing '$' of a dollar quote's opening tag starting at
// sql[i] == '$' ($$ or $tag$, the tag an identifier without '$'), or npos
// when sql[i] starts no dollar quote ($1 and $name are parameters).
size_t DollarQuoteTagEnd(std::string_view sql, size_t i) {
  size_t j = i + 1;
  if (j < sql.size() && IsIdentStart(sql[j])) {
    while (j < sql.size() && IsIdentChar(sql[j]) && sql[j] != '$') ++j;
  }
  return j < sql.size() && sql[j] == '$' ? j : std::string_view::npos;
}

}  // namespace

std::vector<Token> Tokenize(std::string_view sql) {
  // The text's literals and names become VARCHAR values and column names:
  // refuse bytes that are not UTF-8 up front, as DuckDB does.
  if (const size_t bad = FindInvalidUtf8(sql); bad != std::string_view::npos) {
    throw QueryError(ErrorKind::kInvalidInput,
                     "Invalid unicode (byte sequence mismatch) detected in query string: " +
                         DescribeInvalidUtf8(sql),
                     static_cast<int>(bad));
  }
  std::vector<Token> tokens;
  size_t i = 0;
  const size_t n = sql.size();
  while (i < n) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      if (end == std::string_view::npos) {
        throw QueryError(ErrorKind::kParser, "unterminated comment", static_cast<int>(i));
      }
      i = end + 2;
      continue;
    }
    Token tok;
    tok.position = static_cast<int>(i);
    if (IsIdentStart(c)) {
      size_t start = i;
      while (i < n && IsIdentChar(sql[i])) ++i;
      tok.type = TokenType::kIdentifier;
      tok.text = std::string(sql.substr(start, i - start));
    } else if (IsDigit(c) || (c == '.' && i + 1 < n && IsDigit(sql[i + 1]))) {
      size_t start = i;
      bool is_float = false;
      while (i < n && (IsDigit(sql[i]) || sql[i] == '_')) ++i;
      if (i < n && sql[i] == '.' && !(i + 1 < n && sql[i + 1] == '.')) {
        is_float = true;
        ++i;
        while (i < n && IsDigit(sql[i])) ++i;
      }
      if (i < n && (sql[i] == 'e' || sql[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (sql[j] == '+' || sql[j] == '-')) ++j;
        if (j < n && IsDigit(sql[j])) {
          is_float = true;
          i = j;
          while (i < n && IsDigit(sql[i])) ++i;
        }
      }
      tok.type = is_float ? TokenType::kFloat : TokenType::kInteger;
      for (char d : sql.substr(start, i - start)) {
        if (d != '_') tok.text.push_back(d);
      }
    } else if (c == '\'' || c == '"') {
      const char quote = c;
      ++i;
      std::string text;
      bool closed = false;
      while (i < n) {
        if (sql[i] == quote) {
          if (i + 1 < n && sql[i + 1] == quote) {
            text.push_back(quote);
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        text.push_back(sql[i++]);
      }
      if (!closed) {
        throw QueryError(ErrorKind::kParser,
                         quote == '\'' ? "unterminated quoted string at or near \"'\""
                                       : "unterminated quoted identifier at or near \"\"\"",
                         tok.position);
      }
      tok.type = quote == '\'' ? TokenType::kString : TokenType::kQuotedIdentifier;
      tok.text = std::move(text);
    } else if (c == '$' && DollarQuoteTagEnd(sql, i) != std::string_view::npos) {
      // A dollar-quoted string, $$text$$ or $tag$text$tag$ (PostgreSQL's and
      // DuckDB's): the text is taken verbatim, quotes and backslashes included.
      const size_t tag_end = DollarQuoteTagEnd(sql, i);
      const std::string_view tag = sql.substr(i, tag_end + 1 - i);
      const size_t close = sql.find(tag, tag_end + 1);
      if (close == std::string_view::npos) {
        throw QueryError(ErrorKind::kParser,
                         "unterminated dollar-quoted string at or near \"" + std::string(sql.substr(i)) + "\"",
                         tok.position);
      }
      tok.type = TokenType::kString;
      tok.text = std::string(sql.substr(tag_end + 1, close - tag_end - 1));
      i = close + tag.size();
    } else if (c == '$' && i + 1 < n && IsDigit(sql[i + 1])) {
      // A prepared statement's positional parameter $1, $2, ...
      size_t start = i++;
      while (i < n && IsDigit(sql[i])) ++i;
      tok.type = TokenType::kOperator;
      tok.text = std::string(sql.substr(start, i - start));
    } else if (c == '$' && i + 1 < n && IsIdentStart(sql[i + 1])) {
      // A named parameter $name (EXECUTE q(name := value)).
      size_t start = i++;
      while (i < n && IsIdentChar(sql[i]) && sql[i] != '$') ++i;
      tok.type = TokenType::kOperator;
      tok.text = std::string(sql.substr(start, i - start));
    } else {
      static const char* kTwoChar[] = {"<>", "!=", "<=", ">=", "::", "=>", "||", "//", "==", "<<", ">>"};
      // DuckDB's pattern operators, longest first: regular expression
      // (~, !~), LIKE (~~, ~~*, !~~, !~~*) and starts_with (^@).
      static const char* kPatternOps[] = {"!~~*", "!~~", "~~*", "~~", "!~", "~", "^@"};
      tok.type = TokenType::kOperator;
      bool matched = false;
      for (const char* op : kPatternOps) {
        const std::string_view candidate(op);
        if (sql.substr(i, candidate.size()) == candidate) {
          tok.text = std::string(candidate);
          i += candidate.size();
          matched = true;
          break;
        }
      }
      if (!matched && i + 1 < n) {
        std::string_view two = sql.substr(i, 2);
        for (const char* op : kTwoChar) {
          if (two == op) {
            tok.text = std::string(two);
            i += 2;
            matched = true;
            break;
          }
        }
      }
      if (!matched) {
        if (std::string_view("(),;.*+-/%=<>[]:?&|").find(c) == std::string_view::npos) {
          throw QueryError(ErrorKind::kParser, std::string("syntax error at or near \"") + c + "\"",
                           tok.position);
        }
        tok.text = std::string(1, c);
        ++i;
      }
    }
    tokens.push_back(std::move(tok));
  }
  Token end;
  end.type = TokenType::kEnd;
  end.position = static_cast<int>(n);
  tokens.push_back(end);
  return tokens;
}

}  // namespace tsl::query
