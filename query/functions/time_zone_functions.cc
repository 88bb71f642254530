// TIMESTAMP WITH TIME ZONE functions, with DuckDB's icu extension's
// semantics: calendar parts are those of the wall time in the session's
// zone (the binder appends the zone, kScalarSessionZone), so a day starts
// at local midnight and DST days have 23 or 25 hours.
//  - date_part/extract/year()/... and dayname/monthname/strftime: the
//    TIMESTAMP kernels applied to the wall time; 'epoch' stays the UTC
//    instant and 'timezone', 'timezone_hour', 'timezone_minute' give the
//    offset; strftime's %z prints the offset ("+02") and %Z the zone name;
//  - date_trunc: a part of an hour or more truncates the wall time and reads
//    it back in the zone (an ambiguous or skipped result resolves as a
//    TIMESTAMP -> TIMESTAMPTZ cast does); smaller parts keep the instant's
//    offset (DuckDB's PreserveOffsets), so '02:30:10+02' on the night
//    clocks go back truncates to '02:30:00+02', not to the later 02:30;
//  - time_bucket(width, tstz[, origin | offset]) buckets the UTC instant,
//    as DuckDB does (its two-argument form binds the calendar to UTC);
//    time_bucket(width, tstz, zone) buckets wall time in `zone` from a
//    2000-01-03 local-midnight origin: a width of whole days counts local
//    calendar days (tslake's INTERVAL has no separate day field, so 24
//    hours counts as 1 day here), shorter widths count microseconds;
//  - timezone(zone, ts) / ts AT TIME ZONE zone: TIMESTAMP -> TIMESTAMPTZ
//    reads the wall time in `zone`; TIMESTAMPTZ -> TIMESTAMP gives the wall
//    time in `zone`;
//  - epoch*, now()/current_timestamp: the instant (no zone).
// Thread-safety: pure kernels (zones come from the shared immutable cache).
#include <iterator>
#include <string>
#include <utility>

#include "formats/interval.h"
#include "formats/time_zone.h"
#include "formats/timestamp.h"
#include "query/execution/time_zone_setting.h"
#include "query/functions/month_bucket.h"
#include "query/functions/scalar_kernels.h"

namespace tsl::query {
namespace {

using Args = std::vector<VectorView>;

// The zone named by row `row` of `v` (the appended session zone, or a
// user's argument), remembering the last one so a constant costs one
// lookup per chunk.
class ZoneReader {
 public:
  const TimeZone& Get(const VectorView& v, size_t row) {
    const std::string& name = v.String(row);
    if (!zone_ || name != name_) {
      zone_ = FindTimeZoneOrThrow(name);
      name_ = name;
    }
    return *zone_;
  }

