// Streaming results (issue 20): Connection::Stream / StreamEach and the C
// API's tslake_query_stream / tslake_stream_fetch. Rows arrive in chunks as
// the query produces them, an early destroy stops the query, Interrupt and
// errors raised mid-stream reach the consumer, memory_limit still holds,
// and the handle rules (children, MISUSE) of the C API apply.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "tests/embed/embed_test_util.h"
#include "tslake/tslake.h"
#include "tslake/tslake.hpp"

namespace tslake {
namespace {

class StreamingTest : public EmbedTest {
 protected:
  void SetUp() override {
    EmbedTest::SetUp();
    db_ = Database::Open(DbPath());
    ASSERT_NE(db_, nullptr);
    con_ = std::make_unique<Connection>(*db_);
  }
  void TearDown() override {
    con_.reset();
    db_.reset();
    EmbedTest::TearDown();
  }
  void Exec(const std::string& sql) {
    Result r = con_->Query(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.error_message();
  }
  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
};

// An effectively endless SELECT: it can only be read a chunk at a time.
constexpr const char* kEndless = "SELECT range AS i FROM range(1000000000000)";

TEST_F(StreamingTest, FetchesEveryRowInOrderInChunks) {
  Exec("CREATE TABLE t (ts TIMESTAMP, tag VARCHAR, v DOUBLE)");
  Exec("INSERT INTO t SELECT TIMESTAMP '2024-01-01' + to_seconds(range), 'tag' || (range % 7), "
       "range * 0.5 FROM range(10000)");
  StreamingResult s = con_->Stream("SELECT ts, tag, v FROM t ORDER BY ts");
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(s.statement_type(), "SELECT");
  ASSERT_EQ(s.column_count(), 3);  // known before the first fetch
  EXPECT_EQ(s.column_name(1), "tag");
  EXPECT_EQ(s.column_type(0), Type::kTimestamp);
  Result chunk;
  int64_t rows = 0;
  int chunks = 0;
  while (s.Fetch(&chunk)) {
    ASSERT_GT(chunk.row_count(), 0);
    ASSERT_LE(chunk.row_count(), 2048);
    ASSERT_EQ(chunk.column_count(), 3);
    for (int64_t r = 0; r < chunk.row_count(); ++r) {
      ASSERT_DOUBLE_EQ(chunk.GetDouble(2, r), (rows + r) * 0.5);
    }
    rows += chunk.row_count();
    ++chunks;
  }
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(rows, 10000);
  EXPECT_EQ(s.rows_fetched(), 10000);
  EXPECT_GE(chunks, 5);
  // After the end: false again, and an empty chunk with the columns.
  EXPECT_FALSE(s.Fetch(&chunk));
  EXPECT_EQ(chunk.row_count(), 0);
  EXPECT_EQ(chunk.column_count(), 3);
}

TEST_F(StreamingTest, RowsComeBeforeTheQueryEndsAndEarlyDestroyStopsIt) {
  auto start = std::chrono::steady_clock::now();
  {
    StreamingResult s = con_->Stream(kEndless);
    ASSERT_TRUE(s.ok()) << s.error_message();
    Result chunk;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(s.Fetch(&chunk)) << s.error_message();
    EXPECT_EQ(chunk.GetInt64(0, 0), 2 * 2048);
  }  // destroyed mid-way: the remaining rows are never computed
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  // The connection is usable afterwards.
  Result r = con_->Query("SELECT 42");
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.GetInt64(0, 0), 42);
}

TEST_F(StreamingTest, EarlyDestroyOfATableScanReleasesItsSnapshot) {
  Exec("CREATE TABLE t (i BIGINT)");
  for (int k = 0; k < 3; ++k) Exec("INSERT INTO t SELECT range FROM range(50000)");
  {
    StreamingResult s = con_->Stream("SELECT i FROM t WHERE i % 2 = 0");
    Result chunk;
    ASSERT_TRUE(s.Fetch(&chunk)) << s.error_message();
    // Another statement on the same connection while the stream is open.
    Exec("INSERT INTO t VALUES (1)");
    ASSERT_TRUE(s.Fetch(&chunk)) << s.error_message();
  }
  Exec("DROP TABLE t");  // nothing of the stream holds the table any more
}

TEST_F(StreamingTest, InterruptStopsTheNextFetch) {
  StreamingResult s = con_->Stream(kEndless);
  Result chunk;
  ASSERT_TRUE(s.Fetch(&chunk));
  con_->Interrupt();
  EXPECT_FALSE(s.Fetch(&chunk));
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.error_code(), ErrorCode::kCancelled) << s.error_message();
  EXPECT_EQ(chunk.row_count(), 0);
  EXPECT_FALSE(s.Fetch(&chunk));  // stays failed
  EXPECT_EQ(s.error_code(), ErrorCode::kCancelled);
}

TEST_F(StreamingTest, InterruptFromAnotherThreadStopsARunningFetch) {
  // The first fetch of a sort reads its whole input first: it is running
  // when the other thread interrupts.
  StreamingResult s = con_->Stream("SELECT range AS i FROM range(1000000000000) ORDER BY i DESC");
  ASSERT_TRUE(s.ok()) << s.error_message();
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    con_->Interrupt();
  });
  Result chunk;
  EXPECT_FALSE(s.Fetch(&chunk));
  stopper.join();
  EXPECT_EQ(s.error_code(), ErrorCode::kCancelled) << s.error_message();
}

