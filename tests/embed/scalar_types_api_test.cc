// SMALLINT, TINYINT, TIME, BLOB and UUID through the public APIs: the C
// ABI's type codes and accessors, the C++ API's Type values, GetInt64,
// GetString and GetBlob, and AppendBatch's range checks and UUID validation.
#include <gtest/gtest.h>

#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

class ScalarTypesApiTest : public EmbedTest {};

TEST_F(ScalarTypesApiTest, CApiTypesAndValues) {
  tslake_database* db = nullptr;
  tslake_connection* con = nullptr;
  char* err = nullptr;
  ASSERT_EQ(tslake_open(nullptr, nullptr, &db, &err), TSLAKE_OK);
  ASSERT_EQ(tslake_connect(db, &con), TSLAKE_OK);
  tslake_result* r = nullptr;
  ASSERT_EQ(tslake_query(con,
                         "SELECT -7::SMALLINT, 100::TINYINT, TIME '12:34:56.5', '\\xAA\\x41'::BLOB, "
                         "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::UUID",
                         &r),
            TSLAKE_OK)
      << tslake_result_error(r);
  EXPECT_EQ(tslake_column_type(r, 0), TSLAKE_TYPE_SMALLINT);
  EXPECT_EQ(tslake_column_type(r, 1), TSLAKE_TYPE_TINYINT);
  EXPECT_EQ(tslake_column_type(r, 2), TSLAKE_TYPE_TIME);
  EXPECT_EQ(tslake_column_type(r, 3), TSLAKE_TYPE_BLOB);
  EXPECT_EQ(tslake_column_type(r, 4), TSLAKE_TYPE_UUID);
  EXPECT_EQ(tslake_value_int64(r, 0, 0), -7);
  EXPECT_EQ(tslake_value_int64(r, 1, 0), 100);
  EXPECT_EQ(tslake_value_int64(r, 2, 0), 45296500000LL);
  EXPECT_STREQ(tslake_value_text(r, 2, 0), "12:34:56.5");
  EXPECT_STREQ(tslake_value_text(r, 3, 0), "\\xAAA");
  EXPECT_STREQ(tslake_value_text(r, 4, 0), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  tslake_result_destroy(r);
  tslake_disconnect(con);
  tslake_close(db);
}

TEST_F(ScalarTypesApiTest, CppApiBlobBytesAndAppendBatch) {
  std::string error;
  auto db = Database::Open(":memory:", {}, &error);
  ASSERT_NE(db, nullptr) << error;
  Connection con(*db);
  ASSERT_TRUE(con.Query("CREATE TABLE m (a TINYINT, t TIME, id UUID)").ok());
  Status st;
  auto app = Appender::Open(*db, "m", {}, &st);
  ASSERT_NE(app, nullptr) << st.message();
  EXPECT_EQ(app->columns()[0].type, Type::kTinyint);
  EXPECT_EQ(app->columns()[1].type, Type::kTime);
  EXPECT_EQ(app->columns()[2].type, Type::kUuid);
  const int64_t small[] = {5, -128};
  const int64_t times[] = {0, 3600LL * 1000000};
  const char* ids[] = {"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "00000000000000000000000000000001"};
  ASSERT_TRUE(app->AppendBatch(2, {ColumnData{Type::kTinyint, small, nullptr},
                                   ColumnData{Type::kTime, times, nullptr},
                                   ColumnData{Type::kUuid, ids, nullptr}})
                  .ok());
  const int64_t too_big[] = {128};
  Status big = app->AppendBatch(1, {ColumnData{Type::kTinyint, too_big, nullptr},
                                    ColumnData{Type::kTime, times, nullptr},
                                    ColumnData{Type::kUuid, ids, nullptr}});
  EXPECT_FALSE(big.ok());
  EXPECT_NE(big.message().find("out of range for TINYINT"), std::string::npos) << big.message();
  const char* bad_ids[] = {"nope"};
  Status bad = app->AppendBatch(1, {ColumnData{Type::kTinyint, small, nullptr},
                                    ColumnData{Type::kTime, times, nullptr},
                                    ColumnData{Type::kUuid, bad_ids, nullptr}});
  EXPECT_FALSE(bad.ok());
  ASSERT_TRUE(app->Close().ok());
  Result r = con.Query("SELECT a, t, id FROM m ORDER BY a");
  ASSERT_TRUE(r.ok()) << r.error_message();
  ASSERT_EQ(r.row_count(), 2);
  EXPECT_EQ(r.GetInt64(0, 0), -128);
  EXPECT_EQ(r.GetString(1, 0), "01:00:00");
  EXPECT_EQ(r.GetString(2, 0), "00000000-0000-0000-0000-000000000001");
  EXPECT_EQ(r.GetString(2, 1), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  Result b = con.Query("SELECT '\\x00\\xFFz'::BLOB");
  ASSERT_TRUE(b.ok()) << b.error_message();
  EXPECT_EQ(b.column_type(0), Type::kBlob);
  EXPECT_EQ(b.GetBlob(0, 0), std::string("\x00\xFFz", 3));
  EXPECT_EQ(b.GetString(0, 0), "\\x00\\xFFz");
}

}  // namespace
}  // namespace tslake
