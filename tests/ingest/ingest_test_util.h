// Helpers shared by the ingest tests: a temporary directory removed on
// destruction, file writing, and reading a whole table back.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "storage/table.h"

namespace tsl::testing {

class IngestTempDir {
 public:
  IngestTempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tslake-ingest-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    EXPECT_NE(p, nullptr);
    path_ = tmpl;
  }
  ~IngestTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& content) const {
    std::string p = path_ + "/" + name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::string path_;
};

// Every row of the table's latest version, all columns, as one chunk.
inline DataChunk ReadTable(Table& table) {
  DataChunk all;
  auto snap = table.GetSnapshot();
  EXPECT_TRUE(snap.ok()) << snap.status().ToString();
  if (!snap.ok()) return all;
  ScanOptions opts;
  std::vector<TypeId> types;
  for (size_t i = 0; i < (*snap)->schema().size(); ++i) {
    opts.columns.push_back(static_cast<int>(i));
    types.push_back((*snap)->schema().fields[i].type);
  }
  all.Initialize(types);
  auto scan = table.NewScan(*snap, opts);
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  if (!scan.ok()) return all;
  DataChunk chunk;
  for (;;) {
    auto more = (*scan)->Next(&chunk);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    for (size_t c = 0; c < chunk.column_count(); ++c)
      all.columns[c].AppendRange(chunk.columns[c], 0, chunk.size());
  }
  return all;
}

// Drains a ChunkSource into one chunk; fails the test on error.
inline DataChunk ReadAll(ChunkSource* source) {
  DataChunk all;
  std::vector<TypeId> types;
  for (const Field& f : source->schema().fields) types.push_back(f.type);
  all.Initialize(types);
  DataChunk chunk;
  for (;;) {
    auto more = source->Next(&chunk);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    for (size_t c = 0; c < chunk.column_count(); ++c)
      all.columns[c].AppendRange(chunk.columns[c], 0, chunk.size());
  }
  return all;
}

}  // namespace tsl::testing
