// CsvReader behaviour: dialect (quotes, CRLF, BOM, blank lines), header
// mapping onto a target schema, type inference, error messages that name
// file/line/column/value, and streaming across block boundaries.
#include "ingest/csv_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "formats/timestamp.h"

namespace tsl {
namespace {

class CsvReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tslake_csv_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // Reads every chunk; fails the test on error.
  static std::vector<DataChunk> ReadAll(CsvReader* reader) {
    std::vector<DataChunk> chunks;
    for (;;) {
      DataChunk chunk;
      Result<bool> more = reader->Next(&chunk);
      EXPECT_TRUE(more.ok()) << more.status().ToString();
      if (!more.ok() || !*more) break;
      chunks.push_back(std::move(chunk));
    }
    return chunks;
  }

  static Status ReadUntilError(CsvReader* reader) {
    for (;;) {
      DataChunk chunk;
      Result<bool> more = reader->Next(&chunk);
      if (!more.ok()) return more.status();
      if (!*more) return Status::OK();
    }
  }

  static Schema SensorSchema() {
    return Schema{{{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}, {"value", TypeId::kDouble}}};
  }

  std::filesystem::path dir_;
};

TEST_F(CsvReaderTest, QuotedFieldsKeepDelimitersQuotesAndNewlines) {
  std::string path = Write("q.csv", "a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"line1\nline2\",plain\n");
  auto reader = CsvReader::Open(path, CsvOptions{});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto chunks = ReadAll(reader->get());
  ASSERT_EQ(chunks.size(), 1u);
  ASSERT_EQ(chunks[0].size(), 2u);
  EXPECT_EQ(chunks[0].columns[0].strings[0], "x,y");
  EXPECT_EQ(chunks[0].columns[1].strings[0], "say \"hi\"");
  EXPECT_EQ(chunks[0].columns[0].strings[1], "line1\nline2");
  EXPECT_EQ(chunks[0].columns[1].strings[1], "plain");
}

TEST_F(CsvReaderTest, CrlfLineEndsAndBomAreHandled) {
  std::string path = Write("crlf.csv", "\xEF\xBB\xBFid,v\r\n1,2.5\r\n2,3.5\r\n");
  auto reader = CsvReader::Open(path, CsvOptions{});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const Schema& s = (*reader)->schema();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.fields[0].name, "id");
  EXPECT_EQ(s.fields[0].type, TypeId::kBigint);
  EXPECT_EQ(s.fields[1].type, TypeId::kDouble);
  auto chunks = ReadAll(reader->get());
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].columns[0].ints, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(chunks[0].columns[1].doubles, (std::vector<double>{2.5, 3.5}));
}

TEST_F(CsvReaderTest, InfersTypesAndNamesWithoutHeader) {
  std::string path =
      Write("nohdr.csv", "2024-01-01 00:00:00,true,7,x\n2024-01-01 00:00:01,FALSE,,y\n");
  CsvOptions options;
  options.header = false;
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const Schema& s = (*reader)->schema();
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.fields[0], (Field{"column0", TypeId::kTimestamp}));
  EXPECT_EQ(s.fields[1], (Field{"column1", TypeId::kBoolean}));
  EXPECT_EQ(s.fields[2], (Field{"column2", TypeId::kBigint}));
  EXPECT_EQ(s.fields[3], (Field{"column3", TypeId::kVarchar}));
  auto chunks = ReadAll(reader->get());
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].columns[0].ints[1], *ParseTimestamp("2024-01-01 00:00:01"));
  EXPECT_EQ(chunks[0].columns[1].ints, (std::vector<int64_t>{1, 0}));
  EXPECT_TRUE(chunks[0].columns[2].IsNull(1));
}

TEST_F(CsvReaderTest, MixedIntegerAndDecimalColumnIsDouble) {
  std::string path = Write("mixed.csv", "v\n1\n2.5\n-3e2\n");
  auto reader = CsvReader::Open(path, CsvOptions{});
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->schema().fields[0].type, TypeId::kDouble);
  auto chunks = ReadAll(reader->get());
  EXPECT_EQ(chunks[0].columns[0].doubles, (std::vector<double>{1, 2.5, -300}));
}

