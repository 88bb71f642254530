// COPY statement options and the text/CSV row codec. See copy_format.h.
#include "server/copy_format.h"

#include <cctype>
#include <cstdint>

#include "server/statement_splitter.h"

namespace tslake::server {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Tokens of a COPY statement (statement_splitter.h): words lower-cased,
// 'strings' and "quoted identifiers" unquoted, single punctuation.
using Token = ShortToken;

bool Tokenize(const std::string& s, std::vector<Token>* out, std::string* error) {
  if (LexShortStatement(s, ".", out)) return true;
  *error = "unterminated quoted string in COPY statement";
  return false;
}

// The text between the parenthesis at `open` and its match, quotes
// skipped; npos when unbalanced.
size_t MatchingParen(const std::string& s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\'' || c == '"') {
      size_t j = i + 1;
      while (j < s.size() && s[j] != c) ++j;
      i = j;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) return i;
  }
  return std::string::npos;
}

bool SingleChar(const Token& t, char* out, const char* what, std::string* error) {
  if (t.kind != 's' || t.text.size() != 1) {
    *error = std::string("COPY ") + what + " must be a single one-byte character";
    return false;
  }
  *out = t.text[0];
  return true;
}

}  // namespace

bool ParseCopyStatement(const std::string& sql, CopyStatement* out, std::string* error) {
  *out = CopyStatement();
  error->clear();
  // The statement must begin (after blanks and comments) with the word
  // COPY; then COPY (query) TO STDOUT has its query cut out before
  // tokenizing.
  size_t start = 0;
  while (start < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[start]))) {
      ++start;
    } else if (sql.compare(start, 2, "--") == 0) {
      size_t nl = sql.find('\n', start);
      start = nl == std::string::npos ? sql.size() : nl + 1;
    } else if (sql.compare(start, 2, "/*") == 0) {
      size_t end = sql.find("*/", start + 2);
      start = end == std::string::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  if (sql.size() - start < 4 || Lower(sql.substr(start, 4)) != "copy" ||
      (sql.size() > start + 4 &&
       (std::isalnum(static_cast<unsigned char>(sql[start + 4])) || sql[start + 4] == '_')))
    return false;
  std::string rest = sql.substr(start + 4);
  size_t first = rest.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && rest[first] == '(') {
    size_t close = MatchingParen(rest, first);
    if (close == std::string::npos) {
      *error = "unbalanced parentheses in COPY statement";
      return false;
    }
    out->query = rest.substr(first + 1, close - first - 1);
    rest = rest.substr(close + 1);
  }
  std::vector<Token> t;
  if (!Tokenize(rest, &t, error)) return false;
  size_t i = 0;
  auto word = [&](const char* w) { return i < t.size() && t[i].kind == 'w' && t[i].text == w; };
  auto punct = [&](char p) { return i < t.size() && t[i].kind == 'p' && t[i].text[0] == p; };
  if (out->query.empty()) {
    if (i >= t.size() || (t[i].kind != 'w' && t[i].kind != 'i')) return false;
    out->table = t[i].text;
    ++i;
    // public.t / main.t: tslake has one schema.
    for (const char* schema : {"public.", "main."})
      if (out->table.rfind(schema, 0) == 0) out->table = out->table.substr(std::string(schema).size());
    if (punct('.') && i + 1 < t.size()) {  // "schema"."table"
      out->table = t[i + 1].text;
      i += 2;
    }
    if (punct('(')) {
      ++i;
      while (i < t.size() && !punct(')')) {
        if (t[i].kind == 'w' || t[i].kind == 'i') out->columns.push_back(t[i].text);
        else if (!punct(',')) {
          *error = "syntax error in COPY column list";
          return false;
        }
        ++i;
      }
      if (!punct(')')) {
        *error = "unterminated COPY column list";
        return false;
      }
      ++i;
    }
  }
  if (word("from")) {
    out->from = true;
  } else if (word("to")) {
    out->from = false;
  } else {
    return false;
  }
  ++i;
  if (out->from ? !word("stdin") : !word("stdout")) return false;  // a file: the engine's COPY
  if (out->from && !out->query.empty()) {
    *error = "COPY FROM STDIN needs a table, not a query";
    return false;
  }
  ++i;
  if (word("with")) ++i;
  bool delimiter_set = false, null_set = false;
  auto option = [&](const std::string& name) -> bool {
    // The value follows (optional for booleans).
    if (name == "format") {
      if (i >= t.size()) {
        *error = "COPY FORMAT needs a value";
        return false;
      }
      std::string f = Lower(t[i++].text);
      if (f == "csv") out->csv = true;
      else if (f == "binary") out->binary = true;
      else if (f != "text") {
        *error = "COPY format \"" + f + "\" not recognized";
        return false;
      }
    } else if (name == "csv") {
      out->csv = true;
    } else if (name == "binary") {
      out->binary = true;
    } else if (name == "header") {
      out->header = true;
      if (i < t.size() && t[i].kind == 'w' && (t[i].text == "true" || t[i].text == "on" || t[i].text == "1")) ++i;
      else if (i < t.size() && t[i].kind == 'w' && (t[i].text == "false" || t[i].text == "off" || t[i].text == "0")) {
        out->header = false;
        ++i;
      } else if (i < t.size() && t[i].kind == 'w' && t[i].text == "match") {
        ++i;
      }
    } else if (name == "delimiter") {
      if (word("as")) ++i;
      if (i >= t.size() || !SingleChar(t[i], &out->delimiter, "delimiter", error)) {
        if (error->empty()) *error = "COPY delimiter needs a value";
        return false;
      }
      ++i;
      delimiter_set = true;
    } else if (name == "null") {
      if (word("as")) ++i;
      if (i >= t.size() || t[i].kind != 's') {
        *error = "COPY NULL needs a string";
        return false;
      }
      out->null_string = t[i++].text;
      null_set = true;
    } else if (name == "quote") {
      if (word("as")) ++i;
      if (i >= t.size() || !SingleChar(t[i], &out->quote, "quote", error)) return false;
      ++i;
    } else if (name == "escape") {
      if (word("as")) ++i;
      if (i >= t.size() || !SingleChar(t[i], &out->escape, "escape", error)) return false;
      ++i;
    } else if (name == "encoding") {
      if (i >= t.size() || t[i].kind != 's' ||
          (Lower(t[i].text) != "utf8" && Lower(t[i].text) != "utf-8")) {
        *error = "COPY ENCODING must be UTF8";
        return false;
      }
      ++i;
    } else if (name == "freeze") {
      if (i < t.size() && t[i].kind == 'w') ++i;
    } else {
      *error = "COPY option \"" + name + "\" not recognized";
      return false;
    }
    return true;
  };
  if (punct('(')) {
    ++i;
    while (i < t.size() && !punct(')')) {
      if (punct(',')) {
        ++i;
        continue;
      }
      std::string name = t[i++].text;
      if (!option(Lower(name))) return false;
    }
    if (!punct(')')) {
      *error = "unterminated COPY option list";
      return false;
    }
    ++i;
  } else {
    while (i < t.size() && !punct(';')) {
      std::string name = t[i++].text;
      if (!option(Lower(name))) return false;
    }
  }
  if (i < t.size() && !punct(';')) {
    *error = "syntax error at or near \"" + t[i].text + "\" in COPY statement";
    return false;
  }
  if (out->csv) {
    if (!delimiter_set) out->delimiter = ',';
    if (!null_set) out->null_string = "";
  }
  return true;
}

