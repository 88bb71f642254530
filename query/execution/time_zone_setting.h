// DuckDB's TimeZone setting: the zone TIMESTAMP WITH TIME ZONE values are
// shown in and read from, and the zone of calendar functions over them
// (date_trunc, date_part, strftime, casts to and from TIMESTAMP/DATE). One
// per database like the other settings (DatabaseConfig in
// execution/memory_tracker.h); the default is UTC (DuckDB uses the
// machine's zone; tslake runs on gateways whose clock zone says nothing
// about the plant, so it is explicit). A statement reads the zone once, when
// it is bound, so every row and every worker thread of one statement sees
// the same zone, as DuckDB binds its ICU calendar.
// Thread-safety: SessionTimeZone is guarded by its mutex.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "formats/mutex.h"
#include "formats/time_zone.h"

namespace tsl::query {

class SessionTimeZone {
 public:
  TimeZonePtr Get() const {
    tsl::MutexLock lock(mu_);
    return zone_ ? zone_ : TimeZone::Utc();
  }
  void Set(TimeZonePtr zone) {
    tsl::MutexLock lock(mu_);
    zone_ = std::move(zone);
  }

 private:
  mutable tsl::Mutex mu_;
  TimeZonePtr zone_ GUARDED_BY(mu_);  // null: the default, UTC
};

// SET/RESET TimeZone (any case; value nullopt: RESET to UTC). Returns false
// when `name` is not TimeZone. An unknown zone throws DuckDB's
// "Unknown TimeZone 'x'!" (Not implemented Error).
bool ApplyTimeZoneSetting(const std::string& name, const std::optional<std::string>& value);
// current_setting('TimeZone'): the zone's ICU ID; nullopt for another name.
std::optional<std::string> CurrentTimeZoneSetting(const std::string& name);

// The current database's zone (the statement being bound reads it).
TimeZonePtr CurrentTimeZone();
// The zone named `name`, or QueryError kNotImplemented naming it (DuckDB's
// error class for an unknown zone), at `position`.
TimeZonePtr FindTimeZoneOrThrow(const std::string& name, int position = -1);

}  // namespace tsl::query
