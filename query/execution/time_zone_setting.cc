// The TimeZone setting. See time_zone_setting.h.
#include "query/execution/time_zone_setting.h"

#include "formats/types.h"
#include "query/common/query_error.h"
#include "query/execution/memory_tracker.h"

namespace tsl::query {

TimeZonePtr FindTimeZoneOrThrow(const std::string& name, int position) {
  Result<TimeZonePtr> zone = TimeZone::Find(name);
  if (!zone.ok()) throw QueryError(ErrorKind::kNotImplemented, zone.status().message(), position);
  return *zone;
}

bool ApplyTimeZoneSetting(const std::string& name, const std::optional<std::string>& value) {
  if (ToLower(name) != "timezone") return false;
  CurrentConfig().time_zone.Set(value ? FindTimeZoneOrThrow(*value) : nullptr);
  return true;
}

std::optional<std::string> CurrentTimeZoneSetting(const std::string& name) {
  if (ToLower(name) != "timezone") return std::nullopt;
  return CurrentTimeZone()->name();
}

TimeZonePtr CurrentTimeZone() { return CurrentConfig().time_zone.Get(); }

}  // namespace tsl::query
