// Database::ListFunctions, the function list the shell's Tab completion
// offers: it comes from the engine's own tables, so scalar, aggregate,
// window and table functions (the connection's registered readers too)
// all appear, sorted and once each.
#include <gtest/gtest.h>

#include <algorithm>

#include "tslake/tslake.hpp"

namespace tslake {
namespace {

TEST(ListFunctionsTest, OffersEveryFamilySortedAndOnce) {
  auto db = Database::Open("");
  ASSERT_NE(db, nullptr);
  const std::vector<std::string> names = db->ListFunctions();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  for (const char* expected :
       {"abs", "levenshtein", "jaro_winkler_similarity", "format_bytes", "to_seconds", "dayname",
        "corr", "regr_slope", "kurtosis_pop", "mode", "bit_xor", "string_agg", "row_number", "lag",
        "range", "read_csv", "coalesce", "typeof"}) {
    EXPECT_TRUE(std::binary_search(names.begin(), names.end(), std::string(expected))) << expected;
  }
}

}  // namespace
}  // namespace tslake
