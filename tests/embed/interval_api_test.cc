// INTERVAL through the public APIs: Result::GetInterval and the C ABI's
// tslake_value_interval give the months and the microseconds apart (an
// interval with months is a packed word through GetInt64), what an
// embedder such as `tslake serve` needs to send PostgreSQL's encoding.
#include <gtest/gtest.h>

#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

class IntervalApiTest : public EmbedTest {};

constexpr int64_t kDay = 86400LL * 1000000;

TEST_F(IntervalApiTest, CppApiSplitsMonthsAndMicros) {
  std::string error;
  auto db = Database::Open(":memory:", {}, &error);
  ASSERT_NE(db, nullptr) << error;
  Connection con(*db);
  Result r = con.Query(
      "SELECT INTERVAL '1 year 2 months 3 days 04:05:06.5' AS a, INTERVAL '-1 month' - INTERVAL '1 hour' AS b, "
      "INTERVAL '2 days' AS c, CAST(NULL AS INTERVAL) AS n, 7 AS i");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.column_type(0), Type::kInterval);
  EXPECT_EQ(r.GetInterval(0, 0).months, 14);
  EXPECT_EQ(r.GetInterval(0, 0).micros, 3 * kDay + ((4 * 60 + 5) * 60 + 6) * 1000000LL + 500000);
  EXPECT_EQ(r.GetInterval(1, 0).months, -1);
  EXPECT_EQ(r.GetInterval(1, 0).micros, -3600LL * 1000000);
  EXPECT_EQ(r.GetInterval(2, 0).months, 0);
  EXPECT_EQ(r.GetInterval(2, 0).micros, 2 * kDay);
  EXPECT_EQ(r.GetInt64(2, 0), 2 * kDay);  // without months GetInt64 is the micros
  EXPECT_EQ(r.GetInterval(3, 0).months, 0);
  EXPECT_EQ(r.GetInterval(3, 0).micros, 0);
  EXPECT_EQ(r.GetInterval(4, 0).micros, 0);  // not an INTERVAL
}

TEST_F(IntervalApiTest, CApiSplitsMonthsAndMicros) {
  tslake_database* db = nullptr;
  tslake_connection* con = nullptr;
  char* err = nullptr;
  ASSERT_EQ(tslake_open(nullptr, nullptr, &db, &err), TSLAKE_OK);
  ASSERT_EQ(tslake_connect(db, &con), TSLAKE_OK);
  tslake_result* r = nullptr;
  ASSERT_EQ(tslake_query(con, "SELECT INTERVAL '-14 months 1 day' AS a", &r), TSLAKE_OK) << tslake_result_error(r);
  int32_t months = 99;
  EXPECT_EQ(tslake_value_interval(r, 0, 0, &months), kDay);
  EXPECT_EQ(months, -14);
  EXPECT_EQ(tslake_value_interval(r, 0, 0, nullptr), kDay);
  EXPECT_EQ(tslake_value_interval(r, 0, 5, &months), 0);  // out of range reads as NULL
  EXPECT_EQ(months, 0);
  tslake_result_destroy(r);
  tslake_disconnect(con);
  tslake_close(db);
}

}  // namespace
}  // namespace tslake
