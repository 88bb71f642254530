// Helpers shared by the reliability tests: the storage tests' temporary
// directory and (ts, tag, v) chunk builders, a content
// fingerprint of a table version, and a listing of every file's bytes and
// mtime (to prove a read-only open wrote nothing).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "formats/column_vector.h"
#include "formats/types.h"
#include "storage/table.h"
#include "tests/storage/storage_test_util.h"

namespace tsl::reliability {

// The temporary directory and (ts, tag, v) chunk builders are the storage
// tests' own; one definition serves both suites.
using tsl::testing::MetricChunk;
using tsl::testing::MetricSchema;
using tsl::testing::TempDir;

// Every row of `snapshot` as "ts|tag|v", sorted: equal fingerprints mean
// equal table contents. Fails the test (and returns what it read) when the
// scan errors.
inline std::vector<std::string> Fingerprint(const Table& table,
                                            std::shared_ptr<const Snapshot> snapshot) {
  std::vector<std::string> rows;
  auto scan = table.NewScan(snapshot, {});
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  if (!scan.ok()) return rows;
  DataChunk chunk;
  while (true) {
    Result<bool> more = (*scan)->Next(&chunk);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    for (size_t r = 0; r < chunk.size(); ++r) {
      std::string row;
      for (size_t c = 0; c < chunk.columns.size(); ++c) {
        if (c) row += '|';
        row += chunk.columns[c].GetValue(r).ToString();
      }
      rows.push_back(std::move(row));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Path (relative to `root`) -> bytes and mtime of every regular file and
// directory under `root`: equal listings mean nothing was written.
inline std::map<std::string, std::string> ListingWithContent(const std::string& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    struct stat st;
    if (::lstat(e.path().c_str(), &st) != 0) continue;
    std::string rel = std::filesystem::relative(e.path(), root).string();
    std::string entry = "mode=" + std::to_string(st.st_mode) +
                        " mtime=" + std::to_string(st.st_mtim.tv_sec) + "." +
                        std::to_string(st.st_mtim.tv_nsec);
    if (e.is_regular_file()) {
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      entry += " bytes=" + ss.str();
    }
    out[rel] = std::move(entry);
  }
  return out;
}

}  // namespace tsl::reliability