bool CopyRowParser::EndField() {
  if (o_.csv) {
    if (!quoted_ && field_ == o_.null_string) row_.emplace_back(std::nullopt);
    else row_.emplace_back(std::move(field_));
  } else {
    // Text format: \N (before de-escaping) or the NULL string.
    if (null_marker_ || (o_.null_string != "\\N" && field_ == o_.null_string && !had_escape_))
      row_.emplace_back(std::nullopt);
    else
      row_.emplace_back(std::move(field_));
    null_marker_ = false;
    had_escape_ = false;
  }
  field_.clear();
  quoted_ = false;
  return true;
}

bool CopyRowParser::EndRow(const std::function<bool(CopyRow&)>& on_row) {
  EndField();
  at_row_start_ = true;
  row_bytes_ = 0;
  ++line_;
  if (o_.header && !skipped_header_) {
    skipped_header_ = true;
    row_.clear();
    return true;
  }
  bool ok = on_row(row_);
  row_.clear();
  return ok;
}

bool CopyRowParser::Feed(std::string_view data, const std::function<bool(CopyRow&)>& on_row,
                         std::string* error) {
  for (char c : data) {
    if (ended_) continue;  // after "\.": PostgreSQL ignores the rest
    if (++row_bytes_ > max_row_bytes_) {
      *error = "line " + std::to_string(line_) + ": row is longer than " + std::to_string(max_row_bytes_) +
               " bytes (--max-message-size)";
      return false;
    }
    if (o_.csv) {
      if (in_quotes_) {
        if (quote_pending_) {
          quote_pending_ = false;
          if (c == o_.quote) {  // doubled quote
            field_ += c;
            continue;
          }
          in_quotes_ = false;  // the quote closed the field; c is handled below
        } else if (c == o_.escape && o_.escape != o_.quote) {
          escape_ = true;
          continue;
        } else if (escape_) {
          escape_ = false;
          field_ += c;
          continue;
        } else if (c == o_.quote) {
          quote_pending_ = true;
          continue;
        } else {
          if (c == '\n') ++line_;
          field_ += c;
          continue;
        }
      }
      at_row_start_ = false;
      if (c == o_.quote) {
        in_quotes_ = true;
        quoted_ = true;
      } else if (c == o_.delimiter) {
        EndField();
      } else if (c == '\n') {
        if (!field_.empty() && field_.back() == '\r' && !quoted_) field_.pop_back();
        if (!EndRow(on_row)) return false;
      } else {
        field_ += c;
      }
      continue;
    }
    // Text format.
    if (escape_) {
      escape_ = false;
      if (null_marker_) {
        *error = "line " + std::to_string(line_) + ": \\N must be a whole field";
        return false;
      }
      if (c != 'N') had_escape_ = true;
      switch (c) {
        case 'N':
          if (field_.empty() && !had_escape_) null_marker_ = true;  // must be the whole field
          else field_ += 'N';
          break;
        case 'b': field_ += '\b'; break;
        case 'f': field_ += '\f'; break;
        case 'n': field_ += '\n'; break;
        case 'r': field_ += '\r'; break;
        case 't': field_ += '\t'; break;
        case 'v': field_ += '\v'; break;
        case '.':
          if (at_row_start_ && field_.empty() && row_.empty()) {
            ended_ = true;
            break;
          }
          field_ += '.';
          break;
        default: field_ += c; break;
      }
      at_row_start_ = false;
      continue;
    }
    if (c == '\\') {
      escape_ = true;
      continue;
    }
    if (c == '\n') {
      if (!field_.empty() && field_.back() == '\r') field_.pop_back();
      if (!EndRow(on_row)) return false;
      continue;
    }
    at_row_start_ = false;
    if (c == o_.delimiter) {
      EndField();
      continue;
    }
    if (null_marker_) {
      *error = "line " + std::to_string(line_) + ": \\N must be a whole field";
      return false;
    }
    field_ += c;
  }
  return true;
}