 private:
  std::string name_;
  TimeZonePtr zone_;
};

// The wall time of a valid instant, clamped into the TIMESTAMP range (only
// the range's two ends can leave it), so calendar code never overflows.
int64_t Wall(const TimeZone& zone, int64_t utc) {
  const __int128 w = zone.UtcToLocal(utc);
  if (w < kMinTimestampMicros) return kMinTimestampMicros;
  if (w > kMaxTimestampMicros) return kMaxTimestampMicros;
  return static_cast<int64_t>(w);
}

int64_t UtcOrThrow(__int128 utc, const char* function) { return TimestampOrThrow(utc, function); }

std::string NormalizePart(const std::string& in) { return ToLower(in); }

// date_part(part, tstz) / datepart.
void DatePartTz(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ZoneReader zones;
  ForEachValid(a, n, out, [&](size_t i) {
    const TimeZone& zone = zones.Get(a[2], i);
    const std::string part = NormalizePart(a[0].String(i));
    const int64_t utc = a[1].Int(i);
    if (part == "epoch") {
      out->ints[i] = FloorDiv(utc, kMicrosPerSecond);
    } else if (part == "timezone") {
      out->ints[i] = zone.OffsetAt(utc) / kMicrosPerSecond;
    } else if (part == "timezone_hour") {
      out->ints[i] = zone.OffsetAt(utc) / kMicrosPerHour;
    } else if (part == "timezone_minute") {
      out->ints[i] = zone.OffsetAt(utc) / kMicrosPerMinute % 60;
    } else {
      out->ints[i] = ExtractTimestampPart(part, Wall(zone, utc));
    }
  });
}

// year(tstz), month(tstz), ...: date_part with a fixed part.
constexpr const char* kParts[] = {"year",        "month",      "day",        "hour",
                                  "minute",      "second",     "quarter",    "dayofweek",
                                  "dayofyear",   "week",       "isodow",     "millisecond",
                                  "microsecond", "dayofmonth", "weekofyear", "isoyear"};

template <size_t kPart>
void PartOfTz(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kBig, n);
  ZoneReader zones;
  std::string part = kParts[kPart];
  if (part == "dayofmonth") part = "day";
  ForEachValid(a, n, out, [&](size_t i) {
    out->ints[i] = ExtractTimestampPart(part, Wall(zones.Get(a[1], i), a[0].Int(i)));
  });
}

template <size_t... I>
void AddPartFunctions(std::vector<ScalarFunction>* f, std::index_sequence<I...>) {
  (f->push_back({kParts[I], {kTsTz}, kBig, PartOfTz<I>, kScalarSessionZone}), ...);
}

// A TIMESTAMP kernel of one argument (dayname, monthname, yearweek) over
// the wall time.
constexpr const char* kWallFunctions[] = {"dayname", "monthname", "yearweek"};

template <size_t kFunction>
void WallTimeOf(const Args& a, size_t n, ColumnVector* out) {
  bool exists = false;
  static const ScalarFunction* f =
      FindScalarFunction(kWallFunctions[kFunction], {kTs}, {false}, &exists);
  if (f == nullptr) throw QueryError(ErrorKind::kInternal, "TIMESTAMP overload missing");
  ColumnVector wall(kTs);
  const size_t rows = a[0].constant ? 1 : n;
  wall.ints.resize(rows);
  wall.valid.assign(rows, 1);
  ZoneReader zones;
  for (size_t i = 0; i < rows; ++i) {
    wall.valid[i] = !a[0].IsNull(i);
    if (wall.valid[i]) wall.ints[i] = Wall(zones.Get(a[1], i), a[0].Int(i));
  }
  f->kernel({VectorView{&wall, a[0].constant}}, n, out);
}

// strftime(tstz, format) / strftime(format, tstz).
template <bool kFormatFirst>
void StrftimeTz(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kStr, n);
  ZoneReader zones;
  const VectorView& ts = a[kFormatFirst ? 1 : 0];
  const VectorView& fmt = a[kFormatFirst ? 0 : 1];
  ForEachValid(a, n, out, [&](size_t i) {
    const TimeZone& zone = zones.Get(a[2], i);
    const int64_t utc = ts.Int(i);
    out->strings[i] = FormatTimestampText(Wall(zone, utc), fmt.String(i),
                                          FormatUtcOffset(zone.OffsetAt(utc)), zone.name());
  });
}

// date_trunc(part, tstz).
void DateTruncTz(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTsTz, n);
  ZoneReader zones;
  ForEachValid(a, n, out, [&](size_t i) {
    const TimeZone& zone = zones.Get(a[2], i);
    std::string part = NormalizePart(a[0].String(i));
    if (!part.empty() && part.back() == 's' && part != "s") part.pop_back();
    const int64_t utc = a[1].Int(i);
    const int64_t offset = zone.OffsetAt(utc);
    const int64_t wall = Wall(zone, utc);
    const int64_t truncated = TruncateTimestamp(part, wall);
    const bool below_hour = part == "microsecond" || part == "us" || part == "millisecond" ||
                            part == "ms" || part == "second" || part == "sec" ||
                            part == "minute" || part == "min";
    out->ints[i] = below_hour ? UtcOrThrow(static_cast<__int128>(truncated) - offset, "date_trunc")
                              : UtcOrThrow(zone.LocalToUtc(truncated), "date_trunc");
  });
}

