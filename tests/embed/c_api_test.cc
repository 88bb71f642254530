// The C ABI (include/tslake/tslake.h): every entry point's success path,
// its documented errors, NULL handling (TSLAKE_MISUSE, no crash) and who
// owns what. Written in C++ for GoogleTest but calls only the C functions.
#include <cstring>
#include <string>

#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.h"

namespace tslake {
namespace {

class CApiTest : public EmbedTest {
 protected:
  void SetUp() override {
    EmbedTest::SetUp();
    char* err = nullptr;
    ASSERT_EQ(tslake_open(nullptr, nullptr, &db_, &err), TSLAKE_OK);
    EXPECT_EQ(err, nullptr);
    ASSERT_EQ(tslake_connect(db_, &con_), TSLAKE_OK);
    Exec("CREATE TABLE m (ts TIMESTAMP, tag VARCHAR, value DOUBLE, quality INTEGER)");
  }
  void TearDown() override {
    tslake_disconnect(con_);
    tslake_close(db_);
    EmbedTest::TearDown();
  }
  void Exec(const char* sql) {
    tslake_result* r = nullptr;
    EXPECT_EQ(tslake_query(con_, sql, &r), TSLAKE_OK) << tslake_result_error(r);
    tslake_result_destroy(r);
  }
  int64_t CountRows() {
    tslake_result* r = nullptr;
    EXPECT_EQ(tslake_query(con_, "SELECT count(*) FROM m", &r), TSLAKE_OK);
    int64_t n = tslake_value_int64(r, 0, 0);
    tslake_result_destroy(r);
    return n;
  }
  tslake_database* db_ = nullptr;
  tslake_connection* con_ = nullptr;
};

TEST_F(CApiTest, QueryResultGivesTypedValuesNamesAndText) {
  Exec(
      "INSERT INTO m VALUES ('2024-01-01 00:00:00', 'TT-101', 20.5, 192), "
      "('2024-01-01 00:00:01', NULL, NULL, 0)");
  tslake_result* r = nullptr;
  ASSERT_EQ(tslake_query(con_, "SELECT ts, tag, value, quality FROM m ORDER BY ts", &r), TSLAKE_OK);
  EXPECT_STREQ(tslake_result_error(r), "");
  EXPECT_STREQ(tslake_statement_type(r), "SELECT");
  ASSERT_EQ(tslake_column_count(r), 4);
  ASSERT_EQ(tslake_row_count(r), 2);
  EXPECT_STREQ(tslake_column_name(r, 1), "tag");
  EXPECT_EQ(tslake_column_type(r, 0), TSLAKE_TYPE_TIMESTAMP);
  EXPECT_EQ(tslake_column_type(r, 3), TSLAKE_TYPE_INTEGER);
  EXPECT_EQ(tslake_value_int64(r, 0, 0), 1704067200000000);
  const char* first_ts = tslake_value_text(r, 0, 0);
  const char* tag = tslake_value_text(r, 1, 0);
  // Both strings stay valid together, until the result is destroyed.
  EXPECT_STREQ(first_ts, "2024-01-01 00:00:00");
  EXPECT_STREQ(tag, "TT-101");
  EXPECT_DOUBLE_EQ(tslake_value_double(r, 2, 0), 20.5);
  EXPECT_EQ(tslake_value_int64(r, 3, 0), 192);
  EXPECT_EQ(tslake_value_is_null(r, 1, 1), 1);
  EXPECT_EQ(tslake_value_text(r, 1, 1), nullptr);
  EXPECT_EQ(tslake_value_is_null(r, 2, 0), 0);
  // Out-of-range positions read as NULL rather than crashing.
  EXPECT_EQ(tslake_value_is_null(r, 9, 0), 1);
  EXPECT_EQ(tslake_value_int64(r, 0, 2), 0);
  EXPECT_EQ(tslake_value_text(r, -1, 0), nullptr);
  EXPECT_EQ(tslake_column_name(r, 4), nullptr);
  EXPECT_EQ(tslake_column_type(r, -1), TSLAKE_TYPE_NULL);
  tslake_result_destroy(r);
}

TEST_F(CApiTest, FailedQueryStillReturnsAResultCarryingTheMessage) {
  tslake_result* r = nullptr;
  EXPECT_EQ(tslake_query(con_, "SELECT vale FROM m", &r), TSLAKE_INVALID_ARGUMENT);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(tslake_result_error_code(r), TSLAKE_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tslake_result_error(r)).find("vale"), std::string::npos);
  EXPECT_EQ(tslake_column_count(r), 0);
  EXPECT_EQ(tslake_row_count(r), 0);
  tslake_result_destroy(r);
  EXPECT_EQ(tslake_query(con_, "SELECT * FROM nope", &r), TSLAKE_NOT_FOUND);
  tslake_result_destroy(r);
}

TEST_F(CApiTest, NullArgumentsAreMisuseAndReleaseFunctionsAcceptNull) {
  tslake_result* r = nullptr;
  EXPECT_EQ(tslake_query(nullptr, "SELECT 1", &r), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_query(con_, nullptr, &r), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_query(con_, "SELECT 1", nullptr), TSLAKE_MISUSE);
  EXPECT_EQ(r, nullptr);
  EXPECT_EQ(tslake_open("x", nullptr, nullptr, nullptr), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_connect(nullptr, nullptr), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_result_error_code(nullptr), TSLAKE_MISUSE);
  EXPECT_STREQ(tslake_result_error(nullptr), "tslake_result is NULL");
  EXPECT_EQ(tslake_row_count(nullptr), 0);
  EXPECT_EQ(tslake_append_int64(nullptr, 1), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_bind_int64(nullptr, 1, 1), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_appender_create(db_, nullptr, nullptr, nullptr, nullptr), TSLAKE_MISUSE);
  tslake_result_destroy(nullptr);
  tslake_disconnect(nullptr);
  tslake_close(nullptr);
  tslake_prepared_destroy(nullptr);
  tslake_appender_destroy(nullptr);
  tslake_interrupt(nullptr);
  tslake_free(nullptr);
  EXPECT_STREQ(tslake_code_name(TSLAKE_CONFLICT), "TSLAKE_CONFLICT");
  EXPECT_STREQ(tslake_code_name(12345), "TSLAKE_UNKNOWN");
  EXPECT_STREQ(tslake_library_version(), "0.1.0");
}

TEST_F(CApiTest, OpenWithABadOptionNamesItInAMessageTheCallerFrees) {
  tslake_options o;
  tslake_options_init(&o);
  EXPECT_STREQ(o.compression, "zstd");
  EXPECT_EQ(o.sync_mode, TSLAKE_SYNC_FULL);
  o.threads = 1000;
  tslake_database* db = reinterpret_cast<tslake_database*>(0x1);
  char* err = nullptr;
  EXPECT_EQ(tslake_open(DbPath().c_str(), &o, &db, &err), TSLAKE_INVALID_ARGUMENT);
  EXPECT_EQ(db, nullptr);
  ASSERT_NE(err, nullptr);
  EXPECT_NE(std::string(err).find("threads"), std::string::npos) << err;
  tslake_free(err);

  tslake_options_init(&o);
  o.read_only = 1;
  EXPECT_EQ(tslake_open(DbPath().c_str(), &o, &db, nullptr), TSLAKE_NOT_FOUND);
  tslake_options_init(&o);
  o.compression = "lz4";
  o.sync_mode = TSLAKE_SYNC_NORMAL;
  ASSERT_EQ(tslake_open(DbPath().c_str(), &o, &db, &err), TSLAKE_OK);
  EXPECT_EQ(err, nullptr);
  tslake_close(db);
}

TEST_F(CApiTest, PreparedStatementBindsAndExecutesRepeatedly) {
  tslake_prepared* ins = nullptr;
  ASSERT_EQ(tslake_prepare(con_, "INSERT INTO m VALUES (?, ?, ?, ?)", &ins), TSLAKE_OK);
  EXPECT_EQ(tslake_parameter_count(ins), 4);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(tslake_bind_timestamp(ins, 1, 1704067200000000 + i), TSLAKE_OK);
    ASSERT_EQ(tslake_bind_text(ins, 2, i % 2 ? "odd" : "even"), TSLAKE_OK);
    ASSERT_EQ(tslake_bind_double(ins, 3, i * 1.25), TSLAKE_OK);
    ASSERT_EQ(i == 4 ? tslake_bind_null(ins, 4) : tslake_bind_int64(ins, 4, i), TSLAKE_OK);
    tslake_result* r = nullptr;
    ASSERT_EQ(tslake_execute(ins, &r), TSLAKE_OK) << tslake_result_error(r);
    EXPECT_EQ(tslake_value_int64(r, 0, 0), 1);  // rows inserted
    tslake_result_destroy(r);
  }
  EXPECT_EQ(tslake_bind_int64(ins, 5, 0), TSLAKE_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tslake_prepared_error(ins)).find("out of range"), std::string::npos);
  EXPECT_EQ(tslake_bind_text(ins, 1, nullptr), TSLAKE_MISUSE);
  tslake_prepared_destroy(ins);

  tslake_prepared* sel = nullptr;
  ASSERT_EQ(tslake_prepare(con_, "SELECT sum(value), count(quality) FROM m WHERE tag = $1", &sel),
            TSLAKE_OK);
  ASSERT_EQ(tslake_bind_text(sel, 1, "even"), TSLAKE_OK);
  tslake_result* r = nullptr;
  ASSERT_EQ(tslake_execute(sel, &r), TSLAKE_OK);
  EXPECT_DOUBLE_EQ(tslake_value_double(r, 0, 0), 0 + 2.5 + 5.0);
  EXPECT_EQ(tslake_value_int64(r, 1, 0), 2);
  tslake_result_destroy(r);
  tslake_clear_bindings(sel);
  EXPECT_EQ(tslake_execute(sel, &r), TSLAKE_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tslake_result_error(r)).find("$1"), std::string::npos);
  tslake_result_destroy(r);
  tslake_prepared_destroy(sel);

  tslake_prepared* bad = nullptr;
  EXPECT_EQ(tslake_prepare(con_, "SELECT 1; SELECT 2", &bad), TSLAKE_INVALID_ARGUMENT);
  ASSERT_NE(bad, nullptr);
  EXPECT_NE(std::string(tslake_prepared_error(bad)).find("one statement"), std::string::npos);
  EXPECT_EQ(tslake_bind_int64(bad, 1, 1), TSLAKE_INVALID_ARGUMENT);
  tslake_prepared_destroy(bad);
}

