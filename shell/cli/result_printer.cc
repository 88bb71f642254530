// Mode dispatch and helpers shared by the printers. See result_printer.h.
#include "shell/cli/result_printer.h"

namespace tslake::cli {

void PrintResult(const Result& result, const OutputSettings& settings, std::ostream& out) {
  switch (settings.mode) {
    case OutputMode::kBox:
    case OutputMode::kTable:
    case OutputMode::kMarkdown: PrintGrid(result, settings, out); break;
    case OutputMode::kCsv: PrintDelimited(result, settings, ',', out); break;
    case OutputMode::kTsv: PrintDelimited(result, settings, '\t', out); break;
    case OutputMode::kJson: PrintJson(result, settings, false, out); break;
    case OutputMode::kJsonl: PrintJson(result, settings, true, out); break;
    case OutputMode::kLine: PrintLines(result, settings, out); break;
  }
}

bool IsNumericType(Type type) {
  return type == Type::kInteger || type == Type::kBigint || type == Type::kDouble;
}

std::string CellText(const Result& result, int column, int64_t row, const std::string& null_text) {
  if (result.IsNull(column, row)) return null_text;
  return result.GetString(column, row);
}

size_t DisplayWidth(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

}  // namespace tslake::cli
