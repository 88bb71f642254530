// PartitionSpec: see partition_spec.h. Partition values are UTC calendar
// units formatted so that their string order is their time order.
#include "storage/partition_spec.h"

#include <cctype>
#include <cstdio>

#include "formats/timestamp.h"

namespace tsl {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

const char* UnitName(PartitionGranularity g) {
  switch (g) {
    case PartitionGranularity::kHour: return "hour";
    case PartitionGranularity::kDay: return "day";
    case PartitionGranularity::kMonth: return "month";
    case PartitionGranularity::kNone: break;
  }
  return "none";
}

// Parses exactly `n` decimal digits at s[*pos]; false otherwise.
bool Digits(std::string_view s, size_t* pos, size_t n, int64_t* out) {
  if (*pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

// The year of a partition value: 4 digits for 0000-9999, else ISO 8601's
// signed expanded form ("-0001" is 2 BC, "+10000"), as the log's stats
// timestamps (formats/log.md), so every supported TIMESTAMP has a partition.
std::string YearText(int64_t y) {
  char buf[24];
  if (y < 0) {
    std::snprintf(buf, sizeof buf, "-%04lld", static_cast<long long>(-y));
  } else if (y > 9999) {
    std::snprintf(buf, sizeof buf, "+%lld", static_cast<long long>(y));
  } else {
    std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(y));
  }
  return buf;
}

bool ParseYear(std::string_view s, size_t* pos, int64_t* y) {
  int sign = 0;
  if (*pos < s.size() && (s[*pos] == '-' || s[*pos] == '+')) {
    sign = s[*pos] == '-' ? -1 : 1;
    ++*pos;
  }
  if (sign == 0) return Digits(s, pos, 4, y);
  size_t n = 0;
  while (*pos + n < s.size() && n < 6 && s[*pos + n] >= '0' && s[*pos + n] <= '9') ++n;
  if (n < 4 || !Digits(s, pos, n, y)) return false;
  *y *= sign;
  return true;
}

// Micros of a partition bound, clamped to int64: the first and last
// partitions of the supported range reach past it, and a clamped bound
// still holds exactly the same supported values.
int64_t ClampedMicros(__int128 v) {
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return static_cast<int64_t>(v);
}

}  // namespace

Result<PartitionSpec> PartitionSpec::Parse(std::string_view text, const Schema& schema) {
  std::string_view t = Trim(text);
  PartitionSpec spec;
  if (t.empty() || EqualsIgnoreCase(t, "none")) return spec;
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("partition_by \"" + std::string(text) + "\": " + why);
  };
  size_t open = t.find('(');
  if (open == std::string_view::npos || t.back() != ')')
    return bad("expected none, hour(col), day(col) or month(col)");
  std::string_view unit = Trim(t.substr(0, open));
  std::string_view col = Trim(t.substr(open + 1, t.size() - open - 2));
  if (EqualsIgnoreCase(unit, "hour")) {
    spec.granularity_ = PartitionGranularity::kHour;
  } else if (EqualsIgnoreCase(unit, "day")) {
    spec.granularity_ = PartitionGranularity::kDay;
  } else if (EqualsIgnoreCase(unit, "month")) {
    spec.granularity_ = PartitionGranularity::kMonth;
  } else {
    return bad("expected none, hour(col), day(col) or month(col)");
  }
  int idx = schema.FindField(col);
  if (idx < 0) return bad("the table has no column \"" + std::string(col) + "\"");
  if (!IsTimestampType(schema.fields[idx].type))
    return bad("column \"" + schema.fields[idx].name + "\" is " +
               std::string(TypeName(schema.fields[idx].type)) + ", not TIMESTAMP");
  spec.column_index_ = idx;
  spec.column_name_ = schema.fields[idx].name;
  spec.partition_column_ = ToLower(spec.column_name_) + "_" + UnitName(spec.granularity_);
  return spec;
}

std::string PartitionSpec::ToString() const {
  if (!partitioned()) return "none";
  return std::string(UnitName(granularity_)) + "(" + column_name_ + ")";
}

std::string PartitionSpec::ValueFor(int64_t micros) const {
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[40];
  switch (granularity_) {
    case PartitionGranularity::kHour: {
      int64_t hour = FloorDiv(micros, kMicrosPerHour) - days * 24;
      std::snprintf(buf, sizeof buf, "-%02u-%02uT%02lld", m, d, static_cast<long long>(hour));
      break;
    }
    case PartitionGranularity::kDay:
      std::snprintf(buf, sizeof buf, "-%02u-%02u", m, d);
      break;
    case PartitionGranularity::kMonth:
      std::snprintf(buf, sizeof buf, "-%02u", m);
      break;
    case PartitionGranularity::kNone:
      return "";
  }
  return YearText(y) + buf;
}

Result<std::pair<int64_t, int64_t>> PartitionSpec::RangeOf(std::string_view value) const {
  auto bad = [&]() {
    return Status::InvalidArgument("\"" + std::string(value) + "\" is not a " +
                                   UnitName(granularity_) + " partition value of " +
                                   partition_column_);
  };
  if (!partitioned()) return bad();
  size_t pos = 0;
  int64_t y = 0, m = 0, d = 1, h = 0;
  if (!ParseYear(value, &pos, &y) || pos >= value.size() || value[pos++] != '-' ||
      !Digits(value, &pos, 2, &m) || m < 1 || m > 12)
    return bad();
  if (granularity_ != PartitionGranularity::kMonth) {
    if (pos >= value.size() || value[pos++] != '-' || !Digits(value, &pos, 2, &d) || d < 1 ||
        d > 31)
      return bad();
  }
  if (granularity_ == PartitionGranularity::kHour) {
    if (pos >= value.size() || value[pos++] != 'T' || !Digits(value, &pos, 2, &h) || h > 23)
      return bad();
  }
  if (pos != value.size()) return bad();
  // In 128 bits: the partitions at the ends of the TIMESTAMP range reach
  // past int64 (the month of 290309-12-22 BC starts before INT64_MIN).
  const __int128 lo = static_cast<__int128>(DaysFromCivil(y, static_cast<unsigned>(m),
                                                          static_cast<unsigned>(d))) *
                          kMicrosPerDay +
                      h * kMicrosPerHour;
  // 2024-02-30 and the like: the value must be the one its start formats to
  // (a start outside int64 is checked from its first supported day).
  const int64_t probe = ClampedMicros(lo < kMinTimestampMicros ? kMinTimestampMicros : lo);
  if (lo > kMaxTimestampMicros || ValueFor(probe) != value) return bad();
  __int128 hi;
  switch (granularity_) {
    case PartitionGranularity::kHour: hi = lo + kMicrosPerHour; break;
    case PartitionGranularity::kDay: hi = lo + kMicrosPerDay; break;
    default:
      hi = static_cast<__int128>(DaysFromCivil(m == 12 ? y + 1 : y,
                                               static_cast<unsigned>(m == 12 ? 1 : m + 1), 1)) *
           kMicrosPerDay;
  }
  return std::pair<int64_t, int64_t>{ClampedMicros(lo), ClampedMicros(hi)};
}

std::string PartitionSpec::DirectoryFor(std::string_view value) const {
  return partition_column_ + "=" + std::string(value);
}

}  // namespace tsl
