// Log actions (formats/log.md): every action round-trips through its JSON
// line; parsing is strict about required fields and tolerant of unknown
// keys and action types.
#include "formats/log_action.h"

#include <gtest/gtest.h>

#include <cmath>

#include "formats/timestamp.h"
#include "storage_test_util.h"

namespace tsl {
namespace {

LogAction RoundTrip(const LogAction& a) {
  std::string line = SerializeAction(a);
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  auto parsed = ParseLogFile(line + "\n", "t.json");
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString() << "\n" << line;
  EXPECT_EQ(parsed->size(), 1u);
  return parsed->at(0);
}

TEST(LogActionTest, ProtocolRoundTrips) {
  auto back = std::get<ProtocolAction>(RoundTrip(ProtocolAction{3, 7}));
  EXPECT_EQ(back.min_reader_version, 3);
  EXPECT_EQ(back.min_writer_version, 7);
}

TEST(LogActionTest, MetaDataRoundTrips) {
  MetaDataAction m;
  m.id = "abc-123";
  m.name = "Metrics";
  m.schema = testing::MetricSchema();
  m.schema.fields.push_back({"ok", TypeId::kBoolean});
  m.schema.fields.push_back({"n", TypeId::kInteger});
  m.schema.fields.push_back({"big", TypeId::kBigint});
  m.partition_columns = {"tag"};
  m.configuration = {{"retention", "30 days"}, {"quote\"d", "\xc3\xa9"}};
  m.created_time = 1700000000123;
  auto back = std::get<MetaDataAction>(RoundTrip(m));
  EXPECT_EQ(back.id, m.id);
  EXPECT_EQ(back.name, m.name);
  EXPECT_EQ(back.schema, m.schema);
  EXPECT_EQ(back.partition_columns, m.partition_columns);
  EXPECT_EQ(back.configuration, m.configuration);
  EXPECT_EQ(back.created_time, m.created_time);
}

TEST(LogActionTest, PhysicalNamesRoundTripAndDuplicatesAreCorruption) {
  MetaDataAction m;
  m.id = "abc";
  m.schema = testing::MetricSchema();
  m.schema.fields[2].name = "value";  // renamed from "v"
  m.physical_names = {"ts", "tag", "v"};
  std::string line = SerializeAction(m);
  EXPECT_NE(line.find("tslake.physicalName"), std::string::npos) << line;
  auto back = std::get<MetaDataAction>(RoundTrip(m));
  EXPECT_EQ(back.schema, m.schema);
  EXPECT_EQ(back.physical_names, m.physical_names);
  EXPECT_EQ(PhysicalSchema(back).fields[2].name, "v");
  // Unmapped schemas carry no metadata and read back with no mapping.
  m.schema = testing::MetricSchema();
  m.physical_names.clear();
  EXPECT_EQ(SerializeAction(m).find("tslake.physicalName"), std::string::npos);
  EXPECT_TRUE(std::get<MetaDataAction>(RoundTrip(m)).physical_names.empty());
  // Two fields sharing one physical name could feed one column's data to
  // another: corruption.
  m.schema.fields[2].name = "value";
  m.physical_names = {"ts", "tag", "tag"};
  auto bad = ParseLogFile(SerializeAction(m) + "\n", "t.json");
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
  EXPECT_NE(bad.status().message().find("physical name"), std::string::npos);
}

TEST(LogActionTest, AddWithTypedStatsRoundTrips) {
  Schema schema = testing::MetricSchema();
  schema.fields.push_back({"n", TypeId::kInteger});
  schema.fields.push_back({"ok", TypeId::kBoolean});
  AddAction a;
  a.path = "0f1e.tsl";
  a.partition_values = {{"tag", "p1"}};
  a.size = 123456;
  a.modification_time = 1700000000999;
  a.data_change = false;
  a.stats.num_records = 42;
  int64_t t0 = *ParseTimestamp("2024-01-01 00:00:00");
  a.stats.min_values = {{"ts", Value::Timestamp(t0)}, {"tag", Value::Varchar("a")},
                        {"v", Value::Double(-1.5)}, {"n", Value::Integer(-7)},
                        {"ok", Value::Boolean(false)}};
  a.stats.max_values = {{"ts", Value::Timestamp(t0 + 123456)}, {"tag", Value::Varchar("z\"q")},
                        {"v", Value::Double(0.1)}, {"n", Value::Integer(9)},
                        {"ok", Value::Boolean(true)}};
  a.stats.null_count = {{"ts", 0}, {"tag", 3}, {"v", 1}, {"n", 0}, {"ok", 0}};

  std::string line = SerializeAction(a);
  EXPECT_NE(line.find("2024-01-01T00:00:00.000000Z"), std::string::npos) << line;
  auto back = std::get<AddAction>(RoundTrip(a));
  ASSERT_TRUE(ConformStatsToSchema(schema, &back.stats).ok());
  EXPECT_EQ(back.path, a.path);
  EXPECT_EQ(back.partition_values, a.partition_values);
  EXPECT_EQ(back.size, a.size);
  EXPECT_EQ(back.modification_time, a.modification_time);
  EXPECT_EQ(back.data_change, a.data_change);
  EXPECT_EQ(back.stats.num_records, 42);
  EXPECT_EQ(back.stats.null_count, a.stats.null_count);
  for (const auto* m : {&a.stats.min_values, &a.stats.max_values}) {
    const auto& got = m == &a.stats.min_values ? back.stats.min_values : back.stats.max_values;
    ASSERT_EQ(got.size(), m->size());
    for (const auto& [k, v] : *m) {
      ASSERT_TRUE(got.count(k)) << k;
      EXPECT_EQ(got.at(k).type(), v.type()) << k;
      EXPECT_TRUE(got.at(k) == v) << k << ": " << got.at(k).ToString() << " vs " << v.ToString();
    }
  }
}

TEST(LogActionTest, AddWithoutStatsHasUnknownRowCount) {
  auto back = ParseLogFile(
      R"({"add":{"path":"a.tsl","size":1,"modificationTime":2,"dataChange":true}})", "t.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(std::get<AddAction>(back->at(0)).stats.num_records, -1);
}

TEST(LogActionTest, RemoveRoundTrips) {
  auto back = std::get<RemoveAction>(RoundTrip(RemoveAction{"x/y.tsl", 99, false}));
  EXPECT_EQ(back.path, "x/y.tsl");
  EXPECT_EQ(back.deletion_timestamp, 99);
  EXPECT_FALSE(back.data_change);
}

TEST(LogActionTest, CommitInfoRoundTrips) {
  CommitInfoAction c;
  c.timestamp = 1700000000000;
  c.operation = "WRITE";
  c.operation_parameters = {{"mode", "Append"}};
  c.read_version = 4;
  c.is_blind_append = true;
  c.operation_metrics = {{"numFiles", "2"}, {"numOutputRows", "10"}};
  auto back = std::get<CommitInfoAction>(RoundTrip(c));
  EXPECT_EQ(back.timestamp, c.timestamp);
  EXPECT_EQ(back.operation, c.operation);
  EXPECT_EQ(back.operation_parameters, c.operation_parameters);
  EXPECT_EQ(back.read_version, c.read_version);
  EXPECT_TRUE(back.is_blind_append);
  EXPECT_EQ(back.operation_metrics, c.operation_metrics);

  c.read_version.reset();
  EXPECT_FALSE(std::get<CommitInfoAction>(RoundTrip(c)).read_version.has_value());
}

TEST(LogActionTest, TxnRoundTrips) {
  auto back = std::get<TxnAction>(RoundTrip(TxnAction{"ingest-1", 17, 1234}));
  EXPECT_EQ(back.app_id, "ingest-1");
  EXPECT_EQ(back.version, 17);
  EXPECT_EQ(back.last_updated, 1234);
}

TEST(LogActionTest, UnknownActionsAndKeysAreSkipped) {
  auto r = ParseLogFile(
      "{\"cdc\":{\"path\":\"x\"}}\n"
      "{\"remove\":{\"path\":\"a\",\"dataChange\":true,\"extendedFileMetadata\":true}}\n",
      "t.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(std::get<RemoveAction>(r->at(0)).path, "a");
}

TEST(LogActionTest, MissingRequiredFieldIsCorruptionNamingFileAndLine) {
  auto r = ParseLogFile(
      "{\"txn\":{\"appId\":\"a\",\"version\":1}}\n{\"add\":{\"path\":\"a.tsl\",\"size\":1}}\n",
      "m/_log/00000000000000000003.json");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCorruption());
  EXPECT_NE(r.status().message().find("m/_log/00000000000000000003.json line 2"),
            std::string::npos)
      << r.status().ToString();
  EXPECT_NE(r.status().message().find("modificationTime"), std::string::npos);
}

TEST(LogActionTest, WrongTypesAndBadJsonAreCorruption) {
  for (const char* bad : {
           R"({"protocol":{"minReaderVersion":"1","minWriterVersion":2}})",
           R"({"add":{"path":7,"size":1,"modificationTime":2,"dataChange":true}})",
           R"({"add":{"path":"a","size":1,"modificationTime":2,"dataChange":"yes"}})",
           R"({"add":{"path":"a","size":1,"modificationTime":2,"dataChange":true,"stats":"{"}})",
           R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2},"txn":{}})",
           R"(["protocol"])",
           R"({"remove":{"path":"a","dataChange":true})",
           R"({"metaData":{"id":"x","format":{"provider":"parquet"},"schemaString":"[]","partitionColumns":[],"configuration":{}}})",
           R"({"metaData":{"id":"x","format":{"provider":"tslake-segment"},"schemaString":"[{\"name\":\"a\",\"type\":\"HUGEINT\"}]","partitionColumns":[],"configuration":{}}})",
       }) {
    auto r = ParseLogFile(bad, "f.json");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.status().IsCorruption()) << r.status().ToString();
    EXPECT_NE(r.status().message().find("f.json line 1"), std::string::npos)
        << r.status().ToString();
  }
}

