// Writes into a materialized view's own table through the public API
// (issue 21): the Appender refuses a view by name, as INSERT / COPY /
// UPDATE / DELETE do in SQL (tests/sql/matview/writes_refused.test), and
// the view still follows appends into its source.
#include <string>

#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

class MaterializedViewWritesTest : public EmbedTest {};

TEST_F(MaterializedViewWritesTest, AppenderRefusesAViewAndFeedsItsSource) {
  std::string error;
  auto db = Database::Open(DbPath(), {}, &error);
  ASSERT_NE(db, nullptr) << error;
  Connection con(*db);
  Result r = con.Query(
      "CREATE TABLE s (ts TIMESTAMP, tag VARCHAR, value DOUBLE);"
      "CREATE MATERIALIZED VIEW per_minute AS SELECT time_bucket(INTERVAL '1 minute', ts) AS m, "
      "tag, count(*) AS n FROM s GROUP BY ALL");
  ASSERT_TRUE(r.ok()) << r.error_message();

  Status st;
  auto refused = Appender::Open(*db, "per_minute", {}, &st);
  EXPECT_EQ(refused, nullptr);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cannot append to materialized view \"per_minute\""),
            std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("source table s"), std::string::npos) << st.message();

  auto app = Appender::Open(*db, "s", {}, &st);
  ASSERT_NE(app, nullptr) << st.message();
  ASSERT_TRUE(app->AppendTimestamp(1704067200000000).ok());  // 2024-01-01 00:00:00
  ASSERT_TRUE(app->AppendString("a").ok());
  ASSERT_TRUE(app->AppendDouble(1.5).ok());
  ASSERT_TRUE(app->EndRow().ok());
  ASSERT_TRUE(app->Flush().ok());
  ASSERT_TRUE(app->Close().ok());
  Result n = con.Query("SELECT n FROM per_minute");
  ASSERT_TRUE(n.ok()) << n.error_message();
  ASSERT_EQ(n.row_count(), 1);
  EXPECT_EQ(n.GetString(0, 0), "1");
}

}  // namespace
}  // namespace tslake