// The TIMESTAMP overload's kernel with a TIMESTAMPTZ result: time_bucket
// on the UTC instant, epoch and friends.
constexpr const char* kInstantFunctions[] = {"time_bucket", "epoch_ms", "epoch", "epoch_us",
                                             "epoch_ns"};

template <size_t kFunction, TypeId... kArgs>
void InstantOf(const Args& a, size_t n, ColumnVector* out) {
  bool exists = false;
  static const ScalarFunction* f = FindScalarFunction(
      kInstantFunctions[kFunction], {(kArgs == kTsTz ? kTs : kArgs)...},
      std::vector<bool>(sizeof...(kArgs), false), &exists);
  if (f == nullptr) throw QueryError(ErrorKind::kInternal, "TIMESTAMP overload missing");
  f->kernel(a, n, out);
  if (out->type == kTs) out->type = kTsTz;
}

// time_bucket(width, tstz, zone).
int64_t AddLocalDays(const TimeZone& zone, int64_t origin_wall, int64_t days) {
  return UtcOrThrow(zone.LocalToUtc(static_cast<int64_t>(
                        TimestampOrThrow(static_cast<__int128>(origin_wall) + static_cast<__int128>(days) * kMicrosPerDay,
                                         "time_bucket"))),
                    "time_bucket");
}

constexpr int64_t kBucketOriginWall = 946857600LL * kMicrosPerSecond;  // 2000-01-03 00:00:00

void TimeBucketZone(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTsTz, n);
  ZoneReader zones;
  ForEachValid(a, n, out, [&](size_t i) {
    const int64_t width = a[0].Int(i);
    if (width <= 0) throw QueryError(ErrorKind::kOutOfRange, "Invalid bucket width: must be positive");
    const TimeZone& zone = zones.Get(a[2], i);
    const int64_t ts = a[1].Int(i);
    if (IsCalendarInterval(width)) {  // months on the zone's calendar
      const int64_t wall = UtcOrThrow(zone.UtcToLocal(ts), "time_bucket");
      out->ints[i] = UtcOrThrow(
          zone.LocalToUtc(MonthBucket(width, wall, kDefaultOriginMonths, "time_bucket")),
          "time_bucket");
      return;
    }
    const int64_t origin = UtcOrThrow(zone.LocalToUtc(kBucketOriginWall), "time_bucket");
    if (width % kMicrosPerDay != 0) {
      const __int128 diff = static_cast<__int128>(ts) - origin;
      __int128 q = diff / width;
      if (diff % width != 0 && diff < 0) --q;
      out->ints[i] = UtcOrThrow(origin + q * width, "time_bucket");
      return;
    }
    // Whole local days from the origin (ICU's fieldDifference: toward zero).
    const int64_t width_days = width / kMicrosPerDay;
    int64_t k = FloorDiv(Wall(zone, ts), kMicrosPerDay) - kBucketOriginWall / kMicrosPerDay;
    if (AddLocalDays(zone, kBucketOriginWall, k) > ts) --k;
    if (ts < origin && AddLocalDays(zone, kBucketOriginWall, k) != ts) ++k;
    const int64_t result_days = (k / width_days) * width_days;
    int64_t bucket = AddLocalDays(zone, kBucketOriginWall, result_days);
    if (ts < bucket) bucket = AddLocalDays(zone, kBucketOriginWall, result_days - width_days);
    out->ints[i] = bucket;
  });
}

// timezone(zone, ts) -> TIMESTAMPTZ; timezone(zone, tstz) -> TIMESTAMP.
void TimezoneOfTimestamp(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTsTz, n);
  ZoneReader zones;
  ForEachValid(a, n, out, [&](size_t i) {
    out->ints[i] = UtcOrThrow(zones.Get(a[0], i).LocalToUtc(a[1].Int(i)), "timezone");
  });
}

void TimezoneOfTimestampTz(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTs, n);
  ZoneReader zones;
  ForEachValid(a, n, out, [&](size_t i) {
    out->ints[i] = UtcOrThrow(zones.Get(a[0], i).UtcToLocal(a[1].Int(i)), "timezone");
  });
}

