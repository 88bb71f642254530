// Helpers shared by the storage tests: a real temporary directory removed
// on destruction, and small chunk builders for a (ts, tag, v) schema.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "formats/column_vector.h"
#include "formats/types.h"

namespace tsl::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tslake-storage-XXXXXX").string();
    char* p = ::mkdtemp(tmpl.data());
    EXPECT_NE(p, nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline Schema MetricSchema() {
  return Schema{{{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}, {"v", TypeId::kDouble}}};
}

// Rows ts = start + i seconds, tag = "t<i % 3>", v = i, for i in [0, n).
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

}  // namespace tsl::testing