// Issue 15 item 1: a bound that does not fit its column (garbage, or a
// TIMESTAMP outside the supported range written by an older build) makes
// that column's bounds unknown instead of making the table unreadable.
TEST(LogActionTest, StatsOfWrongTypeForColumnBecomeUnknown) {
  FileStats s;
  s.min_values["ts"] = Value::Varchar("not a time");
  s.max_values["ts"] = Value::Varchar("2024-01-01T00:00:00.000000Z");
  s.min_values["tag"] = Value::Varchar("a");
  s.max_values["tag"] = Value::Varchar("b");
  Status st = ConformStatsToSchema(testing::MetricSchema(), &s);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(s.min_values.count("ts"), 0u);
  EXPECT_EQ(s.max_values.count("ts"), 0u);
  EXPECT_EQ(s.min_values.at("tag").string_value(), "a");
}

TEST(LogActionTest, TimestampStatsOfEverySupportedValueRoundTrip) {
  for (int64_t t : {kMinTimestampMicros, kMaxTimestampMicros, int64_t{-62135683200000000},
                    int64_t{253402300800000000}}) {
    AddAction add;
    add.path = "a.tsl";
    add.size = 1;
    add.stats.num_records = 1;
    add.stats.min_values["ts"] = Value::Timestamp(t);
    add.stats.max_values["ts"] = Value::Timestamp(t);
    auto parsed = ParseLogFile(SerializeAction(add) + "\n", "f.json");
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    AddAction back = std::get<AddAction>(parsed->at(0));
    ASSERT_TRUE(ConformStatsToSchema(testing::MetricSchema(), &back.stats).ok());
    ASSERT_EQ(back.stats.min_values.count("ts"), 1u) << t;
    EXPECT_EQ(back.stats.min_values.at("ts").int_value(), t);
    EXPECT_EQ(back.stats.max_values.at("ts").int_value(), t);
  }
}

