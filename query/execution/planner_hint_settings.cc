// Settings accepted for DuckDB compatibility only. See planner_hint_settings.h.
#include "query/execution/planner_hint_settings.h"

#include <array>
#include <map>
#include <string_view>

#include "formats/mutex.h"
#include "formats/types.h"

namespace tsl::query {
namespace {

// Each with DuckDB's default, what current_setting shows before a SET.
struct Hint {
  std::string_view name;
  std::string_view default_value;
};
constexpr std::array<Hint, 27> kHints = {{
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
    // Storage knobs of DuckDB's (WAL, checkpoints, ART index scans, vacuum,
    // when BEGIN takes its snapshot): tslake has no WAL, checkpoint or ART,
    // and every commit is durable, so there is nothing for them to steer.
    // (DuckDB treats wal_autocheckpoint as checkpoint_threshold's alias and
    // normalizes sizes; here each keeps the text it was given.)
    {"immediate_transaction_mode", "false"},
    {"preserve_insertion_order", "true"},
    {"wal_autocheckpoint", "16.0 MiB"},
    {"checkpoint_threshold", "16.0 MiB"},
    {"index_scan_percentage", "0.001"},
    {"index_scan_max_count", "2048"},
    {"max_vacuum_tasks", "100"},
}};

const Hint* Find(const std::string& name) {
  const std::string lower = ToLower(name);
  for (const Hint& h : kHints) {
    if (h.name == lower) return &h;
  }
  return nullptr;
}

// The values SET so far, by hint name (absent: the default).
struct HintValues {
  tsl::Mutex mu;
  std::map<std::string, std::string> values GUARDED_BY(mu);
};
HintValues& State() {
  static HintValues state;
  return state;
}

}  // namespace

bool ApplyPlannerHintSetting(const std::string& name, const std::optional<std::string>& value) {
  const Hint* h = Find(name);
  if (!h) return false;
  HintValues& s = State();
  tsl::MutexLock lock(s.mu);
  if (value) {
    s.values[std::string(h->name)] = *value;
  } else {
    s.values.erase(std::string(h->name));
  }
  return true;
}

std::optional<std::string> CurrentPlannerHintSetting(const std::string& name) {
  const Hint* h = Find(name);
  if (!h) return std::nullopt;
  HintValues& s = State();
  tsl::MutexLock lock(s.mu);
  auto it = s.values.find(std::string(h->name));
  return it != s.values.end() ? it->second : std::string(h->default_value);
}

}  // namespace tsl::query
