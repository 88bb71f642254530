// Helpers shared by the reliability tests: a temporary directory removed on
// destruction, a small (ts, tag, v) schema with chunk builders, a content
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

namespace tsl::reliability {

class TempDir {
 public:
  TempDir() {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "tslake-reliability-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    EXPECT_NE(p, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline Schema MetricSchema() {
  return Schema{{{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}, {"v", TypeId::kDouble}}};
}

// Rows ts = start + i seconds, tag = "t<i % 3>", v = v0 + i, for i in [0, n).
inline DataChunk MetricChunk(int64_t start_micros, int n, double v0 = 0) {
  DataChunk c;
  c.Initialize({TypeId::kTimestamp, TypeId::kVarchar, TypeId::kDouble});
  for (int i = 0; i < n; ++i) {
    c.columns[0].AppendInt(start_micros + int64_t{i} * 1000000);
    c.columns[1].AppendString("t" + std::to_string(i % 3));
    c.columns[2].AppendDouble(v0 + i);
  }
  return c;
}

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
