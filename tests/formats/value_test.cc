// Value text, casts and ordering (formats/value.h), checked against DuckDB's
// printed output.
#include "formats/value.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "formats/timestamp.h"

namespace tsl {
namespace {

TEST(FormatDoubleTest, ShortestRoundTripWithDotZeroForIntegral) {
  EXPECT_EQ(FormatDouble(2.5), "2.5");
  EXPECT_EQ(FormatDouble(1.0), "1.0");
  EXPECT_EQ(FormatDouble(0.1), "0.1");
  EXPECT_EQ(FormatDouble(1e20), "1e+20");
  EXPECT_EQ(FormatDouble(1e16), "1e+16");
  EXPECT_EQ(FormatDouble(1e15), "1000000000000000.0");
  EXPECT_EQ(FormatDouble(0.0001), "0.0001");
  EXPECT_EQ(FormatDouble(0.00001), "1e-05");
  EXPECT_EQ(FormatDouble(1.5e-7), "1.5e-07");
  EXPECT_EQ(FormatDouble(-0.0), "-0.0");
  EXPECT_EQ(FormatDouble(0.0), "0.0");
  EXPECT_EQ(FormatDouble(-12.75), "-12.75");
  EXPECT_EQ(FormatDouble(123456.789), "123456.789");
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(FormatDouble(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(FormatDouble(std::nan("")), "nan");
  EXPECT_EQ(FormatDouble(0.30000000000000004), "0.30000000000000004");
}

TEST(ValueTest, ToStringFollowsDuckDb) {
  EXPECT_EQ(Value().ToString(), "NULL");
  EXPECT_EQ(Value::Null(TypeId::kBigint).ToString(), "NULL");
  EXPECT_EQ(Value::Boolean(true).ToString(), "true");
  EXPECT_EQ(Value::Boolean(false).ToString(), "false");
  EXPECT_EQ(Value::Integer(-7).ToString(), "-7");
  EXPECT_EQ(Value::Bigint(std::numeric_limits<int64_t>::min()).ToString(), "-9223372036854775808");
  EXPECT_EQ(Value::Double(3.0).ToString(), "3.0");
  EXPECT_EQ(Value::Varchar("pump1").ToString(), "pump1");
  EXPECT_EQ(Value::Timestamp(*ParseTimestamp("2024-01-01 00:00:00.5")).ToString(), "2024-01-01 00:00:00.5");
  EXPECT_EQ(Value::Interval(kMicrosPerDay + 2 * kMicrosPerHour).ToString(), "1 day 02:00:00");
}

TEST(ValueCastTest, VarcharParsesNumbersTrimmed) {
  EXPECT_EQ(Value::Varchar(" 42 ").CastTo(TypeId::kInteger)->int_value(), 42);
  EXPECT_EQ(Value::Varchar("-9223372036854775808").CastTo(TypeId::kBigint)->int_value(),
            std::numeric_limits<int64_t>::min());
  EXPECT_EQ(Value::Varchar("+7").CastTo(TypeId::kBigint)->int_value(), 7);
  EXPECT_EQ(Value::Varchar("2.5").CastTo(TypeId::kInteger)->int_value(), 3);
  EXPECT_DOUBLE_EQ(Value::Varchar(" 2.25").CastTo(TypeId::kDouble)->double_value(), 2.25);
  EXPECT_TRUE(std::isinf(Value::Varchar("inf").CastTo(TypeId::kDouble)->double_value()));
  EXPECT_TRUE(std::isnan(Value::Varchar("NaN").CastTo(TypeId::kDouble)->double_value()));
}

TEST(ValueCastTest, BadStringNamesValueAndBothTypes) {
  auto r = Value::Varchar("abc").CastTo(TypeId::kInteger);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("Could not convert string 'abc' to INT32"), std::string::npos);
  EXPECT_NE(r.status().message().find("VARCHAR"), std::string::npos);
  EXPECT_NE(r.status().message().find("INTEGER"), std::string::npos);
  EXPECT_FALSE(Value::Varchar("12x").CastTo(TypeId::kDouble).ok());
  EXPECT_FALSE(Value::Varchar("").CastTo(TypeId::kBigint).ok());
  EXPECT_FALSE(Value::Varchar("99999999999999999999").CastTo(TypeId::kBigint).ok());
  EXPECT_FALSE(Value::Varchar("3000000000").CastTo(TypeId::kInteger).ok());
}

TEST(ValueCastTest, DoubleToIntegerRoundsHalfAwayFromZero) {
  EXPECT_EQ(Value::Double(2.5).CastTo(TypeId::kInteger)->int_value(), 3);
  EXPECT_EQ(Value::Double(-2.5).CastTo(TypeId::kBigint)->int_value(), -3);
  EXPECT_EQ(Value::Double(2.4999).CastTo(TypeId::kBigint)->int_value(), 2);
  EXPECT_FALSE(Value::Double(1e19).CastTo(TypeId::kBigint).ok());
  EXPECT_FALSE(Value::Double(3e9).CastTo(TypeId::kInteger).ok());
  EXPECT_FALSE(Value::Double(std::nan("")).CastTo(TypeId::kBigint).ok());
  EXPECT_FALSE(Value::Bigint(int64_t{1} << 40).CastTo(TypeId::kInteger).ok());
}

TEST(ValueCastTest, BooleanAndTimestampFromText) {
  for (const char* t : {"true", "T", "1", " TRUE "}) EXPECT_TRUE(Value::Varchar(t).CastTo(TypeId::kBoolean)->bool_value());
  for (const char* f : {"false", "f", "0"}) EXPECT_FALSE(Value::Varchar(f).CastTo(TypeId::kBoolean)->bool_value());
  EXPECT_FALSE(Value::Varchar("maybe").CastTo(TypeId::kBoolean).ok());
  auto ts = Value::Varchar("2024-01-01T00:00:00Z").CastTo(TypeId::kTimestamp);
  ASSERT_TRUE(ts.ok());
  EXPECT_EQ(ts->ToString(), "2024-01-01 00:00:00");
  EXPECT_FALSE(Value::Varchar("2024-02-30").CastTo(TypeId::kTimestamp).ok());
}

TEST(ValueCastTest, AnythingToVarcharIsToStringAndNullStaysNull) {
  EXPECT_EQ(Value::Double(1.0).CastTo(TypeId::kVarchar)->string_value(), "1.0");
  EXPECT_EQ(Value::Boolean(true).CastTo(TypeId::kVarchar)->string_value(), "true");
  auto n = Value::Null(TypeId::kVarchar).CastTo(TypeId::kBigint);
  ASSERT_TRUE(n.ok());
  EXPECT_TRUE(n->is_null());
  EXPECT_EQ(n->type(), TypeId::kBigint);
  EXPECT_DOUBLE_EQ(Value::Integer(3).CastTo(TypeId::kDouble)->double_value(), 3.0);
}

TEST(ValueCompareTest, NumericAcrossTypesNullFirstNanLast) {
  EXPECT_EQ(Value::Integer(2).Compare(Value::Double(2.0)), 0);
  EXPECT_LT(Value::Bigint(2).Compare(Value::Double(2.5)), 0);
  EXPECT_GT(Value::Double(2.5).Compare(Value::Integer(2)), 0);
  EXPECT_LT(Value::Bigint(9007199254740993LL).Compare(Value::Double(9007199254740994.0)), 0);
  EXPECT_LT(Value::Null(TypeId::kBigint).Compare(Value::Bigint(std::numeric_limits<int64_t>::min())), 0);
  EXPECT_GT(Value::Double(std::nan("")).Compare(Value::Double(1e308)), 0);
  EXPECT_EQ(Value::Double(-0.0).Compare(Value::Double(0.0)), 0);
  EXPECT_LT(Value::Varchar("a").Compare(Value::Varchar("b")), 0);
  EXPECT_EQ(Value::Varchar("x"), Value::Varchar("x"));
  EXPECT_FALSE(Value::Null(TypeId::kBigint) == Value::Bigint(0));
}

}  // namespace
}  // namespace tsl
