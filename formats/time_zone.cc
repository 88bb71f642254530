// Time zones through ICU. See time_zone.h.
//
// ICU works in milliseconds (UDate, a double); microseconds below the
// millisecond never change an offset (every transition and every offset is
// a whole number of seconds), so the instant is floored to its millisecond
// before ICU sees it. ICU handles every instant of the TIMESTAMP range (its
// zones end in a final yearly rule).
// Thread-safety: the name index and the zone cache are built under one
// mutex; a TimeZone is immutable once built.
#include "formats/time_zone.h"

#include "formats/mutex.h"

#include <unicode/basictz.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/ucal.h>
#include <unicode/unistr.h>

#include <cctype>
#include <cstdio>
#include <map>

#include "formats/timestamp.h"
#include "formats/types.h"

namespace tsl {

struct TimeZone::Rules {
  std::unique_ptr<icu::BasicTimeZone> zone;
};

namespace {

tsl::Mutex& CacheMutex() {
  static tsl::Mutex mu;
  return mu;
}

// Lower-case ID -> ICU's ID, for every zone ICU knows (built once).
const std::map<std::string, std::string>& NameIndex() {
  static const std::map<std::string, std::string>* index = [] {
    auto* m = new std::map<std::string, std::string>();
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::StringEnumeration> ids(icu::TimeZone::createEnumeration(status));
    if (U_SUCCESS(status) && ids) {
      const char* id;
      int32_t len = 0;
      while ((id = ids->next(&len, status)) != nullptr && U_SUCCESS(status)) {
        std::string s(id, static_cast<size_t>(len));
        (*m)[ToLower(s)] = s;
      }
    }
    return m;
  }();
  return *index;
}

// The zones built so far; REQUIRES the cache mutex.
std::map<std::string, std::shared_ptr<const TimeZone>>& Cache() REQUIRES(CacheMutex()) {
  static auto* cache = new std::map<std::string, std::shared_ptr<const TimeZone>>();
  return *cache;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

TimeZone::TimeZone(std::string name, std::unique_ptr<Rules> rules)
    : name_(std::move(name)), rules_(std::move(rules)) {
  utc_ = name_ == "UTC" || name_ == "Etc/UTC" || name_ == "GMT" || name_ == "Etc/GMT";
}

TimeZone::~TimeZone() = default;

Result<std::shared_ptr<const TimeZone>> TimeZone::Find(std::string_view name) {
  const std::string key = ToLower(name);
  tsl::MutexLock lock(CacheMutex());
  auto cached = Cache().find(key);
  if (cached != Cache().end()) return cached->second;
  const auto& index = NameIndex();
  auto it = index.find(key);
  if (it == index.end())
    return Status::InvalidArgument("Unknown TimeZone '" + std::string(name) + "'!");
  std::unique_ptr<icu::TimeZone> zone(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(it->second)));
  auto* basic = dynamic_cast<icu::BasicTimeZone*>(zone.get());
  if (basic == nullptr)
    return Status::InvalidArgument("Unknown TimeZone '" + std::string(name) + "'!");
  zone.release();
  auto rules = std::make_unique<Rules>();
  rules->zone.reset(basic);
  std::shared_ptr<const TimeZone> tz(new TimeZone(it->second, std::move(rules)));
  Cache()[key] = tz;
  return tz;
}

std::shared_ptr<const TimeZone> TimeZone::Utc() {
  static const std::shared_ptr<const TimeZone> utc = *Find("UTC");
  return utc;
}

int64_t TimeZone::OffsetAt(int64_t utc_micros) const {
  if (utc_) return 0;
  const double millis = static_cast<double>(FloorDiv(utc_micros, 1000));
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  rules_->zone->getOffset(millis, /*local=*/false, raw, dst, status);
  if (U_FAILURE(status)) return 0;
  return (static_cast<int64_t>(raw) + dst) * 1000;
}

__int128 TimeZone::LocalToUtc(int64_t local_micros) const {
  if (utc_) return local_micros;
  const double millis = static_cast<double>(FloorDiv(local_micros, 1000));
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  rules_->zone->getOffsetFromLocal(millis, UCAL_TZ_LOCAL_FORMER, UCAL_TZ_LOCAL_LATTER, raw, dst,
                                   status);
  if (U_FAILURE(status)) return local_micros;
  return static_cast<__int128>(local_micros) - (static_cast<int64_t>(raw) + dst) * 1000;
}

std::string FormatUtcOffset(int64_t offset_micros) {
  // DuckDB: whole minutes (truncated toward zero), "+HH" or "+HH:MM".
  const int64_t minutes = offset_micros / kMicrosPerMinute;
  const int64_t h = minutes / 60, m = minutes % 60;
  char buf[16];
  if (m == 0) {
    std::snprintf(buf, sizeof buf, "%c%02d", minutes < 0 ? '-' : '+', static_cast<int>(h < 0 ? -h : h));
  } else {
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", minutes < 0 ? '-' : '+', static_cast<int>(h < 0 ? -h : h),
                  static_cast<int>(m < 0 ? -m : m));
  }
  return buf;
}

std::string FormatTimestampTz(int64_t utc_micros, const TimeZone& zone) {
  const int64_t offset = zone.OffsetAt(utc_micros);
  const __int128 local = static_cast<__int128>(utc_micros) + offset;
  // The wall time can leave int64 only past the TIMESTAMP range's ends,
  // where no zone has an offset that large; clamp defensively.
  const int64_t wall = local > INT64_MAX ? INT64_MAX : (local < INT64_MIN ? INT64_MIN : static_cast<int64_t>(local));
  return FormatTimestamp(wall) + FormatUtcOffset(offset);
}

namespace {

Status OutOfRange(std::string_view text) {
  return Status::InvalidArgument("\"" + std::string(text) +
                                 "\" is not a valid TIMESTAMP WITH TIME ZONE: timestamp field value "
                                 "out of range (supported: " +
                                 std::string(TimestampRangeText()) + ")");
}

bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

}  // namespace

Result<int64_t> ParseTimestampTz(std::string_view text, const TimeZone& session) {
  std::string_view t = text;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  // A zone name after the last space: "... 02:30:00 Europe/Berlin". "UTC"
  // and the era " (BC)" are read by ParseTimestamp itself.
  const TimeZone* zone = &session;
  std::shared_ptr<const TimeZone> named;
  const size_t space = t.find_last_of(' ');
  if (space != std::string_view::npos && space + 1 < t.size() && IsAlpha(t[space + 1]) &&
      t.substr(space + 1) != "UTC") {
    Result<std::shared_ptr<const TimeZone>> z = TimeZone::Find(t.substr(space + 1));
    if (!z.ok()) return z.status();
    named = *z;
    zone = named.get();
    t = t.substr(0, space);
  }
  bool had_offset = false;
  Result<int64_t> r = ParseTimestamp(t, &had_offset);
  if (!r.ok()) {
    if (named == nullptr) return r.status();
    return Status::InvalidArgument("\"" + std::string(text) +
                                   "\" is not a valid TIMESTAMP WITH TIME ZONE (expected "
                                   "YYYY-MM-DD HH:MM:SS[.US][+HH[:MM]| ZONE])");
  }
  if (had_offset) {
    if (named != nullptr)
      return Status::InvalidArgument("\"" + std::string(text) +
                                     "\" has both a UTC offset and a time zone name");
    return *r;
  }
  const __int128 utc = zone->LocalToUtc(*r);
  if (!IsValidTimestamp(utc)) return OutOfRange(text);
  return static_cast<int64_t>(utc);
}

}  // namespace tsl