bool CopyRowParser::Finish(const std::function<bool(CopyRow&)>& on_row, std::string* error) {
  if (o_.csv && in_quotes_ && !quote_pending_) {
    *error = "line " + std::to_string(line_) + ": unterminated CSV quoted field";
    return false;
  }
  in_quotes_ = false;
  if (!ended_ && (!at_row_start_ || !field_.empty() || !row_.empty())) return EndRow(on_row);
  return true;
}

void EncodeCopyRow(const CopyStatement& o, const std::vector<std::optional<std::string>>& values,
                   std::string* out) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) *out += o.delimiter;
    if (!values[i]) {
      *out += o.null_string;
      continue;
    }
    const std::string& v = *values[i];
    if (o.csv) {
      bool needs = v == o.null_string;  // quoted, it is a value, not NULL
      for (char c : v)
        if (c == o.delimiter || c == o.quote || c == '\n' || c == '\r' || c == o.escape) needs = true;
      if (!needs) {
        *out += v;
        continue;
      }
      *out += o.quote;
      for (char c : v) {
        if (c == o.quote || c == o.escape) *out += o.escape;
        *out += c;
      }
      *out += o.quote;
      continue;
    }
    for (char c : v) {
      switch (c) {
        case '\\': *out += "\\\\"; break;
        case '\n': *out += "\\n"; break;
        case '\r': *out += "\\r"; break;
        case '\t': *out += "\\t"; break;
        case '\b': *out += "\\b"; break;
        case '\f': *out += "\\f"; break;
        case '\v': *out += "\\v"; break;
        default:
          if (c == o.delimiter) *out += '\\';
          *out += c;
      }
    }
  }
  *out += '\n';
}

