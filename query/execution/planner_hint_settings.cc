// Settings accepted for DuckDB compatibility only. See planner_hint_settings.h.
#include "query/execution/planner_hint_settings.h"

#include <array>
#include <map>
#include <mutex>
#include <string_view>

#include "formats/types.h"

namespace tsl::query {
namespace {

// Each with DuckDB's default, what current_setting shows before a SET.
struct Hint {
  std::string_view name;
  std::string_view default_value;
};
constexpr std::array<Hint, 20> kHints = {{
    {"disabled_optimizers", ""},
    {"debug_force_external", "false"},
    {"debug_force_no_cross_product", "false"},
    {"debug_asof_iejoin", "false"},
    {"debug_window_mode", "window"},
    {"debug_verify_serializer", "false"},
    {"explain_output", "physical_only"},
    {"asof_loop_join_threshold", "64"},
    {"prefer_range_joins", "false"},
    {"merge_join_threshold", "1000"},
    {"nested_loop_join_threshold", "5"},
    {"enable_caching_operators", "true"},
    {"pivot_filter_threshold", "20"},
    {"delim_join_as_cte", "false"},
    {"enable_verification", "false"},
    {"disable_verification", "false"},
    {"verify_parallelism", "false"},
    {"enable_optimizer", "true"},
    {"disable_optimizer", "false"},
    {"disable_checkpoint_on_shutdown", "false"},
}};

const Hint* Find(const std::string& name) {
  const std::string lower = ToLower(name);
  for (const Hint& h : kHints) {
    if (h.name == lower) return &h;
  }
  return nullptr;
}

std::mutex g_mu;
std::map<std::string, std::string>& Values() {
  static std::map<std::string, std::string> values;
  return values;
}

}  // namespace

bool ApplyPlannerHintSetting(const std::string& name, const std::optional<std::string>& value) {
  const Hint* h = Find(name);
  if (!h) return false;
  std::lock_guard<std::mutex> lock(g_mu);
  if (value) {
    Values()[std::string(h->name)] = *value;
  } else {
    Values().erase(std::string(h->name));
  }
  return true;
}

std::optional<std::string> CurrentPlannerHintSetting(const std::string& name) {
  const Hint* h = Find(name);
  if (!h) return std::nullopt;
  std::lock_guard<std::mutex> lock(g_mu);
  auto it = Values().find(std::string(h->name));
  return it != Values().end() ? it->second : std::string(h->default_value);
}

}  // namespace tsl::query
