// A DATE column in every output mode of the tslake binary: YYYY-MM-DD as
// DuckDB prints it (a JSON string, an empty CSV field for NULL), read back
// from a stored table after the process that wrote it exited.
#include <string>

#include "tests/shell/shell_test_util.h"

namespace tslake::testing {
namespace {

class DateOutputTest : public ShellTest {};

TEST_F(DateOutputTest, EveryModePrintsYearMonthDay) {
  RunOutput setup = Run({"x.db", "-c",
                         "CREATE TABLE d (day DATE, n INTEGER); "
                         "INSERT INTO d VALUES ('2024-03-01', 1), (NULL, 2), ('0001-01-01' , 3);"});
  ASSERT_EQ(setup.exit_code, 0) << setup.err;
  const char* query = "SELECT day, n FROM d ORDER BY n";
  RunOutput csv = Run({"x.db", "--mode", "csv", "-c", query});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out, "day,n\n2024-03-01,1\n,2\n0001-01-01,3\n");
  RunOutput json = Run({"x.db", "--mode", "json", "-c", query});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("{\"day\":\"2024-03-01\",\"n\":1}"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("{\"day\":null,\"n\":2}"), std::string::npos) << json.out;
  RunOutput line = Run({"x.db", "--mode", "line", "-c", query});
  ASSERT_EQ(line.exit_code, 0) << line.err;
  EXPECT_NE(line.out.find("day = 2024-03-01"), std::string::npos) << line.out;
  RunOutput table = Run({"x.db", "--mode", "table", "-c", query});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("| 2024-03-01 |"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("| 0001-01-01 |"), std::string::npos) << table.out;
}

}  // namespace
}  // namespace tslake::testing