TEST_F(CsvReaderTest, EmptyFieldsQuotedOrNotAreNullByDefault) {
  std::string path = Write("empty_default.csv", "s,n\n,\n\"\",\"\"\n");
  CsvOptions options;
  options.target_schema = Schema{{{"s", TypeId::kVarchar}, {"n", TypeId::kDouble}}};
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok());
  auto chunks = ReadAll(reader->get());
  ASSERT_EQ(chunks[0].size(), 2u);
  for (size_t row = 0; row < 2; ++row) {
    EXPECT_TRUE(chunks[0].columns[0].IsNull(row));
    EXPECT_TRUE(chunks[0].columns[1].IsNull(row));
  }
}

TEST_F(CsvReaderTest, WithoutQuotedNullsQuotedEmptyIsEmptyString) {
  std::string path = Write("empty.csv", "s,n\n,\n\"\",\"\"\n");
  CsvOptions options;
  options.allow_quoted_nulls = false;
  options.target_schema = Schema{{{"s", TypeId::kVarchar}, {"n", TypeId::kDouble}}};
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok());
  auto chunks = ReadAll(reader->get());
  ASSERT_EQ(chunks[0].size(), 2u);
  EXPECT_TRUE(chunks[0].columns[0].IsNull(0));
  EXPECT_TRUE(chunks[0].columns[1].IsNull(0));
  EXPECT_FALSE(chunks[0].columns[0].IsNull(1));
  EXPECT_EQ(chunks[0].columns[0].strings[1], "");
  EXPECT_TRUE(chunks[0].columns[1].IsNull(1));
}

TEST_F(CsvReaderTest, HeaderMapsColumnsByNameCaseInsensitively) {
  std::string path = Write("reordered.csv", "Value,TAG,Ts\n1.5,a,2024-01-01 00:00:00\n");
  CsvOptions options;
  options.target_schema = SensorSchema();
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->schema(), SensorSchema());
  auto chunks = ReadAll(reader->get());
  ASSERT_EQ(chunks[0].size(), 1u);
  EXPECT_EQ(chunks[0].columns[0].ints[0], *ParseTimestamp("2024-01-01"));
  EXPECT_EQ(chunks[0].columns[1].strings[0], "a");
  EXPECT_EQ(chunks[0].columns[2].doubles[0], 1.5);
}

TEST_F(CsvReaderTest, HeaderWithOtherNamesMapsByPosition) {
  std::string path = Write("positional.csv", "time,name,reading\n2024-01-01,b,2\n");
  CsvOptions options;
  options.target_schema = SensorSchema();
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto chunks = ReadAll(reader->get());
  EXPECT_EQ(chunks[0].columns[1].strings[0], "b");
  EXPECT_EQ(chunks[0].columns[2].doubles[0], 2.0);
}

TEST_F(CsvReaderTest, HeaderSubsetByNameLeavesOtherColumnsNull) {
  std::string path = Write("subset.csv", "tag,ts\na,2024-01-01\n");
  CsvOptions options;
  options.target_schema = SensorSchema();
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto chunks = ReadAll(reader->get());
  EXPECT_EQ(chunks[0].columns[1].strings[0], "a");
  EXPECT_TRUE(chunks[0].columns[2].IsNull(0));
}

TEST_F(CsvReaderTest, DelimiterOptionReadsTabsAndSemicolons) {
  std::string path = Write("semi.csv", "a;b\n1;x y\n");
  CsvOptions options;
  options.delimiter = ';';
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok());
  auto chunks = ReadAll(reader->get());
  EXPECT_EQ(chunks[0].columns[0].ints[0], 1);
  EXPECT_EQ(chunks[0].columns[1].strings[0], "x y");
}

TEST_F(CsvReaderTest, MissingFileIsNotFound) {
  auto reader = CsvReader::Open((dir_ / "absent.csv").string(), CsvOptions{});
  ASSERT_FALSE(reader.ok());
  EXPECT_TRUE(reader.status().IsNotFound());
  EXPECT_NE(reader.status().message().find("absent.csv"), std::string::npos);
}

TEST_F(CsvReaderTest, BadValueNamesFileLineColumnAndValue) {
  std::string content = "ts,tag,value\n";
  for (int i = 0; i < 1040; ++i) content += "2024-01-01 00:00:00,a,1.5\n";
  content += "2024-01-01 00:00:00,a,\"12,5\"\n";
  std::string path = Write("sensors.csv", content);
  CsvOptions options;
  options.target_schema = SensorSchema();
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok());
  Status st = ReadUntilError(reader->get());
  ASSERT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), path + " line 1042, column 3 (\"value\"): \"12,5\" is not a DOUBLE");
}