namespace {

constexpr char kBinarySignature[] = "PGCOPY\n\377\r\n";  // and a NUL: 11 bytes
constexpr size_t kBinaryHeaderBytes = 11 + 4 + 4;

uint32_t Be32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 8) | static_cast<uint8_t>(s[at + 3]);
}

void PutBe(uint32_t v, int bytes, std::string* out) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

bool BinaryCopyParser::Feed(std::string_view data, const std::function<bool(CopyRow&)>& on_row,
                            std::string* error) {
  buffer_.append(data);
  size_t at = 0;
  auto fail = [&](std::string message) {
    *error = std::move(message);
    return false;
  };
  while (true) {
    if (ended_) {
      if (at < buffer_.size()) return fail("data after the binary COPY trailer");
      break;
    }
    if (!header_done_) {
      if (buffer_.size() - at >= 11 && buffer_.compare(at, 11, std::string(kBinarySignature, 11)) != 0)
        return fail("COPY file signature not recognized");
      if (buffer_.size() - at < kBinaryHeaderBytes) break;
      const uint32_t flags = Be32(buffer_, at + 11);
      if (flags & 0x10000) return fail("binary COPY with OIDs is not supported");
      if (flags & 0xfffe0000u) return fail("unrecognized critical flags in COPY file header");
      const uint32_t extension = Be32(buffer_, at + 15);
      if (extension > max_row_bytes_) return fail("binary COPY header extension too long");
      if (buffer_.size() - at < kBinaryHeaderBytes + extension) break;
      at += kBinaryHeaderBytes + extension;
      header_done_ = true;
      continue;
    }
    // One whole row: count its bytes before taking anything out.
    if (buffer_.size() - at < 2) break;
    const int16_t fields = static_cast<int16_t>((static_cast<uint8_t>(buffer_[at]) << 8) |
                                                static_cast<uint8_t>(buffer_[at + 1]));
    if (fields == -1) {
      ended_ = true;
      at += 2;
      continue;
    }
    if (fields < 0) return fail("invalid field count " + std::to_string(fields) + " in binary COPY row");
    size_t p = at + 2;
    bool complete = true;
    for (int16_t f = 0; f < fields; ++f) {
      if (buffer_.size() - p < 4) {
        complete = false;
        break;
      }
      const int32_t length = static_cast<int32_t>(Be32(buffer_, p));
      p += 4;
      if (length < -1) return fail("invalid field length " + std::to_string(length) + " in binary COPY row");
      if (length > 0) {
        if (static_cast<size_t>(length) > max_row_bytes_ || p - at + static_cast<size_t>(length) > max_row_bytes_)
          return fail("binary COPY row longer than " + std::to_string(max_row_bytes_) + " bytes");
        if (buffer_.size() - p < static_cast<size_t>(length)) {
          complete = false;
          break;
        }
        p += static_cast<size_t>(length);
      }
    }
    if (!complete) {
      if (buffer_.size() - at > max_row_bytes_)
        return fail("binary COPY row longer than " + std::to_string(max_row_bytes_) + " bytes");
      break;
    }
    row_.clear();
    size_t q = at + 2;
    for (int16_t f = 0; f < fields; ++f) {
      const int32_t length = static_cast<int32_t>(Be32(buffer_, q));
      q += 4;
      if (length < 0) {
        row_.emplace_back();
      } else {
        row_.emplace_back(buffer_.substr(q, static_cast<size_t>(length)));
        q += static_cast<size_t>(length);
      }
    }
    at = p;
    if (!on_row(row_)) {
      buffer_.erase(0, at);
      return false;
    }
    ++rows_;
  }
  buffer_.erase(0, at);
  return true;
}

