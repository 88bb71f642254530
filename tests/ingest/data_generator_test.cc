// Tests for ingest/data_generator: the sample data must be deterministic,
// well-formed and shaped like a historian export.
#include "ingest/data_generator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace tsl {
namespace {

// A temporary directory removed with its files when the test ends.
class DataGeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/tslake_generator_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  static std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> lines;
    std::stringstream ss(text);
    for (std::string line; std::getline(ss, line);) lines.push_back(line);
    return lines;
  }

  static std::vector<std::string> Split(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    for (std::string f; std::getline(ss, f, ',');) fields.push_back(f);
    return fields;
  }

  std::string dir_;
};

TEST_F(DataGeneratorTest, SameSeedGivesIdenticalFile) {
  SensorDataOptions options;
  options.tags = 7;
  options.points_per_tag = 50;
  ASSERT_TRUE(GenerateSensorCsv(options, Path("a.csv")).ok());
  ASSERT_TRUE(GenerateSensorCsv(options, Path("b.csv")).ok());
  EXPECT_EQ(ReadFile(Path("a.csv")), ReadFile(Path("b.csv")));
}

TEST_F(DataGeneratorTest, DifferentSeedGivesDifferentValues) {
  SensorDataOptions options;
  options.tags = 3;
  options.points_per_tag = 20;
  ASSERT_TRUE(GenerateSensorCsv(options, Path("a.csv")).ok());
  options.seed = 7;
  ASSERT_TRUE(GenerateSensorCsv(options, Path("b.csv")).ok());
  EXPECT_NE(ReadFile(Path("a.csv")), ReadFile(Path("b.csv")));
}

TEST_F(DataGeneratorTest, WritesHeaderAndOneRowPerTagPerPoint) {
  SensorDataOptions options;
  options.tags = 12;
  options.points_per_tag = 30;
  ASSERT_TRUE(GenerateSensorCsv(options, Path("s.csv")).ok());
  std::vector<std::string> lines = Lines(ReadFile(Path("s.csv")));
  ASSERT_EQ(lines.size(), 1u + 12u * 30u);
  EXPECT_EQ(lines[0], "ts,tag,value,quality");
  std::set<std::string> tags;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = Split(lines[i]);
    ASSERT_EQ(f.size(), 4u) << "line " << i + 1 << ": " << lines[i];
    tags.insert(f[1]);
  }
  EXPECT_EQ(tags.size(), 12u);
}

TEST_F(DataGeneratorTest, RowsAreOrderedByTimestampThenTag) {
  SensorDataOptions options;
  options.tags = 20;
  options.points_per_tag = 5;
  options.interval_micros = 60 * 1000000LL;
  ASSERT_TRUE(GenerateSensorCsv(options, Path("s.csv")).ok());
  std::vector<std::string> lines = Lines(ReadFile(Path("s.csv")));
  ASSERT_EQ(lines.size(), 101u);
  EXPECT_EQ(Split(lines[1])[0], "2024-01-01 00:00:00");
  EXPECT_EQ(Split(lines[100])[0], "2024-01-01 00:04:00");
  for (size_t i = 2; i < lines.size(); ++i) {
    std::vector<std::string> prev = Split(lines[i - 1]);
    std::vector<std::string> cur = Split(lines[i]);
    EXPECT_TRUE(prev[0] < cur[0] || (prev[0] == cur[0] && prev[1] < cur[1]))
        << "line " << i + 1 << " is out of (ts, tag) order";
  }
}

TEST_F(DataGeneratorTest, ValuesHaveTwoDecimalsAndQualityIsMostlyGood) {
  SensorDataOptions options;
  options.tags = 10;
  options.points_per_tag = 1000;
  ASSERT_TRUE(GenerateSensorCsv(options, Path("s.csv")).ok());
  std::vector<std::string> lines = Lines(ReadFile(Path("s.csv")));
  int good = 0;
  int bad = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = Split(lines[i]);
    const std::string& value = f[2];
    ASSERT_GE(value.size(), 4u);
    EXPECT_EQ(value[value.size() - 3], '.') << value;
    EXPECT_NE(value[0], '-') << "line " << i + 1 << ": no instrument range is negative";
    if (f[3] == "192") {
      ++good;
    } else {
      EXPECT_EQ(f[3], "0");
      ++bad;
    }
  }
  // 1% bad on average over 10000 points: far outside [20, 300] only by a bug.
  EXPECT_GT(bad, 20);
  EXPECT_LT(bad, 300);
  EXPECT_EQ(good + bad, 10000);
}

TEST_F(DataGeneratorTest, TagNamesLookLikePlantTagPaths) {
  EXPECT_EQ(SensorTagName(0), "Plant1/Boiler1/TT-101.PV");
  EXPECT_EQ(SensorTagName(1), "Plant1/Boiler1/PT-101.PV");
  EXPECT_EQ(SensorTagName(7), "Plant1/Turbine1/TT-102.PV");
  std::set<std::string> names;
  for (int i = 0; i < 1000; ++i) names.insert(SensorTagName(i));
  EXPECT_EQ(names.size(), 1000u);
}

TEST_F(DataGeneratorTest, RejectsNonPositiveCounts) {
  SensorDataOptions options;
  options.tags = 0;
  Status st = GenerateSensorCsv(options, Path("s.csv"));
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("tags"), std::string::npos);
  options.tags = 1;
  options.points_per_tag = -1;
  EXPECT_EQ(GenerateSensorCsv(options, Path("s.csv")).code(), StatusCode::kInvalidArgument);
}

TEST_F(DataGeneratorTest, UnwritablePathIsAnIOErrorNamingThePath) {
  SensorDataOptions options;
  options.tags = 1;
  options.points_per_tag = 1;
  const std::string path = Path("no/such/dir/s.csv");
  Status st = GenerateSensorCsv(options, path);
  EXPECT_EQ(st.code(), StatusCode::kIOError);
  EXPECT_NE(st.message().find(path), std::string::npos);
}

}  // namespace
}  // namespace tsl
