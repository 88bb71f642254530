// Output mode names. See output_mode.h.
#include "shell/cli/output_mode.h"

#include <array>
#include <utility>

namespace tslake::cli {

namespace {

constexpr std::array<std::pair<OutputMode, std::string_view>, 11> kModes = {{
    {OutputMode::kBox, "box"},
    {OutputMode::kTable, "table"},
    {OutputMode::kCsv, "csv"},
    {OutputMode::kTsv, "tsv"},
    {OutputMode::kJson, "json"},
    {OutputMode::kJsonl, "jsonl"},
    {OutputMode::kLine, "line"},
    {OutputMode::kMarkdown, "markdown"},
    {OutputMode::kList, "list"},
    {OutputMode::kColumn, "column"},
    {OutputMode::kHtml, "html"},
}};

}  // namespace

std::optional<OutputMode> ParseOutputMode(std::string_view name) {
  for (const auto& [mode, text] : kModes) {
    if (text == name) return mode;
  }
  // sqlite's and DuckDB's spellings.
  if (name == "tabs") return OutputMode::kTsv;
  if (name == "ndjson") return OutputMode::kJsonl;
  if (name == "duckbox") return OutputMode::kBox;
  return std::nullopt;
}

std::string_view OutputModeName(OutputMode mode) {
  for (const auto& [m, text] : kModes) {
    if (m == mode) return text;
  }
  return "box";
}

std::string_view OutputModeList() {
  return "box|table|csv|tsv|json|jsonl|line|markdown|list|column|html";
}

}  // namespace tslake::cli