TEST_F(CApiTest, AppenderRowsAndColumnsCommitOnFlush) {
  tslake_appender* app = nullptr;
  char* err = nullptr;
  EXPECT_EQ(tslake_appender_create(db_, "missing", nullptr, &app, &err), TSLAKE_NOT_FOUND);
  EXPECT_EQ(app, nullptr);
  ASSERT_NE(err, nullptr);
  EXPECT_NE(std::string(err).find("missing"), std::string::npos);
  tslake_free(err);

  ASSERT_EQ(tslake_appender_create(db_, "m", nullptr, &app, &err), TSLAKE_OK);
  EXPECT_EQ(err, nullptr);
  ASSERT_EQ(tslake_appender_column_count(app), 4);
  EXPECT_EQ(tslake_appender_column_type(app, 2), TSLAKE_TYPE_DOUBLE);
  ASSERT_EQ(tslake_append_timestamp(app, 1704067200000000), TSLAKE_OK);
  ASSERT_EQ(tslake_append_text(app, "row"), TSLAKE_OK);
  ASSERT_EQ(tslake_append_double(app, 1.5), TSLAKE_OK);
  ASSERT_EQ(tslake_append_null(app), TSLAKE_OK);
  ASSERT_EQ(tslake_appender_end_row(app), TSLAKE_OK);

  int64_t ts[3] = {1704067201000000, 1704067202000000, 1704067203000000};
  const char* tags[3] = {"a", nullptr, "c"};
  uint8_t tag_valid[3] = {1, 0, 1};
  double values[3] = {1, 2, 3};
  int64_t quality[3] = {192, 192, 0};
  tslake_column cols[4] = {{TSLAKE_TYPE_TIMESTAMP, ts, nullptr},
                           {TSLAKE_TYPE_VARCHAR, tags, tag_valid},
                           {TSLAKE_TYPE_DOUBLE, values, nullptr},
                           {TSLAKE_TYPE_INTEGER, quality, nullptr}};
  ASSERT_EQ(tslake_append_columns(app, 3, cols, 4), TSLAKE_OK) << tslake_appender_error(app);
  EXPECT_EQ(tslake_append_columns(app, 3, cols, 3), TSLAKE_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tslake_appender_error(app)).find("4 columns"), std::string::npos);
  EXPECT_EQ(tslake_appender_pending_rows(app), 4);
  EXPECT_EQ(CountRows(), 0);
  int64_t version = -2;
  ASSERT_EQ(tslake_appender_flush(app, &version), TSLAKE_OK);
  EXPECT_EQ(version, 1);
  EXPECT_EQ(CountRows(), 4);
  EXPECT_EQ(tslake_appender_flush_sequence(app, 1, nullptr, nullptr),
            TSLAKE_INVALID_ARGUMENT);  // no app id
  EXPECT_EQ(tslake_appender_close(app), TSLAKE_OK);
  // Issue 23: every call but destroy on a closed appender is misuse.
  EXPECT_EQ(tslake_append_null(app), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_appender_end_row(app), TSLAKE_MISUSE);
  tslake_appender_destroy(app);
}

