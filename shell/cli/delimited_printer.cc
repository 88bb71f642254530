// csv and tsv output: RFC 4180 quoting (a field holding the delimiter, a
// quote, a line break or surrounding spaces is quoted, quotes doubled; an
// empty string is written "" so it reads back apart from NULL, which is
// empty). Values are exact: doubles in shortest round-trip form, timestamps
// as Value::ToString prints them. Thread-safety: a pure function.
#include "shell/cli/result_printer.h"

namespace tslake::cli {

namespace {

void WriteField(const std::string& text, char delimiter, bool is_null, std::ostream& out) {
  bool quote = !is_null && text.empty();
  for (char c : text) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!text.empty() && (text.front() == ' ' || text.back() == ' ')) quote = true;
  if (!quote) {
    out << text;
    return;
  }
  out << '"';
  for (char c : text) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

}  // namespace

void PrintDelimited(const Result& result, const OutputSettings& settings, char delimiter,
                    std::ostream& out) {
  const std::string null_text = settings.null_value.value_or("");
  int n = result.column_count();
  if (settings.headers) {
    for (int c = 0; c < n; ++c) {
      if (c > 0) out << delimiter;
      WriteField(result.column_name(c), delimiter, false, out);
    }
    out << '\n';
  }
  for (int64_t r = 0; r < result.row_count(); ++r) {
    for (int c = 0; c < n; ++c) {
      if (c > 0) out << delimiter;
      bool is_null = result.IsNull(c, r);
      if (is_null) {
        WriteField(null_text, delimiter, true, out);
      } else {
        WriteField(result.GetString(c, r), delimiter, false, out);
      }
    }
    out << '\n';
  }
}

}  // namespace tslake::cli
