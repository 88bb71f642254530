// CsvReader with reject_bad_rows (COPY ... (ON_ERROR 'continue'),
// read_csv(ignore_errors => true)): a record whose value does not convert
// or whose field count is wrong is skipped and handed over as a reject
// with its line, raw text and reason, and the rows around it stay aligned
// across columns, in plain and in dictionary form.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "ingest/csv_reader.h"

namespace tsl {
namespace {

class CsvRejectTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tslake_csv_reject_test_" + std::to_string(::getpid()) + "_" +
            std::to_string(GetParam()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_P(CsvRejectTest, BadRecordsBecomeRejectsAndTheRestStaysAligned) {
  const std::string path = (dir_ / "bad.csv").string();
  std::ofstream(path) << "ts,tag,value\n"
                         "2024-01-01 00:00:00,a,1\n"
                         "2024-01-01 00:00:01,b,oops\n"
                         "2024-01-01 00:00:02,c,3\n"
                         "2024-01-01 00:00:03,d\n"
                         "2024-01-01 00:00:04,e,5\n";
  CsvOptions options;
  options.target_schema =
      Schema{{{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}, {"value", TypeId::kDouble}}};
  options.dictionary_strings = GetParam();
  options.reject_bad_rows = true;
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<std::string> tags;
  std::vector<double> values;
  for (;;) {
    DataChunk chunk;
    Result<bool> more = (*reader)->Next(&chunk);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ASSERT_EQ(chunk.columns[1].size(), chunk.columns[2].size());
    for (size_t r = 0; r < chunk.size(); ++r) {
      const ColumnVector& tag = chunk.columns[1];
      tags.push_back(tag.dictionary_form ? tag.dictionary[tag.codes[r]] : tag.strings[r]);
      values.push_back(chunk.columns[2].doubles[r]);
    }
  }
  EXPECT_EQ(tags, (std::vector<std::string>{"a", "c", "e"}));
  EXPECT_EQ(values, (std::vector<double>{1, 3, 5}));
  std::vector<RejectedRow> rejects = (*reader)->TakeRejects();
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ((*reader)->rejected_count(), 2);
  EXPECT_EQ(rejects[0].source, path);
  EXPECT_EQ(rejects[0].line, 3);
  EXPECT_EQ(rejects[0].raw, "2024-01-01 00:00:01,b,oops");
  EXPECT_EQ(rejects[0].reason, "column 3 (\"value\"): \"oops\" is not a DOUBLE");
  EXPECT_EQ(rejects[1].line, 5);
  EXPECT_EQ(rejects[1].raw, "2024-01-01 00:00:03,d");
  EXPECT_NE(rejects[1].reason.find("expected 3 columns but found 2"), std::string::npos)
      << rejects[1].reason;
  EXPECT_TRUE((*reader)->TakeRejects().empty());
}

TEST_P(CsvRejectTest, WithoutTheOptionABadValueIsStillAnError) {
  const std::string path = (dir_ / "bad.csv").string();
  std::ofstream(path) << "ts,tag,value\n2024-01-01 00:00:01,b,oops\n";
  CsvOptions options;
  options.target_schema =
      Schema{{{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}, {"value", TypeId::kDouble}}};
  options.dictionary_strings = GetParam();
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok());
  DataChunk chunk;
  Result<bool> more = (*reader)->Next(&chunk);
  ASSERT_FALSE(more.ok());
  EXPECT_NE(more.status().message().find("line 2, column 3"), std::string::npos);
  EXPECT_EQ((*reader)->rejected_count(), 0);
}

INSTANTIATE_TEST_SUITE_P(PlainAndDictionary, CsvRejectTest, ::testing::Bool());

}  // namespace
}  // namespace tsl
