// ColumnVector / DataChunk behaviour (formats/column_vector.h) and zone maps
// (formats/segment_stats.h).
#include "formats/column_vector.h"

#include <cmath>

#include <gtest/gtest.h>

#include "formats/segment_stats.h"

namespace tsl {
namespace {

TEST(ColumnVectorTest, AppendsKeepArraysRowAligned) {
  ColumnVector c(TypeId::kBigint);
  c.AppendInt(5);
  c.AppendNull();
  c.AppendValue(Value::Bigint(7));
  c.AppendValue(Value::Null(TypeId::kBigint));
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c.ints.size(), 4u);
  EXPECT_TRUE(c.IsNull(1));
  EXPECT_EQ(c.GetValue(2), Value::Bigint(7));
  EXPECT_TRUE(c.GetValue(3).is_null());
  EXPECT_EQ(c.GetValue(3).type(), TypeId::kBigint);
}

TEST(ColumnVectorTest, RangeSelectionResizeAndClear) {
  ColumnVector s(TypeId::kVarchar);
  for (const char* v : {"a", "b", "c", "d"}) s.AppendString(v);
  ColumnVector r(TypeId::kVarchar);
  r.AppendRange(s, 1, 3);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r.strings[0], "b");
  r.AppendSelection(s, {3, 0});
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r.GetValue(2).string_value(), "d");
  EXPECT_EQ(r.GetValue(3).string_value(), "a");
  r.Resize(6);
  EXPECT_EQ(r.strings.size(), 6u);
  EXPECT_TRUE(r.IsNull(5));
  r.Clear();
  EXPECT_EQ(r.size(), 0u);
  EXPECT_EQ(r.type, TypeId::kVarchar);
}

TEST(DataChunkTest, InitializeAndResetKeepTypes) {
  DataChunk chunk;
  chunk.Initialize({TypeId::kTimestamp, TypeId::kDouble});
  EXPECT_EQ(chunk.column_count(), 2u);
  chunk.columns[0].AppendInt(1);
  chunk.columns[1].AppendDouble(2.0);
  EXPECT_EQ(chunk.size(), 1u);
  chunk.Reset();
  EXPECT_EQ(chunk.size(), 0u);
  EXPECT_EQ(chunk.columns[1].type, TypeId::kDouble);
}

TEST(ZoneMapTest, TracksMinMaxNullsAcrossUpdates) {
  ZoneMap z;
  ColumnVector c(TypeId::kDouble);
  c.AppendDouble(3.5);
  c.AppendNull();
  c.AppendDouble(-1.0);
  z.Update(c);
  ColumnVector d(TypeId::kDouble);
  d.AppendDouble(10.0);
  z.Update(d);
  EXPECT_EQ(z.row_count, 4);
  EXPECT_EQ(z.null_count, 1);
  EXPECT_EQ(z.min, Value::Double(-1.0));
  EXPECT_EQ(z.max, Value::Double(10.0));
}

TEST(ZoneMapTest, NanIsTheMaximum) {
  ZoneMap z;
  ColumnVector c(TypeId::kDouble);
  c.AppendDouble(std::nan(""));
  c.AppendDouble(1.0);
  z.Update(c);
  EXPECT_EQ(z.min, Value::Double(1.0));
  EXPECT_TRUE(std::isnan(z.max.double_value()));
}

TEST(ZoneMapTest, MayContainRangePrunesOnlyWhenProvablyEmpty) {
  ZoneMap z;
  ColumnVector c(TypeId::kBigint);
  for (int64_t v : {10, 20, 30}) c.AppendInt(v);
  z.Update(c);
  EXPECT_TRUE(z.MayContainRange(Value::Bigint(15), Value::Bigint(16)));
  EXPECT_TRUE(z.MayContainRange(Value(), Value::Bigint(10)));
  EXPECT_TRUE(z.MayContainRange(Value::Double(29.5), Value()));
  EXPECT_FALSE(z.MayContainRange(Value::Bigint(31), Value()));
  EXPECT_FALSE(z.MayContainRange(Value(), Value::Double(9.99)));
  EXPECT_TRUE(z.MayContainRange(Value::Varchar("x"), Value()));  // incomparable: keep

  ZoneMap all_null;
  ColumnVector n(TypeId::kVarchar);
  n.AppendNull();
  all_null.Update(n);
  EXPECT_FALSE(all_null.MayContainRange(Value(), Value()));
  EXPECT_TRUE(ZoneMap().MayContainRange(Value::Bigint(1), Value()));  // unknown stats
}

TEST(ZoneMapTest, StringsAndTimestampsKeepTheirType) {
  ZoneMap z;
  ColumnVector c(TypeId::kVarchar);
  for (const char* v : {"pump2", "pump10", "boiler"}) c.AppendString(v);
  z.Update(c);
  EXPECT_EQ(z.min.string_value(), "boiler");
  EXPECT_EQ(z.max.string_value(), "pump2");
  ZoneMap t;
  ColumnVector ts(TypeId::kTimestamp);
  ts.AppendInt(5);
  t.Update(ts);
  EXPECT_EQ(t.min.type(), TypeId::kTimestamp);
}

}  // namespace
}  // namespace tsl
