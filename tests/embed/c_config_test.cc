// The C API's settings handle (tslake_config, tslake_open_ext) and version
// macros: options set by name reach the database (memory_limit and
// query_threads seen through SQL), a bad name or value is refused with a
// message and leaves the config unchanged, ranges are checked at open and
// named, NULL and destroyed handles are TSLAKE_MISUSE, and the version
// macros agree with the library. Calls only the C functions.
#include <cstdio>
#include <cstring>
#include <string>

#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.h"

namespace tslake {
namespace {

class CConfigTest : public EmbedTest {};

std::string Scalar(tslake_connection* con, const char* sql) {
  tslake_result* r = nullptr;
  EXPECT_EQ(tslake_query(con, sql, &r), TSLAKE_OK) << tslake_result_error(r);
  std::string out = tslake_value_text(r, 0, 0) ? tslake_value_text(r, 0, 0) : "NULL";
  tslake_result_destroy(r);
  return out;
}

TEST_F(CConfigTest, OptionsSetByNameReachTheDatabase) {
  tslake_config* config = nullptr;
  ASSERT_EQ(tslake_config_create(&config), TSLAKE_OK);
  ASSERT_NE(config, nullptr);
  EXPECT_STREQ(tslake_config_error(config), "");
  EXPECT_EQ(tslake_config_set(config, "memory_limit", "512MiB"), TSLAKE_OK);
  EXPECT_EQ(tslake_config_set(config, "QUERY_THREADS", "3"), TSLAKE_OK);
  EXPECT_EQ(tslake_config_set(config, "sync_mode", "normal"), TSLAKE_OK);
  EXPECT_EQ(tslake_config_set(config, "compression", "lz4"), TSLAKE_OK);
  EXPECT_EQ(tslake_config_set(config, "tune_allocator", "false"), TSLAKE_OK);
  tslake_database* db = nullptr;
  char* err = nullptr;
  ASSERT_EQ(tslake_open_ext(DbPath().c_str(), config, &db, &err), TSLAKE_OK) << err;
  EXPECT_EQ(err, nullptr);
  // The config is not referenced after the open.
  EXPECT_EQ(tslake_config_destroy(config), TSLAKE_OK);
  tslake_connection* con = nullptr;
  ASSERT_EQ(tslake_connect(db, &con), TSLAKE_OK);
  EXPECT_EQ(Scalar(con, "SELECT current_setting('memory_limit')"), "512.0 MiB");
  EXPECT_EQ(Scalar(con, "SELECT current_setting('threads')"), "3");
  EXPECT_EQ(tslake_disconnect(con), TSLAKE_OK);
  EXPECT_EQ(tslake_close(db), TSLAKE_OK);

  // memory_limit also takes bytes; read_only a boolean word.
  ASSERT_EQ(tslake_config_create(&config), TSLAKE_OK);
  EXPECT_EQ(tslake_config_set(config, "memory_limit", "2097152"), TSLAKE_OK);
  EXPECT_EQ(tslake_config_set(config, "read_only", "yes"), TSLAKE_OK);
  ASSERT_EQ(tslake_open_ext(DbPath().c_str(), config, &db, nullptr), TSLAKE_OK);
  ASSERT_EQ(tslake_connect(db, &con), TSLAKE_OK);
  EXPECT_EQ(Scalar(con, "SELECT current_setting('memory_limit')"), "2.0 MiB");
  tslake_result* r = nullptr;
  EXPECT_NE(tslake_query(con, "CREATE TABLE t(i INTEGER)", &r), TSLAKE_OK);
  tslake_result_destroy(r);
  tslake_disconnect(con);
  tslake_close(db);
  tslake_config_destroy(config);

  // A NULL config is the defaults.
  ASSERT_EQ(tslake_open_ext(nullptr, nullptr, &db, nullptr), TSLAKE_OK);
  tslake_close(db);
}

TEST_F(CConfigTest, BadNamesAndValuesAreRefusedWithAMessage) {
  tslake_config* config = nullptr;
  ASSERT_EQ(tslake_config_create(&config), TSLAKE_OK);
  EXPECT_EQ(tslake_config_set(config, "no_such_option", "1"), TSLAKE_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(tslake_config_error(config), "unknown option 'no_such_option'"), nullptr)
      << tslake_config_error(config);
  EXPECT_EQ(tslake_config_set(config, "query_threads", "two"), TSLAKE_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(tslake_config_error(config), "query_threads"), nullptr);
  EXPECT_EQ(tslake_config_set(config, "memory_limit", "12 parsecs"), TSLAKE_INVALID_ARGUMENT);
  EXPECT_EQ(tslake_config_set(config, "read_only", "maybe"), TSLAKE_INVALID_ARGUMENT);
  EXPECT_EQ(tslake_config_set(config, "sync_mode", "sometimes"), TSLAKE_INVALID_ARGUMENT);
  // A success clears the message.
  EXPECT_EQ(tslake_config_set(config, "threads", "0"), TSLAKE_OK);
  EXPECT_STREQ(tslake_config_error(config), "");
  // Ranges are Open's: the option is named.
  EXPECT_EQ(tslake_config_set(config, "query_threads", "5000"), TSLAKE_OK);
  tslake_database* db = nullptr;
  char* err = nullptr;
  EXPECT_EQ(tslake_open_ext(DbPath().c_str(), config, &db, &err), TSLAKE_INVALID_ARGUMENT);
  EXPECT_EQ(db, nullptr);
  ASSERT_NE(err, nullptr);
  EXPECT_NE(std::strstr(err, "query_threads"), nullptr) << err;
  tslake_free(err);
  EXPECT_EQ(tslake_config_destroy(config), TSLAKE_OK);
}

TEST_F(CConfigTest, MisuseIsReportedWithoutACrash) {
  tslake_config* config = nullptr;
  EXPECT_EQ(tslake_config_create(nullptr), TSLAKE_MISUSE);
  ASSERT_EQ(tslake_config_create(&config), TSLAKE_OK);
  EXPECT_EQ(tslake_config_set(nullptr, "threads", "1"), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_config_set(config, nullptr, "1"), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_config_set(config, "threads", nullptr), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_open_ext(nullptr, config, nullptr, nullptr), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_config_destroy(config), TSLAKE_OK);
  // Destroyed: every call on it is misuse, not a use after free.
  EXPECT_EQ(tslake_config_destroy(config), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_config_set(config, "threads", "1"), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_config_error(config), nullptr);
  tslake_database* db = reinterpret_cast<tslake_database*>(0x1);
  EXPECT_EQ(tslake_open_ext(nullptr, config, &db, nullptr), TSLAKE_MISUSE);
  EXPECT_EQ(db, nullptr);
  EXPECT_EQ(tslake_config_destroy(nullptr), TSLAKE_OK);
}

TEST_F(CConfigTest, OptionNamesAreListed) {
  const int n = tslake_config_count();
  ASSERT_GE(n, 10);
  bool query_threads = false;
  tslake_config* config = nullptr;
  ASSERT_EQ(tslake_config_create(&config), TSLAKE_OK);
  for (int i = 0; i < n; ++i) {
    const char* name = tslake_config_name(i);
    ASSERT_NE(name, nullptr);
    if (std::strcmp(name, "query_threads") == 0) query_threads = true;
    // Every listed name is one tslake_config_set knows.
    tslake_config_set(config, name, "");
    EXPECT_EQ(std::strstr(tslake_config_error(config), "unknown option"), nullptr) << name;
  }
  EXPECT_TRUE(query_threads);
  EXPECT_EQ(tslake_config_name(n), nullptr);
  EXPECT_EQ(tslake_config_name(-1), nullptr);
  tslake_config_destroy(config);
}

TEST(CVersion, MacrosAgreeWithTheLibrary) {
  EXPECT_STREQ(tslake_library_version(), TSLAKE_VERSION);
  EXPECT_EQ(tslake_library_version_number(), TSLAKE_VERSION_NUMBER);
  int major = 0, minor = 0, patch = 0;
  ASSERT_EQ(std::sscanf(TSLAKE_VERSION, "%d.%d.%d", &major, &minor, &patch), 3);
  EXPECT_EQ(TSLAKE_VERSION_NUMBER, major * 1000000 + minor * 1000 + patch);
}

}  // namespace
}  // namespace tslake