TEST(LogActionTest, OutOfRangeTimestampStatsFromOlderBuildsAreUnknown) {
  // What the build before issue 15 wrote for make_timestamp(9223372036854775807)
  // and for a year-0 value (both made the table unreadable).
  for (const char* bound : {"294247-01-10T04:00:54.775807Z", "-290309-01-01T00:00:00.000000Z"}) {
    const std::string line =
        std::string(R"({"add":{"path":"a.tsl","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":1,\"minValues\":{\"ts\":\")") +
        bound + R"(\",\"v\":1},\"maxValues\":{\"ts\":\")" + bound +
        R"(\",\"v\":2},\"nullCount\":{\"ts\":0,\"v\":0}}"}})" + "\n";
    auto parsed = ParseLogFile(line, "f.json");
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    AddAction back = std::get<AddAction>(parsed->at(0));
    ASSERT_TRUE(ConformStatsToSchema(testing::MetricSchema(), &back.stats).ok()) << bound;
    EXPECT_EQ(back.stats.min_values.count("ts"), 0u) << bound;
    EXPECT_EQ(back.stats.max_values.count("ts"), 0u) << bound;
    EXPECT_EQ(back.stats.min_values.at("v").double_value(), 1.0);
  }
}

TEST(LogActionTest, FileStatsFromSegmentKeepsOnlyKnownBounds) {
  Schema schema = testing::MetricSchema();
  SegmentStats seg;
  seg.row_count = 10;
  seg.columns.resize(3);
  seg.columns[0].min = Value::Timestamp(1);
  seg.columns[0].max = Value::Timestamp(2);
  seg.columns[1].null_count = 10;  // all NULL: no bounds
  seg.columns[2].min = Value::Double(-INFINITY);
  seg.columns[2].max = Value::Double(3);
  FileStats fs = FileStatsFromSegment(schema, seg);
  EXPECT_EQ(fs.num_records, 10);
  EXPECT_EQ(fs.min_values.count("ts"), 1u);
  EXPECT_EQ(fs.min_values.count("tag"), 0u);
  EXPECT_EQ(fs.min_values.count("v"), 0u);  // no exact JSON form: left out
  EXPECT_EQ(fs.null_count.at("tag"), 10);
}

}  // namespace
}  // namespace tsl
