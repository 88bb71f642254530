// The one parser of boolean words in text: CAST(... AS BOOLEAN), the CSV
// and historian readers' true/false options, the C API's config, the
// shell's on/off dot commands and the text readers' BOOLEAN columns all
// call it, as do COPY's INCREMENTAL option, the readers'
// allow_special_files option and a table's `watermarks` property, so they
// accept the same words. The words are DuckDB's cast's
// (true/t/yes/y/1 and false/f/no/n/0, any case); the shell's dot commands
// also take on/off, as SQLite's shell does. Thread-safety: a pure function.
#pragma once

#include <optional>
#include <string_view>

namespace tsl {

enum class BoolWords {
  kDuckDB,        // true t yes y 1 / false f no n 0
  kDuckDBOrOnOff  // the same, plus on / off (shell settings)
};

// The truth value `text` names, nullopt when it names none. `text` is
// taken as is: a caller that allows surrounding blanks trims them first
// (DuckDB's cast does not: ' true ' is not a boolean there).
std::optional<bool> ParseBoolText(std::string_view text, BoolWords words = BoolWords::kDuckDB);

}  // namespace tsl
