// Boolean words. See bool_text.h.
#include "formats/bool_text.h"

#include <cctype>

namespace tsl {
namespace {

bool Is(std::string_view text, std::string_view word) {
  if (text.size() != word.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != word[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<bool> ParseBoolText(std::string_view text, BoolWords words) {
  if (Is(text, "true") || Is(text, "t") || Is(text, "yes") || Is(text, "y") || text == "1") {
    return true;
  }
  if (Is(text, "false") || Is(text, "f") || Is(text, "no") || Is(text, "n") || text == "0") {
    return false;
  }
  if (words == BoolWords::kDuckDBOrOnOff) {
    if (Is(text, "on")) return true;
    if (Is(text, "off")) return false;
  }
  return std::nullopt;
}

}  // namespace tsl
