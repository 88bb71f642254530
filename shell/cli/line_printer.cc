// line output, as sqlite's .mode line: one `name = value` per line, names
// right-aligned to the widest, a blank line between rows.
// Thread-safety: a pure function of its arguments.
#include <algorithm>

#include "shell/cli/result_printer.h"

namespace tslake::cli {

void PrintLines(const Result& result, const OutputSettings& settings, std::ostream& out) {
  const std::string null_text = settings.null_value.value_or("NULL");
  size_t width = 0;
  for (int c = 0; c < result.column_count(); ++c)
    width = std::max(width, DisplayWidth(result.column_name(c)));
  for (int64_t r = 0; r < result.row_count(); ++r) {
    if (r > 0) out << '\n';
    for (int c = 0; c < result.column_count(); ++c) {
      const std::string& name = result.column_name(c);
      out << std::string(width - DisplayWidth(name), ' ') << name << " = "
          << CellText(result, c, r, null_text) << '\n';
    }
  }
}

}  // namespace tslake::cli
