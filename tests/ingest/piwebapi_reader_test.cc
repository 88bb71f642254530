// PiWebApiReader behaviour on every PI Web API shape: recorded and
// streamsets responses, batch wrappers, 7-digit fractions and offsets,
// numbers/strings/booleans/digital states, quality flags and units, Errors
// entries and bad points as rejects with their JSON path, structural damage
// as a clear error, element splitting across tiny blocks, COPY-style
// mapping onto a target schema, and a generated file read back in full.
#include "ingest/piwebapi_reader.h"

#include <gtest/gtest.h>

#include "formats/timestamp.h"
#include "ingest/json_item_splitter.h"
#include "ingest/piwebapi_generator.h"
#include "tests/ingest/ingest_test_util.h"

namespace tsl {
namespace {

int64_t Ts(const char* text) { return *ParseTimestamp(text); }

constexpr const char* kStreamsets = R"({
  "Links": {},
  "Items": [
    {
      "WebId": "F1DPa", "Name": "SINUSOID", "Path": "\\\\PISRV01\\SINUSOID", "Links": {},
      "Items": [
        {"Timestamp": "2024-01-01T00:00:00.1234567Z", "Value": 12.5, "UnitsAbbreviation": "°C",
         "Good": true, "Questionable": false, "Substituted": false, "Annotated": false},
        {"Timestamp": "2024-01-01T01:00:00+01:00", "Value": {"Name": "Bad Input", "Value": 307, "IsSystem": true},
         "UnitsAbbreviation": "°C", "Good": false, "Questionable": false, "Substituted": false, "Annotated": false},
        {"Timestamp": "2024-01-01T00:00:02Z", "Value": "text with \"quotes\" and ]}", "Good": true,
         "Questionable": true, "Substituted": true, "Annotated": true},
        {"Timestamp": "not a time", "Value": 1},
        {"Timestamp": "2024-01-01T00:00:03Z", "Value": true},
        {"Timestamp": "2024-01-01T00:00:04Z", "Value": 7}
      ]
    },
    {"WebId": "F1DPb", "Path": "\\\\PISRV01\\CDT158", "Items": [
        {"Timestamp": "2024-01-01T00:00:00Z", "Value": null}]},
    {"WebId": "F1DPc", "Name": "BROKEN", "Errors": ["[-10722] PINET: Timeout on PI RPC or System Call."]}
  ]
})";

class PiWebApiReaderTest : public ::testing::Test {
 protected:
  testing::IngestTempDir dir_;
};

TEST_F(PiWebApiReaderTest, StreamsetsKeepValuesQualityUnitsAndDigitalStates) {
  std::string path = dir_.Write("streamsets.json", kStreamsets);
  auto reader = PiWebApiReader::Open(path, {});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  DataChunk all = testing::ReadAll(reader->get());
  ASSERT_EQ(all.size(), 6u);
  const auto& c = all.columns;
  EXPECT_EQ(c[0].strings[0], "SINUSOID");
  EXPECT_EQ(c[1].ints[0], Ts("2024-01-01 00:00:00.123456"));  // 7th digit truncated
  EXPECT_DOUBLE_EQ(c[2].doubles[0], 12.5);
  EXPECT_TRUE(c[3].IsNull(0));
  EXPECT_EQ(c[4].ints[0], 1);
  EXPECT_EQ(c[8].strings[0], "°C");
  // Digital state: value NULL, its name kept as text, Good false; offset to UTC.
  EXPECT_EQ(c[1].ints[1], Ts("2024-01-01 00:00:00"));
  EXPECT_TRUE(c[2].IsNull(1));
  EXPECT_EQ(c[3].strings[1], "Bad Input");
  EXPECT_EQ(c[4].ints[1], 0);
  // A string value with escapes and brackets inside.
  EXPECT_EQ(c[3].strings[2], "text with \"quotes\" and ]}");
  EXPECT_EQ(c[5].ints[2], 1);
  EXPECT_EQ(c[6].ints[2], 1);
  EXPECT_EQ(c[7].ints[2], 1);
  EXPECT_TRUE(c[8].IsNull(2));
  // Boolean value as 1, integer as double, flags absent = NULL.
  EXPECT_DOUBLE_EQ(c[2].doubles[3], 1.0);
  EXPECT_DOUBLE_EQ(c[2].doubles[4], 7.0);
  EXPECT_TRUE(c[4].IsNull(4));
  // No Name: the Path is the tag; a null Value is NULL.
  EXPECT_EQ(c[0].strings[5], "\\\\PISRV01\\CDT158");
  EXPECT_TRUE(c[2].IsNull(5));
  EXPECT_TRUE(c[3].IsNull(5));

  std::vector<RejectedRow> rejects = (*reader)->TakeRejects();
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ(rejects[0].location, "$.Items[0].Items[3]");
  EXPECT_NE(rejects[0].reason.find("not a time"), std::string::npos) << rejects[0].reason;
  EXPECT_NE(rejects[0].raw.find("\"Value\":1"), std::string::npos) << rejects[0].raw;
  EXPECT_EQ(rejects[1].location, "$.Items[2].Errors[0]");
  EXPECT_NE(rejects[1].reason.find("-10722"), std::string::npos);
  EXPECT_EQ(rejects[1].source, path);
  EXPECT_EQ((*reader)->rejected_count(), 2);
}

