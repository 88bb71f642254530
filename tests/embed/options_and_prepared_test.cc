// Database::Open's edge options (validation, memory limit, compression
// level) and PreparedStatement through the public C++ API.
#include <filesystem>
#include <limits>

#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

class OptionsTest : public EmbedTest {};

TEST_F(OptionsTest, OpenRefusesEachOutOfRangeOptionByName) {
  struct Case {
    const char* name;
    void (*set)(Options*);
  } cases[] = {
      {"compression_level", [](Options* o) { o->compression_level = 0; }},
      {"compression_level", [](Options* o) { o->compression_level = 23; }},
      {"sync_interval_ms", [](Options* o) { o->sync_interval_ms = 0; }},
      {"memory_limit", [](Options* o) { o->memory_limit = 1000; }},
      {"threads", [](Options* o) { o->threads = -1; }},
      {"query_threads", [](Options* o) { o->query_threads = 1025; }},
      {"sync_mode", [](Options* o) { o->sync_mode = static_cast<SyncMode>(7); }},
      {"compression", [](Options* o) { o->compression = "gzip"; }},
  };
  for (const Case& c : cases) {
    Options o;
    c.set(&o);
    Status st;
    EXPECT_EQ(Database::Open(DbPath(), o, &st), nullptr) << c.name;
    EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument) << c.name;
    EXPECT_NE(st.message().find(c.name), std::string::npos) << st.message();
  }
  EXPECT_FALSE(std::filesystem::exists(DbPath()));  // refused before touching the disk
}

TEST_F(OptionsTest, QueryThreadsIsSqlsThreadsSetting) {
  Options o;
  o.query_threads = 3;
  auto db = Database::Open(DbPath(), o);
  ASSERT_NE(db, nullptr);
  Connection con(*db);
  Result setting = con.Query("SELECT current_setting('threads')");
  ASSERT_TRUE(setting.ok()) << setting.error_message();
  EXPECT_EQ(setting.GetString(0, 0), "3");
  ASSERT_TRUE(con.Query("RESET threads").ok());
}

TEST_F(OptionsTest, ReadOnlyOpenOfAMissingDirectoryIsNotFound) {
  Options o;
  o.read_only = true;
  Status st;
  EXPECT_EQ(Database::Open(DbPath(), o, &st), nullptr);
  EXPECT_EQ(st.code(), ErrorCode::kNotFound) << st.message();
}

TEST_F(OptionsTest, MemoryLimitRefusesAResultLargerThanItButNotAnAggregate) {
  Options o;
  o.memory_limit = 1 << 20;
  std::string error;
  auto db = Database::Open(DbPath(), o, &error);
  ASSERT_NE(db, nullptr) << error;
  EXPECT_EQ(db->options().memory_limit, 1 << 20);
  Connection con(*db);
  ASSERT_TRUE(con.Query("CREATE TABLE t (i BIGINT, s VARCHAR)").ok());
  auto app = Appender::Open(*db, "t");
  for (int64_t i = 0; i < 100000; ++i) {
    ASSERT_TRUE(app->AppendInt64(i).ok());
    ASSERT_TRUE(app->AppendString("some text value").ok());
    ASSERT_TRUE(app->EndRow().ok());
  }
  ASSERT_TRUE(app->Close().ok());
  Result big = con.Query("SELECT * FROM t");
  EXPECT_EQ(big.error_code(), ErrorCode::kOutOfMemory);
  EXPECT_NE(big.error_message().find("memory_limit"), std::string::npos) << big.error_message();
  Result small = con.Query("SELECT count(*), sum(i) FROM t");
  ASSERT_TRUE(small.ok()) << small.error_message();
  EXPECT_EQ(small.GetInt64(1, 0), 99999LL * 100000 / 2);

  // QueryEach stops the script at the refused result.
  int seen = 0;
  Result each = con.QueryEach("SELECT 1; SELECT * FROM t; CREATE TABLE after_it (x INTEGER)",
                              [&](const Result&) { ++seen; });
  EXPECT_EQ(each.error_code(), ErrorCode::kOutOfMemory);
  EXPECT_EQ(seen, 1);
  EXPECT_FALSE(con.Query("SELECT * FROM after_it").ok());

  // The option is SQL's memory_limit too: a hash table over it is refused
  // with the same code, and the connection stays usable.
  Result setting = con.Query("SELECT current_setting('memory_limit')");
  ASSERT_TRUE(setting.ok()) << setting.error_message();
  EXPECT_EQ(setting.GetString(0, 0), "1.0 MiB");
  Result grouped = con.Query("SELECT i, count(*) FROM t GROUP BY i ORDER BY i LIMIT 1");
  EXPECT_EQ(grouped.error_code(), ErrorCode::kOutOfMemory) << grouped.error_message();
  EXPECT_NE(grouped.error_message().find("Out of Memory Error"), std::string::npos) << grouped.error_message();
  ASSERT_TRUE(con.Query("RESET memory_limit").ok());
  Result regrouped = con.Query("SELECT count(*) FROM (SELECT i, count(*) FROM t GROUP BY i)");
  ASSERT_TRUE(regrouped.ok()) << regrouped.error_message();
  EXPECT_EQ(regrouped.GetInt64(0, 0), 100000);
}

