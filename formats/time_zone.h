// Time zones for TIMESTAMP WITH TIME ZONE (TIMESTAMPTZ): a TIMESTAMPTZ is
// stored as microseconds since 1970-01-01 UTC, like a TIMESTAMP, and only its
// conversions to and from local time (text, TIMESTAMP, DATE, calendar fields)
// need a zone. Zone rules come from ICU (Debian's libicu-dev), the library
// DuckDB's icu extension wraps; nothing here knows a zone rule itself.
//
// DuckDB's semantics, which these functions reproduce:
//  - a UTC instant's local time uses the zone's full offset (raw + DST, to
//    the second: Berlin before 1893 is +00:53:28);
//  - a local wall time that does not exist (the hour skipped when DST
//    starts) is read with the offset in force before the transition
//    ('2024-03-31 02:30' Berlin = 01:30 UTC = 03:30+02), and one that occurs
//    twice (the hour repeated when DST ends) is the later occurrence
//    ('2024-10-27 02:30' Berlin = 02:30+01): ICU Calendar's default
//    WALLTIME_LAST for both, i.e. getOffsetFromLocal(FORMER, LATTER);
//  - text shows the offset as +HH or +HH:MM (seconds dropped, as DuckDB).
// Thread-safety: TimeZone objects are immutable after Find and shared
// between threads (ICU's const TimeZone methods are thread-safe); Find
// itself locks a process-wide cache.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "formats/status.h"

namespace tsl {

class TimeZone {
 public:
  ~TimeZone();
  TimeZone(const TimeZone&) = delete;
  TimeZone& operator=(const TimeZone&) = delete;

  // The zone named `name`: an IANA/ICU ID ("Europe/Berlin", "UTC", "EST",
  // "Etc/GMT-2"), matched case-insensitively as DuckDB does. kInvalidArgument
  // "Unknown TimeZone 'x'!" (DuckDB's words) for anything else.
  static Result<std::shared_ptr<const TimeZone>> Find(std::string_view name);
  // UTC, the default session zone.
  static std::shared_ptr<const TimeZone> Utc();

  // The zone's ID as ICU spells it ("Europe/Berlin" for "europe/berlin").
  const std::string& name() const { return name_; }
  bool IsUtc() const { return utc_; }

  // The total offset (raw + DST) in microseconds at the UTC instant.
  int64_t OffsetAt(int64_t utc_micros) const;
  // The UTC instant of a local wall time (microseconds since the epoch as if
  // the wall time were UTC), with DuckDB's gap and overlap rules above.
  // The result may lie outside the TIMESTAMP range; callers check.
  __int128 LocalToUtc(int64_t local_micros) const;
  // utc_micros + OffsetAt(utc_micros): the wall time, as a naive TIMESTAMP.
  __int128 UtcToLocal(int64_t utc_micros) const {
    return static_cast<__int128>(utc_micros) + OffsetAt(utc_micros);
  }

 private:
  struct Rules;
  TimeZone(std::string name, std::unique_ptr<Rules> rules);
  std::string name_;
  bool utc_ = false;
  std::unique_ptr<Rules> rules_;
};

using TimeZonePtr = std::shared_ptr<const TimeZone>;

// "2024-03-31 04:30:00+02", "2024-01-01 05:30:00.5+05:30",
// "1800-01-01 00:00:00+00:53": the wall time in `zone` and its offset, as
// DuckDB's TIMESTAMPTZ -> VARCHAR cast. REQUIRES: a valid TIMESTAMP value.
std::string FormatTimestampTz(int64_t utc_micros, const TimeZone& zone);
// "+02", "+05:30", "-04:56": DuckDB's offset text (seconds dropped).
std::string FormatUtcOffset(int64_t offset_micros);

// Text -> TIMESTAMPTZ: DuckDB's TIMESTAMP text, optionally followed by an
// offset (Z, UTC, +HH, +HHMM, +HH:MM) or a zone name after a space
// ("2024-03-31 02:30:00 Europe/Berlin"); without either the wall time is in
// `session`. kInvalidArgument for bad text, an unknown zone (naming it) or
// a result outside the TIMESTAMP range.
Result<int64_t> ParseTimestampTz(std::string_view text, const TimeZone& session);

}  // namespace tsl
