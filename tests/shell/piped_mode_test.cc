// Every --mode with stdout a pipe: csv and tsv read back (through ingest's
// CsvReader) to exactly the values stored, including doubles that need 17
// digits, extreme magnitudes, microsecond timestamps and strings holding
// delimiters, quotes, line breaks and UTF-8; json and jsonl parse as JSON
// with the same typed values; box, table, markdown and line show them all
// and never cut rows or columns when the output is not a terminal.
#include <nlohmann/json.hpp>

#include "ingest/csv_reader.h"
#include "tests/shell/shell_test_util.h"

namespace tslake::testing {
namespace {

class PipedModeTest : public ShellTest {
 protected:
  void SetUp() override {
    ShellTest::SetUp();
    // 0.1 + 0.2 in DOUBLE (a literal with a point is a DECIMAL, whose sum
    // is exactly 0.3) needs all 17 digits to read back; 5e-324 is the smallest
    // denormal; the strings hold every character a delimited format quotes.
    const std::string setup =
        "CREATE TABLE v (ts TIMESTAMP, s VARCHAR, d DOUBLE, i BIGINT, b BOOLEAN);"
        "INSERT INTO v VALUES ('2024-01-01 00:00:00.000001','tab\there, comma',0.1::DOUBLE + 0.2::DOUBLE,-9223372036854775807,true),"
        "('2024-02-29 23:59:59.999999','line\nbreak \"quoted\" ''single''',1.7976931348623157e308,9007199254740993,false),"
        "('1999-12-31 23:59:59','Grad °C – ünïcode',5e-324,0,NULL),"
        "('2024-03-01 00:00:00',NULL,-0.000123456789012345,NULL,true);";
    RunOutput r = Run({"x.db", "-c", setup});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static constexpr const char* kQuery = "SELECT * FROM v ORDER BY ts";
};

// Rows in ORDER BY ts: 1999 (denormal), 2024-01-01, 2024-02-29, 2024-03-01.
const char* const kStrings[] = {"Grad °C – ünïcode", "tab\there, comma",
                                "line\nbreak \"quoted\" 'single'", nullptr};
const int64_t kTimes[] = {946684799000000, 1704067200000001, 1709251199999999, 1709251200000000};

TEST_F(PipedModeTest, CsvAndTsvReadBackExactly) {
  tsl::Schema schema{{{"ts", tsl::TypeId::kTimestamp},
                      {"s", tsl::TypeId::kVarchar},
                      {"d", tsl::TypeId::kDouble},
                      {"i", tsl::TypeId::kBigint},
                      {"b", tsl::TypeId::kBoolean}}};
  for (const char* mode : {"csv", "tsv"}) {
    SCOPED_TRACE(mode);
    RunOutput r = Run({"x.db", "--mode", mode, "-c", kQuery});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string file = Path(std::string("out.") + mode);
    std::ofstream(file, std::ios::binary) << r.out;
    tsl::CsvOptions options;
    options.delimiter = std::string(mode) == "csv" ? ',' : '\t';
    options.target_schema = schema;
    options.allow_quoted_nulls = false;
    auto reader = tsl::CsvReader::Open(file, options);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    tsl::DataChunk chunk;
    auto more = (*reader)->Next(&chunk);
    ASSERT_TRUE(more.ok()) << more.status().ToString() << "\n" << r.out;
    ASSERT_EQ(chunk.size(), 4u) << r.out;
    for (size_t row = 0; row < 4; ++row) {
      EXPECT_EQ(chunk.columns[0].ints[row], kTimes[row]) << row;
      if (kStrings[row]) {
        EXPECT_EQ(chunk.columns[1].strings[row], kStrings[row]) << row;
      } else {
        EXPECT_TRUE(chunk.columns[1].IsNull(row));
      }
    }
    EXPECT_EQ(chunk.columns[2].doubles[0], 5e-324);
    EXPECT_EQ(chunk.columns[2].doubles[1], 0.1 + 0.2);
    EXPECT_EQ(chunk.columns[2].doubles[2], 1.7976931348623157e308);
    EXPECT_EQ(chunk.columns[2].doubles[3], -0.000123456789012345);
    EXPECT_EQ(chunk.columns[3].ints[1], -9223372036854775807);
    EXPECT_EQ(chunk.columns[3].ints[2], 9007199254740993);
    EXPECT_TRUE(chunk.columns[3].IsNull(3));
    EXPECT_TRUE(chunk.columns[4].IsNull(0));
    EXPECT_EQ(chunk.columns[4].ints[2], 0);
  }
}

void ExpectRow(const nlohmann::json& row, size_t i) {
  SCOPED_TRACE(i);
  ASSERT_TRUE(row.is_object());
  EXPECT_TRUE(row["ts"].is_string());
  if (kStrings[i]) {
    EXPECT_EQ(row["s"], kStrings[i]);
  } else {
    EXPECT_TRUE(row["s"].is_null());
  }
  EXPECT_TRUE(row["d"].is_number_float());
}

TEST_F(PipedModeTest, JsonAndJsonlParseWithExactValues) {
  RunOutput j = Run({"x.db", "--mode", "json", "-c", kQuery});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  nlohmann::json doc = nlohmann::json::parse(j.out);
  ASSERT_TRUE(doc.is_array());
  ASSERT_EQ(doc.size(), 4u);
  for (size_t i = 0; i < 4; ++i) ExpectRow(doc[i], i);
  EXPECT_EQ(doc[0]["ts"], "1999-12-31 23:59:59");
  EXPECT_EQ(doc[1]["ts"], "2024-01-01 00:00:00.000001");
  EXPECT_EQ(doc[0]["d"].get<double>(), 5e-324);
  EXPECT_EQ(doc[1]["d"].get<double>(), 0.1 + 0.2);
  EXPECT_EQ(doc[2]["d"].get<double>(), 1.7976931348623157e308);
  EXPECT_EQ(doc[1]["i"].get<int64_t>(), -9223372036854775807);
  EXPECT_EQ(doc[2]["i"].get<int64_t>(), 9007199254740993);
  EXPECT_EQ(doc[1]["b"], true);
  EXPECT_TRUE(doc[0]["b"].is_null());

  RunOutput l = Run({"x.db", "--mode", "jsonl", "-c", kQuery});
  ASSERT_EQ(l.exit_code, 0) << l.err;
  std::istringstream lines(l.out);
  std::string line;
  std::vector<nlohmann::json> rows;
  while (std::getline(lines, line)) rows.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rows.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    ExpectRow(rows[i], i);
    EXPECT_EQ(rows[i], doc[i]) << "jsonl row " << i << " differs from json";
  }
}

TEST_F(PipedModeTest, GridAndLineModesShowEveryRowAndColumnWhenPiped) {
  // 60 rows and 30 columns: a terminal would cut both; a pipe gets all.
  std::string values;
  for (int i = 0; i < 56; ++i) values += std::string(i ? "," : "") + "('2025-01-01 00:00:00','x',1,1,true)";
  ASSERT_EQ(Run({"x.db", "-c", "INSERT INTO v VALUES " + values}).exit_code, 0);
  std::string wide = "SELECT *";
  for (int c = 0; c < 25; ++c) wide += ", " + std::to_string(c) + " AS col" + std::to_string(c);
  wide += " FROM v ORDER BY ts";
  for (const char* mode : {"box", "table", "markdown", "line"}) {
    SCOPED_TRACE(mode);
    RunOutput r = Run({"x.db", "--mode", mode, "-c", wide});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("col24"), std::string::npos);
    EXPECT_EQ(r.out.find("shown"), std::string::npos) << "rows or columns were cut";
    size_t count = 0;
    for (size_t at = r.out.find("col0"); at != std::string::npos; at = r.out.find("col0", at + 1)) ++count;
    EXPECT_EQ(count, std::string(mode) == "line" ? 60u : 1u);
    EXPECT_NE(r.out.find("1999-12-31 23:59:59"), std::string::npos);
    EXPECT_NE(r.out.find("0.30000000000000004"), std::string::npos);
  }
}

}  // namespace
}  // namespace tslake::testing
