// DuckDB's default_null_order and default_order settings: where NULLs go and
// which direction an ORDER BY item takes when the query does not say. They
// are per database (DatabaseConfig in execution/memory_tracker.h), a
// connection may override them (SET SESSION: its SessionConfig), and they are
// resolved when a statement is bound, so ORDER BY, window ORDER BY and the
// top-N operator built from them all follow the setting current then.
// Thread-safety: reads and writes the current config's atomics.
#pragma once

#include <optional>
#include <string>

namespace tsl::query {

// SET/RESET default_null_order (alias null_order) or default_order; with
// `session` (SET SESSION) the connection's override (CurrentSession())
// rather than the database's value. Returns false when `name` is neither
// (the caller tries other settings). A bad value throws DuckDB's error
// (Parser Error for the null order, Invalid Input Error for the direction).
bool ApplyOrderSetting(const std::string& name, const std::optional<std::string>& value,
                       bool session = false);
// current_setting(name) for those two names, DuckDB's spelling; nullopt for
// another name.
std::optional<std::string> CurrentOrderSetting(const std::string& name);

// The direction of an ORDER BY item: as written, else default_order.
bool ResolveDescending(bool descending, bool direction_given);
// Whether NULLs sort first for an item of that direction: as written, else
// default_null_order.
bool ResolveNullsFirst(const std::optional<bool>& nulls_first, bool descending);

}  // namespace tsl::query