TEST_F(StreamingTest, AnErrorRaisedMidStreamReachesTheConsumer) {
  StreamingResult s = con_->Stream(
      "SELECT CAST(CASE WHEN range < 5000 THEN '1' ELSE 'x' END AS INTEGER) AS n FROM range(10000)");
  ASSERT_TRUE(s.ok()) << s.error_message();
  Result chunk;
  int64_t rows = 0;
  while (s.Fetch(&chunk)) rows += chunk.row_count();
  EXPECT_GT(rows, 0);  // the first chunks arrived before the failing row
  EXPECT_LT(rows, 10000);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.error_code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(s.error_message().find("Conversion Error"), std::string::npos) << s.error_message();
}

TEST_F(StreamingTest, AnErrorBeforeTheFirstRowIsAFailedStream) {
  StreamingResult s = con_->Stream("SELECT nope FROM missing_table");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.error_code(), ErrorCode::kNotFound);
  EXPECT_NE(s.error_message().find("missing_table"), std::string::npos);
  EXPECT_EQ(s.column_count(), 0);
  Result chunk;
  EXPECT_FALSE(s.Fetch(&chunk));
  StreamingResult bad = con_->Stream("SELEC 1");
  EXPECT_EQ(bad.error_code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.error_message().find("Parser Error"), std::string::npos);
}

TEST_F(StreamingTest, AScriptRunsEarlierStatementsAndStreamsTheLast) {
  StreamingResult s = con_->Stream(
      "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1), (2), (3); SELECT x * 10 AS y FROM a");
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(s.column_count(), 1);
  EXPECT_EQ(s.column_name(0), "y");
  Result all, chunk;
  ASSERT_TRUE(s.Fetch(&all));
  while (s.Fetch(&chunk)) ASSERT_TRUE(all.Append(std::move(chunk)).ok());
  ASSERT_EQ(all.row_count(), 3);
  EXPECT_EQ(all.GetInt64(0, 2), 30);
  // A statement other than SELECT streams its (already computed) result.
  StreamingResult ins = con_->Stream("INSERT INTO a VALUES (4)");
  EXPECT_EQ(ins.statement_type(), "INSERT");
  ASSERT_TRUE(ins.Fetch(&chunk));
  EXPECT_EQ(chunk.GetInt64(0, 0), 1);
  EXPECT_FALSE(ins.Fetch(&chunk));
  EXPECT_TRUE(ins.ok());
}

TEST_F(StreamingTest, StreamEachHandsEveryStatementItsOwnStream) {
  std::vector<std::string> types;
  std::vector<int64_t> fetched;
  Result r = con_->StreamEach(
      std::string("CREATE TABLE b (x INTEGER); ") + kEndless + "; SELECT 7 AS seven",
      [&](StreamingResult& s) {
        types.push_back(s.statement_type());
        Result chunk;
        // Leaves the endless one after one chunk: the script goes on.
        if (s.Fetch(&chunk)) fetched.push_back(chunk.GetInt64(0, 0));
      });
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(types, (std::vector<std::string>{"CREATE TABLE", "SELECT", "SELECT"}));
  EXPECT_EQ(fetched, (std::vector<int64_t>{0, 7}));

  // An error mid-stream ends the script with it.
  int calls = 0;
  Result failed = con_->StreamEach(
      "SELECT CAST(CASE WHEN range < 3000 THEN '1' ELSE 'x' END AS INTEGER) FROM range(9000); "
      "SELECT 1",
      [&](StreamingResult& s) {
        ++calls;
        Result chunk;
        while (s.Fetch(&chunk)) {
        }
      });
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(failed.ok());
  EXPECT_NE(failed.error_message().find("Conversion Error"), std::string::npos);
}