TEST_F(CApiTest, AppenderFlushSequenceIsIdempotent) {
  tslake_appender* app = nullptr;
  ASSERT_EQ(tslake_appender_create(db_, "m", "gw-7", &app, nullptr), TSLAKE_OK);
  EXPECT_EQ(tslake_appender_last_sequence(app), -1);
  for (int round = 0; round < 2; ++round) {
    ASSERT_EQ(tslake_append_timestamp(app, 1704067200000000), TSLAKE_OK);
    ASSERT_EQ(tslake_append_text(app, "x"), TSLAKE_OK);
    ASSERT_EQ(tslake_append_int64(app, 3), TSLAKE_OK);  // converts to DOUBLE
    ASSERT_EQ(tslake_append_int64(app, 1), TSLAKE_OK);
    ASSERT_EQ(tslake_appender_end_row(app), TSLAKE_OK);
    int already = -1;
    int64_t version = 0;
    ASSERT_EQ(tslake_appender_flush_sequence(app, 42, &version, &already), TSLAKE_OK);
    EXPECT_EQ(already, round);  // the replay of batch 42 commits nothing
    EXPECT_EQ(version == -1, round == 1);
  }
  EXPECT_EQ(tslake_appender_last_sequence(app), 42);
  EXPECT_EQ(tslake_appender_flush_sequence(app, -1, nullptr, nullptr), TSLAKE_INVALID_ARGUMENT);
  tslake_appender_destroy(app);
  EXPECT_EQ(CountRows(), 1);
}

TEST_F(CApiTest, DestroyingAnAppenderFlushesItsRows) {
  tslake_appender* app = nullptr;
  ASSERT_EQ(tslake_appender_create(db_, "m", nullptr, &app, nullptr), TSLAKE_OK);
  ASSERT_EQ(tslake_append_text(app, "2024-01-01 00:00:00"), TSLAKE_OK);
  ASSERT_EQ(tslake_append_text(app, "x"), TSLAKE_OK);
  ASSERT_EQ(tslake_append_double(app, 1), TSLAKE_OK);
  ASSERT_EQ(tslake_append_bool(app, 1), TSLAKE_OK);
  ASSERT_EQ(tslake_appender_end_row(app), TSLAKE_OK);
  tslake_appender_destroy(app);
  EXPECT_EQ(CountRows(), 1);
}

}  // namespace
}  // namespace tslake
