// DATE through the public APIs: the C ABI's TSLAKE_TYPE_DATE and
// tslake_value_date, the C++ API's Type::kDate and Result::GetDate, on a
// stored DATE column, a DATE expression and a TIMESTAMP (its UTC day).
#include <gtest/gtest.h>

#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

class DateApiTest : public EmbedTest {};

TEST_F(DateApiTest, CApiReportsDateTypeAndDays) {
  tslake_database* db = nullptr;
  tslake_connection* con = nullptr;
  char* err = nullptr;
  ASSERT_EQ(tslake_open(nullptr, nullptr, &db, &err), TSLAKE_OK);
  ASSERT_EQ(tslake_connect(db, &con), TSLAKE_OK);
  tslake_result* r = nullptr;
  ASSERT_EQ(tslake_query(con,
                         "CREATE TABLE d (day DATE);"
                         "INSERT INTO d VALUES ('2024-03-01'), (NULL), ('1969-12-31');"
                         "SELECT day, TIMESTAMP '1969-12-31 23:00:00' AS ts FROM d ORDER BY day NULLS LAST",
                         &r),
            TSLAKE_OK)
      << tslake_result_error(r);
  EXPECT_EQ(tslake_column_type(r, 0), TSLAKE_TYPE_DATE);
  EXPECT_EQ(tslake_value_date(r, 0, 0), -1);
  EXPECT_EQ(tslake_value_date(r, 0, 1), 19783);
  EXPECT_EQ(tslake_value_int64(r, 0, 1), 19783);
  EXPECT_STREQ(tslake_value_text(r, 0, 1), "2024-03-01");
  EXPECT_EQ(tslake_value_is_null(r, 0, 2), 1);
  EXPECT_EQ(tslake_value_date(r, 0, 2), 0);
  EXPECT_EQ(tslake_value_date(r, 1, 0), -1);  // a TIMESTAMP's UTC day
  EXPECT_EQ(tslake_value_date(r, 0, 9), 0);   // out of range reads as NULL
  tslake_result_destroy(r);
  tslake_disconnect(con);
  tslake_close(db);
}

TEST_F(DateApiTest, CppApiReportsDateTypeAndDays) {
  std::string error;
  auto db = Database::Open(":memory:", {}, &error);
  ASSERT_NE(db, nullptr) << error;
  Connection con(*db);
  Result r = con.Query("SELECT DATE '5881580-07-10' AS hi, DATE '2024-03-01' - 1 AS d, 'x' AS s");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.column_type(0), Type::kDate);
  EXPECT_EQ(r.GetDate(0, 0), 2147483646);
  EXPECT_EQ(r.GetDate(1, 0), 19782);
  EXPECT_EQ(r.GetString(1, 0), "2024-02-29");
  EXPECT_EQ(r.GetDate(2, 0), 0);
}

}  // namespace
}  // namespace tslake
