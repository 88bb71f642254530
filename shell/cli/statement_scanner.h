// StatementScanner: decides when SQL text typed or read line by line forms
// complete statements, i.e. ends with a ';' outside quotes and comments.
// The shell feeds it lines to know when to run the buffer (scripts) or to
// show the continuation prompt (REPL). It only scans; the query engine does
// the real splitting and parsing.
// Thread-safety: one owner at a time.
#pragma once

#include <string>
#include <string_view>

namespace tslake::cli {

class StatementScanner {
 public:
  // Appends `text` (usually one line including its '\n').
  void Feed(std::string_view text);
  // True when the text fed so far ends, outside quotes and comments, with
  // ';' followed only by blanks and comments.
  bool complete() const;
  // True when nothing but blanks and comments was fed.
  bool empty() const { return !has_content_; }
  const std::string& text() const { return text_; }
  void Reset();

 private:
  enum class State { kNormal, kSingleQuote, kDoubleQuote, kLineComment, kBlockComment };
  std::string text_;
  State state_ = State::kNormal;
  bool has_content_ = false;
  bool ends_with_semicolon_ = false;
  // State before a '-' or '/' that may turn out to open a comment.
  bool saved_has_content_ = false;
  bool saved_ends_with_semicolon_ = false;
  char prev_ = '\0';
};

}  // namespace tslake::cli