TEST_F(StreamingTest, MemoryLimitStillHoldsForBlockingOperators) {
  Exec("SET memory_limit = '20MB'");
  // A scan streams in bounded memory: far more rows than the limit holds.
  StreamingResult scan = con_->Stream("SELECT range AS i, 'some text ' || range AS s FROM range(3000000)");
  Result chunk;
  int64_t rows = 0;
  while (scan.Fetch(&chunk)) rows += chunk.row_count();
  EXPECT_TRUE(scan.ok()) << scan.error_message();
  EXPECT_EQ(rows, 3000000);
  // A sort holds its input: over the limit it fails, reported by Fetch.
  StreamingResult sort =
      con_->Stream("SELECT range AS i, 'some text ' || range AS s FROM range(3000000) ORDER BY s");
  EXPECT_FALSE(sort.Fetch(&chunk));
  EXPECT_EQ(sort.error_code(), ErrorCode::kOutOfMemory) << sort.error_message();
}

TEST_F(StreamingTest, AppendRefusesDifferentColumns) {
  Result a = con_->Query("SELECT 1 AS x");
  Result b = con_->Query("SELECT 'y' AS x");
  EXPECT_EQ(a.Append(std::move(b)).code(), ErrorCode::kInvalidArgument);
  Result c = con_->Query("SELECT 2 AS x");
  ASSERT_TRUE(a.Append(std::move(c)).ok());
  EXPECT_EQ(a.row_count(), 2);
  EXPECT_EQ(c.row_count(), 0);  // NOLINT(bugprone-use-after-move): documented as left empty
}

// ------------------------------------------------------------------ C API

class CStreamingTest : public EmbedTest {
 protected:
  void SetUp() override {
    EmbedTest::SetUp();
    ASSERT_EQ(tslake_open(nullptr, nullptr, &db_, nullptr), TSLAKE_OK);
    ASSERT_EQ(tslake_connect(db_, &con_), TSLAKE_OK);
  }
  void TearDown() override {
    EXPECT_EQ(tslake_disconnect(con_), TSLAKE_OK);
    EXPECT_EQ(tslake_close(db_), TSLAKE_OK);
    EmbedTest::TearDown();
  }
  tslake_database* db_ = nullptr;
  tslake_connection* con_ = nullptr;
};

TEST_F(CStreamingTest, FetchLoopOwnsEachChunk) {
  tslake_stream* st = nullptr;
  ASSERT_EQ(tslake_query_stream(con_, "SELECT range AS i, 'r' || range AS s FROM range(5000)", &st),
            TSLAKE_OK);
  ASSERT_EQ(tslake_stream_column_count(st), 2);
  EXPECT_STREQ(tslake_stream_column_name(st, 1), "s");
  EXPECT_EQ(tslake_stream_column_type(st, 0), TSLAKE_TYPE_BIGINT);
  EXPECT_EQ(tslake_stream_column_name(st, 2), nullptr);
  tslake_result* chunk = nullptr;
  tslake_result* first = nullptr;
  int64_t rows = 0;
  while (tslake_stream_fetch(st, &chunk) == TSLAKE_OK && chunk != nullptr) {
    EXPECT_EQ(tslake_value_int64(chunk, 0, 0), rows);
    rows += tslake_row_count(chunk);
    if (!first) {
      first = chunk;  // kept past the stream's end
    } else {
      EXPECT_EQ(tslake_result_destroy(chunk), TSLAKE_OK);
    }
  }
  EXPECT_EQ(chunk, nullptr);
  EXPECT_EQ(rows, 5000);
  EXPECT_EQ(tslake_stream_rows_fetched(st), 5000);
  EXPECT_EQ(tslake_stream_error_code(st), TSLAKE_OK);
  EXPECT_STREQ(tslake_stream_error(st), "");
  EXPECT_EQ(tslake_stream_fetch(st, &chunk), TSLAKE_OK);  // still the end
  EXPECT_EQ(chunk, nullptr);
  EXPECT_EQ(tslake_stream_destroy(st), TSLAKE_OK);
  EXPECT_STREQ(tslake_value_text(first, 1, 1), "r1");  // chunks outlive the stream
  EXPECT_EQ(tslake_result_destroy(first), TSLAKE_OK);
}