TEST_F(PiWebApiReaderTest, RecordedResponseTakesTheTagOptionOrTheFileName) {
  std::string path = dir_.Write("CDT158.json", R"({"Links":{"First":"x"},"Items":[
    {"Timestamp":"2024-02-01T00:00:00.0000001Z","Value":1.5,"Good":true},
    {"Timestamp":"2024-02-01T00:00:01-05:00","Value":2.5,"Good":true}],
    "UnitsAbbreviation":"bar"})");
  auto reader = PiWebApiReader::Open(path, {});
  ASSERT_TRUE(reader.ok());
  DataChunk all = testing::ReadAll(reader->get());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all.columns[0].strings[0], "CDT158");
  EXPECT_EQ(all.columns[1].ints[1], Ts("2024-02-01 05:00:01"));

  PiWebApiOptions opts;
  opts.tag = "Plant1.Flow";
  reader = PiWebApiReader::Open(path, opts);
  ASSERT_TRUE(reader.ok());
  all = testing::ReadAll(reader->get());
  EXPECT_EQ(all.columns[0].strings[1], "Plant1.Flow");
}

TEST_F(PiWebApiReaderTest, BatchResponseWalksEverySubRequestAndRejectsFailedOnes) {
  std::string path = dir_.Write("batch.json", R"({
    "1": {"Status": 200, "Headers": {"Content-Type": "application/json"},
          "Content": {"Items": [{"Name": "A", "Items": [{"Timestamp": "2024-01-01T00:00:00Z", "Value": 1}]}]}},
    "2": {"Status": 404, "Content": {"Errors": ["The specified stream was not found."]}},
    "3": {"Status": 200, "Content": {"Items": [{"Timestamp": "2024-01-01T00:00:00Z", "Value": 3}]}}
  })");
  auto reader = PiWebApiReader::Open(path, {});
  ASSERT_TRUE(reader.ok());
  DataChunk all = testing::ReadAll(reader->get());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all.columns[0].strings[0], "A");
  EXPECT_EQ(all.columns[0].strings[1], "batch");
  EXPECT_DOUBLE_EQ(all.columns[2].doubles[1], 3.0);
  auto rejects = (*reader)->TakeRejects();
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].location, "$.2.Content.Errors[0]");
  EXPECT_NE(rejects[0].reason.find("not found"), std::string::npos);
}

TEST_F(PiWebApiReaderTest, TruncatedFileIsAnErrorNamingOffsetAndPath) {
  std::string text = kStreamsets;
  std::string path = dir_.Write("cut.json", text.substr(0, text.size() / 2));
  auto reader = PiWebApiReader::Open(path, {});
  ASSERT_TRUE(reader.ok());
  DataChunk chunk;
  Result<bool> r = true;
  while (r.ok() && *r) r = (*reader)->Next(&chunk);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cut.json"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("$.Items"), std::string::npos) << r.status().message();

  path = dir_.Write("missing_comma.json", R"({"Items":[{"Timestamp":"2024-01-01T00:00:00Z"} {"x":1}]})");
  reader = PiWebApiReader::Open(path, {});
  ASSERT_TRUE(reader.ok());
  r = (*reader)->Next(&chunk);
  while (r.ok() && *r) r = (*reader)->Next(&chunk);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("expected , or ]"), std::string::npos) << r.status().message();

  EXPECT_EQ(PiWebApiReader::Open(dir_.path() + "/nope.json", {}).status().code(),
            StatusCode::kNotFound);
}

TEST_F(PiWebApiReaderTest, SplitterHandsOutElementsAcrossTinyBlocks) {
  std::string path = dir_.Write("streamsets.json", kStreamsets);
  auto splitter = JsonItemSplitter::Open(path, 1);  // rounded up to 4 KiB...
  ASSERT_TRUE(splitter.ok());
  // ...so also build a file much larger than a block.
  PiGeneratorOptions g;
  g.tags = 50;
  g.points_per_tag = 100;
  auto stats = WritePiStreamsetsJson(dir_.path() + "/big.json", g);
  ASSERT_TRUE(stats.ok());
  ASSERT_GT(stats->bytes, 100000);
  splitter = JsonItemSplitter::Open(dir_.path() + "/big.json", 4096);
  ASSERT_TRUE(splitter.ok());
  JsonItem item;
  int n = 0;
  for (;;) {
    auto more = (*splitter)->Next(&item);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    EXPECT_EQ(item.bytes.front(), '{');
    EXPECT_EQ(item.bytes.back(), '}');
    EXPECT_EQ(item.path, "$.Items[" + std::to_string(n) + "]");
    ++n;
  }
  EXPECT_EQ(n, 50);
}

