// LIST values (formats/list_value.h): the encoding round-trips, is
// canonical (-0.0 and NaN payloads folded, so byte equality is SQL
// equality), rejects malformed bytes (truncated, trailing, any prefix of
// a valid encoding) without reading out of bounds; DuckDB's text form both
// ways; and DuckDB's list order.
#include <cmath>
#include <limits>
#include <random>

#include <gtest/gtest.h>

#include "formats/list_value.h"

namespace tsl {
namespace {

const TypeId kIntList = ListType(TypeId::kInteger);
const TypeId kStrList = ListType(TypeId::kVarchar);
const TypeId kDblList = ListType(TypeId::kDouble);

TEST(ListValueTest, TypeCodes) {
  EXPECT_TRUE(IsList(kIntList));
  EXPECT_FALSE(IsList(TypeId::kVarchar));
  EXPECT_EQ(ListElementType(kStrList), TypeId::kVarchar);
  EXPECT_EQ(PhysicalClassOf(kIntList), PhysicalClass::kString);
  EXPECT_EQ(TypeName(kIntList), "INTEGER[]");
  EXPECT_EQ(TypeName(ListType(TypeId::kNull)), "\"NULL\"[]");
  EXPECT_EQ(*ParseTypeName("int[]"), kIntList);
  EXPECT_EQ(*ParseTypeName("TIMESTAMP WITH TIME ZONE []"), ListType(TypeId::kTimestampTz));
  EXPECT_FALSE(ParseTypeName("int[][]").ok());          // lists of lists: not yet
  EXPECT_FALSE(ParseTypeName("decimal(4,1)[]").ok());   // no LIST(DECIMAL) code
}

TEST(ListValueTest, RoundTrip) {
  std::vector<Value> in = {Value::Integer(1), Value::Null(TypeId::kInteger), Value::Integer(-7)};
  const std::string bytes = EncodeList(kIntList, in);
  Result<std::vector<Value>> out = DecodeList(kIntList, bytes);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 3u);
  EXPECT_EQ((*out)[0].int_value(), 1);
  EXPECT_TRUE((*out)[1].is_null());
  EXPECT_EQ((*out)[2].int_value(), -7);
  EXPECT_EQ(ListSize(bytes), 3u);
  EXPECT_EQ(ListToText(kIntList, bytes), "[1, NULL, -7]");
  EXPECT_EQ(ListToText(kIntList, EncodeList(kIntList, {})), "[]");
}

TEST(ListValueTest, CanonicalDoubles) {
  const std::string a = EncodeList(kDblList, {Value::Double(-0.0), Value::Double(std::nan("1"))});
  const std::string b = EncodeList(
      kDblList, {Value::Double(0.0), Value::Double(-std::numeric_limits<double>::quiet_NaN())});
  EXPECT_EQ(a, b);
}

TEST(ListValueTest, MalformedBytesAreRejected) {
  const std::string good = EncodeList(kStrList, {Value::Varchar("abc"), Value::Null(TypeId::kVarchar),
                                                 Value::Varchar("")});
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(DecodeList(kStrList, good.substr(0, n)).ok()) << n;
  }
  EXPECT_FALSE(DecodeList(kStrList, good + "x").ok());
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {  // random bytes: an error or a value, never a crash
    std::string junk(rng() % 24, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    (void)DecodeList(kStrList, junk);
    (void)ListToText(kIntList, junk);
  }
  // "NULL"[] holds only NULLs.
  EXPECT_FALSE(DecodeList(ListType(TypeId::kNull), EncodeList(kIntList, {Value::Integer(1)})).ok());
}

TEST(ListValueTest, TextQuotesStringsOnlyWhenNeeded) {
  const std::string bytes = EncodeList(
      kStrList, {Value::Varchar("a"), Value::Varchar("b c"), Value::Varchar("x,y"), Value::Varchar(""),
                 Value::Varchar("null"), Value::Varchar("it's"), Value::Null(TypeId::kVarchar)});
  EXPECT_EQ(ListToText(kStrList, bytes), "[a, b c, 'x,y', '', 'null', 'it\\'s', NULL]");
}

TEST(ListValueTest, ParseText) {
  Result<std::string> r = ParseListText(" [ a , \"b c\" , 'd', NULL ] ", kStrList);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(ListToText(kStrList, *r), "[a, b c, d, NULL]");
  Result<std::string> ints = ParseListText("[1, 2,NULL]", kIntList);
  ASSERT_TRUE(ints.ok());
  EXPECT_EQ(ListToText(kIntList, *ints), "[1, 2, NULL]");
  EXPECT_EQ(ListToText(kIntList, *ParseListText("[]", kIntList)), "[]");
  EXPECT_FALSE(ParseListText("[1, 2", kIntList).ok());
  EXPECT_FALSE(ParseListText("1, 2]", kIntList).ok());
  EXPECT_FALSE(ParseListText("[1, x]", kIntList).ok());
  EXPECT_FALSE(ParseListText("['open]", kStrList).ok());
}

TEST(ListValueTest, OrderIsElementwise) {
  auto list = [](std::vector<Value> v) { return EncodeList(ListType(TypeId::kInteger), v); };
  const Value n = Value::Null(TypeId::kInteger);
  EXPECT_LT(CompareLists(kIntList, list({Value::Integer(2)}), list({Value::Integer(10)})), 0);
  EXPECT_LT(CompareLists(kIntList, list({Value::Integer(1)}), list({Value::Integer(1), Value::Integer(0)})), 0);
  EXPECT_GT(CompareLists(kIntList, list({Value::Integer(1), n}), list({Value::Integer(1), Value::Integer(2)})), 0);
  EXPECT_EQ(CompareLists(kIntList, list({n}), list({n})), 0);
  EXPECT_LT(CompareLists(kIntList, list({}), list({n})), 0);
  EXPECT_LT(CompareLists(kIntList, list({Value::Integer(-1)}), list({Value::Integer(0)})), 0);
}

}  // namespace
}  // namespace tsl
