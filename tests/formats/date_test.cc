// DATE in the formats layer (formats/date.h): DuckDB's parser and printer
// with their messages, the range ends, TIMESTAMP <-> DATE, the log's ISO
// statistics text, segment files (codec, zone maps, range check) and Parquet
// (DATE logical type, int32 days) round trips.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/byte_source.h"
#include "formats/date.h"
#include "formats/log_action.h"
#include "formats/parquet_reader.h"
#include "formats/parquet_writer.h"
#include "formats/segment_reader.h"
#include "formats/segment_writer.h"
#include "formats/storable_values.h"
#include "formats/timestamp.h"
#include "formats/value.h"
#include "tests/formats/segment_test_util.h"

namespace tsl {
namespace {

int64_t Days(std::string_view text) {
  Result<int64_t> d = ParseDate(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status().ToString();
  return d.ok() ? *d : 0;
}

TEST(DateTest, ParsesDuckDbForms) {
  EXPECT_EQ(Days("1970-01-01"), 0);
  EXPECT_EQ(Days("2024-03-01"), 19783);
  EXPECT_EQ(Days(" 2024-3-1 "), 19783);
  EXPECT_EQ(Days("2024/03/01"), 19783);
  EXPECT_EQ(Days("2024-03-01 10:00:00"), 19783);  // non-strict: a timestamp's day
  EXPECT_EQ(Days("1969-12-31"), -1);
  EXPECT_EQ(Days("epoch"), 0);
  EXPECT_EQ(Days("0001-01-01 (BC)"), Days("0000-01-01"));
  EXPECT_EQ(Days("5881580-07-10"), kMaxDateDays);
  EXPECT_EQ(Days("5877642-06-25 (BC)"), kMinDateDays);
}

TEST(DateTest, RefusesWithDuckDbMessages) {
  auto msg = [](std::string_view t, bool strict = false) {
    Result<int64_t> d = ParseDate(t, strict);
    EXPECT_FALSE(d.ok()) << t;
    return d.ok() ? std::string() : d.status().message();
  };
  EXPECT_EQ(msg("abc"), "invalid date field format: \"abc\", expected format is (YYYY-MM-DD)");
  EXPECT_EQ(msg("2024-02-30"), "date field value out of range: \"2024-02-30\"");
  EXPECT_EQ(msg("2023-02-29"), "date field value out of range: \"2023-02-29\"");
  EXPECT_EQ(msg("2024-13-01"), "date field value out of range: \"2024-13-01\"");
  EXPECT_EQ(msg("5881580-07-11"), "date field value out of range: \"5881580-07-11\"");
  EXPECT_NE(msg("5877642-06-24 (BC)").find("out of range"), std::string::npos);
  EXPECT_NE(msg("20240301").find("invalid date field format"), std::string::npos);
  EXPECT_NE(msg("2024-03-01x", true).find("invalid date field format"), std::string::npos);
  EXPECT_NE(msg("2024-03-012").find("invalid date field format"), std::string::npos);
  EXPECT_NE(msg("").find("invalid date field format"), std::string::npos);
  EXPECT_NE(msg("-").find("invalid date field format"), std::string::npos);
  EXPECT_NE(msg("999999999999-01-01").find("out of range"), std::string::npos);
  EXPECT_NE(msg("infinity").find("not supported"), std::string::npos);
  EXPECT_NE(msg("-0001-01-01 (BC)").find("invalid date field format"), std::string::npos);
}

TEST(DateTest, FormatsAsDuckDbAndRoundTripsAtTheEnds) {
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(Days("0000-12-31")), "0001-12-31 (BC)");
  EXPECT_EQ(FormatDate(kMaxDateDays), "5881580-07-10");
  EXPECT_EQ(FormatDate(kMinDateDays), "5877642-06-25 (BC)");
  for (int64_t d : {kMinDateDays, kMinDateDays + 1, int64_t{-719529}, int64_t{-1}, int64_t{0},
                    int64_t{19783}, int64_t{2932896}, kMaxDateDays - 1, kMaxDateDays}) {
    EXPECT_EQ(Days(FormatDate(d)), d) << FormatDate(d);
    Result<int64_t> iso = ParseDateIso(FormatDateIso(d));
    ASSERT_TRUE(iso.ok()) << FormatDateIso(d) << ": " << iso.status().ToString();
    EXPECT_EQ(*iso, d) << FormatDateIso(d);
  }
  EXPECT_EQ(FormatDateIso(Days("0002-01-01 (BC)")), "-0001-01-01");
  EXPECT_EQ(FormatDateIso(Days("10000-01-01")), "+10000-01-01");
}

TEST(DateTest, TimestampConversions) {
  EXPECT_EQ(TimestampToDate(0), 0);
  EXPECT_EQ(TimestampToDate(-1), -1);  // 1969-12-31 23:59:59.999999
  EXPECT_EQ(TimestampToDate(kMicrosPerDay - 1), 0);
  EXPECT_TRUE(IsValidDate(TimestampToDate(kMinTimestampMicros)));
  EXPECT_TRUE(IsValidDate(TimestampToDate(kMaxTimestampMicros)));
  EXPECT_EQ(*DateToTimestamp(19783), 19783 * kMicrosPerDay);
  EXPECT_FALSE(DateToTimestamp(kMaxDateDays).ok());
  EXPECT_FALSE(DateToTimestamp(kMinDateDays).ok());
  EXPECT_EQ(Value::Date(19783).ToString(), "2024-03-01");
  EXPECT_EQ(*Value::Varchar("2024-03-01").CastTo(TypeId::kDate), Value::Date(19783));
  EXPECT_EQ(*Value::Timestamp(19783 * kMicrosPerDay + 5).CastTo(TypeId::kDate), Value::Date(19783));
  EXPECT_EQ(*Value::Date(1).CastTo(TypeId::kTimestamp), Value::Timestamp(kMicrosPerDay));
  EXPECT_EQ(*ParseTypeName("date"), TypeId::kDate);
  EXPECT_EQ(TypeName(TypeId::kDate), "DATE");
}

DataChunk DateChunk(const std::vector<int64_t>& days, bool with_null) {
  DataChunk c;
  c.Initialize({TypeId::kDate});
  for (int64_t d : days) c.columns[0].AppendInt(d);
  if (with_null) c.columns[0].AppendNull();
  return c;
}

TEST(DateTest, SegmentRoundTripWithZoneMaps) {
  const Schema schema{{{"day", TypeId::kDate}}};
  const DataChunk chunk = DateChunk({19783, kMinDateDays, -1, kMaxDateDays, 0, 19784}, true);
  SegmentWriter w(schema, {});
  ASSERT_TRUE(w.Append(chunk).ok());
  SegmentStats stats;
  auto bytes = w.Finish(&stats);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(stats.columns[0].min, Value::Date(kMinDateDays));
  EXPECT_EQ(stats.columns[0].max, Value::Date(kMaxDateDays));
  EXPECT_EQ(stats.columns[0].null_count, 1);
  ExpectSegmentHolds(*bytes, schema, chunk);
}

TEST(DateTest, OutOfRangeDatesAreNotStorable) {
  const Schema schema{{{"day", TypeId::kDate}}};
  for (int64_t bad : {kMaxDateDays + 1, kMinDateDays - 1, int64_t{1} << 40}) {
    Status s = CheckStorableValues(DateChunk({0, bad}, false), schema, "INSERT", 0);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("outside the supported DATE range"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("row 2"), std::string::npos) << s.message();
  }
  EXPECT_TRUE(CheckStorableValues(DateChunk({kMinDateDays, kMaxDateDays}, true), schema, "INSERT", 0).ok());
}

TEST(DateTest, LogStatisticsRoundTripAsIsoText) {
  const Schema schema{{{"day", TypeId::kDate}}};
  for (int64_t lo : {kMinDateDays, int64_t{-719529}, int64_t{0}}) {
    AddAction add;
    add.path = "x.tsl";
    add.size = 1;
    add.stats.num_records = 2;
    add.stats.min_values["day"] = Value::Date(lo);
    add.stats.max_values["day"] = Value::Date(kMaxDateDays);
    const std::string line = SerializeAction(LogAction(add));
    auto parsed = ParseLogFile(line + "\n", "t.json");
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    AddAction back = std::get<AddAction>(parsed->at(0));
    ASSERT_TRUE(ConformStatsToSchema(schema, &back.stats).ok());
    EXPECT_EQ(back.stats.min_values.find("day")->second, Value::Date(lo)) << line;
    EXPECT_EQ(back.stats.max_values.find("day")->second, Value::Date(kMaxDateDays)) << line;
  }
}

TEST(DateTest, ParquetDateLogicalTypeRoundTrip) {
  const Schema schema{{{"day", TypeId::kDate}}};
  const DataChunk chunk = DateChunk({19783, -1, kMinDateDays, kMaxDateDays, 19783}, true);
  std::string bytes;
  ParquetWriter writer(schema, {}, [&](std::string_view b) {
    bytes.append(b);
    return Status::OK();
  });
  ASSERT_TRUE(writer.Append(chunk).ok());
  ASSERT_TRUE(writer.Finish().ok());
  auto reader = ParquetReader::Open(std::make_unique<StringByteSource>(bytes, "d.parquet"));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->schema(), schema);
  const auto& e = (*reader)->metadata().schema.at(1);
  EXPECT_EQ(e.type, parquet::PhysicalType::kInt32);
  EXPECT_EQ(e.logical_type.kind, parquet::LogicalType::kDate);
  DataChunk out;
  Result<bool> more = (*reader)->Next(&out);
  ASSERT_TRUE(more.ok() && *more) << more.status().ToString();
  ASSERT_EQ(out.size(), chunk.size());
  EXPECT_TRUE(SameColumn(out.columns[0], chunk.columns[0]));
}

}  // namespace
}  // namespace tsl
