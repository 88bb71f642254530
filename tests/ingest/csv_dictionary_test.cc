// CsvReader's dictionary form (CsvOptions::dictionary_strings, used by
// COPY): the values read are exactly those of the string form - NULLs,
// quoted empty fields under both allow_quoted_nulls settings, "" escapes,
// values that change order, any chunk size - a column past kMaxDictionary
// distinct values goes back to strings, and errors name the same line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ingest/csv_reader.h"

namespace tsl {
namespace {

class CsvDictionaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tslake_csv_dict_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& content) {
    std::string path = (dir_ / "in.csv").string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  static Schema TargetSchema() {
    return Schema{{{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}, {"value", TypeId::kDouble},
                   {"note", TypeId::kVarchar}}};
  }

  // Every value of every row as text ("NULL" for NULL), and how many chunks
  // had a column in dictionary form.
  static std::vector<std::string> ReadRows(const std::string& path, bool dictionary, size_t chunk_rows,
                                           bool quoted_nulls, int* dictionary_chunks = nullptr) {
    CsvOptions o;
    o.target_schema = TargetSchema();
    o.dictionary_strings = dictionary;
    o.dictionary_chunk_rows = chunk_rows;
    o.allow_quoted_nulls = quoted_nulls;
    o.block_size = 64;  // records split across reads
    Result<std::unique_ptr<CsvReader>> r = CsvReader::Open(path, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> rows;
    if (!r.ok()) return rows;
    for (;;) {
      DataChunk c;
      Result<bool> more = (*r)->Next(&c);
      EXPECT_TRUE(more.ok()) << more.status().ToString();
      if (!more.ok() || !*more) break;
      EXPECT_LE(c.size(), dictionary ? chunk_rows : kVectorSize);
      bool any = false;
      for (ColumnVector& col : c.columns) {
        any = any || col.dictionary_form;
        if (col.dictionary_form) {
          EXPECT_EQ(col.codes.size(), col.valid.size());
        }
        col.MaterializeStrings();
      }
      if (any && dictionary_chunks) ++*dictionary_chunks;
      for (size_t i = 0; i < c.size(); ++i) {
        std::string row;
        for (const ColumnVector& col : c.columns)
          row += (col.IsNull(i) ? std::string("NULL") : col.GetValue(i).ToString()) + "|";
        rows.push_back(row);
      }
    }
    return rows;
  }

  std::filesystem::path dir_;
};

TEST_F(CsvDictionaryTest, SameValuesAsStrings) {
  std::string csv = "ts,tag,value,note\r\n";
  for (int i = 0; i < 500; ++i) {
    std::string tag = i % 13 == 5 ? "" : (i % 17 == 2 ? "\"\"" : "Plant/TT-" + std::to_string(i % (i < 250 ? 7 : 11)));
    if (i % 19 == 4) tag = "\"quoted, \"\"tag\"\"\"";
    csv += "2024-01-01 00:00:" + std::to_string(10 + i % 50) + "," + tag + "," + std::to_string(i) + ".5," +
           (i % 3 == 0 ? "" : "n" + std::to_string(i % 4)) + "\r\n";
  }
  const std::string path = Write(csv);
  for (bool quoted_nulls : {true, false}) {
    const std::vector<std::string> want = ReadRows(path, false, 0, quoted_nulls);
    ASSERT_EQ(want.size(), 500u);
    for (size_t chunk_rows : {1u, 3u, 64u, 2048u, 32768u}) {
      int dict_chunks = 0;
      EXPECT_EQ(ReadRows(path, true, chunk_rows, quoted_nulls, &dict_chunks), want)
          << chunk_rows << " " << quoted_nulls;
      EXPECT_GT(dict_chunks, 0);
    }
  }
}

TEST_F(CsvDictionaryTest, ManyDistinctValuesGoBackToStrings) {
  std::string csv = "ts,tag,value,note\n";
  const size_t n = CsvReader::kMaxDictionary + 5000;
  for (size_t i = 0; i < n; ++i)
    csv += "2024-01-01 00:00:00,t" + std::to_string(i) + "," + std::to_string(i % 10) + ",x\n";
  const std::string path = Write(csv);
  int dict_chunks = 0;
  const std::vector<std::string> got = ReadRows(path, true, 4096, true, &dict_chunks);
  EXPECT_EQ(got, ReadRows(path, false, 0, true));
  // note (one value) stays in dictionary form; tag leaves it after the cap.
  EXPECT_EQ(static_cast<size_t>(dict_chunks), (n + 4095) / 4096);
}

TEST_F(CsvDictionaryTest, ErrorsNameTheSameLine) {
  std::string csv = "ts,tag,value,note\n";
  for (int i = 0; i < 100; ++i) csv += "2024-01-01 00:00:00,a" + std::to_string(i % 3) + ",1.5,x\n";
  csv += "2024-01-01 00:00:00,a1,oops,x\n";
  const std::string path = Write(csv);
  for (bool dictionary : {false, true}) {
    CsvOptions o;
    o.target_schema = TargetSchema();
    o.dictionary_strings = dictionary;
    o.dictionary_chunk_rows = 16;
    Result<std::unique_ptr<CsvReader>> r = CsvReader::Open(path, o);
    ASSERT_TRUE(r.ok());
    Status st;
    for (;;) {
      DataChunk c;
      Result<bool> more = (*r)->Next(&c);
      if (!more.ok()) {
        st = more.status();
        break;
      }
      if (!*more) break;
    }
    EXPECT_NE(st.message().find("line 102, column 3"), std::string::npos) << st.ToString();
  }
}

}  // namespace
}  // namespace tsl