bool BinaryCopyParser::Finish(std::string* error) {
  if (!header_done_) {
    *error = "COPY file signature not recognized";
    return false;
  }
  // As PostgreSQL: the end of data at a row boundary ends the rows even
  // without the trailer; inside a row it is an error.
  if (!buffer_.empty()) {
    *error = ended_ ? "data after the binary COPY trailer" : "binary COPY data ended inside a row";
    return false;
  }
  return true;
}

TextToCsv::TextToCsv(char delimiter) : delimiter_(delimiter) {
  for (unsigned char c : {static_cast<unsigned char>(delimiter), static_cast<unsigned char>('\\'),
                          static_cast<unsigned char>('\n'), static_cast<unsigned char>('\r'),
                          static_cast<unsigned char>('"')})
    special_[c] = true;
}

void TextToCsv::Content(char c, std::string* out) {
  if (!open_) {
    out->push_back('"');
    open_ = true;
  }
  if (c == '"') out->push_back('"');
  out->push_back(c);
}

void TextToCsv::EndField(std::string* out) {
  if (open_) out->push_back('"');
  else if (!null_marker_) out->append("\"\"");  // the empty string, not NULL
  open_ = false;
  null_marker_ = false;
}

bool TextToCsv::Feed(std::string_view data, std::string* out, std::string* error) {
  auto not_whole = [&] {
    *error = "line " + std::to_string(line_) + ": \\N must be a whole field";
    return false;
  };
  size_t i = 0;
  const size_t n = data.size();
  while (i < n && !ended_) {
    if (!escape_ && !pending_cr_) {
      // A run of plain bytes goes out in one append.
      size_t j = i;
      while (j < n && !special_[static_cast<unsigned char>(data[j])]) ++j;
      if (j > i) {
        if (null_marker_) return not_whole();
        if (!open_) {
          out->push_back('"');
          open_ = true;
        }
        out->append(data.data() + i, j - i);
        at_line_start_ = false;
        i = j;
        continue;
      }
    }
    const char c = data[i++];
    if (pending_cr_) {
      pending_cr_ = false;
      if (c != '\n') {
        if (null_marker_) return not_whole();
        Content('\r', out);
      }
    }
    if (escape_) {
      escape_ = false;
      if (null_marker_) return not_whole();
      if (c == 'N' && !open_) {
        null_marker_ = true;
        at_line_start_ = false;
        continue;
      }
      if (c == '.' && at_line_start_) {
        ended_ = true;
        break;
      }
      at_line_start_ = false;
      switch (c) {
        case 'b': Content('\b', out); break;
        case 'f': Content('\f', out); break;
        case 'n': Content('\n', out); break;
        case 'r': Content('\r', out); break;
        case 't': Content('\t', out); break;
        case 'v': Content('\v', out); break;
        default: Content(c, out); break;
      }
      continue;
    }
    if (c == '\\') {
      escape_ = true;
    } else if (c == '\n') {
      EndField(out);
      out->push_back('\n');
      at_line_start_ = true;
      ++line_;
    } else if (c == '\r') {
      pending_cr_ = true;
    } else if (c == delimiter_) {
      EndField(out);
      out->push_back(delimiter_);
      at_line_start_ = false;
    } else {  // '"'
      if (null_marker_) return not_whole();
      Content(c, out);
      at_line_start_ = false;
    }
  }
  return true;
}

void TextToCsv::Finish(std::string* out) {
  if (ended_) return;
  if (pending_cr_) {
    pending_cr_ = false;
    if (!null_marker_) Content('\r', out);
  }
  if (escape_) {  // a lone backslash at the very end stays itself
    escape_ = false;
    Content('\\', out);
  }
  if (!at_line_start_ || open_) {
    EndField(out);
    out->push_back('\n');
    at_line_start_ = true;
  }
}

void BinaryCopyHeader(std::string* out) {
  out->append(kBinarySignature, 11);
  PutBe(0, 4, out);  // flags
  PutBe(0, 4, out);  // header extension length
}

void BinaryCopyTrailer(std::string* out) { PutBe(0xffff, 2, out); }

}  // namespace tslake::server
