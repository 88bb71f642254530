// sqlite3's plain output modes: list (cells joined by .separator, nothing
// quoted), column (cells padded to each column's display width, the header
// underlined with dashes) and html (one <TR> per row, text escaped). NULL
// prints as .nullvalue, empty by default, as in sqlite3.
// Thread-safety: pure functions.
#include <algorithm>
#include <vector>

#include "shell/cli/result_printer.h"

namespace tslake::cli {

void PrintList(const Result& result, const OutputSettings& settings, std::ostream& out) {
  const std::string null_text = settings.null_value.value_or("");
  const int n = result.column_count();
  if (settings.headers) {
    for (int c = 0; c < n; ++c) out << (c > 0 ? settings.separator : "") << result.column_name(c);
    out << '\n';
  }
  for (int64_t r = 0; r < result.row_count(); ++r) {
    for (int c = 0; c < n; ++c) {
      out << (c > 0 ? settings.separator : "") << CellText(result, c, r, null_text);
    }
    out << '\n';
  }
}

void PrintColumns(const Result& result, const OutputSettings& settings, std::ostream& out) {
  const std::string null_text = settings.null_value.value_or("");
  const int n = result.column_count();
  std::vector<size_t> widths(static_cast<size_t>(n), 0);
  for (int c = 0; c < n; ++c) {
    if (settings.headers) widths[c] = DisplayWidth(result.column_name(c));
    for (int64_t r = 0; r < result.row_count(); ++r) {
      widths[c] = std::max(widths[c], DisplayWidth(CellText(result, c, r, null_text)));
    }
  }
  // Numbers are right-aligned, other cells left-aligned; the last column is
  // not padded on the right (no trailing blanks).
  auto row = [&](auto cell_of, auto right_aligned) {
    for (int c = 0; c < n; ++c) {
      const std::string text = cell_of(c);
      const std::string pad(widths[c] - std::min(widths[c], DisplayWidth(text)), ' ');
      if (c > 0) out << "  ";
      if (right_aligned(c)) {
        out << pad << text;
      } else {
        out << text << (c + 1 < n ? pad : "");
      }
    }
    out << '\n';
  };
  auto numeric = [&](int c) { return IsNumericType(result.column_type(c)); };
  if (settings.headers) {
    row([&](int c) { return result.column_name(c); }, numeric);
    row([&](int c) { return std::string(widths[c], '-'); }, [](int) { return false; });
  }
  for (int64_t r = 0; r < result.row_count(); ++r) {
    row([&](int c) { return CellText(result, c, r, null_text); }, numeric);
  }
}

namespace {

std::string HtmlEscape(const std::string& text) {
  std::string escaped;
  for (char ch : text) {
    switch (ch) {
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '&': escaped += "&amp;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default: escaped += ch;
    }
  }
  return escaped;
}

}  // namespace

void PrintHtml(const Result& result, const OutputSettings& settings, std::ostream& out) {
  const std::string null_text = settings.null_value.value_or("");
  const int n = result.column_count();
  if (settings.headers) {
    out << "<TR>";
    for (int c = 0; c < n; ++c) out << "<TH>" << HtmlEscape(result.column_name(c)) << "</TH>\n";
    out << "</TR>\n";
  }
  for (int64_t r = 0; r < result.row_count(); ++r) {
    out << "<TR>";
    for (int c = 0; c < n; ++c) {
      out << "<TD>" << HtmlEscape(CellText(result, c, r, null_text)) << "</TD>\n";
    }
    out << "</TR>\n";
  }
}

}  // namespace tslake::cli
