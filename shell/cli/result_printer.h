// Printing a tslake::Result in each output mode. One file per family:
// grid_printer.cc (box, table, markdown), delimited_printer.cc (csv, tsv),
// json_printer.cc (json, jsonl), line_printer.cc (line), plain_printers.cc
// (list, column, html).
// Thread-safety: pure functions of their arguments.
#pragma once

#include <ostream>
#include <string>

#include "shell/cli/display_width.h"
#include "shell/cli/output_mode.h"
#include "tslake/tslake.hpp"

namespace tslake::cli {

// Prints `result` (which must be ok and have columns) in settings.mode.
void PrintResult(const Result& result, const OutputSettings& settings, std::ostream& out);

void PrintGrid(const Result& result, const OutputSettings& settings, std::ostream& out);
void PrintDelimited(const Result& result, const OutputSettings& settings, char delimiter,
                    std::ostream& out);
void PrintJson(const Result& result, const OutputSettings& settings, bool lines, std::ostream& out);
void PrintLines(const Result& result, const OutputSettings& settings, std::ostream& out);
void PrintList(const Result& result, const OutputSettings& settings, std::ostream& out);
void PrintColumns(const Result& result, const OutputSettings& settings, std::ostream& out);
void PrintHtml(const Result& result, const OutputSettings& settings, std::ostream& out);

// Helpers shared by the printers.
bool IsNumericType(Type type);
// The cell text, or `null_text` for NULL.
std::string CellText(const Result& result, int column, int64_t row, const std::string& null_text);

}  // namespace tslake::cli
