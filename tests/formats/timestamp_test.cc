// Timestamp and interval parsing/formatting (formats/timestamp.h).
#include "formats/timestamp.h"

#include <gtest/gtest.h>

namespace tsl {
namespace {

int64_t Ts(std::string_view s) {
  auto r = ParseTimestamp(s);
  EXPECT_TRUE(r.ok()) << s << ": " << r.status().ToString();
  return r.ok() ? *r : 0;
}

TEST(TimestampTest, ParsesDateOnlyAsMidnightUtc) {
  EXPECT_EQ(Ts("1970-01-01"), 0);
  EXPECT_EQ(Ts("2024-01-01"), 1704067200LL * kMicrosPerSecond);
}

TEST(TimestampTest, ParsesTimeWithSpaceOrTSeparator) {
  const int64_t want = 1704103200LL * kMicrosPerSecond;  // 2024-01-01 10:00:00
  EXPECT_EQ(Ts("2024-01-01 10:00:00"), want);
  EXPECT_EQ(Ts("2024-01-01T10:00:00"), want);
  EXPECT_EQ(Ts("2024-01-01 10:00"), want);
  EXPECT_EQ(Ts("  2024-01-01 10:00:00  "), want);
  EXPECT_EQ(Ts("2024-01-01T10:00:00Z"), want);
}

TEST(TimestampTest, FractionUpToNineDigitsTruncatesPastMicros) {
  const int64_t base = Ts("2024-01-01 10:00:00");
  EXPECT_EQ(Ts("2024-01-01 10:00:00.5"), base + 500000);
  EXPECT_EQ(Ts("2024-01-01T10:00:00.1234567Z"), base + 123456);  // PI Web API style
  EXPECT_EQ(Ts("2024-01-01 10:00:00.123456789"), base + 123456);
  EXPECT_FALSE(ParseTimestamp("2024-01-01 10:00:00.1234567890").ok());
}

TEST(TimestampTest, OffsetsConvertToUtc) {
  const int64_t utc = Ts("2024-01-01 08:00:00");
  EXPECT_EQ(Ts("2024-01-01T10:00:00+02:00"), utc);
  EXPECT_EQ(Ts("2024-01-01T10:00:00+0200"), utc);
  EXPECT_EQ(Ts("2024-01-01T10:00:00+02"), utc);
  EXPECT_EQ(Ts("2024-01-01T03:00:00-05:00"), utc);
}

TEST(TimestampTest, RejectsGarbageAndOutOfRangeFields) {
  for (const char* bad : {"", "abc", "2024", "2024-13-01", "2024-02-30", "2023-02-29", "2024-01-01 24:00:00",
                          "2024-01-01 10:60:00", "2024-01-01 10:00:61", "2024-01-01x", "2024-01-01 10:00:00+5",
                          "2024-01-01 10", "0000-01-01 (BC)", "2024-01-01 (BC)x"}) {
    auto r = ParseTimestamp(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(r.status().message().find("is not a valid TIMESTAMP"), std::string::npos);
    }
  }
  EXPECT_TRUE(ParseTimestamp("2024-02-29").ok());
  EXPECT_NE(ParseTimestamp("2024-02-30").status().message().find("day 30"), std::string::npos);
  EXPECT_NE(ParseTimestamp("2024-13-01").status().message().find("month 13"), std::string::npos);
}

TEST(TimestampTest, FormatsLikeDuckDb) {
  EXPECT_EQ(FormatTimestamp(Ts("2024-01-01")), "2024-01-01 00:00:00");
  EXPECT_EQ(FormatTimestamp(Ts("2024-01-01 00:00:00.5")), "2024-01-01 00:00:00.5");
  EXPECT_EQ(FormatTimestamp(Ts("2024-01-01 00:00:00.000123")), "2024-01-01 00:00:00.000123");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(FormatTimestampIso(Ts("2024-03-05 06:07:08.5")), "2024-03-05T06:07:08.500000Z");
}

// Issue 15 item 1: the supported range is DuckDB's, every value inside it
// formats and parses back (display text and the ISO text of the log
// statistics), and nothing outside it parses.
TEST(TimestampTest, SupportedRangeIsDuckDbs) {
  EXPECT_EQ(kMinTimestampMicros, -9223372022400000000LL);
  EXPECT_EQ(FormatTimestamp(kMinTimestampMicros), "290309-12-22 (BC) 00:00:00");
  EXPECT_EQ(FormatTimestamp(kMaxTimestampMicros), "294247-01-10 04:00:54.775806");
  EXPECT_EQ(Ts("290309-12-22 (BC) 00:00:00"), kMinTimestampMicros);
  EXPECT_EQ(Ts("294247-01-10 04:00:54.775806"), kMaxTimestampMicros);
  for (const char* out : {"290309-12-21 (BC) 23:59:59.999999", "294247-01-10 04:00:54.775807",
                          "290309-12-22 (BC) 00:00:00+07:00", "294247-01-10 04:00:54-07:00",
                          "300000-01-01", "-300000-01-01", "+294248-01-01T00:00:00Z"}) {
    auto r = ParseTimestamp(out);
    ASSERT_FALSE(r.ok()) << out << " parsed as " << *r;
    EXPECT_NE(r.status().message().find("out of range"), std::string::npos) << r.status().ToString();
  }
}

TEST(TimestampTest, YearsBeforeOneAndAfter9999FormatAsDuckDb) {
  const int64_t bc = Ts("0001-01-01") - kMicrosPerDay;
  EXPECT_EQ(FormatTimestamp(bc), "0001-12-31 (BC) 00:00:00");
  EXPECT_EQ(FormatTimestamp(bc + 1500000), "0001-12-31 (BC) 00:00:01.5");
  EXPECT_EQ(Ts("0001-12-31 (BC) 00:00:00"), bc);
  EXPECT_EQ(Ts("0000-12-31"), bc);         // astronomical year 0 = 1 BC
  EXPECT_EQ(Ts("-0001-12-31"), Ts("0002-12-31 (BC)"));
  EXPECT_EQ(Ts("0001-12-31 00:00:00 (BC)"), bc);  // tslake's older display form
  EXPECT_EQ(FormatTimestamp(Ts("10000-01-01")), "10000-01-01 00:00:00");
  EXPECT_EQ(FormatTimestampIso(bc), "0000-12-31T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestampIso(Ts("0002-01-01 (BC)")), "-0001-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestampIso(Ts("10000-01-01")), "+10000-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestampIso(kMinTimestampMicros), "-290308-12-22T00:00:00.000000Z");
  EXPECT_EQ(FormatTimestampIso(kMaxTimestampMicros), "+294247-01-10T04:00:54.775806Z");
}

TEST(TimestampTest, EverySupportedValueRoundTripsThroughDisplayAndIsoText) {
  std::vector<int64_t> values = {kMinTimestampMicros, kMinTimestampMicros + 1, kMaxTimestampMicros,
                                 kMaxTimestampMicros - 1, 0, -1, 1};
  // A walk over the whole range with an odd step hits every era and digit count.
  const int64_t step = kMaxTimestampMicros / 1009 * 2 + 7;
  for (int64_t t = kMinTimestampMicros; t < kMaxTimestampMicros - step; t += step) values.push_back(t);
  for (int64_t y : {-1, 0, 1, 9999, 10000, 99999, 100000}) {
    values.push_back(DaysFromCivil(y, 1, 1) * kMicrosPerDay);
    values.push_back(DaysFromCivil(y, 12, 31) * kMicrosPerDay + kMicrosPerDay - 1);
  }
  for (int64_t t : values) {
    auto display = ParseTimestamp(FormatTimestamp(t));
    ASSERT_TRUE(display.ok()) << FormatTimestamp(t) << ": " << display.status().ToString();
    EXPECT_EQ(*display, t) << FormatTimestamp(t);
    auto iso = ParseTimestamp(FormatTimestampIso(t));
    ASSERT_TRUE(iso.ok()) << FormatTimestampIso(t) << ": " << iso.status().ToString();
    EXPECT_EQ(*iso, t) << FormatTimestampIso(t);
  }
}

TEST(TimestampTest, FormatsValuesOutsideTheRangeWithoutOverflow) {
  // Old tables may hold such values; showing them must not be UB.
  EXPECT_FALSE(FormatTimestamp(INT64_MIN).empty());
  EXPECT_FALSE(FormatTimestamp(INT64_MAX).empty());
  EXPECT_FALSE(FormatTimestampIso(INT64_MIN).empty());
}

TEST(TimestampTest, RoundTripsAcrossWideRange) {
  for (int64_t t : {int64_t{0}, int64_t{-86400000001}, int64_t{253402300799999999}, int64_t{951782400000000}}) {
    EXPECT_EQ(Ts(FormatTimestamp(t)), t) << FormatTimestamp(t);
  }
  for (int64_t days = -800000; days < 3000000; days += 997) {
    int64_t y;
    unsigned m, d;
    CivilFromDays(days, &y, &m, &d);
    EXPECT_EQ(DaysFromCivil(y, m, d), days);
  }
}

TEST(IntervalTest, ParsesUnitsAndClockText) {
  EXPECT_EQ(*ParseInterval("1 hour"), kMicrosPerHour);
  EXPECT_EQ(*ParseInterval("90 minutes"), 90 * kMicrosPerMinute);
  EXPECT_EQ(*ParseInterval("1h"), kMicrosPerHour);
  EXPECT_EQ(*ParseInterval("7 days"), 7 * kMicrosPerDay);
  EXPECT_EQ(*ParseInterval("00:15:00"), 15 * kMicrosPerMinute);
  EXPECT_EQ(*ParseInterval("1 day 2 hours"), kMicrosPerDay + 2 * kMicrosPerHour);
  EXPECT_EQ(*ParseInterval("1 day 02:00:00"), kMicrosPerDay + 2 * kMicrosPerHour);
  EXPECT_EQ(*ParseInterval("1.5 seconds"), 1500000);
  EXPECT_EQ(*ParseInterval("-1 hour"), -kMicrosPerHour);
  EXPECT_EQ(*ParseInterval("250 ms"), 250000);
}

// Months were refused until calendar INTERVALs (issues 17/18); now they
// parse (formats/interval.h) and only bad text is refused.
TEST(IntervalTest, RejectsBadTextAcceptsMonths) {
  ASSERT_TRUE(ParseInterval("1 month").ok());
  EXPECT_EQ(FormatInterval(*ParseInterval("1 month")), "1 month");
  EXPECT_FALSE(ParseInterval("99999 years").ok());  // past 16383 months
  EXPECT_EQ(ParseInterval("abc").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseInterval("5").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseInterval("5 parsecs").status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseInterval("999999999999 weeks").ok());
}

TEST(IntervalTest, FormatsLikeDuckDb) {
  EXPECT_EQ(FormatInterval(kMicrosPerHour), "01:00:00");
  EXPECT_EQ(FormatInterval(7 * kMicrosPerDay), "7 days");
  EXPECT_EQ(FormatInterval(kMicrosPerDay), "1 day");
  EXPECT_EQ(FormatInterval(kMicrosPerDay + 2 * kMicrosPerHour), "1 day 02:00:00");
  EXPECT_EQ(FormatInterval(0), "00:00:00");
  EXPECT_EQ(FormatInterval(1500000), "00:00:01.5");
  EXPECT_EQ(FormatInterval(-kMicrosPerHour), "-01:00:00");
}

}  // namespace
}  // namespace tsl
