// The public API's tools (tslake.hpp): CheckDatabase and RepairDatabase
// report what storage's TableChecker finds, GenerateSampleData writes every
// format and refuses bad options, SampleDataOptions' defaults are the
// generator's, and Status::ToString names the code as the engine does.
#include <fstream>
#include <sstream>
#include <string>

#include "ingest/data_generator.h"
#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

class DatabaseToolsTest : public EmbedTest {};

TEST_F(DatabaseToolsTest, CheckAndRepairReportWhatTheCheckerFinds) {
  {
    auto db = Database::Open(DbPath());
    ASSERT_NE(db, nullptr);
    Connection con(*db);
    ASSERT_TRUE(con.Query("CREATE TABLE m(ts TIMESTAMP, v DOUBLE)").ok());
    ASSERT_TRUE(con.Query("INSERT INTO m VALUES (TIMESTAMP '2024-01-01', 1.5)").ok());
  }
  CheckReport report;
  ASSERT_TRUE(CheckDatabase(DbPath(), &report).ok());
  EXPECT_TRUE(report.ok()) << report.text;
  EXPECT_EQ(report.tables_checked, 1);
  EXPECT_GE(report.segments_checked, 1);
  EXPECT_NE(report.text.find("1 table"), std::string::npos) << report.text;

  // A stray file in the table directory is an orphan, not a problem.
  std::ofstream(dir_ / "db" / "m" / "stray.tmp") << "x";
  ASSERT_TRUE(RepairDatabase(DbPath(), &report).ok());
  EXPECT_TRUE(report.ok()) << report.text;
  ASSERT_EQ(report.orphans.size(), 1u) << report.text;
  EXPECT_NE(report.orphans[0].find("stray.tmp"), std::string::npos);

  Status missing = CheckDatabase((dir_ / "nope").string(), &report);
  EXPECT_FALSE(missing.ok());
  EXPECT_FALSE(CheckDatabase(DbPath(), nullptr).ok());
}

TEST_F(DatabaseToolsTest, GenerateSampleDataWritesEveryFormat) {
  // The public defaults are the generator's.
  const SampleDataOptions defaults;
  const tsl::SensorDataOptions engine;
  EXPECT_EQ(defaults.tags, engine.tags);
  EXPECT_EQ(defaults.points_per_tag, engine.points_per_tag);
  EXPECT_EQ(defaults.start_micros, engine.start_micros);
  EXPECT_EQ(defaults.interval_micros, engine.interval_micros);
  EXPECT_EQ(defaults.seed, engine.seed);

  for (const std::string& format : SampleDataFormats()) {
    SampleDataOptions o;
    o.format = format;
    o.tags = 2;
    o.points_per_tag = 3;
    o.out = (dir_ / ("out." + format)).string();
    o.tags_out = (dir_ / "tags.csv").string();
    Status st = GenerateSampleData(o);
    ASSERT_TRUE(st.ok()) << format << ": " << st.ToString();
    std::stringstream text;
    text << std::ifstream(o.out).rdbuf();
    EXPECT_FALSE(text.str().empty()) << format;
  }
  SampleDataOptions bad;
  bad.format = "xml";
  bad.out = (dir_ / "x").string();
  Status st = GenerateSampleData(bad);
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "format xml is not one of csv, wide, jsonl, line, ignition, piwebapi");
  bad.format = "csv";
  bad.tags = 0;
  EXPECT_EQ(GenerateSampleData(bad).code(), ErrorCode::kInvalidArgument);
  bad.tags = 1;
  bad.format = "ignition";  // needs tags_out
  EXPECT_EQ(GenerateSampleData(bad).code(), ErrorCode::kInvalidArgument);
}

TEST(PublicStatus, ToStringNamesTheCodeAsTheEngine) {
  EXPECT_EQ(Status().ToString(), "OK");
  EXPECT_EQ(Status(ErrorCode::kNotFound, "no table m").ToString(), "Not found: no table m");
  EXPECT_EQ(Status(ErrorCode::kFull, "/db: No space left on device").ToString(),
            "IO error: /db: No space left on device");
}

}  // namespace
}  // namespace tslake