// strptime(text, format) when the format has %z or %Z: a TIMESTAMPTZ (the
// binder picks this by the constant format, as DuckDB types it). A zone
// name matched by %Z reads the wall time in that zone; an offset (%z) is
// applied; with neither the text is UTC.
template <bool kTry>
void StrptimeTz(const Args& a, size_t n, ColumnVector* out) {
  PrepareOutput(out, kTsTz, n);
  ForEachValid(a, n, out, [&](size_t i) {
    const std::string& text = a[0].String(i);
    const std::string& fmt = a[1].String(i);
    int64_t ts;
    std::string zone_name;
    if (ParseTimestampWithFormat(text, fmt, &ts, &zone_name)) {
      if (zone_name.empty()) {
        out->ints[i] = ts;
        return;
      }
      Result<TimeZonePtr> zone = TimeZone::Find(zone_name);
      if (zone.ok()) {
        const __int128 utc = (*zone)->LocalToUtc(ts);
        if (IsValidTimestamp(utc)) {
          out->ints[i] = static_cast<int64_t>(utc);
          return;
        }
      }
    }
    if (kTry) {
      out->valid[i] = 0;
      return;
    }
    throw QueryError(ErrorKind::kInvalidInput, "Could not parse string \"" + text +
                                                   "\" according to format specifier \"" + fmt + "\"");
  });
}

}  // namespace

bool FormatHasZone(const std::string& fmt) {
  return fmt.find("%z") != std::string::npos || fmt.find("%Z") != std::string::npos;
}

void AddTimeZoneFunctions(std::vector<ScalarFunction>* f) {
  constexpr uint8_t kZone = kScalarSessionZone;
  f->insert(f->end(), {
      {"date_part", {kStr, kTsTz}, kBig, DatePartTz, kZone},
      {"datepart", {kStr, kTsTz}, kBig, DatePartTz, kZone},
      {"date_trunc", {kStr, kTsTz}, kTsTz, DateTruncTz, kZone},
      {"datetrunc", {kStr, kTsTz}, kTsTz, DateTruncTz, kZone},
      {"strftime", {kTsTz, kStr}, kStr, StrftimeTz<false>, kZone},
      {"strftime", {kStr, kTsTz}, kStr, StrftimeTz<true>, kZone},
      {"time_bucket", {kIvl, kTsTz}, kTsTz, InstantOf<0, kIvl, kTsTz>},
      {"time_bucket", {kIvl, kTsTz, kTsTz}, kTsTz, InstantOf<0, kIvl, kTsTz, kTsTz>},
      {"time_bucket", {kIvl, kTsTz, kIvl}, kTsTz, InstantOf<0, kIvl, kTsTz, kIvl>},
      {"time_bucket", {kIvl, kTsTz, kStr}, kTsTz, TimeBucketZone},
      {"epoch_ms", {kTsTz}, kBig, InstantOf<1, kTsTz>},
      {"epoch", {kTsTz}, kDbl, InstantOf<2, kTsTz>},
      {"epoch_us", {kTsTz}, kBig, InstantOf<3, kTsTz>},
      {"epoch_ns", {kTsTz}, kBig, InstantOf<4, kTsTz>},
      {"timezone", {kStr, kTs}, kTsTz, TimezoneOfTimestamp},
      {"timezone", {kStr, kTsTz}, kTs, TimezoneOfTimestampTz},
      {"strptime_tz", {kStr, kStr}, kTsTz, StrptimeTz<false>},
      {"try_strptime_tz", {kStr, kStr}, kTsTz, StrptimeTz<true>},
  });
  AddPartFunctions(f, std::make_index_sequence<std::size(kParts)>());
  f->push_back({"dayname", {kTsTz}, kStr, WallTimeOf<0>, kZone});
  f->push_back({"monthname", {kTsTz}, kStr, WallTimeOf<1>, kZone});
  f->push_back({"yearweek", {kTsTz}, kBig, WallTimeOf<2>, kZone});
}

}  // namespace tsl::query
