// PartitionedWriter with VARCHAR columns in dictionary form (as COPY's CSV
// reader makes them): the sort orders rows exactly as it orders the same
// values held as strings, and the writer produces byte-identical segment
// files (same rows per file, same order, same zone maps) whether the chunks
// come as strings, in dictionary form, or mixed - unpartitioned and
// partitioned by day, with NULL tags and chunks moved or copied.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "storage/env.h"
#include "storage/partitioned_writer.h"

namespace tsl {
namespace {

const Schema& TestSchema() {
  static const Schema s{{{"tag", TypeId::kVarchar}, {"ts", TypeId::kTimestamp}, {"value", TypeId::kDouble}}};
  return s;
}

// rows [begin, end) of a time-major stream over `tags` tags, ~5% NULL tags.
DataChunk StringRows(int64_t begin, int64_t end, int tags) {
  DataChunk c;
  c.Initialize({TypeId::kVarchar, TypeId::kTimestamp, TypeId::kDouble});
  for (int64_t r = begin; r < end; ++r) {
    const int tag = static_cast<int>(r % tags);
    if ((r * 7919) % 20 == 3) c.columns[0].AppendNull();
    else c.columns[0].AppendString("Plant1/Unit" + std::to_string(tag % 4) + "/TT-" + std::to_string(tag) + ".PV");
    // 6 hours apart per 1000 rows, so a day partition holds ~4000 rows.
    c.columns[1].AppendInt((r / tags) * 21600000000LL / (1000 / tags + 1) + r % 3);
    c.columns[2].AppendDouble(static_cast<double>(r));
  }
  return c;
}

// The same chunk with column 0 in dictionary form; the dictionary is in a
// scrambled order with an unused entry.
DataChunk ToDictionary(const DataChunk& in, uint32_t seed) {
  DataChunk c = in;
  ColumnVector& col = c.columns[0];
  std::vector<std::string> distinct;
  for (size_t i = 0; i < col.size(); ++i)
    if (col.valid[i]) distinct.push_back(col.strings[i]);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  distinct.push_back("unused");
  std::shuffle(distinct.begin(), distinct.end(), std::mt19937(seed));
  std::map<std::string, uint32_t> code;
  for (uint32_t k = 0; k < distinct.size(); ++k) code[distinct[k]] = k;
  for (size_t i = 0; i < col.size(); ++i) col.codes.push_back(col.valid[i] ? code[col.strings[i]] : 0);
  col.strings.clear();
  col.dictionary = distinct;
  col.dictionary_form = true;
  return c;
}

TEST(PartitionedWriterDictionaryTest, SortsLikeStrings) {
  for (int tags : {1, 7, 300}) {
    const DataChunk strings = StringRows(0, 3000, tags);
    for (const std::vector<int>& key : {std::vector<int>{0, 1}, {1, 0}, {0}, {1}}) {
      DataChunk a = strings;
      DataChunk b = ToDictionary(strings, 5);
      PartitionedWriter::SortInPlace(&a, key);
      PartitionedWriter::SortInPlace(&b, key);
      b.columns[0].MaterializeStrings();
      EXPECT_EQ(a.columns[0].strings, b.columns[0].strings);
      EXPECT_EQ(a.columns[0].valid, b.columns[0].valid);
      EXPECT_EQ(a.columns[2].doubles, b.columns[2].doubles);  // same permutation, stable
    }
  }
}

// Writes rows [0, n) in chunks of `chunk_rows`; `form(k)` picks chunk k's
// form: 0 strings, 1 dictionary (moved), 2 dictionary (copied). Returns
// the files' contents in the order written.
std::vector<std::string> WriteAll(Env* env, const std::string& dir, const std::string& partition_by, int64_t n,
                                  int64_t chunk_rows, int tags, int (*form)(int64_t)) {
  std::map<std::string, std::string> config = {{"target_segment_rows", "2500"}};
  if (!partition_by.empty()) config["partition_by"] = partition_by;
  Result<TableProperties> props = TableProperties::Parse(config, TestSchema());
  EXPECT_TRUE(props.ok()) << props.status().ToString();
  EXPECT_TRUE(env->CreateDirIfMissing(dir).ok());
  PartitionedWriter w(env, dir, TestSchema(), *props, true);
  for (int64_t b = 0, k = 0; b < n; b += chunk_rows, ++k) {
    DataChunk c = StringRows(b, std::min(n, b + chunk_rows), tags);
    const int f = form(k);
    if (f == 0) {
      EXPECT_TRUE(w.Append(std::move(c)).ok());
    } else if (f == 1) {
      EXPECT_TRUE(w.Append(ToDictionary(c, static_cast<uint32_t>(k))).ok());
    } else {
      const DataChunk d = ToDictionary(c, static_cast<uint32_t>(k));
      EXPECT_TRUE(w.Append(d).ok());
    }
  }
  EXPECT_TRUE(w.Finish().ok());
  std::vector<std::string> files;
  for (const AddAction& add : w.written()) {
    Result<std::string> bytes = env->ReadFileToString(JoinPath(dir, add.path));
    EXPECT_TRUE(bytes.ok());
    files.push_back(add.path.substr(0, add.path.rfind('/') + 1) + ":" + (bytes.ok() ? *bytes : ""));
  }
  return files;
}

TEST(PartitionedWriterDictionaryTest, SameSegmentsAsStrings) {
  std::unique_ptr<Env> env = NewMemEnv();
  int dir = 0;
  for (const std::string partition_by : {"", "day(ts)"}) {
    for (int tags : {1, 9, 700}) {
      for (int64_t chunk_rows : {int64_t{1}, int64_t{333}, int64_t{2048}, int64_t{5000}}) {
        SCOPED_TRACE(partition_by + " tags=" + std::to_string(tags) + " chunk=" + std::to_string(chunk_rows));
        const int64_t n = chunk_rows == 1 ? 600 : 9000;
        auto strings = WriteAll(env.get(), "/t" + std::to_string(dir++), partition_by, n, chunk_rows, tags,
                                [](int64_t) { return 0; });
        auto dict = WriteAll(env.get(), "/t" + std::to_string(dir++), partition_by, n, chunk_rows, tags,
                             [](int64_t) { return 1; });
        auto mixed = WriteAll(env.get(), "/t" + std::to_string(dir++), partition_by, n, chunk_rows, tags,
                              [](int64_t k) { return static_cast<int>(k % 3); });
        auto string_first = WriteAll(env.get(), "/t" + std::to_string(dir++), partition_by, n, chunk_rows, tags,
                                     [](int64_t k) { return k % 2 == 0 ? 0 : 1; });
        ASSERT_FALSE(strings.empty());
        EXPECT_TRUE(strings == dict);
        EXPECT_TRUE(strings == mixed);
        EXPECT_TRUE(strings == string_first);
      }
    }
  }
}

}  // namespace
}  // namespace tsl
