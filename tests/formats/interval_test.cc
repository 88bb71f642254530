// The packed INTERVAL word (formats/interval.h): round trips, the plain
// microsecond range, text, normalized comparison and month arithmetic.
#include "formats/interval.h"

#include <gtest/gtest.h>

#include "formats/timestamp.h"

namespace tsl {
namespace {

TEST(IntervalPackingTest, RoundTripsMonthsAndMicros) {
  for (int64_t months : {-16383, -13, -1, 1, 2, 12, 16383}) {
    for (int64_t micros : {int64_t{0}, int64_t{1}, -kMicrosPerDay, 1628 * kMicrosPerDay,
                           -(int64_t{1} << 47)}) {
      Result<int64_t> v = EncodeInterval(months, micros);
      ASSERT_TRUE(v.ok()) << months << " " << micros;
      EXPECT_TRUE(IsCalendarInterval(*v));
      const IntervalParts p = DecodeInterval(*v);
      EXPECT_EQ(p.months, months);
      EXPECT_EQ(p.micros, micros);
    }
  }
}

TEST(IntervalPackingTest, PlainMicrosAreThemselves) {
  for (int64_t micros : {int64_t{0}, kMicrosPerHour, -kMicrosPerDay, (int64_t{1} << 62) - 1,
                         -(int64_t{1} << 62)}) {
    Result<int64_t> v = EncodeInterval(0, micros);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(*v, micros);
    EXPECT_FALSE(IsCalendarInterval(*v));
  }
  EXPECT_FALSE(EncodeInterval(0, int64_t{1} << 62).ok());
  EXPECT_FALSE(EncodeInterval(16384, 0).ok());
  EXPECT_FALSE(EncodeInterval(1, int64_t{1} << 47).ok());
}

TEST(IntervalPackingTest, TextAndComparison) {
  EXPECT_EQ(FormatInterval(*ParseInterval("1 year 2 months 3 days 04:05:06.5")),
            "1 year 2 months 3 days 04:05:06.5");
  EXPECT_EQ(FormatInterval(*ParseInterval("-14 months")), "-1 year -2 months");
  EXPECT_EQ(FormatInterval(*ParseInterval("1.5 months")), "1 month 15 days");
  EXPECT_EQ(IntervalCompare(*ParseInterval("1 month"), *ParseInterval("30 days")), 0);
  EXPECT_LT(IntervalCompare(*ParseInterval("1 month"), *ParseInterval("31 days")), 0);
  EXPECT_GT(IntervalCompare(*ParseInterval("1 month"), *ParseInterval("29 days")), 0);
  EXPECT_LT(IntervalCompare(*ParseInterval("-1 month"), *ParseInterval("-1 day")), 0);
}

TEST(IntervalPackingTest, MonthArithmeticClampsToMonthEnd) {
  const int64_t jan31 = *ParseTimestamp("2024-01-31 10:00:00");
  EXPECT_EQ(FormatTimestamp(*AddMonthsToTimestamp(jan31, 1)), "2024-02-29 10:00:00");
  EXPECT_EQ(FormatTimestamp(*AddMonthsToTimestamp(jan31, -2)), "2023-11-30 10:00:00");
  EXPECT_EQ(FormatTimestamp(*AddIntervalToTimestamp(jan31, *ParseInterval("1 month 1 day"), 1)),
            "2024-03-01 10:00:00");
  EXPECT_FALSE(AddMonthsToTimestamp(jan31, int64_t{1} << 40).ok());
  EXPECT_EQ(MonthIndexOf(*ParseTimestamp("2000-01-15")), 360);
  EXPECT_EQ(FormatTimestamp(*TimestampOfMonthIndex(-1)), "1969-12-01 00:00:00");
}

}  // namespace
}  // namespace tsl