TEST_F(PiWebApiReaderTest, SplitterHandlesEscapesAndQuotesOnEveryBlockBoundary) {
  // A string of escaped backslashes and quotes longer than two 4 KiB
  // blocks; shifting it byte by byte puts an escape's backslash, its
  // escaped byte and a closing quote on the last byte of a block.
  std::string text;
  while (text.size() < 9000) text += "ab\\\\c\\\"d\\\\\\\"";
  for (int shift = 0; shift < 16; ++shift) {
    const std::string element = R"({"Timestamp":"2024-01-01T00:00:00Z","Value":")" + text + R"("})";
    const std::string doc = "{" + std::string(static_cast<size_t>(shift), ' ') + R"("Items":[)" +
                            element + "," + element + "]}";
    const std::string path = dir_.Write("escapes" + std::to_string(shift) + ".json", doc);
    auto splitter = JsonItemSplitter::Open(path, 4096);
    ASSERT_TRUE(splitter.ok());
    JsonItem item;
    for (int n = 0; n < 2; ++n) {
      auto more = (*splitter)->Next(&item);
      ASSERT_TRUE(more.ok()) << more.status().ToString();
      ASSERT_TRUE(*more);
      EXPECT_EQ(item.bytes, element) << "shift " << shift << ", element " << n;
    }
    auto more = (*splitter)->Next(&item);
    ASSERT_TRUE(more.ok());
    EXPECT_FALSE(*more);
  }
}

TEST_F(PiWebApiReaderTest, GeneratedStreamsetsReadBackCompletely) {
  PiGeneratorOptions g;
  g.tags = 40;
  g.points_per_tag = 250;  // 10,000 points: several chunks
  g.digital_state_every = 97;
  g.bad_timestamp_every = 1000;
  g.error_stream_every = 20;
  auto stats = WritePiStreamsetsJson(dir_.path() + "/gen.json", g);
  ASSERT_TRUE(stats.ok());
  auto reader = PiWebApiReader::Open(dir_.path() + "/gen.json", {});
  ASSERT_TRUE(reader.ok());
  DataChunk all = testing::ReadAll(reader->get());
  EXPECT_EQ(static_cast<int64_t>(all.size()), stats->points);
  EXPECT_EQ((*reader)->rejected_count(), stats->rejects);
  int64_t states = 0, bad = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!all.columns[3].IsNull(i) && all.columns[3].strings[i] == "Bad Input") ++states;
    if (all.columns[4].ints[i] == 0) ++bad;
  }
  // Digital states on rejected (bad-timestamp) points are not rows.
  EXPECT_GT(states, 0);
  EXPECT_EQ(states, bad);
  EXPECT_LE(states, stats->digital_states);
}

TEST_F(PiWebApiReaderTest, TargetSchemaMapsColumnsByNameAndFillsTheRestWithNull) {
  std::string path = dir_.Write("streamsets.json", kStreamsets);
  PiWebApiOptions opts;
  opts.target_schema = Schema{{{"ts", TypeId::kTimestamp},
                               {"TAG", TypeId::kVarchar},
                               {"value", TypeId::kDouble},
                               {"good", TypeId::kInteger},
                               {"site", TypeId::kVarchar}}};
  auto reader = PiWebApiReader::Open(path, opts);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->schema().size(), 5u);
  DataChunk all = testing::ReadAll(reader->get());
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all.columns[1].strings[0], "SINUSOID");
  EXPECT_EQ(all.columns[3].ints[1], 0);  // BOOLEAN false cast to INTEGER
  EXPECT_TRUE(all.columns[4].IsNull(0));

  opts.target_schema = Schema{{{"a", TypeId::kInteger}}};
  EXPECT_EQ(PiWebApiReader::Open(path, opts).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tsl

namespace tsl {
namespace {

// Issue 15 item 1: "0001-01-01T00:00:00+05:00" is 1 BC in UTC, a supported
// value (it used to commit and make the table unreadable); a timestamp
// outside the supported range is a reject naming the point, not a value.
TEST_F(PiWebApiReaderTest, TimestampsBeforeYearOneLoadAndOutOfRangeOnesAreRejects) {
  std::string path = dir_.Write("CDT159.json", R"({"Items":[
    {"Timestamp":"0001-01-01T00:00:00+05:00","Value":1.5,"Good":true},
    {"Timestamp":"294247-01-10T04:00:54.775807Z","Value":2.5,"Good":true},
    {"Timestamp":"2024-02-01T00:00:00Z","Value":3.5,"Good":true}]})");
  auto reader = PiWebApiReader::Open(path, {});
  ASSERT_TRUE(reader.ok());
  DataChunk all = testing::ReadAll(reader->get());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all.columns[1].ints[0], Ts("0001-12-31 (BC) 19:00:00"));
  auto rejects = (*reader)->TakeRejects();
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].location, "$.Items[1]");
  EXPECT_NE(rejects[0].reason.find("timestamp field value out of range"), std::string::npos)
      << rejects[0].reason;
}

}  // namespace
}  // namespace tsl
