// TIMESTAMP WITH TIME ZONE through the public APIs: the C ABI's
// TSLAKE_TYPE_TIMESTAMPTZ (UTC microseconds from tslake_value_int64, text in
// the session's TimeZone from tslake_value_text, the local day from
// tslake_value_date), the C++ API's Type::kTimestampTz, and an appender
// writing UTC microseconds into a TIMESTAMPTZ column.
#include <gtest/gtest.h>

#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

class TimestampTzApiTest : public EmbedTest {};

// 2024-03-31 01:30:00 UTC = 03:30+02 in Berlin (the first hour of summer time).
constexpr int64_t kSpringMicros = 1711848600LL * 1000000;

TEST_F(TimestampTzApiTest, CApiGivesUtcMicrosAndSessionZoneText) {
  tslake_database* db = nullptr;
  tslake_connection* con = nullptr;
  char* err = nullptr;
  ASSERT_EQ(tslake_open(nullptr, nullptr, &db, &err), TSLAKE_OK);
  ASSERT_EQ(tslake_connect(db, &con), TSLAKE_OK);
  tslake_result* r = nullptr;
  ASSERT_EQ(tslake_query(con,
                         "SET TimeZone = 'Europe/Berlin';"
                         "CREATE TABLE m (ts TIMESTAMPTZ);"
                         "INSERT INTO m VALUES ('2024-03-31 01:30:00+00'), (NULL), ('2024-03-31 22:30:00+00');"
                         "SELECT ts FROM m ORDER BY ts NULLS LAST",
                         &r),
            TSLAKE_OK)
      << tslake_result_error(r);
  EXPECT_EQ(tslake_column_type(r, 0), TSLAKE_TYPE_TIMESTAMPTZ);
  EXPECT_EQ(tslake_value_int64(r, 0, 0), kSpringMicros);
  EXPECT_STREQ(tslake_value_text(r, 0, 0), "2024-03-31 03:30:00+02");
  EXPECT_EQ(tslake_value_date(r, 0, 0), 19813);  // 2024-03-31
  EXPECT_EQ(tslake_value_date(r, 0, 1), 19814);  // 22:30 UTC is already April 1st in Berlin
  EXPECT_EQ(tslake_value_is_null(r, 0, 2), 1);
  tslake_result_destroy(r);
  tslake_disconnect(con);
  tslake_close(db);
}

TEST_F(TimestampTzApiTest, CppApiTypeTextAndAppender) {
  std::string error;
  auto db = Database::Open(":memory:", {}, &error);
  ASSERT_NE(db, nullptr) << error;
  Connection con(*db);
  ASSERT_TRUE(con.Query("CREATE TABLE m (ts TIMESTAMPTZ, v DOUBLE)").ok());
  Status st;
  auto app = Appender::Open(*db, "m", {}, &st);
  ASSERT_NE(app, nullptr) << st.message();
  ASSERT_TRUE(app->AppendTimestamp(kSpringMicros).ok());
  ASSERT_TRUE(app->AppendDouble(1.5).ok());
  ASSERT_TRUE(app->EndRow().ok());
  ASSERT_TRUE(app->Close().ok());
  Result r = con.Query("SET TimeZone = 'America/New_York'; SELECT ts, ts AT TIME ZONE 'Asia/Kolkata' FROM m");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.column_type(0), Type::kTimestampTz);
  EXPECT_EQ(r.column_type(1), Type::kTimestamp);
  EXPECT_EQ(r.GetInt64(0, 0), kSpringMicros);
  EXPECT_EQ(r.GetString(0, 0), "2024-03-30 21:30:00-04");
  EXPECT_EQ(r.GetString(1, 0), "2024-03-31 07:00:00");
  Result bad = con.Query("SET TimeZone = 'Nowhere/Atlantis'");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.error_message().find("Unknown TimeZone 'Nowhere/Atlantis'"), std::string::npos);
}

}  // namespace
}  // namespace tslake
