// DuckDB settings and PRAGMAs that only steer DuckDB's own optimizer,
// physical operators or test-time verification (disabled_optimizers,
// merge_join_threshold, debug_force_external, PRAGMA verify_parallelism,
// ...). They never change a query's answer, and tslake has none of the
// operators or passes they choose between, so SET accepts them and keeps the
// value (current_setting reads it back) without acting on it. Settings that
// change results (ieee_floating_point_ops, scalar_subquery_error_on_multiple_rows,
// ...) are deliberately not in the list: they stay unknown settings.
// Thread-safety: the values are per process, under a mutex.
#pragma once

#include <optional>
#include <string>

namespace tsl::query {

// SET/RESET/PRAGMA of one of those settings: true when `name` is one (the
// value is kept), false otherwise (the caller tries other settings).
bool ApplyPlannerHintSetting(const std::string& name, const std::optional<std::string>& value);
// current_setting(name) for those settings; nullopt for another name.
std::optional<std::string> CurrentPlannerHintSetting(const std::string& name);

}  // namespace tsl::query
