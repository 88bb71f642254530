// The line-oriented and export readers (line protocol, JSON lines,
// Ignition, CSV epoch/wide layouts) on edge cases the SQL golden files do
// not reach, epoch parsing, the generator's formats agreeing with each
// other, and the Importer's duplicate policies (keep_first, keep_last) with
// a re-run of the same import.
#include <gtest/gtest.h>

#include <map>

#include "formats/timestamp.h"
#include "ingest/csv_layout.h"
#include "ingest/data_generator.h"
#include "ingest/ignition_reader.h"
#include "ingest/importer.h"
#include "ingest/jsonl_reader.h"
#include "ingest/line_protocol_reader.h"
#include "ingest/text_parsers.h"
#include "storage/database.h"
#include "storage/ingest_watermarks.h"
#include "tests/ingest/ingest_test_util.h"

namespace tsl {
namespace {

using Point = LineProtocolReader::Point;

std::vector<Point> Parse(std::string_view line, std::string* reason, int64_t mul = 1,
                         int64_t div = 1000) {
  std::vector<Point> pts;
  *reason = LineProtocolReader::ParseLine(line, mul, div, &pts);
  return pts;
}

TEST(LineProtocolTest, EscapesTagOrderAndFieldTypes) {
  std::string reason;
  auto pts = Parse(R"(my\ meas,z=1,a=x\=y\,z f\ 1=1i,s="a \"b\" \\ c",b=FALSE 1500)", &reason);
  ASSERT_EQ(reason, "");
  ASSERT_EQ(pts.size(), 3u);
  EXPECT_EQ(pts[0].tag, "my meas,a=x=y,z,z=1.f 1");
  EXPECT_EQ(pts[0].tags, "a=x=y,z,z=1");
  EXPECT_EQ(*pts[0].value, 1.0);
  EXPECT_EQ(pts[0].ts, 1);  // 1500 ns truncated to 1 us
  EXPECT_EQ(*pts[1].text, "a \"b\" \\ c");
  EXPECT_FALSE(pts[1].value.has_value());
  EXPECT_EQ(*pts[2].value, 0.0);
}

TEST(LineProtocolTest, PrecisionsNegativeTimesAndRejects) {
  std::string reason;
  auto pts = Parse("m value=2 -1500", &reason);
  ASSERT_EQ(reason, "");
  EXPECT_EQ(pts[0].ts, -2);  // floor, not toward zero
  EXPECT_EQ(pts[0].tag, "m");
  pts = Parse("m value=2 1700000000", &reason, 1000000, 1);
  EXPECT_EQ(pts[0].ts, 1700000000LL * 1000000);
  Parse("m value=2 99999999999999999", &reason, 1000000, 1);
  EXPECT_NE(reason.find("out of range"), std::string::npos) << reason;
  Parse("m value=\"open 5", &reason);
  EXPECT_NE(reason.find("no closing"), std::string::npos) << reason;
  Parse("m,t value=1 5", &reason);
  EXPECT_NE(reason.find("tag \"t\""), std::string::npos) << reason;
  Parse("m value=1 12x", &reason);
  EXPECT_NE(reason.find("not an integer"), std::string::npos) << reason;
  pts = Parse("m value=18446744073709551615u 5", &reason);
  ASSERT_EQ(reason, "");
  EXPECT_DOUBLE_EQ(*pts[0].value, 18446744073709551615.0);
}

TEST(EpochTest, UnitsAndAutoMagnitudes) {
  int64_t us;
  ASSERT_TRUE(ParseTimestampOrEpoch("1704067200", EpochUnit::kAuto, &us));
  EXPECT_EQ(us, 1704067200LL * 1000000);
  ASSERT_TRUE(ParseTimestampOrEpoch("1704067200123", EpochUnit::kAuto, &us));
  EXPECT_EQ(us, 1704067200123LL * 1000);
  ASSERT_TRUE(ParseTimestampOrEpoch("1704067200123456", EpochUnit::kAuto, &us));
  EXPECT_EQ(us, 1704067200123456LL);
  ASSERT_TRUE(ParseTimestampOrEpoch("1704067200123456789", EpochUnit::kAuto, &us));
  EXPECT_EQ(us, 1704067200123456LL);
  ASSERT_TRUE(ParseTimestampOrEpoch("1704067200.5", EpochUnit::kSeconds, &us));
  EXPECT_EQ(us, 1704067200500000LL);
  ASSERT_TRUE(ParseTimestampOrEpoch("2024-01-01T01:00:00+01:00", EpochUnit::kMillis, &us));
  EXPECT_EQ(us, 1704067200LL * 1000000);
  EXPECT_FALSE(ParseTimestampOrEpoch("9223372036854775807", EpochUnit::kSeconds, &us));
  EXPECT_FALSE(ParseTimestampOrEpoch("soon", EpochUnit::kAuto, &us));
}

// Issue 15 item 1: an epoch outside the supported TIMESTAMP range is
// refused (and flagged as such), one just inside it is read.
TEST(EpochTest, NumbersOutsideTheSupportedRangeAreRefused) {
  int64_t us = 0;
  bool out_of_range = false;
  EXPECT_FALSE(ParseTimestampOrEpoch("-9223372030000", EpochUnit::kSeconds, &us, &out_of_range));
  EXPECT_TRUE(out_of_range);
  EXPECT_FALSE(ParseTimestampOrEpoch("9223372036854775807", EpochUnit::kMicros, &us, &out_of_range));
  EXPECT_TRUE(out_of_range);
  EXPECT_FALSE(ParseTimestampOrEpoch("1e30", EpochUnit::kSeconds, &us, &out_of_range));
  EXPECT_TRUE(out_of_range);
  EXPECT_FALSE(ParseTimestampOrEpoch("soon", EpochUnit::kAuto, &us, &out_of_range));
  EXPECT_FALSE(out_of_range);
  ASSERT_TRUE(ParseTimestampOrEpoch("-9223372022400", EpochUnit::kSeconds, &us, &out_of_range));
  EXPECT_EQ(us, kMinTimestampMicros);
  ASSERT_TRUE(ParseTimestampOrEpoch("-62135596801", EpochUnit::kAuto, &us));  // 1 BC
  EXPECT_EQ(us, -62135596801LL * 1000000);
  // ISO text with signed or 5-6 digit years passes the cheap pre-check.
  ASSERT_TRUE(ParseTimestampOrEpoch("10000-01-01 00:00:00", EpochUnit::kAuto, &us));
  EXPECT_EQ(us, *ParseTimestamp("+10000-01-01"));
  ASSERT_TRUE(ParseTimestampOrEpoch("-0001-01-01", EpochUnit::kAuto, &us));
  EXPECT_EQ(us, *ParseTimestamp("0002-01-01 (BC)"));
}

// Issue 15 items 1 and 11 for Ignition: a t_stamp whose microseconds do not
// fit is a reject (it wrapped into a wrong year before); text that is not
// UTF-8 in the data file is an error naming the line and column.
TEST(IgnitionReaderTest, OutOfRangeTStampIsARejectAndInvalidUtf8AnError) {
  testing::IngestTempDir dir;
  std::string te = dir.Write("te.csv",
                             "id,tagpath,scid,datatype,querymode,created,retired\n"
                             "7,p,1,2,3,0,\n");
  std::string data = dir.Write("d.csv",
                               "tagid,intvalue,floatvalue,stringvalue,datevalue,dataintegrity,t_stamp\n"
                               "7,,,a,,192,9223372036854775807\n7,,,b,,192,1000\n");
  IgnitionOptions o;
  o.tags_path = te;
  auto r = IgnitionReader::Open(data, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  DataChunk c;
  ASSERT_TRUE(*(*r)->Next(&c));
  ASSERT_EQ(c.size(), 1u);
  auto rejects = (*r)->TakeRejects();
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_NE(rejects[0].reason.find("outside the supported TIMESTAMP range"), std::string::npos)
      << rejects[0].reason;

  std::string bad = dir.Write("bad.csv",
                              "tagid,intvalue,floatvalue,stringvalue,datevalue,dataintegrity,t_stamp\n"
                              "7,,,ok,,192,1000\n7,,,x\xff,,192,2000\n");
  r = IgnitionReader::Open(bad, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Status st;
  for (;;) {
    Result<bool> more = (*r)->Next(&c);
    if (!more.ok()) {
      st = more.status();
      break;
    }
    if (!*more) break;
  }
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("line 3, column 4 (\"stringvalue\"): invalid UTF-8"),
            std::string::npos)
      << st.message();
}

TEST(LineProtocolTest, TimestampsOutsideTheRangeAndNonUtf8LinesAreRejects) {
  testing::IngestTempDir dir;
  std::string f = dir.Write("a.lp", "m value=1 9223372036854775807\nm,t=\xe9 value=2 1\nm value=3 2\n");
  LineProtocolOptions o;
  o.precision = "us";
  auto r = LineProtocolReader::Open(f, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  DataChunk c;
  ASSERT_TRUE(*(*r)->Next(&c));
  ASSERT_EQ(c.size(), 1u);
  auto rejects = (*r)->TakeRejects();
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ(rejects[0].line, 1);
  EXPECT_NE(rejects[0].reason.find("outside the supported TIMESTAMP range"), std::string::npos);
  EXPECT_EQ(rejects[1].line, 2);
  EXPECT_EQ(rejects[1].reason, "the line is not UTF-8: invalid UTF-8 at byte 5 (0xe9)");
}

TEST(JsonlReaderTest, InfersTypesAndRejectsBadLines) {
  testing::IngestTempDir dir;
  std::string f = dir.Write("a.jsonl",
                            "{\"ts\":\"2024-01-01 00:00:00\",\"n\":1,\"ok\":true}\n"
                            "{\"ts\":\"2024-01-01 00:00:01\",\"n\":1.5,\"extra\":[1,2]}\n"
                            "{\"ts\":\"2024-01-01 00:00:02\",\"n\":\"x\"}\n"
                            "{\"ts\":\"2024-01-01 00:00:03\"");
  // Sampling all lines would make n VARCHAR ("x"); two lines make it DOUBLE.
  auto all = JsonlReader::Open(f, {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)->schema().fields[1].type, TypeId::kVarchar);
  JsonlOptions o;
  o.sample_lines = 2;
  auto r = JsonlReader::Open(f, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Schema& s = (*r)->schema();
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.fields[0].type, TypeId::kTimestamp);
  EXPECT_EQ(s.fields[1].type, TypeId::kDouble);
  EXPECT_EQ(s.fields[2].type, TypeId::kBoolean);
  EXPECT_EQ(s.fields[3].name, "extra");
  EXPECT_EQ(s.fields[3].type, TypeId::kVarchar);
  DataChunk c;
  ASSERT_TRUE(*(*r)->Next(&c));
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.columns[3].strings[1], "[1,2]");
  EXPECT_TRUE(c.columns[2].IsNull(1));
  auto rejects = (*r)->TakeRejects();
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ(rejects[0].line, 3);
  EXPECT_NE(rejects[0].reason.find("column \"n\""), std::string::npos) << rejects[0].reason;
  EXPECT_EQ(rejects[1].line, 4);
  EXPECT_FALSE(*(*r)->Next(&c));
  EXPECT_FALSE(JsonlReader::Open(dir.Write("e.jsonl", "\n\n"), {}).ok());
}

TEST(IgnitionReaderTest, RetiredTagsAndTargetSchema) {
  testing::IngestTempDir dir;
  std::string te = dir.Write("te.csv",
                             "id,tagpath,scid,datatype,querymode,created,retired\n"
                             "7,old/path,1,0,3,0,1000\n7,new/path,1,1,3,1000,\n");
  std::string data = dir.Write("d.csv",
                               "tagid,intvalue,floatvalue,stringvalue,datevalue,dataintegrity,t_stamp\r\n"
                               "7,5,,,,192,999\r\n7,,2.5,,,24,1000\r\n");
  IgnitionOptions o;
  o.tags_path = te;
  o.target_schema = Schema{{{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar},
                            {"quality", TypeId::kBigint}, {"site", TypeId::kVarchar}}};
  auto r = IgnitionReader::Open(data, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  DataChunk c;
  ASSERT_TRUE(*(*r)->Next(&c));
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.columns[1].strings[0], "old/path");
  EXPECT_EQ(c.columns[1].strings[1], "new/path");
  EXPECT_EQ(c.columns[0].ints[1], 1000000);
  EXPECT_EQ(c.columns[2].ints[1], 24);
  EXPECT_TRUE(c.columns[3].IsNull(0));
}

// Every generated format loads to the same (tag, ts, value) rows.
TEST(GeneratorFormatsTest, EveryFormatReadsBackTheSameSeries) {
  testing::IngestTempDir dir;
  SensorDataOptions g;
  g.tags = 5;
  g.points_per_tag = 300;
  using Row = std::tuple<std::string, int64_t, double>;
  auto collect = [](ChunkSource* src, int tag, int ts, int value, std::string_view only_suffix) {
    std::vector<Row> rows;
    DataChunk c;
    for (;;) {
      auto more = src->Next(&c);
      EXPECT_TRUE(more.ok()) << more.status().ToString();
      if (!more.ok() || !*more) break;
      for (size_t r = 0; r < c.size(); ++r) {
        std::string t = c.columns[static_cast<size_t>(tag)].strings[r];
        if (!only_suffix.empty() && t.ends_with(only_suffix)) continue;
        rows.emplace_back(t, c.columns[static_cast<size_t>(ts)].ints[r],
                          c.columns[static_cast<size_t>(value)].doubles[r]);
      }
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  };
  const std::string csv = dir.path() + "/g.csv";
  ASSERT_TRUE(GenerateSensorData(g, SensorFormat::kCsv, csv).ok());
  CsvOptions co;
  auto base_reader = CsvReader::Open(csv, co);
  ASSERT_TRUE(base_reader.ok());
  std::vector<Row> base = collect(base_reader->get(), 1, 0, 2, "");
  ASSERT_EQ(base.size(), 1500u);

  const std::string wide = dir.path() + "/g.wide";
  ASSERT_TRUE(GenerateSensorData(g, SensorFormat::kWideCsv, wide).ok());
  CsvLayoutOptions lw;
  lw.wide = true;
  auto w = OpenCsvSource(wide, co, lw);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(collect(w->get(), 0, 1, 2, ""), base);

  const std::string jl = dir.path() + "/g.jsonl";
  ASSERT_TRUE(GenerateSensorData(g, SensorFormat::kJsonl, jl).ok());
  auto j = JsonlReader::Open(jl, {});
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(collect(j->get(), 1, 0, 2, ""), base);

  const std::string lp = dir.path() + "/g.lp";
  ASSERT_TRUE(GenerateSensorData(g, SensorFormat::kLine, lp).ok());
  auto l = LineProtocolReader::Open(lp, {});
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(collect(l->get(), 0, 1, 2, ".quality"), base);

  const std::string ig = dir.path() + "/g.ign", te = dir.path() + "/te.csv";
  ASSERT_TRUE(GenerateSensorData(g, SensorFormat::kIgnition, ig, te).ok());
  IgnitionOptions io;
  io.tags_path = te;
  auto i = IgnitionReader::Open(ig, io);
  ASSERT_TRUE(i.ok()) << i.status().ToString();
  EXPECT_EQ(collect(i->get(), 0, 1, 2, ""), base);
}

class DedupImportTest : public ::testing::Test {
 protected:
  void Make(const std::string& policy, bool watermarks = false) {
    auto db = Database::Open(dir_.path() + "/db");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(db_->CreateTable("t", LineProtocolReader::NativeSchema(),
                                 {{"duplicate_policy", policy},
                                  {"partition_by", "day(ts)"},
                                  {"watermarks", watermarks ? "true" : "false"}})
                    .ok());
  }
  Result<ImportSummary> Import(const std::string& text, const std::string& app = "",
                               bool incremental = false) {
    std::string f = dir_.Write("in" + std::to_string(++n_) + ".lp", text);
    auto r = LineProtocolReader::Open(f, {});
    if (!r.ok()) return r.status();
    ImportOptions o;
    o.source = f;
    o.batch_app_id = app;
    o.batch_version = 1;
    o.incremental = incremental;
    return Importer::Run(db_.get(), "t", r->get(), o);
  }
  std::map<std::pair<std::string, int64_t>, double> Rows() {
    DataChunk all = testing::ReadTable(**db_->GetTable("t"));
    std::map<std::pair<std::string, int64_t>, double> m;
    for (size_t r = 0; r < all.size(); ++r) {
      auto key = std::make_pair(all.columns[0].strings[r], all.columns[1].ints[r]);
      EXPECT_EQ(m.count(key), 0u) << "duplicate " << key.first << " " << key.second;
      m[key] = all.columns[2].doubles[r];
    }
    EXPECT_EQ(m.size(), all.size());
    return m;
  }
  testing::IngestTempDir dir_;
  std::unique_ptr<Database> db_;
  int n_ = 0;
};

TEST_F(DedupImportTest, KeepFirstDropsKnownKeysAndLateDataLands) {
  Make("keep_first");
  auto s = Import("a value=1 1000\na value=2 1000\nb value=3 1000\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->rows, 2);
  EXPECT_EQ(s->duplicates, 1);
  // A re-run with new and old points; the late point is a day earlier.
  s = Import("a value=9 1000\na value=4 2000\nb value=5 -86400000000000\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->rows, 2);
  auto rows = Rows();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ((rows[{"a", 1}]), 1);
  EXPECT_EQ((rows[{"b", -86400000000}]), 5);
}

TEST_F(DedupImportTest, KeepLastReplacesRowsInOneVersionAndRerunIsANoOp) {
  Make("keep_last");
  auto s = Import("a value=1 1000\na value=2 1000\nb value=3 1000\nc value=7 5000\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->rows, 3);
  const int64_t v1 = s->version;
  s = Import("a value=10 1000\nd value=4 1000\n", "gw");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->replaced, 1);
  EXPECT_EQ(s->version, v1 + 1);
  auto rows = Rows();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ((rows[{"a", 1}]), 10);
  EXPECT_EQ((rows[{"b", 1}]), 3);
  EXPECT_EQ((rows[{"c", 5}]), 7);
  // The same batch again commits nothing.
  s = Import("a value=10 1000\nd value=4 1000\n", "gw");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->already_committed);
  EXPECT_EQ(Rows().size(), 4u);
}

TEST_F(DedupImportTest, IncrementalImportSkipsPointsAtOrBeforeTheTagsWatermark) {
  Make("keep_all", /*watermarks=*/true);
  auto s = Import("a value=1 1000\na value=2 3000\nb value=3 1000\n");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto wm = LoadTagWatermarks(db_.get(), "t");
  ASSERT_TRUE(wm.ok());
  EXPECT_EQ((*wm)["a"], 3);
  EXPECT_EQ((*wm)["b"], 1);
  // a at 3 us is at its watermark, a at 2 us before it: both skipped.
  s = Import("a value=9 3000\na value=8 2000\na value=4 4000\nb value=5 2000\nc value=6 1\n", "", true);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->rows, 3);
  EXPECT_EQ(s->skipped, 2);
  EXPECT_NE(s->ToString().find("2 at or before their watermark skipped"), std::string::npos);
  EXPECT_EQ(Rows().size(), 6u);
  auto report = WatermarkReport(db_.get(), "t");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->size(), 5u);  // a, b from two sources each; c from one
}

}  // namespace
}  // namespace tsl
