// RowValidator and ConvertExactly (issue 23 items 3 and 7): values that
// would make a flush fail are refused when appended, and the appender's
// conversions keep values exactly or refuse them.
#include "ingest/row_validator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace tsl {
namespace {

TEST(ConvertExactlyTest, RefusesEveryLossyConversion) {
  EXPECT_FALSE(ConvertExactly(Value::Double(1.5), TypeId::kInteger).ok());
  EXPECT_FALSE(ConvertExactly(Value::Double(1.5), TypeId::kBigint).ok());
  EXPECT_FALSE(ConvertExactly(Value::Double(1e300), TypeId::kBigint).ok());
  EXPECT_FALSE(ConvertExactly(Value::Double(std::nan("")), TypeId::kInteger).ok());
  EXPECT_FALSE(ConvertExactly(Value::Double(9223372036854775808.0), TypeId::kBigint).ok());
  EXPECT_FALSE(ConvertExactly(Value::Bigint((int64_t{1} << 53) + 1), TypeId::kDouble).ok());
  EXPECT_FALSE(ConvertExactly(Value::Bigint(std::numeric_limits<int64_t>::max()), TypeId::kDouble).ok());
  EXPECT_FALSE(ConvertExactly(Value::Varchar("1.5"), TypeId::kInteger).ok());
  EXPECT_FALSE(ConvertExactly(Value::Varchar("1e3"), TypeId::kBigint).ok());
  EXPECT_FALSE(ConvertExactly(Value::Varchar(""), TypeId::kBigint).ok());
  EXPECT_FALSE(ConvertExactly(Value::Double(0.5), TypeId::kBoolean).ok());
  EXPECT_FALSE(ConvertExactly(Value::Bigint(2), TypeId::kBoolean).ok());
  EXPECT_FALSE(ConvertExactly(Value::Bigint(int64_t{1} << 40), TypeId::kInteger).ok());
}

TEST(ConvertExactlyTest, TakesExactConversions) {
  EXPECT_EQ(ConvertExactly(Value::Double(2.0), TypeId::kInteger)->int_value(), 2);
  EXPECT_EQ(ConvertExactly(Value::Double(-4.0), TypeId::kBigint)->int_value(), -4);
  EXPECT_EQ(ConvertExactly(Value::Bigint(int64_t{1} << 53), TypeId::kDouble)->double_value(),
            9007199254740992.0);
  EXPECT_EQ(ConvertExactly(Value::Varchar(" 12 "), TypeId::kInteger)->int_value(), 12);
  EXPECT_EQ(ConvertExactly(Value::Varchar("+7"), TypeId::kBigint)->int_value(), 7);
  EXPECT_EQ(ConvertExactly(Value::Double(1.0), TypeId::kBoolean)->int_value(), 1);
  EXPECT_EQ(ConvertExactly(Value::Bigint(0), TypeId::kBoolean)->int_value(), 0);
  EXPECT_EQ(ConvertExactly(Value::Varchar("2024-01-01"), TypeId::kTimestamp)->int_value(),
            1704067200000000);
  EXPECT_TRUE(ConvertExactly(Value::Null(TypeId::kDouble), TypeId::kInteger)->is_null());
}

TEST(IsValidUtf8Test, AcceptsWellFormedAndRefusesMalformedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("pump \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}

TEST(RowValidatorTest, RefusesTimestampsOutsideTheRangeOrWithoutAPartition) {
  Schema schema;
  schema.fields = {Field{"ts", TypeId::kTimestamp}, Field{"tag", TypeId::kVarchar}};
  Result<PartitionSpec> day = PartitionSpec::Parse("day(ts)", schema);
  ASSERT_TRUE(day.ok());
  RowValidator partitioned(schema, *day);
  RowValidator plain(schema, PartitionSpec());
  EXPECT_TRUE(partitioned.CheckValue(0, Value::Timestamp(1704067200000000)).ok());
  EXPECT_TRUE(partitioned.CheckValue(0, Value::Timestamp(1704067200000001)).ok());  // cached range
  // Partition names use signed expanded years (storage/partition_spec.h),
  // so every supported timestamp, the year 10000 too, has a partition.
  EXPECT_TRUE(partitioned.CheckValue(0, Value::Timestamp(253402300800000000)).ok());
  for (int64_t t : {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
    Status st = partitioned.CheckValue(0, Value::Timestamp(t));
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << t;
    EXPECT_NE(st.message().find("\"ts\""), std::string::npos) << st.message();
  }
  // A plain table takes the year 10000 but not DuckDB's infinities.
  EXPECT_TRUE(plain.CheckValue(0, Value::Timestamp(253402300800000000)).ok());
  EXPECT_FALSE(plain.CheckValue(0, Value::Timestamp(std::numeric_limits<int64_t>::max())).ok());
  EXPECT_FALSE(plain.CheckValue(1, Value::Varchar("\xff")).ok());
  EXPECT_TRUE(plain.CheckValue(1, Value::Null(TypeId::kVarchar)).ok());

  DataChunk chunk;
  chunk.Initialize({TypeId::kTimestamp, TypeId::kVarchar});
  chunk.columns[0].AppendValue(Value::Timestamp(1704067200000000));
  chunk.columns[1].AppendValue(Value::Varchar("a"));
  EXPECT_TRUE(partitioned.CheckChunk(chunk).ok());
  chunk.columns[0].AppendValue(Value::Timestamp(std::numeric_limits<int64_t>::max()));
  chunk.columns[1].AppendValue(Value::Varchar("b"));
  Status st = partitioned.CheckChunk(chunk);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("row 1"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace tsl