TEST_F(OptionsTest, HigherCompressionLevelWritesNoLargerSegments) {
  auto segment_bytes = [&](int level) {
    std::string path = (dir_ / ("level" + std::to_string(level))).string();
    Options o;
    o.compression_level = level;
    auto db = Database::Open(path, o);
    Connection con(*db);
    EXPECT_TRUE(con.Query("CREATE TABLE t (s VARCHAR)").ok());
    auto app = Appender::Open(*db, "t");
    for (int i = 0; i < 20000; ++i) {
      EXPECT_TRUE(app->AppendString("Plant1/Boiler" + std::to_string(i % 97) + "/TT-" +
                                    std::to_string(i * 7919 % 1000))
                      .ok());
      EXPECT_TRUE(app->EndRow().ok());
    }
    EXPECT_TRUE(app->Close().ok());
    uintmax_t bytes = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(path))
      if (e.path().extension() == ".tsl") bytes += e.file_size();
    return bytes;
  };
  uintmax_t fast = segment_bytes(1), small = segment_bytes(19);
  EXPECT_GT(fast, 0u);
  EXPECT_LE(small, fast);
}

class PreparedTest : public EmbedTest {
 protected:
  void SetUp() override {
    EmbedTest::SetUp();
    db_ = Database::Open(":memory:");
    con_ = std::make_unique<Connection>(*db_);
    ASSERT_TRUE(
        con_->Query("CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE, n BIGINT)").ok());
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
};

TEST_F(PreparedTest, InsertAndSelectWithBoundParametersOfEveryType) {
  PreparedStatement ins = con_->Prepare("INSERT INTO m VALUES ($1, $2, $3, $4)");
  ASSERT_TRUE(ins.ok()) << ins.status().message();
  ASSERT_EQ(ins.parameter_count(), 4);
  const char* tags[] = {"it's", "a;b -- not a comment", "$1 ?"};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(ins.BindTimestamp(1, 1704067200000000 + i * 1500000).ok());
    ASSERT_TRUE(ins.BindString(2, tags[i]).ok());
    ASSERT_TRUE(ins.BindDouble(3, -0.1 * i).ok());
    ASSERT_TRUE(ins.BindInt64(4, i == 2 ? std::numeric_limits<int64_t>::min() : -i).ok());
    Result r = ins.Execute();
    ASSERT_TRUE(r.ok()) << r.error_message();
  }
  ASSERT_TRUE(ins.BindNull(3).ok());
  ASSERT_TRUE(ins.Execute().ok());  // the other bindings persist

  PreparedStatement sel =
      con_->Prepare("SELECT tag, value, n, ts FROM m WHERE tag = ? AND value IS NOT NULL");
  ASSERT_TRUE(sel.ok());
  ASSERT_EQ(sel.parameter_count(), 1);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(sel.BindString(1, tags[i]).ok());
    Result r = sel.Execute();
    ASSERT_TRUE(r.ok()) << r.error_message();
    ASSERT_EQ(r.row_count(), 1) << tags[i];
    EXPECT_EQ(r.GetString(0, 0), tags[i]);
    EXPECT_DOUBLE_EQ(r.GetDouble(1, 0), -0.1 * i);
    EXPECT_EQ(r.GetInt64(2, 0), i == 2 ? std::numeric_limits<int64_t>::min() : -i);
    EXPECT_EQ(r.GetInt64(3, 0), 1704067200000000 + i * 1500000);
  }
  Result nulls = con_->Query("SELECT count(*) FROM m WHERE value IS NULL");
  EXPECT_EQ(nulls.GetInt64(0, 0), 1);
}

TEST_F(PreparedTest, NumberedParametersMayRepeatAndComeInAnyOrder) {
  PreparedStatement s = con_->Prepare("SELECT $2 - $1, $1 * $1 /* $9 in a comment */");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.parameter_count(), 2);
  ASSERT_TRUE(s.BindInt64(1, 3).ok());
  ASSERT_TRUE(s.BindInt64(2, 10).ok());
  Result r = s.Execute();
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.GetInt64(0, 0), 7);
  EXPECT_EQ(r.GetInt64(1, 0), 9);
}

TEST_F(PreparedTest, MisuseIsReportedWithAClearError) {
  EXPECT_EQ(con_->Prepare("SELECT 1; SELECT 2").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(con_->Prepare("SELECT 1; -- trailing comment\n").ok());
  EXPECT_NE(con_->Prepare("SELECT ?, $1").status().message().find("mix"), std::string::npos);
  EXPECT_FALSE(con_->Prepare("SELECT 'open").ok());
  EXPECT_FALSE(con_->Prepare("SELECT $0").ok());

  PreparedStatement s = con_->Prepare("SELECT ? + ?");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.BindInt64(0, 1).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.BindInt64(3, 1).code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(s.BindInt64(1, 1).ok());
  Result r = s.Execute();
  EXPECT_EQ(r.error_code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error_message().find("$2"), std::string::npos) << r.error_message();
  ASSERT_TRUE(s.BindInt64(2, 2).ok());
  EXPECT_EQ(s.Execute().GetInt64(0, 0), 3);
  s.ClearBindings();
  EXPECT_FALSE(s.Execute().ok());
  EXPECT_EQ(s.BindString(1, std::string_view("a\0b", 3)).code(), ErrorCode::kInvalidArgument);

  PreparedStatement bad_type = con_->Prepare("INSERT INTO m (ts) VALUES ($1)");
  ASSERT_TRUE(bad_type.BindString(1, "not a timestamp").ok());
  EXPECT_EQ(bad_type.Execute().error_code(), ErrorCode::kInvalidArgument);

  PreparedStatement moved = std::move(s);
  EXPECT_FALSE(s.ok());  // NOLINT(bugprone-use-after-move): moved-from reads as not prepared
  EXPECT_EQ(s.BindInt64(1, 1).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(moved.ok());
}

}  // namespace
}  // namespace tslake
