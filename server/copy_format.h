// COPY ... FROM STDIN / TO STDOUT as the wire protocol carries it: the
// statement's options, and the row format (PostgreSQL's text format:
// tab-separated, backslash escapes, \N for NULL; CSV with quotes,
// doubled quotes and an empty unquoted field for NULL; or the binary
// format's framing).
// CopyRowParser is incremental: CopyData messages cut rows anywhere.
// Thread-safety: plain values; one parser per COPY.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tslake::server {

struct CopyStatement {
  bool from = true;              // FROM STDIN; false: TO STDOUT
  std::string table;             // the table (FROM, or TO without a query)
  std::vector<std::string> columns;  // empty: all, in table order
  std::string query;             // TO STDOUT of (query)
  bool csv = false;
  bool binary = false;
  bool header = false;
  char delimiter = '\t';
  std::string null_string = "\\N";
  char quote = '"';
  char escape = '"';
};

// True when `sql` is COPY ... FROM STDIN or COPY ... TO STDOUT (filled
// into *out). False otherwise: with *error empty when it is another COPY
// (to or from a file, which the engine runs), else a syntax error.
bool ParseCopyStatement(const std::string& sql, CopyStatement* out, std::string* error);

using CopyRow = std::vector<std::optional<std::string>>;

class CopyRowParser {
 public:
  // A row longer than max_row_bytes is an error, so a client that never
  // sends a newline cannot make the server buffer without bound.
  CopyRowParser(const CopyStatement& options, size_t max_row_bytes)
      : o_(options), max_row_bytes_(max_row_bytes) {}
  // Parses `data`, calling `on_row` for every complete row; stops and
  // returns false when on_row does (or the data is malformed: *error).
  bool Feed(std::string_view data, const std::function<bool(CopyRow&)>& on_row, std::string* error);
  // End of data: a last row without a newline is a row too.
  bool Finish(const std::function<bool(CopyRow&)>& on_row, std::string* error);
  int64_t line() const { return line_; }

 private:
  bool EndField();
  bool EndRow(const std::function<bool(CopyRow&)>& on_row);

  const CopyStatement& o_;
  size_t max_row_bytes_;
  size_t row_bytes_ = 0;
  CopyRow row_;
  std::string field_;
  bool in_quotes_ = false;
  bool quoted_ = false;     // the current field had quotes (CSV: never NULL)
  bool escape_ = false;     // a backslash (text) or CSV escape is pending
  bool null_marker_ = false;  // text format: the field so far is \N
  bool had_escape_ = false;   // text format: the field had an escape
  bool quote_pending_ = false;  // CSV: a quote inside quotes, maybe doubled
  bool at_row_start_ = true;
  bool skipped_header_ = false;
  bool ended_ = false;      // text format's "\." end marker seen
  int64_t line_ = 1;
  std::string error_;
};

// COPY's binary format (FORMAT binary) as CopyData messages carry it,
// cut anywhere: the 19-byte header (signature, flags, extension area),
// then per row an int16 field count and per field an int32 length (-1:
// NULL) and that many bytes, then the trailer (field count -1). Fields
// come out as their raw bytes; pg_types.h decodes them by column type.
class BinaryCopyParser {
 public:
  // A row (or header extension) longer than max_row_bytes is an error.
  explicit BinaryCopyParser(size_t max_row_bytes) : max_row_bytes_(max_row_bytes) {}
  bool Feed(std::string_view data, const std::function<bool(CopyRow&)>& on_row, std::string* error);
  // End of data: the trailer must have been seen, with nothing after it.
  bool Finish(std::string* error);
  int64_t line() const { return rows_ + 1; }  // the row being read, 1-based

 private:
  std::string buffer_;   // bytes not yet consumed (at most one row)
  bool header_done_ = false;
  bool ended_ = false;   // trailer seen
  size_t max_row_bytes_;
  int64_t rows_ = 0;
  CopyRow row_;
};

// PostgreSQL's text COPY format rewritten as CSV for the engine's CSV
// reader (Appender::AppendCsv with the same delimiter and '"' quotes), so
// text-format COPY FROM STDIN takes the CSV path: every field is written
// quoted (quotes doubled), \N as a whole field as an empty unquoted field
// (NULL), the escapes \b \f \n \r \t \v decoded and any other escaped
// character kept, a CR before the LF dropped, and "\." at the start of a
// line ends the data (the rest is ignored), as CopyRowParser reads it.
// Only for the default NULL string (\N).
class TextToCsv {
 public:
  explicit TextToCsv(char delimiter);
  // Appends the CSV form of `data` (cut anywhere) to *out; false with
  // *error when \N is not a whole field.
  bool Feed(std::string_view data, std::string* out, std::string* error);
  // End of data: ends a last line that has no newline.
  void Finish(std::string* out);

 private:
  void Content(char c, std::string* out);  // one byte of a field's value
  void EndField(std::string* out);
  char delimiter_;
  bool special_[256] = {};
  bool open_ = false;          // the field's opening quote is written
  bool escape_ = false;        // a backslash is pending
  bool null_marker_ = false;   // the field so far is \N (nothing written)
  bool at_line_start_ = true;  // nothing of this line seen yet
  bool pending_cr_ = false;    // a CR held back: dropped before an LF
  bool ended_ = false;         // "\." seen
  int64_t line_ = 1;
};

// The header and trailer of COPY TO's binary format.
void BinaryCopyHeader(std::string* out);
void BinaryCopyTrailer(std::string* out);

// Appends one row of text values in COPY's text or CSV encoding, with
// the trailing newline. nullopt is NULL.
void EncodeCopyRow(const CopyStatement& options, const std::vector<std::optional<std::string>>& values,
                   std::string* out);

}  // namespace tslake::server
