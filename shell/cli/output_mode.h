// Output modes of the tslake shell and the settings that shape a printed
// result (.mode, .headers, .nullvalue, .maxrows, .maxwidth, .separator).
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tslake::cli {

enum class OutputMode {
  kBox, kTable, kCsv, kTsv, kJson, kJsonl, kLine, kMarkdown, kList, kColumn, kHtml
};

// "box", "table", ... ; nullopt for an unknown name.
std::optional<OutputMode> ParseOutputMode(std::string_view name);
std::string_view OutputModeName(OutputMode mode);
// "box|table|csv|...|html" for help and error texts.
std::string_view OutputModeList();

struct OutputSettings {
  OutputMode mode = OutputMode::kBox;
  bool headers = true;
  // Text for NULL; unset means the mode's own ("NULL", or empty in csv/tsv).
  std::optional<std::string> null_value;
  // Box mode shows at most this many rows (first and last halves); 0 = all.
  int64_t max_rows = 0;
  // Box mode drops middle columns past this many characters; 0 = no limit.
  int max_width = 120;
  // Between the cells of list mode (.separator), as sqlite3's default.
  std::string separator = "|";
};

}  // namespace tslake::cli