TEST_F(CsvReaderTest, LineNumbersCountQuotedNewlines) {
  std::string path = Write("lines.csv", "a,b\n\"x\ny\",1\nz,oops\n");
  CsvOptions options;
  options.target_schema = Schema{{{"a", TypeId::kVarchar}, {"b", TypeId::kBigint}}};
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok());
  Status st = ReadUntilError(reader->get());
  EXPECT_NE(st.message().find("line 4, column 2 (\"b\"): \"oops\" is not a BIGINT"),
            std::string::npos)
      << st.message();
}

TEST_F(CsvReaderTest, WrongColumnCountIsAnError) {
  std::string path = Write("short.csv", "a,b\n1,2\n3\n");
  auto reader = CsvReader::Open(path, CsvOptions{});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("line 3: expected 2 columns but found 1"),
            std::string::npos)
      << reader.status().message();
}

TEST_F(CsvReaderTest, UnterminatedQuoteIsAnError) {
  std::string path = Write("open.csv", "a\n\"never closed\n");
  auto reader = CsvReader::Open(path, CsvOptions{});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("unterminated quoted field"), std::string::npos);
}

TEST_F(CsvReaderTest, StrictNumbersRejectTrailingText) {
  std::string path = Write("strict.csv", "n\n12abc\n");
  CsvOptions options;
  options.target_schema = Schema{{{"n", TypeId::kBigint}}};
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok());
  Status st = ReadUntilError(reader->get());
  EXPECT_NE(st.message().find("\"12abc\" is not a BIGINT"), std::string::npos) << st.message();
}

TEST_F(CsvReaderTest, IntegerOverflowIsAnError) {
  std::string path = Write("overflow.csv", "n\n3000000000\n");
  CsvOptions options;
  options.target_schema = Schema{{{"n", TypeId::kInteger}}};
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok());
  Status st = ReadUntilError(reader->get());
  EXPECT_NE(st.message().find("is not an INTEGER"), std::string::npos) << st.message();
}

TEST_F(CsvReaderTest, LastLineWithoutNewlineIsRead) {
  std::string path = Write("noeol.csv", "a,b\n1,2\n3,");
  auto reader = CsvReader::Open(path, CsvOptions{});
  ASSERT_TRUE(reader.ok());
  auto chunks = ReadAll(reader->get());
  ASSERT_EQ(chunks[0].size(), 2u);
  EXPECT_EQ(chunks[0].columns[0].ints[1], 3);
  EXPECT_TRUE(chunks[0].columns[1].IsNull(1));
}

TEST_F(CsvReaderTest, EmptyFileWithoutSchemaIsAnError) {
  std::string path = Write("empty_file.csv", "");
  auto reader = CsvReader::Open(path, CsvOptions{});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("is empty"), std::string::npos);
}

TEST_F(CsvReaderTest, LargeFileStreamsAcrossSmallBlocksInChunks) {
  // A tiny block size forces records (some with quoted newlines and
  // escaped quotes) to straddle block boundaries many times.
  constexpr int kRows = 10000;
  std::string path = (dir_ / "big.csv").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << "ts,tag,value\r\n";
    for (int i = 0; i < kRows; ++i) {
      out << FormatTimestamp(int64_t{1704067200} * kMicrosPerSecond + i * kMicrosPerSecond) << ","
          << (i % 7 == 0 ? "\"tag \"\"q\"\"\n" + std::to_string(i % 5) + "\"" : "t" + std::to_string(i % 5))
          << "," << i << ".25\r\n";
    }
  }
  CsvOptions options;
  options.block_size = 64;
  options.target_schema = SensorSchema();
  auto reader = CsvReader::Open(path, options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  int64_t rows = 0;
  double sum = 0;
  for (;;) {
    DataChunk chunk;
    Result<bool> more = (*reader)->Next(&chunk);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    ASSERT_LE(chunk.size(), kVectorSize);
    for (size_t r = 0; r < chunk.size(); ++r) {
      int64_t i = rows + static_cast<int64_t>(r);
      ASSERT_EQ(chunk.columns[0].ints[r], int64_t{1704067200} * kMicrosPerSecond + i * kMicrosPerSecond);
      std::string expected_tag = i % 7 == 0 ? "tag \"q\"\n" + std::to_string(i % 5) : "t" + std::to_string(i % 5);
      ASSERT_EQ(chunk.columns[1].strings[r], expected_tag) << "row " << i;
      sum += chunk.columns[2].doubles[r];
    }
    rows += static_cast<int64_t>(chunk.size());
  }
  EXPECT_EQ(rows, kRows);
  EXPECT_DOUBLE_EQ(sum, (kRows - 1) * kRows / 2.0 + 0.25 * kRows);
}

