// Helpers shared by the segment tests: compare a decoded segment with the
// chunk that was written (bitwise for doubles, so NaN and -0.0 count).
#pragma once

#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "formats/byte_source.h"
#include "formats/column_vector.h"
#include "formats/segment_reader.h"

namespace tsl {

inline bool SameColumn(const ColumnVector& a, const ColumnVector& b) {
  if (a.type != b.type || a.size() != b.size()) return false;
  for (size_t r = 0; r < a.size(); ++r) {
    if (a.valid[r] != b.valid[r]) return false;
    if (!a.valid[r]) continue;
    switch (PhysicalClassOf(a.type)) {
      case PhysicalClass::kInt64:
        if (a.ints[r] != b.ints[r]) return false;
        break;
      case PhysicalClass::kDouble:
        if (std::memcmp(&a.doubles[r], &b.doubles[r], 8) != 0) return false;
        break;
      case PhysicalClass::kString:
        if (a.strings[r] != b.strings[r]) return false;
        break;
    }
  }
  return true;
}

inline void ExpectSegmentHolds(const std::string& bytes, const Schema& schema, const DataChunk& want) {
  StringByteSource src(bytes, "test.seg");
  auto r = SegmentReader::Open(&src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->schema(), schema);
  EXPECT_EQ((*r)->row_count(), static_cast<int64_t>(want.size()));
  for (size_t i = 0; i < schema.size(); ++i) {
    ColumnVector got;
    Status st = (*r)->ReadColumn(static_cast<int>(i), &got);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_TRUE(SameColumn(got, want.columns[i])) << "column " << schema.fields[i].name;
  }
}

}  // namespace tsl
