// The shared UTF-8 validator (formats/utf8.h) and the storable-value check
// built on it (formats/storable_values.h): issue 15 items 1 and 11.
#include "formats/utf8.h"

#include <gtest/gtest.h>

#include "formats/storable_values.h"
#include "formats/timestamp.h"

namespace tsl {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  for (std::string_view ok : {std::string_view(""), std::string_view("plain ascii, longer than eight bytes"),
                              std::string_view("caf\xc3\xa9"), std::string_view("\xe2\x82\xac 1"),
                              std::string_view("\xf0\x9f\x98\x80"), std::string_view("\xef\xbf\xbf"),
                              std::string_view("\xf4\x8f\xbf\xbf"), std::string_view("\x00\x01", 2),
                              std::string_view("\xed\x9f\xbf")}) {
    EXPECT_TRUE(IsValidUtf8(ok)) << ok;
  }
}

TEST(Utf8Test, RefusesEveryIllFormedSequenceAtItsFirstByte) {
  struct Case {
    std::string_view text;
    size_t at;
  };
  for (Case c : {Case{"\xff", 0}, Case{"abc\x80", 3}, Case{"\xc0\xaf", 0}, Case{"\xc1\xbf", 0},
                 Case{"ok\xe0\x80\xaf", 2}, Case{"\xed\xa0\x80", 0} /* surrogate */,
                 Case{"\xf4\x90\x80\x80", 0} /* > U+10FFFF */, Case{"\xf5\x80\x80\x80", 0},
                 Case{"caf\xc3", 3} /* truncated */, Case{"\xe2\x82", 0}, Case{"\xe2\x28\xa1", 0},
                 Case{"eight by\xfe", 8}, Case{"12345678\xc3\xa9\xc3", 10}}) {
    EXPECT_EQ(FindInvalidUtf8(c.text), c.at) << c.text;
  }
  EXPECT_EQ(DescribeInvalidUtf8("ab\xff"), "invalid UTF-8 at byte 3 (0xff)");
}

TEST(Utf8Test, EscapeMakesAnyBytesValid) {
  EXPECT_EQ(EscapeInvalidUtf8("a\xff" "b\xc3\xa9"), "a\\xffb\xc3\xa9");
  EXPECT_EQ(EscapeInvalidUtf8("ok"), "ok");
  EXPECT_TRUE(IsValidUtf8(EscapeInvalidUtf8("\xc3\xc3\xc3")));
}

TEST(StorableValuesTest, FindsTimestampsOutOfRangeAndInvalidText) {
  DataChunk c;
  c.Initialize({TypeId::kTimestamp, TypeId::kVarchar});
  c.columns[0].AppendInt(0);
  c.columns[0].AppendNull();
  c.columns[0].AppendInt(kMaxTimestampMicros);
  c.columns[1].AppendString("a");
  c.columns[1].AppendString("b");
  c.columns[1].AppendNull();
  Schema schema{{{"ts", TypeId::kTimestamp}, {"tag", TypeId::kVarchar}}};
  EXPECT_TRUE(CheckStorableValues(c, schema, "t").ok());

  c.columns[1].strings[1] = "b\xff";
  Status st = CheckStorableValues(c, schema, "t", 10);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "t: column \"tag\", row 12: invalid UTF-8 at byte 2 (0xff)");

  c.columns[0].ints[2] = INT64_MAX;
  st = CheckStorableValues(c, schema, "t");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("column \"ts\", row 3"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("outside the supported TIMESTAMP range"), std::string::npos);
}

TEST(StorableValuesTest, ChecksDictionaryFormOncePerValue) {
  ColumnVector v(TypeId::kVarchar);
  v.dictionary_form = true;
  v.dictionary = {"ok", "bad\xc3"};
  v.codes = {0, 0, 1};
  v.valid = {1, 1, 1};
  size_t row = 0;
  std::string reason;
  ASSERT_TRUE(FindUnstorableValue(v, &row, &reason));
  EXPECT_EQ(row, 2u);
  EXPECT_EQ(reason, "invalid UTF-8 at byte 4 (0xc3)");
}

}  // namespace
}  // namespace tsl