TEST_F(CStreamingTest, AStreamIsAChildOfItsConnection) {
  tslake_stream* st = nullptr;
  ASSERT_EQ(tslake_query_stream(con_, kEndless, &st), TSLAKE_OK);
  tslake_result* chunk = nullptr;
  ASSERT_EQ(tslake_stream_fetch(st, &chunk), TSLAKE_OK);
  ASSERT_NE(chunk, nullptr);
  tslake_result_destroy(chunk);
  EXPECT_EQ(tslake_disconnect(con_), TSLAKE_BUSY);  // the stream is live
  EXPECT_EQ(tslake_stream_destroy(st), TSLAKE_OK);  // stops the endless query
  EXPECT_EQ(tslake_stream_destroy(st), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_stream_fetch(st, &chunk), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_stream_error_code(st), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_stream_destroy(nullptr), TSLAKE_OK);
}

TEST_F(CStreamingTest, MisuseWritesNothing) {
  tslake_stream* st = reinterpret_cast<tslake_stream*>(0x1);
  EXPECT_EQ(tslake_query_stream(nullptr, "SELECT 1", &st), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_query_stream(con_, nullptr, &st), TSLAKE_MISUSE);
  EXPECT_EQ(st, reinterpret_cast<tslake_stream*>(0x1));
  EXPECT_EQ(tslake_query_stream(con_, "SELECT 1", nullptr), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_stream_fetch(nullptr, nullptr), TSLAKE_MISUSE);
  EXPECT_EQ(tslake_stream_column_count(nullptr), 0);
  EXPECT_STREQ(tslake_stream_error(nullptr), "tslake_stream is NULL");
}

TEST_F(CStreamingTest, ErrorsBeforeAndDuringTheStream) {
  tslake_stream* st = nullptr;
  EXPECT_EQ(tslake_query_stream(con_, "SELECT * FROM nowhere", &st), TSLAKE_NOT_FOUND);
  ASSERT_NE(st, nullptr);
  EXPECT_NE(std::string(tslake_stream_error(st)).find("nowhere"), std::string::npos);
  tslake_result* chunk = reinterpret_cast<tslake_result*>(0x1);
  EXPECT_EQ(tslake_stream_fetch(st, &chunk), TSLAKE_NOT_FOUND);
  EXPECT_EQ(chunk, nullptr);
  EXPECT_EQ(tslake_stream_destroy(st), TSLAKE_OK);

  ASSERT_EQ(tslake_query_stream(
                con_,
                "SELECT CAST(CASE WHEN range < 4000 THEN '1' ELSE 'x' END AS INTEGER) FROM range(8000)",
                &st),
            TSLAKE_OK);
  int rc;
  int64_t rows = 0;
  while ((rc = tslake_stream_fetch(st, &chunk)) == TSLAKE_OK && chunk != nullptr) {
    rows += tslake_row_count(chunk);
    tslake_result_destroy(chunk);
  }
  EXPECT_EQ(rc, TSLAKE_INVALID_ARGUMENT);
  EXPECT_GT(rows, 0);
  EXPECT_EQ(tslake_stream_error_code(st), TSLAKE_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tslake_stream_error(st)).find("Conversion Error"), std::string::npos);
  EXPECT_EQ(tslake_stream_fetch(st, &chunk), TSLAKE_INVALID_ARGUMENT);  // again
  EXPECT_EQ(tslake_stream_destroy(st), TSLAKE_OK);
}

TEST_F(CStreamingTest, InterruptStopsTheStream) {
  tslake_stream* st = nullptr;
  ASSERT_EQ(tslake_query_stream(con_, kEndless, &st), TSLAKE_OK);
  tslake_result* chunk = nullptr;
  ASSERT_EQ(tslake_stream_fetch(st, &chunk), TSLAKE_OK);
  tslake_result_destroy(chunk);
  EXPECT_EQ(tslake_interrupt(con_), TSLAKE_OK);
  EXPECT_EQ(tslake_stream_fetch(st, &chunk), TSLAKE_CANCELLED);
  EXPECT_EQ(chunk, nullptr);
  EXPECT_EQ(tslake_stream_destroy(st), TSLAKE_OK);
  // The connection runs the next query normally.
  tslake_result* r = nullptr;
  EXPECT_EQ(tslake_query(con_, "SELECT 1", &r), TSLAKE_OK);
  tslake_result_destroy(r);
}

}  // namespace
}  // namespace tslake
