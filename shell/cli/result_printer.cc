// Mode dispatch and helpers shared by the printers. See result_printer.h.
#include "shell/cli/result_printer.h"

namespace tslake::cli {

namespace {

// EXPLAIN [ANALYZE] returns its plan as one VARCHAR column of lines.
bool IsPlan(const Result& result) {
  return result.column_count() == 1 && result.column_name(0) == "physical_plan";
}

}  // namespace

void PrintResult(const Result& result, const OutputSettings& settings, std::ostream& out) {
  bool grid = settings.mode == OutputMode::kBox || settings.mode == OutputMode::kTable ||
              settings.mode == OutputMode::kMarkdown;
  if (grid && IsPlan(result)) {
    // A plan is read line by line: printed whole, never cut to a cell's
    // width (rows, times and segment counts sit at the ends of long lines).
    for (int64_t r = 0; r < result.row_count(); ++r) out << CellText(result, 0, r, "") << '\n';
    return;
  }
  switch (settings.mode) {
    case OutputMode::kBox:
    case OutputMode::kTable:
    case OutputMode::kMarkdown: PrintGrid(result, settings, out); break;
    case OutputMode::kCsv: PrintDelimited(result, settings, ',', out); break;
    case OutputMode::kTsv: PrintDelimited(result, settings, '\t', out); break;
    case OutputMode::kJson: PrintJson(result, settings, false, out); break;
    case OutputMode::kJsonl: PrintJson(result, settings, true, out); break;
    case OutputMode::kLine: PrintLines(result, settings, out); break;
    case OutputMode::kList: PrintList(result, settings, out); break;
    case OutputMode::kColumn: PrintColumns(result, settings, out); break;
    case OutputMode::kHtml: PrintHtml(result, settings, out); break;
  }
}

bool IsNumericType(Type type) {
  return type == Type::kInteger || type == Type::kBigint || type == Type::kDouble ||
         type == Type::kDecimal || type == Type::kSmallint || type == Type::kTinyint;
}

std::string CellText(const Result& result, int column, int64_t row, const std::string& null_text) {
  if (result.IsNull(column, row)) return null_text;
  return result.GetString(column, row);
}

}  // namespace tslake::cli