TEST_F(CsvReaderTest, DuplicateHeaderNamesGetSuffixes) {
  std::string path = Write("dup.csv", "v,v,\n1,2,3\n");
  auto reader = CsvReader::Open(path, CsvOptions{});
  ASSERT_TRUE(reader.ok());
  const Schema& s = (*reader)->schema();
  EXPECT_EQ(s.fields[0].name, "v");
  EXPECT_EQ(s.fields[1].name, "v_1");
  EXPECT_EQ(s.fields[2].name, "column2");
}

TEST_F(CsvReaderTest, ArbitraryBytesGiveRowsOrAnErrorNeverACrash) {
  // Deterministic pseudo-random files over the characters that matter to
  // the parser, read with tiny blocks so every state meets a block end.
  const char kAlphabet[] = {',', '"', '\n', '\r', 'a', '1', '.', ' ', '-', 't', '\xEF', '\0'};
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&state]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int file = 0; file < 300; ++file) {
    std::string content;
    size_t len = next() % 200;
    for (size_t i = 0; i < len; ++i) content += kAlphabet[next() % sizeof kAlphabet];
    std::string path = Write("fuzz.csv", content);
    for (bool with_schema : {false, true}) {
      CsvOptions options;
      options.block_size = 16 + file % 7;
      options.header = file % 2 == 0;
      if (with_schema) {
        options.target_schema = Schema{{{"a", TypeId::kVarchar}, {"b", TypeId::kDouble}}};
      }
      auto reader = CsvReader::Open(path, options);
      if (!reader.ok()) {
        EXPECT_FALSE(reader.status().message().empty());
        continue;
      }
      Status st = ReadUntilError(reader->get());
      if (!st.ok()) {
        EXPECT_NE(st.message().find("fuzz.csv"), std::string::npos) << st.message();
      }
    }
  }
}

// OpenStream: bytes from a callback instead of a file (COPY FROM STDIN over
// the wire). Handed over one byte per call, records, quoted newlines and
// the header still come out whole; a callback that gives up (-1) is an
// I/O error naming the stream.
TEST_F(CsvReaderTest, StreamReadsBytesFromACallbackCutAnywhere) {
  const std::string data =
      "ts,tag,value\r\n2024-01-01 00:00:00,\"a,\n\"\"b\"\"\",1.5\n2024-01-01 00:00:01,c,2\n";
  size_t pos = 0;
  CsvOptions options;
  options.target_schema = SensorSchema();
  options.block_size = 16;
  auto reader = CsvReader::OpenStream("STDIN", options, [&](char* buffer, size_t capacity) -> int64_t {
    if (pos == data.size() || capacity == 0) return 0;
    buffer[0] = data[pos++];
    return 1;
  });
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<DataChunk> chunks = ReadAll(reader->get());
  ASSERT_EQ(chunks.size(), 1u);
  ASSERT_EQ(chunks[0].size(), 2u);
  EXPECT_EQ(chunks[0].columns[1].strings[0], "a,\n\"b\"");
  EXPECT_EQ(chunks[0].columns[2].doubles[1], 2.0);
  EXPECT_EQ((*reader)->bytes_total(), -1);

  size_t given = 0;
  auto failing = CsvReader::OpenStream("STDIN", options, [&](char* buffer, size_t capacity) -> int64_t {
    if (given > 0) return -1;  // the client went away
    const std::string first = "ts,tag,value\n2024-01-01 00:00:00,a,1\n2024-01-";
    given = std::min(capacity, first.size());
    std::memcpy(buffer, first.data(), given);
    return static_cast<int64_t>(given);
  });
  ASSERT_TRUE(failing.ok()) << failing.status().ToString();
  Status st = ReadUntilError(failing->get());
  EXPECT_EQ(st.code(), StatusCode::kIOError) << st.ToString();
  EXPECT_NE(st.message().find("STDIN"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace tsl
