// tslake::ParseBooleanWord: the engine's one boolean-word parser
// (formats/bool_text.h) offered to hosts and the shell, which see only the
// public API. Thread-safety: a pure function.
#include "formats/bool_text.h"
#include "tslake/tslake.hpp"

namespace tslake {

std::optional<bool> ParseBooleanWord(std::string_view text, bool on_off) {
  return tsl::ParseBoolText(text, on_off ? tsl::BoolWords::kDuckDBOrOnOff : tsl::BoolWords::kDuckDB);
}

}  // namespace tslake
