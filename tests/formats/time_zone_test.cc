// TIMESTAMP WITH TIME ZONE in the formats layer (formats/time_zone.h): ICU
// zones by name (case-insensitive, unknown names refused with DuckDB's
// words), offsets and the gap/overlap rules of DuckDB's ICU calendar, text
// in and out, and the stored form: segment type 9 with zone maps, the log's
// ISO statistics and Parquet's isAdjustedToUTC round trips.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/byte_source.h"
#include "formats/log_action.h"
#include "formats/parquet_reader.h"
#include "formats/parquet_writer.h"
#include "formats/segment_reader.h"
#include "formats/segment_writer.h"
#include "formats/time_zone.h"
#include "formats/timestamp.h"
#include "formats/value.h"
#include "tests/formats/segment_test_util.h"

namespace tsl {
namespace {

int64_t Micros(std::string_view text) {
  Result<int64_t> r = ParseTimestamp(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : 0;
}

TimeZonePtr Zone(std::string_view name) {
  Result<TimeZonePtr> z = TimeZone::Find(name);
  EXPECT_TRUE(z.ok()) << name;
  return z.ok() ? *z : TimeZone::Utc();
}

TEST(TimeZoneTest, FindsZonesCaseInsensitivelyAndRefusesUnknownOnes) {
  EXPECT_EQ(Zone("europe/BERLIN")->name(), "Europe/Berlin");
  EXPECT_EQ(Zone("utc")->name(), "UTC");
  EXPECT_TRUE(Zone("UTC")->IsUtc());
  Result<TimeZonePtr> bad = TimeZone::Find("Nowhere/Atlantis");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "Unknown TimeZone 'Nowhere/Atlantis'!");
  EXPECT_FALSE(TimeZone::Find("+02:00").ok());
}

TEST(TimeZoneTest, OffsetsFollowDstAndLocalMeanTime) {
  const TimeZonePtr berlin = Zone("Europe/Berlin");
  EXPECT_EQ(berlin->OffsetAt(Micros("2024-01-15 12:00:00")), kMicrosPerHour);
  EXPECT_EQ(berlin->OffsetAt(Micros("2024-07-15 12:00:00")), 2 * kMicrosPerHour);
  EXPECT_EQ(berlin->OffsetAt(Micros("1800-01-01 00:00:00")), (53 * 60 + 28) * kMicrosPerSecond);
  EXPECT_EQ(Zone("Asia/Kolkata")->OffsetAt(Micros("2024-01-01 00:00:00")), 330 * kMicrosPerMinute);
  // Every instant of the TIMESTAMP range has an offset (ICU's final rules).
  EXPECT_EQ(berlin->OffsetAt(kMaxTimestampMicros), kMicrosPerHour);
  EXPECT_NO_FATAL_FAILURE(berlin->OffsetAt(kMinTimestampMicros));
}

TEST(TimeZoneTest, SkippedWallTimeUsesEarlierOffsetRepeatedOneIsTheLater) {
  const TimeZonePtr berlin = Zone("Europe/Berlin");
  // 02:30 does not exist on 2024-03-31: read with +01, it is 01:30 UTC.
  EXPECT_EQ(berlin->LocalToUtc(Micros("2024-03-31 02:30:00")), Micros("2024-03-31 01:30:00"));
  // 02:30 happens twice on 2024-10-27: the later one, +01.
  EXPECT_EQ(berlin->LocalToUtc(Micros("2024-10-27 02:30:00")), Micros("2024-10-27 01:30:00"));
  const TimeZonePtr ny = Zone("America/New_York");
  EXPECT_EQ(ny->LocalToUtc(Micros("2024-03-10 02:30:00")), Micros("2024-03-10 07:30:00"));
  EXPECT_EQ(ny->LocalToUtc(Micros("2024-11-03 01:30:00")), Micros("2024-11-03 06:30:00"));
}

TEST(TimeZoneTest, TextInAndOut) {
  const TimeZonePtr berlin = Zone("Europe/Berlin");
  EXPECT_EQ(FormatTimestampTz(Micros("2024-03-31 01:30:00"), *berlin), "2024-03-31 03:30:00+02");
  EXPECT_EQ(FormatTimestampTz(Micros("1800-01-01 00:00:00"), *berlin), "1800-01-01 00:53:28+00:53");
  EXPECT_EQ(FormatTimestampTz(Micros("2024-01-01 00:00:00.5"), *Zone("Asia/Kolkata")),
            "2024-01-01 05:30:00.5+05:30");
  EXPECT_EQ(FormatTimestampTz(Micros("0001-01-01 05:00:00"), *Zone("America/New_York")),
            "0001-01-01 00:03:58-04:56");
  EXPECT_EQ(FormatUtcOffset(-(4 * 60 + 56) * kMicrosPerMinute - 2 * kMicrosPerSecond), "-04:56");
  EXPECT_EQ(*ParseTimestampTz("2024-03-31 02:30:00+02", *berlin), Micros("2024-03-31 00:30:00"));
  EXPECT_EQ(*ParseTimestampTz("2024-03-31 02:30:00", *berlin), Micros("2024-03-31 01:30:00"));
  EXPECT_EQ(*ParseTimestampTz("2024-03-31 02:30:00 Asia/Kolkata", *berlin), Micros("2024-03-30 21:00:00"));
  EXPECT_EQ(*ParseTimestampTz("2024-03-31 02:30:00 UTC", *berlin), Micros("2024-03-31 02:30:00"));
  Result<int64_t> unknown = ParseTimestampTz("2024-03-31 02:30:00 Mars/Olympus", *berlin);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("Unknown TimeZone 'Mars/Olympus'"), std::string::npos);
  EXPECT_FALSE(ParseTimestampTz("2024-03-31 02:30:00+02 Europe/Berlin", *berlin).ok());
  // At the range's ends the zone decides: inside is fine, outside refused.
  EXPECT_TRUE(ParseTimestampTz("294247-01-10 04:00:54 Asia/Tokyo", *berlin).ok());
  EXPECT_FALSE(ParseTimestampTz("290309-12-22 (BC) 00:00:00 Asia/Tokyo", *berlin).ok());
}

DataChunk TzChunk(const std::vector<int64_t>& micros, bool with_null) {
  DataChunk c;
  c.Initialize({TypeId::kTimestampTz});
  for (int64_t m : micros) c.columns[0].AppendInt(m);
  if (with_null) c.columns[0].AppendNull();
  return c;
}

TEST(TimeZoneTest, SegmentRoundTripWithZoneMaps) {
  const Schema schema{{{"ts", TypeId::kTimestampTz}}};
  const DataChunk chunk =
      TzChunk({Micros("2024-03-31 01:30:00"), kMinTimestampMicros, 0, kMaxTimestampMicros, -1}, true);
  SegmentWriter w(schema, {});
  ASSERT_TRUE(w.Append(chunk).ok());
  SegmentStats stats;
  auto bytes = w.Finish(&stats);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(stats.columns[0].min, Value::TimestampTz(kMinTimestampMicros));
  EXPECT_EQ(stats.columns[0].max, Value::TimestampTz(kMaxTimestampMicros));
  EXPECT_EQ(stats.columns[0].null_count, 1);
  ExpectSegmentHolds(*bytes, schema, chunk);
}

TEST(TimeZoneTest, LogStatisticsRoundTripAsIsoText) {
  const Schema schema{{{"ts", TypeId::kTimestampTz}}};
  AddAction add;
  add.path = "x.tsl";
  add.size = 1;
  add.stats.num_records = 2;
  add.stats.min_values["ts"] = Value::TimestampTz(kMinTimestampMicros);
  add.stats.max_values["ts"] = Value::TimestampTz(Micros("2024-03-31 01:30:00.25"));
  const std::string line = SerializeAction(LogAction(add));
  auto parsed = ParseLogFile(line + "\n", "t.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  AddAction back = std::get<AddAction>(parsed->at(0));
  ASSERT_TRUE(ConformStatsToSchema(schema, &back.stats).ok());
  EXPECT_EQ(back.stats.min_values.find("ts")->second, Value::TimestampTz(kMinTimestampMicros)) << line;
  EXPECT_EQ(back.stats.max_values.find("ts")->second,
            Value::TimestampTz(Micros("2024-03-31 01:30:00.25")))
      << line;
}

TEST(TimeZoneTest, ParquetMarksTimestampTzAdjustedToUtcAndReadsItBack) {
  const Schema schema{{{"ts", TypeId::kTimestampTz}, {"naive", TypeId::kTimestamp}}};
  DataChunk chunk;
  chunk.Initialize({TypeId::kTimestampTz, TypeId::kTimestamp});
  for (int64_t m : {Micros("2024-03-31 01:30:00"), Micros("1900-01-01 00:00:00")}) {
    chunk.columns[0].AppendInt(m);
    chunk.columns[1].AppendInt(m);
  }
  std::string bytes;
  ParquetWriter writer(schema, {}, [&](std::string_view b) {
    bytes.append(b);
    return Status::OK();
  });
  ASSERT_TRUE(writer.Append(chunk).ok());
  ASSERT_TRUE(writer.Finish().ok());
  auto reader = ParquetReader::Open(std::make_unique<StringByteSource>(bytes, "t.parquet"));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->schema(), schema);
  EXPECT_TRUE((*reader)->metadata().schema.at(1).logical_type.timestamp_utc);
  EXPECT_FALSE((*reader)->metadata().schema.at(2).logical_type.timestamp_utc);
  DataChunk out;
  Result<bool> more = (*reader)->Next(&out);
  ASSERT_TRUE(more.ok() && *more) << more.status().ToString();
  EXPECT_TRUE(SameColumn(out.columns[0], chunk.columns[0]));
  EXPECT_TRUE(SameColumn(out.columns[1], chunk.columns[1]));
}

}  // namespace
}  // namespace tsl
