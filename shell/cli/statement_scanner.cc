// Quote- and comment-aware statement end detection. See statement_scanner.h.
#include "shell/cli/statement_scanner.h"

namespace tslake::cli {

void StatementScanner::Feed(std::string_view text) {
  text_.append(text);
  for (char c : text) {
    switch (state_) {
      case State::kNormal:
        if ((c == '-' && prev_ == '-') || (c == '*' && prev_ == '/')) {
          // The first character was taken for content; undo that.
          state_ = c == '-' ? State::kLineComment : State::kBlockComment;
          ends_with_semicolon_ = saved_ends_with_semicolon_;
          has_content_ = saved_has_content_;
          c = '\0';  // "--" then "-" or "/*" then "/" starts nothing new
          break;
        }
        if (c == '-' || c == '/') {
          saved_ends_with_semicolon_ = ends_with_semicolon_;
          saved_has_content_ = has_content_;
        }
        if (c == '\'') {
          state_ = State::kSingleQuote;
        } else if (c == '"') {
          state_ = State::kDoubleQuote;
        }
        if (c == ';') {
          ends_with_semicolon_ = true;
        } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
          ends_with_semicolon_ = false;
          has_content_ = true;
        }
        break;
      case State::kSingleQuote:
        if (c == '\'') state_ = State::kNormal;  // '' re-enters on the next char
        break;
      case State::kDoubleQuote:
        if (c == '"') state_ = State::kNormal;
        break;
      case State::kLineComment:
        if (c == '\n') state_ = State::kNormal;
        break;
      case State::kBlockComment:
        if (c == '/' && prev_ == '*') {
          state_ = State::kNormal;
          c = '\0';  // "*/*" must not open a new comment
        }
        break;
    }
    prev_ = c;
  }
}

bool StatementScanner::complete() const {
  return state_ != State::kSingleQuote && state_ != State::kDoubleQuote &&
         state_ != State::kBlockComment && ends_with_semicolon_;
}

void StatementScanner::Reset() {
  text_.clear();
  state_ = State::kNormal;
  has_content_ = false;
  ends_with_semicolon_ = false;
  saved_has_content_ = false;
  saved_ends_with_semicolon_ = false;
  prev_ = '\0';
}

}  // namespace tslake::cli
