// Helpers shared by the query tests: an in-memory database with a
// QueryEngine, and result rendering as text rows ("a|b").
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "query/main/query_engine.h"
#include "storage/database.h"

namespace tsl::query {

class EngineFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    engine_ = std::make_unique<QueryEngine>(db_.get(), &functions_);
  }

  // Runs `sql`, expecting success; returns rows as "v1|v2" strings.
  std::vector<std::string> Rows(const std::string& sql) {
    Result<QueryResult> r = engine_->Execute(sql);
    EXPECT_TRUE(r.ok()) << sql << "\n" << r.status().ToString();
    if (!r.ok()) return {};
    std::vector<std::string> rows;
    for (int64_t i = 0; i < r->row_count(); ++i) {
      std::string row;
      for (size_t c = 0; c < r->schema.size(); ++c) {
        if (c) row += "|";
        row += r->GetValue(c, i).ToString();
      }
      rows.push_back(row);
    }
    return rows;
  }

  // Runs `sql`, expecting success.
  void Run(const std::string& sql) {
    Status st = engine_->ExecuteScript(sql, nullptr);
    ASSERT_TRUE(st.ok()) << sql << "\n" << st.ToString();
  }

  // Runs `sql`, expecting failure; returns the status.
  Status Fail(const std::string& sql) {
    Result<QueryResult> r = engine_->Execute(sql);
    EXPECT_FALSE(r.ok()) << sql << " unexpectedly succeeded";
    return r.status();
  }

  TableFunctionRegistry functions_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<QueryEngine> engine_;
};

using Strings = std::vector<std::string>;

}  // namespace tsl::query
