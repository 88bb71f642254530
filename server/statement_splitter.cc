// Statement splitting for simple Query. See statement_splitter.h.
#include "server/statement_splitter.h"

#include <cctype>

namespace tslake::server {

namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Index just past the comment or quoted token starting at i, or i when
// none starts there. Unterminated tokens run to the end.
size_t SkipToken(std::string_view s, size_t i) {
  const size_t n = s.size();
  char c = s[i];
  if (c == '-' && i + 1 < n && s[i + 1] == '-') {
    size_t e = s.find('\n', i);
    return e == std::string_view::npos ? n : e + 1;
  }
  if (c == '/' && i + 1 < n && s[i + 1] == '*') {
    int depth = 0;
    while (i < n) {
      if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
        ++depth;
        i += 2;
      } else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
        i += 2;
        if (--depth == 0) return i;
      } else {
        ++i;
      }
    }
    return n;
  }
  if (c == '\'' || c == '"') {
    bool escapes = c == '\'' && i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
                   (i < 2 || !(std::isalnum(static_cast<unsigned char>(s[i - 2])) || s[i - 2] == '_'));
    size_t j = i + 1;
    while (j < n) {
      if (escapes && s[j] == '\\') {
        j += 2;
        continue;
      }
      if (s[j] == c) {
        if (j + 1 < n && s[j + 1] == c) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      ++j;
    }
    return n;
  }
  if (c == '$' && (i == 0 || !(std::isalnum(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '_'))) {
    size_t j = i + 1;
    while (j < n && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
    if (j < n && s[j] == '$' && !(j > i + 1 && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      std::string_view tag = s.substr(i, j - i + 1);
      size_t e = s.find(tag, j + 1);
      return e == std::string_view::npos ? n : e + tag.size();
    }
  }
  return i;
}

}  // namespace

std::vector<std::string> SplitStatements(std::string_view sql) {
  std::vector<std::string> out;
  size_t start = 0, i = 0;
  bool content = false;  // the current statement has something besides blanks and comments
  auto cut = [&](size_t end) {
    if (content) out.emplace_back(sql.substr(start, end - start));
    start = end + 1;
    content = false;
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == ';') {
      cut(i);
      ++i;
      continue;
    }
    size_t next = SkipToken(sql, i);
    if (next != i) {
      bool comment = c == '-' || c == '/';
      if (!comment) content = true;
      i = next;
      continue;
    }
    if (!IsSpace(c)) content = true;
    ++i;
  }
  if (content) out.emplace_back(sql.substr(start));
  return out;
}

std::string FirstKeyword(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (IsSpace(s[i]) || s[i] == '(') {
      ++i;
      continue;
    }
    size_t next = SkipToken(s, i);
    if (next != i && (s[i] == '-' || s[i] == '/')) {
      i = next;
      continue;
    }
    break;
  }
  std::string word;
  while (i < s.size() && (std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_'))
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(s[i++])));
  return word;
}

bool LexShortStatement(std::string_view s, std::string_view word_chars,
                       std::vector<ShortToken>* out) {
  auto is_word = [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           word_chars.find(c) != std::string_view::npos;
  };
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (c == '\'' || c == '"') {
      std::string v;
      size_t j = i + 1;
      bool closed = false;
      while (j < s.size()) {
        if (s[j] == c) {
          if (j + 1 < s.size() && s[j + 1] == c) {  // a doubled quote
            v += c;
            j += 2;
            continue;
          }
          closed = true;
          ++j;
          break;
        }
        v += s[j++];
      }
      out->push_back({std::move(v), c == '\'' ? 's' : 'i'});
      if (!closed) return false;
      i = j;
    } else if (is_word(c)) {
      size_t j = i;
      while (j < s.size() && is_word(s[j])) ++j;
      std::string w(s.substr(i, j - i));
      for (char& ch : w) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      out->push_back({std::move(w), 'w'});
      i = j;
    } else {
      out->push_back({std::string(1, c), 'p'});
      ++i;
    }
  }
  return true;
}

}  // namespace tslake::server
