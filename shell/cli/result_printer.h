// Printing a tslake::Result in each output mode. One file per family:
// grid_printer.cc (box, table, markdown), delimited_printer.cc (csv, tsv),
// json_printer.cc (json, jsonl), line_printer.cc (line), plain_printers.cc
// (list, column, html).
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "shell/cli/display_width.h"
#include "shell/cli/output_mode.h"
#include "tslake/tslake.hpp"

namespace tslake::cli {

// Prints `result` (which must be ok and have columns) in settings.mode.
void PrintResult(const Result& result, const OutputSettings& settings, std::ostream& out);

void PrintGrid(const Result& result, const OutputSettings& settings, std::ostream& out);
// PrintGrid of a result of `total_rows` rows of which `kept` holds every
// row or, when total_rows > settings.max_rows in box mode, at least the
// first (max_rows + 1) / 2 and the last max_rows / 2 (the ones shown).
void PrintGridKept(const Result& kept, int64_t total_rows, const OutputSettings& settings,
                   std::ostream& out);
void PrintDelimited(const Result& result, const OutputSettings& settings, char delimiter,
                    std::ostream& out);
void PrintJson(const Result& result, const OutputSettings& settings, bool lines, std::ostream& out);
// The rows of json (between its brackets; `continued`: rows were printed
// before these) or jsonl output.
void PrintJsonRows(const Result& result, bool lines, bool continued, std::ostream& out);
void PrintLines(const Result& result, const OutputSettings& settings, std::ostream& out);
void PrintList(const Result& result, const OutputSettings& settings, std::ostream& out);
void PrintColumns(const Result& result, const OutputSettings& settings, std::ostream& out);
void PrintHtml(const Result& result, const OutputSettings& settings, std::ostream& out);

// Prints a streamed result as PrintResult prints the whole one, byte for
// byte. csv, tsv, json, jsonl, line, list and html write each chunk as it
// arrives and flush it, so a reader sees rows while the query runs and the
// shell holds one chunk; box keeps only the head and tail rows it shows
// when settings.max_rows is set (DuckDB's max rows); table, markdown,
// column and a plan keep every row (their widths depend on all of them).
// `on_chunk` sees each chunk first (.plot's chart); `before_output` runs
// before the first byte is written (the progress line is erased there).
// Stops fetching, so the
// rest of the query never runs, once `out` fails (a closed pipe): the
// caller's output check reports it. Returns the rows the stream yielded.
int64_t PrintStream(StreamingResult& stream, const OutputSettings& settings, std::ostream& out,
                    const std::function<void(const Result&)>& on_chunk,
                    const std::function<void()>& before_output = {});

// Helpers shared by the printers.
bool IsNumericType(Type type);
// The cell text, or `null_text` for NULL.
std::string CellText(const Result& result, int column, int64_t row, const std::string& null_text);

}  // namespace tslake::cli
